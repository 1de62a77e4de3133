"""The evaluation page, /api/evaluation and /evaluation.csv on constructed reports (test client)."""
from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest

from test_evaluation import build_eval_index


@pytest.fixture(scope="module")
def eval_app(tmp_path_factory):
    from web import create_app

    return create_app({"TESTING": True, "index_dir": build_eval_index(tmp_path_factory)})


@pytest.fixture()
def eclient(eval_app):
    return eval_app.test_client()


def _rows(html: str) -> list[list[str]]:
    body = html[html.index('id="rows-table"'):]
    body = body[:body.index("</table>")]
    out = []
    for tr in re.findall(r"<tr data-issuer.*?</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
        out.append([" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells])
    return out


def test_page_rows_ticks_and_statuses(eclient):
    response = eclient.get("/evaluation")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    rows = {(r[0], r[1]): r for r in _rows(html)}
    assert len(rows) == 5
    gov21 = rows[("陕西省人民政府", "2021")]
    assert gov21[3:] == ["2022-03-15", "按时", "✓", "✓", "✓", "✓", gov21[-1]]
    assert rows[("陕西省人民政府", "2023")][3:9] == ["2024-04-10", "逾期 10 天", "✓", "✓", "—", "✓"]
    justice = rows[("陕西省司法厅", "2023")]
    assert "（2 个副本）" in justice[2] and "另有" not in justice[2]
    assert justice[3:5] == ["2024-02-01", "按时"]
    env = rows[("陕西省生态环境厅", "2022")]
    assert "另有 1 篇" in env[2] and env[3:9] == ["2023-03-20", "按时", "✓", "✓", "✓", "—"]
    assert "2022 缺（本库未收录）" in html
    assert "日期不明" in html


def test_every_figure_links_to_its_reports(eclient):
    """A figure's search finds exactly its bodies' reports (plus their other reports that
    year); a figure no search can name exactly links to this page showing exactly its rows."""
    data = eclient.get("/api/evaluation").get_json()
    others = {(r["issuer"], r["year"]): r["others"] for r in data["rows"]}
    searched = narrowed = 0
    for table in ("by_year", "by_year_level", "by_province"):
        for summary, links in zip(data[table], data["links"][table]):
            for figure in ("bodies", "on_time", "late", "unknown", "all_parts"):
                url = links[figure]
                if summary[figure] == 0:
                    assert url is None
                    continue
                if url.startswith("/?"):
                    hits = eclient.get("/api/search" + url[1:] + "&page_size=100").get_json()
                    pairs = {(h["issuer"], h["year"]) for h in hits["hits"]}
                    assert len(pairs) == summary[figure], (table, summary, figure)
                    assert hits["total"] == summary[figure] + sum(others[p] for p in pairs)
                    searched += 1
                else:
                    assert url.startswith("/evaluation?") and url.endswith("#rows")
                    page = eclient.get(url.split("#")[0]).get_data(as_text=True)
                    assert len(_rows(page)) == summary[figure], (table, summary, figure)
                    narrowed += 1
    # 28 figures are not zero. By province, 陕西省人民政府 is on time and complete in 2021 but
    # late and incomplete in 2023, so no search of issuers × years selects exactly the on-time
    # rows, nor the complete ones: those two figures show the page's rows
    assert (searched, narrowed) == (26, 2)
    assert data["links"]["by_province"][0]["on_time"] == \
        "/evaluation?province=610000&show=on_time#rows"
    assert data["links"]["by_province"][0]["late"].startswith("/?province=610000&year=2023&")


def test_api_and_csv_reproduce_the_page(eclient):
    data = eclient.get("/api/evaluation?year_from=2022").get_json()
    assert [(s["year"], s["bodies"], s["on_time"]) for s in data["by_year"]] == \
        [(2022, 1, 1), (2023, 2, 1)]
    response = eclient.get("/evaluation.csv?year_from=2022")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff表,发布机关,机关类型,年度")
    records = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    reports = [r for r in records if r["表"] == "报告"]
    assert [(r["发布机关"], r["年度"], r["时效"], r["逾期天数"], r["不足"], r["副本数"],
             r["同年其他报告"]) for r in reports] == [
        ("陕西省人民政府", "2023", "逾期", "10", "是", "1", "0"),
        ("陕西省司法厅", "2023", "按时", "", "是", "2", "0"),
        ("陕西省生态环境厅", "2022", "按时", "", "是", "1", "1")]
    years = {r["年度"]: r for r in records if r["表"] == "年度"}
    for s in data["by_year"]:
        row = years[str(s["year"])]
        assert (int(row["有报告的机关"]), int(row["按时"]), int(row["有日期"]),
                float(row["按时率"]), int(row["四部分齐全数"]), float(row["齐全率"])) == \
            (s["bodies"], s["on_time"], s["dated"], s["on_time_share"], s["all_parts"],
             s["all_parts_share"])
    assert int(years["2023"]["按时"]) / int(years["2023"]["有日期"]) == \
        float(years["2023"]["按时率"])
    [province] = [r for r in records if r["表"] == "省份"]
    assert (province["省份"], province["有报告的机关"], province["逾期"]) == ("陕西省", "3", "1")
    gaps = [r for r in records if r["表"] == "连续性"]
    assert {r["发布机关"]: r["缺失年份"] for r in gaps} == {"陕西省人民政府": "", "陕西省司法厅": "",
                                                        "陕西省生态环境厅": ""}
    whole = eclient.get("/evaluation.csv").get_data(as_text=True)
    assert "连续性,陕西省人民政府," in whole and "2022 缺（本库未收录）" in whole


def test_kind_filter_and_its_label(eclient):
    html = eclient.get("/evaluation?kind=government").get_data(as_text=True)
    assert {r[0] for r in _rows(html)} == {"陕西省人民政府"}
    assert "机关类型：政府" in html
    data = eclient.get("/api/evaluation?kind=部门").get_json()
    assert data["kind"] == "department"
    assert {r["issuer"] for r in data["rows"]} == {"陕西省司法厅", "陕西省生态环境厅", "陕西省交通运输厅"}


@pytest.mark.parametrize("path", ["/evaluation", "/evaluation.csv", "/api/evaluation"])
@pytest.mark.parametrize("query, message", [
    ("kind=bogus", "发布机关类型只能是 政府（government）或 部门（department），不能是“bogus”。"),
    ("year_from=2025&year_to=2020", "起始年份（2025年）晚于截止年份（2020年），请对调。"),
    ("province=火星", "未知的省份“火星”"),
    ("level=乡级", "未知的层级“乡级”"),
])
def test_bad_parameters_are_chinese_400s(eclient, path, query, message):
    response = eclient.get(f"{path}?{query}")
    assert response.status_code == 400
    if path.startswith("/api/"):
        body = response.get_json()
        assert body["error"] == "bad_parameter" and message in body["message"]
    else:
        assert message in unescape(response.get_data(as_text=True))


def test_show_lists_one_figure_rows(eclient):
    html = eclient.get("/evaluation?show=late").get_data(as_text=True)
    assert [r[:2] for r in _rows(html)] == [["陕西省人民政府", "2023"]]
    assert "只显示逾期发布的 1 行" in html
    response = eclient.get("/evaluation?show=bogus")
    assert response.status_code == 400
    assert "参数 show 只能是" in response.get_data(as_text=True)


def test_page_past_the_last_and_nav_link(eclient):
    response = eclient.get("/evaluation?page=3")
    assert response.status_code == 400
    assert "没有第 3 页：评估共 5 行，只有 1 页。" in response.get_data(as_text=True)
    assert 'href="/evaluation">发布评估</a>' in eclient.get("/").get_data(as_text=True)
