"""Older Word formats (``.doc``, ``.wps``, ``.rtf``): converted to .docx by LibreOffice, then read
as a .docx (``formats.docx``).

Optional: it needs ``soffice`` (Debian: ``apt-get install libreoffice-writer-nogui``, about
260 MB installed); without it such files are skipped with a reason that names LibreOffice. Each conversion
gets its own user profile (``-env:UserInstallation``): conversions sharing one profile fail when
run in parallel. A conversion that takes longer than :data:`TIMEOUT` seconds is killed with its
process group; the profile and the copies go with the temporary folder.

What a file holds decides, not its name (:func:`sniff`): government sites serve ``.doc`` files
that are really RTF, web pages or .docx archives. LibreOffice is told the input filter, because
left to guess it reads a damaged Word file as plain text and returns its bytes as garbage.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from indexer.formats import Extracted, UnreadableDocument

NAME = "office"
SUFFIXES = (".doc", ".wps", ".rtf")
TIMEOUT = 120
PACKAGE = "libreoffice-writer-nogui"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"      # a compound file: Word 97–2003, WPS, Works
#: LibreOffice's import filter for what :func:`sniff` found ("" lets it detect the kind).
FILTERS = {"doc": "MS Word 97", "wps": "", "rtf": "Rich Text Format"}


def sniff(data: bytes, suffix: str) -> str:
    """What the bytes are: ``doc`` / ``wps`` (a compound file), ``rtf``, ``docx``, ``html``, or
    ``""`` for none of these."""
    head = data[:1024].lstrip()
    if data.startswith(_OLE):
        return "wps" if suffix == ".wps" else "doc"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if re.match(rb"(?i)(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta)\b", head, re.S):
        return "html"
    return ""


def soffice() -> str | None:
    """The LibreOffice program, when installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(path: Path, data: bytes) -> Extracted:
    """Convert ``path`` to .docx in a private folder and read that."""
    from indexer.formats import docx


    kind = path.suffix.lower().lstrip(".")
    found = sniff(data, path.suffix.lower())
    if found == "docx":                     # a .docx under an old name
        return _as(docx.read(path, data), kind, "(a .docx archive)")
    if found == "html":                     # a web page saved as Word
        from indexer.formats import html

        return _as(html.read(path, data), kind, "(a web page)")
    if not found:
        raise UnreadableDocument(path, f"not a Word document: this .{kind} file is neither a "
                                       "Word/WPS compound file nor RTF")
    program = soffice()
    if program is None:
        raise UnreadableDocument(path, f".{kind} files need LibreOffice to be read: install "
                                       f"{PACKAGE} (soffice was not found)")
    with tempfile.TemporaryDirectory(prefix="policy-office-") as tmp:
        source = Path(tmp) / f"in.{found}"
        source.write_bytes(data)                # the bytes that were hashed, under a safe name
        out = Path(tmp) / "out"
        command = [program, f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}",
                   "--headless", "--norestore", "--convert-to", "docx", "--outdir", str(out),
                   str(source)]
        if FILTERS[found]:
            command.insert(3, f"--infilter={FILTERS[found]}")
        stderr = _run(path, command, tmp)
        converted = out / "in.docx"
        if not converted.exists():
            raise UnreadableDocument(path, f"damaged .{kind} file: LibreOffice could not convert "
                                           "it" + (f" ({stderr})" if stderr else ""))
        got = docx.read(path, converted.read_bytes())
    return replace(got, kind=kind, extractor=f"LibreOffice → {got.extractor}")


def _as(got: Extracted, kind: str, what: str) -> Extracted:
    return replace(got, kind=kind, extractor=f"{got.extractor} {what}")


def _run(path: Path, command: list[str], tmp: str) -> str:
    """Run a conversion in its own process group, its scratch files in ``tmp``; return the
    last line of its errors."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True, env={**os.environ, "TMPDIR": tmp})
    try:
        _, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise UnreadableDocument(path, f"LibreOffice took more than {TIMEOUT} s to convert "
                                       "it") from None
    lines = err.decode("utf-8", "replace").strip().splitlines()
    return lines[-1][:200] if lines else ""
