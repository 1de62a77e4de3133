"""Evaluate a parsed query into ``{docnum: score}`` in one pass, fast.

Whoosh's own phrase query checks positions with a generic span algorithm in every candidate
document, and a search that needs all matches (for totals and facet counts) and a ranking runs it
twice. Profiling the query mix showed 70% of the time there. The plan here:

1. A term that jieba keeps as one word (证照分离, 营商环境, 高效办成一件事) is looked up in the word
   field: each document in that posting list contains the term, no positions needed.
2. Only the *other* documents that contain every bigram of the term (an intersection of posting
   lists) have their bigram positions checked, with set arithmetic. That remainder is small
   unless the query cuts across jieba's words, which is exactly when it is needed for recall.
3. Scores are BM25 over the word posting (or the phrase count when only bigrams matched), with
   title matches weighted higher; AND/OR/NOT combine the per-term dictionaries.

Everything per document is a numpy operation over dense arrays (one slot per document number):
posting blocks are decoded with ``cumsum``, AND/OR/NOT are mask arithmetic, BM25 is one vector
expression. The one remaining Python loop per document is the bigram position check of step 2.
A term's result is cached per build (``TermCache``): builds never change once published, and
users repeat the policy terms they search for (证照分离, 行政复议), so a second query that uses the
same term pays only for combining, facets and highlighting.

Terms this plan does not cover (an open single character at the end, e.g. ``5`` or ``法``) go to
Whoosh's own query for that term (``query.term_query``), so the meaning never differs.
"""
from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
from itertools import accumulate
from pickle import loads

import numpy as np
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

from search.analysis import normalize, query_tokens
from search.query import WORD_BOOST, Node, Term, term_query

K1, B = 1.2, 0.75
TITLE_BOOST = 3.0
_EMPTY_IDS = np.zeros(0, dtype=np.int64)
_UINT_SIZE = 4                      # Positions values start with the count as an unsigned int


@dataclass
class Matches:
    """The documents a query matches (``mask``) and their scores (0 elsewhere)."""

    mask: np.ndarray            # bool, one slot per document number
    scores: np.ndarray          # float64, same shape

    @classmethod
    def empty(cls, doc_count: int) -> "Matches":
        return cls(np.zeros(doc_count, dtype=bool), np.zeros(doc_count))

    def docs(self) -> np.ndarray:
        """The matching document numbers, ascending."""
        return np.flatnonzero(self.mask)

    def to_dict(self) -> dict[int, float]:
        docs = self.docs()
        return dict(zip(docs.tolist(), self.scores[docs].tolist()))

    def __len__(self) -> int:
        return int(np.count_nonzero(self.mask))


class TermCache:
    """Per-build LRU of term results, as sparse ``(docs, scores)`` arrays, bounded in bytes."""

    def __init__(self, max_bytes: int):
        self.max_bytes, self.used = max_bytes, 0
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key, docs: np.ndarray, scores: np.ndarray) -> None:
        size = docs.nbytes + scores.nbytes + 200
        if size > self.max_bytes:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = (docs, scores)
            self.used += size
            while self.used > self.max_bytes:
                _, (d, s) = self._items.popitem(last=False)
                self.used -= d.nbytes + s.nbytes + 200


def evaluate(searcher, tree, table) -> Matches:
    """Return the documents matching ``tree`` with their scores.

    :param table: the build's ``facets.FacetTable`` (live documents, field lengths, term cache).
    """
    if isinstance(tree, Term):
        return term_matches(searcher, tree, table)
    if tree.op == "not":
        excluded = evaluate(searcher, tree.children[0], table)
        return Matches(table.live_mask & ~excluded.mask, np.zeros(table.doc_count))
    if tree.op == "or":
        parts = [evaluate(searcher, child, table) for child in tree.children]
        mask = np.logical_or.reduce([p.mask for p in parts])
        return Matches(mask, np.sum([p.scores for p in parts], axis=0))
    positives = [evaluate(searcher, c, table) for c in tree.children if not _is_not(c)]
    if positives:
        mask = np.logical_and.reduce([p.mask for p in positives])
        scores = np.sum([p.scores for p in positives], axis=0)
    else:
        mask, scores = table.live_mask.copy(), np.zeros(table.doc_count)
    for child in tree.children:
        if _is_not(child):
            mask &= ~evaluate(searcher, child.children[0], table).mask
    return Matches(mask, np.where(mask, scores, 0.0))


def _is_not(node) -> bool:
    return isinstance(node, Node) and node.op == "not"


def term_matches(searcher, term: Term, table) -> Matches:
    """Score every document that contains ``term`` (in its text or title) as a phrase."""
    key = (term.scope, normalize(term.text))       # 行政復議 and 行政复议 are one entry
    cached = table.term_cache.get(key)
    if cached is None:
        found = _term_matches(searcher, term, table)
        docs = found.docs()
        table.term_cache.put(key, docs, found.scores[docs])
        return found
    docs, scores = cached
    out = Matches.empty(table.doc_count)
    out.mask[docs] = True
    out.scores[docs] = scores
    return out


def _term_matches(searcher, term: Term, table) -> Matches:
    schema = searcher.schema
    fields = ("title",) if term.scope == "title" else ("content", "title")
    out = Matches.empty(table.doc_count)
    for name in fields:
        bigrams = query_tokens(schema[name + "_bigrams"].analyzer, term.text)
        if not bigrams or any(prefix for _, prefix in bigrams):
            return _whoosh_matches(searcher, term, table.doc_count)
        words = [text for text, _ in query_tokens(schema[name].analyzer, term.text)]
        boost = TITLE_BOOST if name == "title" else 1.0
        stats = _Bm25(searcher.reader(), name, table.lengths[name])
        found = _field_matches(searcher.reader(), stats, words, [t for t, _ in bigrams],
                               table.doc_count)
        out.mask |= found.mask
        out.scores += found.scores * boost
    return out


def _field_matches(reader, stats: "_Bm25", words: list[str], bigrams: list[str],
                   doc_count: int) -> Matches:
    """Word matches first (they prove the phrase), then bigram positions for the rest."""
    name = stats.fieldname
    out = Matches.empty(doc_count)
    if len(words) == 1:
        ids, tf = posting_arrays(reader, name, words[0])
    else:                     # the words in sequence, punctuation between them allowed
        ids, tf = _sequence_counts(reader, name, words, exclude=None)
    out.mask[ids] = True
    out.scores[ids] = WORD_BOOST * stats.idf(len(ids)) * stats.score(ids, tf)
    more, counts = _sequence_counts(reader, name + "_bigrams", bigrams, exclude=out.mask)
    out.mask[more] = True
    out.scores[more] = stats.idf(len(more) + len(ids)) * stats.score(more, counts)
    return out


def _sequence_counts(reader, fieldname: str, tokens: list[str], exclude):
    """Count ``tokens`` at consecutive positions, in documents where ``exclude`` is not set.

    Returns ``(docnums, counts)`` arrays of the documents where the count is above 0. Each
    distinct token's postings are decoded once and serve both the candidate intersection and
    the position check.
    """
    unique = list(dict.fromkeys(tokens))
    if len(tokens) == 1:
        ids, tf, _ = posting_data(reader, fieldname, tokens[0])
        keep = ~exclude[ids] if exclude is not None else slice(None)
        return ids[keep], tf[keep]
    data = {t: posting_data(reader, fieldname, t, values=True) for t in unique}
    lists = sorted((data[t][0] for t in unique), key=len)
    candidates = lists[0]
    for other in lists[1:]:
        if not len(candidates):
            break
        candidates = candidates[np.isin(candidates, other, assume_unique=True)]
    if exclude is not None and len(candidates):
        candidates = candidates[~exclude[candidates]]
    if not len(candidates):
        return _EMPTY_IDS, np.zeros(0)
    counts = _phrase_counts([(data[t][0], data[t][2]) for t in tokens], candidates)
    docs = np.fromiter(counts, dtype=np.int64, count=len(counts))
    return docs, np.fromiter(counts.values(), dtype=np.float64, count=len(counts))


def posting_arrays(reader, fieldname: str, text: str, weights: bool = True):
    """Return ``(docnums, weights)`` of one term as numpy arrays (empty when it is unknown)."""
    ids, ws, _ = posting_data(reader, fieldname, text)
    return ids, (ws if weights else None)


def posting_data(reader, fieldname: str, text: str, values: bool = False):
    """Return ``(docnums, weights, values)`` of one term; ``values`` (encoded) only if asked.

    Stepping a Whoosh matcher costs several Python calls per posting. Its W3 leaf matcher keeps
    a block (up to 128 postings) as one pickled tuple of delta-coded ids, weights and values,
    so blocks are decoded here directly, ids with ``cumsum`` (whoosh-reloaded is pinned to 2.7.x,
    whose codec this relies on; ``tests/test_matching.py`` checks it against ``reader.postings``).
    Any other matcher takes the generic path. Deleted documents are left out, as
    ``reader.postings`` would.
    """
    id_parts, weight_parts, value_parts = [], [], []
    for leaf, base in reader.leaf_readers():
        try:
            matcher = leaf.postings(fieldname, text)
        except TermNotFound:
            continue
        raw = matcher.child if isinstance(matcher, FilterMatcher) else matcher
        if getattr(raw, "_byteids", True) or not hasattr(raw, "_read_data"):
            ids, ws, vs = _generic_data(matcher, values)
        else:
            ids, ws, vs = _block_data(raw, values)
        if isinstance(matcher, FilterMatcher) and leaf.has_deletions():
            keep = np.flatnonzero(~np.isin(ids, np.fromiter(leaf.deleted_docs_set,
                                                            dtype=np.int64)))
            ids, ws = ids[keep], ws[keep]
            vs = [vs[k] for k in keep.tolist()] if values else None
        id_parts.append(ids + base if base else ids)
        weight_parts.append(ws)
        if values:
            value_parts.extend(vs)
    if not id_parts:
        return _EMPTY_IDS, np.zeros(0), ([] if values else None)
    if len(id_parts) == 1:
        return id_parts[0], weight_parts[0], (value_parts if values else None)
    return (np.concatenate(id_parts), np.concatenate(weight_parts),
            value_parts if values else None)


def _block_data(raw, values: bool):
    ids, ws, vs = [], [], []
    while raw.is_active():
        if raw._data is None:
            raw._read_data()
        deltas, block_weights = raw._data[0], raw._data[1]
        ids.append(deltas)
        if block_weights is None:
            ws.append(np.ones(len(deltas)))
        elif isinstance(block_weights, float):
            ws.append(np.full(len(deltas), block_weights))
        else:
            ws.append(np.asarray(block_weights, dtype=np.float64))
        if values:
            vs.extend(raw._data[2])
        raw._next_block()
    if not ids:
        return _EMPTY_IDS, np.zeros(0), vs
    out = np.empty(sum(len(d) for d in ids), dtype=np.int64)
    at = 0
    for deltas in ids:                              # each block's ids restart from 0
        out[at:at + len(deltas)] = np.cumsum(deltas)
        at += len(deltas)
    return out, np.concatenate(ws), vs


def _generic_data(matcher, values: bool):
    ids, ws, vs = [], [], []
    while matcher.is_active():
        ids.append(matcher.id())
        ws.append(matcher.weight())
        if values:
            vs.append(matcher.value())
        matcher.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(ws, dtype=np.float64), vs


def _phrase_counts(postings: list[tuple[np.ndarray, list]], docs: np.ndarray) -> dict[int, int]:
    """Return how often the token sequence occurs in each of ``docs`` (only those where > 0).

    :param postings: per token of the sequence, its ``(docnums, encoded values)``; a value of
        the ``Positions`` format is a count, then the pickled position deltas.
    """
    starts: dict[int, set[int]] | None = None
    remaining = np.asarray(docs, dtype=np.int64)
    for offset, (ids, values) in enumerate(postings):
        at = np.searchsorted(ids, remaining)
        hit = at < len(ids)
        hit[hit] = ids[at[hit]] == remaining[hit]
        narrowed = {}
        for d, k in zip(remaining[hit].tolist(), at[hit].tolist()):
            here = accumulate(loads(values[k][_UINT_SIZE:]))
            if starts is None:
                narrowed[d] = set(here)
            else:
                kept = starts[d].intersection([p - offset for p in here])
                if kept:
                    narrowed[d] = kept
        starts = narrowed
        if not starts:
            return {}
        remaining = np.fromiter(starts, dtype=np.int64, count=len(starts))
    return {d: len(s) for d, s in starts.items()}


class _Bm25:
    """BM25 pieces for one field: idf from a document frequency, tf saturation by length."""

    def __init__(self, reader, fieldname: str, lengths: np.ndarray):
        self.fieldname, self.lengths = fieldname, lengths
        self.n = max(1, reader.doc_count())
        self.avg = max(1.0, reader.field_length(fieldname) / self.n)

    def idf(self, df: int) -> float:
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def score(self, docnums: np.ndarray, tf: np.ndarray) -> np.ndarray:
        length = np.maximum(self.lengths[docnums], 1)
        return tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / self.avg))


def _whoosh_matches(searcher, term: Term, doc_count: int) -> Matches:
    """Fallback: Whoosh's own evaluation of one term (rare shapes, e.g. a trailing lone digit)."""
    out = Matches.empty(doc_count)
    for hit in searcher.search(term_query(term, searcher.schema), limit=None):
        out.mask[hit.docnum] = True
        out.scores[hit.docnum] = hit.score
    return out
