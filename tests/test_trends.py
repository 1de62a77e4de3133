"""Trends: every count is the total of the search its link opens; shares use the filtered year."""
from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest

from search import engine, trends
from search.engine import SearchRequest
from web_fixtures import app, client  # noqa: F401 - fixtures

QUERIES = ["行政复议", "营商环境", "证照分离", "复议 -诉讼", "title:法治政府"]


@pytest.mark.parametrize("value, expected", [
    ("证照分离,一件事，告知承诺制", ["证照分离", "一件事", "告知承诺制"]),
    (["a, b", "b", " "], ["a", "b"]),
    ("", []),
])
def test_split_queries(value, expected):
    assert trends.split_queries(value) == expected


@pytest.mark.parametrize("filters", [
    {}, {"province": ("山西",)}, {"year_from": 2023}, {"level": ("province", "city")},
    {"province": ("140000", "320000"), "year_to": 2023},
])
def test_counts_equal_search_totals(handle, filters):
    base = SearchRequest(**filters)
    data = trends.trend(handle, QUERIES, base)
    for series in data["series"]:
        for year, count, n in zip(data["years"], series["counts"], data["reports"]):
            by_year = SearchRequest(**{**filters, "q": series["query"], "year": (year,),
                                       "year_from": None, "year_to": None})
            assert engine.search(handle, by_year).total == count, (series["query"], year)
            if n:
                assert series["shares"][data["years"].index(year)] == round(count / n, 4)
        assert series["total"] == engine.search(handle, SearchRequest(
            **filters, q=series["query"])).total - series["unknown_year"]
    for year, n in zip(data["years"], data["reports"]):
        assert engine.search(handle, SearchRequest(**{**filters, "year": (year,), "year_from": None,
                                                      "year_to": None})).total == n


@pytest.mark.parametrize("filters", [{}, {"province": ("山西",)}, {"year_from": 2023}])
def test_region_cells_equal_search_totals(handle, filters):
    data = trends.trend(handle, QUERIES, SearchRequest(**filters), grid=1)
    region = data["regions"]
    assert region["query"] == QUERIES[1]
    assert region["level"] == ("city" if filters.get("province") else "province")
    assert region["rows"]
    for row in region["rows"]:
        for year, count, n in zip(data["years"], row["counts"], row["reports"]):
            cell = {**filters, region["level"]: (row["code"],), "year": (year,),
                    "year_from": None, "year_to": None}
            assert engine.search(handle, SearchRequest(q=QUERIES[1], **cell)).total == count
            assert engine.search(handle, SearchRequest(**cell)).total == n


def test_share_denominator_is_the_filtered_year(handle):
    data = trends.trend(handle, ["行政复议"], SearchRequest())
    assert data["years"] == [2022, 2023, 2024]
    assert data["reports"] == [1, 2, 2]
    assert data["series"][0]["counts"] == [1, 1, 1]
    assert data["series"][0]["shares"] == [1.0, 0.5, 0.5]
    assert data["low"] == [True, True, True]           # fewer than 10 reports: marked


def test_years_asked_for_make_the_axis(handle):
    data = trends.trend(handle, ["行政复议"], SearchRequest(year_from=2020, year_to=2024))
    assert data["years"] == list(range(2020, 2025))
    assert data["reports"][:2] == [0, 0] and data["series"][0]["shares"][:2] == [None, None]


@pytest.mark.parametrize("queries, grid, message", [
    ([], 0, "at least one query"),
    (["a", "b", "c", "d", "e", "f", "g"], 0, "at most 6 queries"),
    (["行政复议"], 3, "grid must be between 0 and 0"),
])
def test_bad_requests(handle, queries, grid, message):
    with pytest.raises(engine.ParameterError, match=message):
        trends.trend(handle, queries, SearchRequest(), grid)


def test_bad_query_names_it(handle):
    with pytest.raises(engine.QueryError, match="“\\(复议”: Unbalanced parenthesis"):
        trends.trend(handle, ["行政复议", "(复议"], SearchRequest())


def _links_total(client, url: str) -> int:
    """The total of the search a link opens, via the JSON API with the same parameters."""
    query = urlsplit(url).query
    return client.get("/api/search?" + query).get_json()["total"]


def test_page_links_open_searches_with_those_totals(client):
    data = client.get("/api/trend?q=行政复议,营商环境&province=山西&grid=1").get_json()
    links = data["links"]
    for s, row in zip(data["series"], links["series"]):
        for count, url in zip(s["counts"], row):
            assert parse_qs(urlsplit(url).query)["province"] == ["山西"]
            assert _links_total(client, url) == count
    for row, urls in zip(data["regions"]["rows"], links["cells"]):
        for count, url in zip(row["counts"], urls):
            assert _links_total(client, url) == count
    assert data["regions"]["level"] == "city"


def test_trend_page_renders_chart_table_and_grid(client):
    page = client.get("/trend?q=行政复议,营商环境&view=count")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count('<g class="series') == 2 and "<svg" in html and "<polyline" in html
    assert "报告数（篇）" in html and "报告年度" in html
    assert 'id="trend-table"' in html and 'id="heat-table"' in html
    assert "n &lt; 10" in html
    assert "行政复议 · 2024年：1（1 / 2 篇）" in html          # the hover text of a point
    share = client.get("/trend?q=行政复议").get_data(as_text=True)
    assert "占当年报告的比例" in share and "50%" in share


def test_search_page_links_to_its_trend(client):
    html = client.get("/?q=营商环境&province=山西&year_from=2022").get_data(as_text=True)
    assert ('href="/trend?q=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83&amp;province=%E5%B1%B1%E8%A5%BF'
            '&amp;year_from=2022"') in html


def test_csv_and_errors(client):
    response = client.get("/trend.csv?q=营商环境")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["kind", "query", "region_code", "region", "year", "count", "reports",
                       "share"]
    assert ["year", "营商环境", "", "", "2023", "2", "2", "1.0"] in rows
    assert ["province", "营商环境", "140000", "山西省", "2024", "1", "1", "1.0"] in rows
    bad = client.get("/api/trend?q=行政复议&view=pie")
    assert bad.status_code == 400 and "view must be share or count" in bad.get_json()["message"]
    assert client.get("/trend?q=(复议").status_code == 400
    assert client.get("/api/trend").status_code == 400
    assert client.get("/trend").status_code == 200         # the empty form


def test_cli_trend_table_and_json(built_index):
    import json

    from click.testing import CliRunner

    from indexer.cli import cli

    runner = CliRunner()
    result = runner.invoke(cli, ["trend", "行政复议", "营商环境", "--index-dir", str(built_index)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:4] == [
        "year    reports  行政复议  营商环境",
        "2022 *  1        1 (100%)  1 (100%)",
        "2023 *  2        1 (50%)   2 (100%)",
        "2024 *  2        1 (50%)   2 (100%)"]
    result = runner.invoke(cli, ["trend", "行政复议", "--by", "province", "--province", "山西",
                                 "--index-dir", str(built_index)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:3] == ["忻州市  1/1   0/0   0/0   1",
                                               "省本级  0/0   0/0   1/1   1"]
    result = runner.invoke(cli, ["trend", "营商环境", "--json", "--year-from", "2023",
                                 "--index-dir", str(built_index)])
    assert json.loads(result.output)["series"][0]["counts"] == [2, 2]
    result = runner.invoke(cli, ["trend", "(复议", "--index-dir", str(built_index)])
    assert result.exit_code == 2
    assert "Error: “(复议”: Unbalanced parenthesis" in result.output


@pytest.mark.parametrize("value, expected", [(0, 1.0), (0.07, 0.1), (0.5, 0.5), (0.51, 1.0),
                                             (3, 5), (7, 10), (11, 20), (240, 250)])
def test_nice_ceiling(value, expected):
    from web.trendchart import nice_ceiling

    assert nice_ceiling(value) == pytest.approx(expected)


@pytest.mark.parametrize("args, expected", [((0, 0.0, 0, 10), "heat-empty"),
                                            ((0, 0.0, 20, 10), "heat-0"),
                                            ((1, 0.05, 20, 10), "heat-1"),
                                            ((20, 1.0, 20, 10), "heat-5"),
                                            ((1, 1.0, 1, 10), "heat-5 is-low")])
def test_heat_class(args, expected):
    from web.trendchart import heat_class

    assert heat_class(*args) == expected


def test_chart_geometry_puts_values_on_the_axes(handle):
    from web.trendchart import BOTTOM, HEIGHT, TOP, line_chart

    data = trends.trend(handle, ["行政复议"], SearchRequest())
    chart = line_chart(data, "share")
    [line] = chart["lines"]
    ys = [p["y"] for p in line["points"]]
    assert ys[0] == TOP and ys[1] == ys[2] == (TOP + HEIGHT - BOTTOM) / 2   # 100%, 50%, 50%
    assert [t["label"] for t in chart["yticks"]] == ["0%", "25%", "50%", "75%", "100%"]
    count = line_chart(data, "count")
    assert [t["label"] for t in count["yticks"]] == ["0", "1", "2", "3", "4"]
