"""The one search entry point used by the CLI and the web app.

``search(handle, request)`` → ``SearchResults``: total, one page of hits (metadata, score,
highlighted fragments) and disjunctive facet counts. Request parameters are validated here, so
every front end rejects the same bad input with the same message (``ParameterError``,
``QueryError``).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import numpy as np

from search import facets as fc
from search import highlight, regions, settings
from search.matching import evaluate, keep_page, masks_of, term_spans
from search.messages import Notice, UserError
from search.similar import similar
from search.query import QueryError, parse  # noqa: F401 (re-exported)
from search.schema import YEAR_RANGE, METADATA_FIELDS
from search.store import IndexHandle

SORTS = {"relevance": "相关度", "year": "年份（新→旧）", "year-asc": "年份（旧→新）",
         "published": "发布日期（新→旧）"}
LEVELS = {"province": "province", "city": "city", "county": "county",
          "省级": "province", "市级": "city", "县级": "county", "省": "province", "市": "city",
          "县": "county"}
MAX_FILTER_CHARS = 100


class ParameterError(UserError):
    """A filter, sort or paging parameter is invalid; the message names it and the fix.

    The English message names the command line's option (``--year-from``), the Chinese one
    what the web page calls it (起始年份).
    """

    code = "bad_parameter"


#: What the web page calls each filter (for the Chinese messages).
FILTER_LABELS = {"province": "省份", "city": "城市", "county": "区县", "level": "层级",
                 "issuer": "发布机关", "year": "年份", "year_from": "起始年份",
                 "year_to": "截止年份"}


def _option(name: str) -> str:
    """The command-line option of a request field: ``year_from`` → ``--year-from``."""
    return "--" + name.replace("_", "-")


@dataclass(frozen=True)
class SearchRequest:
    """Everything a user can ask for; built by the CLI from options, by the web app from the URL."""

    q: str = ""
    province: tuple[str, ...] = ()
    city: tuple[str, ...] = ()
    county: tuple[str, ...] = ()
    level: tuple[str, ...] = ()
    year: tuple[int, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    issuer: tuple[str, ...] = ()
    sort: str = "relevance"
    page: int = 1
    page_size: int = 0          # 0: the page_size setting
    copies: str = ""            # "all": every file its own hit; else one hit per report


@dataclass
class Hit:
    id: str
    path: str
    score: float | None
    fragments: list[dict]
    metadata: dict
    #: Not shown: where each fragment begins in the text, and the stored section spans (the
    #: web app labels fragments with their section without reading the report again).
    starts: tuple = ()
    sections: str | None = None

    def to_dict(self) -> dict:
        return {"id": self.id, "path": self.path, **self.metadata, "score": self.score,
                "fragments": self.fragments}


@dataclass
class SearchResults:
    request: SearchRequest
    total: int
    page: int
    page_size: int
    hits: list[Hit]
    facets: list[dict]
    took_ms: float
    warnings: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    def to_dict(self) -> dict:
        return {"query": self.request.q, "total": self.total, "page": self.page,
                "page_size": self.page_size, "pages": self.pages,
                "sort": self.request.sort, "took_ms": round(self.took_ms, 2),
                "hits": [h.to_dict() for h in self.hits], "facets": self.facets,
                "warnings": self.warnings}


def search(handle: IndexHandle, request: SearchRequest,
           keep: dict | None = None) -> SearchResults:
    """Run ``request`` against the live index of ``handle``.

    :param keep: a dict that receives where each term occurs in every report (the web app's
        section facet reuses it: ``count_each``); without it, reports that have a one-word
        term as a jieba word are matched without reading positions.

    :raises QueryError: the query text cannot be parsed.
    :raises ParameterError: a filter, sort or paging value is invalid.
    """
    started = time.perf_counter()
    page, page_size = check(request)
    snap = handle.snapshot()
    build, searcher = snap
    seen: dict = {} if keep is None else keep
    table, tree, scores, docs, counts = _match(snap, request, seen, complete=keep is not None)
    ranked = _rank(table, scores, docs, request.sort, page * page_size)
    window = ranked[(page - 1) * page_size: page * page_size]
    if tree is not None and seen and window:
        keep_page(table, tree, seen, [d for d, _ in window])
    shape = (settings.get("fragment_count"), settings.get("fragment_chars"))
    hits = [_hit(searcher, table, d, score, tree, shape, seen) for d, score in window]
    warnings = ([Notice("The index was built by another version of the analysis; results may "
                        "be incomplete. Run `policy-search index --rebuild`.",
                        "索引是用另一版本的分词规则建立的，结果可能不完整。"
                        "请运行 policy-search index --rebuild 重建索引。")]
                if build.outdated else [])
    return SearchResults(request, len(docs), page, page_size, hits,
                         fc.facet_results(table, counts, build_filters(request),
                                          settings.get("facet_size")),
                         (time.perf_counter() - started) * 1000, warnings)


def export(handle: IndexHandle, request: SearchRequest, limit: int):
    """Yield the public record of every matching report, in sort order, from one snapshot.

    Paging is ignored (but validated, like everything else); at most ``limit`` records.
    """
    check(request)
    snap = handle.snapshot()
    searcher = snap.searcher
    table, _, scores, docs, _ = _match(snap, request)

    def records():
        for d, score in _rank(table, scores, docs, request.sort, limit):
            stored = searcher.stored_fields(d)
            grouping = table.copies.of(d) if table.copies is not None else {}
            yield {"id": stored["id"], "path": stored["path"], **metadata_of(stored),
                   **grouping, "score": score}
    return records()


def check(request: SearchRequest) -> tuple[int, int]:
    """Validate paging, sort and filters; return ``(page, page_size)``. Raises ParameterError."""
    page, page_size = _paging(request)
    if request.sort not in SORTS:
        raise ParameterError(f"Unknown --sort “{request.sort}”; use one of {', '.join(SORTS)}.",
                             f"未知的排序方式“{request.sort}”：可选 {'、'.join(SORTS.values())}。",
                             fix={"sort": None})
    if request.copies not in ("", "reports", "all"):
        raise ParameterError(f"Unknown --copies “{request.copies}”; use reports (one hit per "
                             "report) or all (every file).",
                             f"未知的副本显示方式“{request.copies}”：可选 all（显示全部副本）。",
                             fix={"copies": None})
    build_filters(request)
    return page, page_size


def _match(snap, request: SearchRequest, seen: dict | None = None, complete: bool = False):
    """Match, filter and count facets: ``(table, tree, scores, docs, counts)``.

    ``scores`` is None for the empty query, else a float array over document numbers; ``docs``
    holds the matching document numbers that pass the filters, ascending. ``seen`` receives
    where each term occurs (``matching.evaluate``), for highlighting the page's hits.
    """
    tree = parse(request.q)
    table = fc.facet_table(snap)
    found = evaluate(snap.searcher, tree, table, seen, complete) if tree is not None else None
    matched = table.live_mask if found is None else found.mask
    if request.copies != "all" and table.copies is not None:    # one hit per group of copies
        matched = table.copies.one_per_group(matched)
    docs, counts = fc.count_and_filter(table, matched, build_filters(request),
                                       [n for n, _ in fc.FACETS])
    return table, tree, (found.scores if found is not None else None), docs, counts


def matching_docs(snap, request: SearchRequest) -> tuple[fc.FacetTable, np.ndarray]:
    """Return the facet table and the documents ``search`` counts for ``request`` (for trends)."""
    table, _, _, docs, _ = _match(snap, request)
    return table, docs


def count_each(snap, request: SearchRequest, trees: dict, seen: dict | None = None) -> dict:
    """How many reports each parsed query of ``trees`` finds under ``request``'s filters and
    copies rule (``len(matching_docs(...)[1])`` for each, from one snapshot): the section
    facet's counts, whose terms' positions are searched once for all kinds, or taken from
    ``seen`` (``search(..., keep=seen)`` of the same snapshot)."""
    table = fc.facet_table(snap)
    filters = build_filters(request)
    out = {}
    for key, matched in masks_of(snap.searcher, trees, table, seen).items():
        if request.copies != "all" and table.copies is not None:
            matched = table.copies.one_per_group(matched)
        docs, _ = fc.count_and_filter(table, matched, filters, [])
        out[key] = len(docs)
    return out


def _paging(request: SearchRequest) -> tuple[int, int]:
    page_size = request.page_size or settings.get("page_size")
    max_size, max_page = settings.get("max_page_size"), settings.get("max_page")
    if not 1 <= page_size <= max_size:
        raise ParameterError(f"Page size (--limit) must be between 1 and {max_size}, "
                             f"not {page_size}.",
                             f"每页条数必须在 1 到 {max_size} 之间，不能是 {page_size}。",
                             fix={"page_size": max_size if page_size > max_size else None})
    if not 1 <= request.page <= max_page:
        raise ParameterError(f"--page must be between 1 and {max_page}, not {request.page}.",
                             f"页码必须在 1 到 {max_page} 之间，不能是 {request.page}。",
                             fix={"page": max_page if request.page > max_page else None})
    return request.page, page_size


def _rank(table, scores, docs, sort, limit) -> list[tuple[int, float | None]]:
    """Order the filtered docs; only the first ``limit`` need to be exact.

    Ties break by year (newest first), then document number, so pages are stable. Column codes
    sort like their values (see ``FacetTable``); unknown years and dates go last when ascending.
    """
    if not len(docs):
        return []
    fixed = "year" if sort == "relevance" else sort
    if (scores is None or sort != "relevance") and table.orders and fixed in table.orders:
        order = table.orders[fixed]                  # computed at publish (table_file.orders)
        keep = np.zeros(table.doc_count, dtype=bool)
        keep[docs] = True
        return [(int(d), None) for d in order[keep[order]][:limit]]
    year = table.codes["year"][docs].astype(np.int64)
    published = table.codes["published"][docs].astype(np.int64)
    if sort == "relevance" and scores is not None:
        score = scores[docs]
        if len(docs) > 4 * limit:                       # only the top scores (and ties) can rank
            cut = np.partition(score, len(score) - limit)[len(score) - limit]
            keep = score >= cut
            docs, score, year = docs[keep], score[keep], year[keep]
        order = np.lexsort((docs, -year, -score))[:limit]
        return [(int(d), round(float(s), 4)) for d, s in zip(docs[order], score[order])]
    if sort == "year-asc":
        unknown_year = table.values["year"][0] == 0
        unknown_date = table.values["published"][0] == ""
        year_key = np.where((year == 0) & unknown_year, np.iinfo(np.int64).max, year)
        date_key = np.where((published == 0) & unknown_date, np.iinfo(np.int64).max, published)
        order = np.lexsort((docs, date_key, year_key))
    elif sort == "published":
        order = np.lexsort((docs, -year, -published))
    else:                                           # year, and the empty query's relevance
        order = np.lexsort((docs, -published, -year))
    return [(int(d), None) for d in docs[order[:limit]]]


def _hit(searcher, table, docnum: int, score, tree, shape: tuple[int, int],
         seen: dict | None = None) -> Hit:
    """One hit: stored fields, highlighted fragments (``shape``: how many, how long)."""
    stored = searcher.stored_fields(docnum)
    text = stored.get("content", "")
    spans = (term_spans(table, docnum, text, tree, stored.get("sections"), seen)
             if tree is not None else [])
    frags = highlight.fragments(text, spans, shape[0], shape[1], lead=1 if tree else 2,
                                title=stored.get("title") or "")
    meta = metadata_of(stored)
    if table.copies is not None:
        meta.update(table.copies.of(docnum))
    return Hit(stored["id"], stored["path"], score, [f.to_dict() for f in frags], meta,
               tuple(f.start for f in frags), stored.get("sections"))


def metadata_of(stored: dict) -> dict:
    """Return the public metadata of a stored report (same names in CLI JSON and the API)."""
    meta = {name: stored.get(name) for name in METADATA_FIELDS}
    meta["year"] = meta["year"] or None
    for name in METADATA_FIELDS:
        if meta[name] == "":
            meta[name] = None
    meta["warnings"] = list(stored.get("warnings") or [])
    meta["reader"] = dict(stored.get("reader") or {})     # kind, extractor, pages, ocr
    return meta


# --------------------------------------------------------------------------------------------
# Filters

def build_filters(request: SearchRequest) -> list[fc.Filter]:
    """Validate the request's filters and turn them into facet tests."""
    filters = []
    for facet, values, resolve in (("province", request.province, _province_code),
                                   ("city", request.city, _city_code),
                                   ("county", request.county, _county_code),
                                   ("level", request.level, _level),
                                   ("issuer", request.issuer, str.strip)):
        if values:
            too_long = [v for v in values if len(str(v)) > MAX_FILTER_CHARS]
            if too_long:
                raise ParameterError(f"A {_option(facet)} value is {len(str(too_long[0]))} "
                                     f"characters long; the limit is {MAX_FILTER_CHARS}.",
                                     f"{FILTER_LABELS[facet]}的取值过长"
                                     f"（{len(str(too_long[0]))} 字），最多 {MAX_FILTER_CHARS} 字。")
            codes = tuple(dict.fromkeys(resolve(v) for v in values))
            wanted = {"" if c == fc.UNKNOWN else c for c in codes}
            filters.append(fc.Filter(facet, wanted.__contains__, codes))
    year_filter = _year_filter(request)
    if year_filter:
        filters.append(year_filter)
    return filters


def _year_filter(request: SearchRequest) -> fc.Filter | None:
    years = {0 if str(y).strip() == fc.UNKNOWN else _year(y, "year") for y in request.year}
    lo = _year(request.year_from, "year_from") if request.year_from not in (None, "") else None
    hi = _year(request.year_to, "year_to") if request.year_to not in (None, "") else None
    if lo is not None and hi is not None and lo > hi:
        raise ParameterError(f"--year-from ({lo}) is after --year-to ({hi}); swap them.",
                             f"起始年份（{lo}年）晚于截止年份（{hi}年），请对调。",
                             fix={"year_from": hi, "year_to": lo})
    if not years and lo is None and hi is None:
        return None

    def test(y) -> bool:
        return ((not years or y in years) and (lo is None or (y and y >= lo))
                and (hi is None or (y and y <= hi)))
    return fc.Filter("year", test,
                     tuple(str(y) if y else fc.UNKNOWN for y in sorted(years)))


def _year(value, name: str) -> int:
    try:
        year = int(str(value).strip().rstrip("年"))
    except ValueError:
        raise ParameterError(f"{_option(name)} must be a year such as 2023, not “{value}”.",
                             f"{FILTER_LABELS[name]}必须是年份（如 2023），不能是“{value}”。",
                             fix={name: None}) from None
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise ParameterError(f"{_option(name)} must be between {YEAR_RANGE[0]} and "
                             f"{YEAR_RANGE[1]}, not {year}.",
                             f"{FILTER_LABELS[name]}必须在 {YEAR_RANGE[0]} 到 {YEAR_RANGE[1]} "
                             f"之间，不能是 {year}。", fix={name: None})
    return year


def _province_code(value: str) -> str:
    value = value.strip()
    if value == fc.UNKNOWN:
        return value
    division = regions.resolve_province(value)
    if division is None:
        raise ParameterError(f"Unknown --province “{value}”: use a name such as 山西 or "
                             "山西省, or a code such as 140000.",
                             f"未知的省份“{value}”：请写省份名称（如 山西 或 山西省）"
                             "或行政区划代码（如 140000）。")
    return division.code


def _division_code(value: str, level: str, name: str, code: str) -> str:
    value = value.strip()
    if value == fc.UNKNOWN or (value.isdigit() and len(value) == 6):
        return value
    found = [d for d in regions.find(value) if d.level == level]
    if len({d.code for d in found}) != 1:
        label = FILTER_LABELS[level]
        detail = "is ambiguous; use its 6-digit code" if found else "is not a known name"
        zh = (f"{label}“{value}”有重名，请改用 6 位行政区划代码（如 {code}）。" if found else
              f"未知的{label}“{value}”：请写{label}名称（如 {name}）或 6 位行政区划代码（如 {code}）。")
        raise ParameterError(f"--{level} “{value}” {detail} (e.g. {name} or {code}).", zh)
    return found[0].code


def _city_code(value: str) -> str:
    return _division_code(value, "city", "苏州市", "320500")


def _county_code(value: str) -> str:
    return _division_code(value, "county", "忻府区", "140902")


def _level(value: str) -> str:
    if value.strip() == fc.UNKNOWN:
        return fc.UNKNOWN
    level = LEVELS.get(value.strip())
    if level is None:
        raise ParameterError(f"Unknown --level “{value}”; use province, city or county.",
                             f"未知的层级“{value}”：可选 省级、市级、县级。")
    return level


# --------------------------------------------------------------------------------------------
# Single reports

def get_report(handle: IndexHandle, report_id: str) -> tuple[int, dict] | None:
    """Return ``(docnum, stored fields)`` of the report with this id, or None."""
    searcher = handle.searcher()
    docnum = searcher.document_number(id=report_id)
    if docnum is None:
        return None
    return docnum, searcher.stored_fields(docnum)


def report_spans(handle: IndexHandle, docnum: int, text: str, q: str,
                 sections: str | None = None) -> list[tuple[int, int]]:
    """Where query ``q`` occurs in report ``docnum``'s text (nothing for a query that does not
    parse: the report is still shown). Same snapshot as ``get_report`` inside a request."""
    try:
        tree = parse(q) if q.strip() else None
    except QueryError:
        return []
    return (term_spans(fc.facet_table(handle.snapshot()), docnum, text, tree, sections)
            if tree else [])


def similar_reports(handle: IndexHandle, report_id: str, limit: int = 5) -> list[dict]:
    """Return reports that share the most distinctive words with report ``report_id``
    (``search.similar``: words chosen at index time, so a view's work is bounded).

    The id is looked up in the same snapshot, since document numbers change when a reindex
    publishes.
    """
    snap = handle.snapshot()
    searcher = snap.searcher
    docnum = searcher.document_number(id=report_id)
    if docnum is None:
        return []
    table = fc.facet_table(snap)
    copies = table.copies
    own = int(copies.copies[docnum]) if copies is not None else 1
    ranked = similar(table, searcher.stored_fields(docnum), docnum,
                     limit if copies is None else 4 * limit + own)
    if copies is not None:       # one file per report, and never the report's own copies
        seen = {copies.group_of(docnum)}
        kept = []
        for d, score in ranked:
            if copies.group_of(d) not in seen and len(kept) < limit:
                seen.add(copies.group_of(d))
                kept.append((d, score))
        ranked = kept
    return [{"id": stored["id"], "score": score, **metadata_of(stored)}
            for d, score in ranked for stored in (searcher.stored_fields(d),)]


def report_copies(handle: IndexHandle, report_id: str) -> list[dict]:
    """The files of report ``report_id``'s group of copies (``search.groups``), itself
    included, the representative first: id, path, source site, format, script; ``[]`` when
    the report has no other copy."""
    snap = handle.snapshot()
    table = fc.facet_table(snap)
    docnum = snap.searcher.document_number(id=report_id)
    if table.copies is None or docnum is None or table.copies.copies[docnum] < 2:
        return []
    rows = table.copies.members.get(table.copies.group_of(docnum), [])
    out = []
    for cid, entry in rows:
        info = entry.get("info") or {}
        url = info.get("source_url") or ""
        out.append({"id": cid, "representative": bool(entry["rep"]), "this": cid == report_id,
                    "path": info.get("path", ""), "kind": info.get("kind", ""),
                    "script": info.get("script", ""), "source_url": url,
                    "site": (urlsplit(url).hostname or "") if url else ""})
    return out


def stats(handle: IndexHandle) -> dict:
    """Return the size of the index and its counts by province and year."""
    snap = handle.snapshot()
    build = snap.build
    table = fc.facet_table(snap)
    representatives = table.live_mask & (table.copies.representative
                                         if table.copies is not None else True)
    _, counts = fc.count_and_filter(table, representatives, [], ["province", "year", "level"])
    size = sum(f.stat().st_size for f in build.path.iterdir() if f.is_file())
    reports = table.copies.live_reports if table.copies is not None else table.live_count
    return {"documents": table.live_count, "files": table.live_count, "reports": reports,
            "copies": table.live_count - reports, "index_dir": str(handle.index_dir),
            "build": build.name, "built_at": build.meta.get("built_at"),
            "index_bytes": size, "fingerprint": build.meta.get("fingerprint"),
            "outdated": build.outdated,
            "facets": fc.facet_results(table, counts, [], 1000)}

