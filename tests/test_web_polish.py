"""What a Chinese reader sees: facets and their labels, the sort really used, derived titles,
the home page's summary, page sizes, the overview page, relative paths in the API.

Flask test client over the sample index; the same pages in real Chromium are in
tests/test_browser.py.
"""
from __future__ import annotations

import html
import re

import pytest

from web_fixtures import ISSUER_CITIES, app, client, many_issuers, sample_ids  # noqa: F401


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def facet(body: str, name: str) -> dict[str, tuple[int, bool]]:
    """``{label: (count, ticked)}`` of one sidebar facet."""
    section = re.search(rf'<section class="facet" id="facet-{name}".*?</section>', body, re.S)
    if section is None:
        return {}
    out = {}
    for a in re.findall(r'<a class="facet-value.*?</a>', section.group(0), re.S):
        label = re.search(r'<span class="facet-label">(.*?)</span>', a).group(1)
        count = int(re.search(r'<span class="count">(\d+)</span>', a).group(1))
        out[html.unescape(label)] = (count, 'aria-checked="true"' in a)
    return out


def test_city_facet_calls_province_level_reports_sheng_benji(client):
    body = page(client, "/?province=山西")
    assert facet(body, "city") == {"忻州市": (1, False), "省本级": (1, False)}
    assert "无" not in facet(body, "city")


def test_county_facet_appears_under_a_ticked_city(client):
    assert facet(page(client, "/?province=山西"), "county") == {}
    body = page(client, "/?province=山西&city=忻州市")
    assert facet(body, "county") == {"忻府区": (1, False)}
    body = page(client, "/?province=山西&city=忻州市&county=140902")
    assert facet(body, "county") == {"忻府区": (1, True)}
    assert "区县：忻府区" in body                                       # its chip


def test_issuer_facet_counts_and_multi_select(client):
    body = page(client, "/")
    issuers = facet(body, "issuer")
    assert len(issuers) == 5 and all(count == 1 for count, _ in issuers.values())
    body = page(client, "/?issuer=苏州市行政审批局&issuer=新余市行政审批局")
    assert re.search(r'class="total">2<', body)
    ticked = {k for k, (_, on) in facet(body, "issuer").items() if on}
    assert ticked == {"苏州市行政审批局", "新余市行政审批局"}
    # OR inside the facet, counted without its own filter: the others keep their counts
    assert facet(body, "issuer")["忻府区人民政府"] == (1, False)
    # AND across facets: the province facet counts only the two issuers' reports
    assert facet(body, "province") == {"江苏省": (1, False), "江西省": (1, False)}


def test_sort_control_marks_the_order_really_used(client):
    current = r'<span class="sort-option is-current" aria-current="true">(.*?)</span>'
    assert re.findall(current, page(client, "/")) == ["年份（新→旧）"]
    assert re.findall(current, page(client, "/?q=证照分离")) == ["相关度"]
    assert re.findall(current, page(client, "/?q=证照分离&sort=published")) == ["发布日期（新→旧）"]
    assert 'class="sort-option is-disabled"' in page(client, "/")


def test_derived_titles_are_muted_and_labelled_not_glued(client, sample_ids):
    body = page(client, "/")
    assert "（标题为推断）" not in body
    assert ('<span class="derived-title">新余市行政审批局2024年度法治政府建设情况报告</span> '
            '<span class="tag tag-derived"') in body
    report = page(client, f"/report/{sample_ids['002']}")
    assert "（标题为推断）" not in report
    row = re.search(r'<th scope="row">标题</th><td>(.*?)</td>', report, re.S).group(1)
    assert 'class="derived-title">新余市行政审批局2024年度法治政府建设情况报告' in row
    assert "推断" in row and "原文没有标题" in row
    own = page(client, f"/report/{sample_ids['003']}")
    assert "<th scope=\"row\">标题</th><td>忻府区2022年度法治政府建设工作报告</td>" in own


def test_home_page_says_what_is_indexed_and_offers_examples(client):
    body = page(client, "/")
    intro = re.search(r'<section class="intro".*?</section>', body, re.S).group(0)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", intro))
    assert "本站收录 5 篇" in text and "年份 2022–2024 年" in text and "4 个省份" in text
    examples = re.findall(r'<a class="example" href="([^"]+)"', intro)
    assert len(examples) >= 4
    for href in examples:
        assert page(client, html.unescape(href)).count('class="hit"') >= 1, href
    assert 'class="intro"' not in page(client, "/?q=证照分离")
    assert 'class="intro"' not in page(client, "/?province=山西")


@pytest.mark.parametrize("size", [10, 20, 50, 100])
def test_page_size_is_offered_and_kept(client, size):
    body = page(client, f"/?q=行政复议&page_size={size}")
    select = re.search(r'<select name="page_size".*?</select>', body, re.S).group(0)
    assert re.findall(r'<option value="(\d+)"', select) == ["10", "20", "50", "100"]
    assert f'<option value="{size}" selected>' in select
    assert '<input type="hidden" name="q" value="行政复议">' in body


def test_stats_page(client):
    body = page(client, "/stats")
    assert '<strong id="stats-total">5</strong>' in body
    assert "<svg class=\"chart\"" in body and body.count('<rect class="bar"') == 3
    assert re.search(r'href="/\?province=140000">山西省</a></td>\s*<td class="num">2</td>', body)
    assert re.search(r'href="/\?level=city">市级</a></td>\s*<td class="num">3</td>', body)
    assert "索引建立于" in body and "占用" in body
    assert 'href="/stats">收录概况</a>' in page(client, "/")            # linked from the footer


def test_api_names_source_files_relative_to_the_indexed_folder(client, sample_ids):
    hits = client.get("/api/search").get_json()["hits"]
    assert {h["path"][:3] for h in hits} == {"000", "001", "002", "003", "004"}
    assert not [h["path"] for h in hits if "/" in h["path"]]
    report = client.get(f"/api/report/{sample_ids['003']}").get_json()
    assert report["path"] == "003_d26ec326210c9f38.txt"


def test_report_warnings_are_in_chinese():
    from web.render import warning_text

    assert warning_text("region inferred from places named in the text") == (
        "地区系根据正文中出现的地名推断，可能不准确")
    assert warning_text("region unknown") == "未能识别发布地区"
    assert warning_text("correction: city '苏州' is unknown or ambiguous") == (
        "校正文件中的城市“苏州”无法识别或有歧义")
    assert warning_text("region ambiguous: 朝阳区 in 北京市, 长春市") == "地区有歧义（北京市、长春市都有朝阳区），未能确定"
    assert warning_text("region ambiguous: the text names 宜春市, 长沙市 equally often") == (
        "地区有歧义（正文中宜春市、长沙市出现次数相同），未能确定")


def test_every_region_warning_the_indexer_writes_is_in_chinese():
    """Each warning ``indexer.issuer`` and ``indexer.metadata`` can write, read from the code
    that writes it, renders with no English left on the Chinese report page."""
    import re

    from indexer import issuer
    from indexer.clean import clean_text
    from indexer.metadata import extract_metadata
    from search import regions
    from web.render import warning_text

    written = {issuer.TOWN_NOTE, issuer.SITE_NOTE, issuer.TRAIL_NOTE, "region unknown",
               "region inferred from places named in the text",
               "region inferred from the report's campaign name or credit code",
               regions.ZONE_NOTE.format(name="苏州工业园区", parent="苏州市"),
               regions.COUNTY_ZONE_NOTE.format(name="宁河经济开发区", county="宁河区")}
    for text in ("朝阳区人民政府2021年法治政府建设年度情况报告\n2021年,区政府坚持依法行政。",
                 "2021年,在县委领导下,县政府坚持依法行政。通州区、通州区、北京市、南通市。"):
        written.update(extract_metadata(text, clean_text(text)).warnings)
    from pathlib import Path

    source = Path(issuer.__file__).read_text(encoding="utf-8")
    assert set(re.findall(r'warnings\.append\("([^"{]+)"\)', source)) <= written
    for warning in written:
        shown = warning_text(warning)
        assert not re.search(r"[A-Za-z]{3,}", shown), (warning, shown)


def test_export_file_name_from_query_and_date():
    import datetime

    from web.csvexport import file_name

    day = datetime.date(2026, 12, 1)
    assert file_name("证照分离", day) == "法治报告_证照分离_2026-12-01.csv"
    assert file_name("  ", day) == "法治报告_全部_2026-12-01.csv"
    assert file_name('"一网通办" OR 证照分离', day) == "法治报告_一网通办_OR_证照分离_2026-12-01.csv"
    assert file_name("../../etc/passwd", day) == "法治报告_etc_passwd_2026-12-01.csv"


def test_build_time_is_shown_in_beijing_time():
    from web.render import beijing_time

    assert beijing_time("2026-12-01T21:21:09+0000") == "2026-12-02 05:21（北京时间）"
    assert beijing_time(None) == "—" and beijing_time("yesterday") == "yesterday"


# --------------------------------------------------------------------------------------------
# The issuer facet with more issuers than fit: a search box over them

def test_issuer_facet_offers_a_search_box_over_its_names(many_issuers):
    client = many_issuers.test_client()
    body = page(client, "/?q=行政复议&year=2023")
    box = re.search(r'<form class="facet-search".*?</form>', body, re.S).group(0)
    assert 'name="issuer" list="issuer-names"' in box
    assert '<input type="hidden" name="q" value="行政复议">' in box
    assert '<input type="hidden" name="year" value="2023">' in box
    names = re.findall(r'<option value="([^"]+)">', box)
    assert sorted(names) == sorted(f"{city}司法局" for city in ISSUER_CITIES)
    body = page(client, "/?q=行政复议&year=2023&issuer=晋中市司法局")      # what the box submits
    assert re.search(r'class="total">1<', body) and "发布机关：晋中市司法局" in body


@pytest.mark.parametrize("path, roots, name", [
    ("/srv/reports/山西/a.txt", ["/srv/reports"], "山西/a.txt"),
    ("/srv/reports/山西/a.txt", ["/srv", "/srv/reports/山西"], "a.txt"),      # the nearest root
    ("/srv/reports/a.txt", ["/srv/reports/a.txt"], "a.txt"),                 # a file as root
    ("/elsewhere/b.html", ["/srv/reports"], "b.html"),
    ("/srv/reports/c.txt", [], "c.txt"),
])
def test_source_files_are_named_relative_to_the_indexed_folder(path, roots, name):
    from search.csvformat import source_name

    assert source_name(path, roots) == name


def test_an_outdated_index_is_announced_in_chinese(app, monkeypatch):
    """The engine's notices carry a Chinese text; the page and the API show that one."""
    from search.store import Build

    monkeypatch.setattr(Build, "outdated", property(lambda self: True))
    client = app.test_client()
    body = page(client, "/?q=证照分离")
    assert '<p class="notice">索引是用另一版本的分词规则建立的，结果可能不完整。' in body
    assert client.get("/api/search?q=证照分离").get_json()["warnings"] == [
        "索引是用另一版本的分词规则建立的，结果可能不完整。请运行 policy-search index --rebuild 重建索引。"]
