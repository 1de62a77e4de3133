"""Similar reports: the words that distinguish a report, chosen when it is indexed.

A report page lists the reports that share most of its distinctive words. Choosing those words
means segmenting the whole report: 1.2 s for a 1.7 MB report, on every view. So the indexer
keeps each report's most frequent words (``top_words``: jieba word hashes and counts, without
the shipped stop list and single characters) in a stored field, and a view only weighs these
few by their rarity in the live build and scores the other reports over the word postings:
work bounded by ``TOP_WORDS``, whatever the report's length.
"""
from __future__ import annotations

import functools

import numpy as np

from search.analysis import normalize, resource_path, segment_spans, word_hashes

#: Words kept per report at index time (about 500 bytes stored per report).
TOP_WORDS = 48
#: Of those, the ones a view searches with (the highest tf·idf in the live build).
QUERY_WORDS = 30


def top_words(text: str) -> tuple[bytes, bytes]:
    """Return the report's ``TOP_WORDS`` most frequent words as ``(hashes, counts)`` bytes
    (uint64 and uint32 arrays), most frequent first; ties by hash, so the choice is stable."""
    norm, spans = normalize(text), segment_spans(text)
    spans = spans[spans[:, 1] - spans[:, 0] > 1] if len(spans) else spans
    hashes = word_hashes(norm, spans)
    words, tf = np.unique(hashes[~np.isin(hashes, stopword_hashes())], return_counts=True)
    order = np.lexsort((words, -tf))[:TOP_WORDS]
    return words[order].astype("<u8").tobytes(), tf[order].astype("<u4").tobytes()


def similar(table, stored: dict, docnum: int, limit: int) -> list[tuple[int, float]]:
    """Return ``(docnum, score)`` of the reports most like ``docnum``, best first.

    The report's kept words are weighted tf·idf over the live build; the best ``QUERY_WORDS``
    are searched as a weighted OR, BM25 over the word postings.
    """
    hashes, counts = stored.get("top_words") or (b"", b"")
    words = np.frombuffer(hashes, dtype="<u8")
    tf = np.frombuffer(counts, dtype="<u4").astype(np.float64)
    if not len(words):
        return []
    stats = table.bm25["content"]
    df = table.postings.word_frequencies("content", words)
    weight = tf * np.log(1 + (stats.n - df + 0.5) / (df + 0.5))
    top = np.argsort(-weight, kind="stable")[:QUERY_WORDS]
    scores = np.zeros(table.doc_count)
    for word, w in zip(words[top].tolist(), weight[top].tolist()):
        word_counts = table.postings.word_counts("content", word)
        docs = np.flatnonzero((word_counts > 0) & table.live_mask)
        scores[docs] += w * stats.score(docs, word_counts[docs])
    scores[docnum] = 0
    ranked = np.argsort(-scores, kind="stable")[:limit].tolist()
    return [(d, round(float(scores[d]), 4)) for d in ranked if scores[d] > 0]


@functools.lru_cache(maxsize=1)
def stopword_hashes() -> np.ndarray:
    """The stop list's ``word_hashes``, so a report's words are filtered by hash in numpy:
    by string, a Python loop over every word, ``top_words`` was 5.6% of indexing. (The same
    words are kept, but for a 64-bit hash collision.)"""
    words = sorted(stopwords())
    lengths = np.array([len(w) for w in words], dtype=np.int64)
    ends = np.cumsum(lengths)
    return np.sort(word_hashes("".join(words), np.stack((ends - lengths, ends), axis=1)))


@functools.lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Return the shipped stop list (``search/resources/stopwords.txt``)."""
    text = resource_path("stopwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))
