"""indexer.metadata: title, year, publication date, region and issuer of a report; corrections."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.clean import clean_text
from indexer.sidecar import apply_corrections
from indexer.issuer import TOWN_NOTE, TRAIL_NOTE
from indexer.metadata import (
    Metadata,
    derive_title,
    extract_metadata,
    extract_published,
    extract_source,
    extract_title,
    extract_year,
    opening_body,
    split_head,
    title_body,
    year_from_filename,
)

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "sample"


def sample_meta(prefix: str) -> Metadata:
    (path,) = SAMPLES.glob(f"{prefix}_*.txt")
    raw = path.read_text(encoding="utf-8")
    return extract_metadata(raw, clean_text(raw), path.name)


def meta_of(text: str, filename: str = "") -> Metadata:
    """Metadata of a hand-made report (its raw and cleaned text are the same)."""
    return extract_metadata(text, text, filename)


# --- the sample corpus -----------------------------------------------------------------------

SAMPLE_EXPECTED = {
    "000": dict(title="山西省行政审批服务管理局2024年度法治政府建设情况报告", title_derived=False,
                display_title="山西省行政审批服务管理局2024年度法治政府建设情况报告",
                province="山西省", province_code="140000", city="", city_code="",
                county="", county_code="", level="province", year=2024, year_source="title",
                published=None, issuer="山西省行政审批服务管理局", script="simplified",
                doc_number="", warnings=[]),
    "001": dict(title="", title_derived=True,
                display_title="伊春市营商环境建设监督局2023年度法治政府建设情况报告（标题为推断）",
                province="黑龙江省", province_code="230000", city="伊春市", city_code="230700",
                county="", county_code="", level="city", year=2023, year_source="opening",
                published=None, issuer="伊春市营商环境建设监督局", script="simplified",
                doc_number="", warnings=[]),
    "002": dict(title="", title_derived=True,
                display_title="新余市行政审批局2024年度法治政府建设情况报告（标题为推断）",
                province="江西省", province_code="360000", city="新余市", city_code="360500",
                county="", county_code="", level="city", year=2024, year_source="opening",
                published=None, issuer="新余市行政审批局", script="traditional",
                doc_number="", warnings=["region inferred from places named in the text"]),
    "003": dict(title="忻府区2022年度法治政府建设工作报告", title_derived=False,
                display_title="忻府区2022年度法治政府建设工作报告",
                province="山西省", province_code="140000", city="忻州市", city_code="140900",
                county="忻府区", county_code="140902", level="county", year=2022,
                year_source="title", published="2023-03-01", issuer="忻府区人民政府",
                doc_number="", script="simplified", warnings=[]),
    "004": dict(title="2023年度法治政府建设情况报告", title_derived=False,
                display_title="2023年度法治政府建设情况报告",
                province="江苏省", province_code="320000", city="苏州市", city_code="320500",
                county="", county_code="", level="city", year=2023, year_source="title",
                published="2024-01-02", issuer="苏州市行政审批局", script="simplified",
                doc_number="", warnings=[]),
}


@pytest.mark.parametrize("prefix", sorted(SAMPLE_EXPECTED))
def test_sample_reports(prefix):
    assert sample_meta(prefix).to_dict() == SAMPLE_EXPECTED[prefix]


@pytest.mark.parametrize("prefix", sorted(SAMPLE_EXPECTED))
def test_sample_reports_from_raw_text_too(prefix):
    """The page chrome the cleaner removes does not change the outcome when it is left in."""
    (path,) = SAMPLES.glob(f"{prefix}_*.txt")
    raw = path.read_text(encoding="utf-8")
    got = extract_metadata(raw, raw, path.name).to_dict()
    for key in ("title", "year", "published", "province", "city", "county", "issuer", "script"):
        assert got[key] == SAMPLE_EXPECTED[prefix][key], key


def test_extract_metadata_handles_a_long_untitled_report():
    """Speed is measured in bench/, not here; this checks the long, untitled path is right."""
    (path,) = SAMPLES.glob("002_*.txt")                 # no title, no 来源: the slowest path
    raw = path.read_text(encoding="utf-8") * 5
    cleaned = clean_text(raw)
    assert len(cleaned) >= 15000
    meta = extract_metadata(raw, cleaned)
    assert (meta.city, meta.year, meta.issuer) == ("新余市", 2024, "新余市行政审批局")


def test_to_dict_is_json_ready():
    data = sample_meta("003").to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert list(data) == [f.name for f in Metadata.__dataclass_fields__.values()]


# --- title and opening -----------------------------------------------------------------------

@pytest.mark.parametrize("text, title", [
    ("山西省行政审批服务管理局2024年度法治政府建设情况报告\n2024年,在省委、省政府的坚强领导下。",
     "山西省行政审批服务管理局2024年度法治政府建设情况报告"),
    # split over two lines
    ("忻府区2022年度法治政府建设\n工作报告\n按照省市关于开展法治政府建设工作的安排部署，现报告如下。",
     "忻府区2022年度法治政府建设工作报告"),
    ("山西省行政审批服务管理局\n2024年度法治政府建设情况报告\n2024年，我局坚持依法行政。",
     "山西省行政审批服务管理局2024年度法治政府建设情况报告"),
    ("关于2021年法治政府\n建设情况的报告\n2021年，我县坚持依法行政。",
     "关于2021年法治政府建设情况的报告"),
    # chrome before the title that the cleaner missed
    ("当前位置：首页 > 政务公开\n2023年度法治政府建设情况报告\n2023年，市行政审批局坚持依法行政。",
     "2023年度法治政府建设情况报告"),
    ("中国政府网 山西省政府 忻州市政府\n\n当前位置:首页 > 行政执法专栏\n\n忻府区2022年度法治政府建设"
     "工作报告\n 时间:2023-03-01  来源:忻府区司法局\n按照省市安排部署，全面提升了法治建设水平。",
     "忻府区2022年度法治政府建设工作报告"),
    ("当前位置：首页>法治政府建设年度报告\n某县人民政府关于2021年法治政府建设情况的报告\n2021年，我县坚持。",
     "某县人民政府关于2021年法治政府建设情况的报告"),
    # titles of other shapes
    ("伊春市司法局2021年法治政府建设年度报告\n2021年，市司法局坚持依法行政。",
     "伊春市司法局2021年法治政府建设年度报告"),
    ("二〇二二年度法治政府建設工作報告\n2022年，市行政審批局以習近平新時代中國特色社會主義思想為指導。",
     "二〇二二年度法治政府建設工作報告"),
    ("忻府区2022年度法治政府建设\n（2023年3月1日）\n按照省市安排部署，现报告如下。",
     "忻府区2022年度法治政府建设"),     # a date line is not the title's second half
    # fresh1 batch: layout space before 关于 (co-issuers keep theirs), a table cell bar
    ("某某县公安局 关于2025年法治政府建设工作情况的报告\n一、工作总体完成情况",
     "某某县公安局关于2025年法治政府建设工作情况的报告"),
    ("中共某某市委 某某市人民政府 关于2024年法治政府建设情况的报告\n2024年，全市坚持依法行政。",
     "中共某某市委 某某市人民政府 关于2024年法治政府建设情况的报告"),
    ("某某县人民政府关于2024年度法治政府建设工作情况的报告 |\n||\n2024年,县政府坚持依法行政。",
     "某某县人民政府关于2024年度法治政府建设工作情况的报告"),
    # …a site name on its own line above a title that names its own place; an 实施意见
    ("福州市\n福建省2021年度法治政府建设情况\n2022-03-30 15:59\n2021年,我省各级政府坚持依法行政。",
     "福建省2021年度法治政府建设情况"),
    ("赵县人民政府\n2022年度法治政府建设情况报告\n2022年,县政府坚持依法行政。", "赵县人民政府2022年度法治政府建设情况报告"),
    ("关于深入推进依法行政加快建设法治政府的实施意见\n某政发〔2015〕2号\n各市、县人民政府:\n"
     "2004年以来,全区各级人民政府坚持依法行政。", "关于深入推进依法行政加快建设法治政府的实施意见"),
    # …an encyclopedia-style lead sentence naming the report
    ("《某某市人民政府2018年度法治政府建设工作报告》是2019年某某市人民政府发布的通知。\n"
     "2018年,在自治区党委的坚强领导下,我市坚持依法行政。", "某某市人民政府2018年度法治政府建设工作报告"),
    # …the report's own title under a cover letter (addressee, sending sentence, signature, date)
    ("中共某某区委:\n根据规定,区司法局提请将《2023年某某区法治政府建设情况报告》报送市委。\n"
     "以上请示妥否,请批示。\n某某区司法局\n2024年1月4日\n2023年某某区法治政府建设情况报告\n"
     "2023年,某某区坚持依法行政。", "2023年某某区法治政府建设情况报告"),
    ("某卫〔2024〕3号《某省卫生健康委关于2023年度法治政府建设情况的报告》\n"
     "某省卫生健康委关于2023年度法治政府建设情况的报告\n某卫〔2024〕3号\n省委、省政府:\n"
     "现呈送我委2023年度法治政府建设情况报告,请审阅。\n某省卫生健康委\n2024年3月8日\n"
     "某省卫生健康委2023年度法治政府建设情况报告\n在省委省政府的坚强领导下,省卫生健康委坚持依法行政。",
     "某省卫生健康委2023年度法治政府建设情况报告"),
    ("现将2023年工作情况报告如下。\n某某局\n2024年1月4日\n一、2023年法治政府建设主要举措\n"
     "2023年,我局坚持依法行政。", ""),        # a section heading under a date is no title
    # no title: the first line is the opening sentence
    ("2023年伊春市营商环境建设监督局按照省委、省政府决策部署，把法治政府建设贯穿始终。现将主要工作情况报告如下。",
     ""),
    ("2024年,市行政審批局以習近平新時代中國特色社會主義思想為指導,規范行政權力運行。", ""),
    ("一二三四五六七八九十" * 7 + "报告", ""),                   # too long for a title
    ("中国政府网 山西省政府 忻州市政府\n法治政府建设", ""),       # navigation only
    # new batch A–D (2026-12-02): a date after the title on its line
    ("一、工作开展情况\n(一)法治政府建设与经济社会发展统筹谋划、一体推进\n一是深入学习宣传习近平法治思想。"
     "党工委、管委会将全区法治建设工作任务列入年度工作要点。", ""),     # a page cut to its body
    ("2024年度某某街道法治政府建设工作报告 2024-12-12\n\n区法治政府建设工作领导小组办公室:\n"
     "2024年,某某街道法治政府建设坚持以习近平法治思想为指导。", "2024年度某某街道法治政府建设工作报告"),
    ("", ""),
])
def test_extract_title(text, title):
    assert extract_title(text) == title


# batch18: what a report prints above its title on real pages: the site's government over a
# title that names its place itself, a red header (…文件) and its 发文字号, a 发文字号 with its
# 签发人, a mirror's number glued before the title it quotes whole. (raw, title, doc_number)
BATCH18_HEADS = [
    ("哈密市人民政府\n\n政府信息公开\n\n  • 索引号:010598667/2022-00140\n  • 发布机构:哈密市政府办公室\n"
     "  • 公开日期:2022-03-30\n\n2021年哈密市法治政府建设工作报告\n\n发布时间:2022-03-30\n\n"
     "2021年,我市坚持依法行政,扎实推进法治政府建设各项工作。", "2021年哈密市法治政府建设工作报告", ""),
    ("某某市某某区生态环境局文件\n某环保〔2026〕1号\n某某区生态环境局\n2025年法治政府建设情况报告\n"
     "中共某某市某某区委、某某区人民政府:\n2025年在区委、区政府的坚强领导下,我局扎实推进法治政府建设。",
     "某某区生态环境局2025年法治政府建设情况报告", "某环保〔2026〕1号"),
    ("某委〔2026〕17号 签发人:张某某 李某某\n中共某某县委 某某县人民政府\n关于2025年度法治政府建设工作情况的报告\n"
     "中共某某市委、某某市人民政府:\n2025年,某某县坚持依法行政,统筹推进法治政府建设。",
     "中共某某县委 某某县人民政府关于2025年度法治政府建设工作情况的报告", "某委〔2026〕17号"),
    ("某政發〔2019〕35號《某某市人民政府關于2018年度法治政府建設工作的報告》\n"
     "《某某市人民政府關于2018年度法治政府建設工作的報告》\n某政發〔2019〕35號\n某某省人民政府:\n"
     "2018年,某某市各級政府堅持依法行政。", "某某市人民政府關于2018年度法治政府建設工作的報告", "某政發〔2019〕35號"),
]


@pytest.mark.parametrize("raw, title, number", BATCH18_HEADS)
def test_doc_number_above_a_real_title(raw, title, number):
    meta = extract_metadata(raw, clean_text(raw))
    assert (meta.title, meta.doc_number) == (title, number)


@pytest.mark.parametrize("raw, title", [
    # new batch A–D: a portal's summary bullets above the title, an unlabelled 索引号 among them
    ("首页 > 政务公开 > 其他\n  • 736916951/2024-000784\n  • 某省司法厅关于2023年法治政府建设情况的报告\n\n"
     "某省司法厅关于2023年法治政府建设情况的报告\n日期:2024-03-04 15:06\n2023年,某省司法厅坚持依法行政。",
     "某省司法厅关于2023年法治政府建设情况的报告"),
    ("当前位置:首页 > 政府法制 > 依法行政\n字体大小:\n\n依法行政\n\n某省2017年度法治政府建设工作报告\n\n"
     "发布时间:2018/5/17\n\n2017年,全省各级行政机关坚持依法行政。", "某省2017年度法治政府建设工作报告"),
    ("[权威发布]某省2017年法治政府建设情况报告\n\n——我省法治政府建设进入发展新阶段\n\n2017年以来,某省坚持依法行政。",
     "某省2017年法治政府建设情况报告"),
    # the page <title> with a date after it, then the title over two lines; a <title> with a
    # column and a site after the title, or a body before it; a portal's nav entries, one a line
    ("某某路街道2022年度法治政府建设 工作情况报告 2023-02-09\n\n某某路街道2022年度法治政府建设\n\n工作情况报告\n\n"
     "2022年,在区委、区政府的正确领导下,某某路街道坚持依法行政。", "某某路街道2022年度法治政府建设工作情况报告"),
    ("某某路街道2025年法治政府建设情况报告_街镇园区文件_上海市某某区人民政府门户网站\n\n"
     "某某路街道2025年法治政府建设情况报告\n\n信息来源: 某某路街道 发布时间 2026-02-09\n"
     "2025年,某某路街道以习近平法治思想为指导。", "某某路街道2025年法治政府建设情况报告"),
    ("某某市司法局_关于某某市2020年法治政府建设情况的报告\n您所在的位置:首页 > 法治工作 > 法治督察调研\n"
     "关于某某市2020年法治政府建设情况的报告\n2021年03月19日      来源:市司法局\n"
     "2020年,在省委、省政府的坚强领导下,我市坚持依法行政。", "关于某某市2020年法治政府建设情况的报告"),
    ("无障碍 一网搜 登录| 注册\n关闭\n\n行政区划\n\n开发区\n\n部门网站\n\n当前位置:  首页 >  政务 >  通知公告\n\n"
     "某某市人民政府关于\n2023年度法治政府建设情况的报告\n\n时间:2024-04-01 15:02 来源:\n"
     "2023年,市政府坚持依法行政。", "某某市人民政府关于2023年度法治政府建设情况的报告"),
    ("今天是:\n网站年报 | 无障碍浏览 | 收藏\n您当前的位置: 网站首页 > 依法行政 > 政府法治\n"
     "某省人民政府关于2016年度推进依法行政工作的报告\n浏览次数:602 来源: 作者: 发布时间:2017-05-26\n"
     "2016年,某省各级政府及其部门认真贯彻落实党中央、国务院决策部署。", "某省人民政府关于2016年度推进依法行政工作的报告"),
    # third gathering (E–H): a number after the title in brackets; a year's bare heading; the
    # sending sentence; a site name above a township's title; two co-issuers over four lines
    ("某某市2020年度法治政府建设工作情况报告(某政呈〔2021〕6号)\n来源: 某某市司法局 发布时间:2021-03-25\n"
     "某政呈〔2021〕6号 签发人:某某某\n某某市2020年度法治政府建设工作情况报告\n省政府:\n2020年,某某市政府坚持依法行政。",
     "某某市2020年度法治政府建设工作情况报告"),
    ("发布时间:2017-08-03\n2016年工作情况\n2016年,在党中央、国务院的正确领导下,全省各级行政机关认真贯彻落实。", ""),
    ("现将市人力资源和社会保障局2019年度法治政府建设工作报告如下:\n一、2019年度法治政府建设主要举措和成效\n"
     "2019年以来,某某市人力资源和社会保障局全面贯彻落实。", ""),
    ("某某市人民政府\n首页 >> 乡镇信息公开 >> 某某乡\n\n某某乡2020年度法治政府建设情况报告\n\n"
     "日期:2021年01月05日 来源:某某乡\n2020年,某某乡在县委、县人民政府的统一领导下坚持依法行政。",
     "某某乡2020年度法治政府建设情况报告"),
    ("您的位置: 首页 > 政务公开 > 通知公示\n\n中共某某航空港经济综合实验区工作委员会\n某某航空港经济综合实验区管委会\n"
     "关于航空港经济综合实验区2022年度\n法治政府建设情况的报告\n\n来源:党政办 日期:2023-03-29 20:15\n\n"
     "中共某某省委:\n2022年,在省委、省政府的领导下,某某航空港经济综合实验区坚持依法行政。",
     "中共某某航空港经济综合实验区工作委员会某某航空港经济综合实验区管委会关于航空港经济综合实验区2022年度"
     "法治政府建设情况的报告"),
    # fourth gathering (I–L): the page's heading above the full title of two co-issuers; a
    # column's topic above the title; a weather banner; a date in brackets after the title
    ("2022年度法治政府建设情况的报告\n中共某某区委 某某区人民政府\n关于2022年度法治政府建设情况的报告\n"
     "中共某某市委、某某市人民政府:\n2022年,某某区坚持依法行政。",
     "中共某某区委 某某区人民政府关于2022年度法治政府建设情况的报告"),
    ("法治政府建设\n\n某某省人民政府关于某某省2015年法治政府建设情况的报告\n\n来源:某某省人民政府办公厅 2016-04-11 15:37:31\n"
     "国务院:\n现将某某省2015年法治政府建设情况报告如下:", "某某省人民政府关于某某省2015年法治政府建设情况的报告"),
    ("2025年8月1日 星期五 白天:多云,有阵雨或雷阵雨 夜晚:多云,局部有阵雨 26到33度 偏南风2到3级\n某某市卫生健康局\n"
     "您现在的位置 : 首页 > 政府信息公开目录 > 法治政府建设报告\n某某市卫生健康局2023年法治政府建设年度报告\n"
     "发布日期: 2024-02-19 15:55 来源: 某某市卫生健康局\n我局坚持依法行政。", "某某市卫生健康局2023年法治政府建设年度报告"),
    ("2024年某某市司法局法治政府建设情况报告 (2025-03-26)\n\n2024年,市司法局坚持依法行政。",
     "2024年某某市司法局法治政府建设情况报告"),
    # batch9: the report's own line leaves out the body the heading names: the heading (and a
    # mirror that prints every line twice)
    ("某某县人民政府关于2022年法治政府建设情况的报告\n\n作者:  来源:    发布日期:2023-03-17   点击次数:\n\n \n\n"
     "关于2022年法治政府建设情况的报告\n\n \n\n市人民政府:\n\n2022年,在市委、市政府的坚强领导下,全县坚持依法行政。",
     "某某县人民政府关于2022年法治政府建设情况的报告"),
    ("某某县人民政府\n关于2025年度法治政府建设情况的报告\n关于2025年度法治政府建设情况的报告\n"
     "2025年,在市委、市政府和县委的坚强领导下,我县坚持依法行政。现将有关情况报告如下:\n一、强化党的领导\n一、强化党的领导",
     "某某县人民政府关于2025年度法治政府建设情况的报告"),
    # batch8: the page <title>, its heading again, then the full title of two co-issuers over
    # four lines, the heading being its end
    ("某某市司法局_关于某某市2020年法治政府建设情况的报告\n您所在的位置:首页 > 法治工作 > 法治督察调研\n"
     "关于某某市2020年法治政府建设情况的报告\n2021年03月19日      来源:市司法局\n\n中共某某市委\n\n某某市人民政府\n\n"
     "关于某某市2020年法治政府建设\n\n情况的报告\n\n中共某某省委、某某省人民政府:\n2020年,在省委、省政府的坚强领导下,我市坚持依法行政。",
     "中共某某市委某某市人民政府关于某某市2020年法治政府建设情况的报告"),
    # the page's heading, then (past a counter line, a table, nothing) the report's own title of
    # the same year as the report prints it: that one; a second line that reads like a column
    # name (工作总结) ends a title that stops short of its end
    ("某某街道2023年度法治政府建设情况报告\n某某街道2023年法治政府建设工作报告\n"
     "2023年,某某街道工委办事处在区委、区政府的坚强领导下依法行政。", "某某街道2023年法治政府建设工作报告"),
    ("某某市某某区某某乡2022年度法治政府建设 工作报告\n浏览:5072次 时间:2022-12-07 来源:本站\n\n"
     "某某乡2022年度法治政府建设工作报告\n\n在区委、区政府正确领导下,某某乡党委、政府依法行政。",
     "某某乡2022年度法治政府建设工作报告"),
    ("某某县某某乡2025年法治政府建设工作 年度报告\n- 索引号:abc/2026-00000\n- 发文字号:\n"
     "- 发文机构:某某县某某乡\n- 名 称:某某县某某乡2025年法治政府建设工作 年度报告\n- 公文时效:\n"
     "- 发布日期:2026-01-21\n某某县某某乡2025年法治政府建设工作\n年度报告\n"
     "在县委、县政府的正确领导下,某某乡坚持依法行政。", "某某县某某乡2025年法治政府建设工作年度报告"),
    ("某某市人民政府2018年度法治政府建设情况 报告\n\n浏览:5123次 时间:2019-01-11 来源:本站\n\n"
     "某某市人民政府2018年度法治政府建设情况报告\n\n2018年,某某市人民政府坚持依法行政。",
     "某某市人民政府2018年度法治政府建设情况报告"),
    # batch7: a table with 公开类别, a line of another body before the title is no own title; a
    # cover letter's 附件 line above the report; a mirror's headline with a ? above 更新时间
    ("某某区人民政府2023年度法治政府建设情况报告\n\n索引号 SY-310115-2024-00964\n文件编号 某府〔2024〕34号\n"
     "发布机构 区政府\n公开类别 主动公开\n发布时间 2024-02-27\n\n某某区人民政府\n\n2023年度法治政府建设情况报告\n\n"
     "2024年2月\n\n引 言\n\n本年度报告根据《某某区法治政府建设规划》的要求,由某某区人民政府编制。",
     "某某区人民政府2023年度法治政府建设情况报告"),
    ("某某区法治政府建设工作领导小组办公室:\n根据法治政府建设有关工作要求,我委拟就了《某某区发展和改革委员会2023年度"
     "法治政府建设情况的报告》(见附件),现呈上,请审阅。\n特此报告。\n附件:某某区发展和改革委员会2023年度法治政府建设情况"
     "的报告\n某某区发展和改革委员会\n2024年1月19日\n附件\n某某区发展和改革委员会\n2023年度法治政府建设情况的报告\n"
     "2023年是全面贯彻落实党的二十大精神的开局之年。", "某某区发展和改革委员会2023年度法治政府建设情况的报告"),
    ("当前位置:网站首页> 体育知识 > 某某网登录(法治政府建设情况如何?某省政府发布报告)\n\n"
     "某某网登录(法治政府建设情况如何?某省政府发布报告)\n\n更新时间:2022-10-21 09:15:36\n\n"
     "2021年,在党中央、国务院及省委的坚强领导下,我省各级行政机关坚持依法行政。",
     "某某网登录(法治政府建设情况如何?某省政府发布报告)"),
    ("某某路街道2024年度法治政府建设\n工作总结\n\n今年,某某路街道坚持依法行政,推动法治建设平稳进行。",
     "某某路街道2024年度法治政府建设工作总结"),
    # …but a heading whose year differs from the line below keeps its own place; a column name
    # above a whole title still goes
    ("某某县2023年法治政府建设情况报告\n某某县2022年法治政府建设情况报告\n2023年,某某县坚持依法行政。",
     "某某县2023年法治政府建设情况报告"),
    ("工作总结\n某某县2023年法治政府建设工作总结\n2023年,某某县坚持依法行政。", "某某县2023年法治政府建设工作总结"),
    # batch10: the row under a disclosure table ends with its cell's bar
    ("索引号 | ABC/2025-00001 |\n主题分类: | 其他 |\n发布机构: | 某某区办公室 |\n成文日期: | 2025-03-28 |\n"
     "某某高新区法治政府建设工作报告 |\n2024年,高新区坚持依法行政。", "某某高新区法治政府建设工作报告"),
    # …an unlabelled disclosure list: a site's letter-code 索引号, 综合政务报告, the office, the
    # date, the title, the 发文字号 and 有效, then the title again
    ("首页 / 信息公开 / 市政府信息公开目录\n\nabc622/2022-00020\n综合政务报告\n某某市人民政府\n2022-03-15\n"
     "某某市2021年法治政府建设年度报告\n某政呈〔2022〕6号\n有效\n\n某某市2021年法治政府建设年度报告\n\n"
     "时间: 2022-03-15 13:41 访问量:\n\n2021年,某某市坚持依法行政。", "某某市2021年法治政府建设年度报告"),
    # …a page headline over the report's own title, which adds 关于 after the same body
    ("某某自治县人民政府 2025年度法治政府建设情况报告\n某某自治县人民政府\n关于2025年法治政府建设情况的报告\n"
     "2025年,某某县坚持依法行政。现将有关工作情况报告如下。", "某某自治县人民政府关于2025年法治政府建设情况的报告"),
    # batch11: a year tag before the title; a portal header of hotlines, 搜本站 and a date widget
    # that lost its 年 above a title over two lines
    ("【2022年】州生态环境局2022年度法治政府建设报告\n2022年,我局深入学习贯彻习近平法治思想,坚持依法行政。",
     "州生态环境局2022年度法治政府建设报告"),
    ("搜本站\n\n202009月15日\n\n投资热线:0431-81335626\n政务服务:0431-80786777\n\n搜索\n\n搜本站\n首页\n\n"
     "新区要闻\n\n通知公告\n\n某某新区管理委员会\n关于2022年度法治政府建设情况的报告\n\n市委、市政府:\n\n"
     "2022年,某某新区坚持依法行政。", "某某新区管理委员会关于2022年度法治政府建设情况的报告"),
    # batch12: a page squashed onto one line (title, addressee, opening); a heading printed
    # again as the first line of the title over two; a mirror's contact block and a bare br
    ("中共某某镇委员会某某镇人民政府关于报送2024年度法治政府建设的报告 中共某某市委、某某市人民政府: 2024年,"
     "在市委市政府的坚强领导下,某某镇扎实开展法治政府建设。",
     "中共某某镇委员会某某镇人民政府关于报送2024年度法治政府建设的报告"),
    ("当前位置: 学院首页 > 通知公告 > 正文\n\n某某省2023年度法治政府建设工作\n\n【来源:某某省2023年度法治政府建设工作 | "
     "发布日期:2024-04-10 】\n\n某某省2023年度法治政府建设工作\n\n情况报告\n\n 按照《法治政府建设实施纲要》要求,"
     "现将全省2023年度法治政府建设情况报告如下。", "某某省2023年度法治政府建设工作情况报告"),
    ("• 联系我们\n• 电话:159116031100\n• 邮箱:someone@example.com\n• 某某省人民政府br关于2020年度法治政府建设"
     "情况的报告\n• 2020年,省政府坚持依法行政。", "某某省人民政府关于2020年度法治政府建设情况的报告"),
    # batch13: a heading that names the body in short over the report's own title naming it in
    # full; a page <title> with a spam site name after a bare dash; a disclosure table whose
    # spaces a mirror wrote as "??"
    ("某某镇2019年法治政府建设工作报告\n\n中共某某市某某区某某镇委员会\n\n2019年法治政府建设工作报告\n\n"
     "根据区委有关文件精神,现将2019年法治政府建设工作情况报告如下。", "中共某某市某某区某某镇委员会2019年法治政府建设工作报告"),
    ("某某市教育局关于2023年法治政府建设工作情况的报告-某某娱乐国际\n朗读\n某某市教育局关于2023年法治政府\n"
     "建设工作情况的报告\n2023年,在市委市政府的正确领导下,市教育局坚持依法治教。",
     "某某市教育局关于2023年法治政府建设工作情况的报告"),
    ("索??引??號 | 014000810/2025-00009 | 分????????類 | 行業管理?? |\n發布機構 | 某某省交通運輸廳 | 發文日期 | "
     "2025-02-18 |\n標????????題 | 某某省交通運輸廳2024年度法治政府部門建設情況報告 | ||\n時????????效 |\n"
     "2024年,某某省交通運輸廳堅持依法行政。", "某某省交通運輸廳2024年度法治政府部門建設情況報告"),
    # batch16: a traditional news copy prints a dash subtitle that ends in the title again under
    # it: the subtitle is not the report's own title
    ("您的位置:首頁>時政>正文\n\n【權威發佈】某某省2017年法治政府建設情況報告\n\n"
     "——我省法治政府建設邁上新臺階暨某某省2017年法治政府建設情況報告\n\n"
     "2017年以來, 某某省委、省政府深入推進依法行政, 加快建設法治政府。", "某某省2017年法治政府建設情況報告"),
    # batch16: under a cover letter, the enclosed report's title over two lines, its first a
    # title-like line of its own (年度…法治政府建设 / 工作总结)
    ("中共某某市委、某某市人民政府:\n根据市委依法治市办要求,现将我局《2024年度交通运输法治政府建设工作总结》"
     "随文上报。\n特此报告。\n某某市交通运输局\n2025年1月15日\n2024年度交通运输法治政府建设\n工作总结\n"
     "2024年某某市交通运输局坚持依法行政,交通依法行政水平持续提升。", "2024年度交通运输法治政府建设工作总结"),
    # batch17: a site's slogan banner, a sentence as a list item, above the column and the title
    ("• 高举中国特色社会主义伟大旗帜,全面贯彻习近平新时代中国特色社会主义思想,为全面建设社会主义现代化国家而团结奋斗。\n\n"
     "工作信息\n\n某某市司法局关于2023年法治政府建设情况的报告\n\n2023年,市司法局坚持依法行政。",
     "某某市司法局关于2023年法治政府建设情况的报告"),
    ("• 2023年,某某县坚持依法行政,法治政府建设取得新成效。\n• 一、主要工作\n• 2023年,县政府完善制度。",
     ""),                                              # bulleted paragraphs, no title under them
    # batch17: the page's two column names (the department, the report series) above its title
    ("微信\n\n手机版\n\n政务服务和数据管理局\n\n法治政府建设年度报告\n\n某某区政务服务和数据管理局关于2025年度法治政府建设情况的报告\n\n"
     "文章来源:本网   更新时间:2025-11-20\n\n2025年,某某区政务和数据局坚持依法行政。",
     "某某区政务服务和数据管理局关于2025年度法治政府建设情况的报告"),
    # batch19: a year's report and next year's plan in one title, over two lines
    ("2022年度法治政府建设工作报告和\n2023年工作思路\n\n发布时间:2023-02-22 14:47\n\n信息来源:县综合执法局\n\n"
     "2022年,在县委、县政府的正确领导下,县综合行政执法局坚持依法行政。", "2022年度法治政府建设工作报告和2023年工作思路"),
    # batch21: a government's name over 关于…的报告 that names the place again: the title's first
    # line, not the site's name (哈密市人民政府 over 2021年哈密市…报告 is: BATCH18_HEADS)
    ("绍兴市人民政府\n关于2022年绍兴市法治政府建设情况的报告\n\n2022年,在省委、省政府的坚强领导下,绍兴坚持依法行政。",
     "绍兴市人民政府关于2022年绍兴市法治政府建设情况的报告"),
    # batch21: the page's heading, a byline (the office that posted it, the day), then the
    # report's own title over two lines
    ("2023年法治政府建设工作年度报告\n政策法规科 2023-12-29\n\n\n某某市人力资源和社会保障局\n\n"
     "2023年法治政府建设工作年度报告\n\n\n2023年,我局坚持以习近平新时代中国特色社会主义思想为指导,深入学习践行习近平法治思想,"
     "全面落实法治政府建设工作部署要求。现就有关情况汇报如下。",
     "某某市人力资源和社会保障局2023年法治政府建设工作年度报告"),
] + [case[:2] for case in BATCH18_HEADS])
def test_title_of_a_real_page_shape(raw, title):
    assert extract_metadata(raw, clean_text(raw)).title == title


@pytest.mark.parametrize("text, opening_start", [
    ("忻府区2022年度法治政府建设工作报告\n 时间:2023-03-01\n按照省市关于开展法治政府建设工作的安排部署,忻府区委、区政府高度重视。",
     "按照省市关于"),
    ("2023年伊春市营商环境建设监督局按照省委、省政府决策部署。\n一、推进法治政府建设", "2023年伊春市"),
    ("2023年度法治政府建设情况报告\n\n2023年，市行政审批局以习近平新时代中国特色社会主义思想为指导。",
     "2023年，市行政审批局"),
    ("2023年度法治政府建设情况报告", ""),
    # fresh4 batch: a mirror's question headline (only ? or !) is not the opening sentence
    ("某某法网入口(法治政府建设成效如何?某省政府发布报告)\n更新时间:2022-09-01 10:00:00\n"
     "2021年,我省各级行政机关坚持依法行政。", "2021年,我省各级"),
])
def test_split_head_opening(text, opening_start):
    opening = split_head(text)[1]
    if opening_start:
        assert opening.startswith(opening_start)
    else:
        assert opening == ""


# --- year and date ---------------------------------------------------------------------------

@pytest.mark.parametrize("title, opening, published, expected", [
    ("忻府区2022年度法治政府建设工作报告", "", "2023-03-01", (2022, "title")),
    ("２０２２年度法治政府建设情况报告", "", None, (2022, "title")),          # full-width digits
    ("二〇二二年度法治政府建设工作报告", "", None, (2022, "title")),
    ("二○二一年法治政府建设工作总结", "", None, (2021, "title")),
    ("关于贯彻落实《法治政府建设实施纲要（2021—2025年）》2022年工作情况的报告", "", None,
     (2022, "title")),
    ("关于2023年法治政府建设情况和2024年工作安排的报告", "", None, (2023, "title")),
    ("", "2023年伊春市营商环境建设监督局按照省委、省政府决策部署", None, (2023, "opening")),
    ("", "2024年,市行政審批局以習近平新時代中國特色社會主義思想為指導。現將2024年度法治政府建設工作總結報告如下",
     None, (2024, "opening")),
    ("", "按照《法治政府建设实施纲要（2021-2025年）》要求，现将我局2022年度法治政府建设情况报告如下",
     None, (2022, "opening")),
    ("", "根据《2023年全市普法依法治理工作要点》，现将2022年度法治政府建设情况报告如下", None,
     (2022, "opening")),
    ("", "今年以来，我局对照2021年至2025年规划，现将2022年度工作报告如下", None, (2022, "opening")),
    ("", "2025年我局将继续努力；2023年我局坚持依法行政", "2024-02-01", (2023, "opening")),
    ("", "今年以来，我局坚持依法行政，到2035年基本建成法治政府", None, (None, "")),
    ("", "今年以来，我局坚持依法行政", "2024-01-02", (2023, "published")),
    ("", "", "2023-06-30", (2022, "published")),
    ("", "", "2023-07-01", (2023, "published")),
    ("", "", None, (None, "")),
])
def test_extract_year(title, opening, published, expected):
    assert extract_year(title, opening, published) == expected


@pytest.mark.parametrize("filename, year", [
    ("报告_2022.txt", 2022),
    ("2021年度报告.txt", 2021),
    ("data/伊春-2019-report.html", 2019),
    ("000_daac851148e37725.txt", None),
    ("a2022b.txt", None),
    ("", None),
])
def test_year_from_filename(filename, year):
    assert year_from_filename(filename) == year


@pytest.mark.parametrize("text, expected", [
    # real pages with no title and a yearless opening: the outline's first heading states it
    ("根据《法治政府建设实施纲要(2021—2025年)》等文件要求,现将法治政府建设工作情况报告如下。\n"
     "一、2023年总体情况\n2023年,我局坚持依法行政。", (2023, "heading")),
    ("某某区坚持以习近平新时代中国特色社会主义思想为指导,创建全国法治政府建设示范区。\n"
     "一、2022年法治政府建设主要举措和成效\n(一)加强党的领导", (2022, "heading")),
    # only the first heading counts, and a year after the publication is no year reported on
    ("我局坚持依法行政,取得了成效。\n一、主要举措\n二、2024年工作计划", (None, "")),
    ("发布日期:2023-03-01\n我局坚持依法行政,取得了成效。\n一、2024年工作计划", (2022, "published")),
    # fresh4 batch: a page cut down to part of its body: the year its text names most (plans aside)
    ("一、深入贯彻法治思想,加快建设法治政府\n(一)强化统筹。市政府召开常务会议6次。\n"
     "(二)推动落实。将示范创建列入2023年《市委工作要点》,开展督察2轮。\n二、2024年工作打算",
     (2023, "text")),
    # new batch A–D: no year outside book titles: the year of the work lists it names
    ("一、工作开展情况\n(一)统筹谋划\n一是深入学习。党工委、管委会将法治建设任务列入《2021年某某经开区重点工作"
     "责任清单》,落实《2021年某某经开区法治建设工作要点》。", (2021, "text")),
])
def test_year_from_the_first_heading(text, expected):
    meta = meta_of(text, "x.txt")
    assert (meta.year, meta.year_source) == expected


def test_a_question_headline_does_not_hide_the_openings_year():
    meta = meta_of("某某法网入口(法治政府建设成效如何?某省政府发布报告)\n更新时间:2022-09-01 10:00:00\n"
                   "2021年,我省各级行政机关坚持依法行政。\n一、全省法治政府建设情况")
    assert (meta.year, meta.year_source) == (2021, "opening")


def test_year_from_filename_is_the_last_resort():
    meta = meta_of("我局坚持依法行政，取得了成效。", "伊春_2021.txt")
    assert (meta.year, meta.year_source) == (2021, "filename")
    meta = meta_of("2022年度法治政府建设情况报告\n我局坚持依法行政。", "伊春_2021.txt")
    assert (meta.year, meta.year_source) == (2022, "title")
    meta = meta_of("我局坚持依法行政。", "x.txt")
    assert (meta.year, meta.year_source) == (None, "")


@pytest.mark.parametrize("raw, date", [
    ("时间:2023-03-01       大    中    小      来源:忻府区司法局", "2023-03-01"),
    ("来源: 苏州市行政审批局  发布日期: 2024-01-02 13:30   访问量:", "2024-01-02"),
    ("发布时间：2023年3月1日", "2023-03-01"),
    ("发布时间 : 2023/3/1 10:00:00", "2023-03-01"),
    ("發佈時間：２０２３年３月１日", "2023-03-01"),
    ("日期：2023.03.01", "2023-03-01"),
    ("发布于2022-12-31", "2022-12-31"),
    ("成文日期：2023-02-20\n发布日期：2023-03-01", "2023-03-01"),   # publication wins
    ("办理时间：2023-03-01", None),          # a label inside a word is not ours
    ("2023年3月1日", None),                   # no label
    ("发布时间：2023-02-30", None),           # no such day
    ("", None),
    ("正文。" * 3000 + "\n发布时间：2023-03-01", "2023-03-01"),    # at the end of the page
])
def test_extract_published(raw, date):
    assert extract_published(raw) == date


@pytest.mark.parametrize("raw, source", [
    ("来源: 苏州市行政审批局  发布日期: 2024-01-02", "苏州市行政审批局"),
    (" 时间:2023-03-01   来源:忻府区司法局", "忻府区司法局"),
    ("信息来源：伊春市司法局", "伊春市司法局"),
    ("來源：新餘市行政審批局", "新余市行政审批局"),
    ("来源：山西日报", ""),
    ("文章来源：本站", ""),
    ("没有来源行。", ""),
])
def test_extract_source(raw, source):
    assert extract_source(raw) == source


# --- bodies ----------------------------------------------------------------------------------

@pytest.mark.parametrize("title, body", [
    ("关于深入推进依法行政加快建设法治政府的实施意见", ""),        # 关于 + a topic names no body
    ("关于某某县2022年度法治政府建设情况的报告", "某某县"),
    ("山西省行政审批服务管理局2024年度法治政府建设情况报告", "山西省行政审批服务管理局"),
    ("忻府区2022年度法治政府建设工作报告", "忻府区"),
    ("2023年度法治政府建设情况报告", ""),
    ("忻府区人民政府关于2021年法治政府建设情况的报告", "忻府区人民政府"),
    ("关于伊春市2022年法治政府建设情况的报告", "伊春市"),
    ("苏州市司法局2021年法治政府建设年度报告", "苏州市司法局"),
    ("新余市行政審批局2024年度法治政府建設工作報告", "新余市行政审批局"),
    ("XX市司法局2021年法治政府建设年度报告", "XX市司法局"),
    ("关于2022年度法治政府建设工作的报告", ""),
    ("2023年度伊春市法治政府建设情况报告", "伊春市"),        # the place after the year
    ("二〇二二年度法治政府建設工作報告", ""),
    ("湖南省人民政府公布2017年度法治政府建設情況", "湖南省人民政府"),    # a mirror's headline
])
def test_title_body(title, body):
    assert title_body(title) == body


@pytest.mark.parametrize("opening, body", [
    ("2023年伊春市营商环境建设监督局按照省委、省政府和市委、市政府决策部署,把法治政府建设贯穿始终。",
     "伊春市营商环境建设监督局"),
    ("2024年,市行政審批局以習近平新時代中國特色社會主義思想為指導", "市行政审批局"),
    ("2024年,在省委、省政府的坚强领导下,省审批服务管理局始终坚持以习近平新时代中国特色社会主义思想为指导",
     "省审批服务管理局"),
    ("2023年是全面贯彻党的二十大精神的开局之年，市司法局坚持依法行政", "市司法局"),
    ("2022年，忻州市人民政府办公室以习近平法治思想为指导", "忻州市人民政府办公室"),
    ("按照省市关于开展法治政府建设工作的安排部署,忻府区委、区政府高度重视", ""),
    ("今年以来，我局坚持依法行政", ""),
    # fresh4 batch: co-issuers joined by 、 are one subject
    ("2024年,某某高新区党工委、管委会在市委、市政府的坚强领导下,坚持依法行政", "某某高新区党工委、管委会"),
    ("2022年,中共某某县委、某某县人民政府坚持以习近平法治思想为指导", "中共某某县委、某某县人民政府"),
    ("2023年,区委、区政府坚持依法行政", ""),
    # new batch A–D (2026-12-02): the body's short name between it and its predicate; every
    # government of a region is no one body; 会同 ("together with") opens no body, 会同县 does
    ("2025年,某市生态环境局某某县分局(以下简称“我局”)坚持以习近平新时代中国特色社会主义思想为指导",
     "某市生态环境局某某县分局"),
    ("2023年,全區各級人民政府堅持以習近平新時代中國特色社會主義思想為指導", ""),
    ("2023年,全州各级政府认真贯彻落实", ""),
    ("大力支持区法院改善办公用房,会同区检察院推进行政争议实质性化解", ""),
    ("2022年,会同县人民政府坚持依法行政", "会同县人民政府"),
    ("", ""),
])
def test_opening_body(opening, body):
    assert opening_body(opening) == body


# --- region and issuer -----------------------------------------------------------------------

REGION_CASES = [
    # (report text, (province, city, county, level), issuer, warnings)
    pytest.param("朝阳区2021年法治政府建设情况报告\n2021年，朝阳区坚持以习近平法治思想为指导。",
                 ("", "", "", ""), "朝阳区人民政府",
                 ["region ambiguous: 朝阳区 in 北京市, 长春市"], id="朝阳区-ambiguous"),
    pytest.param("朝阳区2021年法治政府建设情况报告\n2021年，在长春市委、市政府的领导下，朝阳区坚持依法行政。",
                 ("吉林省", "长春市", "朝阳区", "county"), "朝阳区人民政府", [], id="朝阳区-长春"),
    pytest.param("朝阳区2021年法治政府建设情况报告\n2021年，在北京市委、市政府的领导下，朝阳区坚持依法行政。",
                 ("北京市", "", "朝阳区", "county"), "朝阳区人民政府", [], id="朝阳区-北京"),
    # a street many counties hold (东湖街道: eighteen), one of them named in the body, however
    # briefly and ambiguously (朝阳区: in 北京 and 长春; only 北京's holds a 东湖街道)
    pytest.param("东湖街道2024年度法治政府建设情况报告\n2024年,东湖街道积极贯彻习近平法治思想,深入推进法治"
                 "政府建设。\n一是持续优化营商环境。街道及时宣传朝阳区新版产业政策,组织专场政企互动活动。",
                 ("北京市", "", "朝阳区", "county"), "东湖街道",
                 ["region inferred from the township's county (search/resources/towns.csv)"],
                 id="东湖街道-朝阳区"),
    # a page without its title, whose opening says only 我区, names its body where it sends
    # the report (现将郑东新区2025年度…报告如下)
    pytest.param("2025年,在市政府的正确领导下,我区深入学习贯彻习近平法治思想,扎实推进法治政府建设,现将郑东新区"
                 "2025年度法治政府建设情况报告如下:\n一、坚持高位引领,法治建设统筹推进",
                 ("河南省", "郑州市", "郑东新区", "county"), "郑东新区管委会",
                 ["functional zone 郑东新区: not a division; reported as a county-level body of 郑州市 "
                  "(no code)"], id="郑东新区-sending-sentence"),
    # a street named after the opening's lead clause (根据…,以及…部署,2023年,清波街道以…)
    pytest.param("根据中共中央《全面深化法治领域改革纲要(2023—2027年)》提出“实行法治建设年度报告制度”,以及市、区对法治"
                 "建设工作的具体部署,2023年,清波街道以深入学习贯彻习近平法治思想为核心,开展“宪法与浙江”宣传月活动。\n"
                 "一、推进法治建设的主要举措", ("浙江省", "杭州市", "上城区", "county"), "清波街道",
                 ["region inferred from the township's county (search/resources/towns.csv)"],
                 id="清波街道-after-lead-clause"),
    pytest.param("东湖街道2024年度法治政府建设情况报告\n2024年,东湖街道积极贯彻习近平法治思想。",
                 ("", "", "", ""), "东湖街道", ["region unknown"], id="东湖街道-unknown"),
    pytest.param("北京市朝阳区2021年法治政府建设情况报告\n2021年，区政府赴长春学习。",
                 ("北京市", "", "朝阳区", "county"), "北京市朝阳区人民政府", [],
                 id="朝阳区-parent-in-title"),
    pytest.param("鼓楼区2022年法治政府建设工作报告\n2022年，区政府坚持依法行政，学习借鉴福州、南京的经验。",
                 ("", "", "", ""), "鼓楼区人民政府",
                 ["region ambiguous: 鼓楼区 in 南京市, 福州市"], id="鼓楼区-two-parents"),
    pytest.param("鼓楼区2022年法治政府建设工作报告\n2022年，在徐州市委、市政府的领导下，区政府坚持依法行政。",
                 ("江苏省", "徐州市", "鼓楼区", "county"), "鼓楼区人民政府", [], id="鼓楼区-徐州"),
    pytest.param("襄樊市司法局2009年依法行政工作报告\n2009年，市司法局认真贯彻落实。",
                 ("湖北省", "襄樊市", "", "city"), "襄樊市司法局", [], id="襄樊-2009"),
    pytest.param("襄阳市司法局2015年法治政府建设情况报告\n2015年，市司法局认真贯彻落实。",
                 ("湖北省", "襄阳市", "", "city"), "襄阳市司法局", [], id="襄阳-2015"),
    pytest.param("莱芜市2017年法治政府建设情况报告\n2017年，莱芜市深入推进依法行政。",
                 ("山东省", "莱芜市", "", "city"), "莱芜市人民政府", [], id="莱芜市-2017"),
    pytest.param("济南市莱芜区2020年法治政府建设情况报告\n2020年，莱芜区深入推进依法行政。",
                 ("山东省", "济南市", "莱芜区", "county"), "济南市莱芜区人民政府", [], id="莱芜区-2020"),
    pytest.param("延边朝鲜族自治州2021年法治政府建设情况报告\n2021年，州政府深入推进依法行政。",
                 ("吉林省", "延边朝鲜族自治州", "", "city"), "延边朝鲜族自治州人民政府", [], id="自治州"),
    pytest.param("锡林郭勒盟行政公署2021年法治政府建设情况报告\n2021年，盟行政公署深入推进依法行政。",
                 ("内蒙古自治区", "锡林郭勒盟", "", "city"), "锡林郭勒盟行政公署", [], id="盟"),
    pytest.param("锡林郭勒盟2021年法治政府建设情况报告\n2021年，盟行政公署深入推进依法行政。",
                 ("内蒙古自治区", "锡林郭勒盟", "", "city"), "锡林郭勒盟行政公署", [], id="盟-place-only"),
    pytest.param("莫力达瓦达斡尔族自治旗2021年法治政府建设情况报告\n2021年，旗政府深入推进依法行政。",
                 ("内蒙古自治区", "呼伦贝尔市", "莫力达瓦达斡尔族自治旗", "county"),
                 "莫力达瓦达斡尔族自治旗人民政府", [], id="旗"),
    pytest.param("伊春市司法局2021年法治政府建设年度报告\n2021年，市司法局坚持依法行政，"
                 "赴北京市、上海市、广东省深圳市、江苏省苏州市学习，苏州市、深圳市经验值得借鉴。",
                 ("黑龙江省", "伊春市", "", "city"), "伊春市司法局", [], id="department-other-places"),
    pytest.param("伊春营商环境建设监督局2023年法治政府建设情况报告\n2023年，我局坚持依法行政。",
                 ("黑龙江省", "伊春市", "", "city"), "伊春营商环境建设监督局", [],
                 id="short-name-at-body"),
    pytest.param("2024年，新余高新区管委会坚持依法行政，取得成效。",     # a zone: county level
                 ("江西省", "新余市", "新余高新区", "county"), "新余高新区管委会",
                 ["functional zone 新余高新区: not a division; reported as a county-level body of "
                  "新余市 (no code)"], id="short-name-park"),
    pytest.param("山西2022年度法治政府建设工作报告\n2022年，全省坚持依法行政。",
                 ("山西省", "", "", "province"), "山西省人民政府", [], id="province-short-title"),
    pytest.param("忻府区人民政府关于2021年法治政府建设情况的报告\n2021年，区政府坚持依法行政。",
                 ("山西省", "忻州市", "忻府区", "county"), "忻府区人民政府", [], id="county-关于"),
    pytest.param("山西省人民政府2022年法治政府建设情况报告\n来源：忻府区司法局\n"
                 "2022年，省政府坚持依法行政，忻府区、忻州市积极落实。",
                 ("山西省", "", "", "province"), "山西省人民政府", [], id="provincial-reposted"),
    pytest.param("2023年度法治政府建设情况报告\n来源: 苏州市行政审批局  发布日期: 2024-01-02\n"
                 "2023年，市行政审批局以习近平新时代中国特色社会主义思想为指导，借鉴北京、上海经验。",
                 ("江苏省", "苏州市", "", "city"), "苏州市行政审批局", [], id="relative-body-source"),
    pytest.param("2021年法治政府建设情况报告\n来源：忻州市司法局\n2021年，区司法局坚持依法行政。",
                 ("山西省", "忻州市", "", "city"), "区司法局", [], id="county-body-city-source"),
    pytest.param("2021年，区司法局坚持依法行政，忻府区法治建设取得成效，忻府区群众满意。",
                 ("山西省", "忻州市", "忻府区", "county"), "忻府区司法局",
                 ["region inferred from places named in the text"], id="county-body-text"),
    pytest.param("2023年，省司法厅坚持依法行政，山西省法治建设取得成效。",
                 ("山西省", "", "", "province"), "山西省司法厅",
                 ["region inferred from places named in the text"], id="province-body-text"),
    pytest.param("2021年，市司法局坚持依法行政，苏州市委、市政府高度重视，南京市也来学习。",
                 ("江苏省", "", "", "province"), "市司法局",   # only what both share is kept
                 ["region ambiguous: the text names 南京市, 苏州市 equally often"], id="vote-tie"),
    pytest.param("2021年，市司法局坚持依法行政，苏州市委、市政府高度重视，杭州市也来学习。",
                 ("", "", "", ""), "市司法局",
                 ["region ambiguous: the text names 苏州市, 杭州市 equally often"],
                 id="vote-tie-two-provinces"),
    pytest.param("2023年度伊春市法治政府建设情况报告\n2023年，全市坚持依法行政。",
                 ("黑龙江省", "伊春市", "", "city"), "伊春市人民政府", [], id="place-after-year"),
    pytest.param("2022年法治政府建设情况报告\n2022年，我区坚持依法行政，忻府区群众满意，忻州市支持。",
                 ("山西省", "忻州市", "忻府区", "county"), "",
                 ["region inferred from places named in the text"], id="我区-county-vote"),
    pytest.param("晋城市城区人民政府2023年法治政府建设情况报告\n2023年，区政府坚持依法行政。",
                 ("山西省", "晋城市", "城区", "county"), "晋城市城区人民政府", [],
                 id="城区-district-not-city"),
    pytest.param("黟县人民政府2022年法治政府建设情况报告\n2022年，县政府坚持依法行政。",
                 ("安徽省", "黄山市", "黟县", "county"), "黟县人民政府", [], id="two-character-county"),
    pytest.param("安徽省黄山市黟县2022年法治政府建设情况报告\n2022年，县政府坚持依法行政。",
                 ("安徽省", "黄山市", "黟县", "county"), "安徽省黄山市黟县人民政府", [],
                 id="two-character-county-parents"),
    pytest.param("2023年，市司法局坚持依法行政，晋城市中心城区和相应县级部门积极落实。",
                 ("山西省", "晋城市", "", "city"), "晋城市司法局",
                 ["region inferred from places named in the text"], id="城区-in-prose"),
    pytest.param("2022年，我局坚持依法行政，取得了成效。", ("", "", "", ""), "",
                 ["region unknown"], id="nothing"),
    pytest.param("2022年度法治政府建設工作報告\n2022年，市行政審批局以習近平新時代中國特色社會主義思想為指導，"
                 "新余市行政審批局、新余市政務服務管理辦公室積極作為。",
                 ("江西省", "新余市", "", "city"), "新余市行政审批局",
                 ["region inferred from places named in the text"], id="traditional"),
    pytest.param("按照县委要求,我局认真总结2021年度推进法治政府建设的主要举措和成效,现将工作情况报告如下:\n"
                 "一、简政放权。目前我县已经实现企业开办1个工作日办结,《泸西县示范创建指标》全部完成。",
                 ("云南省", "红河哈尼族彝族自治州", "泸西县", "county"), "",
                 ["region inferred from places named in the text"], id="我局-then-我县"),
    pytest.param("2022年,我县深入贯彻全面依法治国新理念新思想新战略,现将工作情况报告如下:\n"
                 "制定《房县法治政府建设实施方案(2021-2025年)》,印发《2022年度房县法治政府建设工作要点》。",
                 ("湖北省", "十堰市", "房县", "county"), "",
                 ["region inferred from places named in the text"], id="bare-county-in-book-title"),
    pytest.param("2021年,在县委、县政府的正确领导下,全县上下坚持依法行政,现将相关工作汇报如下:\n"
                 "县政府第5次党组会学习《咸宁市人民政府重大行政决策程序规定》。",
                 ("湖北省", "咸宁市", "", "city"), "",
                 ["region inferred from places named in the text"], id="county-never-named-its-city"),
    pytest.param("2022年,我區堅持以習近平新時代中國特色社會主義思想為指導,推動法治政府建設取得新進展。\n"
                 "自治區人民政府把學習貫徹習近平法治思想作為重大政治任務,編寫《法治內蒙古建設發展報告》。",
                 ("内蒙古自治区", "", "", "province"), "",
                 ["region inferred from places named in the text"], id="我區-of-an-autonomous-region"),
    pytest.param("2024年,区司法局在区委、区政府的正确领导下,深入贯彻习近平总书记视察重庆重要讲话精神。",
                 ("重庆市", "", "", "province"), "区司法局",
                 ["region inferred from places named in the text"], id="district-office-keeps-province"),
    # --- patterns of real report pages (constructed, with the metadata they must give) ---
    pytest.param("根据有关规定,现将县人民政府2022年法治政府建设工作情况报告如下。\n"
                 "县人民政府制定了《岳阳县人民政府常务会会前学法制度》。",
                 ("湖南省", "岳阳市", "岳阳县", "county"), "岳阳县人民政府",
                 ["region inferred from places named in the text"], id="level-only-县人民政府"),
    pytest.param("2021年,广东坚持以习近平新时代中国特色社会主义思想为指导,扎实推动法治政府建设。",
                 ("广东省", "", "", "province"), "广东省人民政府", [], id="bare-province-subject"),
    pytest.param("2019年,在省委、省政府和市委、市政府的正确领导下,南昌县全面贯彻党的十九大精神。",
                 ("江西省", "南昌市", "南昌县", "county"), "南昌县人民政府", [],
                 id="county-subject-after-clause"),
    pytest.param("2024年,東城區堅持以習近平新時代中國特色社會主義思想為指導,落實中央、北京市關於法治政府建設的部署。",
                 ("北京市", "", "东城区", "county"), "东城区人民政府", [],
                 id="municipal-district-traditional"),
    pytest.param("省人民政府关于2020年度推进法治政府建设情况的报告\n2020年是湖北历史上极不平凡的一年。"
                 "省政府全力推进法治政府建设。", ("湖北省", "", "", "province"), "湖北省人民政府",
                 ["region inferred from places named in the text"], id="省人民政府-title"),
    pytest.param("2022年,全市各区、各部门在市委、市政府的坚强领导下,贯彻落实习近平总书记考察上海重要讲话精神。",
                 ("上海市", "", "", "province"), "",
                 ["region inferred from places named in the text"], id="municipality-全市"),
    pytest.param("2016年,內蒙古自治區法治政府建設工作在自治區黨委、政府的領導下,全區法治政府建設取得長足進步。",
                 ("内蒙古自治区", "", "", "province"), "内蒙古自治区人民政府", [],
                 id="autonomous-region-全区"),
    pytest.param("阿坝州2021年法治政府建设工作情况报告\n2021年是开局之年,全州坚持依法行政。",
                 ("四川省", "阿坝藏族羌族自治州", "", "city"), "阿坝州人民政府", [], id="自治州-short"),
    pytest.param("2023年义乌市法治政府建设工作情况报告\n2023年以来,义乌市深入贯彻落实习近平法治思想。",
                 ("浙江省", "金华市", "义乌市", "county"), "义乌市人民政府", [],
                 id="county-level-city"),
    pytest.param("2023年,园区坚持以习近平新时代中国特色社会主义思想为指导,全力推进依法行政。\n"
                 "对《苏州工业园区法治政府建设实施方案》开展自评估。",
                 ("江苏省", "苏州市", "苏州工业园区", "county"), "苏州工业园区管委会",
                 ["functional zone 苏州工业园区: not a division; reported as a county-level body of "
                  "苏州市 (no code)"], id="zone-园区"),
    pytest.param("泾河新城2022年度法治政府建设工作报告\n2022年,泾河新城深入贯彻落实全面依法治国新理念。",
                 ("陕西省", "西安市", "泾河新城", "county"), "泾河新城管委会",
                 ["functional zone 泾河新城: not a division; reported as a county-level body of "
                  "西安市 (no code)"], id="zone-title"),
    pytest.param("2023年,两江新区坚持以习近平新时代中国特色社会主义思想为指导,深入推进依法行政。",
                 ("重庆市", "", "两江新区", "county"), "两江新区管委会",
                 ["functional zone 两江新区: not a division; reported as a county-level body of "
                  "重庆市 (no code)"], id="zone-of-a-municipality"),
    pytest.param("呼中区人民政府2023年法治政府建设情况报告\n2023年,呼中区坚持依法行政。",
                 ("黑龙江省", "大兴安岭地区", "呼中区", "county"), "呼中区人民政府",
                 ["functional zone 呼中区: not a division; reported as a county-level body of "
                  "大兴安岭地区 (no code)"], id="大兴安岭-district-outside-the-table"),
    pytest.param("2025年,湄洲岛国家旅游度假区党工委、管委会坚持依法行政,为辖区高质量发展筑牢法治根基。\n"
                 "一、坚持党的全面领导", ("福建省", "莆田市", "湄洲岛国家旅游度假区", "county"),
                 "湄洲岛国家旅游度假区党工委、管委会",
                 ["functional zone 湄洲岛国家旅游度假区: not a division; reported as a county-level body "
                  "of 莆田市 (no code)"], id="zone-旅游度假区"),
    pytest.param("2022年度,巴楚县坚持以习近平新时代中国特色社会主义思想为指导,深入贯彻落实依法治疆委员会第一次会议精神,"
                 "贯彻落实地委依法治地委员会第一次会议工作要求,坚持依法行政。\n一、主要举措",
                 ("新疆维吾尔自治区", "喀什地区", "巴楚县", "county"), "巴楚县人民政府", [],
                 id="贯彻落实地委-is-no-body"),
    pytest.param("滑县万古镇人民政府关于2025年法治政府建设情况的报告\n发布时间:\n2026-03-04\n"
                 "2025年,万古镇在县委、县政府的正确领导下,坚持依法行政。",
                 ("河南省", "安阳市", "滑县", "county"), "滑县万古镇人民政府", [],
                 id="a-two-character-county-before-its-towns-government"),
    pytest.param("四川天府新区眉山管理委员会\n关于2020年度法治政府建设有关情况的报告\n市人民政府:\n按照《法治政府建设"
                 "与责任落实督察工作规定》要求,现将眉山天府新区2020年度法治政府建设有关情况报告如下。\n一、持续加强",
                 ("四川省", "眉山市", "眉山天府新区", "county"), "四川天府新区眉山管理委员会",
                 ["functional zone 眉山天府新区: not a division; reported as a county-level body of 眉山市 "
                  "(no code)"], id="the-眉山-part-of-天府新区-is-眉山s"),
    pytest.param("四川天府新区2021年度法治政府建设情况报告\n2021年,四川天府新区坚持依法行政。",
                 ("四川省", "成都市", "天府新区", "county"), "四川天府新区管委会",
                 ["functional zone 天府新区: not a division; reported as a county-level body of 成都市 "
                  "(no code)"], id="a-zone-named-after-its-province-is-run-by-a-管委会"),
    pytest.param("五象新区2025年度法治政府建设工作情况的报告\n2026-01-30 17:18     来源: 五象新区(自贸试验区南宁片区)管委会\n"
                 "2025年,五象新区坚持依法行政,紧紧围绕自治区、南宁市关于法治建设的决策部署。",
                 ("广西壮族自治区", "南宁市", "五象新区", "county"), "五象新区管委会",
                 ["functional zone 五象新区: not a division; reported as a county-level body of 南宁市 "
                  "(no code)"], id="zone-新区-of-a-city"),
    # --- classes found on the fresh1 batch (2026-12-02): constructed cases ---
    pytest.param("2021年,在市委、市政府的坚强领导下,东湖区委、区政府坚持依法行政,推进法治东湖建设。\n"
                 "区委常委会专题研究法治工作。", ("江西省", "南昌市", "东湖区", "county"), "",
                 ["region inferred from places named in the text"], id="superior-clause-is-not-the-level"),
    pytest.param("2022年,在市委、市政府的正确领导下,青云街道积极落实《2022年法治慈溪建设重点工作清单》。\n"
                 "慈溪市委、市政府:", ("浙江省", "宁波市", "慈溪市", "county"), "",
                 ["region inferred from places named in the text"], id="street-after-superior-clause"),
    pytest.param("2020年,在党中央、国务院及省委的正确领导下,全省各级政府坚持依法行政。\n"
                 "驻马店市获评全国法治政府建设示范市。", ("河南省", "", "", "province"), "",   # no one body
                 ["region inferred from places named in the text"], id="全省-subject"),
    pytest.param("2023年,我局坚持以习近平法治思想为指导,全面贯彻落实省、市、区关于法治政府建设各项部署要求。\n"
                 "制定并实施《上城区人力社保局行政合法性审查事项目录清单》。",
                 ("浙江省", "杭州市", "上城区", "county"), "",
                 ["region inferred from places named in the text"], id="level-chain-省市区"),
    pytest.param("中共渠县县委、渠县人民政府:\n2025年以来,在县委、县政府的坚强领导下,全镇深入贯彻落实法治政府建设部署。",
                 ("四川省", "达州市", "渠县", "county"), "",
                 ["region inferred from places named in the text"], id="town-addresses-its-county"),
    pytest.param("根据《中共文山州委全面依法治州委员会办公室关于做好年度报告的通知》要求,"
                 "现将文山市2022年法治政府建设情况报告如下。",
                 ("云南省", "文山壮族苗族自治州", "文山市", "county"), "文山市人民政府", [],
                 id="现将-place-报告如下"),
    pytest.param("2023年,巴州黨委、政府堅持以習近平新時代中國特色社會主義思想為指導,深入貫徹習近平法治思想。",
                 ("新疆维吾尔自治区", "巴音郭楞蒙古自治州", "", "city"), "巴州人民政府", [],
                 id="irregular-prefecture-short-form"),
    pytest.param("2022年,镇宁自治县坚持依法行政,获评平安示范县。",
                 ("贵州省", "安顺市", "镇宁布依族苗族自治县", "county"), "镇宁自治县人民政府", [],
                 id="自治县-without-its-peoples"),
    pytest.param("中共红河州委、红河州人民政府:\n2025年,县委、县政府坚持依法行政。印发《金平县党政主要负责人述法办法》。",
                 ("云南省", "红河哈尼族彝族自治州", "金平苗族瑶族傣族自治县", "county"), "",
                 ["region inferred from places named in the text"], id="county-renamed-under-its-code"),
    pytest.param("2023年,市公安局认真贯彻落实中央、省委、市委有关法治政府建设工作部署。现将我局工作报告如下。\n"
                 "针对宜春—长沙市全程网办确定“跨省通办”事项8项,针对宜春—广州市确定事项64项。\n"
                 "制定落实了《宜春市公安局营商环境提升行动实施方案》。",
                 ("江西省", "宜春市", "", "city"), "宜春市公安局",
                 ["region inferred from places named in the text"], id="tie-broken-by-the-bodys-own-name"),
    pytest.param("2024年,在区委、区政府的领导下,我局坚持以习近平新时代中国特色社会主义思想为指导。\n"
                 "2024年,荣昌区濑溪河流域成功命名实践创新基地。", ("重庆市", "", "荣昌区", "county"), "",
                 ["region inferred from places named in the text"], id="department-led-by-its-区"),
    pytest.param("龙溪镇2024年法治政府建设年度报告\n2024年,龙溪镇在市委市政府的坚强领导下坚持依法行政。",
                 ("", "", "", ""), "龙溪镇", ["region unknown"], id="town-name-is-no-retired-prefecture"),
    # fresh3 batch
    pytest.param("依据有关规定,现将北京市石景山区人民政府2023年法治政府建设年度情况报告如下。\n一、主要举措和成效",
                 ("北京市", "", "石景山区", "county"), "北京市石景山区人民政府", [],
                 id="现将-the-whole-place-chain-报告如下"),
    pytest.param("2019年,全省各级行政机关坚持依法行政,推动出台《吉林省优化营商环境条例》。\n"
                 "在长春市二道区开展审批改革试点。", ("吉林省", "", "", "province"), "",
                 ["region inferred from places named in the text"], id="全省各级-opening-is-the-province"),
    pytest.param("2024年,保税区坚持以习近平新时代中国特色社会主义思想为指导,依法履职。\n"
                 "制定《天津港保税区优化营商环境三年行动方案》。", ("天津市", "", "天津港保税区", "county"),
                 "天津港保税区管委会", ["functional zone 天津港保税区: not a division; reported as a "
                                  "county-level body of 天津市 (no code)"],
                 id="zone-short-name-保税区"),
    # batch21: a zone named after the district it lies in (宁河经济开发区 of 宁河区), not in the
    # zone table: the report is the district's, at county level; the title names no place, and
    # the body it names in short (经济开发区) is the opening's zone
    pytest.param("经济开发区2024年度法治政府建设情况报告\n2024年宁河经济开发区在区委、区政府的正确领导下,"
                 "坚持依法行政,扎实推进法治政府建设各项工作。\n一、主要举措和成效",
                 ("天津市", "", "宁河区", "county"), "宁河经济开发区",
                 ["functional zone 宁河经济开发区: inside 宁河区; reported under it"],
                 id="zone-named-after-its-district"),
    # batch23: a county-level city's 市政府 before its 市人大常委会, the city named once (五个当阳):
    # the county-level city, not its prefecture; a prefecture that names itself stays the city
    pytest.param("关于2016年度依法行政工作情况的报告\n——2017年2月14日在市八届人大常委会第1次会议上\n市人民政府\n"
                 "主任、各位副主任、各位委员:\n现将全市2016年度依法行政工作情况向市人大常委会报告,请予审议。\n"
                 "2016年,在市委的正确领导下,市政府坚持依法行政,为全面推进“五个当阳”建设提供了法治保障。\n"
                 "一、市政府出台《关于推进法治当阳建设的实施意见》,配套出台《2016年当阳市政府法制工作要点》。",
                 ("湖北省", "宜昌市", "当阳市", "county"), "",
                 ["region inferred from places named in the text"], id="county-level-city-says-市"),
    pytest.param("关于2016年度依法行政工作情况的报告\n市人民政府\n"
                 "2016年,在市委的正确领导下,市政府坚持依法行政,指导当阳市推进法治政府建设,宜昌市法治水平不断提升。",
                 ("湖北省", "宜昌市", "", "city"), "",
                 ["region inferred from places named in the text"], id="prefecture-names-itself"),
    # batch24: the opening's subject is the county, by its full name before the year, or by a
    # short name only it has (邹城, after a year spaced from 年); a short name several share
    # (城关) names none
    pytest.param("洛浦县2022年法治政府建设工作坚持以习近平新时代中国特色社会主义思想为指导,健全洛浦法治建设体系,"
                 "现将法治政府建设工作总结如下:\n一、2022年法治政府建设主要举措和成效",
                 ("新疆维吾尔自治区", "和田地区", "洛浦县", "county"), "洛浦县人民政府", [],
                 id="county-before-its-year-opens"),
    pytest.param("2023 年,邹城坚持以习近平新时代中国特色社会主义思想为指导,积极推进依法行政,"
                 "济宁市全面推进依法治市专题培训班在邹城举办,代表济宁市迎接省“八五”普法规划中期评估。",
                 ("山东省", "济宁市", "邹城市", "county"), "邹城市人民政府", [],
                 id="county-short-name-opens"),
    pytest.param("2023年,城关坚持以习近平新时代中国特色社会主义思想为指导,积极推进依法行政。",
                 ("", "", "", ""), "", ["region unknown"], id="shared-short-name-opens"),
    # batch22: a park named after its city and the county that runs it (河源 + 东源县 + 产业园区)
    pytest.param("河源东源产业园区管委会2025年法治政府建设年度报告\n东源产业园区管委会始终坚持以习近平新时代中国特色社会主义"
                 "思想为指导,依法履行职能。\n一、主要举措", ("广东省", "河源市", "东源县", "county"),
                 "河源东源产业园区管委会",
                 ["functional zone 河源东源产业园区: inside 东源县; reported under it"],
                 id="park-named-after-city-and-county"),
    pytest.param("2024年,宜昌高新技术产业开发区党工委、管委会在市委、市政府坚强领导下,坚持依法行政。\n"
                 "一、主要举措", ("湖北省", "宜昌市", "宜昌高新技术产业开发区", "county"),
                 "宜昌高新技术产业开发区党工委、管委会",
                 ["functional zone 宜昌高新技术产业开发区: not a division; reported as a "
                  "county-level body of 宜昌市 (no code)"], id="zone-co-issuers-in-the-opening"),
    pytest.param("——2022年3月28日在市八届人大常委会第十次会议上\n珠海市人民政府\n"
                 "2021年,我市坚持以习近平法治思想为指导,加快建设法治政府。\n一、主要成效",
                 ("广东省", "珠海市", "", "city"), "珠海市人民政府", [],
                 id="delivered-to-the-congress-by-the-body-below"),
    pytest.param("2022年3月28日在市八届人大常委会第十次会议上\n市长 张某某\n"
                 "2021年,我市坚持依法行政。\n一、珠海市持续优化营商环境",
                 ("广东省", "珠海市", "", "city"), "",
                 ["region inferred from places named in the text"], id="delivered-by-a-person-names-no-body"),
    pytest.param("中共铜仁市委 铜仁市人民政府关于2021年度法治政府建设的情况报告\n2021年,铜仁市委、市政府坚持依法行政。",
                 ("贵州省", "铜仁市", "", "city"), "中共铜仁市委 铜仁市人民政府", [], id="co-issuers-keep-中共"),
    # batch A–D: a street or town that names no county: the township table's county (real
    # street names, constructed text)
    pytest.param("中梁山街道关于2025年度法治政府建设情况的报告\n2025年以来,中梁山街道坚持以习近平法治思想为指导,深入推进依法行政。",
                 ("重庆市", "", "九龙坡区", "county"), "中梁山街道", [TOWN_NOTE], id="street-of-one-county"),
    pytest.param("2021年,在区委、区政府坚强领导下,虹桥街道深入学习贯彻习近平法治思想,成功入选上海市第一批法治示范创建街镇。\n"
                 "一、主要举措", ("上海市", "", "长宁区", "county"), "虹桥街道", [TOWN_NOTE],
                 id="shared-street-name-inside-the-municipality"),
    pytest.param("2023年,万兴街在区委、区政府的正确领导下,认真落实上级部门关于法治政府建设部署要求。按照《南开区关于"
                 "贯彻落实<天津市法治政府建设实施纲要(2021—2025年)>工作任务清单》,我街扎实开展法治政府建设。\n一、主要举措",
                 ("天津市", "", "南开区", "county"), "万兴街道",   # the street of 南开区 that reports
                 ["region inferred from places named in the text"],
                 id="street-written-街-and-a-book-with-angles"),
    pytest.param("一年来,周溪乡在县委、县政府的正确领导下,深入学习贯彻习近平法治思想,有序推进法治政府建设工作。\n一、主要举措",
                 ("重庆市", "", "城口县", "county"), "周溪乡", [TOWN_NOTE], id="town-after-一年来"),
    pytest.param("2025年,鼓楼街道办事处深入学习贯彻习近平法治思想,全面落实中央、市、区关于法治政府建设的工作部署。\n一、总体情况",
                 ("", "", "", ""), "鼓楼街道办事处", ["region unknown"], id="shared-street-name-alone-is-no-guess"),
    # batch15: two superior clauses before the street, the municipality named in passing
    pytest.param("2025年,在区委、区政府的坚强领导下,在区司法局的悉心指导下,荔枝街道坚持以习近平法治思想为指导,"
                 "深入学习贯彻习近平总书记视察重庆重要讲话重要指示精神。\n一、主要举措",
                 ("重庆市", "", "涪陵区", "county"), "荔枝街道", [TOWN_NOTE], id="street-after-two-superior-clauses"),
    # batch15: a town's page cut to its sections: it speaks as 本镇/全镇 and names itself twice
    pytest.param("(一)深入学习贯彻习近平法治思想。\n一是加强组织领导。及时调整蔡家桥镇法治政府建设领导小组,负责推进全镇法治政府建设工作,"
                 "加强党对本镇法治政府建设工作的领导。完成宣城市国家工作人员在线学法考试,蔡家桥镇26名学员全部通过。",
                 ("安徽省", "宣城市", "旌德县", "county"), "", [TOWN_NOTE], id="town-spoken-as-and-named-twice"),
    pytest.param("(一)深入学习贯彻习近平法治思想。\n一是加强组织领导。调整蔡家桥镇领导小组,推进全镇法治政府建设工作。"
                 "完成宣城市国家工作人员在线学法考试。", ("安徽省", "宣城市", "", "city"), "",
                 ["region inferred from places named in the text"], id="town-named-once-is-no-county"),
    # batch14–15: the sending sentence's pronoun (现将我局…, 现将我镇…) names no body; the 来源 does,
    # or the town the opening makes its subject, inside the county its addressee names
    pytest.param("來源:某某市大數據和行政審批局 發表時間:2022-01-10 10:48\n市委、市人民政府:\n"
                 "2021年,我局在市委、政府的堅強領導下,認真抓好法治政府建設工作。現將我局2021年度法治政府建設工作報告如下:",
                 None, "某某市大数据和行政审批局", None, id="sending-pronoun-then-the-source"),
    pytest.param("张家港市人民政府:\n今年以来,锦丰镇坚持以习近平新时代中国特色社会主义思想为统领,深入学习贯彻习近平法治思想。"
                 "现将我镇2023年度法治政府建设有关情况报告如下:", ("江苏省", "苏州市", "张家港市", "county"), "锦丰镇",
                 None, id="sending-pronoun-then-the-town-subject"),
    # batch16: a bonded zone of a municipality names itself in short in its opening
    pytest.param("2024年,在市委、市政府和区委、区政府的正确领导下,东疆综保区坚持以习近平法治思想为指导,严格落实"
                 "《天津市法治政府建设实施纲要(2021-2025)》有关要求。现将有关情况报告如下:",
                 ("天津市", "", "东疆综合保税区", "county"), "东疆综保区管委会", None, id="bonded-zone-in-short"),
    # batch9 (m2-03): the opening first says what the year was; the street, a name three
    # counties share, starts the next sentence, inside the province the text names
    pytest.param("2024年是全面贯彻落实党的二十大精神的关键之年,也是西兴街道高质量发展的重要之年。西兴街道始终坚持以"
                 "习近平新时代中国特色社会主义思想为指导,建设平安西兴、法治西兴,深入学习贯彻习近平总书记考察浙江重要讲话精神。",
                 ("浙江省", "杭州市", "滨江区", "county"), "西兴街道", [TOWN_NOTE], id="street-after-the-years-framing"),
    pytest.param("2024年是全面贯彻落实党的二十大精神的关键之年。西兴街道始终坚持依法行政,建设法治西兴。",
                 ("", "", "", ""), "", ["region unknown"], id="shared-street-after-framing-no-place"),
    # batch18: a municipality's development zone as the subject under the city's leaders
    pytest.param("2021年,在市委、市政府的坚强领导下,北京经济技术开发区坚持以习近平法治思想为指导,坚决落实本市法治政府建设"
                 "相关决策部署。一年来,经开区扎实推进依法行政工作。现将情况报告如下:",
                 ("北京市", "", "北京经济技术开发区", "county"), "北京经济技术开发区管委会", None,
                 id="municipal-development-zone"),
]


@pytest.mark.parametrize("text, region, issuer, warnings", REGION_CASES)
def test_region_and_issuer(text, region, issuer, warnings):
    meta = meta_of(text)
    if region is not None:               # None: the case is about the issuer only
        assert (meta.province, meta.city, meta.county, meta.level) == region
    assert meta.issuer == issuer
    if warnings is not None:
        assert meta.warnings == warnings


# batch16: a district two cities share (朝阳区: 北京市, 长春市), told apart by the breadcrumb the
# cleaner drops; a breadcrumb never gives a place the report does not name itself. (Read as a
# saved page: raw text, then cleaned.)
@pytest.mark.parametrize("raw, region, issuer, warnings", [
    pytest.param("当前位置: 首页>>政务公开>>北京市朝阳区法治政府建设年度情况报告\n\n朝阳区人民政府2021年法治政府建设年度情况报告\n"
                 "日期:2022-03-22 15:56 来源:朝阳区政府\n2021年,朝阳区政府认真贯彻习近平法治思想,深入推进依法行政。",
                 ("北京市", "", "朝阳区", "county"), "朝阳区人民政府", [TRAIL_NOTE], id="namesake-told-apart-by-breadcrumb"),
    pytest.param("朝阳区人民政府2021年法治政府建设年度情况报告\n2021年,朝阳区政府认真贯彻习近平法治思想,深入推进依法行政。",
                 ("", "", "", ""), "朝阳区人民政府", ["region ambiguous: 朝阳区 in 北京市, 长春市"], id="namesake-without-breadcrumb"),
    pytest.param("当前位置: 首页>>北京市>>政务公开\n某某街道2021年法治政府建设年度情况报告\n2021年,街道坚持依法行政。",
                 ("", "", "", ""), "某某街道", ["region unknown"], id="breadcrumb-alone-gives-no-place"),
])
def test_region_of_a_page_with_its_breadcrumb(raw, region, issuer, warnings):
    meta = extract_metadata(raw, clean_text(raw))
    assert ((meta.province, meta.city, meta.county, meta.level), meta.issuer, meta.warnings) == (
        region, issuer, warnings)


@pytest.mark.parametrize("text, codes", [
    ("忻府区2022年度法治政府建设工作报告\n按照安排部署，现报告如下。", ("140000", "140900", "140902")),
    ("北京市朝阳区2021年法治政府建设情况报告\n2021年，区政府坚持依法行政。", ("110000", "", "110105")),
    ("襄樊市司法局2009年依法行政工作报告\n2009年，市司法局认真贯彻落实。", ("420000", "420600", "")),
    ("莱芜市2017年法治政府建设情况报告\n2017年，莱芜市深入推进依法行政。", ("370000", "371200", "")),
    ("莱芜区2020年法治政府建设情况报告\n2020年，莱芜区深入推进依法行政。", ("370000", "370100", "370116")),
    ("晋城市城区人民政府2023年法治政府建设情况报告\n2023年，区政府坚持依法行政。",
     ("140000", "140500", "140502")),
    ("泸县司法局2022年法治政府建设情况报告\n2022年，县司法局坚持依法行政。", ("510000", "510500", "510521")),
])
def test_region_codes(text, codes):
    meta = meta_of(text)
    assert (meta.province_code, meta.city_code, meta.county_code) == codes


@pytest.mark.parametrize("issuer, year, title", [
    ("新余市行政审批局", 2024, "新余市行政审批局2024年度法治政府建设情况报告（标题为推断）"),
    ("伊春市司法局", None, "伊春市司法局法治政府建设情况报告（标题为推断）"),
    ("", 2022, "2022年度法治政府建设情况报告（标题为推断）"),
])
def test_derive_title(issuer, year, title):
    assert derive_title(issuer, year) == title


# --- corrections -----------------------------------------------------------------------------

XINFU = "忻府区2022年度法治政府建设工作报告\n按照省市关于开展法治政府建设工作的安排部署，现报告如下。"
UNKNOWN = "2022年，我局坚持依法行政，取得了成效。"


@pytest.mark.parametrize("text, corrections, expected", [
    (UNKNOWN, {"county": "忻府区"},
     dict(province="山西省", province_code="140000", city="忻州市", city_code="140900",
          county="忻府区", county_code="140902", level="county")),
    (UNKNOWN, {"county": "140902"}, dict(county="忻府区", city="忻州市", level="county")),
    (UNKNOWN, {"city": "苏州"},
     dict(province="江苏省", province_code="320000", city="苏州市", city_code="320500",
          county="", county_code="", level="city")),
    (UNKNOWN, {"province": "山西"}, dict(province="山西省", province_code="140000", level="province")),
    (UNKNOWN, {"county": "朝阳区", "city": "长春市"},
     dict(province="吉林省", city="长春市", county="朝阳区", county_code="220104", level="county")),
    (UNKNOWN, {"county": "朝阳区", "province": "北京"},
     dict(province="北京市", city="", county_code="110105", level="county")),
    (UNKNOWN, {"year": 2009, "city": "襄樊市"},
     dict(year=2009, year_source="manual", city="襄樊市", city_code="420600", province="湖北省")),
    # a correction of a higher level keeps the lower ones that fit, clears the others
    (XINFU, {"province": "山西省"}, dict(county="忻府区", city="忻州市", level="county")),
    (XINFU, {"city": "忻州"}, dict(county="忻府区", level="county")),
    (XINFU, {"province": "江苏省"}, dict(province="江苏省", city="", county="", level="province")),
    (XINFU, {"county": ""}, dict(province="山西省", city="忻州市", county="", county_code="",
                                 level="city")),
    (XINFU, {"city": ""}, dict(province="山西省", city="", county="", level="province")),
    (XINFU, {"province": ""}, dict(province="", province_code="", city="", county="", level="")),
    # unknown or ambiguous names are kept as given, without codes, with a warning
    (UNKNOWN, {"county": "朝阳区"},
     dict(county="朝阳区", county_code="",
          warnings=["region unknown", "correction: county '朝阳区' is unknown or ambiguous"])),
    (UNKNOWN, {"city": "不存在市"}, dict(city="不存在市", city_code="")),
])
def test_apply_corrections_region(text, corrections, expected):
    meta = apply_corrections(meta_of(text), corrections)
    for key, value in expected.items():
        assert getattr(meta, key) == value, key


@pytest.mark.parametrize("corrections, expected", [
    ({"title": "伊春市营商环境建设监督局2023年法治政府建设报告"},
     dict(title="伊春市营商环境建设监督局2023年法治政府建设报告", title_derived=False,
          display_title="伊春市营商环境建设监督局2023年法治政府建设报告")),
    ({"year": 2022}, dict(year=2022, year_source="manual",
                          display_title="伊春市营商环境建设监督局2022年度法治政府建设情况报告（标题为推断）")),
    ({"issuer": "伊春市人民政府"},
     dict(issuer="伊春市人民政府",
          display_title="伊春市人民政府2023年度法治政府建设情况报告（标题为推断）")),
    ({"published": "2024-01-15"}, dict(published="2024-01-15")),
    ({"published": None}, dict(published=None)),
    ({}, dict(city="伊春市", year=2023, year_source="opening")),
])
def test_apply_corrections_fields(corrections, expected):
    original = sample_meta("001")
    before = original.to_dict()
    meta = apply_corrections(original, corrections)
    for key, value in expected.items():
        assert getattr(meta, key) == value, key
    assert original.to_dict() == before          # the extracted metadata is not changed


# --- publication dates as real report pages state them ---------------------------------------

@pytest.mark.parametrize("raw, date", [
    # a date line with no label right under the title
    ("某某省人民政府2024年度法治政府建设工作情况\n  • 2025年03月19日 09时07分\n  • 来源: 司法厅\n"
     "2024年,省政府坚持依法行政。", "2025-03-19"),
    ("某某区2020年法治政府建设工作报告\n\n2020-12-22 11:50\n发文单位\n区人民政府\n发文日期\n2020-12-03 10:00\n"
     "按照中央部署,我区对2020年法治政府建设工作情况进行了自查。", "2020-12-22"),   # beats 发文日期
    ("【政策解读】关于《某某县2023年度法治政府建设工作总结的报告》的政策解读\n\n某某县人民政府 2024年01月08日\n"
     "按照省市要求,现解读如下:", "2024-01-08"),
    ("某某市人民政府2015年度依法行政工作报告\n\n05.02.2016  10:17\n\n2015年,我市深入推进依法行政。",
     "2016-02-05"),                                                          # a mirror's day first
    ("某某省人民政府关于2024年度法治政府建设情况的报告\n\nEnglish title (machine-translated)\n"
     "Report on the 2024 Government Governance by Rule of Law.\nPublished\n2025-03-27\n", "2025-03-27"),
    ("福田区人民政府2024年法治政府建设年度报告\n信息提供日期 : 2025-02-12 17:44来源 : 福田区政府办公室\n"
     "2024年,福田区坚持依法行政。", "2025-02-12"),
    ("| [ 成文日期 ] | 2026-01-30 | [ 发布日期 ] | 2026-02-25 |\n某某局关于2025年法治政府建设情况的报告\n"
     "2025年,市局坚持依法行政。", "2026-02-25"),                              # the disclosure table
    ("某某市人民政府2022年法治政府建设情况报告\n2023-03-31 17:05:00 来源: 某某市司法局 打印\n"
     "2022年,我市各级行政机关坚持依法行政。", "2023-03-31"),                 # the date, then 来源
    # 更新日期 (a real held-out page's label): the date when no 发布日期 is given, never over one
    ("某某县司法局2023年度法治政府建设情况报告\n更新日期：2024-03-05 阅读次数：128\n"
     "2023年,县司法局坚持依法行政。", "2024-03-05"),
    ("某某县司法局2023年度法治政府建设情况报告\n发布日期：2024-03-01 更新日期：2024-06-05\n"
     "2023年,县司法局坚持依法行政。", "2024-03-01"),
    # never a date banner of the hosting site, above the title or anywhere
    ("今天是:2019年10月31日 星期三 农历十月初七\n天津市某某区人民政府 2019年12月3日星期二\n"
     "某某区2023年度法治政府建设情况报告\n2023年,某某区坚持依法行政。", None),
    ("某某区2023年度法治政府建设情况报告\n2023年,区政府于2023年3月1日召开常务会议,研究法治政府建设。", None),
    # a mirror that glosses characters with pinyin, inside the label too
    ("某某自治區(qū)人民政府關(guān)于2021年度法治政府建設(shè)情況的報(bào)告\n\n發(fā)布日期:2022-03-28 18:04\n分享到:\n"
     "2021年,自治區(qū)人民政府堅(jiān)持依法行政。", "2022-03-28"),
    # fresh1 batch: a stamp naming the site after the time, a 时间 label glued to the 来源 value,
    # a date glued to an empty 来源 label above an untitled opening, a stamp above the title
    ("某省2024年度法治政府建设情况报告\n\n2025-04-27 10:14 某省人民政府网\n\n2024年,某省坚持依法行政。",
     "2025-04-27"),
    ("某某区2023年法治政府建设情况报告\n\n来源:某某区司法局时间:2024-02-28\n\n2023年,某某区坚持依法行政。",
     "2024-02-28"),
    ("站群导航\n\nAQI\n\n• 轻度污染\n• 中度污染\n\n2024-03-15来源:\n\n"
     "2023年,某省人民政府坚持以习近平新时代中国特色社会主义思想为指导,推动法治政府建设实现新突破。", "2024-03-15"),
    ("某市人民政府 2020-05-12 09:01:00\n某市人民政府文件\n某政函〔2020〕103号\n某市人民政府\n"
     "关于2019年度全市法治政府\n建设考核结果的通报\n各县(市)区人民政府:\n按照考核办法要求,现将考核结果通报如下:",
     "2020-05-12"),
    ("某某县2023年度法治政府建设情况报告\n2023年12月3日 星期日\n2023年,某某县坚持依法行政。", None),
    # the generator's cover letters (bench/sources.py): the sender's date above the title is the
    # report's, whether or not the sender's name is part of the title
    ("某政〔2021〕53号\n中共某某市委:\n现将2020年度法治政府建设情况报告呈上,请审阅。\n某某市人民政府\n"
     "2021年1月2日\n某某市住房和城乡建设局2020年法治政府建设年度报告\n2020年,市住建局坚持依法行政。",
     "2021-01-02"),
    ("某政〔2021〕53号\n中共某某市委:\n现将2020年度法治政府建设情况报告呈上,请审阅。\n某某市人民政府\n"
     "2021年1月2日\n某某市人民政府2020年法治政府建设年度报告\n2020年,市政府坚持依法行政。", "2021-01-02"),
    ("某某市人民政府\n2021年1月2日 星期六\n某某市2020年法治政府建设年度报告\n2020年,市政府坚持依法行政。", None),
    # fresh3 batch: bulleted dates of a portal's metadata list above the title (no time, but a
    # list item is never a banner); a report delivered to a session, its day under the title;
    # a newspaper's repost naming its source before the date
    ("• 115000000000000000/2024-00011\n• 法制\n• 2024-03-22\n\n某某区2023年法治政府建设工作报告\n\n"
     "2023年,在区委的坚强领导下,区政府坚持依法行政,推动法治政府建设取得明显进展和成效。", "2024-03-22"),
    ("某某市人民政府关于法治政府建设情况的报告\n(2024年5月28日在市某届人大常委会第九次会议上)\n"
     "市人大常委会:\n按照工作安排,现就法治政府建设情况报告如下。", "2024-05-28"),
    # batch21: the same day with no brackets, wrapped over two lines
    ("某某旗人民政府2024年度法治政府建设情况报告\n2025年3月17日在某某旗第十六届人民代表大会\n"
     "常务委员会第二十四次会议上\n主任、各位副主任、委员:\n根据会议安排,现将我旗2024年法治政府建设情况报告如下:",
     "2025-03-17"),
    ("2023年法治政府建设工作年度报告\n政策法规科 2023-12-29\n\n某某市人力资源和社会保障局\n\n"
     "2023年法治政府建设工作年度报告\n\n2023年,我局坚持依法行政,依法行政能力水平显著提升。现就有关情况汇报如下。",
     "2023-12-29"),
    ("某某旗人民政府2024年度法治政府建设情况报告\n2025年3月17日在某某旗召开的全旗法治建设工作推进会议上,"
     "旗长作了部署。\n2024年,旗政府坚持依法行政,推动法治政府建设取得新进展、新成效,现将有关情况报告如下。", None),
    ("某某省人民政府关于2025年法治政府建设情况的报告\n\n来源:某某日报 2026-03-16 08:15\n\n"
     "2025年,省政府坚持依法行政。", "2026-03-16"),
    ("某某区2023年法治政府建设情况报告\n(2023年在区委的领导下全区推进法治建设)\n2023年,区政府坚持依法行政。", None),
    # batch8: a portal's list with 成文日期 and 发文日期 and no 发布日期: the day it was sent out
    ("当前位置:首页> 政务公开> 最新文件\n名  称: 2023年某某开发区法治政府建设情况报告\n索引号: 8080-11018-2024-00003\n"
     "发布机构: 某某开发区\n成文日期: 2023-12-31\n发文日期: 2024-01-02\n有效性: 有效\n"
     "2023年某某开发区管委会坚持依法行政。", "2024-01-02"),
    # batch8: the 发文字号 glued before the title on its line; the date two lines under it
    ("#\n某政发〔2021〕1号某某县2020年度法治政府建设情况报告\n\n政府办文书科\n\n2021-01-05\n\n"
     "2020年在市委、市政府的正确领导下,我县坚持依法行政。", "2021-01-05"),
    # new batch A–D: the date printed after the title on its line
    ("2024年某某市司法局法治政府建设情况报告 (2025-03-26)\n\n2024年,市司法局坚持依法行政。", "2025-03-26"),
    ("2024年度某某街道法治政府建设工作报告 2024-12-12\n\n区法治政府建设工作领导小组办公室:\n"
     "2024年,某某街道法治政府建设坚持以习近平法治思想为指导。", "2024-12-12"),
    ("某某区2023年度法治政府建设情况报告2023\n2023年,区政府坚持依法行政。", None),
    # a portal's list gives the 公文生成日期 (written); the 时间 under the title is the publication
    ("• 索 引 号:QZ02101-3000-2026-00011\n• 备注/文号:某政综〔2026〕2号\n• 发布机构:区人民政府办公室\n"
     "• 公文生成日期:2026-01-08\n某某区人民政府关于2025年度法治政府建设工作情况的报告\n时间:2026-01-09 09:36\n"
     "市政府:\n2025年,某某区人民政府坚持依法行政。", "2026-01-09"),
    ("• 索 引 号:QZ04101-0105-2025-00010\n• 备注/文号:某政函〔2025〕4号\n• 发布机构:某某区人民政府\n"
     "• 公文生成日期:2025-01-21\n某某区人民政府关于2024年法治政府建设情况的报告\n"
     "来源:某某区人民政府 时间:2025-02-10 16:03\n区人大常委会:\n2024年,我区坚持依法行政。", "2025-02-10"),
    ("某某区人民政府某某街道办事处2021年法治政府建设情况报告\n\n发布机构:某某街道办事处日期:2022-02-15 11:47\n"
     "2021年,在区委、区政府的正确领导下,某某街道坚持依法行政。", "2022-02-15"),
    ("某某路街道2022年度法治政府建设 工作情况报告 2023-02-09\n\n某某路街道2022年度法治政府建设\n\n工作情况报告\n\n"
     "2022年,某某路街道坚持依法行政。", "2023-02-09"),
    # batch11: 发表日期, the label some portals use
    ("某某镇2024年法治政府建设工作总结\n\n发表日期:2025-01-23    文章来源:某某市某某镇人民政府\n\n"
     "2024年度,某某镇人民政府坚持依法行政。", "2025-01-23"),
    # batch10: a portal's bulleted list lost its labels (成文日期, 发布日期): the later date
    ("• 115999999/2022-00038\n• 法制\n• 其他\n• 某某区司法局\n• 2020-03-12\n• 2020-03-14\n\n"
     "某某区司法局2019年度法治政府建设情况的报告\n\n2019年,某某区司法局坚持依法行政。", "2020-03-14"),
    ("• 115999999/2022-00038\n• 某某区司法局\n• 2020-03-14\n\n"
     "某某区司法局2019年度法治政府建设情况的报告\n\n2019年,某某区司法局坚持依法行政。", "2020-03-14"),
    # batch15: a mirror's byline of site names, the stamp and a comment link; its own
    # disclosure list's 发布时间 is empty
    ("某某省政府关于2017年度法治政府建设情况的报告\n\n某法规网 佚名\n某法规网 某某政府网  某法规网 2018-04-12 17:22:43  评论()\n\n"
     "文件名称:某某省政府关于2017年度法治政府建设情况的报告\n\n文件编号:\n\n发布时间:\n\n实施时间:\n\n"
     "2017年,在党中央、国务院和省委的正确领导下,省政府坚持依法行政。", "2018-04-12"),
    # batch17: a slogan banner as a list item above the column and the title; the page's date in
    # brackets under the title
    ("• 高举中国特色社会主义伟大旗帜,全面贯彻习近平新时代中国特色社会主义思想,为全面建设社会主义现代化国家而团结奋斗。\n\n"
     "工作信息\n\n某某市司法局关于2023年法治政府建设情况的报告\n\n(2024-03-01)\n\n"
     "2023年,市司法局在市委、市政府的坚强领导下,纵深推进法治政府建设。", "2024-03-01"),
])
def test_published_on_real_page_shapes(raw, date):
    assert extract_metadata(raw, clean_text(raw)).published == date


def test_a_dashed_disclosure_list_gives_the_bare_number():
    """batch13: every label and value of the list after a dash (- 文号: / - 某建〔2022〕4号)."""
    raw = ("- 索引号:\n- 113310810026792569/2022-00223\n- 公开方式:\n- 主动公开\n- 文号:\n- 某建〔2022〕4号\n"
           "- 成文日期:\n- 2022-01-10\n- 发布单位:\n- 某某市住房和城乡建设局\n"
           "某某市住房和城乡建设局2021年度法治政府建设工作报告\n2021年,市住房和城乡建设局坚持依法行政。")
    meta = extract_metadata(raw, clean_text(raw))
    assert (meta.doc_number, meta.published) == ("某建〔2022〕4号", "2022-01-10")


@pytest.mark.parametrize("text, number", [
    ("某省卫生健康委关于2023年度法治政府建设情况的报告\n某卫〔2024〕3号\n省委、省政府:\n"
     "现呈送我委2023年度法治政府建设情况报告,请审阅。", "某卫〔2024〕3号"),
    ("某政办[2020]20号\n某县人民政府办公室\n关于印发某县2020年度法治政府建设工作安排的通知", "某政办[2020]20号"),
    ("2023年,我县按照某政发〔2023〕5号文件要求坚持依法行政。", ""),      # cited in a sentence
    ("某省市场监督管理局2020年度法治政府建设工作总结(某市監〔2021〕18號)\n2020年,省局坚持依法行政。",
     "某市監〔2021〕18號"),                                            # in brackets after the title
    ("某市人民政府關於2016年度法治政府建設情況的報告\n某政呈〔2017〕3號 簽發人:某某某\n某某省人民政府:\n"
     "2016年,我市認真貫徹落實。", "某政呈〔2017〕3號"),                  # 签发人 on the number's line
])
def test_doc_number_on_a_line_of_its_own(text, number):
    assert meta_of(text).doc_number == number
