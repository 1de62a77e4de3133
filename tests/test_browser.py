"""Real-browser tests: headless Chromium (Debian's, via Playwright) against waitress.

Screenshots of the pages land in tests/artifacts/ (git-ignored) for a human to look at.
These tests fail, never skip, when Chromium is missing: CI installs it with apt.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from web_fixtures import recording_page
from web_fixtures import app, browser, live_server, many_issuers  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture()
def page(browser):
    """A desktop-sized page that records console errors (web_fixtures.recording_page)."""
    with recording_page(browser) as page:
        yield page


def screenshot(page, name: str, full_page: bool = True) -> Path:
    """Save a screenshot; full-page ones are taken from the top (sticky parts stay in place)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    if full_page:
        page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=full_page)
    return path


def total(page) -> int:
    return int(page.locator("#summary .total").inner_text())


def facet_counts(page, name: str) -> dict[str, tuple[int, bool]]:
    out = {}
    for link in page.locator(f"#facet-{name} a.facet-value").all():
        label = link.locator(".facet-label").inner_text()
        out[label] = (int(link.locator(".count").inner_text()),
                      link.get_attribute("aria-checked") == "true")
    return out


def test_search_tick_province_page_forward_open_report(page, live_server):
    page.goto(live_server.url + "/?page_size=1")
    assert total(page) == 5
    page.fill(".search-input", "行政复议")
    page.press(".search-input", "Enter")
    page.wait_for_url(re.compile(r"q=%E8%A1%8C%E6%94%BF%E5%A4%8D%E8%AE%AE"))
    assert total(page) == 3
    assert facet_counts(page, "province") == {"山西省": (2, False), "江苏省": (1, False)}
    assert facet_counts(page, "year") == {"2024年": (1, False), "2023年": (1, False),
                                          "2022年": (1, False)}
    assert page.locator("#facet-city").count() == 0

    page.click('#facet-province a[data-value="140000"]')
    page.wait_for_url(re.compile(r"province=140000"))
    assert total(page) == 2
    assert facet_counts(page, "province") == {"山西省": (2, True), "江苏省": (1, False)}
    assert facet_counts(page, "year") == {"2024年": (1, False), "2022年": (1, False)}
    assert page.locator("#facet-city").is_visible()
    assert page.locator(".chip").inner_text().startswith("省份：山西省")
    assert page.locator(".page-info").inner_text() == "第 1 / 2 页"
    first_title = page.locator(".hit-title a").inner_text()

    page.click("a.pager-next")
    page.wait_for_url(re.compile(r"page=2"))
    assert page.locator(".page-info").inner_text() == "第 2 / 2 页"
    second_title = page.locator(".hit-title a").inner_text()
    assert second_title != first_title
    assert {first_title, second_title} == {"忻府区2022年度法治政府建设工作报告",
                                           "山西省行政审批服务管理局2024年度法治政府建设情况报告"}
    assert page.locator(".hit .fragment mark").first.inner_text() == "行政复议"

    page.click(".hit-title a")
    page.wait_for_url(re.compile(r"/report/[0-9a-f]{16}\?.*#first-hit$"))
    assert page.locator("h1").inner_text() == second_title
    mark = page.locator("mark#first-hit")
    assert mark.inner_text() == "行政复议"
    assert mark.evaluate("m => getComputedStyle(m).backgroundColor") != "rgba(0, 0, 0, 0)"
    box, viewport = mark.bounding_box(), page.viewport_size
    assert box and 0 <= box["y"] and box["y"] + box["height"] <= viewport["height"], box
    assert "省份\t山西省" in page.locator(".report-side .meta").inner_text()
    assert page.locator(".similar li").count() >= 1
    screenshot(page, "report-first-hit.png", full_page=False)
    screenshot(page, "report.png")

    page.click("a.back")
    page.wait_for_url(re.compile(r"/\?q=.*province=140000.*page=2"))
    assert page.locator(".page-info").inner_text() == "第 2 / 2 页"
    assert page.console_errors == []


def test_search_page_screenshot_with_filters(page, live_server):
    page.goto(live_server.url + "/")
    page.fill(".search-input", "营商环境")
    page.press(".search-input", "Enter")
    page.wait_for_url(re.compile(r"q="))
    assert total(page) == 5
    page.click('#facet-province a[data-value="140000"]')
    page.wait_for_url(re.compile(r"province=140000"))
    page.click('#facet-province a[data-value="230000"]')       # a second province: OR
    page.wait_for_url(re.compile(r"province=230000"))
    assert total(page) == 3
    assert page.locator("mark").first.inner_text() in ("营商环境", "營商環境")
    screenshot(page, "search.png")
    page.click(".chip >> nth=0")                                 # remove 山西省
    page.wait_for_url(lambda url: "140000" not in url)
    assert total(page) == 1
    page.click("a.clear-all")
    page.wait_for_url(lambda url: "province" not in url)
    assert total(page) == 5
    assert page.console_errors == []


def test_year_range_and_sort(page, live_server):
    page.goto(live_server.url + "/?q=营商环境")
    page.fill('.year-range input[name="year_from"]', "2023")
    page.click(".year-range button")
    page.wait_for_url(re.compile(r"year_from=2023"))
    assert total(page) == 4
    assert "起始年份：2023年起" in page.locator(".chips").inner_text()
    page.click("a.sort-option:has-text('年份（旧→新）')")
    page.wait_for_url(re.compile(r"sort=year-asc"))
    assert page.locator(".sort-option.is-current").inner_text() == "年份（旧→新）"
    assert "2023年" in page.locator(".hit-meta").first.inner_text()
    assert page.locator('.year-range input[name="year_from"]').input_value() == "2023"


def test_traditional_query_and_no_results(page, live_server):
    page.goto(live_server.url + "/?q=行政復議")
    assert total(page) == 3
    assert page.locator(".fragment mark").first.inner_text() == "行政复议"
    page.goto(live_server.url + "/?q=证照分离&province=江苏")
    assert "没有找到与“证照分离”相关的报告" in page.locator(".empty h2").inner_text()
    screenshot(page, "no-results.png")
    page.click(".drops a")
    page.wait_for_url(lambda url: "province" not in url)
    assert total(page) == 1


def test_bad_query_is_a_friendly_400(page, live_server):
    response = page.goto(live_server.url + "/?q=" + "((证照分离")
    assert response.status == 400
    assert page.locator(".error-box h1").inner_text() == "检索语句有误"
    assert page.locator(".search-input").input_value() == "((证照分离"
    screenshot(page, "bad-query.png")


def test_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280,
                                                                         "height": 900})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        page.fill(".search-input", "一网通办")
        page.click(".search-button")
        page.wait_for_url(re.compile(r"q="))
        assert total(page) == 2
        page.click('#facet-province a[data-value="320000"]')
        page.wait_for_url(re.compile(r"province=320000"))
        assert total(page) == 1
        page.click(".hit-title a")
        page.wait_for_url(re.compile(r"/report/"))
        assert page.locator("mark#first-hit").inner_text() == "一网通办"
    finally:
        context.close()


def test_mobile_layout(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/?q=营商环境")
        assert page.locator(".facet-panel").evaluate("d => d.open") is False   # folded by app.js
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
        screenshot(page, "search-mobile.png")
        page.click(".facet-panel > summary")
        assert page.locator("#facet-province").is_visible()
        page.click(".hit-title a >> nth=0")
        page.wait_for_url(re.compile(r"/report/"))
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
        screenshot(page, "report-mobile.png", full_page=False)
    finally:
        context.close()


def test_slash_focuses_the_search_box(page, live_server):
    page.goto(live_server.url + "/?q=营商环境")
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.name") == "q"


# --------------------------------------------------------------------------------------------
# What a Chinese reader sees

#: Latin words a Chinese page may show: query syntax, file formats, units.
ALLOWED_LATIN = {"OR", "NOT", "title", "section", "CSV", "JSON", "KB", "MB", "GB"}  # syntax, formats


def other_console_errors(page) -> list[str]:
    """Console errors other than the browser's note of a 4xx status (expected here)."""
    return [e for e in page.console_errors if not e.startswith("Failed to load resource")]


def latin_words(page) -> list[str]:
    """Latin words in the rendered text of the page (minus codes, ids and what was typed).

    Also checks the page title and every placeholder, tooltip and accessible label.
    """
    text = page.evaluate("""() => {
        const body = document.body.cloneNode(true);
        // codes, file names and the reports' own text are data, not the page's words
        body.querySelectorAll("code, input, script, style, .fulltext, .fragment, .source")
            .forEach(e => e.remove());
        return [document.title, body.innerText,
                ...[...document.querySelectorAll("[placeholder], [title], [aria-label]")]
                  .filter(e => !e.closest(".source, code"))
                  .map(e => [e.placeholder, e.title, e.getAttribute("aria-label")].join(" "))]
               .join(" ");
    }""")
    text = re.sub(r"“[^”]*”", "", text)                  # what the user typed, quoted back
    return [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in ALLOWED_LATIN]


def test_no_english_text_in_any_page(page, live_server):
    ids = {h["path"][:3]: h["id"] for h in page.request.get(
        live_server.url + "/api/search?page_size=100").json()["hits"]}
    pages = {
        "/": 200, "/?q=证照分离": 200, "/?q=行政复议&province=山西&city=忻州市": 200,
        "/?q=量子计算机&province=江苏": 200, f"/report/{ids['003']}?q=证照分离": 200,
        f"/report/{ids['002']}": 200, "/stats": 200, "/?q=((证照分离": 400,
        "/?q=证照分离&year_from=2024&year_to=2022": 400, "/?page=9": 400, "/?sort=x": 400,
        "/?province=火星": 400, "/?page_size=abc": 400, "/report/0123456789abcdef?q=a": 404,
        "/nothing": 404,
    }
    found = {}
    for url, status in pages.items():
        response = page.goto(live_server.url + url)
        assert response.status == status, url
        words = latin_words(page)
        if words:
            found[url] = words
    assert found == {}
    assert other_console_errors(page) == []


def test_error_page_keeps_the_form_and_offers_the_fix(page, live_server):
    response = page.goto(live_server.url + "/?q=证照分离&province=山西&year_from=2024&year_to=2022")
    assert response.status == 400
    assert page.locator(".error-box .message").inner_text() == (
        "起始年份（2024年）晚于截止年份（2022年），请对调。")
    assert page.locator(".search-input").input_value() == "证照分离"
    assert page.locator('form.search-form input[type=hidden][name="province"]').input_value() == "山西"
    assert "省份：山西省" in page.locator(".error-box .chips").inner_text()
    screenshot(page, "error-400-years.png")
    page.click("a.fix-link")
    page.wait_for_url(re.compile(r"year_from=2022&year_to=2024"))
    assert total(page) == 1
    # the error page's own form keeps the filters when a new query is typed
    page.goto(live_server.url + "/?q=((&province=山西")
    page.fill(".search-input", "行政复议")
    page.press(".search-input", "Enter")
    page.wait_for_url(re.compile(r"province="))
    assert total(page) == 2
    response = page.goto(live_server.url + "/?q=行政复议&page_size=1&page=7")
    assert response.status == 400
    assert page.locator("a.fix-link").inner_text() == "转到最后一页（第 3 页）"
    page.click("a.fix-link")
    page.wait_for_url(re.compile(r"page=3"))
    assert page.locator(".page-info").inner_text() == "第 3 / 3 页"
    response = page.goto(live_server.url + "/report/0123456789abcdef?q=证照分离&year=2022")
    assert response.status == 404
    page.click(".error-box a.back")
    page.wait_for_url(re.compile(r"/\?q=.*year=2022"))
    assert total(page) == 1
    assert other_console_errors(page) == []


def test_overview_page(page, live_server):
    page.goto(live_server.url + "/")
    page.click("footer a:has-text('收录概况')")
    page.wait_for_url(re.compile(r"/stats$"))
    assert page.locator("#stats-total").inner_text() == "5"
    assert page.locator("svg.chart rect.bar").count() == 3
    heights = [page.locator("svg.chart rect.bar").nth(i).bounding_box()["height"] for i in range(3)]
    assert heights[0] < heights[1] == heights[2]        # 2022: 1 report, 2023 and 2024: 2
    rows = page.locator("#stats-province tbody tr").all_inner_texts()
    assert rows[0].split("\t") == ["山西省", "2"]
    screenshot(page, "stats.png")
    page.locator("svg.chart a").first.click()
    page.wait_for_url(re.compile(r"year=2022"))
    assert total(page) == 1
    assert other_console_errors(page) == []


def test_county_and_issuer_facets(page, live_server):
    page.goto(live_server.url + "/")
    assert page.locator("#facet-county").count() == 0
    assert facet_counts(page, "level") == {"省级": (1, False), "市级": (3, False),
                                           "县级": (1, False)}
    page.click('#facet-province a[data-value="140000"]')
    page.wait_for_url(re.compile(r"province=140000"))
    assert facet_counts(page, "city") == {"忻州市": (1, False), "省本级": (1, False)}
    page.click('#facet-city a[data-value="140900"]')
    page.wait_for_url(re.compile(r"city=140900"))
    assert facet_counts(page, "county") == {"忻府区": (1, False)}
    page.click('#facet-county a[data-value="140902"]')
    page.wait_for_url(re.compile(r"county=140902"))
    assert total(page) == 1 and facet_counts(page, "county") == {"忻府区": (1, True)}

    page.goto(live_server.url + "/")
    issuers = facet_counts(page, "issuer")
    assert len(issuers) == 5
    page.click('#facet-issuer a[data-value="苏州市行政审批局"]')
    page.wait_for_url(re.compile(r"issuer="))
    page.click('#facet-issuer a[data-value="新余市行政审批局"]')
    page.wait_for_url(lambda url: url.count("issuer=") == 2)
    assert total(page) == 2
    assert facet_counts(page, "issuer")["忻府区人民政府"] == (1, False)
    screenshot(page, "facets-issuer.png")
    assert other_console_errors(page) == []


def test_derived_titles_are_muted_with_a_label(page, live_server):
    page.goto(live_server.url + "/?q=新余市")
    title = page.locator(".hit-title").first
    assert title.locator(".derived-title").inner_text() == "新余市行政审批局2024年度法治政府建设情况报告"
    assert title.locator(".tag-derived").inner_text() == "推断"
    assert "（标题为推断）" not in page.locator("body").inner_text()
    muted = title.locator(".derived-title").evaluate("e => getComputedStyle(e).color")
    link = page.locator("footer a").first.evaluate("e => getComputedStyle(e).color")
    assert muted != link
    page.click(".hit-title a")
    page.wait_for_url(re.compile(r"/report/"))
    assert page.locator("h1 .tag-derived").inner_text() == "推断"
    assert "原文没有标题" in page.locator(".meta").inner_text()


def test_page_size_select_applies_at_once(page, live_server):
    page.goto(live_server.url + "/?q=行政复议")
    assert page.locator(".page-size button").is_hidden()          # app.js submits on change
    page.select_option('select[name="page_size"]', "20")
    page.wait_for_url(re.compile(r"page_size=20"))
    assert page.locator('select[name="page_size"]').input_value() == "20"
    assert "q=" in page.url


def test_mobile_placeholder_and_syntax_help_fit(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 780}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/?q=量子计算机")               # no results: help is open
        text_width, room = page.locator(".search-input").evaluate("""i => {
            const s = getComputedStyle(i), c = document.createElement("canvas").getContext("2d");
            c.font = s.font;
            return [c.measureText(i.placeholder).width,
                    i.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight)];
        }""")
        assert text_width <= room, (text_width, room)
        help_box = page.locator(".empty .syntax-help").bounding_box()
        for dt in page.locator(".empty .syntax-help dt").all():
            box = dt.bounding_box()
            assert box["x"] + box["width"] <= help_box["x"] + help_box["width"] + 0.5
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
        screenshot(page, "no-results-mobile.png")
        page.goto(live_server.url + "/")
        screenshot(page, "home-mobile.png")
        page.goto(live_server.url + "/stats")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
        screenshot(page, "stats-mobile.png")
    finally:
        context.close()


def test_home_page_screenshot(page, live_server):
    page.goto(live_server.url + "/")
    assert "本站收录 5 篇" in page.locator(".intro").inner_text()
    page.click(".intro a.example >> nth=0")
    page.wait_for_url(re.compile(r"q="))
    assert total(page) >= 1
    page.goto(live_server.url + "/")
    screenshot(page, "home.png")


def test_issuer_search_box_filters_the_list_and_selects(page, many_issuers):
    from web.serve import start_server

    server = start_server(many_issuers)
    try:
        page.goto(server.url + "/?q=行政复议")
        assert len(facet_counts(page, "issuer")) == 11
        page.fill("#facet-issuer .facet-search input[type=search]", "晋")
        shown = page.locator("#facet-issuer li:not(.is-hidden) .facet-label").all_inner_texts()
        assert sorted(shown) == ["晋中市司法局", "晋城市司法局"]
        screenshot(page, "facets-issuer-search.png", full_page=False)
        page.fill("#facet-issuer .facet-search input[type=search]", "晋中市司法局")
        page.press("#facet-issuer .facet-search input[type=search]", "Enter")
        page.wait_for_url(re.compile(r"issuer="))
        assert total(page) == 1
        assert facet_counts(page, "issuer")["晋中市司法局"] == (1, True)
        assert page.console_errors == []
    finally:
        server.close()
