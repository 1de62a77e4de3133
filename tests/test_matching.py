"""The matcher must mean exactly what the recall promise says, checked by brute force."""
from __future__ import annotations

import random

import pytest

from search import facets
from search.matching import evaluate
from search.query import parse

from conftest import brute_force, sample

QUERIES = ["证照分离", "行政复议", "行政復議", "营商环境", "法治政府建设", "办成一件", "网通",
           "高效办成一件事", "一网通办 证照分离", "证照分离 OR 李东洪", "行政复议 -证照分离",
           "-行政复议", "title:忻府区", "title:新余市", "12345", "国发", "5号", "法", "a",
           "双随机、一公开", "双随机一公开", "(营商环境 OR 复议) 山西", "不存在的词语组合"]


def both(handle, q):
    snap = handle.snapshot()
    searcher, table = snap.searcher, facets.facet_table(snap)
    tree = parse(q)
    fast = evaluate(searcher, tree, table).to_dict()
    return set(fast), brute_force(searcher, tree), fast


@pytest.mark.parametrize("q", QUERIES)
def test_matcher_finds_what_brute_force_finds(handle, q):
    fast, expected, scores = both(handle, q)
    assert fast == expected
    assert all(s > 0 for s in scores.values()) or q.startswith("-")


def test_matcher_on_random_spans_of_a_report(handle):
    text = sample("003").read_text(encoding="utf-8")
    rng = random.Random(7)
    for _ in range(150):
        i = rng.randrange(len(text) - 6)
        span = text[i:i + rng.randint(2, 6)]
        if not any(ch.isalnum() for ch in span) or set(span) & set('"“”「」『』') or \
                span.strip() != span:
            continue
        fast, expected, _ = both(handle, '"' + span + '"')
        assert fast == expected and fast, span


def test_word_and_title_matches_score_higher(handle):
    _, _, scores = both(handle, "忻府区")
    searcher = handle.searcher()
    best = max(scores, key=scores.get)
    assert searcher.stored_fields(best)["title"].startswith("忻府区")


def test_term_results_are_cached_per_build_and_shared_across_scripts(handle):
    snap = handle.snapshot()
    searcher, table = snap.searcher, facets.facet_table(snap)
    table.term_cache = type(table.term_cache)(64 * 1024 * 1024)          # start empty
    first = evaluate(searcher, parse("行政复议"), table).to_dict()
    assert len(table.term_cache._items) == 1
    again = evaluate(searcher, parse("行政復議"), table).to_dict()         # same entry, reused
    assert again == first and len(table.term_cache._items) == 1
    assert set(again) == brute_force(searcher, parse("行政复议"))


def test_term_cache_stays_within_its_byte_budget():
    import numpy as np

    from search.matching import TermCache

    cache = TermCache(max_bytes=3 * (800 + 800 + 200))
    for n in range(10):
        cache.put(("", f"t{n}"), np.arange(100), np.zeros(100))           # 800 + 800 bytes
    assert cache.used <= cache.max_bytes and len(cache._items) == 3
    assert cache.get(("", "t9")) is not None and cache.get(("", "t0")) is None
    cache.put(("", "huge"), np.arange(10_000), np.zeros(10_000))          # over budget: skipped
    assert cache.get(("", "huge")) is None
