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
from indexer.formats.layout import (Box, Line, document_gutter, find_columns,  # noqa: F401
                                    mark_full, reading_order)
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
_SPREAD = re.compile(r"(?<!\S)[\u3400-\u9fff](?: [\u3400-\u9fff])+(?!\S)")
_CONTROL = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF])


def read(path: Path, data: bytes) -> Extracted:
    """Return the text of a PDF, or of its OCR when it has no text layer."""
    import pypdfium2 as pdfium

    pdf = open_pdf(path, data)
    try:
        count = check_pages(path, pdf)
        texts = [page_text(pdf[i]) for i in range(count)]
        gutter = document_gutter([t.gutter() for t in texts])
        pages = [t.lines(gutter) for t in texts]
        extractor, notes = f"pypdfium2 {pdfium.version.PYPDFIUM_INFO}", []
        scanned = scanned_pages(pdf, texts)
        typed = sum(t.chars >= MIN_CHARS_PER_PAGE for t in texts)
        if scanned:
            from indexer.formats import ocr

            read, by, notes = ocr.read_pages(path, pdf, scanned, count, whole=not typed)
            for i, lines in read.items():
                pages[i] = lines
            if read:
                extractor = by if not typed else f"{extractor} + {by}"
            ocr_read = bool(read)
        else:
            ocr_read = False
    except pdfium.PdfiumError as exc:       # a page that opened with the file, but is broken
        raise UnreadableDocument(path, f"damaged PDF page ({exc})") from None
    finally:
        pdf.close()
    text = assemble(pages)
    if not any(ch.isalnum() for ch in text):
        raise UnreadableDocument(path, "PDF has no text layer, and OCR found no text in it"
                                 if ocr_read else "no text found in the PDF")
    return Extracted(text, "", NAME, extractor, count, ocr=ocr_read, notes=tuple(notes))


def scanned_pages(pdf, texts: list["PageText"]) -> list[int]:
    """The pages to OCR. When the file has (almost) no text layer, as a scan has: every page
    that draws anything (a blank page has nothing to read; a page of text turned into outlines
    is read too). Else the pages without text that hold an image: a scanned page among typed
    ones."""
    import pypdfium2.raw as raw

    chars = [t.chars for t in texts]
    whole = sum(chars) < MIN_CHARS_PER_PAGE * len(texts)
    out = []
    for i, n in enumerate(chars):
        if whole or n < MIN_CHARS_PER_PAGE:
            page = pdf[i]
            try:
                if (raw.FPDFPage_CountObjects(page.raw) > 0 if whole else
                        any(True for _ in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,),
                                                           max_depth=2))):
                    out.append(i)
            finally:
                page.close()
    return out


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


#: A gap inside a line wider than this many character widths may be a gutter between columns
#: that the text layer ran together: the line is cut there when the page has two columns.
GAP_EMS = 2.0


@dataclass(frozen=True)
class PageText:
    """One page's lines with their boxes, before they are put in reading order."""

    boxes: list[Box]
    pieces: list[Box] | None      # the lines cut at wide gaps, when any line has one
    width: float
    em: float                     # the body text's character width
    chars: int                    # characters other than spaces

    def gutter(self) -> float | None:
        return find_columns(self.pieces or self.boxes, self.em)

    def lines(self, gutter: float | None = None) -> list[Line]:
        return reading_order(self.boxes, self.width, self.em, self.pieces, gutter)


def page_lines(page) -> list[Line]:
    """The text lines of one page in reading order (``formats.layout``: one or two columns),
    as the layout broke them, each marked when it is full."""
    return page_text(page).lines()


def page_text(page) -> PageText:
    """A page's text lines and their boxes, as PDFium's text layer gives them."""
    page_width, page_height = page.get_size()
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        spans = list(_line_spans(text))
        chars = [_char_boxes(textpage, start, end) for start, end in spans]
    finally:
        textpage.close()
        page.close()
    widths = sorted(box[2] - box[0] for (start, end), line in zip(spans, chars)
                    for i, box in zip(range(start, min(end, start + 8)), line)
                    if _CJK_CHAR.match(text[i]))
    em = widths[len(widths) // 2] if widths else 12.0
    boxes, pieces, cut = [], [], False
    for (start, end), line in zip(spans, chars):
        inked = [i for i in range(end - start) if not text[start + i].isspace()]
        if not inked:
            continue
        whole = _box(text[start:end], [line[i] for i in inked], page_height)
        boxes.append(whole)
        cuts = [k for k in range(1, len(inked))
                if line[inked[k]][0] - line[inked[k - 1]][2] > GAP_EMS * em]
        if not cuts:
            pieces.append(whole)
            continue
        cut = True
        for a, b in zip([0] + cuts, cuts + [len(inked)]):
            first, last = inked[a], inked[b - 1] + 1
            pieces.append(_box(text[start + first:start + last],
                               [line[i] for i in inked[a:b]], page_height))
    chars = sum(len("".join(b.text.split())) for b in boxes)
    return PageText(boxes, pieces if cut else None, page_width, em, chars)


def _char_boxes(textpage, start: int, end: int) -> list[tuple]:
    """``(left, bottom, right, top)`` of characters ``start:end`` (PDFium's loose boxes: the
    font's height). The raw call with one reused rectangle: every character of every page
    is measured, and ``PdfTextPage.get_charbox`` costs half as much again."""
    import pypdfium2.raw as raw

    rect, get, handle, out = raw.FS_RECTF(), raw.FPDFText_GetLooseCharBox, textpage.raw, []
    for i in range(start, end):
        get(handle, i, rect)
        out.append((rect.left, rect.bottom, rect.right, rect.top))
    return out


def _box(text: str, inked: list[tuple], page_height: float) -> Box:
    """A piece of a line and the extent of its inked characters (PDF y grows upwards,
    ``layout`` wants it downwards)."""
    lefts, bottoms, rights, tops = zip(*inked)
    return Box(unspace(text.translate(_CONTROL)), min(lefts), max(rights),
               page_height - max(tops), page_height - min(bottoms))


def unspace(line: str) -> str:
    """``贛 公 網 安 備`` → ``贛公網安備``: a run of single Chinese characters with spaces between
    them is one word spread out (distributed or justified alignment: PDFium puts a space in each
    gap); spaces between words of several characters stay."""
    return _SPREAD.sub(lambda m: m.group().replace(" ", ""), line)


def _line_spans(text: str):
    """``(start, end)`` of each non-blank line, trailing spaces left out (PDFium ends lines
    with ``\\r\\n``; its character indexes are the text's)."""
    for match in _LINE.finditer(text):
        piece = match.group().rstrip()
        if piece.strip():
            yield match.start(), match.start() + len(piece)


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
