"""One small module per file format, all behind one interface: path and bytes in, text out.

A format module has ``NAME`` (its kind, e.g. ``"pdf"``), ``SUFFIXES`` and
``read(path, data) -> Extracted``, and raises :class:`UnreadableDocument` with a reason a user
understands when the file cannot be read. ``indexer.reader`` picks the module by suffix
(:func:`for_path`), reads the bytes once (size limit, hash) and hands them over, so a new
format is one new file here plus one line in :data:`MODULES`.
"""
from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path

# suffix → module under indexer.formats; the order is the order README lists them in.
MODULES = {
    ".txt": "text", ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx",
    ".doc": "office", ".wps": "office", ".rtf": "office",
}
REPORT_SUFFIXES = tuple(MODULES)


class UnreadableDocument(Exception):
    """A report file that cannot be turned into text; ``reason`` says why."""

    def __init__(self, path: str | os.PathLike, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


@dataclass(frozen=True)
class Extracted:
    """A file's text and what was learnt reading it.

    :param encoding: the text encoding of a text file, "" for binary formats.
    :param kind: the format that read it (``text``, ``html``, ``pdf``, ``docx``, ``doc`` …).
    :param extractor: the library or program that extracted the text, with its version.
    :param pages: pages of a paged document, when known.
    :param ocr: the text was recognised from page images (it has recognition errors).
    :param source_url: the original web page's address, when the file names it.
    :param notes: what was left out while reading, e.g. scanned pages past the OCR limit (they
        become warnings on the report).
    """

    text: str
    encoding: str = ""
    kind: str = ""
    extractor: str = ""
    pages: int | None = None
    ocr: bool = False
    source_url: str = ""
    notes: tuple[str, ...] = ()


def for_path(path: Path):
    """Return the format module that reads ``path`` (by its suffix), or None."""
    name = MODULES.get(path.suffix.lower())
    return importlib.import_module(f"{__name__}.{name}") if name else None


def is_report_name(name: str) -> bool:
    """True for a file name a format reads (``*.meta.json`` sidecars never are)."""
    return os.path.splitext(name)[1].lower() in MODULES


def kind_of(name: str) -> str:
    """The kind a file that is not a report is counted under: ``.jpg``, or ``(no extension)``."""
    return os.path.splitext(name)[1].lower() or "(no extension)"


def not_a_report(path: Path) -> str:
    """The reason given for a file named on the command line that no format reads."""
    return (f"not a report file ({kind_of(path.name)}); report files are "
            + ", ".join(REPORT_SUFFIXES))
