"""How often a policy is mentioned, year by year and region by region: counts and shares.

For each query and each year, the number of reports that match (under the request's filters)
and the share of that year's reports under the same filters, so a year with more reports in the
collection does not look like a rise. The matching documents come from
``engine.matching_docs``, the very function a search counts with, so every count here is the
``total`` of the search its link opens (tests/test_trends.py checks that).

The region grid splits one query's counts by province × year, or, when the request is filtered to
one province, by its cities × year. Everything is ``np.bincount`` over the build's facet columns.
"""
from __future__ import annotations

import re
import time
from dataclasses import replace

import numpy as np

from search import engine, settings
from search import facets as fc
from search.engine import ParameterError, SearchRequest
from search.query import parse
from search.store import IndexHandle

_SPLIT = re.compile(r"[,，、;；\n]")
MAX_YEARS = 60
#: The row of a province's own reports (no city) in its city grid.
PROVINCE_ITSELF = "省本级"


def split_queries(values) -> list[str]:
    """Return the queries of ``q`` values: each may hold several, comma-separated (，too).

    ``["证照分离,一件事", "告知承诺制"]`` → ``["证照分离", "一件事", "告知承诺制"]``; duplicates and
    blanks are dropped, order kept.
    """
    out = []
    for value in ([values] if isinstance(values, str) else values):
        for part in _SPLIT.split(value or ""):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


def check_queries(queries: list[str]) -> None:
    """Reject an empty or too long list, and any query that does not parse (ParameterError)."""
    limit = settings.get("trend_max_queries")
    if not queries:
        raise ParameterError("Give at least one query, e.g. q=证照分离,一件事. "
                             "请输入至少一个查询词，多个用逗号分隔。")
    if len(queries) > limit:
        raise ParameterError(f"A trend compares at most {limit} queries, not {len(queries)}. "
                             f"趋势最多比较 {limit} 个查询。")
    for q in queries:
        try:
            parse(q)
        except engine.QueryError as exc:
            raise engine.QueryError(f"“{q}”: {exc}") from None


def trend(handle: IndexHandle, queries: list[str], request: SearchRequest,
          grid: int = 0) -> dict:
    """Return counts and shares of each query per year, and one query's region × year grid.

    :param request: the filters (``q`` and paging are ignored).
    :param grid: which query (index into ``queries``) the region grid shows.
    :raises ParameterError, QueryError: as a search with these filters would.
    """
    started = time.perf_counter()
    check_queries(queries)
    if not 0 <= grid < len(queries):
        raise ParameterError(f"grid must be between 0 and {len(queries) - 1}, not {grid}.")
    base = replace(request, q="", page=1, page_size=0, sort="relevance")
    engine.check(base)
    snap = handle.snapshot()
    table, all_docs = engine.matching_docs(snap, base)
    years = _years(table, all_docs, request)
    reports = _by_year(table, all_docs, years)
    low = settings.get("trend_low_reports")
    series, docs_of = [], {}
    for q in queries:
        _, docs = engine.matching_docs(snap, replace(base, q=q))
        docs_of[q] = docs
        counts = _by_year(table, docs, years)
        series.append({"query": q, "counts": counts.tolist(), "shares": _shares(counts, reports),
                       "total": int(counts.sum()),
                       "unknown_year": int(np.count_nonzero(table.codes["year"][docs]
                                                            == _unknown_code(table)))})
    regions = _regions(table, all_docs, docs_of[queries[grid]], years, request)
    regions["query"] = queries[grid]
    return {"queries": queries, "years": years, "reports": reports.tolist(),
            "low": [int(n) < low for n in reports], "low_reports": low, "series": series,
            "regions": regions, "took_ms": round((time.perf_counter() - started) * 1000, 2)}


def _unknown_code(table: fc.FacetTable) -> int:
    return 0 if table.values["year"] and table.values["year"][0] == 0 else -1


def _years(table: fc.FacetTable, docs: np.ndarray, request: SearchRequest) -> list[int]:
    """The year axis: the years asked for, else the known years of the filtered collection."""
    if request.year:
        return sorted({int(str(y).rstrip("年")) for y in request.year})
    present = [int(table.values["year"][c]) for c in np.unique(table.codes["year"][docs])]
    present = [y for y in present if y]
    lo = int(request.year_from) if request.year_from not in (None, "") else None
    hi = int(request.year_to) if request.year_to not in (None, "") else None
    lo = lo if lo is not None else (min(present) if present else hi)
    hi = hi if hi is not None else (max(present) if present else lo)
    if lo is None or hi is None:
        return []
    if hi - lo + 1 > MAX_YEARS:
        raise ParameterError(f"A trend spans at most {MAX_YEARS} years; narrow year_from/year_to. "
                             f"趋势最多跨 {MAX_YEARS} 年，请缩小年份范围。")
    return list(range(lo, hi + 1))


def _year_positions(table: fc.FacetTable, years: list[int]) -> np.ndarray:
    """Map each year code of the table to its place on the axis (-1: not on it)."""
    at = {y: i for i, y in enumerate(years)}
    return np.array([at.get(v, -1) for v in table.values["year"]], dtype=np.int64)


def _by_year(table: fc.FacetTable, docs: np.ndarray, years: list[int]) -> np.ndarray:
    pos = _year_positions(table, years)[table.codes["year"][docs]]
    return np.bincount(pos[pos >= 0], minlength=len(years))


def _shares(counts: np.ndarray, reports: np.ndarray) -> list[float | None]:
    return [round(int(c) / int(n), 4) if n else None for c, n in zip(counts, reports)]


def _regions(table: fc.FacetTable, all_docs: np.ndarray, docs: np.ndarray, years: list[int],
             request: SearchRequest) -> dict:
    """Region × year counts and shares: provinces, or the cities of the one province asked for."""
    provinces = {str(v) for v in request.province}
    facet, province = "province", None
    if len(provinces) == 1:
        [flt] = [f for f in engine.build_filters(SearchRequest(province=tuple(provinces)))]
        province = str(flt.selected[0])
        facet = "city" if province != fc.UNKNOWN else "province"
    positions = _year_positions(table, years)
    width = max(1, len(years))

    def grid(of: np.ndarray) -> np.ndarray:
        pos = positions[table.codes["year"][of]]
        keep = pos >= 0
        flat = table.codes[facet][of][keep].astype(np.int64) * width + pos[keep]
        size = len(table.values[facet]) * width
        return np.bincount(flat, minlength=size).reshape(-1, width)

    n, hits = grid(all_docs), grid(docs)
    rows = []
    for code in np.flatnonzero(n.sum(axis=1)).tolist():
        value = table.values[facet][code]
        rows.append({"code": fc.UNKNOWN if value in ("", 0, None) else str(value),
                     "label": (PROVINCE_ITSELF if facet == "city" and not value
                               else table.label(facet, value)), "reports": n[code].tolist(),
                     "counts": hits[code].tolist(), "shares": _shares(hits[code], n[code]),
                     "total": int(hits[code].sum())})
    rows.sort(key=lambda r: (r["code"] == fc.UNKNOWN, r["code"]))
    return {"level": facet, "province": province,
            "province_label": table.label("province", province) if province else None,
            "rows": rows}
