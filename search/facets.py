"""Facet filters and disjunctive facet counts, computed from column arrays held in memory.

The same per-build table also holds each document's field lengths, which ranking needs for
every match.

Whoosh's grouping collapses a multi-select facet to the values already chosen, and collects every
match once per facet. Instead, the facet columns of a build are read once into Python lists
(``FacetTable``, cached per build: builds never change once published), and one pass over the
matching documents yields both the hits and, for each facet, the counts it would have *without its
own filter*: ticking 山西省 keeps the counts of the other provinces (OR inside a facet, AND across).
"""
from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable

#: Facets shown to users, in sidebar order, with their Chinese label.
FACETS = (("province", "省份"), ("year", "年份"), ("city", "城市"), ("level", "层级"))

LEVEL_LABELS = {"province": "省级", "city": "市级", "county": "县级"}
UNKNOWN = "none"
UNKNOWN_LABEL = "未识别"
#: A province-level report has no city and a city-level one no county: that is not "unknown".
NONE_LABEL = "无"

_COLUMNS = {"province": "province_code", "city": "city_code", "county": "county_code",
            "level": "level", "year": "year", "issuer": "issuer", "published": "published"}
_LABELS = {"province": "province", "city": "city", "county": "county"}


@dataclass
class FacetTable:
    """The facet columns of one build, indexed by Whoosh document number."""

    doc_count: int
    live: list[int]                       # document numbers that are not deleted
    columns: dict[str, list]             # facet name → value per docnum ("" or 0 = unknown)
    labels: dict[str, dict[str, str]]     # facet name → value → display label
    lengths: dict[str, list[int]]         # text field → token count per docnum (for BM25)

    @classmethod
    def load(cls, searcher) -> "FacetTable":
        reader = searcher.reader()
        columns = {}
        for name, field in _COLUMNS.items():
            col = reader.column_reader(field)
            columns[name] = [col[d] for d in range(reader.doc_count_all())]
        labels = {"level": dict(LEVEL_LABELS)}
        for name, field in _LABELS.items():
            names = reader.column_reader(field)
            codes = columns[name]
            labels[name] = {codes[d]: names[d] for d in range(len(codes)) if codes[d]}
        lengths = {field: [reader.doc_field_length(d, field, 0) for d in range(reader.doc_count_all())]
                   for field in ("content", "title")}
        return cls(reader.doc_count_all(), list(reader.all_doc_ids()), columns, labels, lengths)

    def label(self, facet: str, value) -> str:
        if value in ("", 0, None, UNKNOWN):
            return NONE_LABEL if facet in ("city", "county") else UNKNOWN_LABEL
        if facet == "year":
            return f"{value}年"
        return self.labels.get(facet, {}).get(value, str(value))


_cache: dict[str, FacetTable] = {}
_cache_lock = threading.Lock()


def facet_table(build_key: str, searcher) -> FacetTable:
    """Return the (cached) facet table of the build named ``build_key``."""
    with _cache_lock:
        table = _cache.get(build_key)
    if table is None:
        table = FacetTable.load(searcher)
        with _cache_lock:
            if len(_cache) >= 4:
                _cache.clear()
            _cache[build_key] = table
    return table


@dataclass(frozen=True)
class Filter:
    """Documents pass when the facet's value satisfies ``test``; ``selected`` is for display."""

    facet: str
    test: Callable[[object], bool]
    selected: tuple = ()


def count_and_filter(table: FacetTable, docs: Iterable[int], filters: list[Filter],
                     facets: Iterable[str]) -> tuple[list[int], dict[str, Counter]]:
    """Return the docs passing every filter, and disjunctive counts for each facet in ``facets``."""
    facets = list(facets)
    counts = {f: Counter() for f in facets}
    cols = table.columns
    checks = [(flt.facet, cols[flt.facet], flt.test) for flt in filters]
    shown = [(f, cols[f], counts[f]) for f in facets]
    hits = []
    for d in docs:
        failed = None
        for name, col, test in checks:
            if not test(col[d]):
                if failed is not None:
                    break
                failed = name
        else:
            if failed is None:
                hits.append(d)
                for _, col, counter in shown:
                    counter[col[d]] += 1
            elif failed in counts:
                counts[failed][cols[failed][d]] += 1
    return hits, counts


def facet_results(table: FacetTable, counts: dict[str, Counter], filters: list[Filter],
                  size: int) -> list[dict]:
    """Shape counts as plain data: ``[{"name", "label", "values": [...], "truncated"}]``."""
    selected = {f.facet: set(f.selected) for f in filters}
    out = []
    for name, label in FACETS:
        if name not in counts:
            continue
        counter = counts[name]
        chosen = selected.get(name, set())
        values = [{"value": _value(v), "label": table.label(name, v), "count": n,
                   "selected": _value(v) in chosen} for v, n in counter.items()]
        values += [{"value": v, "label": table.label(name, _raw(name, v)), "count": 0,
                    "selected": True} for v in chosen if v not in {x["value"] for x in values}]
        values.sort(key=_sort_key(name))
        out.append({"name": name, "label": label, "values": values[:size],
                    "truncated": len(values) > size})
    return out


def _value(v) -> str:
    return UNKNOWN if v in ("", 0, None) else str(v)


def _raw(facet: str, v: str):
    if v == UNKNOWN:
        return ""
    return int(v) if facet == "year" and v.isdigit() else v


def _sort_key(name: str):
    """Years newest first; levels top down; other facets by count; unknown last."""
    order = {"province": 0, "city": 1, "county": 2}
    if name == "year":
        return lambda x: (x["value"] == UNKNOWN, -int(x["value"]) if x["value"].isdigit() else 0)
    if name == "level":
        return lambda x: (x["value"] == UNKNOWN, order.get(x["value"], 9))
    return lambda x: (x["value"] == UNKNOWN, not x["selected"], -x["count"], x["value"])
