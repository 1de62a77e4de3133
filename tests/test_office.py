"""Older Word formats through LibreOffice (``indexer.formats.office``), really converted.

The .doc is made by LibreOffice itself from a python-docx copy of a sample report; the .rtf is
written by hand. Without ``soffice`` these tests are skipped with that reason (the reason a
user gets is tested in test_formats.py); ``.ci/run`` installs libreoffice-writer-nogui.
"""
from __future__ import annotations

import os
import re
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest

from indexer.formats import UnreadableDocument, office
from indexer.pipeline import inspect_file
from indexer.reader import read_document
from tests import attachment_files as files
from tests.conftest import SAMPLE_DIR

pytestmark = pytest.mark.skipif(office.soffice() is None,
                                reason="LibreOffice (soffice) is not installed")
SAMPLES = sorted(SAMPLE_DIR.glob("*.txt"))
RTF = (r"{\rtf1\ansi{\fonttbl{\f0 SimSun;}}\f0 "
       r"\u26576?\u21439?2023\u24180?\u24230?\u27861?\u27835?\u25919?\u24220?\u24314?\u35774?"
       r"\u24773?\u20917?\u25253?\u21578?\par "
       r"\u20840?\u38754?\u25512?\u36827?\u20381?\u27861?\u34892?\u25919?\u12290?\par}")


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def to_doc(source: Path, out_dir: Path) -> Path:
    """Convert a .docx to Word 97 .doc with LibreOffice (its own profile, bounded time)."""
    profile = (out_dir / "profile").as_uri()
    subprocess.run([office.soffice(), f"-env:UserInstallation={profile}", "--headless",
                    "--norestore", "--convert-to", "doc", "--outdir", str(out_dir), str(source)],
                   check=True, capture_output=True, timeout=120,
                   env={**os.environ, "TMPDIR": str(out_dir)})
    return out_dir / (source.stem + ".doc")


@pytest.fixture(scope="module")
def doc_copy(tmp_path_factory) -> tuple[Path, Path]:
    """A sample report as .docx (python-docx) and as .doc (LibreOffice from that .docx)."""
    folder = tmp_path_factory.mktemp("office")
    sample = SAMPLES[3]
    docx = folder / f"{sample.stem}.docx"
    files.report_docx(sample.read_text(encoding="utf-8"), docx)
    return sample, to_doc(docx, folder)


def test_a_doc_copy_of_a_sample_gives_its_text_and_metadata(doc_copy):
    sample, doc = doc_copy
    got, expected = inspect_file(doc), inspect_file(sample)
    assert got["reader"]["kind"] == "doc"
    assert got["reader"]["extractor"].startswith("LibreOffice → python-docx")
    assert compact(got["text"]) == compact(expected["text"])
    for key in ("title", "year", "province", "city", "county", "issuer", "published"):
        assert got[key] == expected[key], key
    assert files.RUNNING_HEADER not in got["text"]         # the header stays out


def test_a_hand_written_rtf_is_read():
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.rtf"
        path.write_text(RTF, encoding="ascii")
        doc = read_document(path)
    assert doc.kind == "rtf"
    assert doc.text.split("\n") == ["某县2023年度法治政府建设情况报告", "全面推进依法行政。"]


def test_conversions_run_side_by_side_each_with_its_own_profile(doc_copy, tmp_path):
    _, doc = doc_copy
    paths = [tmp_path / f"copy{i}.doc" for i in range(3)]
    for path in paths:
        path.write_bytes(doc.read_bytes())
    results: dict[Path, object] = {}

    def read(path: Path) -> None:
        try:
            results[path] = read_document(path).text
        except UnreadableDocument as exc:                  # noqa: PERF203 - kept to assert on
            results[path] = exc
    threads = [threading.Thread(target=read, args=(p,)) for p in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    texts = [results[p] for p in paths]
    assert all(isinstance(t, str) for t in texts), texts
    assert len(set(texts)) == 1


def test_a_conversion_past_its_time_is_killed_and_leaves_nothing(doc_copy, tmp_path,
                                                                 monkeypatch):
    _, doc = doc_copy
    monkeypatch.setattr(office, "TIMEOUT", 0.2)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(UnreadableDocument) as info:
        read_document(doc)
    assert info.value.reason == "LibreOffice took more than 0.2 s to convert it"
    assert list(tmp_path.iterdir()) == []                 # profile and copies removed


def test_a_damaged_doc_is_a_skip_with_a_reason(tmp_path):
    path = tmp_path / "broken.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)
    with pytest.raises(UnreadableDocument) as info:
        read_document(path)
    assert info.value.reason.startswith("damaged .doc file: LibreOffice could not convert it")
