"""Fragments: whole sentences, phrase-aware highlights, cuts only at word boundaries, escaping."""
from __future__ import annotations

import re

import pytest

from search.analysis import segment
from search.highlight import fragments, match_spans, sentences, to_html, to_terminal


def texts(frags):
    return [f.text for f in frags]


@pytest.mark.parametrize("text, pattern, expected", [
    ("第一行标题\n第二句话。第三句。", "标题", ["第一行标题"]),
    ("标题\n  按照省市安排。", "按照", ["按照省市安排。"]),
    ("一、加强领导。二、推进证照分离改革！三、其他。", "证照分离", ["二、推进证照分离改革！"]),
    ("甲。乙。", "不存在", ["甲。"]),
])
def test_fragments_are_whole_sentences_without_false_ellipses(text, pattern, expected):
    assert texts(fragments(text, [re.compile(pattern)])) == expected


def test_empty_query_gives_the_opening_sentences_as_a_lead():
    assert texts(fragments("标题\n正文第一句。第二句。第三句。", [])) == ["标题", "正文第一句。"]


def test_best_sentences_win_and_keep_text_order():
    text = "只有复议。复议和诉讼都有。什么都没有。诉讼。"
    frags = fragments(text, [re.compile("复议"), re.compile("诉讼")], count=2)
    assert texts(frags) == ["只有复议。", "复议和诉讼都有。"]


def test_long_sentences_are_cut_at_word_boundaries_with_ellipses():
    sentence = "我局坚持以习近平新时代中国特色社会主义思想为指导" * 6 + "全面推行证照分离改革" + "持续优化营商环境" * 8 + "。"
    [frag] = fragments(sentence, [re.compile("证照分离")], max_chars=60)
    assert frag.text.startswith("…") and frag.text.endswith("…")
    assert len(frag.text) <= 60 * 1.5 + 2
    body_start = sentence.index(frag.text[1:-1])
    body_end = body_start + len(frag.text) - 2
    bounds = {0, len(sentence)} | {b for a, b in segment(sentence)}
    assert body_start in bounds and body_end in bounds
    assert [frag.text[a:b] for a, b in frag.highlights] == ["证照分离"]


def test_matches_are_found_in_traditional_text_and_marked_in_its_own_script():
    assert match_spans("推進行政復議工作", [re.compile("行政复议")]) == [(2, 6)]


def test_overlapping_matches_merge():
    assert match_spans("一网通办", [re.compile("一网通"), re.compile("网通办")]) == [(0, 4)]


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
    pats = [re.compile("证照分离")]
    first = fragments(text, pats)
    assert fragments(text, pats) == first and first[0].highlights
    huge = text + "其他内容。" * 25_000                                    # not cached
    assert len(huge) > 100_000 and fragments(huge, pats) == first
