"""One body over the years: its reports by year, and what distinguishes two reports.

``distinguishing_terms`` cuts both texts with ``analysis.segment_spans`` (the one text path) and
weighs each word by how much more often one report uses it than the other (smoothed rate ratio)
times its rarity in the collection (document frequency from the build's word postings), so
common words (工作, 推进) fall away and "what is new in 2024" rises.
"""
from __future__ import annotations

import math

import numpy as np

from search import engine, section_index
from search import facets as fc
from search.analysis import normalize, segment_spans, word_hashes
from search.engine import SearchRequest
from search.similar import stopwords
from search.store import IndexHandle

MIN_RATIO = 3.0


def same_body_reports(handle: IndexHandle, stored: dict, limit: int = 50) -> list[dict]:
    """The reports of the same issuing body (else the same region and level), oldest year first.

    Each: ``{"id", "year", "title", "current"}``. The body is the ``issuer`` facet value; a
    report without one is matched by its division code and level.
    """
    if stored.get("issuer"):
        request = SearchRequest(issuer=(stored["issuer"],), sort="year-asc", page_size=limit)
    else:
        code = stored.get("county_code") or stored.get("city_code") or stored.get("province_code")
        level = stored.get("level")
        if not code or not level:
            return []
        facet = {"county": "county", "city": "city", "province": "province"}[level]
        request = SearchRequest(**{facet: (code,)}, level=(level,), sort="year-asc",
                                page_size=limit)
    results = engine.search(handle, request)
    return [{"id": hit.id, "year": hit.metadata["year"], "current": hit.id == stored["id"],
             "title": hit.metadata["display_title"] or hit.metadata["title"] or hit.id}
            for hit in results.hits]


def _word_counts(text: str, stop: frozenset) -> dict[str, int]:
    norm = normalize(text)
    counts: dict[str, int] = {}
    for a, b in segment_spans(text).tolist():
        word = norm[a:b]
        if b - a > 1 and word not in stop and not word.isdigit():
            counts[word] = counts.get(word, 0) + 1
    return counts


def distinguishing_terms(handle: IndexHandle, text_a: str, text_b: str,
                         limit: int = 15) -> tuple[list[dict], list[dict]]:
    """Words much more frequent in A than in B, and in B than in A: ``[{"term", "a", "b"}]``."""
    table = fc.facet_table(handle.snapshot())
    stop = stopwords()
    a, b = _word_counts(text_a, stop), _word_counts(text_b, stop)
    words = sorted(set(a) | set(b))
    if not words:
        return [], []
    hashes = word_hashes("".join(words), _spans_of(words))
    df = table.postings.word_frequencies("content", hashes)
    n = max(1, table.live_count)
    idf = {w: math.log(1 + (n - d + 0.5) / (d + 0.5)) for w, d in zip(words, df.tolist())}
    total_a, total_b = max(1, sum(a.values())), max(1, sum(b.values()))

    def side(mine: dict, other: dict, mine_total: int, other_total: int) -> list[dict]:
        scored = []
        for word, tf in mine.items():
            ratio = ((tf + 0.5) / mine_total) / ((other.get(word, 0) + 0.5) / other_total)
            if tf >= 2 and ratio >= MIN_RATIO:
                scored.append((tf * idf[word] * math.log(ratio), word))
        scored.sort(key=lambda s: (-s[0], s[1]))
        return [{"term": w, "count": mine[w], "other": other.get(w, 0)} for _, w in scored[:limit]]
    return side(a, b, total_a, total_b), side(b, a, total_b, total_a)


def _spans_of(words: list[str]) -> np.ndarray:
    ends = np.cumsum([len(w) for w in words])
    return np.stack((ends - [len(w) for w in words], ends), axis=1)


def side_by_side(stored_a: dict, stored_b: dict) -> list[dict]:
    """Rows of the compare view: per section kind, the text each report gives it.

    ``[{"kind", "a": [(heading, text)…], "b": [...]}]``; a report without typed sections gives
    its whole text in one untyped row.
    """
    parts = {}
    for key, stored in (("a", stored_a), ("b", stored_b)):
        text = stored.get("content", "")
        spans = [s for s in section_index.decode(stored.get("sections")) if s.kind]
        by_kind: dict[str, list] = {}
        for span in spans or [section_index.Span("", 0, len(text), 0, 0)]:
            body = text[span.start:span.end].strip()
            heading = body.split("\n", 1)[0][:40]
            by_kind.setdefault(span.kind, []).append({"heading": heading, "text": body})
        parts[key] = by_kind
    kinds = [k for k in section_index.KINDS if k in parts["a"] or k in parts["b"]]
    if "" in parts["a"] or "" in parts["b"]:
        kinds.append("")
    return [{"kind": k or section_index.UNTYPED_LABEL, "a": parts["a"].get(k, []),
             "b": parts["b"].get(k, [])} for k in kinds]
