"""The search entry point on the real sample index: matches, filters, facets, sorting, fragments."""
from __future__ import annotations

from pathlib import Path

import pytest

from search import engine
from search.engine import ParameterError, QueryError, SearchRequest


def run(handle, q="", **kw):
    return engine.search(handle, SearchRequest(q=q, **kw))


def files(results) -> set[str]:
    """Sample numbers (000 … 004) of the hits."""
    return {Path(h.path).name[:3] for h in results.hits}


def facet(results, name) -> dict[str, tuple[int, bool]]:
    [f] = [f for f in results.facets if f["name"] == name]
    return {v["value"]: (v["count"], v["selected"]) for v in f["values"]}


@pytest.mark.parametrize("q, expected", [
    ("证照分离", {"003"}),
    ("行政复议", {"000", "003", "004"}),
    ("行政復議", {"000", "003", "004"}),
    ("营商环境", {"000", "001", "002", "003", "004"}),
    ("法治政府建设", {"000", "001", "002", "003", "004"}),
    ("習近平", {"000", "001", "002", "003", "004"}),
    ("办成一件", {"000", "002"}),
    ("网通", {"003", "004"}),
    ('"一网通办"', {"003", "004"}),
    ("“一网通办”", {"003", "004"}),
    ("一网通办 证照分离", {"003"}),
    ("证照分离 OR 李东洪", {"000", "003"}),
    ("行政复议 -证照分离", {"000", "004"}),
    ("行政复议 NOT 证照分离", {"000", "004"}),
    ("title:忻府区", {"003"}),
    ("title:新余市", set()),                 # 002 has no title of its own (derived only)
    ("12345", {"001", "002", "004"}),
    ("不存在的词语组合", set()),
])
def test_queries_find_exactly_the_reports_that_contain_them(handle, q, expected):
    results = run(handle, q, page_size=10)
    assert files(results) == expected
    assert results.total == len(expected)


def test_empty_query_lists_everything_newest_year_first(handle):
    results = run(handle)
    assert results.total == 5
    assert [h.metadata["year"] for h in results.hits] == [2024, 2024, 2023, 2023, 2022]


def test_facet_counts_for_the_whole_collection(handle):
    results = run(handle)
    assert facet(results, "province") == {"140000": (2, False), "230000": (1, False),
                                          "360000": (1, False), "320000": (1, False)}
    assert facet(results, "year") == {"2024": (2, False), "2023": (2, False), "2022": (1, False)}
    assert facet(results, "level") == {"province": (1, False), "city": (3, False),
                                       "county": (1, False)}
    years = [f for f in results.facets if f["name"] == "year"][0]["values"]
    assert [v["value"] for v in years] == ["2024", "2023", "2022"]


def test_selecting_a_province_keeps_the_other_provinces_counts(handle):
    results = run(handle, province=("山西",))
    assert files(results) == {"000", "003"}
    assert facet(results, "province") == {"140000": (2, True), "230000": (1, False),
                                          "360000": (1, False), "320000": (1, False)}
    assert facet(results, "year") == {"2024": (1, False), "2022": (1, False)}


def test_several_values_of_one_facet_are_ored(handle):
    results = run(handle, province=("山西省", "320000"))
    assert files(results) == {"000", "003", "004"}


def test_different_facets_are_anded(handle):
    results = run(handle, province=("140000",), year=(2024,))
    assert files(results) == {"000"}
    assert facet(results, "province")["140000"] == (1, True)
    assert facet(results, "province")["360000"] == (1, False)   # 新余 2024, other province
    assert facet(results, "year") == {"2024": (1, True), "2022": (1, False)}


@pytest.mark.parametrize("kw, expected", [
    ({"year_from": 2023}, {"000", "001", "002", "004"}),
    ({"year_to": 2023}, {"001", "003", "004"}),
    ({"year_from": 2023, "year_to": 2023}, {"001", "004"}),
    ({"level": ("county",)}, {"003"}),
    ({"level": ("市级",)}, {"001", "002", "004"}),
    ({"city": ("苏州",)}, {"004"}),
    ({"city": ("320500",)}, {"004"}),
    ({"county": ("忻府区",)}, {"003"}),
    ({"issuer": ("苏州市行政审批局",)}, {"004"}),
])
def test_filters(handle, kw, expected):
    assert files(run(handle, **kw)) == expected


@pytest.mark.parametrize("kw, message", [
    ({"province": ("火星",)}, "Unknown province “火星”"),
    ({"year": ("二〇二三",)}, "year must be a year such as 2023"),
    ({"year_from": 2024, "year_to": 2022}, "year_from (2024) is after year_to (2022)"),
    ({"year": (1800,)}, "year must be between 1949 and 2100"),
    ({"level": ("village",)}, "Unknown level “village”"),
    ({"sort": "random"}, "Unknown sort “random”"),
    ({"page": 0}, "Page must be between 1 and 1000, not 0."),
    ({"page_size": 101}, "Page size must be between 1 and 100, not 101."),
    ({"city": ("不存在市",)}, "is not a known name"),
])
def test_bad_parameters_say_what_is_wrong(handle, kw, message):
    with pytest.raises(ParameterError) as info:
        run(handle, **kw)
    assert message in str(info.value)


def test_bad_query_raises_query_error(handle):
    with pytest.raises(QueryError, match="Unbalanced quote"):
        run(handle, '"证照分离')


@pytest.mark.parametrize("sort, years", [
    ("year", [2024, 2024, 2023, 2023, 2022]),
    ("year-asc", [2022, 2023, 2023, 2024, 2024]),
])
def test_sort_by_year(handle, sort, years):
    assert [h.metadata["year"] for h in run(handle, "法治", sort=sort).hits] == years


def test_sort_by_published_puts_dated_reports_first(handle):
    hits = run(handle, sort="published").hits
    assert [h.metadata["published"] for h in hits[:2]] == ["2024-01-02", "2023-03-01"]


def test_relevance_scores_descend_and_titles_weigh_more(handle):
    hits = run(handle, "营商环境").hits
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)
    # Titles weigh more: every report whose own title says 法治政府 ranks above those whose
    # title is only derived (a derived title is shown, never searched).
    derived = [h.metadata["title_derived"] for h in run(handle, "法治政府").hits]
    assert derived == sorted(derived) and derived.count(False) >= 2 and derived[-1]


def test_paging(handle):
    first = run(handle, page_size=2)
    second = run(handle, page_size=2, page=2)
    third = run(handle, page_size=2, page=3)
    assert first.pages == 3 and first.total == 5
    ids = [h.id for r in (first, second, third) for h in r.hits]
    assert len(ids) == len(set(ids)) == 5
    assert run(handle, page_size=2, page=4).hits == []


def test_fragments_highlight_the_phrase_inside_sentences(handle):
    [hit] = run(handle, "证照分离").hits
    assert hit.fragments
    for frag in hit.fragments:
        marked = [frag["text"][a:b] for a, b in frag["highlights"]]
        assert marked and all(m == "证照分离" for m in marked)
        assert len(frag["text"]) <= 125


def test_traditional_report_is_highlighted_in_its_own_script(handle):
    [hit] = run(handle, "新余", province=("江西",)).hits
    assert hit.metadata["script"] == "traditional"
    marked = {hit_text for f in hit.fragments for hit_text in
              (f["text"][a:b] for a, b in f["highlights"])}
    assert marked == {"新余"}
    results = run(handle, "营商环境", province=("江西",))
    texts = [f["text"][a:b] for h in results.hits for f in h.fragments for a, b in f["highlights"]]
    assert texts and set(texts) == {"營商環境"}


def test_fragments_end_at_sentence_boundaries(handle):
    for hit in run(handle, "行政复议").hits:
        for frag in hit.fragments:
            assert frag["text"][-1] in "。；！？…：:" or frag["text"].endswith("…"), frag["text"]


def test_hit_metadata_uses_the_public_field_names(handle):
    [hit] = run(handle, "证照分离").hits
    data = hit.to_dict()
    for name in ("id", "path", "title", "province", "city", "county", "level", "year",
                 "published", "issuer", "script", "score", "fragments"):
        assert name in data
    assert data["county"] == "忻府区" and data["published"] == "2023-03-01"
    assert len(data["id"]) == 16


def test_get_report_and_similar_reports(handle):
    [hit] = run(handle, "证照分离").hits
    docnum, stored = engine.get_report(handle, hit.id)
    assert stored["title"] == "忻府区2022年度法治政府建设工作报告"
    similar = engine.similar_reports(handle, hit.id)
    assert similar and hit.id not in {s["id"] for s in similar}
    assert engine.get_report(handle, "0" * 16) is None


def test_stats(handle):
    data = engine.stats(handle)
    assert data["documents"] == 5 and not data["outdated"]
    [province] = [f for f in data["facets"] if f["name"] == "province"]
    assert {v["label"]: v["count"] for v in province["values"]} == {
        "山西省": 2, "黑龙江省": 1, "江西省": 1, "江苏省": 1}


@pytest.mark.parametrize("q", ["推断", "标题为推断", "title:推断", "title:情况报告 title:新余市"])
def test_derived_titles_are_shown_but_never_searched(handle, q):
    """002 has no title of its own; its derived display title must not find it."""
    from search.engine import SearchRequest

    results = engine.search(handle, SearchRequest(q=q))
    assert all(not h.metadata["title_derived"] for h in results.hits), q
    assert results.total == 0 or q.startswith("title:情况报告")
