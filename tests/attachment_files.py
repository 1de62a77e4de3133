"""Builders of real attachment files for the format tests and bench/attachments.py.

PDFs are printed by headless Chromium (it embeds the CJK fonts of fonts-noto-cjk) with a running
header and footer and page numbers, as report PDFs have them; scans are text drawn on an image
by Pillow and saved as an image-only PDF; .docx files are written by python-docx with a table,
a header, a footer and a comment.
"""
from __future__ import annotations

import html
import io
import os
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
RUNNING_HEADER = "忻府区人民政府办公室文件"
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

_PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>
body {{ font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 16pt;
       line-height: 1.6; margin: 0; }}
h1 {{ font-size: 20pt; text-align: center; }}
p {{ text-indent: 2em; margin: 0; text-align: justify; }}
</style></head><body>{body}</body></html>"""
_FOOTERS = {
    "dash": '— <span class="pageNumber"></span> —',
    "hyphen": '-<span class="pageNumber"></span>-',
    "of": '第<span class="pageNumber"></span>页 共<span class="totalPages"></span>页',
}


_COLUMNS = "<style>main { column-count: 2; column-gap: 10mm; }</style>"


def report_html(text: str, columns: int = 1) -> str:
    """A report page: the first line as the title across the page, every other line a
    paragraph, set in two columns (CSS columns) when ``columns`` is 2."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    body = [f"<h1>{html.escape(lines[0])}</h1>", "<main>"] \
        + [f"<p>{html.escape(ln)}</p>" for ln in lines[1:]] + ["</main>"]
    return _PAGE.format(body=(_COLUMNS if columns == 2 else "") + "\n".join(body))


def print_pdfs(jobs: list[tuple[str, Path, str]], columns: int = 1) -> None:
    """Print each ``(text, out path, footer style)`` to a PDF with headless Chromium, in one
    column or two."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            for text, out, footer in jobs:
                page.set_content(report_html(text, columns))
                page.pdf(path=str(out), format="A4", display_header_footer=True,
                         header_template=_small(RUNNING_HEADER),
                         footer_template=_small(_FOOTERS[footer]),
                         margin={"top": "25mm", "bottom": "25mm", "left": "25mm",
                                 "right": "25mm"})
        finally:
            browser.close()


def _small(inner: str) -> str:
    return (f'<div style="font-size:10pt;width:100%;text-align:center;'
            f'font-family:Noto Sans CJK SC">{inner}</div>')


def scanned_pdf(text: str, out: Path, lines_per_page: int = 30) -> int:
    """An image-only PDF of ``text`` (a title line, then paragraphs) at 300 dpi, as a scanner
    makes it: paragraphs wrapped to the page width, a page number under each page.
    Returns the number of pages."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, 48)
    paragraphs = [ln.strip() for ln in text.split("\n") if ln.strip()]
    rows = [(paragraphs[0], 600)]                      # the title, centred
    for para in paragraphs[1:]:
        rows += [(row, 200) for row in _fit("\u3000\u3000" + para, font, 2080)]
    images = []
    for n in range(0, len(rows), lines_per_page):
        image = Image.new("L", (2480, 3508), 255)          # A4 at 300 dpi
        draw = ImageDraw.Draw(image)
        for i, (row, left) in enumerate(rows[n:n + lines_per_page]):
            draw.text((left, 250 + i * 96), row, font=font, fill=0)
        draw.text((1180, 3300), f"- {len(images) + 1} -", font=font, fill=0)
        images.append(image)
    images[0].save(out, "PDF", resolution=300, save_all=True, append_images=images[1:])
    return len(images)


def _fit(paragraph: str, font, width: int) -> list[str]:
    """Break ``paragraph`` into rows of at most ``width`` pixels, as a layout does."""
    rows, row = [], ""
    for ch in paragraph:
        if font.getlength(row + ch) > width:
            rows.append(row)
            row = ""
        row += ch
    return rows + [row] if row else rows


def report_docx(text: str, out: Path, table: list[list[str]] | None = None) -> None:
    """A .docx of a report: title, paragraphs, a table after the first paragraph, a header,
    a footer and a comment (which must not be read)."""
    import docx

    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = RUNNING_HEADER
    section.footer.paragraphs[0].text = "第1页 共1页 页脚文字"
    document.add_heading(lines[0], level=1)
    for i, line in enumerate(lines[1:]):
        paragraph = document.add_paragraph(line)
        if i == 0:
            if table:
                grid = document.add_table(rows=len(table), cols=len(table[0]))
                for r, row in enumerate(table):
                    for c, value in enumerate(row):
                        grid.cell(r, c).text = value
            document.add_comment(paragraph.runs, text="批注文字不应被索引", author="审稿人")
    document.save(out if hasattr(out, "write") else str(out))


def docx_bytes(text: str) -> bytes:
    buffer = io.BytesIO()
    report_docx(text, buffer)           # python-docx saves to a stream as well
    return buffer.getvalue()


def minimal_pdf(extra_objects: list[bytes] = (), trailer_extra: bytes = b"") -> bytes:
    """A one-page PDF written by hand (with a correct cross-reference table), so that a test can
    give it what no PDF library here writes, e.g. an ``/Encrypt`` dictionary."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>", *extra_objects]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, trailer_extra, xref)
    return bytes(out)


def encrypted_pdf() -> bytes:
    """A PDF locked with a user password (standard security handler, RC4 40-bit)."""
    encrypt = (b"<< /Filter /Standard /V 1 /R 2 /O <" + b"ab" * 32 + b"> /U <" + b"cd" * 32
               + b"> /P -44 >>")
    return minimal_pdf([encrypt], b"/Encrypt 4 0 R /ID [<" + b"01" * 16 + b"> <" + b"01" * 16
                       + b">]")


def many_pages_pdf(pages: int) -> bytes:
    """A PDF of ``pages`` blank pages (small on disk: one shared page object per page)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(595, 842).close()
    buffer = io.BytesIO()
    pdf.save(buffer)
    pdf.close()
    return buffer.getvalue()
