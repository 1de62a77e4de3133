"""The hosting page's head and byline are cut from the indexed text once the title is known
(``indexer.page_head``); what a report prints before and under its own title stays.

Every case is constructed after a pattern of real report pages (batch8–10 of the git-ignored
real-page sets): the cleaned page text, the title the metadata read, and the text indexed.
"""
from __future__ import annotations

import pytest

from bench import corpus as corpus_mod
from indexer.build import build_index
from indexer.clean import clean_text
from indexer.metadata import extract_metadata
from indexer.page_head import report_text
from indexer.pipeline import inspect_file
from search import engine
from search.store import IndexHandle

BODY = "2024年,某某县坚持以习近平新时代中国特色社会主义思想为指导,深入推进依法行政,法治政府建设取得新成效。"
TITLE = "某某县2024年法治政府建设情况报告"

CUT = [
    # (cleaned page text, the report's title, the text indexed)
    pytest.param(f"• 长辈版\n某某县人民政府\n{TITLE}\n{BODY}", TITLE, f"{TITLE}\n{BODY}",
                 id="a-bar-and-the-site-name-above"),
    pytest.param(f"您当前的位置是: 首页\n>某某普法网 >公示公告\n\n{TITLE}\n\n{BODY}", TITLE,
                 f"{TITLE}\n\n{BODY}", id="a-breadcrumb-cut-over-two-lines"),
    pytest.param(f"建议升级浏览器版本到最新版本!\nX\n{TITLE}\n{BODY}", TITLE, f"{TITLE}\n{BODY}",
                 id="a-browser-hint-and-its-close-button"),
    pytest.param(f"法治政府建设年度报告和工作要点\n{TITLE}\n{BODY}", TITLE, f"{TITLE}\n{BODY}",
                 id="a-column-name"),
    pytest.param(f"关注 · 微博\n关注 · 微信\n欢迎访问某某经济区!\n{TITLE}\n{BODY}", TITLE, f"{TITLE}\n{BODY}",
                 id="social-links-and-a-greeting"),
    pytest.param(f"某某县人民政府\n2025-03-15\n{TITLE}\n{BODY}", TITLE, f"{TITLE}\n{BODY}",
                 id="an-unlabelled-list-office-and-date"),
    pytest.param(f"{TITLE}\n2023-03-31 17:05:00 来源: 某某市司法局 打印\n{BODY}", TITLE, f"{TITLE}\n{BODY}",
                 id="a-byline-with-source-and-print"),
    pytest.param(f"{TITLE}\n2024-04-02 点击 54 次 来源:某某省司法厅\n{BODY}", TITLE, f"{TITLE}\n{BODY}",
                 id="a-byline-with-a-counter"),
    pytest.param(f"{TITLE}\n某某县人民政府 发布时间: 2026-03-03 09:36\n{BODY}", TITLE, f"{TITLE}\n{BODY}",
                 id="the-office-then-a-labelled-time"),
    pytest.param(f"{TITLE}\n省政府办公厅 2022-03-15\n{BODY}", TITLE, f"{TITLE}\n{BODY}",
                 id="the-office-then-a-date"),
    pytest.param(f"{TITLE}\n某某市司法局 2020年03月30日\n{BODY}", TITLE, f"{TITLE}\n{BODY}",
                 id="the-office-then-a-chinese-date"),
    pytest.param(f"{TITLE}\n25.02.2016 10:00\n{BODY}", TITLE, f"{TITLE}\n{BODY}",
                 id="a-mirrors-day-first-stamp"),
    pytest.param(f"{TITLE}\n2024年02月27日 13時54分\n{BODY}", TITLE, f"{TITLE}\n{BODY}",
                 id="a-stamp-with-its-time-in-traditional-script"),
    pytest.param(f"{TITLE}\n• {TITLE}\n{BODY}", TITLE, f"{TITLE}\n{BODY}",
                 id="the-title-again-as-a-list-item"),
    pytest.param(f"#\n长政发〔2021〕1号{TITLE}\n政府办文书科\n2021-01-05\n{BODY}", TITLE,
                 f"长政发〔2021〕1号{TITLE}\n{BODY}", id="the-office-above-a-bare-date"),
    pytest.param(f"{TITLE}\n•\n---|---|---|---|\n{BODY}", TITLE, f"{TITLE}\n{BODY}",
                 id="a-lone-bullet-and-a-table-rule"),
    pytest.param(f"某某市司法局_关于某某市2020年法治政府建设情况的报告\n2021年03月19日 来源:市司法局\n"
                 f"中共某某市委\n某某市人民政府\n关于某某市2020年法治政府建设情况的报告\n{BODY}",
                 "中共某某市委某某市人民政府关于某某市2020年法治政府建设情况的报告",
                 f"某某市司法局_关于某某市2020年法治政府建设情况的报告\n中共某某市委\n某某市人民政府\n"
                 f"关于某某市2020年法治政府建设情况的报告\n{BODY}", id="a-byline-between-the-heading-and-the-title"),
    pytest.param(f"{TITLE}\n2026年02月24日 来源:某某省卫健委{BODY}\n一、工作情况", TITLE,
                 f"{TITLE}\n{BODY}\n一、工作情况", id="a-byline-glued-to-the-opening"),
    pytest.param(f"某某县人民政府关于2025年法治政府建设情况的报告\n某某县人民政府\n{BODY}",
                 "某某县人民政府关于2025年法治政府建设情况的报告",
                 f"某某县人民政府关于2025年法治政府建设情况的报告\n{BODY}", id="the-titles-body-again-under-it"),
    pytest.param(f"• 高举中国特色社会主义伟大旗帜,全面贯彻习近平新时代中国特色社会主义思想,为全面建设社会主义现代化国家"
                 f"而团结奋斗。\n司法信息\n{TITLE}\n{BODY}", TITLE, f"{TITLE}\n{BODY}",
                 id="a-slogan-banner-as-a-list-item"),
    pytest.param(f"{TITLE}\n2024-03-27 14:21 某某省司法厅\n• 公开时限:\n一图读懂:https://example.gov.cn/a.html\n{BODY}",
                 TITLE, f"{TITLE}\n{BODY}", id="a-stamp-then-the-office-a-bare-label-a-link"),
    pytest.param(f"{TITLE}\n文章来源 · 市政府办公厅 clock 157天前\n11370104597024629Y/2025-6637189\n{BODY}",
                 TITLE, f"{TITLE}\n{BODY}", id="a-relative-time-and-an-index-number"),
    pytest.param(f"{TITLE}\n- 编辑:某某省交通厅管理员\n- 来源:厅行政审批处\n{BODY}", TITLE, f"{TITLE}\n{BODY}",
                 id="bulleted-editor-and-source"),
    pytest.param(f"网站地图\n中共某某县委\n某某县人民政府\n关于2024年法治政府建设情况的报告\n{BODY}",
                 "中共某某县委某某县人民政府关于2024年法治政府建设情况的报告",
                 f"中共某某县委\n某某县人民政府\n关于2024年法治政府建设情况的报告\n{BODY}",
                 id="a-title-over-three-lines"),
    pytest.param(f"首页 > 信息公开\n內蒙古某某旗2024年法治政府建設情況報告\n{BODY}",
                 "內蒙古某某旗2024年法治政府建設情況報告",
                 f"內蒙古某某旗2024年法治政府建設情況報告\n{BODY}", id="a-traditional-title"),
    # the short lines at the very top go; from the first sentence on, everything stays
    pytest.param(f"首页 > 通知公告\n{BODY}\n在线检阅: 搜索\n{TITLE}", TITLE, f"{BODY}\n在线检阅: 搜索\n{TITLE}",
                 id="a-sentence-before-the-title-keeps-the-rest"),
]

KEPT = [
    # what a report prints itself: nothing is cut
    pytest.param(f"某政〔2024〕3号\n中共某某县委:\n现将2023年度法治政府建设情况报告呈上,请审阅。\n某某县人民政府\n"
                 f"2024年3月8日\n{TITLE}\n{BODY}", TITLE, id="a-cover-letter"),
    pytest.param(f"某某县人民政府文件\n某政发〔2024〕3号\n{TITLE}\n{BODY}", TITLE, id="a-red-header"),
    pytest.param(f"某某县人民政府关于报送\n《{TITLE}》的报告\n{BODY}", TITLE, id="a-sending-heading"),
    pytest.param(f"{TITLE}\n(2024年5月28日在县第十八届人大常委会第九次会议上)\n{BODY}", TITLE,
                 id="the-session-the-report-was-delivered-to"),
    pytest.param(f"{TITLE}\n2024年3月5日\n{BODY}", TITLE, id="the-reports-own-date"),
    pytest.param(f"{TITLE}\n县委、县政府:\n{BODY}", TITLE, id="the-addressee"),
    pytest.param(f"首页 > 通知公告\n{BODY}\n一、主要举措", "", id="no-title-no-cut"),
    pytest.param(f"高举中国特色社会主义伟大旗帜,全面贯彻习近平新时代中国特色社会主义思想,为全面建设社会主义现代化国家"
                 f"而团结奋斗。\n司法信息\n{TITLE}\n{BODY}", TITLE, id="a-sentence-above-stops-the-cut"),
    pytest.param(f"{TITLE}\n某某镇人民政府\n{BODY}", TITLE, id="a-body-the-title-does-not-name-stays"),
    pytest.param(f"• 某政发〔2024〕3号\n{TITLE}\n{BODY}", TITLE, id="a-listed-document-number-stays"),
]


@pytest.mark.parametrize("cleaned, title, indexed", CUT)
def test_the_pages_head_and_byline_go(cleaned, title, indexed):
    assert report_text(cleaned, title) == indexed


@pytest.mark.parametrize("cleaned, title", KEPT)
def test_what_the_report_prints_stays(cleaned, title):
    assert report_text(cleaned, title) == cleaned


@pytest.mark.parametrize("cleaned, title, indexed", CUT)
def test_cutting_twice_changes_nothing(cleaned, title, indexed):
    assert report_text(indexed, title) == indexed


def test_every_generated_chrome_page_is_indexed_from_its_title(tmp_path):
    """The benchmark generator's page chrome (``bench.sources.page_chrome``, the classes found on
    real pages): read through ``inspect_file`` as the indexer does, each page's text starts at
    the report's title, except under a cover letter or a red header (…文件 and its 发文字号),
    which are the report's own."""
    wrong, seen = [], set()
    for i in range(600):
        text, truth = corpus_mod.compose(i, seed=1)
        if not truth["chrome"] or not truth["title"]:
            continue
        path = tmp_path / f"{i}.txt"
        path.write_text(text, encoding="utf-8")
        first = next(line for line in inspect_file(path)["text"].split("\n") if line.strip())
        seen.add(truth["chrome_style"])
        title = truth["title"].replace(" ", "")
        if truth["chrome_style"] not in ("cover", "redhead") and not (title in first.replace(" ", "")
                                                     or first.replace(" ", "") in title):
            wrong.append((i, truth["chrome_style"], first))
    assert len(seen) >= 15
    assert wrong == []


def test_page_chrome_is_neither_searchable_nor_shown(tmp_path):
    """A real Whoosh index: the site's widgets above the title find nothing, the report's words
    do, and the empty query shows the report's opening, never the page's byline."""
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(f"联系我们| 网站地图| 微信\n无障碍浏览\n在线检阅: 搜索\n\n{TITLE}\n\n"
                                  f"2023-03-31 17:05:00 来源: 某某县司法局 打印\n\n{BODY}\n", encoding="utf-8")
    build_index([folder], tmp_path / "index", jobs=1)
    handle = IndexHandle(tmp_path / "index")
    assert engine.search(handle, engine.SearchRequest(q="网站地图")).total == 0
    assert engine.search(handle, engine.SearchRequest(q="在线检阅")).total == 0
    assert engine.search(handle, engine.SearchRequest(q="依法行政")).total == 1
    hit = engine.search(handle, engine.SearchRequest(q="")).hits[0]
    assert [f["text"] for f in hit.fragments] == [BODY]
    assert hit.metadata["published"] == "2023-03-31"       # read before the byline went
    meta = extract_metadata("", clean_text(TITLE))
    assert meta.title == TITLE
