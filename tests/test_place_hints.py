"""indexer.place_hints and the level rules taught by real department, street and zone pages.

Each case is constructed (not copied) to reproduce one pattern found on real report pages, with
the metadata it must give: a report that names its place only in its campaign's name (法治弋阳),
only in the publishing body's credit code, or as a bare zone kind under its city; a street's or
town's report; a county report that names its superior first (在市委、市政府…领导下，我县…).
"""
from __future__ import annotations

import pytest

from indexer import place_hints
from indexer.clean import clean_text
from indexer.metadata import extract_metadata
from search import regions


def meta_of(text: str):
    return extract_metadata(text, clean_text(text))


def region(meta) -> tuple[str, str, str, str]:
    return meta.province, meta.city, meta.county, meta.level


@pytest.mark.parametrize("text, expected", [
    pytest.param("2023年,在市委、市政府的坚强领导下,我县坚持依法治县,法治弋阳、法治政府一体建设。"
                 "现将我县2023年法治政府建设工作情况报告如下。\n一、主要工作\n"
                 "印发了《上饶市法治政府建设考核办法》。",
                 ("江西省", "上饶市", "弋阳县", "county"), id="campaign-names-the-county"),
    pytest.param("2021年,司法厅坚持依法行政,为建设更高水平的平安四川、法治四川提供有力保障。\n"
                 "一、坚持党的领导", ("四川省", "", "", "province"), id="campaign-names-the-province"),
    pytest.param("区政府常务会议议题解读:关于2023年度法治建设工作情况的汇报\n11370105MB279780XD/2023-6537798\n"
                 "为做好考核工作,区司法局认真梳理总结本年度法治建设工作。\n"
                 "根据《济南市法治建设考核评价办法》等相关要求。",
                 ("山东省", "济南市", "天桥区", "county"), id="credit-code-under-the-title"),
    pytest.param("2021年以来,市司法局坚持以习近平新时代中国特色社会主义思想为指导,努力打造一流法治政府,"
                 "助力深圳获评全国法治政府建设示范市。\n一、学习贯彻习近平总书记对广东系列重要讲话精神",
                 ("广东省", "深圳市", "", "city"), id="one-city-of-the-province-named-in-passing"),
    pytest.param("2021年以来,市司法局坚持依法行政,学习深圳、广州的经验。\n一、学习贯彻习近平总书记对广东系列重要讲话精神",
                 ("广东省", "", "", "province"), id="two-cities-named-nothing-guessed"),
    pytest.param("吉林省关于2015年度法治政府建设工作情况的报告\n2015年,吉林省人民政府坚持依法行政。"
                 "目前我区又有180名行政执法人员通过考试。", ("吉林省", "", "", "province"),
                 id="province-name-is-no-mention-of-its-namesake-city"),   # found by the generator
    pytest.param("关于深入推进依法行政加快建设法治政府的实施意见\n桂政发〔2015〕2号\n"
                 "各市、县人民政府,自治区农垦局,自治区人民政府各组成部门:\n"
                 "2004年以来,全区各级人民政府及其部门在自治区党委的正确领导下,坚持依法行政。",
                 ("广西壮族自治区", "", "", "province"), id="provincial-doc-number-abbreviation"),
    pytest.param("- 索 引 号:370402/2022-00029\n- 主题分类:法治政府建设\n- 发布机构:人力资源和社会保障局\n"
                 "- 标 题:市中区人力资源和社会保障局2021年度法治政府建设情况报告\n"
                 "市中区人力资源和社会保障局2021年度法治政府建设情况报告\n"
                 "2021年以来,区人社局在区委、区政府正确领导下,深入推进依法行政。",
                 ("山东省", "枣庄市", "市中区", "county"), id="index-number-picks-one-of-four-市中区"),
    pytest.param("2023年,高新区综治局在区党工委、区管委会的正确领导下,推动法治政府建设。"
                 "高新区平安珠海建设考评获得优秀等次。\n一、统筹推进",
                 ("广东省", "珠海市", "珠海高新区", "county"), id="bare-zone-kind-under-its-city"),
    pytest.param("2023年,四季青街道在区委区政府的坚强领导下,扎实推进法治政府建设。\n一、主要举措\n"
                 "制定了《杭州市上城区四季青街道议事规则》。",
                 ("浙江省", "杭州市", "上城区", "county"), id="street-report-is-its-countys"),
    pytest.param("2023年,省政府深入学习贯彻习近平法治思想,贯通落实习近平总书记历次来陕考察重要讲话重要指示,"
                 "深入推进法治政府建设。\n一、加强组织领导", ("陕西省", "", "", "province"),
                 id="visit-names-the-province"),
    pytest.param("2024年,在市委、市政府的坚强领导下,滨海湾新区坚持以习近平新时代中国特色社会主义思想为指导,"
                 "在法治轨道上推动新区高质量发展。\n一、工作情况", ("广东省", "东莞市", "滨海湾新区", "county"),
                 id="zone-of-the-table-by-its-name"),
    pytest.param("天津滨海高新区2023年度法治政府建设情况报告\n2023年,滨海高新区坚持依法行政。",
                 ("天津市", "", "天津滨海高新区", "county"), id="zone-of-a-municipality-table"),
    pytest.param("——积极接受司法监督。区政府坚持把府院联动作为推进法治政府建设的重要抓手,会同区检察院推进"
                 "行政争议实质性化解,为全省“长期未结破产案件化解”提供锦江经验。网络问政四川平台办结率100%。",
                 ("四川省", "成都市", "锦江区", "county"), id="experience-offered-names-the-district"),
])
def test_region_from_second_rank_clues(text, expected):
    assert region(meta_of(text)) == expected


def test_a_provincial_campaign_never_overrides_the_county():
    text = ("2022年,我县坚持依法行政,纪念法治浙江建设十五周年。象山县司法局牵头推进。\n一、主要工作")
    assert region(meta_of(text)) == ("浙江省", "宁波市", "象山县", "county")


def test_a_visit_abbreviation_never_beats_a_named_place():
    text = "2023年,我县坚持依法行政,总书记来陕考察重要讲话精神。弋阳县司法局牵头。\n一、主要工作"
    assert region(meta_of(text))[:3] == ("江西省", "上饶市", "弋阳县")


def test_refine_never_goes_deeper_than_the_level_named():
    city = regions.find("济南市")[0]
    text = "11370105MB279780XD/2023-6537798\n市司法局2023年法治政府建设情况报告"
    assert place_hints.refine(city, "city", "", text, 2023) == city
    assert place_hints.refine(city, "county", "", text, 2023).name == "天桥区"


@pytest.mark.parametrize("text, code", [
    ("索引号:11620300013909010R/2025-48086", "620300"),     # 机关 credit code in the 索引号
    ("索 引 号:6107280000/2024-001005", "610728"),            # 索引号 opening with the code
    ("统一社会信用代码 91110108MA01XXXX0X", None),               # a company's code is no body
])
def test_codes_in_the_page(text, code):
    found = place_hints._code_places(text, None)
    assert (found[0].code if found else None) == code
