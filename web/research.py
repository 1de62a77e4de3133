"""Research views: the trend of queries over years and regions, and the compare view.

Thin views as in ``web.views``: parse the URL, make one library call (``search.trends``,
``search.compare``), render. The trend page, ``/api/trend`` and ``/trend.csv`` take the search
page's filter parameters plus ``q`` (up to six comma-separated queries), ``view`` (``share`` or
``count``) and ``grid`` (which query the region grid shows, from 0).
"""
from __future__ import annotations

import csv
import io
import re

from flask import Blueprint, Response, jsonify, render_template, request, url_for
from markupsafe import Markup

from search import compare, engine, highlight, regions, section_index, trends
from search.engine import ParameterError
from search.query import QueryError, parse, sections_of
from web import get_handle, params, render, trendchart

bp = Blueprint("research", __name__)

VIEWS = {"share": "占比", "count": "篇数"}


def trend_request(args):
    """Return ``(queries, filters request, view, grid)`` from a trend URL; ParameterError if bad."""
    queries = trends.split_queries(args.getlist("q"))
    view = args.get("view", "share")
    if view not in VIEWS:
        raise ParameterError(f"view must be share or count, not “{view[:20]}”. "
                             "参数 view 只能是 share（占比）或 count（篇数）。")
    try:
        grid = int(args.get("grid", 0))
    except ValueError:
        raise ParameterError("grid must be a whole number (which query the grid shows, from 0). "
                             "参数 grid 必须是整数。") from None
    return queries, params.request_from_args(args), view, grid


def filter_pairs(args) -> list[tuple[str, str]]:
    """The filter parameters of the URL (no query, sort or paging)."""
    return [p for p in params.state_pairs(args) if p[0] in params.FILTERS]


def filter_chips(pairs) -> list[str]:
    """How the active filters read on the page: “省份：山西省”, “起始年份：2022年起”."""
    out = []
    for name, value in pairs:
        code = params.canonical(name, value)
        division = regions.by_code(code) if name == "province" and code.isdigit() else None
        shown = division.name if division else params.label_of(name, value, {})
        out.append(f"{params.FILTER_LABELS[name]}：{shown}")
    return out


def search_url(q: str, pairs, replace: dict) -> str:
    """The search page of ``q`` with ``pairs`` as filters, some replaced (year drops its range)."""
    drop = set(replace) | ({"year_from", "year_to"} if "year" in replace else set())
    kept = [p for p in pairs if p[0] not in drop]
    extra = [(name, str(value)) for name, value in replace.items()]
    return params.url_with(url_for("search.index"), ([("q", q)] if q else []) + kept + extra)


def trend_links(data: dict, pairs) -> dict:
    """Every link the trend page shows: per query and year, per region cell, per row."""
    years = data["years"]
    region = data["regions"]
    facet = region["level"]
    return {
        "series": [[search_url(s["query"], pairs, {"year": y}) for y in years]
                   for s in data["series"]],
        "reports": [search_url("", pairs, {"year": y}) for y in years],
        "cells": [[search_url(region["query"], pairs, {facet: row["code"], "year": y})
                   for y in years] for row in region["rows"]],
        "drill": [params.url_with(url_for("research.trend"),
                                  [("q", ",".join(data["queries"]))]
                                  + [p for p in pairs if p[0] not in ("province", "city")]
                                  + [("province", row["code"])]) if facet == "province" else None
                  for row in region["rows"]],
    }


@bp.get("/trend")
def trend():
    """The trend page: a line chart per query, its table, and the region × year grid."""
    queries, filters, view, grid = trend_request(request.args)
    pairs = filter_pairs(request.args)
    data = trends.trend(get_handle(), queries, filters, grid) if queries else None
    here = [("q", ",".join(queries))] + pairs
    return render_template(
        "trend.html", data=data, queries=queries, view=view, views=VIEWS, grid=grid,
        q=",".join(queries), pairs=pairs, chips=filter_chips(pairs),
        chart=trendchart.line_chart(data, view) if data else None,
        links=trend_links(data, pairs) if data else None,
        heat=trendchart.heat_class, value_label=trendchart.value_label,
        view_url={v: params.url_with(url_for("research.trend"),
                                     here + ([("view", v)] if v != "share" else [])
                                     + ([("grid", str(grid))] if grid else []))
                  for v in VIEWS},
        grid_url=[params.url_with(url_for("research.trend"),
                                  here + ([("view", view)] if view != "share" else [])
                                  + ([("grid", str(i))] if i else []))
                  for i in range(len(queries))],
        up_url=params.url_with(url_for("research.trend"),
                               [p for p in here if p[0] not in ("province", "city")]),
        search_links=[search_url(q, pairs, {}) for q in queries],
        csv_url=params.url_with(url_for("research.trend_csv"), here),
        json_url=params.url_with(url_for("research.api_trend"), here))


@bp.get("/api/trend")
def api_trend():
    """The trend as JSON (the page's numbers, with the search link of every count)."""
    queries, filters, _, grid = trend_request(request.args)
    data = trends.trend(get_handle(), queries, filters, grid)
    return jsonify({**data, "links": trend_links(data, filter_pairs(request.args))})


@bp.get("/trend.csv")
def trend_csv():
    """The trend as CSV: one row per query and year, then one per region, query and year."""
    queries, filters, _, grid = trend_request(request.args)
    data = trends.trend(get_handle(), queries, filters, grid)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["kind", "query", "region_code", "region", "year", "count", "reports",
                     "share"])
    for s in data["series"]:
        for y, c, n, share in zip(data["years"], s["counts"], data["reports"], s["shares"]):
            writer.writerow(["year", s["query"], "", "", y, c, n, "" if share is None else share])
    region = data["regions"]
    for row in region["rows"]:
        for y, c, n, share in zip(data["years"], row["counts"], row["reports"], row["shares"]):
            writer.writerow([region["level"], region["query"], row["code"], row["label"], y, c,
                             n, "" if share is None else share])
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="policy-trend.csv"'})


# --------------------------------------------------------------------------------------------
# Sections on the search and report pages

_HEADING_CUT = re.compile(r"[。：:；;！？!?]|\s")
_SECTION_TOKEN = re.compile(r"(?<!\S)-?(?:section|章节|部分):\S+", re.I)


def without_sections(q: str) -> str:
    """The query text without its ``section:`` tokens."""
    return " ".join(_SECTION_TOKEN.sub(" ", q).split())


def section_facet(search_request, links: params.Links, seen: dict | None = None) -> dict:
    """The section facet: per kind, how many reports match the query inside that kind of section.

    A count is the total of ``QUERY section:KIND`` (under the same filters); ticking a kind adds
    its ``section:`` to the query (several: any of them), unticking removes it. A query that
    searches titles only (``标题:``) has no section facet: titles have no sections. ``seen``:
    where the page's search found its terms (``engine.search(keep=…)``), not searched again.
    """
    try:
        chosen = sections_of(parse(search_request.q))
    except QueryError:
        chosen = []
    base_q = without_sections(search_request.q)
    trees = {}
    for kind in section_index.KINDS:
        try:
            trees[kind] = parse(f"{base_q} section:{kind}".strip())
        except QueryError:                  # title-only terms: no part of a report applies
            return None
    counts = engine.count_each(get_handle().snapshot(), search_request, trees, seen)
    values = []
    for kind in section_index.KINDS:
        kinds = [k for k in chosen if k != kind] if kind in chosen else chosen + [kind]
        target = " ".join([base_q] + [f"section:{k}" for k in kinds]).strip()
        values.append({"value": kind, "label": kind, "count": int(counts[kind]),
                       "selected": kind in chosen, "url": links.replaced("q", target or None)})
    return {"name": "section", "label": "章节", "values": values}


def label_fragments(results) -> None:
    """Label each hit's fragments with the section they come from (``fragment["section"]``).

    (For a query restricted to sections, the engine already marks only what lies inside them,
    so its fragments come from there.) The engine says where each fragment begins
    (``Hit.starts``) and hands over the stored section spans: the report is not read again.
    """
    for hit in results.hits:
        spans = section_index.decode(hit.sections)
        for fragment, at in zip(hit.fragments, hit.starts):
            span = section_index.section_at(spans, at) if at >= 0 else None
            fragment["section"] = span.kind if span else ""


def report_sections(stored: dict) -> list[dict]:
    """The table of contents of a report: ``[{"kind", "heading", "anchor", "start"}]``."""
    text = stored.get("content", "")
    spans = section_index.decode(stored.get("sections"))
    if not any(s.kind for s in spans):
        return []
    out = []
    for n, span in enumerate(spans):
        line = _HEADING_CUT.split(text[span.start:span.end].strip(), 1)[0]
        heading = line[:40] + ("…" if len(line) > 40 else "")
        out.append({"kind": span.kind or section_index.UNTYPED_LABEL,
                    "heading": heading if span.kind else "开头", "anchor": f"section-{n + 1}",
                    "start": span.start, "end": span.end})
    return out


def sectioned_body(text: str, spans: list[tuple[int, int]], toc: list[dict]) -> tuple[Markup, int]:
    """The report text as ``render.highlighted_text`` gives it, with an anchor at each section."""
    parts = []
    for entry in toc:
        start, end = entry["start"], entry["end"]
        inside = [(max(a, start) - start, min(b, end) - start) for a, b in spans
                  if a < end and b > start]
        parts.append(f'<span class="section-anchor" id="{entry["anchor"]}"></span>'
                     + highlight.to_html(text[start:end], inside))
    body = "".join(parts).replace("<mark>", f'<mark id="{render.FIRST_HIT}">', 1)
    return Markup(body), len(spans)


# --------------------------------------------------------------------------------------------
# One body over the years, and the compare view

def body_history(stored: dict) -> list[dict]:
    """The same body's reports by year (the report page's “本机关历年报告”)."""
    return compare.same_body_reports(get_handle(), stored)


def compare_data(a: str, b: str) -> dict:
    """Both reports, their sections side by side and the terms that distinguish each."""
    from web.views import load_report

    if not a or not b:
        raise ParameterError("Give two report ids: /compare?a=ID&b=ID. 请给出两篇报告的编号 a 和 b。")
    (_, first), (_, second) = load_report(a), load_report(b)
    only_a, only_b = compare.distinguishing_terms(get_handle(), first.get("content", ""),
                                                  second.get("content", ""))
    return {"a": {"id": a, **engine.metadata_of(first), "terms": only_a},
            "b": {"id": b, **engine.metadata_of(second), "terms": only_b},
            "rows": compare.side_by_side(first, second)}


@bp.get("/compare")
def compare_view():
    """Two reports side by side, section by section, with the words that distinguish each."""
    data = compare_data(request.args.get("a", "").strip(), request.args.get("b", "").strip())
    return render_template("compare.html", data=data, q="")


@bp.get("/api/compare")
def api_compare():
    """The compare view as JSON."""
    return jsonify(compare_data(request.args.get("a", "").strip(),
                                request.args.get("b", "").strip()))
