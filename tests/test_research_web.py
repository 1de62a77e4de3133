"""Sections, body history and the compare view on the web pages (Flask test client)."""
from __future__ import annotations

import re

import pytest

from web_fixtures import app, client, sample_ids  # noqa: F401 - fixtures

REPORT = """{county}{year}年法治政府建设情况报告
{year}年，{county}司法局在县委县政府领导下推进法治政府建设。
一、主要举措和成效
{measures}
二、存在的问题
{problems}
三、{next}年工作计划
{plans}
"""


@pytest.fixture(scope="module")
def body_app(tmp_path_factory):
    """An index of one county justice bureau's reports for 2023 and 2024, plus an unrelated one."""
    from indexer.build import build_index
    from web import create_app

    corpus = tmp_path_factory.mktemp("body")
    texts = {
        "a2023.txt": REPORT.format(county="山西省忻州市忻府区", year=2023, next=2024,
                                   measures="推进证照分离改革，开展行政执法培训。",
                                   problems="基层执法力量不足，执法人员培训不够。",
                                   plans="继续深化证照分离。"),
        "a2024.txt": REPORT.format(county="山西省忻州市忻府区", year=2024, next=2025,
                                   measures="推进高效办成一件事，高效办成一件事覆盖全部事项，"
                                            "数字政府建设提速，数字政府平台上线。",
                                   problems="数字政府人才短缺。",
                                   plans="推广高效办成一件事。"),
    }
    for name, text in texts.items():
        (corpus / name).write_text(text, encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("body-index")
    assert build_index([corpus], index_dir, jobs=1).added == 2
    return create_app({"TESTING": True, "index_dir": index_dir})


def _ids(client) -> dict[str, str]:
    hits = client.get("/api/search?page_size=10").get_json()["hits"]
    return {hit["year"]: hit["id"] for hit in hits}


def test_section_facet_counts_are_search_totals(client):
    html = client.get("/?q=执法").get_data(as_text=True)
    facet = html[html.index('id="facet-section"'):]
    facet = facet[:facet.index("</section>")]
    values = re.findall(r'href="([^"]+)" role="checkbox" aria-checked="false"\s+'
                        r'data-value="([^"]+)">.*?class="count">(\d+)<', facet, re.S)
    assert [kind for _, kind, _ in values] == ["成效", "不足", "第一责任人", "计划", "其他"]
    for href, kind, count in values:
        query = href.split("?", 1)[1].replace("&amp;", "&")
        assert client.get("/api/search?" + query).get_json()["total"] == int(count), kind
    assert [int(c) for _, _, c in values] == [4, 1, 1, 2, 0]


def test_section_filter_labels_fragments_with_their_section(client):
    html = client.get("/?q=section:不足 执法").get_data(as_text=True)
    assert re.search(r'class="total">1<', html)
    tags = re.findall(r'<p class="fragment"><span class="section-tag">([^<]+)</span>', html)
    assert tags and set(tags) == {"不足"}
    assert re.search(r'data-value="不足">\s*<span class="box" aria-hidden="true"></span>', html)
    assert re.search(r'aria-checked="true"\s+data-value="不足"', html)


def test_report_page_table_of_contents_links_its_sections(client, sample_ids):
    html = client.get(f"/report/{sample_ids['002']}?q=执法").get_data(as_text=True)
    toc = re.findall(r'<a href="#(section-\d+)"><span class="section-tag">([^<]+)</span>', html)
    assert [kind for _, kind in toc] == ["正文", "成效", "不足", "第一责任人", "计划"]
    for anchor, _ in toc:
        assert f'id="{anchor}"' in html
    assert html.count('<mark id="first-hit">') == 1
    plain = client.get(f"/report/{sample_ids['000']}").get_data(as_text=True)
    assert 'class="panel toc"' in plain          # 000's headings are inline: found too


def test_body_history_and_compare(body_app):
    client = body_app.test_client()
    ids = _ids(client)
    html = client.get(f"/report/{ids[2024]}").get_data(as_text=True)
    assert "本机关历年报告" in html
    history = html[html.index("本机关历年报告"):]
    assert history.index("2023年") < history.index("2024年")
    assert f"/compare?a={ids[2024]}&amp;b={ids[2023]}" in history
    data = client.get(f"/api/compare?a={ids[2024]}&b={ids[2023]}").get_json()
    newer = [t["term"] for t in data["a"]["terms"]]
    older = [t["term"] for t in data["b"]["terms"]]
    assert "数字" in newer and "高效办成一件事" in newer
    assert "证照分离" in older and "培训" in older
    assert [row["kind"] for row in data["rows"]] == ["成效", "不足", "计划"]
    assert "数字政府人才短缺" in data["rows"][1]["a"][0]["text"]
    page = client.get(f"/compare?a={ids[2024]}&b={ids[2023]}")
    assert page.status_code == 200 and "报告对比" in page.get_data(as_text=True)


@pytest.mark.parametrize("url, status", [("/compare", 400), ("/compare?a=zz&b=yy", 404),
                                         ("/api/compare?a=0000000000000000&b=1", 404)])
def test_compare_errors(client, url, status):
    assert client.get(url).status_code == status


def test_inline_headings_give_short_contents_entries(client, sample_ids):
    html = client.get(f"/report/{sample_ids['000']}").get_data(as_text=True)
    toc = re.findall(r'<span class="section-tag">([^<]+)</span>([^<]+)</a>', html)
    assert toc[1:] == [("成效", "一、加强组织领导,夯实法治根基"), ("成效", "二、完善法治体系,提升依法行政水平"),
                       ("成效", "三、坚持法治引领,深入推动改革"), ("计划", "四、下一步工作打算")]


def test_trend_of_a_section_query(client):
    data = client.get("/api/trend?q=section:不足 执法").get_json()
    assert data["series"][0]["total"] == client.get(
        "/api/search?q=section:不足 执法").get_json()["total"]


def test_section_query_marks_only_inside_its_sections(client, sample_ids):
    html = client.get(f"/report/{sample_ids['002']}?q=section:不足 执法").get_data(as_text=True)
    parts = re.split(r'<span class="section-anchor" id="section-\d+"></span>', html)
    marks = [part.count("<mark") for part in parts[1:]]
    assert marks[2] > 0 and sum(marks) == marks[2]          # all in 二、存在的不足和原因
    everywhere = client.get(f"/report/{sample_ids['002']}?q=执法").get_data(as_text=True)
    assert everywhere.count("<mark") > sum(marks)
    search = client.get("/?q=section:计划 法治").get_data(as_text=True)
    tags = re.findall(r'<p class="fragment"><span class="section-tag">([^<]+)</span>', search)
    assert tags and set(tags) == {"计划"}
