"""The section facet's counts, from one search per term, are the totals of its five queries.

``engine.count_each`` evaluates ``QUERY section:KIND`` for every kind with each term's positions
searched once (``postings.counts_within``), where the facet used to run five searches. Checked
against ``engine.matching_docs`` of each query, under filters and both copies rules.
"""
from __future__ import annotations

import pytest

from search import engine, section_index
from search.engine import SearchRequest
from search.query import parse

QUERIES = ["", "执法", "行政复议", "法治 政府", "执法 OR 复议", "执法 -复议", "-执法",
           '"依法行政"', "(营商环境 OR 复议) 法", "不存在的词语组合", "法", "行政復議"]


@pytest.mark.parametrize("q", QUERIES)
@pytest.mark.parametrize("filters", [{}, {"level": ("city",)}, {"copies": "all"},
                                     {"year_from": 2021}])
def test_counts_are_the_totals_of_each_section_query(handle, q, filters):
    snap = handle.snapshot()
    request = SearchRequest(q=q, **filters)
    trees = {kind: parse(f"{q} section:{kind}".strip()) for kind in section_index.KINDS}
    counts = engine.count_each(snap, request, trees)
    expected = {kind: len(engine.matching_docs(snap, SearchRequest(
        q=f"{q} section:{kind}".strip(), **filters))[1]) for kind in section_index.KINDS}
    assert counts == expected
    assert any(counts.values()) or q in ("不存在的词语组合",) or q.startswith("-")


@pytest.mark.parametrize("q", QUERIES)
def test_counts_from_the_page_s_own_search_are_the_same(handle, q):
    """The web app hands the section facet what its search kept (``search(keep=…)``)."""
    from search import facets
    from search.matching import TermCache

    snap = handle.snapshot()
    table = facets.facet_table(snap)
    table.term_cache = TermCache(table.term_cache.max_bytes)        # positions searched anew
    request = SearchRequest(q=q)
    trees = {kind: parse(f"{q} section:{kind}".strip()) for kind in section_index.KINDS}
    seen: dict = {}
    results = engine.search(handle, request, keep=seen)
    assert results.total == engine.search(handle, request).total
    assert engine.count_each(snap, request, trees, seen) == engine.count_each(snap, request, trees)
    assert all(kept.get("skip") is None for kept in seen.values())


def test_counts_within_lay_several_segments_end_to_end(tmp_path, monkeypatch):
    """Two reindexes leave two segments (and a deletion): the counts per kind, found over the
    segments laid end to end, are each kind's own search."""
    import numpy as np

    monkeypatch.setenv("POLICY_MERGE_MEMORY_MB", "1")      # keep both segments: no merge
    from indexer.build import build_index
    from search import facets
    from search.analysis import analyze
    from search.store import IndexHandle

    from conftest import SAMPLE_DIR

    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    samples = sorted(SAMPLE_DIR.glob("*.txt"))
    for n, path in enumerate(samples[:3]):
        (corpus / f"a{n}.txt").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    build_index([corpus], index_dir, jobs=1)
    for n, path in enumerate(samples[3:]):
        (corpus / f"b{n}.txt").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (corpus / "a1.txt").unlink()
    build_index([corpus], index_dir, jobs=1)
    snap = IndexHandle(index_dir).snapshot()
    table = facets.facet_table(snap)
    assert len([s for _, s in table.postings.segments if s.docs]) >= 2
    sections = section_index.section_table(snap.searcher, table)
    for q in ["执法", "法", "行政复议", "营商环境", "证照分离"]:
        analyzed = analyze(q, mode="query")
        got = table.postings.counts_within("content", analyzed, sections.within)
        for kind in section_index.KINDS:
            want = table.postings.phrase_counts("content", analyzed, sections.within[kind])
            assert np.array_equal(got[kind], want), (q, kind)
        assert any(got[kind].any() for kind in section_index.KINDS) or q == "营商环境"


def test_a_term_s_sections_are_searched_once_per_build_then_read_from_the_term_cache(
        handle, monkeypatch):
    """The facet of a page asked again (its second page, the same query later) reads each
    term's documents per kind of section from the build's term cache: the same counts, and no
    second search of the term's positions."""
    from search import facets, postings
    from search.matching import TermCache

    snap = handle.snapshot()
    table = facets.facet_table(snap)
    table.term_cache = TermCache(table.term_cache.max_bytes)
    searched = []
    original = postings.BuildPostings.counts_within

    def counting(self, field, analyzed, within, kept=None):
        searched.append(analyzed)
        return original(self, field, analyzed, within, kept)

    monkeypatch.setattr(postings.BuildPostings, "counts_within", counting)
    for q in ["行政复议 营商环境", '"依法行政"', "执法 -复议"]:
        trees = {kind: parse(f"{q} section:{kind}") for kind in section_index.KINDS}
        first = engine.count_each(snap, SearchRequest(q=q), trees)
        asked = len(searched)
        assert asked >= 1
        again = engine.count_each(snap, SearchRequest(q=q, level=("city",)), trees)
        assert len(searched) == asked, q                 # nothing searched the second time
        assert engine.count_each(snap, SearchRequest(q=q), trees) == first
        assert again == {kind: len(engine.matching_docs(snap, SearchRequest(
            q=f"{q} section:{kind}", level=("city",)))[1]) for kind in section_index.KINDS}
    table.term_cache = TermCache(0)                       # a cache that keeps nothing
    trees = {kind: parse(f"执法 section:{kind}") for kind in section_index.KINDS}
    before = len(searched)
    assert engine.count_each(snap, SearchRequest(q="执法"), trees) == engine.count_each(
        snap, SearchRequest(q="执法"), trees)
    assert len(searched) == before + 2
