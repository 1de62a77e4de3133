"""The fixed query mix, and its latency in-process for our engine and for the textbook setup.

The mix (documented in bench/README.md) is what users type and what the UI asks for: every
request computes the facet counts the sidebar shows (``engine.search`` always does; the textbook
counts them with ``groupedby``). Each text query runs alone, with a province filter and with a
year filter. Systems are timed interleaved, query by query, so that a noisy neighbour slows both
alike. The first query on a freshly opened index is reported apart: it pays for opening the
index, loading the facet columns and the dictionary.
"""
from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urlencode

from bench.measure import summarize

PROVINCE, YEAR = "山西省", 2023

#: (category, query text): single policy terms, two-term AND, a quoted phrase, phrases that cross
#: jieba's word boundaries (办成一件 inside 高效办成一件事, 网通 inside 一网通办), traditional script.
TEXT_QUERIES = (("term", "证照分离"), ("term", "行政复议"), ("term", "营商环境"),
                ("and", "行政复议 营商环境"), ("phrase", '"高效办成一件事"'),
                ("subword", "办成一件"), ("subword", "网通"), ("traditional", "行政復議"))


@dataclass(frozen=True)
class Query:
    """One request of the mix."""

    name: str
    category: str
    q: str = ""
    province: str | None = None
    year: int | None = None
    page: int = 1

    def api_path(self) -> str:
        """The same request to the web app's JSON API."""
        params = [("q", self.q)] + ([("province", self.province)] if self.province else []) + (
            [("year", str(self.year))] if self.year else []) + (
            [("page", str(self.page))] if self.page > 1 else [])
        return "/api/search?" + urlencode(params)


def query_mix(province: str = PROVINCE, year: int = YEAR) -> list[Query]:
    """Return the fixed mix: 8 text queries × (alone, +province, +year), browsing, deep pages."""
    mix = []
    for category, q in TEXT_QUERIES:
        mix += [Query(q, category, q), Query(f"{q} +province", category, q, province=province),
                Query(f"{q} +year", category, q, year=year)]
    mix += [Query("(empty)", "empty"), Query("(empty) +province", "empty", province=province),
            Query("(empty) +year", "empty", year=year),
            Query("营商环境 page 50", "deep", "营商环境", page=50),
            Query("(empty) page 50", "deep", page=50)]
    return mix


def ours(index_dir: Path) -> Callable[[Query], int]:
    """Return a function answering a mix query with our engine; it returns the total.

    The function has a ``forget()`` attribute that empties the caches of repeated work (term
    results, fragments): called before a request, the request is answered as if no one had
    asked it before, by a server that has the build open.
    """
    from search import engine
    from search.store import IndexHandle

    handle = IndexHandle(index_dir)
    _clear_caches()

    def run(query: Query) -> int:
        request = engine.SearchRequest(q=query.q, province=(query.province,) if query.province
                                       else (), year=(query.year,) if query.year else (),
                                       page=query.page)
        return engine.search(handle, request).total
    run.forget = lambda: _forget_repeats(handle)
    return run


def _clear_caches() -> None:
    """Start like a fresh process: no fragments cached (a new handle has no facet tables or
    term results: they live on the handle, per build)."""
    from search import highlight

    highlight._fragments.cache_clear()


def _forget_repeats(handle) -> None:
    """Empty the caches of repeated requests, keeping the open build (columns, postings)."""
    from search import facets, highlight
    from search.matching import TermCache

    table = facets.facet_table(handle.snapshot())
    table.term_cache = TermCache(table.term_cache.max_bytes)
    getattr(table.postings, "forget", lambda: None)()      # remembered match positions
    highlight._fragments.cache_clear()


def textbook(index_dir: Path) -> Callable[[Query], int]:
    """Return a function answering a mix query with the textbook setup; it returns the total."""
    from bench.textbook import Textbook

    tb = Textbook(index_dir)

    def run(query: Query) -> int:
        return tb.search(query.q, query.province, query.year, query.page)["total"]
    return run


def first_query_ms(make: Callable[[], Callable[[Query], int]], query: Query) -> float:
    """Open the system and answer one query: the cold start a fresh process pays."""
    started = time.perf_counter()
    make()(query)
    return round((time.perf_counter() - started) * 1000, 1)


def run_mix(systems: dict[str, Callable[[Query], int]], mix: list[Query], rounds: int) -> dict:
    """Time every query of ``mix`` on every system, ``rounds`` times, then ``rounds`` again warm.

    The headline rounds ("all") answer every request as new: a system's ``forget()`` (where it
    has one) runs before each request, so our per-build caches of term results and fragments
    never help. The warm rounds ("warm") repeat the mix with the caches kept, as a server
    answers the policy terms users search for again and again. One untimed pass first opens
    the index and loads what a running server has loaded.
    """
    times = {name: defaultdict(list) for name in systems}
    warm = {name: defaultdict(list) for name in systems}
    totals = {name: {} for name in systems}
    errors = {name: {} for name in systems}
    for r in range(2 * rounds + 1):
        for query in mix:
            for name, run in systems.items():
                if r <= rounds and hasattr(run, "forget"):
                    run.forget()
                started = time.perf_counter()
                try:
                    totals[name][query.name] = run(query)
                except Exception as exc:                       # noqa: BLE001 - reported
                    errors[name][query.name] = f"{type(exc).__name__}: {exc}"
                    continue
                elapsed = (time.perf_counter() - started) * 1000
                if r:
                    (times if r <= rounds else warm)[name][query.name].append(elapsed)
    return {name: {**_report(times[name], totals[name], errors[name], mix),
                   "warm": _report(warm[name], totals[name], {}, mix)}
            for name in systems}


def _report(times: dict, totals: dict, errors: dict, mix: list[Query]) -> dict:
    by_category = defaultdict(list)
    for query in mix:
        by_category[query.category] += times.get(query.name, [])
    return {"all": summarize([t for ts in times.values() for t in ts]),
            "by_category": {c: summarize(ts) for c, ts in by_category.items()},
            "by_query": {q.name: {**summarize(times.get(q.name, [])), "total": totals.get(q.name)}
                         for q in mix},
            "errors": errors}
