"""Real-browser tests of the research views (trend page, section filter, compare view).

Headless Chromium against waitress, as in tests/test_browser.py; screenshots land in
tests/artifacts/ for a person to look at, desktop and mobile.
"""
from __future__ import annotations

import re

import pytest

from test_browser import screenshot
from web_fixtures import SIZES, recording_page
from web_fixtures import app, browser, live_server, sample_ids  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.slow]

@pytest.fixture(params=list(SIZES))
def page(request, browser):
    """A page at desktop and at phone size (web_fixtures.recording_page)."""
    with recording_page(browser, request.param) as page:
        yield page


def test_trend_from_search_page_chart_switch_grid_and_cell(page, live_server):
    page.goto(live_server.url + "/?q=营商环境")
    page.click("a.trend-link")
    page.wait_for_url(re.compile(r"/trend\?q="))
    page.fill("#trend-q", "营商环境,行政复议,证照分离")
    page.click(".trend-form button")
    page.wait_for_url(re.compile(r"q=%E8%90%A5"))
    assert page.locator("svg.chart g.series").count() == 3
    assert page.locator("svg.chart circle").count() == 9
    assert page.locator("svg.chart").is_visible()
    rows = page.locator("#trend-table tbody tr")
    assert rows.count() == 3
    assert rows.nth(1).inner_text().split("\t")[:4] == ["2023年 n < 10", "2", "2 100%",
                                                        "1 50%"]
    hover = page.locator("svg.chart g.series-1 circle").nth(1).locator("title").text_content()
    assert hover == "行政复议 · 2023年：50%（1 / 2 篇）"
    screenshot(page, f"trend-share-{page.size}.png")

    page.click(".view-switch a:has-text('篇数')")
    page.wait_for_url(re.compile(r"view=count"))
    assert "报告数（篇）" in page.locator("svg.chart").text_content()
    screenshot(page, f"trend-count-{page.size}.png")

    cell = page.locator('#heat-table tr[data-code="140000"] td[data-year="2024"] a')
    assert cell.inner_text().startswith("1")
    cell.click()
    page.wait_for_url(re.compile(r"/\?q=.*province=140000.*year=2024"))
    assert int(page.locator("#summary .total").inner_text()) == 1

    page.go_back()
    page.click('#heat-table tr[data-code="140000"] th a')
    page.wait_for_url(re.compile(r"province=140000"))
    assert "山西省各城市" in page.locator(".region-grid h2").inner_text()
    assert page.locator("#heat-table tbody tr").count() == 2
    screenshot(page, f"trend-cities-{page.size}.png")
    assert page.console_errors == []


def test_section_filter_facet_and_report_contents(page, live_server):
    page.goto(live_server.url + "/?q=执法")
    before = int(page.locator("#summary .total").inner_text())
    if page.size == "mobile":
        page.click(".facet-panel > summary")
    link = page.locator('#facet-section a[data-value="不足"]')
    expected = int(link.locator(".count").inner_text())
    link.click()
    page.wait_for_url(re.compile(r"section%3A%E4%B8%8D%E8%B6%B3"))
    assert page.locator(".search-input").first.input_value() == "执法 section:不足"
    assert int(page.locator("#summary .total").inner_text()) == expected < before
    tags = page.locator(".hit .fragment .section-tag").all_inner_texts()
    assert tags and set(tags) == {"不足"}
    assert page.locator(".hit .fragment mark").first.inner_text() in ("执法", "執法")
    screenshot(page, f"section-filter-{page.size}.png")

    page.click(".hit-title a")
    page.wait_for_url(re.compile(r"/report/"))
    toc = page.locator(".toc li")
    assert toc.count() == 5
    page.click(".toc a:has-text('存在的不足和原因')")
    page.wait_for_url(re.compile(r"#section-3$"))
    anchor = page.locator("#section-3").bounding_box()
    assert anchor and 0 <= anchor["y"] < page.viewport_size["height"]
    screenshot(page, f"report-toc-{page.size}.png", full_page=False)
    assert page.console_errors == []


def test_compare_view(page, live_server, sample_ids):
    page.goto(live_server.url + f"/compare?a={sample_ids['002']}&b={sample_ids['001']}")
    assert page.locator("h1").inner_text() == "报告对比"
    kinds = page.locator(".compare-section .compare-kind").all_inner_texts()
    assert kinds == ["成效", "不足", "第一责任人", "计划"]
    missing = page.locator('.compare-section[data-kind="不足"] .compare-cell').nth(1)
    assert "没有这一部分" in missing.inner_text()
    terms = page.locator("#side-a .compare-terms li").all_inner_texts()
    assert any(t.startswith("高效办成一件事") for t in terms)
    screenshot(page, f"compare-{page.size}.png")
    assert page.console_errors == []
