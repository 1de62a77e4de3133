"""Older Word formats (``.doc``, ``.wps``, ``.rtf``): converted to .docx by LibreOffice, then read
as a .docx (``formats.docx``).

Optional: it needs ``soffice`` (Debian: ``apt-get install libreoffice-writer``); without it such
files are skipped with a reason that names LibreOffice. Each conversion gets its own user profile
(``-env:UserInstallation``): conversions sharing one profile fail when run in parallel. A
conversion that takes longer than :data:`TIMEOUT` seconds is killed with its process group.
"""
from __future__ import annotations

import os
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
PACKAGE = "libreoffice-writer"


def soffice() -> str | None:
    """The LibreOffice program, when installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(path: Path, data: bytes) -> Extracted:
    """Convert ``path`` to .docx in a private folder and read that."""
    from indexer.formats import docx

    program = soffice()
    kind = path.suffix.lower().lstrip(".")
    if program is None:
        raise UnreadableDocument(path, f".{kind} files need LibreOffice to be read: install "
                                       f"{PACKAGE} (soffice was not found)")
    with tempfile.TemporaryDirectory(prefix="policy-office-") as tmp:
        source = Path(tmp) / f"in{path.suffix.lower()}"
        source.write_bytes(data)                # the bytes that were hashed, under a safe name
        out = Path(tmp) / "out"
        command = [program, f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}",
                   "--headless", "--norestore", "--convert-to", "docx", "--outdir", str(out),
                   str(source)]
        stderr = _run(path, command)
        converted = out / "in.docx"
        if not converted.exists():
            raise UnreadableDocument(path, f"LibreOffice could not convert this .{kind} file"
                                           + (f": {stderr}" if stderr else ""))
        got = docx.read(path, converted.read_bytes())
    return replace(got, kind=kind, extractor=f"LibreOffice → {got.extractor}")


def _run(path: Path, command: list[str]) -> str:
    """Run a conversion in its own process group; return the last line of its errors."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)
    try:
        _, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise UnreadableDocument(path, f"LibreOffice took more than {TIMEOUT} s to convert "
                                       "it") from None
    lines = err.decode("utf-8", "replace").strip().splitlines()
    return lines[-1][:200] if lines else ""
