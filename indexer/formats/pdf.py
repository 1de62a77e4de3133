"""PDF attachments: the text layer through pypdfium2, page furniture removed, broken lines joined.

pypdfium2 (PDFium, Apache/BSD) is fast and reads CJK fonts right where pypdf garbles CID fonts;
PyMuPDF is AGPL. ``get_text_range()`` returns ``\\r\\n`` line ends and breaks lines wherever the
layout did, so the text goes through ``indexer.linejoin`` (the rule clean uses too). Running
headers and footers (the same line at the top or bottom of most pages) and page numbers
(``— 3 —``, ``-3-``, ``第3页 共12页``: :data:`PAGE_NUMBERS`) are removed first, so that a
paragraph continued on the next page joins up. A PDF without a text layer (a scan) goes to
``formats.ocr``. Limits: the file size (``max_file_bytes``) and ``max_pages``.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from search import settings
from indexer.formats import Extracted, UnreadableDocument
from indexer.linejoin import join_lines

NAME = "pdf"
SUFFIXES = (".pdf",)

#: Whole lines that are page numbers (after spaces are removed). Each came from a report PDF.
PAGE_NUMBERS = tuple(re.compile(p) for p in (
    r"[-—–－―~～·•]*\d{1,4}[-—–－―~～·•]*",          # 3, -3-, — 3 —, －3－, ~3~
    r"第\d{1,4}页(?:[,，/]?共\d{1,4}页)?",            # 第3页, 第3页 共12页
    r"共\d{1,4}页[,，]?第\d{1,4}页",                   # 共12页 第3页
    r"\d{1,4}/\d{1,4}",                                # 3/12
    r"(?i)page\d{1,4}(?:of\d{1,4})?",                  # Page 3 of 12
))
#: A line at the top or bottom of at least this share of the pages is a running header/footer.
RUNNING_SHARE = 0.5
EDGE_LINES = 2          # lines looked at, at the top and at the bottom of each page
#: Fewer non-space characters than this per page on average: the PDF has no text layer.
MIN_CHARS_PER_PAGE = 20
_LINE = re.compile(r"[^\r\n]+")
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
_CONTROL = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF])


def read(path: Path, data: bytes) -> Extracted:
    """Return the text of a PDF, or of its OCR when it has no text layer."""
    import pypdfium2 as pdfium

    pdf = open_pdf(path, data)
    try:
        count = check_pages(path, pdf)
        pages = [page_lines(pdf[i]) for i in range(count)]
        chars = sum(len("".join(ln.text.split())) for lines in pages for ln in lines)
        if chars < MIN_CHARS_PER_PAGE * count:
            from indexer.formats import ocr

            return ocr.read_pdf(path, pdf, count)
    except pdfium.PdfiumError as exc:       # a page that opened with the file, but is broken
        raise UnreadableDocument(path, f"damaged PDF page ({exc})") from None
    finally:
        pdf.close()
    return Extracted(assemble(pages), "", NAME, f"pypdfium2 {pdfium.version.PYPDFIUM_INFO}",
                     count)


def open_pdf(path: Path, data: bytes):
    """Open ``data`` with PDFium; a bad file raises with its own reason."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise UnreadableDocument(path, "not a PDF file (no %PDF header)")
    if b"%%EOF" not in data[-2048:]:
        raise UnreadableDocument(path, "truncated PDF (it ends before its end-of-file marker)")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reasons = {raw.FPDF_ERR_PASSWORD: "encrypted PDF: it needs a password to open",
                   raw.FPDF_ERR_SECURITY: "PDF with an unsupported security handler",
                   raw.FPDF_ERR_FORMAT: "damaged or truncated PDF (PDFium cannot parse it)"}
        raise UnreadableDocument(path, reasons.get(exc.err_code, f"cannot read PDF: {exc}")) \
            from None


def check_pages(path: Path, pdf) -> int:
    count = len(pdf)
    limit = int(settings.get("max_pages"))
    if count == 0:
        raise UnreadableDocument(path, "PDF has no pages")
    if count > limit:
        raise UnreadableDocument(path, f"PDF has {count} pages, more than the limit of {limit} "
                                       "(set POLICY_MAX_PAGES)")
    return count


#: A line whose end comes within this many character widths of the text column's right edge
#: reached it: the layout broke it there, and it continues on the next line.
FULL_LINE_EMS = 1.2
MIN_LINES_FOR_EDGE = 5


@dataclass(frozen=True)
class Line:
    text: str
    full: bool          # it reaches the right edge of the page's text


def page_lines(page) -> list[Line]:
    """The text lines of one page, as the layout broke them, each marked when it is full."""
    page_width = page.get_width()
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        spans = list(_line_spans(text))
        boxes = [(textpage.get_charbox(start, loose=True)[0],
                  textpage.get_charbox(end - 1, loose=True)[2]) for start, end in spans]
        widths = sorted(_box_width(textpage, i) for start, end in spans
                        for i in range(start, min(end, start + 8)) if _CJK_CHAR.match(text[i]))
    finally:
        textpage.close()
        page.close()
    em = widths[len(widths) // 2] if widths else 12.0
    texts = [text[start:end].translate(_CONTROL) for start, end in spans]
    return mark_full(texts, boxes, page_width, em)


def mark_full(texts: list[str], boxes: list[tuple[float, float]], page_width: float,
              em: float) -> list[Line]:
    """Mark the lines whose right end reaches the text column's right edge, and are not centred.

    The edge is taken as the mirror of the leftmost text (margins are about even), so a page
    of two short lines has no full line; if no line gets near it (a wide right margin), the
    rightmost line end is the edge. A centred line (a heading, a title: as much room left as
    right) ended on its own however near the edge it comes; an indented first line did not.
    """
    if not boxes:
        return []
    margin = min(left for left, _ in boxes)
    edge = page_width - margin
    rightmost = max(right for _, right in boxes)
    if rightmost < edge - FULL_LINE_EMS * em and len(boxes) >= MIN_LINES_FOR_EDGE:
        edge = rightmost
    lines = []
    for text, (left, right) in zip(texts, boxes):
        room_left, room_right = left - margin, edge - right
        centred = room_left > em / 2 and abs(room_left - room_right) < em / 2
        lines.append(Line(text, room_right <= FULL_LINE_EMS * em and not centred))
    return lines


def _line_spans(text: str):
    """``(start, end)`` of each non-blank line, trailing spaces left out (PDFium ends lines
    with ``\\r\\n``; its character indexes are the text's)."""
    for match in _LINE.finditer(text):
        piece = match.group().rstrip()
        if piece.strip():
            yield match.start(), match.start() + len(piece)


def _box_width(textpage, i: int) -> float:
    left, _, right, _ = textpage.get_charbox(i, loose=True)
    return right - left


def assemble(pages: list[list[Line]]) -> str:
    """Join the pages' lines into the report's text: furniture out, wrapped lines joined."""
    running = running_lines(pages)
    kept: list[Line] = []
    for lines in pages:
        edges = set(range(EDGE_LINES)) | set(range(len(lines) - EDGE_LINES, len(lines)))
        for i, line in enumerate(lines):
            if i in edges and (is_page_number(line.text) or _shape(line.text) in running):
                continue
            kept.append(line)
    return "\n".join(join_lines([ln.text for ln in kept], [ln.full for ln in kept]))


def running_lines(pages: list[list[Line]]) -> set[str]:
    """Lines (digits masked) at a page's top or bottom on most pages: running heads and feet."""
    if len(pages) < 2:
        return set()
    seen: Counter[str] = Counter()
    for lines in pages:
        seen.update({_shape(ln.text) for ln in lines[:EDGE_LINES] + lines[-EDGE_LINES:]})
    need = max(2, len(pages) * RUNNING_SHARE)
    return {shape for shape, n in seen.items() if n >= need}


def is_page_number(line: str) -> bool:
    """``— 3 —``, ``-3-``, ``第3页 共12页``, ``3/12``: a line that is only a page number."""
    compact = "".join(line.split())
    return any(p.fullmatch(compact) for p in PAGE_NUMBERS)


def _shape(line: str) -> str:
    """A line with its numbers masked and spaces removed: 第3页 and 第4页 are one running line."""
    return re.sub(r"\d+", "#", "".join(line.split()))
