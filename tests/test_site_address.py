"""The region a government site's address names (indexer.site_address), and its use as the
region's last resort (indexer.issuer): constructed cases, one per rule, each with the real host
that taught it (issue 9: about one township or department report in ten never names its place)."""
from __future__ import annotations

import csv

import pytest

from search import regions
from search.analysis import resource_path
from indexer.clean import clean_text
from indexer.issuer import SITE_NOTE
from indexer.metadata import extract_metadata
from indexer.site_address import LABELS, PREFIXES, region_of_address


@pytest.mark.parametrize("url, names", [
    # (a) province and city labels
    ("http://www.gd.gov.cn/gkmlpt/content/1.html", ["广东省"]),
    ("http://wsjkw.gd.gov.cn/zwyw_bmwj/content/post_1.html", ["广东省"]),
    ("http://sthjj.cq.gov.cn/zwgk/1.html", ["重庆市"]),
    ("https://jtys.sz.gov.cn/zwgk/xxgkml/1.html", ["深圳市"]),
    ("http://dghrss.dg.gov.cn/gkmlpt/content/1.html", ["东莞市"]),
    ("https://www.beijing.gov.cn/gongkai/fzzfjsbg/1.html", ["北京市"]),
    ("http://nynct.shanxi.gov.cn/1.html", ["山西省"]),           # shanxi is 山西
    ("http://snamr.shaanxi.gov.cn/1.html", ["陕西省"]),          # shaanxi is 陕西
    ("http://www.sx.gov.cn/art/1.html", ["绍兴市"]),             # a label no rule reads
    ("http://www.zh.gov.cn/art/1.html", ["镇海区"]),             # not 珠海
    ("http://scjgj.taian.gov.cn/art/1.html", ["泰安市"]),        # 台安县 reads tai-an too
    # (b) a division's whole pinyin, with or without its suffix
    ("http://www.xuwen.gov.cn/xxgk/1.html", ["徐闻县"]),
    ("http://jiayu.gov.cn/xxgk/1.html", ["嘉鱼县"]),
    ("http://rongchang.gov.cn/bm/qsfj/1.html", ["荣昌区"]),
    ("http://www.qingtian.gov.cn/art/1.html", ["青田县"]),
    ("http://zssl.zhoushan.gov.cn/art/1.html", ["舟山市"]),
    ("http://www.zhaoxian.gov.cn/1.html", ["赵县"]),
    ("http://changzhi.gov.cn/1.html", ["长治市"]),               # 长 reads chang in 长治
    ("http://www.zhuhai-hitech.gov.cn/1.html", ["珠海市"]),      # a part of a hyphenated label
    ("http://ljxq.cq.gov.cn/zwgk/1.html", ["两江新区"]),          # a zone's initials under 重庆
    # (c) a prefix, then a division's initials or pinyin, unique within the prefix's places
    ("https://cqjlp.gov.cn/zwgk/1.html", ["九龙坡区"]),
    ("http://cqck.gov.cn/jz/1.html", ["城口县"]),
    ("http://www.cqwx.gov.cn/jz/1.html", ["巫溪县"]),
    ("http://cqszx.gov.cn/1.html", ["石柱土家族自治县"]),          # initials, then the suffix's
    ("https://www.hzxh.gov.cn/art/1.html", ["西湖区"]),
    ("http://www.gzns.gov.cn/1.html", ["南沙区"]),               # gz: 广州 here …
    ("http://www.gzzn.gov.cn/1.html", ["镇宁布依族苗族自治县"]),   # … 贵州 there
    ("http://www.zzszq.gov.cn/1.html", ["市中区"]),
    ("http://www.gddongyuan.gov.cn/1.html", ["东源县"]),
    ("http://www.cnlongxi.gov.cn/1.html", ["陇西县"]),
    ("http://xxgk.sxgp.gov.cn/xzjd/1.shtml", ["高平市"]),        # sx: 山西 (or 陕西), then gp
    ("http://www.sxxiaxian.gov.cn/1.html", ["夏县"]),
    ("http://www.jdzcjq.gov.cn/qsfj/1.shtml", ["昌江区"]),      # 景德镇, then cjq
    ("http://www.zjxc.gov.cn/art/1.html", ["新昌县"]),           # batch19: zj (浙江), then xc
    ("http://www.zjwy.gov.cn/art/1.html", ["武义县"]),
    ("http://www.ncxh.gov.cn/xhqrmzf/1.shtml", ["西湖区"]),      # batch20: nc (南昌), then xh
    # negative: mirrors, non-government hosts, shared pinyin, shared initials
    ("http://usastudygroup.com/art/2022/2/26/art_1.html", []),
    ("http://www.xuwen.com/1.html", []),
    ("", []),
    ("not an address", []),
    ("http://sx-dj.gov.cn/1.html", []),       # the sx of 绍兴 is a whole label only
    ("http://www.szlh.gov.cn/1.html", []),    # lh: 罗湖区 and 龙华区 of 深圳
    ("http://www.gdsx.gov.cn/1.html", []),    # sx: 始兴县 and 遂溪县 of 广东
])
def test_region_of_address(url, names):
    assert [d.name for d in region_of_address(url)] == names


@pytest.mark.parametrize("url, names", [
    ("https://www.wugang.gov.cn/1.html", {"武冈市", "舞钢市"}),
    ("http://tongguan.gov.cn/1.html", {"潼关县", "铜官区"}),
    ("http://gaj.yichun.gov.cn/1.html", {"宜春市", "伊春市"}),
])
def test_a_shared_pinyin_gives_every_candidate(url, names):
    assert {d.name for d in region_of_address(url)} == names


def test_a_province_label_settles_a_shared_pinyin():
    """xihu is 西湖区 of 杭州 and of 南昌 (and 溪湖区 of 本溪); under hangzhou.gov.cn, 杭州's."""
    assert len(region_of_address("http://xihu.gov.cn/")) == 3
    [found] = region_of_address("http://xihu.hangzhou.gov.cn/")
    assert (found.name, found.city) == ("西湖区", "杭州市")


def test_every_province_has_its_label():
    provinces = {d.name for d in (regions.by_code(f"{n}0000") for n in range(11, 66))
                 if d is not None and d.level == "province" and d.in_use}
    provinces -= {"台湾省", "香港特别行政区", "澳门特别行政区"}
    labelled = {d.name for d in region_of_address_all() if d.level == "province"}
    assert len(provinces) == 31 and provinces <= labelled


def region_of_address_all():
    return [d for label, *_ in LABELS for d in region_of_address(f"http://{label}.gov.cn/")]


@pytest.mark.parametrize("row", LABELS + PREFIXES, ids=lambda row: row[0])
def test_every_table_row_names_a_division_and_its_case(row):
    label, names, *_rest, case = row
    assert case
    for name in ([names] if isinstance(names, str) else names):
        assert regions.find(name) or regions.find_zone(name), name


def test_the_pinyin_table_is_generated_from_the_division_table():
    """search/division_pinyin.py writes it; rerun it when areacodes.csv or zones.csv changes."""
    with open(resource_path("division_pinyin.csv"), encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with open(resource_path("areacodes.csv"), encoding="utf-8", newline="") as fh:
        in_use = {(r["code"], r["name"]) for r in csv.DictReader(fh) if not r["end"]}
    with open(resource_path("zones.csv"), encoding="utf-8", newline="") as fh:
        zones = {("", r["name"]) for r in csv.DictReader(fh)}
    assert {(r["code"], r["name"]) for r in rows} == in_use | zones
    assert all(r["short"] and r["full"].startswith(r["short"]) for r in rows if r["code"])


# --- the last resort of the region (indexer.issuer) -------------------------------------------

TOWNSHIP = ("关于2023年法治政府建设工作情况的报告\n"
            "2023年，我乡在县委、县政府的坚强领导下，坚持以习近平法治思想为指导，深入推进依法行政，"
            "全面提升基层治理法治化水平。\n一、主要举措\n健全依法决策机制。\n")
DISTRICT_OFFICE = ("区司法局2023年法治政府建设年度报告\n"
                   "2023年，区司法局坚持以习近平法治思想为指导，全面推进严格规范公正文明执法，"
                   "持续优化法治化营商环境。\n一、主要工作\n")
TONGZHOU = "通州区2023年法治政府建设情况报告\n2023年，通州区坚持以习近平法治思想为指导，深入推进依法行政。\n"
COUNTY_OFFICE = ("县司法局2023年法治政府建设年度报告\n"
                 "2023年，县司法局在浙江省司法厅和宁波市司法局的指导下，坚持以习近平法治思想为指导，"
                 "深入推进依法行政。\n一、主要工作\n")
CITY_OFFICE = ("2025年,市教育局坚持以习近平新时代中国特色社会主义思想为指引,全面落实中央、省委法治政府建设决策部署"
               "及市委全面依法治市工作要求,各项工作质效不断提升。\n一、主要工作\n")
NAMED = ("忻州市司法局2023年度法治政府建设情况报告\n"
         "2023年，忻州市司法局坚持以习近平法治思想为指导，深入推进依法行政。\n")


def meta(text: str, url: str = ""):
    return extract_metadata(text, clean_text(text), "report.txt", source_url=url)


@pytest.mark.parametrize("text, url, region, issuer", [
    # the text names no place: the address gives it
    (TOWNSHIP, "http://www.xuwen.gov.cn/xxgk/content/post_1.html",
     ("广东省", "湛江市", "徐闻县", "county"), ""),
    (DISTRICT_OFFICE, "https://cqjlp.gov.cn/zwgk/fzzfjsndbg/1.html",
     ("重庆市", "", "九龙坡区", "county"), "九龙坡区司法局"),
    # an ambiguous name: the address chooses
    (TONGZHOU, "https://www.beijing.gov.cn/gongkai/1.html",
     ("北京市", "", "通州区", "county"), "通州区人民政府"),
    (TONGZHOU, "http://www.nantong.gov.cn/art/1.html",
     ("江苏省", "南通市", "通州区", "county"), "通州区人民政府"),
    # a shared pinyin (象山县, 相山区, 象山区): the one inside the city the text names
    (COUNTY_OFFICE, "http://www.xiangshan.gov.cn/art/1.html",
     ("浙江省", "宁波市", "象山县", "county"), "象山县司法局"),
    # batch16: a pinyin three places share (yiyang: 益阳市, 弋阳县, 宜阳县), a 市 office that names
    # no place: the one city among them
    (CITY_OFFICE, "http://edu.yiyang.gov.cn/1/2/content_1.html",
     ("湖南省", "益阳市", "", "city"), "益阳市教育局"),
])
def test_the_address_gives_the_region_the_text_does_not(text, url, region, issuer):
    found = meta(text, url)
    assert (found.province, found.city, found.county, found.level) == region
    assert found.issuer == issuer
    assert SITE_NOTE in found.warnings
    assert SITE_NOTE not in meta(text).warnings


@pytest.mark.parametrize("text, url", [
    (TOWNSHIP, "http://usastudygroup.com/art/2022/2/26/art_1.html"),   # a mirror
    (TOWNSHIP, "https://www.wugang.gov.cn/1.html"),                    # 武冈市 or 舞钢市
    (TOWNSHIP, ""),
])
def test_no_clue_leaves_the_region_unknown(text, url):
    found = meta(text, url)
    assert (found.province, found.county, found.level) == ("", "", "")
    assert found.warnings == ["region unknown"]


# batch18: a district of an autonomous region speaks as 区委、区政府 and names another city once,
# in passing: the text gives the province only, the district's own site the district
PASSING_CITY = ("2022年,区委、区政府坚持以习近平新时代中国特色社会主义思想为指导,坚决贯彻落实自治区党委、市委关于"
                "法治建设的重大决策部署,迎接了自治区依法治疆办对我区的法治督察,借鉴自治区人民政府在克拉玛依市召开的"
                "法治政府建设现场推进会经验。\n一、主要举措\n")


def test_a_city_named_in_passing_gives_way_to_the_districts_site():
    text_only = meta(PASSING_CITY)
    assert (text_only.province, text_only.city, text_only.level) == ("新疆维吾尔自治区", "", "province")
    found = meta(PASSING_CITY, "http://www.xjsmgq.gov.cn/xxgk/fzzfbg/1.htm")
    assert (found.province, found.city, found.county, found.level) == (
        "新疆维吾尔自治区", "乌鲁木齐市", "水磨沟区", "county")
    assert SITE_NOTE in found.warnings


def test_the_text_naming_its_body_wins_over_the_address():
    found = meta(NAMED, "http://www.xuwen.gov.cn/xxgk/content/post_1.html")
    assert (found.province, found.city, found.county) == ("山西省", "忻州市", "")
    assert SITE_NOTE not in found.warnings


def test_without_the_address_nothing_changes():
    """extract_metadata keeps its three-argument form."""
    text = COUNTY_OFFICE
    assert extract_metadata(text, clean_text(text), "x.txt").city == "宁波市"
    assert extract_metadata(text, clean_text(text)).county == ""


def test_an_indexed_saved_page_takes_its_region_from_its_canonical_link(tmp_path):
    """End to end: a saved HTML page whose text names no place, found under its county."""
    from indexer.build import build_index
    from search import engine
    from search.engine import SearchRequest
    from search.store import IndexHandle

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    url = "https://www.xuwen.gov.cn/xxgk/ndfzzfjsbg/content/post_1.html"
    (corpus / "page.html").write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="canonical" href="{url}">'
        "<title>关于2023年法治政府建设工作情况的报告</title></head><body>"
        "<h1>关于2023年法治政府建设工作情况的报告</h1>"
        "<p>2023年，我乡在县委、县政府的坚强领导下，坚持以习近平法治思想为指导，深入推进依法行政，"
        "全面提升基层治理法治化水平。</p><p>一、主要举措</p><p>健全依法决策机制。</p>"
        "</body></html>", encoding="utf-8")
    index_dir = tmp_path / "ix"
    build_index([corpus], index_dir, jobs=1)
    results = engine.search(IndexHandle(index_dir), SearchRequest(q="依法决策"))
    [hit] = results.hits
    county = {v["value"]: v["count"] for f in results.facets if f["name"] == "county"
              for v in f["values"]}
    province = {v["value"]: v["count"] for f in results.facets if f["name"] == "province"
                for v in f["values"]}
    assert county == {"440825": 1} and province == {"440000": 1}
    filtered = engine.search(IndexHandle(index_dir), SearchRequest(q="", county=("徐闻县",)))
    assert [h.path for h in filtered.hits] == [hit.path]


def test_a_sidecar_gives_a_text_copy_its_address(tmp_path):
    """A pasted text copy names no address; ``{"source_url": …}`` in its sidecar gives one."""
    from indexer.pipeline import inspect_file

    report = tmp_path / "乡报告.txt"
    report.write_text(TOWNSHIP, encoding="utf-8")
    assert inspect_file(report)["county"] == ""
    url = "http://www.xuwen.gov.cn/xxgk/content/post_1.html"
    (tmp_path / "乡报告.meta.json").write_text(f'{{"source_url": "{url}"}}', encoding="utf-8")
    info = inspect_file(report)
    assert (info["county"], info["source_url"]) == ("徐闻县", url)
    assert SITE_NOTE in info["warnings"]
    (tmp_path / "乡报告.meta.json").write_text('{"source_url": "javascript:alert(1)"}',
                                            encoding="utf-8")
    info = inspect_file(report)
    assert info["county"] == "" and info["source_url"] == ""
    assert any("source_url ignored: must be an http(s) address" in w for w in info["warnings"])


def test_a_subdomain_is_never_read_by_the_label_tables():
    """cj is 昌吉州's registrant label, yet cj.<city>.gov.cn is a department of that city."""
    assert [d.name for d in region_of_address("http://cj.zhoushan.gov.cn/")] == ["舟山市"]
    assert region_of_address("http://cj.abcdefg.gov.cn/") == ()
