"""Recall at scale: does a quoted span of a report's own text find that report?

The README promises that any run of two or more characters of a report finds it, however jieba
cut it. Spans of 2–6 characters are drawn (seeded) from the cleaned text the indexer indexed
(``indexer.pipeline.inspect_file(path)["text"]``); a span must hold at least one letter, digit
or CJK character, and spans with quote marks are drawn again (they would end the quoted phrase).
Each span is searched as a quoted phrase. To avoid paging through thousands of hits for common
spans, the search is narrowed with the report's own issuer (an engine filter): that removes
other reports only, never the report itself, so a miss is a miss of the phrase match.
"""
from __future__ import annotations

import random
import time
from pathlib import Path

from bench.measure import summarize

QUOTES = frozenset('"“”「」『』＂')


def sample_spans(paths: list[str], n: int, seed: int = 7) -> list[tuple[str, str]]:
    """Return ``n`` ``(path, span)`` pairs from randomly chosen reports."""
    from indexer.pipeline import inspect_file

    rng, spans = random.Random(seed), []
    texts: dict[str, str] = {}
    while len(spans) < n:
        path = rng.choice(paths)
        if path not in texts:
            texts[path] = inspect_file(Path(path))["text"]
        text = texts[path]
        for _ in range(100):
            size = rng.randint(2, 6)
            start = rng.randrange(max(1, len(text) - size))
            span = text[start:start + size]
            if any(ch.isalnum() for ch in span) and not QUOTES & set(span):
                spans.append((path, span))
                break
        if len(texts) > 5000:
            texts.clear()
    return spans


def recall_ours(index_dir: Path, spans: list[tuple[str, str]]) -> dict:
    """Search each span as a phrase (narrowed by the report's issuer); count the reports found."""
    from indexer.pipeline import report_id
    from search import engine
    from search.store import IndexHandle

    handle = IndexHandle(index_dir)
    found, misses, errors, latencies = 0, [], [], []
    for path, span in spans:
        rid = report_id(path)
        report = engine.get_report(handle, rid)
        if report is None:
            misses.append({"path": path, "span": span, "why": "report not in the index"})
            continue
        issuer = report[1].get("issuer") or ""
        try:
            hit, ms = _find(handle, rid, span, issuer)
        except (engine.QueryError, engine.ParameterError) as exc:
            errors.append({"path": path, "span": span, "error": str(exc)})
            continue
        latencies.append(ms)
        if hit:
            found += 1
        else:
            misses.append({"path": path, "span": span, "why": "not among the hits"})
    return _report(len(spans), found, misses, errors, latencies)


def _find(handle, rid: str, span: str, issuer: str) -> tuple[bool, float]:
    """Page through the phrase's hits (100 a page) until report ``rid`` shows up."""
    from search import engine

    started, page = time.perf_counter(), 1
    while True:
        results = engine.search(handle, engine.SearchRequest(
            q=f'"{span}"', issuer=(issuer,), page=page, page_size=100))
        if page == 1:
            first_ms = (time.perf_counter() - started) * 1000
        if any(h.id == rid for h in results.hits):
            return True, first_ms
        if page >= results.pages:
            return False, first_ms
        page += 1


def recall_textbook(index_dir: Path, spans: list[tuple[str, str]]) -> dict:
    """The same spans against the textbook index (filtered by the report's path)."""
    from bench.textbook import Textbook

    tb = Textbook(index_dir)
    found, misses, errors = 0, [], []
    for path, span in spans:
        try:
            if tb.contains(span, path):
                found += 1
            else:
                misses.append({"path": path, "span": span, "why": "not found"})
        except Exception as exc:                            # noqa: BLE001 - reported
            errors.append({"path": path, "span": span, "error": f"{type(exc).__name__}: {exc}"})
    tb.close()
    return _report(len(spans), found, misses, errors, [])


def _report(n: int, found: int, misses: list, errors: list, latencies: list) -> dict:
    return {"spans": n, "found": found, "recall_pct": round(100 * found / n, 2) if n else None,
            "errors": len(errors), "error_examples": errors[:20], "misses": len(misses),
            "miss_examples": misses[:30],
            "latency": summarize(latencies) if latencies else None}
