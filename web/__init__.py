"""The Flask web front end of policy-search: search page, report page, JSON API and CSV export.

``create_app(config=None)`` builds the app. Settings come from ``search.settings`` (so the
``POLICY_*`` environment variables apply), then from ``config``, whose keys may be written in
either case (``{"index_dir": path}`` or ``{"INDEX_DIR": path}``).
"""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, Mapping

from flask import Flask, current_app, g, request

from search import settings
from search.store import IndexHandle, IndexNotFound, IndexUnavailable

#: Security headers set on every response. No inline script or style is needed anywhere.
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; "
                                "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                                "form-action 'self'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create the web app over the index named by the settings and ``config``."""
    app = Flask(__name__)
    # Read and checked once: a bad value fails here, at start-up, with its name.
    values = settings.load(config)
    app.config.from_mapping(INDEX_DIR=values["index_dir"], DATA_DIR=values["data_dir"])
    if config:
        app.config.update({key.upper(): value for key, value in config.items()})
    app.config["INDEX_DIR"] = Path(app.config["INDEX_DIR"]).expanduser().resolve()
    app.config["POLICY_SETTINGS"] = values
    app.json.ensure_ascii = False       # readable Chinese in the API
    app.json.sort_keys = False          # keep the engine's field order

    # One handle per app: it caches a searcher per thread and reopens after a reindex.
    app.extensions["policy_search"] = IndexHandle(app.config["INDEX_DIR"])

    from web import errors, evaluation_view, research, views

    app.register_blueprint(views.bp)
    app.register_blueprint(research.bp)
    app.register_blueprint(evaluation_view.bp)
    errors.init_app(app)
    views.init_app(app)
    app.after_request(set_security_headers)
    app.before_request(pin_snapshot)
    app.teardown_request(unpin_snapshot)
    return app


def pin_snapshot() -> None:
    """Serve the whole request under the app's settings, from one build, which stays open
    until the request ends."""
    stack = contextlib.ExitStack()
    stack.enter_context(settings.use(current_app.config["POLICY_SETTINGS"]))
    g.policy_search_pin = stack
    if request.endpoint == "static":
        return
    try:
        stack.enter_context(get_handle().pinned())
    except (IndexNotFound, IndexUnavailable):
        return                              # the view raises it again, as a 503 page


def unpin_snapshot(exc: BaseException | None = None) -> None:
    stack = g.pop("policy_search_pin", None)
    if stack is not None:
        stack.close()


def get_handle() -> IndexHandle:
    """Return the index handle of the current app."""
    return current_app.extensions["policy_search"]


def set_security_headers(response):
    """Add the security headers to a response."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
