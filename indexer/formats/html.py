"""Saved web pages: the article text, page chrome dropped (the parser lives in ``reader``)."""
from __future__ import annotations

from pathlib import Path

from indexer.formats import Extracted, UnreadableDocument

NAME = "html"
SUFFIXES = (".html", ".htm")


def read(path: Path, data: bytes) -> Extracted:
    """Decode ``data`` (its ``<meta charset>`` is a hint) and keep the article text."""
    from indexer import reader

    text, encoding = reader.decode_bytes(data, html_hint=True)
    if text is None:
        raise UnreadableDocument(path, encoding)
    return from_text(path, text, encoding)


def from_text(path: Path, markup: str, encoding: str) -> Extracted:
    from indexer import reader, source_url

    text = reader.html_to_text(markup)
    if not text.strip():
        raise UnreadableDocument(path, "no text found in HTML")
    address = source_url.from_html(markup) or source_url.from_text(text)
    return Extracted(text, encoding, NAME, "html.parser", source_url=address)
