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


@pytest.mark.parametrize("q", ["营商环境", "行政复议", "证照分离 行政复议", "高效办成一件事", "法"])
def test_a_page_s_occurrences_found_in_one_search_are_those_of_a_fresh_search(handle, q):
    """Reports matched by a one-word term's jieba word get their page's occurrences from one
    search per segment (``keep_page``), not one per hit."""
    from search.matching import keep_page

    snap = handle.snapshot()
    searcher, table = snap.searcher, facets.facet_table(snap)
    table.term_cache = TermCache(table.term_cache.max_bytes)
    tree, seen = parse(q), {}
    docs = evaluate(searcher, tree, table, seen).docs().tolist()
    page = docs[::3][:10]
    keep_page(table, tree, seen, page)
    assert any("page" in kept for kept in seen.values()) or q == "法"
    for docnum in page:
        stored = searcher.stored_fields(docnum)
        text, sections = stored.get("content", ""), stored.get("sections")
        assert table.postings.offsets_in("content", seen[tree if not hasattr(tree, "children")
                                                        else tree.children[0]], docnum) \
            is not None or q == "法"
        assert term_spans(table, docnum, text, tree, sections, seen) == \
            term_spans(table, docnum, text, tree, sections), (q, docnum)


def test_word_chars_of_a_prefix_are_those_of_the_whole_text():
    import random

    import numpy as np

    from search.analysis import normalized_points, word_char_mask
    from search.matching import word_chars

    from conftest import SAMPLE_DIR

    rng = random.Random(2)
    for path in sorted(SAMPLE_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        every = np.flatnonzero(word_char_mask(normalized_points(text)))
        for count in [1, 5, 300, len(every)] + [rng.randrange(1, len(every)) for _ in range(5)]:
            got = word_chars(text, count)
            assert np.array_equal(got, every[:len(got)]) and len(got) >= count
