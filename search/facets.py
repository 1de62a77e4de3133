"""Facet filters and disjunctive facet counts, computed from column arrays held in memory.

The same per-build table holds the build's text postings (``search.postings``) with the BM25
statistics of its fields, which ranking needs for every match.

Whoosh's grouping collapses a multi-select facet to the values already chosen, and collects every
match once per facet. Instead, the facet columns of a build are read once into numpy arrays
(``FacetTable``, cached per build: builds never change once published). Filters become masks,
and each facet is counted with ``np.bincount`` over the documents that pass every filter *but its
own*: ticking 山西省 keeps the counts of the other provinces (OR inside a facet, AND across).
The table also carries the build's cache of term results (``matching.TermCache``).
"""
from __future__ import annotations

import bisect
import heapq
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np

from search import settings
from search import table_file
from search.groups import load_groups
from search.store import unreadable_build_file
from search.matching import Bm25, TermCache
from search.postings import FIELDS, BuildPostings

#: Facets shown to users, in sidebar order, with their Chinese label.
FACETS = (("province", "省份"), ("year", "年份"), ("city", "城市"), ("county", "区县"),
          ("level", "层级"), ("issuer", "发布机关"))

LEVEL_LABELS = {"province": "省级", "city": "市级", "county": "县级"}
UNKNOWN = "none"
UNKNOWN_LABEL = "未识别"
#: A province-level report has no city and a city-level one no county: that is not "unknown".
NONE_LABELS = {"city": "省本级", "county": "市本级"}

#: Most selected values with no match listed in one facet (the filter chips list them all).
ZERO_SELECTED_SHOWN = 8

_COLUMNS = table_file.COLUMNS


@dataclass
class FacetTable:
    """The facet columns of one build, indexed by Whoosh document number, as numpy arrays.

    Each column is stored as integer codes into the sorted list of its distinct values
    (``np.unique``), so a filter tests each distinct value once, counting is ``np.bincount``, and
    sorting by codes sorts by value.
    """

    doc_count: int
    live_mask: np.ndarray                 # bool: the document is not deleted
    codes: dict[str, np.ndarray]          # facet name → code per docnum
    values: dict[str, list]               # facet name → distinct values, sorted ("" or 0 = unknown)
    labels: dict[str, dict[str, str]]     # facet name → value → display label
    postings: BuildPostings
    bm25: dict[str, Bm25]                 # text field → its BM25 statistics
    term_cache: TermCache
    copies: "CopyTable | None" = None       # groups of copies (search.groups), per docnum
    orders: dict | None = None              # sort name → every docnum in that order
    section_arrays: dict | None = None      # the section table written at publish, if any

    @classmethod
    def load(cls, folder: str, searcher) -> "FacetTable":
        """Map the table written at publish time (``search.table_file``), or read the facet
        columns when there is none (an older build), and open the build's postings."""
        reader = searcher.reader()
        table = table_file.read(folder, reader) or table_file.compute(folder, reader)
        arrays = table["arrays"]
        n, live = table["doc_count"], arrays["live"]
        codes = {name: arrays[f"codes.{name}"] for name in _COLUMNS}
        labels = {"level": dict(LEVEL_LABELS), **table["labels"]}
        try:
            postings = BuildPostings.open(folder, reader)
        except (OSError, ValueError) as exc:      # missing, not our format, or no file handle
            raise unreadable_build_file(folder, "text postings", exc) from None
        bm25 = {field: Bm25(postings.lengths(field), live) for field in FIELDS}
        cache = TermCache(settings.get("term_cache_mb") * 1024 * 1024)
        copies = CopyTable(folder, arrays["copies.representative"], arrays["copies.copies"],
                           arrays["copies.group_code"], arrays["copies.group_names"], live,
                           table["live_reports"])
        orders = {name[len("order."):]: a for name, a in arrays.items()
                  if name.startswith("order.")}
        sections = {name: a for name, a in arrays.items() if name.startswith("sections.")}
        return cls(n, live, codes, table["values"], labels, postings, bm25, cache, copies,
                   orders, sections or None)

    @property
    def live_count(self) -> int:
        return int(np.count_nonzero(self.live_mask))

    def value(self, facet: str, docnum: int):
        """The raw value of ``facet`` for one document."""
        return self.values[facet][self.codes[facet][docnum]]

    def label(self, facet: str, value) -> str:
        if value in ("", 0, None, UNKNOWN):
            return NONE_LABELS.get(facet, UNKNOWN_LABEL)
        if facet == "year":
            return f"{value}年"
        return self.labels.get(facet, {}).get(value, str(value))

    def passing(self, flt: "Filter") -> np.ndarray:
        """Mask of the documents whose value passes ``flt`` (the test runs once per value)."""
        allowed = np.fromiter((bool(flt.test(v)) for v in self.values[flt.facet]), dtype=bool,
                              count=len(self.values[flt.facet]))
        return allowed[self.codes[flt.facet]]


class CopyTable:
    """Which documents represent their group of copies, per Whoosh document number.

    Counting only representatives counts each report once, however many files it has. A build
    without ``groups.json`` (or a report missing from it) counts every file as its own report.
    The arrays come from the build's table (``search.table_file``); the copy lists of a report
    page (``others``) read ``groups.json`` itself, once, when first asked.
    """

    def __init__(self, folder: str, representative: np.ndarray, copies: np.ndarray,
                 group_code: np.ndarray, group_names: np.ndarray, live: np.ndarray,
                 live_reports: int):
        self.folder, self.representative, self.copies = folder, representative, copies
        self.group_code, self.group_names, self.live = group_code, group_names, live
        self.live_reports = live_reports
        self._members: dict | None = None
        self._shared_mask: np.ndarray | None = None

    def one_per_group(self, matched: np.ndarray) -> np.ndarray:
        """Keep one matching document per group: its representative when that matches, else
        the first matching copy (a sentence only one copy has still finds its report)."""
        shared = self._shared()
        docs = np.flatnonzero(matched & shared)      # a report alone in its group stays
        if not len(docs):
            return matched
        groups = self.group_code[docs]
        order = np.lexsort((docs, ~self.representative[docs], groups))
        first = np.ones(len(order), dtype=bool)
        first[1:] = groups[order][1:] != groups[order][:-1]
        out = matched & ~shared
        out[docs[order[first]]] = True
        return out

    def _shared(self) -> np.ndarray:
        """Live documents whose group has another live document (computed once): only those
        need sorting by group, which at 100,000 reports cost 15 ms on every broad query."""
        if self._shared_mask is None:
            codes = self.group_code
            sizes = np.bincount(codes[self.live], minlength=int(codes.max()) + 1 if len(codes)
                                else 0)
            self._shared_mask = (sizes[codes] > 1) & self.live
        return self._shared_mask

    def group_of(self, docnum: int) -> str:
        return str(self.group_names[self.group_code[docnum]])

    def of(self, docnum: int) -> dict:
        """``{"group", "copies"}`` of one document, as each hit carries them."""
        return {"group": self.group_of(docnum), "copies": int(self.copies[docnum])}

    @property
    def members(self) -> dict:
        """Group id → ``[(report id, entry)]`` of its live files, representative first."""
        if self._members is None:
            live_groups = {self.group_of(d) for d in np.flatnonzero(self.live & (self.copies > 1))}
            members: dict = {}
            for cid, entry in load_groups(self.folder).items():
                if entry.get("group") in live_groups:
                    members.setdefault(entry["group"], []).append((cid, entry))
            for rows in members.values():
                rows.sort(key=lambda r: (not r[1]["rep"], r[0]))
            self._members = members
        return self._members

    def others(self, report_id: str, group: str) -> list[dict]:
        """The other copies of a report: id, path, source site, format, script, representative."""
        return [{"id": cid, "representative": bool(e["rep"]), **(e.get("info") or {})}
                for cid, e in self.members.get(group, []) if cid != report_id]


def facet_table(snapshot) -> FacetTable:
    """Return the facet table of the snapshot's build: loaded once per build, on its handle."""
    return snapshot.state("facets", lambda: FacetTable.load(snapshot.build.path.as_posix(),
                                                            snapshot.searcher))


@dataclass(frozen=True)
class Filter:
    """Documents pass when the facet's value satisfies ``test``; ``selected`` is for display."""

    facet: str
    test: Callable[[object], bool]
    selected: tuple = ()


def count_and_filter(table: FacetTable, matched: np.ndarray, filters: list[Filter],
                     facets: Iterable[str]) -> tuple[np.ndarray, dict[str, Mapping]]:
    """Return the docs passing every filter, and disjunctive counts for each facet in ``facets``.

    :param matched: bool mask of the documents the query matched.
    A facet's counts are taken over the documents that pass every *other* filter: ticking 山西省
    keeps the counts of the other provinces.
    """
    masks = {}
    for flt in filters:
        mask = table.passing(flt)
        masks[flt.facet] = masks[flt.facet] & mask if flt.facet in masks else mask
    hits = matched & np.logical_and.reduce(list(masks.values())) if masks else matched
    counts = {}
    for facet in facets:
        others = [m for name, m in masks.items() if name != facet]
        pool = matched & np.logical_and.reduce(others) if others else matched
        tally = np.bincount(table.codes[facet][pool], minlength=len(table.values[facet]))
        counts[facet] = FacetCounts(table.values[facet], tally)
    return np.flatnonzero(hits), counts


class FacetCounts(Mapping):
    """Value → count of one facet, over the codes' tally (``np.bincount``), values with a count
    only. A mapping like the ``Counter`` it replaces, but a value is made a Python object only
    when asked for: 发布机关 has thousands, and a page shows ten (``facet_results``)."""

    def __init__(self, values: list, tally: np.ndarray):
        self.values, self.tally = values, tally
        self.present = np.flatnonzero(tally)
        self._index: dict | None = None

    def __len__(self) -> int:
        return len(self.present)

    def __iter__(self):
        values = self.values
        return (values[i] for i in self.present.tolist())

    def __getitem__(self, value) -> int:
        if self._index is None:
            self._index = {self.values[i]: i for i in self.present.tolist()}
        return int(self.tally[self._index[value]])

    def items(self):
        values = self.values
        return list(zip([values[i] for i in self.present.tolist()],
                        self.tally[self.present].tolist()))

    def contenders(self, chosen: set, size: int) -> list:
        """``_contenders`` over the tally: the unknown value, the chosen ones, and those
        counted at least as often as the ``size``-th most frequent of the others."""
        values, present = self.values, self.present
        counts = self.tally[present]
        special = (present == 0) if values and not values[0] else np.zeros(len(present), bool)
        at = [bisect.bisect_left(values, v) for v in chosen]       # values are sorted
        special |= np.isin(present, [i for i, v in zip(at, chosen)
                                     if i < len(values) and values[i] == v])
        free = counts[~special]
        if len(free) <= size:
            return self.items()
        cut = np.partition(free, len(free) - size)[len(free) - size]
        keep = present[special | (counts >= cut)]
        return list(zip([values[i] for i in keep.tolist()], self.tally[keep].tolist()))


def facet_results(table: FacetTable, counts: dict[str, Mapping], filters: list[Filter],
                  size: int) -> list[dict]:
    """Shape counts as plain data: ``[{"name", "label", "values": [...], "truncated"}]``.

    Values are ordered first and labelled after, so only the ``size`` shown get a label.
    """
    selected = {f.facet: set(f.selected) for f in filters}
    out = []
    for name, label in FACETS:
        if name not in counts:
            continue
        chosen = selected.get(name, set())
        found = counts[name]
        seen = {_value(v) for v in found} if chosen else ()
        # Selected values nothing matches still show (to untick them), a few at most: each
        # row links to the whole URL, so listing hundreds would grow the page quadratically.
        zero = [(v, _raw(name, v), 0) for v in chosen if v not in seen][:ZERO_SELECTED_SHOWN]
        total = len(found) + len(zero)
        rows = [(_value(v), v, n) for v, n in _contenders(name, found, chosen, size)] + zero
        rows.sort(key=_sort_key(name, chosen))
        values = [{"value": value, "label": table.label(name, raw), "count": n,
                   "selected": value in chosen} for value, raw, n in rows[:size]]
        out.append({"name": name, "label": label, "values": values, "truncated": total > size})
    return out


def _contenders(name: str, found: Mapping, chosen: set, size: int):
    """The values that can be among the first ``size`` of a facet ordered by count.

    A facet such as 发布机关 has thousands of values: sorting all of them for every request
    cost more than counting them. Selected and unknown values always contend; of the others
    only those counted at least as often as the ``size``-th most frequent one can rank.
    """
    if name in ("year", "level") or len(found) <= 4 * size \
            or not all(isinstance(v, str) for v in chosen):
        return found.items()
    if isinstance(found, FacetCounts):
        return found.contenders(chosen, size)
    free = [n for v, n in found.items() if v and v not in chosen]      # string values
    if len(free) <= size:
        return found.items()
    cut = heapq.nlargest(size, free)[-1]
    return [(v, n) for v, n in found.items() if n >= cut or not v or v in chosen]


def _value(v) -> str:
    return UNKNOWN if v in ("", 0, None) else str(v)


def _raw(facet: str, v: str):
    if v == UNKNOWN:
        return ""
    return int(v) if facet == "year" and v.isdigit() else v


def _sort_key(name: str, chosen: set):
    """Years newest first; levels top down; other facets by count; unknown last.

    Rows are ``(value, raw value, count)``.
    """
    order = {"province": 0, "city": 1, "county": 2}
    if name == "year":
        return lambda r: (r[0] == UNKNOWN, -int(r[0]) if r[0].isdigit() else 0)
    if name == "level":
        return lambda r: (r[0] == UNKNOWN, order.get(r[0], 9))
    return lambda r: (r[0] == UNKNOWN, r[0] not in chosen, -r[2], r[0])
