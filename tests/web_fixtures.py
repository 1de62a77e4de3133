"""Fixtures shared by the web tests: an app over the sample index, its client, a live server.

Import them into a test module (``from web_fixtures import app, client``); conftest.py is not
edited by the web front end.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

#: Titles of the sample reports, by file-name prefix.
TITLES = {
    "000": "山西省行政审批服务管理局2024年度法治政府建设情况报告",
    "003": "忻府区2022年度法治政府建设工作报告",
    "004": "2023年度法治政府建设情况报告",
}


@pytest.fixture(scope="module")
def app(built_index):
    from web import create_app

    return create_app({"TESTING": True, "index_dir": built_index})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def sample_ids(app) -> dict[str, str]:
    """Map sample file prefixes (000 … 004) to report ids."""
    from pathlib import PurePath

    hits = app.test_client().get("/api/search?page_size=100").get_json()["hits"]
    return {PurePath(hit["path"]).name[:3]: hit["id"] for hit in hits}


@pytest.fixture(scope="module")
def live_server(app):
    """The app served by the real WSGI server (waitress) on a free loopback port."""
    from web.serve import start_server

    server = start_server(app)
    yield server
    server.close()


# Debian's Chromium, driven by Playwright (browsers cannot be downloaded here).
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it (apt-get install chromium "
                    "fonts-noto-cjk) or set CHROMIUM to its path.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


#: Cities whose 司法局 each issue one report in the ``many_issuers`` app (more than fit).
ISSUER_CITIES = ("太原市", "大同市", "阳泉市", "长治市", "晋城市", "朔州市", "晋中市", "运城市",
                 "忻州市", "临汾市", "吕梁市")


@pytest.fixture(scope="module")
def many_issuers(tmp_path_factory):
    """An app over eleven small constructed reports, each from another issuer."""
    from indexer.build import build_index
    from web import create_app

    corpus = tmp_path_factory.mktemp("issuers") / "corpus"
    corpus.mkdir()
    for n, city in enumerate(ISSUER_CITIES):
        (corpus / f"{n:02d}.txt").write_text(
            f"{city}司法局2023年度法治政府建设情况报告\n"
            f"2023年，{city}司法局坚持依法行政，推进严格规范公正文明执法，深化行政复议体制改革。\n",
            encoding="utf-8")
    index_dir = corpus.parent / "ix"
    build_index([corpus], index_dir, jobs=1)
    return create_app({"TESTING": True, "index_dir": index_dir})


#: The two viewports every browser test of a view looks at.
SIZES = {"desktop": {"width": 1280, "height": 900}, "mobile": {"width": 390, "height": 844}}


@contextmanager
def recording_page(browser, size: str = "desktop"):
    """A page at ``size`` that records console errors (CSP violations show up there) in
    ``page.console_errors``; its context is closed afterwards."""
    context = browser.new_context(viewport=SIZES[size], locale="zh-CN",
                                  is_mobile=size == "mobile")
    page = context.new_page()
    page.size = size
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    try:
        yield page
    finally:
        context.close()
