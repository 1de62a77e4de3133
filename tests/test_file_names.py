"""File names that are not valid UTF-8 (GBK names from zips made on Windows) index like others.

Linux hands such names to Python with lone surrogates; UTF-8 cannot encode them, and one of
them used to abort the whole run. Now the file is read and indexed, its name shown with the
undecodable bytes escaped, and the files beside it index as always.
"""
from __future__ import annotations

import json
import os
import sys

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.build import build_index
from indexer.names import printable
from indexer.pipeline import process_file
from search import engine
from search.engine import SearchRequest
from search.store import IndexHandle
from web import create_app
from web.cli import cli

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="Linux file names are bytes")

GBK_NAME = "国家报告".encode("gbk") + b".txt"          # b'\xb9\xfa\xbc\xd2\xb1\xa8\xb8\xe6.txt'


def os_name(raw: bytes) -> str:
    return os.fsdecode(raw)


@pytest.fixture()
def gbk_corpus(corpus):
    first = next(corpus.glob("000_*.txt"))
    target = corpus / os_name(GBK_NAME)
    first.rename(target)
    return corpus, target


def test_printable_escapes_only_undecodable_bytes():
    # \xd2\xb1 happens to be valid UTF-8 (ұ): only the undecodable bytes are escaped.
    assert printable(os_name(GBK_NAME)) == "\\xb9\\xfa\\xbcұ\\xa8\\xb8\\xe6.txt"
    assert printable("忻府区报告.txt") == "忻府区报告.txt"
    assert printable(os_name("报告".encode() + b"\xff.txt")) == "报告\\xff.txt"


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_gbk_file_name_indexes_with_its_neighbours(gbk_corpus, tmp_path, jobs):
    corpus, target = gbk_corpus
    index_dir = tmp_path / "index"
    report = build_index([corpus], index_dir, jobs=jobs)
    assert (report.added, report.skipped) == (5, [])
    json.dumps(report.to_dict(), ensure_ascii=False).encode("utf-8")
    handle = IndexHandle(index_dir)
    results = engine.search(handle, SearchRequest(q="", page_size=10))
    paths = sorted(h.path for h in results.hits)
    assert printable(str(target)) in paths and len(paths) == 5
    again = build_index([corpus], index_dir, jobs=jobs)          # the manifest round-trips
    assert (again.unchanged, again.added, again.removed) == (5, 0, 0)
    target.write_text(target.read_text(encoding="utf-8") + "\n补充：数据共享交换平台。",
                      encoding="utf-8")
    changed = build_index([corpus], index_dir, jobs=jobs)
    assert (changed.updated, changed.added, changed.removed) == (1, 0, 0)
    assert engine.search(IndexHandle(index_dir), SearchRequest(q="数据共享交换平台")).total >= 1
    target.unlink()
    gone = build_index([corpus], index_dir, jobs=jobs)
    assert (gone.removed, gone.documents) == (1, 4)
    assert engine.search(IndexHandle(index_dir), SearchRequest(q="")).total == 4


def test_cli_and_web_show_the_escaped_name(gbk_corpus, tmp_path):
    corpus, target = gbk_corpus
    index_dir = tmp_path / "index"
    runner = CliRunner()
    result = runner.invoke(cli, ["index", str(corpus), "--index-dir", str(index_dir), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["added"] == 5
    result = runner.invoke(cli, ["inspect", str(target), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["path"].endswith("\\xb9\\xfa\\xbcұ\\xa8\\xb8\\xe6.txt")
    result = runner.invoke(cli, ["search", "", "--index-dir", str(index_dir), "--json"])
    assert result.exit_code == 0, result.output
    assert printable(str(target)) in {h["path"] for h in json.loads(result.output)["hits"]}
    client = create_app({"index_dir": str(index_dir)}).test_client()
    hits = client.get("/api/search?q=").get_json()["hits"]
    [hit] = [h for h in hits if h["path"] == printable(str(target))]
    assert client.get(f"/report/{hit['id']}").status_code == 200
    assert client.get("/export.csv?q=").get_data(as_text=True).count("\n") == 6


def test_a_gbk_folder_name_is_a_root_like_any_other(corpus, tmp_path):
    folder = tmp_path / os_name("山西".encode("gbk"))
    corpus.rename(folder)
    index_dir = tmp_path / "index"
    assert build_index([folder], index_dir, jobs=1).added == 5
    result = CliRunner().invoke(cli, ["index", "--index-dir", str(index_dir)])   # the last roots
    assert result.exit_code == 0, result.output
    assert "0 added, 0 updated, 0 removed, 5 unchanged" in result.output


# Arbitrary bytes, as a zip or a copy from another system may leave them (no NUL, no slash).
NAME_BYTES = st.binary(min_size=1, max_size=40).map(
    lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_")).filter(
    lambda b: not b.startswith(b".") and len(b) <= 200)


@settings(max_examples=200, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=NAME_BYTES)
def test_any_file_name_reads_and_prints(tmp_path, raw):
    path = tmp_path / os_name(raw + b".txt")
    path.write_text("某县2021年度法治政府建设情况报告\n2021年，某县推进依法行政。", encoding="utf-8")
    try:
        record = process_file(str(path))
        assert isinstance(record, dict), record
        printable(record["path"]).encode("utf-8")
        json.dumps({record["path"]: 1}, ensure_ascii=False).encode("utf-8", "surrogateescape")
    finally:
        path.unlink()


def test_many_odd_names_in_one_build(tmp_path):
    import random

    rng = random.Random(7)
    folder = tmp_path / "odd"
    folder.mkdir()
    names = set()
    while len(names) < 40:
        raw = bytes(rng.choice([*range(0x21, 0x2f), *range(0x30, 0x7f), *range(0x80, 0x100)])
                    for _ in range(rng.randint(1, 12)))
        if not raw.startswith(b"."):
            names.add(raw + b".txt")
    for i, raw in enumerate(sorted(names)):
        (folder / os_name(raw)).write_text(f"某县{2000 + i}年度法治政府建设情况报告\n全文{i}。",
                                           encoding="utf-8")
    report = build_index([folder], tmp_path / "index", jobs=2)
    assert (report.added, report.skipped) == (40, [])
    assert engine.search(IndexHandle(tmp_path / "index"), SearchRequest(q="")).total == 40
    assert build_index([folder], tmp_path / "index", jobs=2).unchanged == 40
