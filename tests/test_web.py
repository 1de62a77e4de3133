"""The web app through Flask's test client: every route, every parameter, good and bad."""
from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from werkzeug.datastructures import MultiDict

from web_fixtures import TITLES, app, client, sample_ids  # noqa: F401 - fixtures

WEB = Path(__file__).resolve().parent.parent / "web"


def api(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def titles(data: dict) -> list[str]:
    return [hit["display_title"] for hit in data["hits"]]


def facet(data: dict, name: str) -> dict[str, tuple[int, bool]]:
    """Return ``{label: (count, selected)}`` of one facet of an API answer."""
    [found] = [f for f in data["facets"] if f["name"] == name]
    return {v["label"]: (v["count"], v["selected"]) for v in found["values"]}


def query_of(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(html.unescape(url)).query)


# --------------------------------------------------------------------------------------------
# The search page

def test_empty_query_browses_the_whole_collection(client):
    body = page(client, "/")
    assert "共收录 <strong class=\"total\">5</strong> 篇报告" in body
    for title in TITLES.values():
        assert title in body
    assert 'id="facet-province"' in body and 'id="facet-year"' in body
    assert 'id="facet-level"' in body
    assert 'id="facet-city"' not in body          # only once a province is chosen
    assert "选择省份后可按城市筛选" in body


def test_search_shows_highlighted_fragments_and_metadata(client):
    body = page(client, "/?q=证照分离")
    assert "找到 <strong class=\"total\">1</strong> 篇报告" in body
    assert TITLES["003"] in body
    assert "山西省 · 忻州市 · 忻府区 · 2022年 · 忻府区人民政府" in body
    assert "<mark>证照分离</mark>" in body
    assert 'value="证照分离"' in body                # the query box keeps the query
    assert "毫秒" in body                           # time taken


def test_fragments_end_at_sentence_boundaries(client):
    data = api(client, "/api/search?q=行政复议")
    for hit in data["hits"]:
        for fragment in hit["fragments"]:
            assert re.search(r"[。！？；…」”）)]$", fragment["text"]), fragment["text"]


def test_hit_links_to_report_with_state_and_first_hit(client, sample_ids):
    body = page(client, "/?q=证照分离&province=山西")
    [link] = re.findall(r'href="(/report/[^"]+)"', body)
    path, _, fragment = html.unescape(link).partition("#")
    assert path.startswith(f"/report/{sample_ids['003']}?")
    assert query_of(path) == [("q", "证照分离"), ("province", "山西")]
    assert fragment == "first-hit"


def test_traditional_query_finds_simplified_reports(client):
    simplified = api(client, "/api/search?q=行政复议")
    traditional = api(client, "/api/search?q=行政復議")
    assert traditional["total"] == simplified["total"] == 3
    assert titles(traditional) == titles(simplified)
    assert "<mark>行政复议</mark>" in page(client, "/?q=行政復議")


def test_simplified_query_finds_traditional_report(client):
    data = api(client, "/api/search?q=营商环境&province=江西")
    assert data["total"] == 1
    assert data["hits"][0]["script"] == "traditional"
    text = data["hits"][0]["fragments"][0]["text"]
    start, end = data["hits"][0]["fragments"][0]["highlights"][0]
    assert text[start:end] == "營商環境"


# --------------------------------------------------------------------------------------------
# Facets, filters and their links

def test_province_facet_is_disjunctive(client):
    data = api(client, "/api/search?q=行政复议&province=山西")
    assert data["total"] == 2
    assert facet(data, "province") == {"山西省": (2, True), "江苏省": (1, False)}
    both = api(client, "/api/search?q=行政复议&province=山西&province=江苏")
    assert both["total"] == 3
    assert facet(both, "province") == {"山西省": (2, True), "江苏省": (1, True)}


@pytest.mark.parametrize("value", ["山西", "山西省", "140000"])
def test_province_by_name_or_code(client, value):
    assert api(client, f"/api/search?province={value}")["total"] == 2


@pytest.mark.parametrize("url, total", [
    ("/api/search?year=2024", 2),
    ("/api/search?year=2024&year=2022", 3),
    ("/api/search?year=2023年", 2),
    ("/api/search?year_from=2023", 4),
    ("/api/search?year_to=2023", 3),
    ("/api/search?year_from=2023&year_to=2023", 2),
    ("/api/search?year_from=2022&year_to=2024&province=山西", 2),
    ("/api/search?city=苏州市", 1),
    ("/api/search?city=320500", 1),
    ("/api/search?province=山西&city=140900", 1),
    ("/api/search?county=忻府区", 1),
    ("/api/search?level=city", 3),
    ("/api/search?level=province&level=county", 2),
    ("/api/search?level=市级", 3),
    ("/api/search?q=营商环境&year_from=2024", 2),
    ("/api/search?q=&province=&year_from=", 5),           # empty parameters are ignored
    ("/api/search?q=证照分离&unknown=1", 1),               # unknown parameters are ignored
])
def test_filters(client, url, total):
    assert api(client, url)["total"] == total


def test_year_facet_newest_first_with_counts(client):
    data = api(client, "/api/search")
    assert list(facet(data, "year").items()) == [("2024年", (2, False)), ("2023年", (2, False)),
                                                 ("2022年", (1, False))]


def test_facet_links_add_and_remove_one_parameter(client):
    body = page(client, "/?q=行政复议&page=1")
    links = {value: url for url, value in re.findall(
        r'href="([^"]+)"\s+role="checkbox" aria-checked="false"\s+data-value="([^"]+)"', body)}
    assert query_of(links["140000"]) == [("q", "行政复议"), ("province", "140000")]
    assert query_of(links["2022"]) == [("q", "行政复议"), ("year", "2022")]
    assert query_of(links["county"]) == [("q", "行政复议"), ("level", "county")]

    body = page(client, "/?q=行政复议&province=山西&page=1")
    [selected] = re.findall(r'href="([^"]+)"\s+role="checkbox" aria-checked="true"\s+'
                            r'data-value="140000"', body)
    assert query_of(selected) == [("q", "行政复议")]      # 山西 selects 140000: unticking drops it
    assert 'id="facet-city"' in body                    # city facet once a province is chosen
    assert "忻州市" in body


def test_chips_for_active_filters_and_clear_all(client):
    body = page(client, "/?q=营商环境&province=140000&province=江苏&year_from=2022&level=city")
    chips = re.findall(r'<a class="chip" href="([^"]+)"[^>]*>([^<]+)<', body)
    assert [label for _, label in chips] == ["省份：山西省", "省份：江苏省", "起始年份：2022年起",
                                            "层级：市级"]
    assert query_of(chips[0][0]) == [("q", "营商环境"), ("province", "江苏"),
                                     ("year_from", "2022"), ("level", "city")]
    assert query_of(chips[2][0]) == [("q", "营商环境"), ("province", "140000"),
                                     ("province", "江苏"), ("level", "city")]
    [clear] = re.findall(r'<a class="clear-all" href="([^"]+)"', body)
    assert query_of(clear) == [("q", "营商环境")]


def test_year_range_form_keeps_other_state(client):
    body = page(client, "/?q=营商环境&province=山西&year_from=2022&sort=year&page=1")
    form = body[body.index('<form class="year-range"'):]
    form = form[:form.index("</form>")]
    hidden = re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form)
    assert hidden == [("q", "营商环境"), ("province", "山西"), ("sort", "year")]
    assert 'name="year_from" min="1949" max="2100" inputmode="numeric"\n' \
           '                 value="2022"' in form


def test_search_form_keeps_filters_not_page(client):
    body = page(client, "/?q=营商环境&province=山西&sort=year&page=1")
    form = body[body.index('<form class="search-form"'):]
    form = form[:form.index("</form>")]
    assert re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form) == [
        ("province", "山西"), ("sort", "year")]


# --------------------------------------------------------------------------------------------
# Sorting and paging

@pytest.mark.parametrize("sort, years", [
    ("year", [2024, 2024, 2023, 2023, 2022]),
    ("year-asc", [2022, 2023, 2023, 2024, 2024]),
])
def test_sort_by_year(client, sort, years):
    data = api(client, f"/api/search?q=营商环境&sort={sort}")
    assert [hit["year"] for hit in data["hits"]] == years
    assert data["sort"] == sort


def test_sort_by_published_and_relevance(client):
    published = api(client, "/api/search?sort=published")["hits"]
    dates = [hit["published"] for hit in published if hit["published"]]
    assert dates == sorted(dates, reverse=True) and dates
    relevance = api(client, "/api/search?q=行政复议")["hits"]
    scores = [hit["score"] for hit in relevance]
    assert scores == sorted(scores, reverse=True)


def test_sort_links(client):
    body = page(client, "/?q=营商环境&page=2&page_size=2")
    links = dict((label, url) for url, label in re.findall(
        r'<a class="sort-option" href="([^"]+)">([^<]+)</a>', body))
    assert query_of(links["年份（新→旧）"]) == [("q", "营商环境"), ("page_size", "2"),
                                          ("sort", "year")]
    assert '<span class="sort-option is-current" aria-current="true">相关度</span>' in body


def test_paging(client):
    first = api(client, "/api/search?q=营商环境&page_size=2")
    assert (first["total"], first["pages"], len(first["hits"])) == (5, 3, 2)
    last = api(client, "/api/search?q=营商环境&page_size=2&page=3")
    assert len(last["hits"]) == 1
    seen = titles(first) + titles(api(client, "/api/search?q=营商环境&page_size=2&page=2")) \
        + titles(last)
    assert len(set(seen)) == 5

    body = page(client, "/?q=营商环境&page_size=2&page=2")
    assert "第 2 / 3 页" in body
    [prev] = re.findall(r'rel="prev" href="([^"]+)"', body)
    [nxt] = re.findall(r'rel="next" href="([^"]+)"', body)
    assert query_of(prev) == [("q", "营商环境"), ("page_size", "2")]
    assert query_of(nxt) == [("q", "营商环境"), ("page_size", "2"), ("page", "3")]
    assert '<ol class="hits" start="3">' in body


def test_single_page_has_no_pager(client):
    assert 'class="pager"' not in page(client, "/?q=营商环境")


# --------------------------------------------------------------------------------------------
# No results

def test_no_results_suggests_dropping_filters(client):
    body = page(client, "/?q=证照分离&province=江苏&year_from=2023")
    assert "没有找到与“证照分离”相关的报告" in body
    drops = re.findall(r'<li><a href="([^"]+)">去掉([^（]+)（([^）]+)）</a>', body)
    assert [(label, shown) for _, label, shown in drops] == [("省份", "江苏省"),
                                                           ("年份", "2023年起")]
    assert query_of(drops[0][0]) == [("q", "证照分离"), ("year_from", "2023")]
    assert query_of(drops[1][0]) == [("q", "证照分离"), ("province", "江苏")]
    unfiltered = re.search(r'共有\s+<a href="([^"]+)">1 篇报告</a>', body)
    assert unfiltered and query_of(unfiltered.group(1)) == [("q", "证照分离")]


def test_no_results_with_counts_of_each_drop(client):
    body = page(client, "/?q=行政复议&province=黑龙江")
    assert "去掉省份（黑龙江省）</a><span class=\"count\">，可得 3 篇</span>" in body
    assert "不加任何筛选条件" not in body          # the one drop already says it
    assert "导出 CSV" not in body


def test_no_results_without_filters_gives_tips(client):
    body = page(client, "/?q=量子计算机")
    assert "没有找到与“量子计算机”相关的报告" in body
    assert "减少关键词" in body and "检索语法" in body


# --------------------------------------------------------------------------------------------
# Bad input: 400 with a message, never a 500

BAD_PARAMETERS = [
    ("page=abc", "页码必须是整数，不能是“abc”。"),
    ("page=0", "页码必须在 1 到 1000 之间，不能是 0。"),
    ("page=1001", "页码必须在 1 到 1000 之间，不能是 1001。"),
    ("page=3", "没有第 3 页：结果共 5 篇，只有 1 页。"),
    ("page_size=0", "每页条数必须在 1 到 100 之间，不能是 0。"),
    ("page_size=101", "每页条数必须在 1 到 100 之间，不能是 101。"),
    ("page_size=ten", "每页条数必须是整数，不能是“ten”。"),
    ("sort=title", "未知的排序方式“title”"),
    ("year=abc", "年份必须是年份（如 2023），不能是“abc”。"),
    ("year_from=1800", "起始年份必须在 1949 到 2100 之间，不能是 1800。"),
    ("year_from=2024&year_to=2022", "起始年份（2024年）晚于截止年份（2022年），请对调。"),
    ("province=火星", "未知的省份“火星”"),
    ("level=village", "未知的层级“village”"),
    ("city=没有这个市", "未知的城市“没有这个市”"),
]

BAD_QUERIES = [
    ("((证照分离", "括号不配对"),
    ('"证照分离', "引号不配对"),
    ("证照分离 OR", "“或”（OR）的两边都需要检索词"),
    ("author:张三", "未知的检索范围“author:”"),
    ("行" * 201, "检索词过长（201 字），请缩短到 200 字以内。"),
]


@pytest.mark.parametrize("args, message", BAD_PARAMETERS + [
    ("q=" + q, m) for q, m in BAD_QUERIES])
def test_bad_input_is_a_400_in_the_api(client, args, message):
    data = api(client, "/api/search?" + args, 400)
    assert data["status"] == 400 and data["error"] in ("bad_query", "bad_parameter")
    assert message in data["message"]


@pytest.mark.parametrize("args, message", BAD_PARAMETERS + [
    ("q=" + q, m) for q, m in BAD_QUERIES])
def test_bad_input_is_a_friendly_400_page(client, args, message):
    body = page(client, "/?" + args, 400)
    assert html.escape(message, quote=False) in body
    assert "Traceback" not in body
    assert "检索语法" in body


def test_bad_query_page_keeps_the_query_in_the_box(client):
    body = page(client, "/?q=((证照分离", 400)
    assert "检索语句有误" in body
    assert 'name="q" value="((证照分离"' in body


def test_400_page_keeps_the_filters_and_offers_the_swapped_years(client):
    body = page(client, "/?q=证照分离&province=山西&year_from=2024&year_to=2022", 400)
    assert 'name="q" value="证照分离"' in body
    assert '<input type="hidden" name="province" value="山西">' in body
    assert "省份：山西省" in body                                  # the filter, as a chip
    fix = re.search(r'<a class="fix-link" href="([^"]+)">([^<]+)</a>', body)
    assert fix.group(2) == "对调年份后重新检索：2022年至2024年"
    assert html.unescape(fix.group(1)) == ("/?q=%E8%AF%81%E7%85%A7%E5%88%86%E7%A6%BB&province="
                                           "%E5%B1%B1%E8%A5%BF&year_from=2022&year_to=2024")
    assert client.get(html.unescape(fix.group(1))).status_code == 200


def test_400_page_past_the_end_offers_the_last_page(client):
    body = page(client, "/?page_size=2&page=9", 400)
    fix = re.search(r'<a class="fix-link" href="([^"]+)">([^<]+)</a>', body)
    assert fix.group(2) == "转到最后一页（第 3 页）"
    assert html.unescape(fix.group(1)) == "/?page_size=2&page=3"


def test_404_report_links_back_to_its_search(client):
    body = page(client, "/report/0123456789abcdef?q=证照分离&year=2022", 404)
    assert "找不到这篇报告" in body
    back = re.search(r'<a class="back" href="([^"]+)">', body)
    assert html.unescape(back.group(1)) == "/?q=%E8%AF%81%E7%85%A7%E5%88%86%E7%A6%BB&year=2022"


def test_bad_csv_request_is_a_400(client):
    response = client.get("/export.csv?year=abc")
    assert response.status_code == 400
    assert "年份必须是年份" in response.get_data(as_text=True)


# --------------------------------------------------------------------------------------------
# Report page

def test_report_page(client, sample_ids):
    rid = sample_ids["003"]
    body = page(client, f"/report/{rid}?q=证照分离&province=山西&page=1")
    assert f"<h1>{TITLES['003']}</h1>" in body
    assert '<mark id="first-hit">证照分离</mark>' in body
    assert body.count("<mark") == body.count("证照分离</mark>") >= 4
    for row in ("<th scope=\"row\">省份</th><td>山西省</td>",
                "<th scope=\"row\">城市</th><td>忻州市</td>",
                "<th scope=\"row\">区县</th><td>忻府区</td>",
                "<th scope=\"row\">层级</th><td>县级</td>",
                "<th scope=\"row\">发布日期</th><td>2023-03-01</td>"):
        assert row in body
    assert f">{Path('003_d26ec326210c9f38.txt')}</td>" in body        # the source file name
    assert f"<code>{rid}</code>" in body
    [back] = re.findall(r'<a class="back" href="([^"]+)"', body)
    assert query_of(back) == [("q", "证照分离"), ("province", "山西"), ("page", "1")]
    assert "相似报告" in body
    similar = re.findall(r'<li><a href="(/report/[0-9a-f]{16})[^"]*">', body)
    assert similar and f"/report/{rid}" not in similar
    assert "“证照分离”在正文中有 <strong>" in body and 'href="#first-hit"' in body


def test_report_page_highlights_traditional_text_for_simplified_query(client, sample_ids):
    body = page(client, f"/report/{sample_ids['002']}?q=行政审批")
    assert '<mark id="first-hit">行政審批</mark>' in body
    assert 'lang="zh-Hant"' in body


def test_report_page_without_query_or_with_bad_query(client, sample_ids):
    rid = sample_ids["000"]
    assert "<mark" not in page(client, f"/report/{rid}")
    assert "<mark" not in page(client, f"/report/{rid}?q=((")          # shown, not an error
    body = page(client, f"/report/{rid}?q=量子计算机")
    assert "正文中没有“量子计算机”的匹配" in body


@pytest.mark.parametrize("rid", ["0123456789abcdef", "0123456789ABCDEF", "0123456789abcde",
                                 "0123456789abcdefa", "zzzzzzzzzzzzzzzz", "%3Cscript%3E",
                                 "..%5C..%5Cetc"])
def test_unknown_or_malformed_report_id_is_404(client, rid):
    body = page(client, f"/report/{rid}", 404)
    assert "没有编号为" in body and "<script>" not in body
    data = api(client, f"/api/report/{rid}", 404)
    assert data["status"] == 404 and data["error"] == "report_not_found"
    assert "没有编号为" in data["message"]


def test_report_path_with_slashes_is_404(client):
    assert client.get("/report/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert client.get("/api/report/a/b").status_code == 404


# --------------------------------------------------------------------------------------------
# JSON API

def test_api_search_shape(client):
    data = api(client, "/api/search?q=证照分离")
    assert list(data) == ["query", "total", "page", "page_size", "pages", "sort", "took_ms",
                          "hits", "facets", "warnings"]
    [hit] = data["hits"]
    for name in ("id", "path", "title", "display_title", "title_derived", "province",
                 "province_code", "city", "city_code", "county", "county_code", "level", "year",
                 "year_source", "published", "issuer", "script", "warnings", "score", "fragments"):
        assert name in hit
    assert (hit["province"], hit["city"], hit["county"], hit["year"]) == ("山西省", "忻州市",
                                                                          "忻府区", 2022)
    fragment = hit["fragments"][0]
    start, end = fragment["highlights"][0]
    assert fragment["text"][start:end] == "证照分离"
    for f in data["facets"]:
        assert set(f) >= {"name", "values"}
        for value in f["values"]:
            assert set(value) >= {"value", "label", "count", "selected"}


def test_api_search_is_utf8_not_escaped(client):
    assert "证照分离" in client.get("/api/search?q=证照分离").get_data(as_text=True)


def test_api_report(client, sample_ids):
    data = api(client, f"/api/report/{sample_ids['004']}")
    assert data["id"] == sample_ids["004"]
    assert data["display_title"] == TITLES["004"]
    assert (data["province"], data["city"], data["year"]) == ("江苏省", "苏州市", 2023)
    assert "一网通办" in data["content"]
    assert data["path"].endswith("004_baeb97fd1f59b43e.txt")
    assert data["similar"] and all(s["id"] != data["id"] for s in data["similar"])


def test_api_stats(client):
    data = api(client, "/api/stats")
    assert data["documents"] == 5
    provinces = {v["label"]: v["count"] for v in data["facets"][0]["values"]}
    assert provinces == {"山西省": 2, "黑龙江省": 1, "江西省": 1, "江苏省": 1}


def test_api_unknown_route_and_method(client):
    data = api(client, "/api/nothing", 404)
    assert data == {"status": 404, "error": "not_found", "message": "没有这个页面。请检查网址，或回到首页重新检索。"}
    response = client.post("/api/search")
    assert response.status_code == 405 and response.is_json
    assert "GET" in response.headers["Allow"]


# --------------------------------------------------------------------------------------------
# CSV export

def read_csv(response) -> list[dict]:
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode("utf-8"))
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_export_csv_all_matching_reports(client, sample_ids):
    response = client.get("/export.csv?q=行政复议&province=山西&page=1&page_size=1")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    rows = read_csv(response)
    assert {row["编号"] for row in rows} == {sample_ids["000"], sample_ids["003"]}
    row = next(r for r in rows if r["编号"] == sample_ids["003"])
    assert (row["省份"], row["城市"], row["区县"], row["年份"], row["层级"]) == (
        "山西省", "忻州市", "忻府区", "2022", "县级")
    assert row["链接"] == f"/report/{sample_ids['003']}"      # never from the Host header
    assert row["源文件"] == "003_d26ec326210c9f38.txt"       # relative to the indexed folder
    assert list(rows[0])[:4] == ["标题", "显示标题", "标题为推断", "省份"] and "文号" in rows[0]
    assert "摘录" not in rows[0]


def test_export_csv_file_name_and_fragments(client):
    import datetime
    from urllib.parse import quote

    response = client.get("/export.csv?q=证照分离&fragments=1")
    today = datetime.date.today().isoformat()
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="policy-reports_{today}.csv"; '
        f"filename*=UTF-8''{quote(f'法治报告_证照分离_{today}.csv')}")
    [row] = read_csv(response)
    assert "【证照分离】" in row["摘录"] and "/" not in row["源文件"]


def test_export_csv_has_every_match_not_one_page(built_index):
    from web import create_app

    client = create_app({"index_dir": built_index, "page_size": 2}).test_client()
    assert len(client.get("/api/search").get_json()["hits"]) == 2        # a page shows 2 of 5
    assert len(read_csv(client.get("/export.csv?page=3"))) == 5


def test_csv_cells_cannot_be_formulas():
    from search.csvformat import _cell

    assert _cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert _cell("@SUM(A1)") == "'@SUM(A1)"
    assert _cell("2023-03-01") == "2023-03-01"
    assert (_cell(None), _cell(True), _cell(2024)) == ("", "是", "2024")


# --------------------------------------------------------------------------------------------
# Errors and safety

SECURITY = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
            "Referrer-Policy": "same-origin"}


@pytest.mark.parametrize("url", ["/", "/?q=证照分离", "/?q=((", "/report/0000000000000000",
                                 "/api/search", "/api/stats", "/api/nothing", "/export.csv",
                                 "/static/style.css", "/nothing"])
def test_security_headers_everywhere(client, url):
    with client.get(url) as response:        # closes the static file
        headers = response.headers
    for name, value in SECURITY.items():
        assert headers[name] == value
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp


def test_pages_need_no_inline_script_or_style_and_no_external_resources(client, sample_ids):
    for url in ("/", "/?q=证照分离&province=山西", f"/report/{sample_ids['003']}?q=证照分离",
                "/?q=((", "/nothing"):
        body = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", body), url
        assert " style=" not in body and "<style" not in body, url
        assert not re.search(r'(src|href)="(https?:)?//', body), url
    for template in (WEB / "templates").glob("*.html"):
        assert "http" not in template.read_text(encoding="utf-8"), template


def test_query_text_is_escaped(client):
    body = page(client, "/?q=<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    body = page(client, '/?q="><img src=x onerror=alert(1)>', 400)
    assert "<img src=x" not in body


def test_unknown_page_is_a_404_page(client):
    body = page(client, "/nothing", 404)
    assert "找不到页面" in body and "返回首页" in body


def test_unexpected_error_is_a_500_without_traceback(built_index):
    from web import create_app

    app = create_app({"index_dir": built_index})

    def boom():
        raise RuntimeError("secret internal detail")

    app.add_url_rule("/boom", "boom", boom)
    app.add_url_rule("/api/boom", "api_boom", boom)
    client = app.test_client()
    response = client.get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "服务器内部错误" in body and "secret" not in body and "Traceback" not in body
    response = client.get("/api/boom")
    assert response.status_code == 500
    assert response.get_json() == {"status": 500, "error": "internal_error",
                                   "message": "处理请求时出错，请稍后再试。"}
    assert "secret" not in response.get_data(as_text=True)


def test_missing_index_is_a_503_with_the_hint(tmp_path):
    from web import create_app

    client = create_app({"index_dir": tmp_path / "none"}).test_client()
    response = client.get("/?q=证照分离")
    assert response.status_code == 503
    assert "policy-search index" in response.get_data(as_text=True)
    for url in ("/api/search", "/api/stats", "/api/report/0123456789abcdef"):
        data = api(client, url, 503)
        assert "policy-search index" in data["message"]


# --------------------------------------------------------------------------------------------
# Documents with markup cannot inject it

@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    from indexer.build import build_index
    from web import create_app

    corpus = tmp_path_factory.mktemp("hostile")
    (corpus / "evil.txt").write_text(
        "某县2023年度法治政府建设情况报告\n"
        "我县推进<script>alert('x')</script>行政复议工作。"
        "坚持<b onmouseover=alert(1)>依法行政</b>，落实&amp;法治政府建设。\n", encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("hostile-index")
    build_index([corpus], index_dir, jobs=1)
    return create_app({"index_dir": index_dir}).test_client()


def test_document_markup_is_escaped_in_hits_and_report(hostile_client):
    data = api(hostile_client, "/api/search?q=行政复议")
    assert data["total"] == 1
    rid = data["hits"][0]["id"]
    for body in (page(hostile_client, "/?q=行政复议"),
                 page(hostile_client, "/?q=依法行政"),
                 page(hostile_client, f"/report/{rid}?q=依法行政")):
        assert "<script>alert" not in body
        assert "<b onmouseover" not in body
        assert "&lt;script&gt;" in body or "&lt;b onmouseover" in body
    assert "<mark>依法行政</mark>" in page(hostile_client, "/?q=依法行政")


# --------------------------------------------------------------------------------------------
# Pure helpers

def test_request_from_args():
    from web.params import request_from_args

    request = request_from_args(MultiDict([
        ("q", "证照分离"), ("province", "山西"), ("province", " 江苏 "), ("province", ""),
        ("year", "2023"), ("year_from", "2022"), ("year_to", ""), ("sort", "year"),
        ("page", "2"), ("page_size", "5"), ("level", "city"), ("other", "x")]))
    assert request.q == "证照分离"
    assert request.province == ("山西", "江苏")
    assert request.year == ("2023",)
    assert (request.year_from, request.year_to) == ("2022", None)
    assert (request.sort, request.page, request.page_size, request.level) == ("year", 2, 5,
                                                                               ("city",))
    assert request_from_args(MultiDict()).page_size == 0      # the engine's default


def test_links():
    from web.params import Links

    links = Links("/", (("q", "复议"), ("province", "山西"), ("page", "3")))
    assert links.added("year", "2023") == "/?q=%E5%A4%8D%E8%AE%AE&province=%E5%B1%B1%E8%A5%BF&year=2023"
    assert links.removed("province", value="140000") == "/?q=%E5%A4%8D%E8%AE%AE"
    assert links.removed("province", value="320000") == \
        "/?q=%E5%A4%8D%E8%AE%AE&province=%E5%B1%B1%E8%A5%BF"
    assert links.toggled("province", "140000", True) == "/?q=%E5%A4%8D%E8%AE%AE"
    assert links.page(1) == "/?q=%E5%A4%8D%E8%AE%AE&province=%E5%B1%B1%E8%A5%BF"
    assert links.page(4).endswith("&page=4")
    assert links.replaced("sort", "year").endswith("&sort=year")
    assert "page" not in links.replaced("sort", "year")
    assert links.hidden("q") == [("province", "山西")]
    assert links.value("q") == "复议" and links.value("sort") == ""
    assert Links("/", ()).here() == "/"


@pytest.mark.parametrize("page_no, pages, window", [
    (1, 1, [1]),
    (1, 3, [1, 2, 3]),
    (6, 20, [1, None, 4, 5, 6, 7, 8, None, 20]),
    (1, 20, [1, 2, 3, None, 20]),
    (20, 20, [1, None, 18, 19, 20]),
])
def test_page_window(page_no, pages, window):
    from web.render import page_window

    assert page_window(page_no, pages) == window


def test_create_app_settings(tmp_path, monkeypatch, built_index):
    from web import create_app

    monkeypatch.setenv("POLICY_INDEX_DIR", str(tmp_path / "from-env"))
    assert create_app().config["INDEX_DIR"] == tmp_path / "from-env"
    assert create_app({"index_dir": built_index}).config["INDEX_DIR"] == built_index.resolve()
    assert create_app({"INDEX_DIR": str(built_index)}).config["INDEX_DIR"] == built_index.resolve()


def test_readme_documents_routes_and_parameters():
    text = (WEB.parent / "README.md").read_text(encoding="utf-8")
    for word in ("policy-search serve", "/api/search", "/api/report/", "/api/stats",
                 "/export.csv", "province", "year_from", "year_to", "page_size", "sort",
                 "max_query_chars", "POLICY_"):
        assert word in text, word


def test_api_search_carries_the_section_facet_and_fragment_sections(client):
    data = client.get("/api/search?q=依法行政").get_json()
    [section] = [f for f in data["facets"] if f["name"] == "section"]
    assert [v["value"] for v in section["values"]] == ["成效", "不足", "第一责任人", "计划", "其他"]
    assert all("section" in f for h in data["hits"] for f in h["fragments"])
    assert any(f["section"] for h in data["hits"] for f in h["fragments"])


def test_api_stats_names_no_server_path(client):
    data = client.get("/api/stats").get_json()
    assert "index_dir" not in data and data["documents"] == 5
