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
