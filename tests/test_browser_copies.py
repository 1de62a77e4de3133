"""Real-browser test of copies (issue 11): a hit says 另有 N 个副本 and links to the report
page's copy list, which names each copy's file, source site, format and script and marks the
representative (the government site's copy).

Headless Chromium against waitress, as in tests/test_browser.py; screenshots land in
tests/artifacts/ for a person to look at.
"""
from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from bench.corpus import to_traditional
from test_browser import screenshot
from web_fixtures import recording_page
from web_fixtures import browser  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"
SITE = "www.shanxi.gov.cn"


@pytest.fixture(scope="module")
def copies_server(tmp_path_factory):
    """The five samples plus four copies of the first: the government portal's saved page (GBK
    HTML naming its address), a traditional text copy, a .docx and an excerpt."""
    from indexer.build import build_index
    from tests.attachment_files import report_docx
    from web import create_app
    from web.serve import start_server

    root = tmp_path_factory.mktemp("copies")
    src = root / "corpus"
    shutil.copytree(SAMPLE, src)
    text = sorted(SAMPLE.glob("*.txt"))[0].read_text(encoding="utf-8")
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.split("\n") if line.strip())
    (src / "portal.html").write_bytes(
        (f"<html><head><meta charset='gbk'><title>{html.escape(text.split(chr(10))[0])}"
         "_山西省人民政府门户网站</title>"
         f"<link rel='canonical' href='https://{SITE}/zw/fzzf/202501/t2025.shtml'></head><body>"
         f"<div class='nav'>首页 &gt; 政务公开</div><div class='TRS_Editor'>{body}</div>"
         "<div class='footer'>版权所有</div></body></html>").encode("gb18030"))
    (src / "traditional.txt").write_text(to_traditional(text), encoding="utf-8")
    report_docx(text, src / "attachment.docx")
    (src / "excerpt.txt").write_text(text[: len(text) * 2 // 3], encoding="utf-8")
    build_index([src], root / "index", jobs=1)
    app = create_app({"TESTING": True, "index_dir": root / "index"})
    server = start_server(app)
    yield server, app
    server.close()


@pytest.fixture()
def page(browser):
    """A desktop-sized page that records console errors (web_fixtures.recording_page)."""
    with recording_page(browser) as page:
        yield page


def test_hit_links_to_the_copy_list_that_marks_the_representative(page, copies_server):
    server, _ = copies_server
    page.goto(server.url + "/")
    assert page.locator("#summary .total").inner_text() == "5"
    link = page.locator("a.copies")
    assert link.count() == 1 and link.inner_text() == "另有 4 个副本"
    link.click()
    page.wait_for_url(re.compile(r"/report/\w+.*#copies$"))
    panel = page.locator("#copies")
    assert panel.locator("h2").inner_text() == "副本（5 个文件）"
    rows = panel.locator("li")
    assert rows.count() == 5
    texts = [rows.nth(i).inner_text() for i in range(5)]
    # The hit is the representative: the government portal's copy, listed first.
    assert "本文件" in texts[0] and "代表副本" in texts[0] and f"来源网站：{SITE}" in texts[0]
    assert "格式：网页" in texts[0] and "portal.html" in texts[0]
    assert sum("代表副本" in t for t in texts) == 1
    assert any("traditional.txt" in t and "文字：繁体" in t for t in texts)
    assert any("attachment.docx" in t and "格式：Word 文档" in t for t in texts)
    assert any("excerpt.txt" in t and "来源网站：未知" in t for t in texts)
    assert panel.locator(f"a.source-url[href^='https://{SITE}/']").count() == 1
    similar = page.locator(".similar li").all_inner_texts()
    assert len(similar) == 4 and not any("山西省行政审批" in t for t in similar)  # no copy
    shot = screenshot(page, "copies-report.png")
    assert shot.stat().st_size > 10_000
    # Another copy's page lists the same group, marking itself and still the representative.
    panel.locator("a", has_text="traditional.txt").click()
    page.wait_for_url(re.compile(r"/report/\w+"))
    rows = page.locator("#copies li")
    assert rows.count() == 5
    mine = page.locator("#copies li.this")
    assert "本文件" in mine.inner_text() and "文字：繁体" in mine.inner_text()
    assert "代表副本" in rows.nth(0).inner_text() and "portal.html" in rows.nth(0).inner_text()
    screenshot(page, "copies-other-copy.png")
    assert page.console_errors == []


def test_copies_all_shows_every_file_and_a_single_report_has_no_copy_list(page, copies_server):
    server, app = copies_server
    page.goto(server.url + "/?copies=all&page_size=20")
    assert page.locator("#summary .total").inner_text() == "9"
    assert page.locator("a.copies").count() == 5
    single = [h for h in app.test_client().get("/api/search").get_json()["hits"]
              if h["copies"] == 1][0]
    page.goto(server.url + f"/report/{single['id']}")
    assert page.locator("#copies").count() == 0
    assert app.test_client().get(f"/api/report/{single['id']}").get_json()["copies"] == []
    grouped = [h for h in app.test_client().get("/api/search").get_json()["hits"]
               if h["copies"] == 5][0]
    listed = app.test_client().get(f"/api/report/{grouped['id']}").get_json()["copies"]
    assert len(listed) == 5 and [c["representative"] for c in listed] == [True] + [False] * 4
    assert listed[0]["site"] == SITE and {c["kind"] for c in listed} >= {"html", "docx", "text"}
    assert not any(c["path"].startswith("/") for c in listed)      # no server paths
