"""Word ``.docx`` attachments through python-docx: body paragraphs and table cells in reading order.

``document.paragraphs`` skips tables, so the body's elements are walked in order: a paragraph
is a line, a table row is a line of its cells (nested tables included), content controls are
opened. Headers, footers, footnotes and comments live in other parts and are never read. A
.docx is a zip archive: its declared sizes are checked before anything is unpacked
(:data:`UNPACKED_FACTOR`), so a decompression bomb is refused without being inflated
(``zipfile`` never returns more than a member's declared size).
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from search import settings
from indexer.formats import Extracted, UnreadableDocument

NAME = "docx"
SUFFIXES = (".docx",)
#: A .docx may unpack to at most this many times ``max_file_bytes``.
UNPACKED_FACTOR = 4
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read(path: Path, data: bytes) -> Extracted:
    """Return the text of a .docx: paragraphs and table rows, one per line."""
    import docx

    check_archive(path, data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:        # python-docx raises KeyError, ValueError, lxml errors …
        raise UnreadableDocument(path, f"damaged .docx ({type(exc).__name__}: {exc})"[:300]) \
            from None
    lines = list(body_lines(document.element.body))
    text = "\n".join(lines)
    if not any(ch.isalnum() for ch in text):
        raise UnreadableDocument(path, "no text found in the Word document")
    return Extracted(text, "", NAME, f"python-docx {docx.__version__}", pages(document))


def check_archive(path: Path, data: bytes) -> None:
    """Refuse what is not a .docx, or would unpack to too much, before unpacking it."""
    if data.startswith(_OLE):
        raise UnreadableDocument(path, "encrypted (password-protected) or old-format Word file, "
                                       "not a .docx zip archive")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise UnreadableDocument(path, "damaged or truncated .docx (not a readable zip "
                                       "archive)") from None
    names = {i.filename for i in infos}
    if "word/document.xml" not in names:
        raise UnreadableDocument(path, "not a Word document (the archive has no "
                                       "word/document.xml)")
    unpacked = sum(i.file_size for i in infos)
    limit = UNPACKED_FACTOR * int(settings.get("max_file_bytes"))
    if unpacked > limit:
        raise UnreadableDocument(path, f"the .docx would unpack to {unpacked / 2**20:.0f} MB, "
                                       f"more than {limit / 2**20:.0f} MB (a decompression bomb?)")


def body_lines(body):
    """Yield the text of the body's paragraphs and table rows, in document order."""
    for child in body.iterchildren():
        tag = child.tag
        if tag == _W + "p":
            yield paragraph_text(child)
        elif tag == _W + "tbl":
            yield from table_lines(child)
        elif tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from body_lines(content)


def table_lines(table):
    """One line per row, its cells separated by a space; nested tables follow their row."""
    for row in table.iterchildren(_W + "tr"):
        cells, nested = [], []
        for cell in row.iterchildren(_W + "tc"):
            texts = []
            for child in cell.iterchildren():
                if child.tag == _W + "p":
                    texts.append(paragraph_text(child))
                elif child.tag == _W + "tbl":
                    nested.extend(table_lines(child))
            cells.append("".join(t for t in texts if t.strip()))
        yield " ".join(c for c in cells if c)
        yield from nested


def paragraph_text(p) -> str:
    """The visible text of a ``w:p``: runs, hyperlinks and insertions; deletions left out."""
    parts = []
    for node in p.iter(_W + "t", _W + "tab", _W + "br", _W + "cr", _W + "delText"):
        if node.tag == _W + "t":
            parts.append(node.text or "")
        elif node.tag == _W + "tab":
            parts.append("\t")
        elif node.tag in (_W + "br", _W + "cr"):
            parts.append("\n")
    return "".join(parts)


def pages(document) -> int | None:
    """The page count Word saved in the document's properties, when it did."""
    try:
        part = document.part.package.part_related_by(
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties")
    except (KeyError, AttributeError):
        return None
    import re

    found = re.search(rb"<(?:\w+:)?Pages>(\d+)<", part.blob)
    return int(found.group(1)) if found else None
