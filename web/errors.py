"""One error handler: library exceptions → status and message, as an HTML page or JSON.

=====================================  ======  ==========================================
exception                              status  shown
=====================================  ======  ==========================================
QueryError, ParameterError             400     the engine's Chinese message (what to fix),
                                               with the corrected search where obvious
ReportNotFound (unknown report id)     404     which report is missing, a link back to
                                               the search it was opened from
other HTTP errors (404, 405 …)         theirs  a Chinese description of the status
IndexNotFound                          503     that the index must be built, and how
IndexUnavailable                       503     what keeps the intact index from opening
BadHost (a malformed Host header)      400     that the host name is invalid (a plain page:
                                               no link can be built from such a request)
anything else                          500     a generic message; the traceback is logged
=====================================  ======  ==========================================

Paths under ``/api/`` get ``{"status", "error", "message"}``: ``error`` is a short English code
(``bad_query``, ``bad_parameter``, ``not_found`` …) for programs, ``message`` the Chinese text
for people. Every other path gets a page whose search form keeps the query and the filters of
the URL, so a bad request can be fixed in place.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, jsonify, render_template, request
from flask.globals import request_ctx
from markupsafe import escape
from werkzeug.exceptions import BadHost, HTTPException, MethodNotAllowed, NotFound, SecurityError

from search.messages import UserError
from search.store import IndexNotFound, IndexUnavailable
from web import params

TITLES = {400: "请求有误", 404: "找不到页面", 405: "不支持的请求方法", 500: "服务器内部错误",
          503: "索引尚未就绪"}
#: Chinese descriptions of the HTTP errors Werkzeug raises (its own are English).
DESCRIPTIONS = {
    404: "没有这个页面。请检查网址，或回到首页重新检索。",
    405: "这个网址不支持这种请求方法，请用浏览器直接打开。",
    413: "请求内容过大。",
    414: "网址过长，请减少检索词或筛选条件。",
    431: "请求头过大。",
}
CODES = {404: "not_found", 405: "method_not_allowed", 500: "internal_error",
         503: "index_not_ready"}


class ReportNotFound(NotFound):
    """No report has the id of the URL (or the id is malformed)."""

    def __init__(self, report_id: str):
        super().__init__(f"没有编号为“{report_id[:40]}”的报告：它可能已在重建索引时被删除，"
                         "或者链接不完整。")


@dataclass
class Problem:
    """What the user is told about an exception."""

    status: int
    code: str
    title: str
    message: str
    fix: dict = field(default_factory=dict)


def init_app(app) -> None:
    """Send every exception raised by a view through ``handle_exception``."""
    app.register_error_handler(Exception, handle_exception)


def describe(exc: Exception) -> Problem:
    """Return the status, code, Chinese title and message (and any correction) of ``exc``."""
    if isinstance(exc, UserError):
        title = "检索语句有误" if exc.code == "bad_query" else "检索条件有误"
        return Problem(400, exc.code, title, exc.zh, exc.fix)
    if isinstance(exc, IndexNotFound):
        return Problem(503, CODES[503], TITLES[503],
                       "检索服务暂时不可用：索引尚未建立或已损坏。请在服务器上运行 "
                       "policy-search index（或 policy-search index --rebuild）建立索引，"
                       "完成后刷新本页。")
    if isinstance(exc, IndexUnavailable):
        return Problem(503, "index_unavailable", "索引暂时无法打开",
                       f"索引完好，但现在无法打开：{exc}")
    if isinstance(exc, ReportNotFound):
        return Problem(404, "report_not_found", "找不到这篇报告", exc.description)
    if isinstance(exc, (BadHost, SecurityError)):           # a malformed or untrusted Host
        return Problem(400, "bad_host", TITLES[400], "请求的主机名（Host 头）无效。")
    if isinstance(exc, HTTPException):
        status = exc.code or 500
        return Problem(status, CODES.get(status, f"http_{status}"),
                       TITLES.get(status, f"请求无法处理（{status}）"),
                       DESCRIPTIONS.get(status, "请求无法处理，请检查网址后重试。"))
    return Problem(500, CODES[500], TITLES[500], "处理请求时出错，请稍后再试。")


def handle_exception(exc: Exception):
    """Render ``exc`` as JSON under /api/, as the error page elsewhere."""
    problem = describe(exc)
    if problem.status == 500:
        current_app.logger.error("Unhandled error on %s", request.path, exc_info=exc)
    if request.path.startswith("/api/"):
        response = jsonify({"status": problem.status, "error": problem.code,
                            "message": problem.message})
    else:
        response = current_app.make_response(error_page(problem))
    response.status_code = problem.status
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def error_page(problem: Problem) -> str:
    """The error page: the search form with the URL's query and filters, the corrected search.

    A malformed Host header leaves Flask without a URL adapter, so ``url_for`` (which the
    templates use for their static files) would fail while rendering the error about it: such
    a request, or any failure to render, gets a plain page instead.
    """
    # the search page's path without url_for, which a broken Host header can make fail
    links = params.Links(request.script_root + "/", tuple(params.state_pairs(request.args)))
    if request_ctx.url_adapter is not None:
        try:
            return render_template(
                "error.html", problem=problem, status=problem.status, title=problem.title,
                message=problem.message, q=links.value("q"), links=links,
                chips=params.active_filters(links, []), fix=corrected(links, problem.fix))
        except Exception:                                        # noqa: BLE001 - logged
            current_app.logger.exception("Cannot render the error page for %s", request.path)
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>'
            f'{escape(problem.title)}</title></head><body><h1>{escape(problem.title)}</h1><p>'
            f'{escape(problem.message)}</p><p><a href="{escape(links.path)}">返回首页</a></p>'
            f'</body></html>')


def corrected(links, fix: dict) -> dict | None:
    """The obvious corrected search as ``{"url", "label"}``, or None when there is none."""
    if not fix or not links.pairs:
        return None
    pairs = [p for p in links.pairs if p[0] not in fix]
    pairs += [(name, str(value)) for name, value in fix.items() if value is not None]
    if "page" in fix and fix["page"]:
        label = f"转到最后一页（第 {fix['page']} 页）"
    elif {"year_from", "year_to"} <= set(fix) and None not in fix.values():
        label = f"对调年份后重新检索：{fix['year_from']}年至{fix['year_to']}年"
    elif "page_size" in fix and fix["page_size"]:
        label = f"改为每页 {fix['page_size']} 条重新检索"
    else:
        label = "去掉有误的条件后重新检索"
    return {"url": params.url_with(links.path, pairs), "label": label}
