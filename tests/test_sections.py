"""Sections: headings typed from their wording (table-tested), spans stored, section: matching."""
from __future__ import annotations

import pytest

from indexer.sections import find_sections, heading_kind, numeral_value
from search import engine, section_index
from search.engine import SearchRequest
from search.query import QueryError, Term, parse

# (heading wording, kind its words name; None: its place decides)
HEADINGS = [
    ("2024年度推进法治政府建设的主要举措和成效", "成效"),
    ("推进法治政府建设的贯彻落实情况与成效", "成效"),
    ("2023年法治政府建设工作情况", "成效"),
    ("主要做法和取得的成绩", "成效"),
    ("存在的不足和原因", "不足"),
    ("存在的问题", "不足"),
    ("存在问题及原因分析", "不足"),
    ("工作中存在的不足", "不足"),
    ("问题和不足", "不足"),
    ("短板弱项", "不足"),
    ("存在的困难和问题", "不足"),
    ("存在的不足和原因", "不足"),
    ("存在的不足和原因".replace("不足", "不足"), "不足"),
    ("存在的問題和原因", "不足"),                                 # traditional
    ("党政主要负责人履行推进法治建设第一责任人职责情况", "第一责任人"),
    ("2024年度黨政主要負責人履行推進法治建設第一責任人職責,加強法治政府建設的有關情況", "第一责任人"),
    ("加强组织领导,履行好第一责任人职责", "第一责任人"),
    ("主要领导述法情况", "第一责任人"),
    ("下一步工作打算", "计划"),
    ("下步工作安排", "计划"),
    ("2025年工作思路", "计划"),
    ("2025年度推進法治政府建設的主要安排", "计划"),
    ("下一步工作計劃", "计划"),
    ("今后工作的努力方向", "计划"),
    ("2025年工作要点", "计划"),
    ("其他需要报告的事项", "其他"),
    ("其他有关情况", "其他"),
    ("加强组织领导,夯实法治根基", None),
    ("坚持科学民主决策,推动法治政府建设工作规范化", None),
]


@pytest.mark.parametrize("heading, kind", HEADINGS)
def test_heading_kinds(heading, kind):
    assert heading_kind(heading) == kind


@pytest.mark.parametrize("text, value", [("一", 1), ("九", 9), ("十", 10), ("十二", 12),
                                         ("二十", 20), ("二十三", 23), ("是", 0), ("", 0)])
def test_numerals(text, value):
    assert numeral_value(text) == value


def kinds(text: str) -> list[tuple[str, str]]:
    return [(s.kind, s.heading) for s in find_sections(text)]


def test_sections_by_line_with_untyped_preface():
    text = ("XX县2024年法治政府建设情况报告\n2024年，我县……。\n"
            "一、加强组织领导\n（一）压实责任。内容。\n1.健全机制。内容。\n"
            "二、深化放管服改革\n内容。\n"
            "三、存在的问题\n一是……。\n"
            "四、党政主要负责人履行推进法治建设第一责任人职责情况\n内容。\n"
            "五、2025年工作思路\n内容。\n六、其他需要报告的事项\n无。\n")
    assert kinds(text) == [("", ""), ("成效", "加强组织领导"), ("成效", "深化放管服改革"),
                           ("不足", "存在的问题"),
                           ("第一责任人", "党政主要负责人履行推进法治建设第一责任人职责情况"),
                           ("计划", "2025年工作思路"), ("其他", "其他需要报告的事项")]
    sections = find_sections(text)
    assert sections[0].start == 0 and sections[-1].end == len(text)
    assert all(a.end == b.start for a, b in zip(sections, sections[1:]))
    assert text[sections[3].start:sections[3].end].startswith("三、存在的问题")


def test_sections_inline_after_lost_line_breaks_and_folded_punctuation():
    text = ("全年取得了显著成效。 一、加强组织领导,夯实法治根基 (一)坚决扛牢法治责任。内容。 "
            "二、完善法治体系 (一)健全制度。内容。 三、存在的不足和原因 一是不够。 "
            "四、下一步工作打算 我局将继续。")
    assert [k for k, _ in kinds(text)] == ["", "成效", "成效", "不足", "计划"]
    assert kinds(text)[1][1] == "加强组织领导,夯实法治根基"


def test_numbering_out_of_sequence_is_list_text_and_unnamed_after_plan_is_other():
    text = ("一、推进依法行政\n内容：一、二、三等奖。\n三、跳号的列表\n二、下步工作安排\n内容。\n"
            "三、整体工作\n内容。\n")
    assert kinds(text) == [("成效", "推进依法行政"), ("计划", "下步工作安排"), ("其他", "整体工作")]


def test_second_level_numbering_when_no_top_level():
    text = "报告。\n（一）主要成效\n内容。\n（二）存在问题\n内容。\n（三）下一步打算\n内容。\n"
    assert [k for k, _ in kinds(text)] == ["", "成效", "不足", "计划"]


def test_traditional_report():
    text = ("一、主要舉措和成效\n內容。\n二、存在的不足和原因\n執法不夠規範。\n"
            "三、2025年度工作計劃\n內容。\n")
    assert [k for k, _ in kinds(text)] == ["成效", "不足", "计划"]


@pytest.mark.parametrize("text", ["没有标题的报告。全文一段。", "一、只有一个标题\n内容。", ""])
def test_no_recognisable_headings_is_one_untyped_section(text):
    sections = find_sections(text)
    assert [(s.kind, s.start, s.end) for s in sections] == [("", 0, len(text))]


def test_encode_decode_token_spans():
    text = "一、成效\n执法，规范。\n二、存在问题\n执法不严。"
    stored = section_index.encode(text, find_sections(text))
    spans = section_index.decode(stored)
    assert [s.kind for s in spans] == ["成效", "不足"]
    assert text[spans[1].start:spans[1].end] == "二、存在问题\n执法不严。"
    word = sum(ch.isalnum() for ch in text[:spans[1].start])
    assert spans[1].token_start == word
    assert spans[1].token_end == sum(ch.isalnum() for ch in text)
    assert section_index.decode("") == []


@pytest.mark.parametrize("query, expected", [
    ("section:不足 执法", Term("执法", "", "不足")),
    ("章节:问题 执法", Term("执法", "", "不足")),
    ("部分:计划", Term("", "", "计划")),
    ("SECTION:plans 复议", Term("复议", "", "计划")),
])
def test_section_syntax(query, expected):
    assert parse(query) == expected


@pytest.mark.parametrize("query, message", [
    ("section:前言 执法", "Unknown section “前言”"),
    ("-section:不足 执法", "A section cannot be excluded"),
])
def test_section_syntax_errors(query, message):
    with pytest.raises(QueryError, match=message):
        parse(query)


def _section_texts(handle, kind: str) -> dict[str, str]:
    """Report id → the text of its sections of ``kind`` (brute force over stored fields)."""
    out = {}
    for _, stored in handle.searcher().iter_docs():
        spans = section_index.decode(stored.get("sections"))
        parts = [stored["content"][s.start:s.end] for s in spans if s.kind == kind]
        out[stored["id"]] = "\x01".join(parts)
    return out


@pytest.mark.parametrize("kind", section_index.KINDS)
@pytest.mark.parametrize("term", ["执法", "法治", "行政复议", "营商环境", "证照分离", "述法",
                                  "培训", "责任", "监管", "規範"])
def test_section_search_equals_brute_force(handle, kind, term):
    from conftest import run_stream, term_pattern

    pattern = term_pattern(term)
    texts = _section_texts(handle, kind)
    expected = {rid for rid, text in texts.items()
                if any(pattern.search(run_stream(part)) for part in text.split("\x01"))}
    results = engine.search(handle, SearchRequest(q=f"section:{kind} {term}", page_size=100))
    assert {h.id for h in results.hits} == expected


def test_section_alone_finds_reports_that_have_one(handle):
    counts = {kind: engine.search(handle, SearchRequest(q=f"section:{kind}")).total
              for kind in section_index.KINDS}
    assert counts == {"成效": 5, "不足": 2, "第一责任人": 3, "计划": 3, "其他": 0}


def test_title_scope_and_section_do_not_combine():
    with pytest.raises(QueryError, match="title: and section: cannot be combined"):
        parse("section:不足 title:执法")


SAMPLE_SECTIONS = {
    "000": ["", "成效", "成效", "成效", "计划"],
    "001": ["", "成效", "第一责任人", "计划"],
    "002": ["", "成效", "不足", "第一责任人", "计划"],
    "003": ["", "成效", "成效", "成效", "成效", "不足"],
    "004": ["", "第一责任人", "成效", "成效", "成效"],
}


@pytest.mark.parametrize("prefix", sorted(SAMPLE_SECTIONS))
def test_every_heading_of_the_sample_reports_typed_right(prefix):
    from conftest import sample
    from indexer.clean import clean_text
    from indexer.reader import read_document

    text = clean_text(read_document(sample(prefix)).text)
    sections = find_sections(text)
    assert [s.kind for s in sections] == SAMPLE_SECTIONS[prefix]
    assert [s.number for s in sections[1:]] == list(range(1, len(sections)))
