"""Bad report files, all in one index run with good ones: every good file is searchable, every
bad one is skipped with its specific reason, and the run exits with the documented status 3.

The run is a real ``policy-search index`` in a subprocess (two worker processes). Files vanish
or change between the walk and the processing: the subprocess wraps the walk so that, once it
is over (every file has been listed and stat'ed), it deletes, empties, replaces or rewrites some
of them. Unreadable permissions are real too: root reads any file, so as root the run drops the
capabilities that let it (``setpriv --bounding-set -dac_override,-dac_read_search``).
"""
from __future__ import annotations

import codecs
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.build import build_index
from indexer.pipeline import Skipped, process_file
from indexer.reader import BINARY
from search import engine
from search.engine import SearchRequest
from search.store import IndexHandle

from conftest import ROOT, SAMPLE_DIR

UNDECODABLE = "cannot decode: not UTF-8, GB18030, Big5 or UTF-16"
BRANCHES = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"


def marker(n: int) -> str:
    """A phrase found in exactly one file of the run (麒麟甲锦鲤, 麒麟乙锦鲤, …)."""
    return f"麒麟{BRANCHES[n]}锦鲤"


def report(mark: str, place: str = "某县") -> str:
    return (f"{place}2023年度法治政府建设情况报告\n"
            f"2023年，{place}深入推进{mark}试点工作，全面推行行政执法三项制度。\n")


def traditional_report(mark: str) -> str:
    mark = mark.replace("锦鲤", "錦鯉")
    return f"某縣2023年度法治政府建設情況報告\n2023年，某縣深入推進{mark}試點工作，全面推行行政執法三項制度。\n"


def html_page(body: str, charset: str = "utf-8") -> str:
    return (f'<html><head><meta charset="{charset}"><title>报告_某县人民政府</title></head>'
            f"<body>{body}</body></html>")


# name → (bytes, marker). Supported encodings and broken-but-readable HTML must be indexed.
def good_files() -> dict[str, tuple[bytes, str]]:
    texts = {n: report(marker(n)) for n in range(len(BRANCHES))}
    return {
        "good_utf8.txt": (texts[0].encode("utf-8"), marker(0)),
        "good_utf8_bom.txt": (codecs.BOM_UTF8 + texts[1].encode("utf-8"), marker(1)),
        "good_gbk.txt": (texts[2].encode("gbk"), marker(2)),
        "good_gb2312_meta.html": (html_page(f"<p>{texts[3]}</p>", "gb2312").encode("gb18030"),
                                  marker(3)),
        "good_big5.txt": (traditional_report(marker(4)).encode("big5"), marker(4)),
        "good_utf16le.txt": (texts[5].encode("utf-16-le"), marker(5)),
        "good_utf16be.txt": (texts[6].encode("utf-16-be"), marker(6)),
        "good_utf16le_bom.txt": (codecs.BOM_UTF16_LE + texts[7].encode("utf-16-le"), marker(7)),
        "good_utf16be_bom.txt": (codecs.BOM_UTF16_BE + texts[8].encode("utf-16-be"), marker(8)),
        "good_deep_unclosed.html": (("<html><body>" + "<div>" * 50_000 + texts[9]).encode(),
                                    marker(9)),
        "good_unclosed_script.html": (html_page(f"<div><p>{texts[10]}<script>var x = '<p>")
                                      .encode(), marker(10)),
        "nested/deeper/good_behind_a_loop.txt": (texts[11].encode(), marker(11)),
        # A download cut inside its last character: read as UTF-8 without that character.
        "good_truncated_utf8.txt": (texts[21].encode()[:-2], marker(21)),
        # One character damaged mid-file: UTF-8 minus that character, not GB18030 mojibake.
        "good_damaged_utf8.txt": (report("麒麟乾锦鲤").encode()[:40] + b"\xff"
                                  + report("麒麟乾锦鲤").encode()[41:], "麒麟乾锦鲤"),
    }


# name → (bytes, reason). Their markers (where they have text) must find nothing.
def bad_files() -> dict[str, tuple[bytes, str]]:
    rng = random.Random(20240501)
    return {
        "bad_random.txt": (rng.randbytes(4096), BINARY),
        "bad_random_high_bytes.txt": (bytes(rng.randrange(0x80, 0x100) for _ in range(4096)),
                                      UNDECODABLE),
        "bad_truncated_utf16.txt": (codecs.BOM_UTF16_LE + report(marker(12)).encode("utf-16-le")
                                    + b"\x8b", "cannot decode: invalid utf-16 after its "
                                               "byte-order mark"),
        "bad_nul_inside.txt": (report(marker(13)).encode().replace("，".encode(), b"\x00", 1),
                               BINARY),
        "bad_empty.txt": (b"", "empty file"),
        "bad_blank.txt": (" \r\n\t\n\u3000\n".encode(), "empty file (only whitespace)"),
        "bad_deep_no_text.html": (("<html><body>" + "<div><span>" * 20_000).encode(),
                                  "no text found in HTML"),
        "bad_chrome_only.txt": ("打印本页 | 关闭窗口\n当前位置：首页 > 政务公开\n分享到：微信 微博\n".encode(),
                                "no text left after removing page chrome"),
        "bad_unreadable.txt": (report(marker(14)).encode(), "permission denied"),
        # Disturbed between the walk and the processing (see DISTURB):
        "bad_vanished.txt": (report(marker(15)).encode(), "file vanished while reading"),
        "bad_emptied.txt": (report(marker(16)).encode(), "empty file"),
        "bad_replaced_by_a_folder.txt": (report(marker(17)).encode(),
                                         "is a directory, not a file"),
    }


HUGE = "bad_huge.txt"
HUGE_REASON = "file too large: 50.0 MB > limit 20.0 MB (set POLICY_MAX_FILE_BYTES)"
CHANGED_OLD, CHANGED_NEW = marker(18), marker(19)

DISTURB = r"""
import sys
from pathlib import Path

import indexer.build as build
from web.cli import cli

corpus, new_text = Path(sys.argv[1]), sys.argv[2]
walk = build.iter_report_files


def walk_then_disturb(paths, others=None):
    yield from walk(paths, others)
    # The walk is over and every file was stat'ed; processing has not started.
    (corpus / "bad_vanished.txt").unlink()
    (corpus / "bad_emptied.txt").write_bytes(b"")
    (corpus / "bad_replaced_by_a_folder.txt").unlink()
    (corpus / "bad_replaced_by_a_folder.txt").mkdir()
    (corpus / "changed.txt").write_text(new_text, encoding="utf-8")


build.iter_report_files = walk_then_disturb
cli(sys.argv[3:], prog_name="policy-search")
"""


def without_read_override() -> list[str]:
    """Return the command prefix that makes permission bits apply to this process."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: an unreadable file cannot be made honestly")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]


def make_corpus(corpus: Path) -> None:
    shutil.copytree(SAMPLE_DIR, corpus)
    for name, (data, _) in {**good_files(), **bad_files()}.items():
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / name).write_bytes(data)
    (corpus / "changed.txt").write_text(report(CHANGED_OLD), encoding="utf-8")
    with open(corpus / HUGE, "wb") as fh:                 # sparse: written in no time
        fh.write(report(marker(20)).encode())
        fh.truncate(50 * 2**20)
    (corpus / "bad_unreadable.txt").chmod(0)
    (corpus / "nested" / "deeper" / "loop").symlink_to("../..", target_is_directory=True)
    (corpus / "nested" / "self_loop").symlink_to("self_loop")


def hits(handle: IndexHandle, q: str) -> list[str]:
    results = engine.search(handle, SearchRequest(q=q, page_size=100))
    return sorted(Path(h.path).name for h in results.hits)


def test_one_run_indexes_every_good_file_and_skips_every_bad_one(tmp_path, capsys):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    make_corpus(corpus)
    prefix = without_read_override()
    proc = subprocess.run(
        [*prefix, sys.executable, "-c", DISTURB, str(corpus), report(CHANGED_NEW),
         "index", str(corpus), "--index-dir", str(index_dir), "--jobs", "2", "--json"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
        timeout=300)
    (corpus / "bad_unreadable.txt").chmod(0o644)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 3, proc.stderr
    summary = json.loads(proc.stdout)

    expected_skips = {name: reason for name, (_, reason) in bad_files().items()}
    expected_skips[HUGE] = HUGE_REASON
    skipped = {str(Path(s["path"]).relative_to(corpus)): s["reason"] for s in summary["skipped"]}
    assert skipped == expected_skips
    good = [*(p.name for p in SAMPLE_DIR.glob("*.txt")), *good_files(), "changed.txt"]
    assert (summary["added"], summary["documents"]) == (len(good), len(good))

    handle = IndexHandle(index_dir)
    for name, (_, mark) in good_files().items():
        assert hits(handle, mark) == [Path(name).name], name
    assert hits(handle, CHANGED_NEW) == ["changed.txt"] and hits(handle, CHANGED_OLD) == []
    for n in [*range(12, 18), 20]:                     # the markers inside the bad files
        assert hits(handle, marker(n)) == [], marker(n)
    # These reports differ only in their marker: copies of one report (indexer.copies), so
    # every file is counted with copies=all.
    assert engine.search(handle, SearchRequest(q="", copies="all")).total == len(good)
    with capsys.disabled():
        print(f"\nfuzz files: {len(good)} good indexed, {len(skipped)} bad skipped, "
              f"0 crashes (exit status {proc.returncode})")


def test_a_report_name_that_is_a_symlink_loop_is_reported(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(report(marker(0)), encoding="utf-8")
    (corpus / "self_loop.txt").symlink_to("self_loop.txt")
    (corpus / "dangling.txt").symlink_to("missing.txt")
    result = build_index([corpus], tmp_path / "index", jobs=1)
    assert result.added == 1
    assert sorted(Path(p).name for p, _ in result.skipped) == ["dangling.txt", "self_loop.txt"]


def test_utf8_cut_inside_a_character_is_never_indexed_as_mojibake(tmp_path):
    text = "某县法治政府建设情况报告\n某县深入推进麒麟甲锦鲤试点工作，全面推行行政执法三项制度。"
    path = tmp_path / "cut.txt"
    path.write_bytes(text.encode()[:-1])
    result = process_file(str(path))
    if isinstance(result, Skipped):
        assert result.reason == UNDECODABLE
    else:
        assert (result["encoding"], text.startswith(result["content"])) == ("utf-8", True)


@pytest.mark.parametrize("size, indexed", [(1000, True), (1001, False)])
def test_the_size_limit_comes_from_the_environment(tmp_path, monkeypatch, size, indexed):
    monkeypatch.setenv("POLICY_MAX_FILE_BYTES", "1000")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = report(marker(0)).encode()
    (corpus / "report.txt").write_bytes(text + b"\n" + "。".encode() * ((size - len(text) - 1) // 3)
                                        + b" " * ((size - len(text) - 1) % 3))
    assert (corpus / "report.txt").stat().st_size == size
    result = build_index([corpus], tmp_path / "index", jobs=1)
    assert result.added == int(indexed)
    assert result.skipped == ([] if indexed else [
        (str(corpus / "report.txt"),
         "file too large: 1001 bytes > limit 1000 bytes (set POLICY_MAX_FILE_BYTES)")])


@pytest.mark.parametrize("disturb, reason", [
    (lambda p: p.unlink(), "file vanished while reading"),
    (lambda p: p.write_bytes(b""), "empty file"),
    (lambda p: (p.unlink(), p.mkdir()), "is a directory, not a file"),
    (lambda p: p.write_bytes(b"\x00\x01\x02" * 100), BINARY),
])
def test_process_file_after_the_file_changed(tmp_path, disturb, reason):
    path = tmp_path / "report.txt"
    path.write_text(report(marker(0)), encoding="utf-8")
    disturb(path)
    assert process_file(str(path)) == Skipped(str(path), reason)


KNOWN_REASONS = {BINARY, UNDECODABLE, "empty file", "empty file (only whitespace)",
                 "no text found in HTML", "no text left after removing page chrome",
                 "cannot decode: invalid utf-16 after its byte-order mark",
                 "cannot decode: invalid utf-32 after its byte-order mark",
                 "cannot decode: invalid utf-8-sig after its byte-order mark"}
fragments = st.sampled_from([b"\x00", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"<html>",
                             b"<body>", b"<div>", b"<p>", b"\n", b"\r\n", b"\x1b", b"\x7f",
                             "法治政府建设".encode(), "法治政府建设".encode("gbk"),
                             "法治政府建設".encode("big5"), "法治".encode("utf-16-le"), b"2023"])
file_bytes = st.lists(fragments | st.binary(max_size=40), max_size=30).map(b"".join)


@settings(max_examples=120, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=file_bytes, suffix=st.sampled_from([".txt", ".html"]))
def test_process_file_never_raises_on_any_bytes(tmp_path, data, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    result = process_file(str(path))
    if isinstance(result, Skipped):
        assert result.reason in KNOWN_REASONS
    else:
        assert result["path"] == str(path) and result["size"] == len(data)
        assert any(ch.isalnum() for ch in result["content"])
