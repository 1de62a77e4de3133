"""Benchmark of the research views (not a timed test): trends and section-filtered searches.

``python -m bench.research --docs 10000`` generates (or reuses) the synthetic corpus of
``bench.corpus``, builds its index once under bench/work, then measures in-process:

* a trend of 3 queries over 11 years (2015–2025) with the province × year grid (target 150 ms);
* searches with and without ``section:`` (target: at most 20% more with it);
* the share of reports whose sections were found (any typed section).

Each figure is the median of repeated runs with the term cache cleared before each, so every
run matches its terms afresh (a search with and without its section are timed in turn); the
first (cold) trend also loads the build's facet table, and the section table is loaded before
the section searches are timed. An index already built for the same corpus is reused.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from bench.corpus import ensure_corpus

WORK = Path(__file__).resolve().parent / "work"
TREND = ["证照分离", "一件事", "告知承诺制"]
SECTION_QUERIES = [("执法", "不足"), ("法治", "计划"), ("行政复议", "成效"), ("述法", "第一责任人"),
                   ("营商环境", "不足")]


def _clear(handle) -> None:
    from search import facets as fc

    table = fc.facet_table(handle.snapshot())
    table.term_cache._items.clear()
    table.term_cache.used = 0


def _median_ms(fn, handle, runs: int) -> float:
    times = []
    for _ in range(runs):
        _clear(handle)
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def _paired_ms(plain, within, handle, runs: int) -> tuple[float, float]:
    """Medians of two searches timed in turn (a shared machine's load hits both alike)."""
    a, b = [], []
    for _ in range(runs):
        for fn, out in ((plain, a), (within, b)):
            _clear(handle)
            started = time.perf_counter()
            fn()
            out.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(a), 2), round(statistics.median(b), 2)


def run(docs: int, runs: int = 15, jobs: int = 2) -> dict:
    from indexer.build import build_index
    from search import engine, section_index, trends
    from search.engine import SearchRequest
    from search.store import IndexHandle

    corpus = WORK / f"corpus-{docs}"
    ensure_corpus(corpus, docs)
    index_dir = WORK / f"research-index-{docs}"
    started = time.perf_counter()
    report = build_index([corpus], index_dir, jobs=jobs)
    build_s = round(time.perf_counter() - started, 1)
    handle = IndexHandle(index_dir)
    years = SearchRequest(year_from=2015, year_to=2025)

    started = time.perf_counter()
    data = trends.trend(handle, TREND, years)
    cold = round((time.perf_counter() - started) * 1000, 2)
    trend_ms = _median_ms(lambda: trends.trend(handle, TREND, years), handle, runs)

    engine.search(handle, SearchRequest(q="section:不足 法治"))      # loads the section table
    pairs = []
    for term, kind in SECTION_QUERIES:
        plain, within = _paired_ms(
            lambda: engine.search(handle, SearchRequest(q=term)),
            lambda: engine.search(handle, SearchRequest(q=f"section:{kind} {term}")), handle, runs)
        pairs.append({"query": term, "section": kind, "plain_ms": plain, "section_ms": within,
                      "extra": round(within / plain - 1, 3) if plain else None,
                      "hits": engine.search(handle, SearchRequest(q=term)).total,
                      "section_hits": engine.search(handle, SearchRequest(
                          q=f"section:{kind} {term}")).total})

    def facet():                            # what the search page's 章节 facet costs
        snap = handle.snapshot()
        for kind in section_index.KINDS:
            engine.matching_docs(snap, SearchRequest(q=f"执法 section:{kind}"))
    facet_ms = _median_ms(facet, handle, runs)

    from search import facets as fc
    snap = handle.snapshot()
    table = fc.facet_table(snap)
    sections = section_index.section_table(snap.searcher, table)
    found = int((sections.found & table.live_mask).sum())
    return {"docs": docs, "indexed": report.added, "build_s": build_s,
            "trend": {"queries": TREND, "years": len(data["years"]),
                      "provinces": len(data["regions"]["rows"]), "cold_ms": cold,
                      "median_ms": trend_ms, "target_ms": 150},
            "section_search": pairs,
            "section_extra_median": statistics.median(p["extra"] for p in pairs),
            "section_facet_ms": facet_ms,
            "sections_found": {"reports": found, "share": round(found / table.live_count, 4)}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    result = run(args.docs, args.runs, args.jobs)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    out = Path(__file__).resolve().parent / "results" / f"research-n{args.docs}.json"
    out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
