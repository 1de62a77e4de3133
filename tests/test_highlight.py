"""Fragments: whole sentences, phrase-aware highlights, cuts only at word boundaries, escaping."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.analysis import segment
from search.highlight import fragments, sentences, to_html, to_terminal
from search.matching import merge_spans


def texts(frags):
    return [f.text for f in frags]


def spans(text: str, *words: str) -> list[tuple[int, int]]:
    """Where ``words`` stand in ``text`` (the layout tests give spans; the matcher finds them)."""
    return merge_spans((m.start(), m.end()) for w in words for m in re.finditer(re.escape(w), text))


@pytest.mark.parametrize("text, pattern, expected", [
    ("第一行标题\n第二句话。第三句。", "标题", ["第一行标题"]),
    ("标题\n  按照省市安排。", "按照", ["按照省市安排。"]),
    ("一、加强领导。二、推进证照分离改革！三、其他。", "证照分离", ["二、推进证照分离改革！"]),
    ("甲。乙。", "不存在", ["甲。"]),
])
def test_fragments_are_whole_sentences_without_false_ellipses(text, pattern, expected):
    assert texts(fragments(text, spans(text, pattern))) == expected


def test_empty_query_gives_the_opening_sentences_as_a_lead():
    assert texts(fragments("标题\n正文第一句。第二句。第三句。", [], lead=2)) == ["标题", "正文第一句。"]


def test_best_sentences_win_and_keep_text_order():
    text = "只有复议。复议和诉讼都有。什么都没有。诉讼。"
    frags = fragments(text, spans(text, "复议", "诉讼"), count=2)
    assert texts(frags) == ["只有复议。", "复议和诉讼都有。"]


def test_long_sentences_are_cut_at_word_boundaries_with_ellipses():
    sentence = "我局坚持以习近平新时代中国特色社会主义思想为指导" * 6 + "全面推行证照分离改革" + "持续优化营商环境" * 8 + "。"
    [frag] = fragments(sentence, spans(sentence, "证照分离"), max_chars=60)
    assert frag.text.startswith("…") and frag.text.endswith("…")
    assert len(frag.text) <= 60 * 1.5 + 2
    body_start = sentence.index(frag.text[1:-1])
    body_end = body_start + len(frag.text) - 2
    bounds = {0, len(sentence)} | {b for a, b in segment(sentence)}
    assert body_start in bounds and body_end in bounds
    assert [frag.text[a:b] for a, b in frag.highlights] == ["证照分离"]


def test_overlapping_matches_merge():
    assert merge_spans([(1, 4), (0, 3), (6, 8), (4, 5)]) == [(0, 5), (6, 8)]


def test_sentences_split_at_chinese_marks_and_lines():
    text = "一、总则\n  第一句。第二句！第三句？“引号。”结尾"
    assert [text[a:b] for a, b in sentences(text)] == [
        "一、总则", "第一句。", "第二句！", "第三句？", "“引号。”", "结尾"]


def test_html_rendering_escapes_document_text():
    html = to_html('<script>alert(1)</script>证照分离&"', [(25, 29)])
    assert html == '&lt;script&gt;alert(1)&lt;/script&gt;<mark>证照分离</mark>&amp;&quot;'


def test_terminal_rendering():
    assert to_terminal("推进证照分离改革", [(2, 6)]) == "推进【证照分离】改革"


def test_sentence_around_agrees_with_sentences_everywhere():
    from conftest import SAMPLE_DIR
    from search.highlight import sentence_around

    for path in sorted(SAMPLE_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8")[:3000]
        for s, e in sentences(text):
            for i in range(s, e, 7):
                assert sentence_around(text, i, i + 1) == (s, e), (path.name, text[s:e])


def test_fragments_are_the_same_from_the_cache_and_for_huge_texts():
    text = "开头。" + "推进证照分离改革，优化营商环境。" * 20
    first = fragments(text, spans(text, "证照分离"))
    assert fragments(text, spans(text, "证照分离")) == first and first[0].highlights
    huge = text + "其他内容。" * 25_000                                    # not cached
    assert len(huge) > 100_000 and fragments(huge, spans(huge, "证照分离")) == first


# --- highlights come from the matcher's own occurrences ---------------------------------------

HIGHLIGHT_CASES = {
    "a.txt": "某县2022年度法治政府建设情况报告\n落实“双随机”、“（一公开”监管，办理行政復議案件。",
    "b.txt": "某市2023年度法治政府建设情况报告\n高效办成一件事，推进一网通办。",
    "c.txt": "某区2021年度法治政府建设情况报告\n推进“放管服”改革，双随机_一公开。",
}


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    from indexer.build import build_index
    from search.store import IndexHandle

    folder = tmp_path_factory.mktemp("hl")
    for name, text in HIGHLIGHT_CASES.items():
        (folder / name).write_text(text, encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("hl-index")
    build_index([folder], index_dir, jobs=1)
    return IndexHandle(index_dir)


@pytest.mark.parametrize("query, marked", [
    ("双随机一公开", {"a.txt": ["双随机”、“（一公开"], "c.txt": ["双随机_一公开"]}),
    ("行政复议", {"a.txt": ["行政復議"]}),
    ("办成一件", {"b.txt": ["办成一件"]}),
    ('"一网通办" 高效', {"b.txt": ["高效", "一网通办"]}),
    ("放管服 -复议", {"c.txt": ["放管服"]}),
])
def test_every_hit_highlights_what_the_matcher_found(small_index, query, marked):
    from search import engine
    from search.engine import SearchRequest

    results = engine.search(small_index, SearchRequest(q=query))
    got = {}
    for hit in results.hits:
        name = hit.path.rsplit("/", 1)[-1]
        got[name] = [f["text"][a:b] for f in hit.fragments for a, b in f["highlights"]]
    assert got == marked


@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_property_every_hit_whose_text_matches_has_a_highlight(handle, data):
    """Any run of 2–8 characters of a sample report finds its report, and every hit whose text
    holds it shows at least one highlight (punctuation between words: the cases above)."""
    from conftest import run_stream, term_pattern
    from search import engine
    from search.engine import SearchRequest

    stored_texts = [d["content"] for _, d in handle.searcher().iter_docs()]
    text = stored_texts[data.draw(st.integers(0, len(stored_texts) - 1))]
    start = data.draw(st.integers(0, len(text) - 9))
    span = text[start:start + data.draw(st.integers(2, 8))]
    q = re.split(r"[^\w]|_", span)[0]                  # one run of word characters
    if len(q) < 2:
        return
    results = engine.search(handle, SearchRequest(q=q, page_size=100))
    assert results.total >= 1
    pattern = term_pattern(q)
    for hit in results.hits:
        stored = handle.searcher().stored_fields(handle.searcher().document_number(id=hit.id))
        if pattern.search(run_stream(stored["content"])):
            assert any(f["highlights"] for f in hit.fragments), (q, hit.id)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("行政。！？；!?;…\n a\u3000”\udcff"), max_size=80))
def test_sentence_marks_are_found_as_the_regex_finds_them(text):
    from search import highlight as hl

    assert hl._mark_positions(text) == [m.start() for m in hl._MARK.finditer(text)]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="行政复议。！？；\n …”） ab", max_size=300), st.integers(1, 4))
def test_the_opening_sentences_are_the_first_of_all_sentences(text, n):
    from search.highlight import _first_sentences

    assert _first_sentences(text, n) == sentences(text[:2000])[:n]


# --- the opening shown without matches starts after the title and the addressee ---------------

_OPENING = "2025年,某某县坚持依法行政。法治政府建设取得新成效。"


@pytest.mark.parametrize("text, title, lead, shown", [
    (f"某某县2025年法治政府建设情况报告\n{_OPENING}", "某某县2025年法治政府建设情况报告", 1,
     ["2025年,某某县坚持依法行政。"]),
    (f"某某县人民政府\n关于2025年法治政府建设情况的报告\n县委、县政府:\n{_OPENING}",
     "某某县人民政府关于2025年法治政府建设情况的报告", 2,
     ["2025年,某某县坚持依法行政。", "法治政府建设取得新成效。"]),
    (f"• 某某县2025年法治政府建设情况报告\n{_OPENING}", "某某县2025年法治政府建设情况报告", 1,
     ["2025年,某某县坚持依法行政。"]),
    # a report that is all title shows it; without a title the opening is the text's start
    ("某某县2025年法治政府建设情况报告", "某某县2025年法治政府建设情况报告", 1, ["某某县2025年法治政府建设情况报告"]),
    (f"县委、县政府:\n{_OPENING}", "", 1, ["县委、县政府:"]),
    # 法治政府建设 is in the title, but a sentence of the report is more than that line
    (f"法治政府建设工作总结\n法治政府建设是全面依法治国的重点任务。", "某某县2025年法治政府建设工作总结", 1,
     ["法治政府建设是全面依法治国的重点任务。"]),
])
def test_the_opening_starts_after_the_title(text, title, lead, shown):
    assert [f.text for f in fragments(text, [], lead=lead, title=title)] == shown


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="行政复议。！？；!?;…\n \u3000”）」a", min_size=1, max_size=200), st.data())
def test_spans_are_grouped_by_the_sentence_each_lies_in(text, data):
    """``_by_sentence`` finds each sentence once per mark; it must give every span the
    sentence ``sentence_around`` gives it, whatever the span covers (spaces, marks, closers)."""
    from search import highlight as hl

    points = data.draw(st.lists(st.tuples(st.integers(0, len(text) - 1), st.integers(1, 6)),
                                min_size=1, max_size=12))
    spans = sorted({(a, min(len(text), a + n)) for a, n in points})
    want: dict = {}
    for a, b in spans:
        want.setdefault(hl.sentence_around(text, a, b), []).append((a, b))
    assert hl._by_sentence(text, spans) == want
