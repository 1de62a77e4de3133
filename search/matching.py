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

Terms this plan does not cover (an open single character at the end, e.g. ``5`` or ``法``) go to
Whoosh's own query for that term (``query.term_query``), so the meaning never differs.
"""
from __future__ import annotations

import math

from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

from search.analysis import query_tokens
from search.query import WORD_BOOST, Node, Term, term_query

K1, B = 1.2, 0.75
TITLE_BOOST = 3.0
Scores = dict[int, float]


def evaluate(searcher, tree, table) -> Scores:
    """Return the documents matching ``tree`` with their scores.

    :param table: the build's ``facets.FacetTable`` (live documents and field lengths).
    """
    if isinstance(tree, Term):
        return term_scores(searcher, tree, table.lengths)
    live = table.live
    if tree.op == "not":
        excluded = evaluate(searcher, tree.children[0], table)
        return {d: 0.0 for d in live if d not in excluded}
    positives = [c for c in tree.children if not _is_not(c)]
    negatives = [c.children[0] for c in tree.children if _is_not(c)]
    if tree.op == "or":
        out: Scores = {}
        for child in tree.children:
            for d, s in evaluate(searcher, child, table).items():
                out[d] = out.get(d, 0.0) + s
        return out
    parts = sorted((evaluate(searcher, c, table) for c in positives), key=len)
    out = dict(parts[0]) if parts else {d: 0.0 for d in live}
    for part in parts[1:]:
        out = {d: s + part[d] for d, s in out.items() if d in part}
    for child in negatives:
        excluded = evaluate(searcher, child, table)
        out = {d: s for d, s in out.items() if d not in excluded}
    return out


def _is_not(node) -> bool:
    return isinstance(node, Node) and node.op == "not"


def term_scores(searcher, term: Term, lengths: dict[str, list[int]]) -> Scores:
    """Score every document that contains ``term`` (in its text or title) as a phrase."""
    schema = searcher.schema
    fields = ("title",) if term.scope == "title" else ("content", "title")
    out: Scores = {}
    for name in fields:
        bigrams = query_tokens(schema[name + "_bigrams"].analyzer, term.text)
        if not bigrams or any(prefix for _, prefix in bigrams):
            return _whoosh_scores(searcher, term)
        words = [text for text, _ in query_tokens(schema[name].analyzer, term.text)]
        boost = TITLE_BOOST if name == "title" else 1.0
        stats = _Bm25(searcher.reader(), name, lengths[name])
        for d, s in _field_scores(searcher, stats, words, [t for t, _ in bigrams]).items():
            out[d] = out.get(d, 0.0) + s * boost
    return out


def _field_scores(searcher, stats: "_Bm25", words: list[str], bigrams: list[str]) -> Scores:
    """Word matches first (they prove the phrase), then bigram positions for the rest."""
    reader, name = searcher.reader(), stats.fieldname
    if len(words) == 1:
        postings = _postings(reader, name, words[0])
    else:                     # the words in sequence, punctuation between them allowed
        postings = _sequence_counts(reader, name, words, exclude=())
    idf = stats.idf(len(postings))
    found = {d: WORD_BOOST * idf * stats.score(d, tf) for d, tf in postings.items()}
    counts = _sequence_counts(reader, name + "_bigrams", bigrams, exclude=found)
    idf = stats.idf(len(counts) + len(found))
    for d, n in counts.items():
        found[d] = idf * stats.score(d, n)
    return found


def _sequence_counts(reader, fieldname: str, tokens: list[str], exclude) -> dict[int, int]:
    """Count occurrences of ``tokens`` at consecutive positions, in documents not in ``exclude``."""
    lists = sorted((_doc_ids(reader, fieldname, t) for t in dict.fromkeys(tokens)), key=len)
    if not lists:
        return {}
    candidates = [d for d in lists[0] if d not in exclude and all(d in p for p in lists[1:])]
    if not candidates:
        return {}
    if len(tokens) == 1:
        tf = _postings(reader, fieldname, tokens[0])
        return {d: tf[d] for d in candidates}
    return _phrase_counts(reader, fieldname, tokens, candidates)


def _postings(reader, fieldname: str, text: str) -> dict[int, float]:
    """Return ``{docnum: term frequency}`` of one term (empty when the term is unknown)."""
    out: dict[int, float] = {}
    for ids, weights in posting_blocks(reader, fieldname, text):
        out.update(zip(ids, weights))
    return out


def _doc_ids(reader, fieldname: str, text: str) -> set[int]:
    """Return the documents that contain one term (empty when the term is unknown)."""
    out: set[int] = set()
    for ids, _ in posting_blocks(reader, fieldname, text, weights=False):
        out.update(ids)
    return out


def posting_blocks(reader, fieldname: str, text: str, weights: bool = True):
    """Yield ``(docnums, weights)`` of a term's postings a block (up to 128) at a time.

    Stepping a Whoosh matcher costs several Python calls per posting; its W3 leaf matcher
    decodes whole blocks anyway, so they are read as blocks here (whoosh-reloaded is pinned
    to 2.7.x, whose codec this relies on). Any other matcher takes the generic path.
    Deleted documents are left out, as ``reader.postings`` would.
    """
    for leaf, base in reader.leaf_readers():
        try:
            matcher = leaf.postings(fieldname, text)
        except TermNotFound:
            continue
        deleted = leaf.deleted_docs_set if isinstance(matcher, FilterMatcher) else None
        raw = matcher.child if isinstance(matcher, FilterMatcher) else matcher
        if not all(hasattr(raw, a) for a in ("_read_ids", "_read_weights", "_next_block")):
            yield from _generic_blocks(matcher, base)
            continue
        while raw.is_active():
            if raw._ids is None:
                raw._read_ids()
            ids = raw._ids
            if weights and raw._weights is None:
                raw._read_weights()
            ws = raw._weights if weights else ids
            if deleted:
                pairs = [(d, w) for d, w in zip(ids, ws) if d not in deleted]
                ids, ws = [d for d, _ in pairs], [w for _, w in pairs]
            yield ([d + base for d in ids] if base else ids), ws
            raw._next_block()


def _generic_blocks(matcher, base: int):
    ids, ws = [], []
    while matcher.is_active():
        ids.append(matcher.id() + base)
        ws.append(matcher.weight())
        matcher.next()
    yield ids, ws


def _phrase_counts(reader, fieldname: str, bigrams: list[str], docs: list[int]) -> dict[int, int]:
    """Return how often the bigram sequence occurs in each of ``docs`` (only those where > 0)."""
    docs = sorted(docs)
    positions: list[dict[int, list[int]]] = []
    for offset, token in enumerate(bigrams):
        matcher = reader.postings(fieldname, token)
        per_doc = {}
        for d in docs:
            if not matcher.is_active():
                break
            if matcher.id() < d:
                matcher.skip_to(d)
            if matcher.is_active() and matcher.id() == d:
                per_doc[d] = [p - offset for p in matcher.value_as("positions")]
        positions.append(per_doc)
        docs = [d for d in docs if d in per_doc]
    counts = {}
    for d in docs:
        starts = set(positions[0][d])
        for per_doc in positions[1:]:
            starts.intersection_update(per_doc[d])
            if not starts:
                break
        if starts:
            counts[d] = len(starts)
    return counts


class _Bm25:
    """BM25 pieces for one field: idf from a document frequency, tf saturation by length."""

    def __init__(self, reader, fieldname: str, lengths: list[int]):
        self.fieldname, self.lengths = fieldname, lengths
        self.n = max(1, reader.doc_count())
        self.avg = max(1.0, reader.field_length(fieldname) / self.n)

    def idf(self, df: int) -> float:
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def score(self, docnum: int, tf: float) -> float:
        length = self.lengths[docnum] or 1
        return tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / self.avg))


def _whoosh_scores(searcher, term: Term) -> Scores:
    """Fallback: Whoosh's own evaluation of one term (rare shapes, e.g. a trailing lone digit)."""
    results = searcher.search(term_query(term, searcher.schema), limit=None)
    return {hit.docnum: hit.score for hit in results}
