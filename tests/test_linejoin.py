"""Hard-wrapped text is joined back into paragraphs (issue 16, item 8), and nothing else is."""
from __future__ import annotations

import re
import shutil

import pytest

from indexer.clean import clean_text
from indexer.linejoin import display_width, join_wrapped_lines, wrap_width
from indexer.metadata import extract_metadata
from tests.conftest import SAMPLE_DIR

CJK = re.compile(r"[\u4e00-\u9fff]")


def wrap(text: str, width: int) -> str:
    """Break every line of ``text`` every ``width`` characters, as an e-mail client does."""
    return "\n".join("\n".join(line[i:i + width] for i in range(0, len(line), width)) or line
                     for line in text.split("\n"))


def crossing_phrases(text: str, width: int) -> list[str]:
    """The 4-character phrases that a wrap at ``width`` breaks between two Chinese characters."""
    phrases = []
    for line in text.split("\n"):
        for cut in range(width, len(line) - 1, width):
            phrase = line[cut - 2:cut + 2]
            if cut >= 2 and len(phrase) == 4 and all(CJK.match(ch) for ch in phrase):
                phrases.append(phrase)
    return phrases


def test_the_issue_example_joins():
    paragraph = "一是加强队伍建设，三是全面落实责任制度，推进依法行政工作，健全制度体系建设和完善。"
    wrapped = wrap(paragraph, 13)
    assert "三是全面\n落实" in wrapped
    assert join_wrapped_lines(wrapped + "\n四、下一步计划") == paragraph + "\n四、下一步计划"


@pytest.mark.parametrize("text", [
    # One paragraph per line, lengths all different: no wrap width, nothing joined.
    "忻府区2022年度法治政府建设工作报告\n按照省市关于开展法治政府建设工作的安排部署，区委高度重视。\n"
    "一、加强组织领导\n区委、区政府高度重视法治政府建设工作，组建了领导组和工作专班，区委书记担任组长。\n"
    "二、深化改革\n全面落实统一受理。",
    # Short lines of about one width, each ending a sentence: kept.
    "第一项工作已经完成。\n第二项工作正在推进。\n第三项工作即将开始。\n第四项工作仍在计划。",
])
def test_text_that_is_not_wrapped_is_unchanged(text):
    assert join_wrapped_lines(text) == text


def test_headings_and_titles_stay_apart_from_the_wrapped_body():
    body = ("按照省市关于开展法治政府建设工作的安排部署区委区政府高度重视牢固树立以人民为中心的"
            "发展理念认真履职尽责积极主动作为率先垂范把法治政府建设工作贯穿到全区各领域工作的每个"
            "方面和每个环节责任上压实进度上推进效果上落实")
    other = ("区委区政府高度重视法治政府建设工作组建了法治政府建设工作领导组和工作专班区委书记担任"
             "组长区委副书记区长担任副组长领导组下设工作专班加强制度建设")
    text = "某某县2023年度法治政府建设情况报告\n" + wrap(body, 20) + "\n（一）加强组织领导\n" + wrap(other, 20)
    lines = join_wrapped_lines(text).split("\n")
    assert lines == ["某某县2023年度法治政府建设情况报告", body, "（一）加强组织领导", other]


def test_repeated_lines_of_one_width_are_a_list_not_a_wrap():
    text = "\n".join(["打印本页 | 关闭窗口 | 返回顶部"] * 3 + ["相关链接", "某某县人民政府办公室"])
    assert join_wrapped_lines(text) == text


def test_a_numbered_heading_after_a_full_line_starts_a_paragraph():
    rows = ["全面推进依法行政工作各项任务取得明显成效", "组建了法治政府建设工作领导组和工作专班区",
            "委书记担任组长区委副书记区长担任副组长领"]
    text = "\n".join(rows + ["二、存在的不足", "导组下设工作专班加强制度建设的各项措施落实"])
    assert join_wrapped_lines(text).split("\n")[:2] == ["".join(rows), "二、存在的不足"]


def test_page_layout_width_counts_chinese_as_two_cells():
    assert display_width("2024年，全面") == 4 + 2 * 4
    lines = ["2024年全面落实法治政府建设实施纲", "要的各项任务，推进依法行政工作取", "得新的成效。继续推进各项改革措施",
             "落实到位，完善制度体系建设和监督", "工作。"]
    assert [display_width(ln) for ln in lines] == [32, 32, 32, 32, 6]
    width, measure, _ = wrap_width(lines)
    assert measure is display_width and width == 32


def test_latin_words_broken_by_a_wrap_keep_their_space():
    text = "\n".join(["依法行政工作一 open government data", "依法行政工作二 open government data",
                      "依法行政工作三 open government data", "依法行政工作四 open government data",
                      "portal."])
    assert "data portal." in join_wrapped_lines(text)


@pytest.mark.parametrize("path", sorted(SAMPLE_DIR.glob("*.txt")), ids=lambda p: p.name[:3])
def test_every_sample_rewrapped_keeps_its_metadata(path):
    text = path.read_text(encoding="utf-8")
    wrapped = wrap(text, 23)
    before = extract_metadata(text, clean_text(text), path.name)
    after = extract_metadata(wrapped, clean_text(wrapped), path.name)
    assert (after.year, after.issuer, after.title) == (before.year, before.issuer, before.title)
    assert (after.province, after.city, after.county) == (before.province, before.city,
                                                          before.county)


@pytest.mark.slow
def test_rewrapped_samples_find_every_phrase_that_spans_a_break(tmp_path):
    """The real index of the samples wrapped every 23 characters finds every broken phrase."""
    from indexer.build import build_index
    from search import engine
    from search.store import IndexHandle

    corpus = tmp_path / "wrapped"
    corpus.mkdir()
    phrases = {}
    for path in sorted(SAMPLE_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        (corpus / path.name).write_text(wrap(text, 23), encoding="utf-8")
        kept = clean_text(text)                 # phrases in page chrome are not indexed at all
        phrases[path.name] = sorted({p for p in crossing_phrases(text, 23) if p in kept})
    report = build_index([corpus], tmp_path / "index", jobs=1)
    assert report.added == 5 and not report.skipped
    handle = IndexHandle(tmp_path / "index")
    assert sum(map(len, phrases.values())) > 100
    missed = []
    for name, wanted in phrases.items():
        for phrase in wanted:
            found = engine.search(handle, engine.SearchRequest(q=f'"{phrase}"', page_size=10))
            if name not in {h.path.rsplit("/", 1)[-1] for h in found.hits}:
                missed.append((name, phrase))
    assert not missed
    shutil.rmtree(tmp_path / "index")
