"""Routes: the search page, a report page, the JSON API and the CSV export.

Each view parses the URL with ``params.request_from_args``, makes one engine call and renders.
Errors are raised, never rendered here: ``web.errors`` turns them into 400/404/503 pages or JSON.
"""
from __future__ import annotations

import re

from flask import (Blueprint, Response, current_app, jsonify, render_template, request,
                   stream_with_context, url_for)

from search import csvformat, engine
from search.query import parse
from web import csvexport, get_handle, params, render, research
from web.errors import ReportNotFound

bp = Blueprint("search", __name__)

REPORT_ID = re.compile(r"[0-9a-f]{16}")


def init_app(app) -> None:
    """Register the template helpers."""
    render.init_app(app)


def run_search(request_: engine.SearchRequest, keep: dict | None = None) -> engine.SearchResults:
    """Search, and reject a page number past the last page of results.

    ``keep`` receives where the terms occur (``engine.search``), for the section facet.
    """
    results = engine.search(get_handle(), request_, keep)
    if results.page > results.pages:
        raise engine.ParameterError(
            f"Page {results.page} is past the last page ({results.pages}).",
            f"没有第 {results.page} 页：结果共 {results.total} 篇，只有 {results.pages} 页。",
            fix={"page": results.pages})
    return results


def load_report(report_id: str) -> tuple[int, dict]:
    """Return ``(docnum, stored fields)`` of a report.

    :raise 404: the id is not 16 lowercase hex digits, or no report has it.
    """
    found = engine.get_report(get_handle(), report_id) if REPORT_ID.fullmatch(report_id) else None
    if found is None:
        raise ReportNotFound(report_id)
    return found


@bp.get("/")
def index():
    """The search page: query box, facets, hits and paging; the empty query browses everything."""
    search_request = params.request_from_args(request.args)
    seen: dict = {}
    results = run_search(search_request, seen)
    links = params.Links(url_for("search.index"), tuple(params.state_pairs(request.args)))
    unfiltered = None
    if results.total == 0 and params.has_filters(search_request):
        unfiltered = engine.search(get_handle(), params.without_filters(search_request)).total
    research.label_fragments(results)
    browsing = parse(search_request.q) is None
    return render_template(
        "search.html", results=results, links=links, q=search_request.q,
        section_facet=research.section_facet(search_request, links, seen),
        chips=params.active_filters(links, results.facets),
        drops=params.drop_suggestions(links, results.facets) if not results.total else [],
        unfiltered=unfiltered, sorts=engine.SORTS, clear_url=links.removed(*params.FILTERS),
        sort_used=render.sort_used(search_request.sort, browsing), browsing=browsing,
        show_city=bool(search_request.province or search_request.city),
        show_county=bool(search_request.city or search_request.county),
        first_visit=browsing and not links.pairs, page_sizes=render.page_sizes(),
        intro=render.collection_summary(results.facets, results.total) if browsing else None,
        fragments_csv=params.url_with(url_for("search.export_csv"),
                                      [*links.pairs, ("fragments", "1")]),
        pages=render.page_window(results.page, results.pages))


@bp.get("/report/<report_id>")
def report(report_id: str):
    """One report: metadata, full text with the query's terms marked, similar reports."""
    docnum, stored = load_report(report_id)
    links = params.Links(url_for("search.index"), tuple(params.state_pairs(request.args)))
    q = request.args.get("q", "")
    text = stored.get("content", "")
    toc = research.report_sections(stored)
    spans = engine.report_spans(get_handle(), docnum, text, q, stored.get("sections"))
    body, matches = (research.sectioned_body(text, spans, toc) if toc
                     else render.highlighted_text(text, spans))
    roots = csvformat.source_roots(get_handle())
    copies = [{**c, "path": csvformat.source_name(c["path"], roots)}
              for c in engine.report_copies(get_handle(), report_id)]
    return render_template(
        "report.html", report=engine.metadata_of(stored), id=report_id, copies=copies,
        path=csvformat.source_name(stored["path"], roots),
        toc=toc, history=research.body_history(stored),
        body=body, matches=matches, q=q, first_hit=render.FIRST_HIT, links=links,
        similar=engine.similar_reports(get_handle(), report_id))


@bp.get("/api/search")
def api_search():
    """Search results as JSON (the CLI's field names), with the page's section facet and each
    fragment's section."""
    search_request = params.request_from_args(request.args)
    seen: dict = {}
    results = run_search(search_request, seen)
    research.label_fragments(results)
    data = results.to_dict()
    links = params.Links(url_for("search.index"), tuple(params.state_pairs(request.args)))
    section = research.section_facet(search_request, links, seen)
    if section:
        data["facets"].append(section)
    data["warnings"] = [render.notice_text(w) for w in data["warnings"]]
    roots = csvformat.source_roots(get_handle())
    for hit in data["hits"]:
        hit["path"] = csvformat.source_name(hit["path"], roots)
    return jsonify(data)


@bp.get("/api/report/<report_id>")
def api_report(report_id: str):
    """One report as JSON: metadata, cleaned text and similar reports."""
    _, stored = load_report(report_id)
    roots = csvformat.source_roots(get_handle())
    path = csvformat.source_name(stored["path"], roots)
    copies = [{**c, "path": csvformat.source_name(c["path"], roots)}
              for c in engine.report_copies(get_handle(), report_id)]
    return jsonify({"id": report_id, "path": path, **engine.metadata_of(stored),
                    "content": stored.get("content", ""), "copies": copies,
                    "similar": engine.similar_reports(get_handle(), report_id)})


@bp.get("/stats")
def stats():
    """The overview page: reports by province, year and level, with a chart; build facts."""
    data = engine.stats(get_handle())
    facets = {f["name"]: f for f in data["facets"]}
    return render_template("stats.html", stats=data, facets=facets,
                           year_chart=render.bar_chart(facets["year"]["values"]))


@bp.get("/api/stats")
def api_stats():
    """Size of the index and its counts by province, year and level (no server paths)."""
    data = engine.stats(get_handle())
    data.pop("index_dir", None)
    return jsonify(data)


@bp.get("/export.csv")
def export_csv():
    """The metadata of every matching report as CSV (UTF-8 with BOM, for Excel)."""
    search_request = params.request_from_args(request.args)
    # Never from the client's Host header: the configured public address, or relative links.
    report_url = (current_app.config["POLICY_SETTINGS"]["public_url"].rstrip("/")
                  + url_for("search.report", report_id="0" * 16)[:-16])
    with_fragments = request.args.get("fragments", "") not in ("", "0")
    rows = csvexport.csv_lines(get_handle(), search_request, report_url, with_fragments)
    name = csvexport.file_name(search_request.q)
    # The stream keeps the request's pinned build open until its last row is sent.
    return Response(stream_with_context(rows), mimetype="text/csv",
                    headers={"Content-Disposition": csvexport.content_disposition(name)})
