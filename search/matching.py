"""Evaluate a parsed query into per-document matches and scores, over the build's postings.

A term, quoted or not, matches a report when its characters occur there as one run, in the
sense of the bigram token stream (``analysis.bigram_codes``): any run of two or more characters
of a report finds the report, however jieba cut it. For each term the matcher

1. turns the term into bigram codes and jieba word hashes with ``analysis.analyze``, the
   function the indexer ran on every report;
2. counts the term's occurrences in each document from the positions of its bigrams
   (``postings.FieldPostings.phrase_counts``), in the content and in the title;
3. scores BM25 over those counts, higher where the report has the term as jieba words too
   (jieba cut the report the way it cut the query) and higher in titles;

a term that jieba keeps as one word is found, without reading positions, in every report that
has that word (its characters in a row: the word postings say so, by a 64-bit hash of its
characters, which two different words share with a chance of about one in 10^13); only the
other reports' occurrences are searched, sub-word and cross-word ones included;

and AND/OR/NOT combine terms as boolean masks over all document numbers. Everything per
document is a numpy operation over dense arrays, one slot per document number.

A term's result is cached per build (``TermCache``): builds never change once published, and a
user who refines a search (adds a filter, pages on, adds a second term) repeats its terms.
"""
from __future__ import annotations

import functools
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from search.analysis import analyze, code_points, folded_word_mask, normalize
from search.query import Node, Term, positive_terms
from search.section_index import inside_sections, section_table

K1, B = 1.2, 0.75
WORD_BOOST = 2.0


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
    """Per-build LRU of term results, bounded in bytes: sparse ``(docs, scores)`` arrays, and
    for the section facet the documents that have a term inside each kind of section."""

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

    def put(self, key, *arrays: np.ndarray) -> None:
        """Keep ``arrays`` (``get`` returns them as a tuple) unless they alone exceed the cache."""
        size = _item_bytes(arrays)
        if size > self.max_bytes:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = arrays
            self.used += size
            while self.used > self.max_bytes:
                _, old = self._items.popitem(last=False)
                self.used -= _item_bytes(old)


def _item_bytes(arrays) -> int:
    return sum(a.nbytes for a in arrays) + 200


def evaluate(searcher, tree, table, seen: dict | None = None, complete: bool = False) -> Matches:
    """Return the documents matching ``tree`` with their scores.

    :param table: the build's ``facets.FacetTable`` (live documents, postings, term cache).
    :param seen: a dict that receives, per term matched from the postings (not from the term
        cache), where it occurs in the content (``term_spans`` then reads a hit's occurrences
        from it instead of searching the postings again).
    :param complete: search every report's positions (``seen`` then serves the section facet,
        ``masks_of``), never only those of the reports without the term's jieba word.
    """
    if isinstance(tree, Term):
        return term_matches(searcher, tree, table, seen, complete)
    if tree.op == "not":
        excluded = evaluate(searcher, tree.children[0], table)
        return Matches(table.live_mask & ~excluded.mask, np.zeros(table.doc_count))
    if tree.op == "or":
        parts = [evaluate(searcher, child, table, seen, complete) for child in tree.children]
        mask = np.logical_or.reduce([p.mask for p in parts])
        return Matches(mask, np.sum([p.scores for p in parts], axis=0))
    positives = [evaluate(searcher, c, table, seen, complete) for c in tree.children
                 if not _is_not(c)]
    if positives:
        mask = np.logical_and.reduce([p.mask for p in positives])
        scores = np.sum([p.scores for p in positives], axis=0)
    else:
        mask, scores = table.live_mask.copy(), np.zeros(table.doc_count)
    for child in tree.children:
        if _is_not(child):
            mask &= ~evaluate(searcher, child.children[0], table).mask
    return Matches(mask, np.where(mask, scores, 0.0))


def masks_of(searcher, trees: dict, table, seen: dict | None = None) -> dict:
    """The documents each of ``trees`` matches (``evaluate(...).mask``), for the section
    facet: its five queries are one query with every term restricted to one kind of section,
    so each term's positions are searched once for all kinds (``counts_within``), or not at
    all where ``seen`` (``evaluate(..., seen, complete=True)`` of the unrestricted query)
    holds them."""
    live, found = table.live_mask, {}

    def leaf(term: Term) -> np.ndarray:
        if not term.section or not term.text or term.scope:
            return evaluate(searcher, term, table).mask
        if term.text not in found:
            found[term.text] = _in_sections(searcher, term.text, table, seen)
        mask = np.zeros(table.doc_count, dtype=bool)
        mask[found[term.text][term.section]] = True
        return mask & live

    def walk(node) -> np.ndarray:
        if node is None:
            return live.copy()
        if isinstance(node, Term):
            return leaf(node)
        if node.op == "not":
            return live & ~walk(node.children[0])
        if node.op == "or":
            return np.logical_or.reduce([walk(child) for child in node.children])
        positives = [walk(c) for c in node.children if not _is_not(c)]
        mask = np.logical_and.reduce(positives) if positives else live.copy()
        for child in node.children:
            if _is_not(child):
                mask &= ~walk(child.children[0])
        return mask
    return {key: walk(tree) for key, tree in trees.items()}


def _in_sections(searcher, text: str, table, seen: dict | None) -> dict[str, np.ndarray]:
    """Per kind of section, the documents with ``text`` inside one (ascending), kept in
    the term cache: a results page's second page, or the same query asked again, finds the
    term's own matches there, and its positions would otherwise be searched again for the
    facet alone (a common phrase's: a third of the request). At most 20 bytes a document that
    has the term (4 for each kind it is found in)."""
    sections = section_table(searcher, table)
    kinds = list(sections.within)
    key = ("sections", normalize(text))
    cached = table.term_cache.get(key)
    if cached is None:
        kept = (seen or {}).get(Term(text))
        counts = table.postings.counts_within("content", analyze(text, mode="query"),
                                              sections.within, kept)
        cached = tuple(np.flatnonzero(counts[kind] > 0).astype(np.int32) for kind in kinds)
        table.term_cache.put(key, *cached)
    return dict(zip(kinds, cached))


def _is_not(node) -> bool:
    return isinstance(node, Node) and node.op == "not"


def term_matches(searcher, term: Term, table, seen: dict | None = None,
                 complete: bool = False) -> Matches:
    """Score every live document that contains ``term`` (in its text or title) as a run."""
    key = (term.scope, term.section, normalize(term.text))   # 行政復議 and 行政复议: one entry
    cached = table.term_cache.get(key)
    if cached is None:
        found = _term_matches(searcher, term, table,
                              None if seen is None else seen.setdefault(term, {}), complete)
        docs = found.docs()
        table.term_cache.put(key, docs, found.scores[docs])
        return found
    docs, scores = cached
    out = Matches.empty(table.doc_count)
    out.mask[docs] = True
    out.scores[docs] = scores
    return out


def _term_matches(searcher, term: Term, table, kept: dict | None = None,
                  complete: bool = False) -> Matches:
    out = Matches.empty(table.doc_count)
    within = None
    if term.section:                        # only inside that kind of section of the text
        sections = section_table(searcher, table)
        if not term.text:                   # section:不足 alone: the reports that have one
            out.mask[:] = sections.has[term.section] & table.live_mask
            return out
        within = sections.within[term.section]
    analyzed = analyze(term.text, mode="query")
    if not len(analyzed.bigrams):
        return out
    fields = ("title",) if term.scope == "title" else ("content", "title")
    for name in (("content",) if within is not None else fields):
        boost = searcher.schema[name].boost
        mask, scores = _field_matches(table, name, analyzed, within,
                                      kept if name == "content" else None, complete)
        out.mask |= mask
        out.scores += scores * boost
    return out


def _field_matches(table, field: str, analyzed, within=None, kept: dict | None = None,
                   complete: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Documents with the term in ``field``, scored BM25 over its occurrences.

    Where the report also holds the query's jieba words (all of them), the score is doubled,
    and a one-word term is scored by that word's own counts and rarity. ``kept`` receives the
    occurrences' positions (whole texts only: ``within`` is None).
    """
    postings, live = table.postings, table.live_mask
    words = np.unique(analyzed.words)
    word_counts = postings.word_counts(field, int(words[0])) if len(words) == 1 else None
    # A term that is one jieba word is in every report that has that word (its characters, in
    # a row): those are matches whatever their counts, and a one-word term scores them by the
    # word's own counts. Only the other reports' occurrences are searched.
    known = ((word_counts > 0) & live if len(analyzed.words) == 1 and within is None
             and not complete else None)
    counts = postings.phrase_counts(field, analyzed, within,
                                    kept if within is None else None, skip=known)
    mask = (counts > 0) & live
    if known is not None:
        mask |= known
    scores = np.zeros(table.doc_count)
    docs = np.flatnonzero(mask)
    if not len(docs):
        return mask, scores
    stats = table.bm25[field]
    scores[docs] = stats.idf(len(docs)) * stats.score(docs, counts[docs])
    if len(words) == 1:
        same = docs[word_counts[docs] > 0]
        df = int(np.count_nonzero((word_counts > 0) & live))
        scores[same] = WORD_BOOST * stats.idf(df) * stats.score(same, word_counts[same])
    elif len(words) > 1:
        same = np.ones(len(docs), dtype=bool)
        for word in words.tolist():
            same &= postings.word_counts(field, word)[docs] > 0
        scores[docs[same]] *= WORD_BOOST
    return mask, scores


def term_spans(table, docnum: int, text: str, tree, sections: str | None = None,
               seen: dict | None = None) -> list[tuple[int, int]]:
    """Character spans of ``text`` (document ``docnum``'s content) where ``tree``'s positive
    terms occur: read from the postings, the very occurrences the matcher counted.

    A span runs from the first to the last character of an occurrence, punctuation between
    the query's words included (双随机”、“（一公开 for 双随机一公开). Title-only terms mark nothing
    in the text. A term restricted to a kind of section marks only what lies inside one
    (``sections``: the report's stored section spans). Spans are sorted and merged.
    ``seen``: what ``evaluate`` kept of each term's occurrences (else the postings are read).
    """
    found = []
    for term in positive_terms(tree):
        if term.scope == "title":
            continue
        analyzed = analyzed_term(term.text)
        offsets = (table.postings.offsets_in("content", seen[term], docnum)
                   if seen and seen.get(term) and not term.section else None)
        if offsets is None:
            offsets = table.postings.phrase_offsets("content", analyzed, docnum)
        if term.section:                       # only what lies inside that kind of section
            offsets = inside_sections(offsets, len(analyzed.bigrams), sections, term.section)
        if len(offsets):
            found.append((offsets, offsets + len(analyzed.bigrams) - 1, analyzed.open_end))
    if not found:
        return []
    chars = word_chars(text, max(int(last.max()) for _, last, _ in found) + 1)
    spans = []
    for offsets, last, open_end in found:      # token offset → character of the stored text
        ends = chars[last] + (1 if open_end else 2)
        spans.extend(zip(chars[offsets].tolist(), ends.tolist()))
    return merge_spans(spans)


def word_chars(text: str, count: int) -> np.ndarray:
    """The character offsets of the first ``count`` word characters of ``text`` (at least;
    the token offsets of the bigram stream), normalising only as much of the text as they
    need (a hit's last occurrence is often far from its end; the text is context free)."""
    size = min(len(text), count + count // 4 + 256)
    while True:
        chars = np.flatnonzero(folded_word_mask(code_points(text[:size])))
        if len(chars) >= count or size == len(text):
            return chars
        size = min(len(text), 2 * size)


def keep_page(table, tree, seen: dict, docs) -> None:
    """Find the occurrences of the terms ``evaluate`` matched by their jieba word alone
    (``seen`` says where it skipped reports) in the reports ``docs`` of a results page, with
    one search per segment: ``term_spans`` then reads them (``kept["page"]``) for every hit."""
    page = np.zeros(table.doc_count, dtype=bool)
    page[np.asarray(docs, dtype=np.int64)] = True
    for term in positive_terms(tree):
        kept = seen.get(term)
        if not kept or kept.get("skip") is None or "page" in kept or term.section:
            continue
        need = page & kept["skip"]
        if need.any():
            kept["page"] = {}
            table.postings.phrase_counts("content", analyzed_term(term.text), keep=kept["page"],
                                         skip=~need)


@functools.lru_cache(maxsize=1024)
def analyzed_term(text: str):
    """``analyze(text, mode="query")``, remembered: a page highlights each term in ten hits."""
    return analyze(text, mode="query")


def merge_spans(spans) -> list[tuple[int, int]]:
    """Sort spans and merge the ones that overlap or touch."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


class Bm25:
    """BM25 pieces for one field: idf from a document frequency, tf saturation by length."""

    def __init__(self, lengths: np.ndarray, live: np.ndarray):
        self.lengths = lengths
        self.n = max(1, int(np.count_nonzero(live)))
        self.avg = max(1.0, float(lengths[live].sum()) / self.n)

    def idf(self, df: int) -> float:
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def score(self, docnums: np.ndarray, tf: np.ndarray) -> np.ndarray:
        length = np.maximum(self.lengths[docnums], 1)
        return tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / self.avg))
