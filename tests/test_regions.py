"""search.regions: the division table as a lookup library (names, years, duplicates, scanning)."""
from __future__ import annotations


import pytest

from search import regions
from search.analysis import normalize
from search.regions import Ambiguous, Division, Mention


def codes(divisions) -> list[str]:
    return [d.code for d in divisions]


def test_table_loads_once():
    regions._table.cache_clear()
    table = regions._table()
    assert regions._table() is table
    assert len(table.by_code) > 3000


@pytest.mark.parametrize("name, short", [
    ("山西省", "山西"),
    ("北京市", "北京"),
    ("新疆维吾尔自治区", "新疆"),
    ("广西壮族自治区", "广西"),
    ("宁夏回族自治区", "宁夏"),
    ("内蒙古自治区", "内蒙古"),
    ("西藏自治区", "西藏"),
    ("香港特别行政区", "香港"),
    ("延边朝鲜族自治州", "延边"),
    ("伊犁哈萨克自治州", "伊犁"),
    ("锡林郭勒盟", "锡林郭勒"),
    ("莫力达瓦达斡尔族自治旗", "莫力达瓦"),
    ("积石山保安族东乡族撒拉族自治县", "积石山"),
    ("龙胜各族自治县", "龙胜"),
    ("大兴安岭地区", "大兴安岭"),
    ("神农架林区", "神农架"),
    ("浦东新区", "浦东"),
    ("忻府区", "忻府"),
    ("伊春市", "伊春"),
    ("延边州", "延边"),
    ("城区", "城区"),      # nothing sensible left: the name stays
    ("和县", "和县"),
    ("苏州", "苏州"),
])
def test_short_name(name, short):
    assert regions.short_name(name) == short


@pytest.mark.parametrize("query, year, expected", [
    ("忻府区", None, ["140902"]),
    ("忻府", None, ["140902"]),
    ("山西", None, ["140000"]),
    ("山西省", None, ["140000"]),
    ("伊春", None, ["230700"]),
    ("新余", None, ["360500"]),
    ("新餘市", None, ["360500"]),               # traditional script
    ("苏州", None, ["320500"]),
    ("新疆自治区", None, ["650000"]),
    ("延边", None, ["222400"]),
    ("锡林郭勒", None, ["152500"]),
    ("朝阳区", None, ["110105", "220104"]),
    ("鼓楼区", None, ["320106", "320302", "350102", "410204"]),
    ("吉林", None, ["220000", "220200"]),      # province before city
    ("忻州市", None, ["140900"]),              # the retired county-level 忻州市 is left out
    ("襄樊", 2009, ["420600"]),
    ("襄樊市", 2015, []),
    ("襄阳市", 2015, ["420600"]),
    ("莱芜市", 2017, ["371200"]),
    ("莱芜市", 2020, []),
    ("莱芜", 2020, ["370116"]),
    ("伊春区", 2015, ["230702"]),
    ("伊美区", 2015, []),
    ("伊春", 2015, ["230700", "230702"]),
    ("襄樊市", None, ["420600"]),               # only retired ones: those are returned
    ("不存在区", None, []),
    ("乾县", None, ["610424"]),                # normalize reads 乾 as 干: the index does too
    ("乾安县", None, ["220723"]),
])
def test_find(query, year, expected):
    assert codes(regions.find(query, year)) == expected


@pytest.mark.parametrize("query, year, name", [
    ("襄樊", 2009, "襄樊市"),
    ("襄阳", 2015, "襄阳市"),
    ("莱芜", 2017, "莱芜市"),
    ("莱芜", 2020, "莱芜区"),
])
def test_find_keeps_the_name_of_the_year(query, year, name):
    assert [d.name for d in regions.find(query, year)] == [name]


def test_find_takes_names_not_codes():
    assert regions.find("420600") == []


@pytest.mark.parametrize("name, fields", [
    ("山西省", dict(level="province", province="山西省", province_code="140000",
                    city=None, city_code=None, end=None)),
    ("伊春市", dict(level="city", province="黑龙江省", province_code="230000",
                    city="伊春市", city_code="230700")),
    ("忻府区", dict(level="county", province="山西省", city="忻州市", city_code="140900",
                    start=2000)),
    # municipality rule: province 北京市, no city, the district is the county
    ("东城区", dict(level="county", province="北京市", province_code="110000",
                    city=None, city_code=None)),
    # a county-level city directly under a province has no city either
    ("济源市", dict(level="county", province="河南省", city=None, city_code=None)),
    ("莫力达瓦达斡尔族自治旗", dict(level="county", province="内蒙古自治区", city="呼伦贝尔市")),
    ("襄樊市", dict(level="city", start=1981, end=2010, name="襄樊市")),
])
def test_division_fields(name, fields):
    (division,) = regions.find(name)
    assert isinstance(division, Division)
    for key, value in fields.items():
        assert getattr(division, key) == value, key


def test_division_is_frozen_and_knows_its_years():
    (division,) = regions.find("襄樊市")
    with pytest.raises(AttributeError):
        division.name = "x"
    assert division.valid_in(2009) and not division.valid_in(2010)
    assert not division.in_use


@pytest.mark.parametrize("value, code", [
    ("山西", "140000"),
    ("山西省", "140000"),
    (" 山西省 ", "140000"),
    ("140000", "140000"),
    ("新疆", "650000"),
    ("广西壮族自治区", "450000"),
    ("廣西", "450000"),
    ("北京", "110000"),
    ("内蒙古", "150000"),
    ("140900", None),     # a city's code is no province
    ("14", None),
    ("苏州", None),
    ("", None),
    ("山西省太原", None),
])
def test_resolve_province(value, code):
    found = regions.resolve_province(value)
    assert (found.code if found else None) == code


@pytest.mark.parametrize("name, year, context, expected", [
    ("朝阳区", None, "", {"110105", "220104"}),
    ("朝阳区", None, "长春市", "220104"),
    ("朝阳区", None, "吉林省长春市", "220104"),
    ("朝阳区", None, "北京市", "110105"),
    ("朝阳区", None, "北京", "110105"),
    ("朝阳区", None, "学习北京和长春的经验", {"110105", "220104"}),
    ("鼓楼区", None, "徐州市", "320302"),
    ("鼓楼区", None, "开封", "410204"),
    ("鼓楼区", None, "福建省", "350102"),
    ("鼓楼区", None, "江苏省", {"320106", "320302"}),
    ("通州区", None, "南通", "320612"),
    ("通州区", None, "北京市", "110112"),
    ("伊春", 2015, "", "230700"),              # a short name means the city, not 伊春区
    ("伊春区", 2020, "", "230702"),            # retired in 2019: its last record
    ("襄樊市", 2009, "", "420600"),
    ("襄阳市", 2015, "", "420600"),
    ("莱芜市", 2017, "", "371200"),
    ("莱芜市", 2020, "", "371200"),            # used out of its years: still that division
    ("莱芜区", 2020, "", "370116"),
    ("吉林", None, "", "220000"),
    ("新余", None, "", "360500"),
    ("不存在县", None, "", None),
])
def test_resolve_place(name, year, context, expected):
    found = regions.resolve_place(name, year, context)
    if isinstance(expected, set):
        assert isinstance(found, Ambiguous)
        assert set(codes(found.candidates)) == expected
    elif expected is None:
        assert found is None
    else:
        assert isinstance(found, Division) and found.code == expected


@pytest.mark.parametrize("name, year, expected_name", [
    ("襄樊市", 2009, "襄樊市"),
    ("襄阳市", 2015, "襄阳市"),
])
def test_resolve_place_keeps_historical_names(name, year, expected_name):
    assert regions.resolve_place(name, year).name == expected_name


@pytest.mark.parametrize("name, context, text", [
    ("朝阳区", "", "朝阳区 in 北京市, 长春市"),
    ("鼓楼区", "江苏省", "鼓楼区 in 南京市, 徐州市"),
])
def test_ambiguous_describe(name, context, text):
    found = regions.resolve_place(name, None, context)
    assert found.describe() == text


@pytest.mark.parametrize("name, year, current_code, current_name", [
    ("襄樊市", 2009, "420600", "襄阳市"),
    ("莱芜市", 2017, "370100", "济南市"),      # dissolved into 济南市 (莱芜区, 钢城区)
    ("忻州地区", 1990, "140900", "忻州市"),
    ("伊春区", 2015, "230717", "伊美区"),
    ("崇文区", 2000, "110101", "东城区"),
    ("忻府区", 2022, "140902", "忻府区"),      # in use: itself
])
def test_current(name, year, current_code, current_name):
    (division,) = [d for d in regions.find(name, year) if d.name == name]
    now = regions.current(division)
    assert (now.code, now.name) == (current_code, current_name)
    assert now.in_use


@pytest.mark.parametrize("code, year, successor_codes", [
    ("371202", 2017, ["370116"]),   # 莱城区 → 济南市莱芜区
    ("230702", 2015, ["230717"]),   # 伊春区 → 伊美区
    ("140902", 2022, []),           # in use
])
def test_successors(code, year, successor_codes):
    assert codes(regions.successors(regions.by_code(code, year))) == successor_codes


@pytest.mark.parametrize("name, level, expected", [
    ("忻府区", "city", "140900"),
    ("忻府区", "province", "140000"),
    ("忻府区", "county", "140902"),
    ("朝阳区", "city", None),        # 北京市朝阳区: no city level
    ("伊春市", "province", "230000"),
    ("山西省", "city", None),
])
def test_ancestor(name, level, expected):
    division = regions.find(name)[0]
    found = regions.ancestor(division, level)
    assert (found.code if found else None) == expected


@pytest.mark.parametrize("code, year, name", [
    ("420600", None, "襄阳市"),
    ("420600", 2009, "襄樊市"),
    ("140902", None, "忻府区"),
    ("999999", None, None),
    ("420600", 1970, None),
])
def test_by_code(code, year, name):
    found = regions.by_code(code, year)
    assert (found.name if found else None) == name


@pytest.mark.parametrize("text, names", [
    ("伊春市营商环境建设监督局", ["伊春市"]),
    ("山西省忻州市忻府区", ["山西省", "忻州市", "忻府区"]),
    ("吉林省吉林市", ["吉林省", "吉林市"]),
    ("赴南京市鼓楼区学习", ["南京市", "鼓楼区"]),
    ("济南市区", ["济南市"]),
    ("大兴安岭地区", ["大兴安岭地区"]),
    ("新疆维吾尔自治区", ["新疆维吾尔自治区"]),
    ("廣西壯族自治區人民政府", ["广西壮族自治区"]),
    ("黑龙江伊春", ["黑龙江", "伊春"]),                      # a short name before another place
    ("信用中国(黑龙江伊春)网站", ["黑龙江", "伊春"]),
    ("建立“伊春茂名”跨省通办专区", ["伊春", "茂名"]),
    ("积极借鉴北京、上海、广州等先进地区", ["北京", "上海", "广州"]),
    ("苏州工业园区", ["苏州"]),
    ("新余高新区", ["新余"]),
    ("习近平总书记考察江西", ["江西"]),
    ("长治久安", []),                                        # short names inside words
    ("确定西部地区", []),
    ("更新余额", []),
    ("法治苏州先进集体", []),
    ("朝阳产业", []),
    ("文山会海", []),
    ("考察江西重要讲话精神", []),
    ("城区和郊区", []),                                      # 2-character names are words
    ("", []),
])
def test_places_in(text, names):
    assert [m.name for m in regions.places_in(text)] == names


# Two-character full names (黟县, 城区) are words or parts of words too often (相应县级, 中心城区):
# they count after their parent, or (county names only) heading a line before a body or a year.
@pytest.mark.parametrize("text, names", [
    ("安徽省黄山市黟县", ["安徽省", "黄山市", "黟县"]),
    ("黄山市黟县人民政府", ["黄山市", "黟县"]),
    ("安徽省黟县", ["安徽省", "黟县"]),                       # the province is a parent too
    ("河北省沧州市献县", ["河北省", "沧州市", "献县"]),
    ("四川省泸州市泸县", ["四川省", "泸州市", "泸县"]),
    ("泸州泸县人民政府", ["泸州", "泸县"]),                   # a short parent counts
    ("阿坝藏族羌族自治州茂县", ["阿坝藏族羌族自治州", "茂县"]),
    ("宝鸡市陇县", ["宝鸡市", "陇县"]),
    ("宜宾市珙县", ["宜宾市", "珙县"]),
    ("朔州市 应县", ["朔州市", "应县"]),
    ("忻州市代县2022年法治政府建设情况报告", ["忻州市", "代县"]),
    ("黟县人民政府", ["黟县"]),
    ("泸县司法局", ["泸县"]),
    ("代县行政审批局", ["代县"]),
    ("泗县人民政府办公室", ["泗县"]),
    ("茂县市场监督管理局", ["茂县"]),
    ("应县人民法院", ["应县"]),
    ("献县2022年法治政府建设情况报告", ["献县"]),
    ("2023年度陇县人民政府法治政府建设情况报告", ["陇县"]),
    ("【珙县人民政府】", ["珙县"]),
    ("黟县", ["黟县"]),                                       # a line that is only the name
    ("标题\n泸县人民政府关于2022年法治政府建设情况的报告", ["泸县"]),
    ("2022年法治政府建设情况报告\n黟县人民政府\n2023年1月5日", ["黟县"]),   # an issuer line
    ("应县政府要求，各部门加强协作", []),                     # a sentence: 应 "at the request of"
    ("应县人民政府邀请，专家组赴当地调研", []),
    ("相应县级人民政府", []),                                 # words that contain a name
    ("繁茂县域经济", []),
    ("推进现代县域治理", []),
    ("为经济发展作出贡献县委高度重视", []),
    ("省、市和县级人民政府", []),
    ("领导莅临县政府检查指导", []),
    ("学习泗县经验", []),                                     # running prose: not enough
    ("应县级以上人民政府", []),                               # 县级, 县域: the word, not the place
    ("山西省应县级以上政府", ["山西省"]),
    ("黄山市黟县城区", ["黄山市", "黟县"]),
    ("江西省应县", ["江西省"]),                               # 应县 is in 山西省
])
def test_places_in_two_character_counties(text, names):
    assert [m.name for m in regions.places_in(text)] == names


@pytest.mark.parametrize("text, names", [
    ("晋城市城区人民政府", ["晋城市", "城区"]),
    ("山西省阳泉市城区", ["山西省", "阳泉市", "城区"]),
    ("阳泉市郊区", ["阳泉市", "郊区"]),
    ("阳泉市矿区司法局", ["阳泉市", "矿区"]),
    ("汕尾市城区", ["汕尾市", "城区"]),
    ("长治市郊区", ["长治市", "郊区"]),                       # retired in 2018, still a division
    ("城区范围内", []),
    ("中心城区", []),
    ("晋城市中心城区", ["晋城市"]),
    ("城区人民政府", []),                                     # 城区, 郊区: only after the parent
    ("郊区管理局", []),
    ("太原市城区", ["太原市"]),                               # 太原市 has no district 城区
    ("济南市区", ["济南市"]),
    ("濮阳市区", ["濮阳市"]),                                 # 濮阳市市区 existed; 市 is read once
])
def test_places_in_districts_named_like_words(text, names):
    assert [m.name for m in regions.places_in(text)] == names


def _title_place(title: str, year: int | None):
    """The place a title names: its last place, told apart by its other places (as the indexer)."""
    mentions = regions.places_in(title)
    return regions.resolve_place(mentions[-1].name, year, " ".join(m.name for m in mentions))


@pytest.mark.parametrize("title, year, fields", [
    ("晋城市城区人民政府", 2023, dict(code="140502", name="城区", level="county", city="晋城市",
                                    city_code="140500", province="山西省")),
    ("阳泉市城区人民政府", 2023, dict(code="140302", name="城区", level="county", city="阳泉市",
                                    city_code="140300", province="山西省")),
    ("山西省阳泉市郊区", 2023, dict(code="140311", level="county", city="阳泉市")),
    ("阳泉市矿区", None, dict(code="140303", level="county", city="阳泉市")),
    ("汕尾市城区", 2023, dict(code="441502", level="county", province="广东省")),
    ("大同市城区", 2010, dict(code="140202", level="county", city="大同市")),
    ("安徽省黄山市黟县", 2022, dict(code="341023", name="黟县", level="county", city="黄山市",
                                  city_code="341000", province="安徽省")),
    ("黟县人民政府", 2022, dict(code="341023", level="county", city="黄山市")),
    ("泸县司法局", 2022, dict(code="510521", level="county", city="泸州市", province="四川省")),
    ("代县行政审批局", 2022, dict(code="140923", level="county", city="忻州市")),
    ("代县人民政府", 1995, dict(code="142225", level="county", city="忻州地区")),
    ("茂县人民政府", 2022, dict(code="513223", level="county", city="阿坝藏族羌族自治州")),
    ("马鞍山市和县", 2020, dict(code="340523", level="county", city="马鞍山市")),
])
def test_title_names_a_two_character_division(title, year, fields):
    found = _title_place(title, year)
    assert isinstance(found, Division)
    for key, value in fields.items():
        assert getattr(found, key) == value, key


def test_every_two_character_division_is_found_after_its_city():
    table = regions._table()
    divisions = [d for d in regions._records(range(len(table.rows))) if len(d.name) == 2]
    assert len(divisions) > 300 and {"黟县", "城区", "郊区", "矿区", "芒市"} <= table.bare
    for d in divisions:
        parent = d.city or d.province
        assert [m.name for m in regions.places_in(parent + d.name)][-1] == normalize(d.name), d
        if d.in_use:
            assert regions.resolve_place(d.name, None, parent).code == d.code, d


def test_bare_district_name_stays_ambiguous():
    found = regions.resolve_place("城区", 2023, "")
    assert isinstance(found, Ambiguous)
    assert set(codes(found.candidates)) == {"140302", "140502", "441502"}
    assert {d.level for d in found.candidates} == {"county"}


@pytest.mark.parametrize("text, expected", [
    ("在伊春市", [Mention(1, 4, "伊春市")]),
    ("赴新餘市", [Mention(1, 4, "新余市")]),          # offsets valid in the traditional text
    ("山西省山西省山西省", [Mention(0, 3, "山西省"), Mention(3, 6, "山西省"),
                          Mention(6, 9, "山西省")]),
])
def test_places_in_offsets(text, expected):
    found = regions.places_in(text)
    assert found == expected
    assert all(normalize(text[m.start:m.end]) == m.name for m in found)


def test_places_in_limit():
    assert len(regions.places_in("山西省" * 10, limit=6)) == 2


def test_places_in_scans_a_long_report(sample_corpus):
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(sample_corpus.glob("*.txt")))
    found = regions.places_in(text[:15000])
    assert len(found) > 30
    assert {"山西省", "伊春市", "新余市"} <= {m.name for m in found}


# --- functional zones and names found on real report pages -----------------------------------

@pytest.mark.parametrize("name, expected", [
    # (name as a report writes it) → (zone name, province, city): county level, no code
    ("苏州工业园区", ("苏州工业园区", "江苏省", "苏州市")),
    ("郑州航空港经济综合实验区", ("郑州航空港经济综合实验区", "河南省", "郑州市")),
    ("郑州航空港区", ("郑州航空港经济综合实验区", "河南省", "郑州市")),       # an alias
    ("成都高新区", ("成都高新区", "四川省", "成都市")),
    ("两江新区", ("两江新区", "重庆市", None)),                           # a municipality's zone
    ("泾河新城", ("泾河新城", "陕西省", "西安市")),
    ("广西-东盟经济技术开发区", ("广西-东盟经济技术开发区", "广西壮族自治区", "南宁市")),
    ("珠海高新区", ("珠海高新区", "广东省", "珠海市")),                   # <city>高新区, not listed
    ("新余经开区", ("新余经开区", "江西省", "新余市")),
    ("德阳市经济技术开发区", ("德阳市经济技术开发区", "四川省", "德阳市")),
    ("呼中区", ("呼中区", "黑龙江省", "大兴安岭地区")),     # a real held-out page: no division code
    ("加格达奇区", ("加格达奇区", "黑龙江省", "大兴安岭地区")),
    ("天津经济技术开发区", ("天津经济技术开发区", "天津市", None)),   # fresh3: zones of a municipality
    ("天津港保税区", ("天津港保税区", "天津市", None)),
    ("深圳市深汕特别合作区", ("深汕特别合作区", "广东省", "深圳市")),   # batch A–D: its city first
    ("苏州市苏州工业园区", ("苏州工业园区", "江苏省", "苏州市")),
    ("唐山芦台经济开发区", ("唐山芦台经济开发区", "河北省", "唐山市")),   # <city><name>经济开发区
    ("河北唐山芦台经济开发区", ("河北唐山芦台经济开发区", "河北省", "唐山市")),
    ("贵州双龙航空港经济区", ("贵州双龙航空港经济区", "贵州省", "贵阳市")),   # batch5: a provincial zone
    ("双龙航空港经济区", ("贵州双龙航空港经济区", "贵州省", "贵阳市")),
    ("郑东新区", ("郑东新区", "河南省", "郑州市")),                        # batch6
    ("东疆综保区", ("东疆综合保税区", "天津市", None)),                    # batch16: its own short name
    ("天津东疆保税港区", ("东疆综合保税区", "天津市", None)),              # its name before 2020
    ("北京经济技术开发区", ("北京经济技术开发区", "北京市", None)),        # batch18: 亦庄
    ("北京经开区", ("北京经济技术开发区", "北京市", None)),
])
def test_find_zone(name, expected):
    zone = regions.find_zone(name)
    assert (zone.name, zone.province, zone.city) == expected
    assert (zone.level, zone.code) == ("county", "")
    assert regions.is_zone(zone)


@pytest.mark.parametrize("name", ["浦东新区", "滨海新区", "南沙区", "某某高新区", "园区", "高新区", "",
                                  "北京市深汕特别合作区", "北京唐山芦台经济开发区"])   # not its parent
def test_not_a_zone(name):
    assert regions.find_zone(name) is None          # real divisions and bare words are no zones


def test_zones_in_text():
    text = "2023年,园区坚持《苏州工业园区法治政府建设实施方案》,学习珠海高新区、两江新区经验。"
    assert [m.name for m in regions.zones_in(text)] == ["苏州工业园区", "珠海高新区", "两江新区"]


@pytest.mark.parametrize("name, code", [
    ("阿坝州", "513200"),            # 自治州 short form used in titles: 阿坝州2021年…报告
    ("红河州", "532500"),
    ("延边州", "222400"),
    ("阿坝藏族羌族自治州", "513200"),
    ("峨边彝族自治县", "511132"),
    ("峨边自治县", "511132"),        # 自治县 without its peoples: 镇宁自治县获评…
    ("镇宁县", "520423"),            # …or as a plain 县
    ("巴州", "652800"),              # an irregular short form, from resources/abbreviations.csv
    ("金平县", "532530"),            # renamed under the same code in 1985: a 2023 金平县 is the 自治县
    ("石柱县", "500240"),            # batch A–D: a 2023 石柱县 is 重庆's 自治县, not 四川's 石柱县 of 1983
    ("义乌市", "330782"),            # a county-level city
    ("昆山市", "320583"),
])
def test_long_and_short_autonomous_names_and_county_level_cities(name, code):
    found = regions.resolve_place(name, 2023)
    assert found.code == code


def test_prefecture_short_form_is_found_in_text():
    assert [m.name for m in regions.places_in("阿坝州2021年法治政府建设工作情况报告")] == ["阿坝州"]


def test_short_autonomous_forms_are_found_in_running_text():
    text = "2023年,巴州党委、政府坚持…,2024年度峨边自治县获评示范县。"
    assert [m.name for m in regions.places_in(text)] == ["巴州", "峨边自治县"]
    assert [m.name for m in regions.places_in("巴州区人民政府")] == ["巴州区"]  # 巴中市's district


def test_bare_county_name_opening_a_book_title_is_a_place():
    assert [m.name for m in regions.places_in("制定《房县法治政府建设实施方案》")] == ["房县"]
    assert regions.places_in("开展《城区改造》工作") == []            # a word-like name stays a word
