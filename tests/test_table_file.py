"""search.table_file: the facet table written at publish time and mapped, never wrong.

The mapped table must equal what the columns give (the slow path it replaces), follow every
reindex (its own table per build, deletions included), and be ignored when it does not belong to
the build it sits in.
"""
from __future__ import annotations

import json
import os

import numpy as np

from indexer.build import build_index
from search import engine, facets, table_file
from search.engine import SearchRequest
from search.store import IndexHandle, current_build


def _tables(index_dir):
    """``(mapped, computed)`` tables of the live build."""
    build = current_build(index_dir)
    handle = IndexHandle(index_dir)
    reader = handle.snapshot().searcher.reader()
    return (table_file.read(build.path, reader), table_file.compute(str(build.path), reader),
            build)


def _assert_same(mapped, computed):
    assert mapped is not None, "the published table was not used"
    assert mapped["key"] == json.loads(json.dumps(computed["key"]))
    assert mapped["values"] == computed["values"]
    assert mapped["labels"] == computed["labels"]
    assert mapped["live_reports"] == computed["live_reports"]
    sections = {name for name in mapped["arrays"] if name.startswith("sections.")}
    assert sections and set(mapped["arrays"]) - sections == set(computed["arrays"])
    for name, array in computed["arrays"].items():
        assert np.array_equal(mapped["arrays"][name], array), name


def test_a_published_build_carries_its_table_and_it_equals_the_columns(corpus, tmp_path):
    index_dir = tmp_path / "index"
    build_index([corpus], index_dir, jobs=1)
    mapped, computed, build = _tables(index_dir)
    _assert_same(mapped, computed)
    assert computed["values"]["province"], "the sample reports have provinces"
    assert isinstance(mapped["arrays"]["codes.year"], np.ndarray)


def test_a_reindex_writes_a_new_table_with_its_deletions(corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("POLICY_MERGE_MEMORY_MB", "1")   # no merge: the deletions stay in place
    index_dir = tmp_path / "index"
    build_index([corpus], index_dir, jobs=1)
    first = current_build(index_dir)
    changed = next(corpus.glob("002_*.txt"))
    changed.write_text(changed.read_text(encoding="utf-8") + "\n补充：表格映射。", encoding="utf-8")
    next(corpus.glob("001_*.txt")).unlink()
    build_index([corpus], index_dir, jobs=1)
    mapped, computed, build = _tables(index_dir)
    assert build.name != first.name
    _assert_same(mapped, computed)
    old = os.stat(first.path / table_file.BIN)
    new = os.stat(build.path / table_file.BIN)
    assert old.st_ino != new.st_ino, "a new build must not link its base build's table"
    live = mapped["arrays"]["live"]
    assert int(live.sum()) == len(list(corpus.glob("*.txt")))
    assert not live.all(), "the replaced and removed reports are deleted documents"
    handle = IndexHandle(index_dir)
    assert engine.search(handle, SearchRequest(q="表格映射")).total == 1
    assert engine.search(handle, SearchRequest()).total == int(live.sum())


def test_a_table_of_another_build_or_a_damaged_one_is_ignored(corpus, tmp_path):
    index_dir = tmp_path / "index"
    build_index([corpus], index_dir, jobs=1)
    build = current_build(index_dir)
    expected = engine.search(IndexHandle(index_dir), SearchRequest(q="行政")).to_dict()
    meta = json.loads((build.path / table_file.JSON).read_text(encoding="utf-8"))
    meta["key"][1] += 1                                   # as if written for another build
    meta["values"]["province"] = ["999999"] * len(meta["values"]["province"])
    (build.path / table_file.JSON).write_text(json.dumps(meta), encoding="utf-8")
    reader = IndexHandle(index_dir).snapshot().searcher.reader()
    assert table_file.read(build.path, reader) is None
    got = engine.search(IndexHandle(index_dir), SearchRequest(q="行政")).to_dict()
    assert got["facets"] == expected["facets"] and got["total"] == expected["total"]
    (build.path / table_file.BIN).write_bytes(b"\0" * 8)   # cut short
    meta["key"][1] -= 1
    (build.path / table_file.JSON).write_text(json.dumps(meta), encoding="utf-8")
    assert table_file.read(build.path, reader) is None
    (build.path / table_file.JSON).unlink()
    assert table_file.read(build.path, reader) is None
    got = engine.search(IndexHandle(index_dir), SearchRequest(q="行政")).to_dict()
    assert got["facets"] == expected["facets"]


def test_copy_lists_still_come_from_the_groups(built_index):
    handle = IndexHandle(built_index)
    table = facets.facet_table(handle.snapshot())
    for d in np.flatnonzero(table.live_mask):
        group = table.copies.of(int(d))
        assert group["copies"] >= 1 and group["group"]


def test_the_section_table_written_at_publish_equals_the_stored_spans(built_index):
    """``section_index.SectionTable`` from the mapped arrays is the one the stored section
    strings give, and a section search uses it."""
    from search import section_index

    handle = IndexHandle(built_index)
    snap = handle.snapshot()
    table = facets.facet_table(snap)
    assert table.section_arrays
    mapped = section_index.SectionTable.from_arrays(table.section_arrays,
                                                    len(table.postings.segments))
    reader = snap.searcher.reader()
    computed = section_index.SectionTable(table.postings, list(reader.column_reader("sections")))
    assert any(len(lo) for pairs in computed.within.values() for lo, _ in pairs)
    for kind in section_index.KINDS:
        assert np.array_equal(mapped.has[kind], computed.has[kind])
        assert len(mapped.within[kind]) == len(computed.within[kind])
        for (lo, hi), (clo, chi) in zip(mapped.within[kind], computed.within[kind]):
            assert np.array_equal(lo, clo) and np.array_equal(hi, chi)
    assert np.array_equal(mapped.found, computed.found)
    assert section_index.section_table(snap.searcher, table).has["不足"] is table.section_arrays[
        "sections.has.不足"]
    assert section_index.SectionTable.from_arrays(table.section_arrays, 99) is None
