"""The evaluation page in real headless Chromium (waitress), desktop and mobile, screenshots in
tests/artifacts/ for a person to look at."""
from __future__ import annotations

import re

import pytest

from test_browser import screenshot
from test_evaluation import build_eval_index
from web_fixtures import SIZES, recording_page
from web_fixtures import browser  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def eval_server(tmp_path_factory):
    from web import create_app
    from web.serve import start_server

    server = start_server(create_app({"TESTING": True,
                                      "index_dir": build_eval_index(tmp_path_factory)}))
    yield server
    server.close()


@pytest.fixture(params=list(SIZES))
def page(request, browser):
    """A page at desktop and at phone size (web_fixtures.recording_page)."""
    with recording_page(browser, request.param) as page:
        yield page


def test_evaluation_page_figures_filters_and_gaps(page, eval_server):
    page.goto(eval_server.url + "/")
    page.click("footer a.evaluation-link")
    page.wait_for_url(re.compile(r"/evaluation$"))
    assert page.locator("h1").inner_text() == "发布评估"
    rows = page.locator("#rows-table tbody tr")
    assert rows.count() == 5
    late = page.locator('#rows-table tr[data-status="late"]')
    assert late.locator(".status").inner_text() == "逾期 10 天"
    assert late.locator("td.part").all_inner_texts() == ["✓", "✓", "—", "✓"]
    assert page.locator("#continuity-table .gap-note").inner_text() == "2022 缺（本库未收录）"
    chart = page.locator("svg.chart")
    assert chart.is_visible() and page.locator("svg.chart .bar rect").count() == 8
    hover = page.locator("svg.chart .bar-0 title").nth(3).text_content()
    assert hover == "2023年 按时发布率：50%（1 / 2 篇有日期的报告）"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SIZES[page.size]["width"] + 1          # wide tables scroll inside their box
    screenshot(page, f"evaluation-{page.size}.png")

    # a figure: 2023's one late report, found by the search it links to
    page.click('#by-year-table tr[data-year="2023"] a[data-figure="late"]')
    page.wait_for_url(re.compile(r"/\?year=2023&issuer="))
    assert int(page.locator("#summary .total").inner_text()) == 1
    page.go_back()

    # the filters: departments only, from 2022
    page.select_option('select[name="kind"]', "department")
    page.fill('input[name="year_from"]', "2022")
    page.click(".eval-form button")
    page.wait_for_url(re.compile(r"kind=department"))
    assert page.locator("#rows-table tbody th").all_inner_texts() == \
        ["陕西省司法厅", "陕西省生态环境厅"]        # 陕西省交通运输厅's report is of 2020
    assert "机关类型：部门" in page.locator(".trend-filters").inner_text()
    assert page.locator('#rows-table tr[data-issuer="陕西省生态环境厅"] .others').inner_text() \
        == "另有 1 篇"
    screenshot(page, f"evaluation-departments-{page.size}.png")
    assert page.console_errors == []


def test_bad_parameter_page_in_chinese(page, eval_server):
    page.goto(eval_server.url + "/evaluation?kind=bogus")
    assert page.locator(".error-box h1").inner_text() == "检索条件有误"
    assert "发布机关类型只能是" in page.locator(".error-box .message").inner_text()
    if page.size == "desktop":
        screenshot(page, "evaluation-error-desktop.png")
