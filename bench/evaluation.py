"""Benchmark of the publication evaluation (not a timed test): one year at N generated reports.

``python -m bench.evaluation --docs 10000`` generates (or reuses) the synthetic corpus of
``bench.corpus``, builds its index once under bench/work (reused when it is already built for
the same corpus; an index another bench left at ``research-index-N`` is reused too), then
measures in-process, against the target of 300 ms for one year:

* **cold**: the first evaluation of a fresh handle, which also loads the build's facet table,
  section table and per-group facts (``search.evaluation._group_facts``), once per build;
* **one year** (the target): the median of repeated ``evaluate`` calls for one year, the busiest
  one of the corpus, as the page, the API, the CSV and the CLI call it;
* **all years**, and **one year at the web page** (the page rendered by the Flask test client,
  titles of its first 100 rows and every figure's link included).

The results go to ``bench/results/evaluation-nN.json`` with the rows and shares found, so a
reader can see the evaluation had real work to do.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from bench.corpus import ensure_corpus

WORK = Path(__file__).resolve().parent / "work"


def _median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def _index(docs: int, jobs: int) -> tuple[Path, float | None]:
    """The built index of the N-report corpus: reused when built, else built now."""
    from indexer.build import build_index

    corpus = WORK / f"corpus-{docs}"
    ensure_corpus(corpus, docs)
    index_dir = WORK / f"research-index-{docs}"
    started = time.perf_counter()
    build_index([corpus], index_dir, jobs=jobs)
    return index_dir, round(time.perf_counter() - started, 1)


def run(docs: int, runs: int = 15, jobs: int = 2) -> dict:
    from search import evaluation, facets as fc
    from search.engine import SearchRequest
    from search.store import IndexHandle
    from web import create_app

    index_dir, build_s = _index(docs, jobs)
    handle = IndexHandle(index_dir)
    started = time.perf_counter()
    everything = evaluation.evaluate(handle, SearchRequest())
    cold = round((time.perf_counter() - started) * 1000, 2)
    busiest = max(everything["by_year"], key=lambda s: s["bodies"])
    year = SearchRequest(year=(busiest["year"],))
    data = evaluation.evaluate(handle, year)
    one_year = _median_ms(lambda: evaluation.evaluate(handle, year), runs)
    all_years = _median_ms(lambda: evaluation.evaluate(handle, SearchRequest()), max(3, runs // 3))
    client = create_app({"TESTING": True, "index_dir": index_dir}).test_client()
    url = f"/evaluation?year={busiest['year']}"
    assert client.get(url).status_code == 200
    page = _median_ms(lambda: client.get(url), max(3, runs // 3))
    table = fc.facet_table(handle.snapshot())
    return {"docs": docs, "files": table.live_count,
            "reports": table.copies.live_reports if table.copies is not None else None,
            "build_or_reuse_s": build_s, "year": busiest["year"],
            "rows_that_year": len(data["rows"]), "rows_all_years": len(everything["rows"]),
            "that_year": {k: busiest[k] for k in ("bodies", "dated", "on_time", "late",
                                                  "unknown", "on_time_share", "all_parts",
                                                  "all_parts_share", "median_length")},
            "cold_ms": cold, "one_year_median_ms": one_year, "all_years_median_ms": all_years,
            "page_one_year_median_ms": page, "target_ms": 300, "runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    result = run(args.docs, args.runs, args.jobs)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    out = Path(__file__).resolve().parent / "results" / f"evaluation-n{args.docs}.json"
    out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
