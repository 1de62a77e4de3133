"""One error handler: library exceptions → status and message, as an HTML page or JSON.

=====================================  ======  ==========================================
exception                              status  shown
=====================================  ======  ==========================================
QueryError, ParameterError             400     the engine's message (what to type instead)
NotFound (unknown route or report id)  404     which report or page is missing
other HTTP errors (405 …)              theirs  Werkzeug's description
IndexNotFound                          503     where the index should be, how to build it
anything else                          500     a generic message; the traceback is logged
=====================================  ======  ==========================================

Paths under ``/api/`` get ``{"status", "error", "message"}``; every other path gets a page
(with the search box, so a bad query can be fixed in place).
"""
from __future__ import annotations

from flask import current_app, jsonify, render_template, request
from flask.globals import request_ctx
from markupsafe import escape
from werkzeug.exceptions import BadHost, HTTPException, MethodNotAllowed, SecurityError

from search.engine import ParameterError, QueryError
from search.store import IndexNotFound, IndexUnavailable

TITLES = {400: "请求有误", 404: "找不到页面", 405: "不支持的请求方法", 500: "服务器内部错误",
          503: "索引尚未就绪"}


def init_app(app) -> None:
    """Send every exception raised by a view through ``handle_exception``."""
    app.register_error_handler(Exception, handle_exception)


def describe(exc: Exception) -> tuple[int, str, str]:
    """Return ``(status, title, message)`` for an exception."""
    if isinstance(exc, QueryError):
        return 400, "查询语句有误", str(exc)
    if isinstance(exc, ParameterError):
        return 400, "参数有误", str(exc)
    if isinstance(exc, IndexNotFound):
        return 503, TITLES[503], str(exc)
    if isinstance(exc, IndexUnavailable):
        return 503, "索引暂时无法打开", str(exc)
    if isinstance(exc, HTTPException):
        status = exc.code or 500
        if isinstance(exc, (BadHost, SecurityError)):  # a malformed or untrusted Host header
            return 400, TITLES[400], "请求的主机名（Host 头）无效。"
        return status, TITLES.get(status, exc.name), exc.description or exc.name
    return 500, TITLES[500], "处理请求时出错，请稍后再试。The server could not handle this request."


def _page(status: int, title: str, message: str) -> str:
    """The error page; a plain one where the request is too broken to build links from.

    A malformed Host header leaves Flask without a URL adapter, so ``url_for`` (which every
    template uses) would fail while rendering the error about it.
    """
    if request_ctx.url_adapter is not None:
        try:
            return render_template("error.html", status=status, title=title, message=message,
                                   q=request.args.get("q", ""))
        except Exception:                                        # noqa: BLE001 - logged
            current_app.logger.exception("Cannot render the error page for %s", request.path)
    home = escape(request.script_root + "/")
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>'
            f'{escape(title)}</title></head><body><h1>{escape(title)}</h1><p>'
            f'{escape(message)}</p><p><a href="{home}">返回首页</a></p></body></html>')


def handle_exception(exc: Exception):
    """Render ``exc`` as JSON under /api/, as the error page elsewhere."""
    status, title, message = describe(exc)
    if status == 500:
        current_app.logger.error("Unhandled error on %s", request.path, exc_info=exc)
    if request.path.startswith("/api/"):
        response = jsonify({"status": status, "error": title, "message": message})
    else:
        response = current_app.make_response(_page(status, title, message))
    response.status_code = status
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response
