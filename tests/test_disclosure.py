"""indexer.disclosure: the 信息公开 table in each layout real pages use, read into metadata.

Constructed cases reproduce the layouts found on real report pages: cells between pipes (with
and without [ ] around labels), label: value pairs several to a line, one label per line with
its value on the next (bullets too), and labels with spaces between their characters.
"""
from __future__ import annotations

import pytest

from indexer.clean import clean_text
from indexer.disclosure import read_disclosure, table_lines
from indexer.metadata import extract_metadata
from indexer.titles import extract_title

PIPES = """各区县局
| [ 索引号 ] | 11500000MB17643950/2026-00028 | [ 发文字号 ] | 无 |
| [ 主题分类 ] | 市场监管、安全生产监管 | [ 体裁分类 ] | 公告公示 |
| [ 发布机构 ] | 市市场监管局 | ||
| [ 成文日期 ] | 2026-01-30 | [ 发布日期 ] | 2026-02-25 |
某某市市场监督管理局关于2025年法治政府建设情况的报告
2025年,在市委、市政府的坚强领导下,市局坚持依法行政。"""

SPACED = """索 引 号 | 11620300013909010R/2025-48086 | 主题分类 | 金政发 |
发文字号 | 金政发〔2025〕33号 | 制发机构 | |
有效性 | |||
成文日期 | 2025-06-13 | 发布日期 | 2025-06-30 |
标 题 | 金昌市人民政府关于印发《金昌市创建全国法治政府建设示范市实施方案》的通知 |
永昌县、金川区人民政府,市政府各部门、单位:
《金昌市创建全国法治政府建设示范市实施方案》已经市委、市政府同意,现印发给你们。"""

PAIRS = """政府信息公开 规章库
索引号: 11440115MB2D065126/2020-00071 分类: 综合政务
发布机构: 广州市南沙区人民政府办公室 成文日期: 2020-05-21
名称: 广州市南沙区人民政府办公室关于印发南沙区2020年依法行政工作要点的通知
文号: 穗南府办函〔2020〕4号 发布日期: 2020-05-26
主题词:
【打印】 【字体:

广州市南沙区人民政府办公室关于印发南沙区2020年依法行政工作要点的通知
各镇(街),区政府各部门:《广州市南沙区2020年依法行政工作要点》已经区政府会议同意,现印发给你们。"""

VERTICAL = """某某区2020年法治政府建设工作报告

2020-12-22 11:50
发文单位
区人民政府
发文字号
发文日期
2020-12-03 10:00
效力状态
有效
索引号
010898141/2022-06521
主题分类
其他

按照中央法治政府建设与责任落实督察工作规定,我区对2020年法治政府建设工作情况进行了自查。"""

BULLETS = """政府信息公开
  • 信息索引号:

    330782000000/2024-549121

  • 文件名称:

  • 发布机构:

    义乌市人民政府

  • 成文日期:

    2024-02-19

  • 公开方式:

    主动公开

2023年义乌市法治政府建设工作情况报告
2023年以来,义乌市深入贯彻落实习近平法治思想,法治政府建设取得积极成效。"""


PROVINCE_PORTAL = ("索   引   号: 000000000/2023-00001 分          类: 政府文件 公安、司法 其他\n"
                   "发 布 机 构: 某某省人民政府 发 文 日 期: 2023-03-30\n"
                   "标          题: 某某省2022年度法治政府建设情况报告 主   题   词:\n"
                   "文          号: 其他文件\n内 容 概 述: 某某省2022年度法治政府建设情况报告\n"
                   "时          效:\n\n某某省2022年度法治政府建设情况报告\n\n"
                   "2022年,某某省各级人民政府坚持依法行政。")


@pytest.mark.parametrize("text, fields", [
    (PIPES, dict(title="", doc_number="", written="2026-01-30", published="2026-02-25",
                 publisher="市市场监管局", index_number="11500000MB17643950/2026-00028")),
    (SPACED, dict(title="金昌市人民政府关于印发《金昌市创建全国法治政府建设示范市实施方案》的通知",
                  doc_number="金政发〔2025〕33号", written="2025-06-13", published="2025-06-30",
                  publisher="", index_number="11620300013909010R/2025-48086")),
    (PAIRS, dict(title="广州市南沙区人民政府办公室关于印发南沙区2020年依法行政工作要点的通知",
                 doc_number="穗南府办函〔2020〕4号", written="2020-05-21", published="2020-05-26",
                 publisher="广州市南沙区人民政府办公室", index_number="11440115MB2D065126/2020-00071")),
    (VERTICAL, dict(title="", doc_number="", written="2020-12-03", published=None,
                    publisher="区人民政府", index_number="010898141/2022-06521")),
    (BULLETS, dict(title="", doc_number="", written="2024-02-19", published=None,
                   publisher="义乌市人民政府", index_number="330782000000/2024-549121")),
    ("- 索 引 号:370402/2022-00029\n- 公文种类:报告\n- 成文时间:2022年02月28日\n- 文 号:无\n"
     "- 发文时间:2022年02月28日\n- 标 题:某某区人社局2021年度法治政府建设情况报告",
     dict(title="某某区人社局2021年度法治政府建设情况报告", doc_number="", written="2022-02-28",
          published=None, publisher="", index_number="370402/2022-00029")),
    ("2023年，我县坚持依法行政，发文字号统一管理。", dict(title="", doc_number="", written=None,
                                                       published=None, publisher="",
                                                       index_number="")),
    ("来源: 某某市司法局  发布日期: 2024-01-02", dict(title="", doc_number="", written=None,
                                                 published=None, publisher="", index_number="")),
    # fresh4 batch: a bulleted list whose number label carries a remark (备注/文号) and whose
    # written date is the document's generation date (公文生成日期)
    ("    • 索 引 号:AB01234-0100-2025-00002\n    • 备注/文号:某交法〔2025〕2号\n"
     "    • 发布机构:某某县交通运输局\n    • 公文生成日期:2025-03-01\n"
     "    某某县交通运输局关于2024年度法治政府建设情况的报告",
     dict(title="", doc_number="某交法〔2025〕2号", written="2025-03-01", published=None,
          publisher="某某县交通运输局", index_number="AB01234-0100-2025-00002")),
    # label variants of other portals: 索取号, 内容分类, 信息名称, 所属机构, 生效日期
    ("索取号: 000014349/2024-00321  内容分类: 法治政府\n信息名称: 某某市应急管理局2023年法治政府建设情况报告\n"
     "所属机构: 某某市应急管理局  生效日期: 2024-01-30\n2023年,市应急管理局坚持依法行政。",
     dict(title="某某市应急管理局2023年法治政府建设情况报告", doc_number="", written=None, published=None,
          publisher="某某市应急管理局", index_number="000014349/2024-00321")),
    # batch15: the 名称 cell holds the column's tag before the title; a 发文字号 in brackets
    # before a title is no tag (split_doc_number takes it off later)
    ("索 引 号: | 信息分类: | ||\n发布机构: | 发文日期: | 2025-02-17 | |\n文 号: | 是否有效: | 是 | |\n"
     "名 称: | 【工作总结】某某州教育局2024年法治政府建设工作报告 |\n2024年,州教育局坚持依法行政。",
     dict(title="某某州教育局2024年法治政府建设工作报告", doc_number="", written="2025-02-17",
          published=None, publisher="", index_number="")),
    ("索 引 号: | 11500000/2026-1 | 发布日期: | 2026-02-01 |\n"
     "标 题: | [某政发〔2026〕7号]某某市人民政府关于2025年度法治政府建设情况的报告 |",
     dict(title="[某政发〔2026〕7号]某某市人民政府关于2025年度法治政府建设情况的报告".strip("[]【】"),
          doc_number="", written=None, published="2026-02-01", publisher="",
          index_number="11500000/2026-1")),
    # batch16: a provincial portal spaces four-character labels out too (发 文 日 期), and its 文号
    # cell names the kind of paper (其他文件): no number
    (PROVINCE_PORTAL,
     dict(title="某某省2022年度法治政府建设情况报告", doc_number="", written="2023-03-30",
          published=None, publisher="某某省人民政府", index_number="000000000/2023-00001")),
    # batch17: the next label glued on after the document number (…26号发布日期:)
    ("  • 索  引 号:00000000-1/2022-00001 主题分类:综合政务\n  • 发文机关:某某市人民政府 成文日期:2022-03-14\n"
     "  • 标  题: 某某市人民政府关于2021年度法治政府建设情况的报告\n  • 文  号:某府〔2022〕26号发布日期: 2022-03-17\n"
     "  • 主  题 词:\n\n某某市人民政府\n关于2021年度法治政府建设情况的报告",
     dict(title="某某市人民政府关于2021年度法治政府建设情况的报告", doc_number="某府〔2022〕26号",
          written="2022-03-14", published="2022-03-17", publisher="某某市人民政府",
          index_number="00000000-1/2022-00001")),
    # batch18: a city portal's labels prefixed with 文件, its empty 文件废止时间 rows the last
    ("• 发文机关:某某市某某区人民政府\n  • 文件所属单位:某某市某某区司法局\n  • 文件发文字号:某文政发〔2023〕2号\n"
     "  • 公文种类:报告\n  • 文件类型:其他文件\n  • 文件成文日期:2023-01-10\n  • 文件公开发布日期:2023-01-12\n"
     "  • 文件开始实施的时间: 2023-01-10\n  • 文件状态:\n  • 文件废止时间:\n  • 文件失效时间:\n\n"
     "某某市某某区人民政府\n\n2022年度法治政府建设情况报告",
     dict(title="", doc_number="某文政发〔2023〕2号", written="2023-01-10", published="2023-01-12",
          publisher="某某市某某区人民政府", index_number="")),
    # batch21: a municipal bureau's table (索取号, a spaced 文 号, and 产生日期 for its only date)
    ("某某市某某局关于2023年度法治政府建设情况的报告\n索取号 | AC00000002024000 | 文 号 | 某市监法规20240002号 |\n"
     "---|---|---|---|\n产生日期 | 2024-01-08 | ||\n某某市某某局关于2023年度法治政府建设情况的报告 2023年,"
     "市局坚持依法行政。",
     dict(doc_number="某市监法规20240002号", written="2024-01-08", published=None,
          index_number="AC00000002024000")),
    # batch22: a city's bulleted list whose last row names the department (所属单位)
    ("  • 发文机关:某某市生态环境局\n    • 主题分类:城乡建设_环境保护_其他\n    • 文件类型:其他文件\n"
     "    • 成文日期:2023-01-10\n    • 公开发布日期:2023-01-10\n    • 发文字号:某环发〔2023〕3号\n"
     "    • 所属单位:某某市生态环境局\n\n    某某市生态环境局\n\n    2022年法治政府建设情况工作报告\n",
     dict(doc_number="某环发〔2023〕3号", written="2023-01-10", published="2023-01-10",
          publisher="某某市生态环境局")),
], ids=["pipes", "spaced-labels", "pairs", "vertical", "bullets", "成文时间-发文时间", "prose",
        "meta-line-only", "备注/文号-公文生成日期", "索取号-信息名称-所属机构", "名称-column-tag",
        "标题-bracketed-number", "spaced-four-character-labels",
        "label-glued-after-the-number", "labels-prefixed-with-文件", "产生日期", "所属单位"])
def test_read_disclosure(text, fields):
    got = read_disclosure(text)
    assert {name: getattr(got, name) for name in fields} == fields


GLUED = ("发文机关中共某某省交通运输厅党组\n发文日期2021年12月21日\n时效性现行有效\n发文字号某交发〔2021〕63号\n"
         "施行日期2021年12月21日\n厅直各单位:\n现将实施意见印发给你们。")


def test_a_department_row_under_the_list_leaves_the_title():
    raw = ("  • 发文机关:某某市生态环境局\n    • 成文日期:2023-01-10\n    • 公开发布日期:2023-01-10\n"
           "    • 发文字号:某环发〔2023〕3号\n    • 所属单位:某某市生态环境局\n\n    某某市生态环境局\n\n"
           "    2022年法治政府建设情况工作报告\n\n    某环发〔2023〕3号\n\n    2022年,市生态环境局坚持依法行政。")
    meta = extract_metadata(raw, clean_text(raw))
    assert (meta.title, meta.issuer) == ("某某市生态环境局2022年法治政府建设情况工作报告", "某某市生态环境局")


def test_labels_glued_to_their_values():
    d = read_disclosure(GLUED)
    assert (d.doc_number, d.written, d.publisher) == ("某交发〔2021〕63号", "2021-12-21",
                                                      "中共某某省交通运输厅党组")
    assert d.lines == frozenset(range(5))


def test_a_generation_date_row_leaves_the_title():
    raw = ("    • 索 引 号:AB01234-0100-2025-00002\n    • 备注/文号:某交法〔2025〕2号\n"
           "    • 发布机构:某某县交通运输局\n    • 公文生成日期:2025-03-01\n"
           "    某某县交通运输局关于2024年度法治政府建设情况的报告\n    时间:2025-03-01 16:51\n\n"
           "    2024年,县交通运输局坚持依法行政。")
    meta = extract_metadata(raw, clean_text(raw))
    assert (meta.title, meta.issuer, meta.doc_number) == (
        "某某县交通运输局关于2024年度法治政府建设情况的报告", "某某县交通运输局", "某交法〔2025〕2号")


def test_glued_labels_need_three_rows_and_short_lines():
    assert read_disclosure("发文字号统一管理\n2023年,我县坚持依法行政。").doc_number == ""
    assert read_disclosure("标题党问题要整治\n发布日期规范化推进\n2023年,我县坚持依法行政。").title == ""


def test_an_empty_cell_does_not_take_the_title_below_it():
    text = ("| 索引号: | 4300000001/2026-00628 | 分类: | |\n| 发文机关: | 某县应急管理局 | 发文日期: | |\n"
            "| 名称: | |||\n| 文号 : | |||\n某县应急管理局\n2025年法治政府建设报告\n某县应急管理局坚持依法履职。")
    found = read_disclosure(text)
    assert found.doc_number == "" and found.publisher == "某县应急管理局"
    assert extract_title(clean_text(text)) == "某县应急管理局2025年法治政府建设报告"


def test_the_table_leaves_the_report_text_and_its_title():
    cleaned = clean_text(PAIRS)
    assert "索引号" not in cleaned and "穗南府办函" not in cleaned and "主题词" not in cleaned
    assert cleaned.splitlines()[0] == "广州市南沙区人民政府办公室关于印发南沙区2020年依法行政工作要点的通知"
    lines = PIPES.split("\n")
    assert [lines[n][:9] for n in sorted(table_lines(PIPES))] == [
        "| [ 索引号 ]", "| [ 主题分类 ", "| [ 发布机构 ", "| [ 成文日期 "]



def test_an_empty_validity_row_goes_with_its_table():
    """``公文时效:`` with no value, between the table's other rows (a real county portal)."""
    raw = ("某某县某某乡2025年法治政府建设工作 年度报告\n- 索引号:abc/2026-00000\n- 发文字号:\n"
           "- 发文机构:某某县某某乡\n- 名 称:某某县某某乡2025年法治政府建设工作 年度报告\n- 公文时效:\n"
           "- 发布日期:2026-01-21\n某某县某某乡2025年法治政府建设工作\n年度报告\n在县委的领导下,某某乡依法行政。")
    assert "公文时效" not in clean_text(raw)
    assert read_disclosure(raw).published == "2026-01-21"

@pytest.mark.parametrize("raw, expected", [
    (PIPES, dict(title="某某市市场监督管理局关于2025年法治政府建设情况的报告", published="2026-02-25",
                 doc_number="", year=2025)),
    (SPACED, dict(title="金昌市人民政府关于印发《金昌市创建全国法治政府建设示范市实施方案》的通知",
                  published="2025-06-30", doc_number="金政发〔2025〕33号", year=2025,
                  city="金昌市", level="city")),
    (VERTICAL, dict(title="某某区2020年法治政府建设工作报告", published="2020-12-22", year=2020)),
    (BULLETS, dict(title="2023年义乌市法治政府建设工作情况报告", published="2024-02-19", year=2023,
                   city="金华市", county="义乌市", level="county")),
    # its only date is the 发文日期: the page's date; its 内容概述 and 时效 rows are no report text
    (PROVINCE_PORTAL, dict(title="某某省2022年度法治政府建设情况报告", published="2023-03-30",
                           doc_number="", year=2022)),
])
def test_disclosure_fields_reach_the_metadata(raw, expected):
    meta = extract_metadata(raw, clean_text(raw)).to_dict()
    assert {k: meta[k] for k in expected} == expected


@pytest.fixture(scope="module")
def doc_index(tmp_path_factory):
    from indexer.build import build_index
    from search.store import IndexHandle

    corpus = tmp_path_factory.mktemp("disclosure")
    (corpus / "jinchang.txt").write_text(SPACED, encoding="utf-8")
    (corpus / "plain.txt").write_text("某某县2023年度法治政府建设情况报告\n2023年，我县坚持依法行政。",
                                      encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("disclosure-index")
    build_index([corpus], index_dir, jobs=1)
    return IndexHandle(index_dir)


@pytest.mark.parametrize("q", ["金政发〔2025〕33号", "金政发[2025]33号", "金政发(2025)33号",
                               "金政发（2025）33号", "金政发2025 33号"])
def test_doc_number_is_searchable_in_each_bracket_form(doc_index, q):
    from search import engine

    results = engine.search(doc_index, engine.SearchRequest(q=q))
    assert [h.path.rsplit("/", 1)[-1] for h in results.hits] == ["jinchang.txt"]
    assert results.hits[0].metadata["doc_number"] == "金政发〔2025〕33号"
