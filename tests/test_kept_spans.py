"""A hit's highlights read from what the matcher kept are those a fresh postings search finds.

``engine.search`` passes ``matching.evaluate`` a dict that keeps where each term occurs;
``term_spans`` then slices a hit's occurrences out of it instead of searching the postings again
(``postings.BuildPostings.offsets_in``). Checked on every matching report of the sample index.
"""
from __future__ import annotations

import pytest

from search import facets
from search.matching import TermCache, evaluate, term_spans
from search.query import parse

from test_matching import QUERIES


@pytest.mark.parametrize("q", QUERIES + ['"依法行政"', "section:不足 执法", "法 行政"])
def test_kept_occurrences_give_the_spans_of_a_fresh_search(handle, q):
    snap = handle.snapshot()
    searcher, table = snap.searcher, facets.facet_table(snap)
    table.term_cache = TermCache(table.term_cache.max_bytes)         # matched from the postings
    tree, seen = parse(q), {}
    found = evaluate(searcher, tree, table, seen)
    assert seen or q.startswith("-")
    for docnum in found.docs().tolist():
        stored = searcher.stored_fields(docnum)
        text, sections = stored.get("content", ""), stored.get("sections")
        assert term_spans(table, docnum, text, tree, sections, seen) == \
            term_spans(table, docnum, text, tree, sections), (q, docnum)
