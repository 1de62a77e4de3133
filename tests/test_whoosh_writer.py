"""The Whoosh internals our builds rely on (indexer/whoosh_writer.py), and the guard that keeps
plain Whoosh writers, which know nothing of our postings, away from our builds."""
from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import pytest
from whoosh import writing

from indexer import whoosh_writer
from indexer.build import build_index
from search import engine, store
from search.engine import SearchRequest
from search.postings import EXT, postings_path
from search.store import IndexHandle, PlainWriterRefused


def test_whoosh_is_the_pinned_version():
    assert version("whoosh-reloaded") == "2.7.5"
    setup = (Path(__file__).resolve().parent.parent / "setup.cfg").read_text(encoding="utf-8")
    assert "whoosh-reloaded==2.7.5" in setup


def test_the_private_steps_exist_with_the_signatures_relied_on():
    import inspect

    sig = {name: list(inspect.signature(getattr(writing.SegmentWriter, name)).parameters)
           for name in ("_finalize_segment", "_close_segment", "_merge_segments",
                        "_commit_toc", "_finish", "add_reader")}
    assert sig == {"_finalize_segment": ["self"], "_close_segment": ["self"],
                   "_merge_segments": ["self", "mergetype", "optimize", "merge"],
                   "_commit_toc": ["self", "segments"], "_finish": ["self"],
                   "add_reader": ["self", "reader"]}


def test_the_column_copy_relied_on_exists(tmp_path):
    """Assumption 6: the per-document writer's columns are a CompoundWriter read back by
    ``_readback``; ours writes the same files and closes each one."""
    from whoosh import index
    from whoosh.filedb.compound import CompoundWriter

    from indexer.segment_writer import SegmentWriter
    from search.schema import build_schema

    ix = index.create_in(str(tmp_path), build_schema())
    writer = SegmentWriter(ix)
    try:
        assert isinstance(writer.perdocwriter._cols, CompoundWriter)
        assert hasattr(CompoundWriter, "_readback") and hasattr(CompoundWriter, "save_as_files")
        assert "save_as_files" in vars(writer.perdocwriter._cols)        # ours, not Whoosh's
    finally:
        writer.cancel()


def segments_and_postings(build: Path):
    ix = store.open_build(store.Build(build, {}))
    segments = ix._segments()
    with_postings = {s.segment_id() for s in segments if postings_path(build, s).exists()}
    files = {p.name for p in build.glob("*" + EXT)}
    return segments, with_postings, files


def test_every_segment_keeps_its_postings_and_merged_ones_leave_none_behind(corpus, tmp_path,
                                                                           monkeypatch):
    monkeypatch.setenv("POLICY_WRITER_MEMORY_MB", "1")       # tiny segments: merges happen
    index_dir = tmp_path / "index"
    build_index([corpus], index_dir, jobs=1)
    for n in range(6):                                        # incremental runs, each merging
        (corpus / f"new{n}.txt").write_text(f"某县{2015 + n}年度法治政府建设情况报告\n第{n}份。",
                                            encoding="utf-8")
        build_index([corpus], index_dir, jobs=1)
    build = store.current_build(index_dir).path
    segments, with_postings, files = segments_and_postings(build)
    assert {s.segment_id() for s in segments if s.doc_count_all()} <= with_postings
    # Assumption 4: the cleaner deleted the postings of every segment merged away.
    assert len(files) == len([s for s in segments if postings_path(build, s).exists()])
    assert engine.search(IndexHandle(index_dir), SearchRequest(q="")).total == 11


@pytest.mark.parametrize("call", [lambda ix: ix.optimize(), lambda ix: ix.writer(),
                                  lambda ix: ix.delete_by_term("id", "x")])
def test_plain_whoosh_writers_are_refused_on_our_builds(built_index, call):
    build = store.current_build(built_index)
    with pytest.raises(PlainWriterRefused, match="would drop the index's text postings"):
        call(store.open_build(build))


def test_a_segment_without_postings_is_never_published(corpus, tmp_path, monkeypatch):
    """A plain Whoosh segment slipped into a build (as a careless merge would make) stops the
    build before its table of contents is written; the live index is unchanged."""
    index_dir = tmp_path / "index"
    first = build_index([corpus], index_dir, jobs=1)
    real = whoosh_writer.finalize_segment

    def plain_segment(writer):
        segment = real(writer)
        postings_path(writer.storage.folder, segment).unlink()     # as Whoosh alone writes it
        return segment
    monkeypatch.setattr(whoosh_writer, "finalize_segment", plain_segment)
    (corpus / "new.txt").write_text("某县2021年度法治政府建设情况报告\n新增。", encoding="utf-8")
    with pytest.raises(whoosh_writer.MissingPostings, match="have no text postings"):
        build_index([corpus], index_dir, jobs=1)
    assert store.current_build(index_dir).name == first.build
    assert engine.search(IndexHandle(index_dir), SearchRequest(q="")).total == 5


def test_missing_length_columns_are_looked_up_once_per_segment(built_index, monkeypatch):
    """Assumption 7: after ``remember_missing_lengths``, asking a document's length in a field
    without a length column reads nothing from disk and answers 0, as Whoosh's own lookup does."""
    from whoosh.reading import SegmentReader

    build = store.current_build(built_index)
    ix = store.open_build(build)
    segment = ix._segments()[0]
    reader = SegmentReader(ix.storage, ix.schema, segment)
    try:
        expected = {name: reader.doc_field_length(0, name) for name in ix.schema.names()}
        whoosh_writer.remember_missing_lengths(reader)
        assert None in reader._perdoc._readers.values()
        looked_up = []
        real = ix.storage.file_exists
        monkeypatch.setattr(ix.storage, "file_exists", lambda name: looked_up.append(name) or
                            real(name))
        assert {name: reader.doc_field_length(0, name) for name in ix.schema.names()} == expected
        assert looked_up == []
    finally:
        reader.close()
