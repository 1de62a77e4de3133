"""The Flask web front end of policy-search: search page, report page, JSON API and CSV export.

``create_app(config=None)`` builds the app. Settings come from ``search.settings`` (so the
``POLICY_*`` environment variables apply), then from ``config``, whose keys may be written in
either case (``{"index_dir": path}`` or ``{"INDEX_DIR": path}``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from flask import Flask, current_app

from search import settings
from search.store import IndexHandle

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
    app.config.from_mapping(INDEX_DIR=settings.index_dir(), DATA_DIR=settings.data_dir())
    if config:
        app.config.update({key.upper(): value for key, value in config.items()})
    app.config["INDEX_DIR"] = Path(app.config["INDEX_DIR"]).expanduser().resolve()
    app.json.ensure_ascii = False       # readable Chinese in the API
    app.json.sort_keys = False          # keep the engine's field order

    # One handle per app: it caches a searcher per thread and reopens after a reindex.
    app.extensions["policy_search"] = IndexHandle(app.config["INDEX_DIR"])

    from web import errors, research, views

    app.register_blueprint(views.bp)
    app.register_blueprint(research.bp)
    errors.init_app(app)
    views.init_app(app)
    app.after_request(set_security_headers)
    return app


def get_handle() -> IndexHandle:
    """Return the index handle of the current app."""
    return current_app.extensions["policy_search"]


def set_security_headers(response):
    """Add the security headers to a response."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
