"""Phrase matching without merging alternatives or sorting open tokens stays exact.

``FieldPostings.phrase_starts`` tests a break's two tokens one after the other instead of merging
their lists, and tests an open last token (every code starting with one character) only for the
occurrences reached through a lone character before it: elsewhere the bigram before it already
says which character comes next. Checked against the run stream read with a regex, with and
without a window, on texts built to reach every path (a word, the same word broken by
punctuation at the break, a lone character at the end of a run, a document boundary).
"""
from __future__ import annotations

import random

import numpy as np
import pytest

from indexer.postings_builder import PostingsBuilder
from search.analysis import analyze
from search.postings import SegmentPostings

from conftest import run_stream, term_pattern

PIECES = ["高效办成一件事", "高效、办成一件，事", "办成一件。事项", "一件事", "一件，事", "一件、事项",
          "件事", "事", "一件。", "办成一件", "高效办成一件", "行政复议", "行政、复议", "行政。",
          "复议", "双随机、一公开", "双随机一公开", "放管服改革", "“放管服”改革", "改革", "事业单位",
          "证照分离", "证照。分离", "網通", "一网通办", "网", "办事", "事。事，事"]
QUERIES = ["高效办成一件事", "一件事", "办成一件", "件事", "事", "行政复议", "双随机一公开",
           "放管服改革", "一网通办", "网通", "证照分离", "办事", "事事", "一件"]


def _docs(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES + ["，", "。", "和", "的"]) for _ in range(rng.randint(0, 12)))
            for _ in range(count)]


@pytest.fixture(scope="module")
def segment(tmp_path_factory):
    docs = _docs(11, 120)
    builder = PostingsBuilder()
    for n, text in enumerate(docs):
        builder.add(n, {"content": text, "title": text[:6]})
    path = tmp_path_factory.mktemp("probe") / "seg.ptx"
    builder.write(path)
    return docs, SegmentPostings.open(path).field("content")


@pytest.mark.parametrize("query", QUERIES)
def test_counts_are_the_occurrences_in_the_run_stream(segment, query):
    docs, field = segment
    q = analyze(query, "query")
    pattern = term_pattern(query)
    expected = [len(pattern.findall(run_stream(d))) for d in docs]
    assert field.phrase_counts(q.bigrams, q.open_end, q.breaks).tolist() == expected


@pytest.mark.parametrize("query", QUERIES)
def test_a_window_finds_the_document_s_own_occurrences(segment, query):
    docs, field = segment
    q = analyze(query, "query")
    everywhere = field.phrase_starts(q.bigrams, q.open_end, q.breaks)
    for d in range(len(docs)):
        lo, hi = (int(x) for x in field.starts[d:d + 2])
        inside = everywhere[(everywhere >= lo) & (everywhere < hi)]
        got = field.phrase_starts(q.bigrams, q.open_end, q.breaks, (lo, hi))
        assert np.array_equal(got, inside), (query, docs[d])


def test_many_lone_characters_before_an_open_token_take_the_sorted_path(tmp_path):
    """More than a few occurrences through a lone character: the open token's positions are
    sorted and searched instead of compared one by one; the counts are the same."""
    docs = ["一件，事" * 30 + "一件事" * 5, "一件。" * 40, "件事一件，事项"]
    builder = PostingsBuilder()
    for n, text in enumerate(docs):
        builder.add(n, {"content": text, "title": ""})
    builder.write(tmp_path / "seg.ptx")
    field = SegmentPostings.open(tmp_path / "seg.ptx").field("content")
    q = analyze("一件事", "query")
    assert q.open_end and q.breaks                 # the path under test
    pattern = term_pattern("一件事")
    expected = [len(pattern.findall(run_stream(d))) for d in docs]
    assert field.phrase_counts(q.bigrams, q.open_end, q.breaks).tolist() == expected == [35, 0, 1]


@pytest.mark.parametrize("share", [0.0, 0.05, 0.5, 0.95, 1.0])
def test_skipped_documents_lose_exactly_their_positions(segment, share):
    """``skip`` cuts candidates out per kept document when those are few, else tests each
    candidate's document: the same positions either way."""
    docs, field = segment
    rng = np.random.default_rng(int(share * 100))
    start = np.unique(rng.integers(0, int(field.starts[-1]), 400)).astype(np.int64)
    skip = rng.random(len(docs)) < share
    expected = start[~skip[np.searchsorted(field.starts, start, side="right") - 1]]
    assert np.array_equal(field._unskipped(start, skip), expected)
