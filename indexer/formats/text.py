"""Plain-text reports in any of the encodings government sites use (detection in ``reader``).

A ``.txt`` file that holds a saved web page is read as HTML.
"""
from __future__ import annotations

from pathlib import Path

from indexer.formats import Extracted, UnreadableDocument

NAME = "text"
SUFFIXES = (".txt",)


def read(path: Path, data: bytes) -> Extracted:
    """Decode ``data``; a file that starts like a web page goes to the HTML reader."""
    from indexer import reader
    from indexer.formats import html

    text, encoding = reader.decode_bytes(data)
    if text is None:
        raise UnreadableDocument(path, encoding)
    if reader.looks_like_html(text):
        return html.from_text(path, text, encoding)
    if not text.strip():
        raise UnreadableDocument(path, "empty file (only whitespace)" if text else "empty file")
    from indexer import source_url

    return Extracted(text, encoding, NAME, "decoder", source_url=source_url.from_text(text))
