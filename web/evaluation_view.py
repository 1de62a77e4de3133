"""The publication evaluation page, ``/api/evaluation`` and ``/evaluation.csv``.

Thin views as in ``web.research``: parse the URL (the search page's filters plus ``kind``:
政府/government or 部门/department), make one library call (``search.evaluation.evaluate``),
render. Every figure links to the reports behind it: a search with the page's filters, the
figure's year, level or province, and the issuers and years of its rows (``issuer=``,
``year=`` repeated) when that search selects exactly its rows; otherwise (more bodies than one
search may name, ``max_filter_values``, or bodies on time one year and late another) this page
narrowed to the figure with ``show=``, whose rows table lists exactly its rows, each linked.
``show`` narrows the rows table only; the summaries, the API and the CSV always have all rows.
"""
from __future__ import annotations

import datetime

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from search import engine, evaluation, regions, settings
from search import evaluation_csv
from search.engine import ParameterError
from web import csvexport, evalchart, get_handle, params, render
from web.research import filter_chips

bp = Blueprint("evaluation", __name__)

ROWS_PER_PAGE = 100
KIND_CHOICES = {"": "全部", "government": "政府", "department": "部门"}
LEVEL_CHOICES = {"": "全部", "province": "省级", "city": "市级", "county": "县级"}
#: The figures of a summary row, and the rows of the table each one counts.
FIGURES = {"bodies": lambda r: True, "on_time": lambda r: r["status"] == "on_time",
           "late": lambda r: r["status"] == "late", "unknown": lambda r: r["status"] == "unknown",
           "all_parts": lambda r: r["all_parts"]}


def evaluation_request(args) -> tuple[engine.SearchRequest, str]:
    """The filters and the kind of an evaluation URL; ParameterError when bad."""
    return params.request_from_args(args), evaluation.check_kind(args.get("kind", ""))


def page_pairs(args) -> list[tuple[str, str]]:
    """The URL's filters (the search page's, without query, sort or paging) and its kind."""
    kind = args.get("kind", "").strip()
    return ([p for p in params.state_pairs(args) if p[0] in params.FILTERS]
            + ([("kind", kind)] if kind else []))


def _search_pairs(pairs, replace: dict) -> list[tuple[str, str]]:
    drop = set(replace) | {"kind"} | ({"year_from", "year_to"} if "year" in replace else set())
    return [p for p in pairs if p[0] not in drop] + [(k, str(v)) for k, v in replace.items()]


def figure_url(rows: list[dict], scope: list[dict], pairs, replace: dict,
               figure: str = "bodies") -> str | None:
    """The reports behind a figure (None for a figure of no report).

    A search naming the rows' issuers and years, when that selects exactly these rows among
    ``scope`` (the rows of the figure's table row) and names few enough issuers; otherwise this
    page narrowed to the figure (``replace`` plus ``show``), whose rows table lists exactly them.
    """
    issuers = list(dict.fromkeys(r["issuer"] for r in rows))
    if not issuers:
        return None
    years = sorted({r["year"] for r in rows})
    wanted, chosen = set(issuers), set(years)
    covered = sum(r["issuer"] in wanted and r["year"] in chosen for r in scope)
    if covered == len(rows) and len(issuers) <= settings.get("max_filter_values"):
        if "year" not in replace and len(years) == 1:
            replace = {**replace, "year": years[0]}
        extra = ([("year", str(y)) for y in years] if "year" not in replace and
                 len(years) <= settings.get("max_filter_values") else [])
        return params.url_with(url_for("search.index"), _search_pairs(pairs, replace) + extra
                               + [("issuer", i) for i in issuers])
    narrowed = [p for p in pairs if p[0] not in replace
                and not ("year" in replace and p[0] in ("year_from", "year_to"))]
    return params.url_with(url_for("evaluation.page"),
                           narrowed + [(k, str(v)) for k, v in replace.items()]
                           + ([("show", figure)] if figure != "bodies" else []), "rows")


def summary_links(data: dict, pairs) -> dict:
    """Per summary table, per row, per figure: the URL of the reports behind it."""
    def links(name, keys, make_replace):
        groups: dict[tuple, list] = {}
        for r in data["rows"]:
            groups.setdefault(tuple(r[k] for k in keys), []).append(r)
        out = []
        for row in data[name]:
            behind, replace = groups.get(tuple(row[k] for k in keys), []), make_replace(row)
            out.append({figure: figure_url([r for r in behind if test(r)], behind, pairs,
                                           replace, figure)
                        for figure, test in FIGURES.items()})
        return out
    return {"by_year": links("by_year", ("year",), lambda r: {"year": r["year"]}),
            "by_year_level": links("by_year_level", ("year", "level"),
                                   lambda r: {"year": r["year"], "level": r["level"]}),
            "by_province": links("by_province", ("province",),
                                 lambda r: {"province": r["province"] or "none"})}


def row_links(data: dict, pairs) -> dict:
    """Per row: its report page, and the search of its body's reports that year."""
    report = url_for("search.report", report_id="0" * 16)[:-16]     # one url_for, not one a row
    return {"report": [report + r["id"] for r in data["rows"]],
            "body_year": [figure_url([r], [r], pairs, {"year": r["year"]}) for r in data["rows"]],
            "body": [params.url_with(url_for("search.index"), [("issuer", c["issuer"])])
                     for c in data["continuity"]]}


def page_window(rows: list, page: int) -> tuple[list, int]:
    """The rows of ``page`` and the number of pages; ParameterError past the last page."""
    pages = max(1, -(-len(rows) // ROWS_PER_PAGE))
    if page > pages:
        raise ParameterError(f"Page {page} is past the last page ({pages}).",
                             f"没有第 {page} 页：评估共 {len(rows)} 行，只有 {pages} 页。",
                             )
    return rows[(page - 1) * ROWS_PER_PAGE: page * ROWS_PER_PAGE], pages


def titles_of(rows: list[dict]) -> list[dict]:
    """The public metadata of the shown rows' reports (titles for the links)."""
    handle = get_handle()
    out = []
    for row in rows:
        found = engine.get_report(handle, row["id"])
        out.append(engine.metadata_of(found[1]) if found else {})
    return out


SHOW_LABELS = {"on_time": "按时发布的", "late": "逾期发布的", "unknown": "日期不明的",
               "all_parts": "四部分齐全的"}


def shown_rows(data: dict, links: dict, show: str) -> list[dict]:
    """The rows table: each row with its links, only the ``show`` figure's rows when given."""
    if show and show not in SHOW_LABELS:
        raise ParameterError(f"show must be one of {', '.join(SHOW_LABELS)}, not “{show[:20]}”.",
                             f"参数 show 只能是 {'、'.join(SHOW_LABELS)}，不能是“{show[:20]}”。")
    test = FIGURES[show or "bodies"]
    return [{**row, "report_url": report, "body_year_url": body_year}
            for row, report, body_year in zip(data["rows"], links["report"], links["body_year"])
            if test(row)]


@bp.get("/evaluation")
def page():
    """The evaluation page: summaries with their chart, one row per body and year, gaps."""
    search_request, kind = evaluation_request(request.args)
    pairs = page_pairs(request.args)
    show = request.args.get("show", "").strip()
    data = evaluation.evaluate(get_handle(), search_request, kind)
    links = summary_links(data, pairs)
    rows = row_links(data, pairs)
    table = shown_rows(data, rows, show)
    shown, pages = page_window(table, search_request.page)
    here = params.Links(url_for("evaluation.page"), tuple(pairs + ([("show", show)] if show
                                                                     else [])))
    chart_links = [[links["by_year"][i][name] for name in ("on_time", "all_parts")]
                   for i in range(len(data["by_year"]))]
    return render_template(
        "evaluation.html", data=data, shown=shown, table_size=len(table), titles=titles_of(shown),
        show=SHOW_LABELS.get(show), show_all=params.url_with(url_for("evaluation.page"), pairs,
                                                             "rows"),
        links=links, row_links=rows, pairs=pairs, chips=filter_chips(
            [p for p in pairs if p[0] != "kind"]) + ([f"机关类型：{KIND_CHOICES[kind]}"]
                                                     if kind else []),
        chart=evalchart.bar_chart(data["by_year"], chart_links) if data["by_year"] else None,
        form=form_values(pairs, kind), kinds=KIND_CHOICES, levels=LEVEL_CHOICES,
        page=search_request.page, pages=pages, page_urls=here, q="",
        pager=render.page_window(search_request.page, pages), parts=evaluation.PARTS,
        share=lambda v: "—" if v is None else f"{v * 100:.1f}%".replace(".0%", "%"),
        csv_url=params.url_with(url_for("evaluation.csv_export"), pairs),
        json_url=params.url_with(url_for("evaluation.api"), pairs))


def form_values(pairs, kind: str) -> dict:
    """What the filter form shows: one value per field (a province code by its name)."""
    one = {}
    for name, value in pairs:
        one.setdefault(name, value)
    province = one.get("province", "")
    division = regions.by_code(province) if province.isdigit() else None
    return {"province": division.name if division else province, "city": one.get("city", ""),
            "level": params.canonical("level", one["level"]) if "level" in one else "",
            "year_from": one.get("year_from", one.get("year", "")),
            "year_to": one.get("year_to", one.get("year", "")), "kind": kind}


@bp.get("/api/evaluation")
def api():
    """The evaluation as JSON: every row and figure of the page, with the links behind them."""
    search_request, kind = evaluation_request(request.args)
    pairs = page_pairs(request.args)
    data = evaluation.evaluate(get_handle(), search_request, kind)
    return jsonify({"kind": kind or None, **data,
                    "links": {**summary_links(data, pairs), "rows": row_links(data, pairs)}})


@bp.get("/evaluation.csv")
def csv_export():
    """The evaluation as CSV: every table of the page, one 表 column naming it."""
    search_request, kind = evaluation_request(request.args)
    data = evaluation.evaluate(get_handle(), search_request, kind)
    report_url = (current_app.config["POLICY_SETTINGS"]["public_url"].rstrip("/")
                  + url_for("search.report", report_id="0" * 16)[:-16])
    name = f"法治报告_发布评估_{datetime.date.today().isoformat()}.csv"
    return Response("".join(evaluation_csv.csv_lines(data, report_url)), mimetype="text/csv",
                    headers={"Content-Disposition": csvexport.content_disposition(name)})
