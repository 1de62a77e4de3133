"""The raw material of the synthetic corpus: sample-report sentences and the division table.

Generated reports are recombined from the real sample reports (``data/sample``), so segmentation
cost, vocabulary and term frequencies look like real reports rather than random characters. The
issuing bodies come from the in-use divisions of ``search/resources/areacodes.csv``, so every
region the generator writes is one the indexer can know.
"""
from __future__ import annotations

import csv
import functools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "data" / "sample"
AREACODES = ROOT / "search" / "resources" / "areacodes.csv"

#: Provincial-level codes left out: the 31 divisions of the mainland are the ones that report.
_NOT_REPORTING = ("71", "81", "82")

# Lines of the sample pages that are navigation, widgets or footers, not report prose.
_CHROME = re.compile(r"位置|首页|来源|发布日期|发布时间|时间:|关闭|扫一扫|分享|打印|Baidu|^map$"
                     r"|政府网|公网安备|ICP|相关稿件|^\s*$")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])")
_SENTENCE_END = re.compile(r"(?<=[。！？])")


@dataclass(frozen=True)
class SentencePool:
    """Headings and prose sentences of the sample reports, in simplified script."""

    headings: tuple[str, ...]
    sentences: tuple[str, ...]


@functools.lru_cache(maxsize=2)
def sentence_pool(sample_dir: Path = SAMPLE_DIR) -> SentencePool:
    """Split the sample reports into headings and sentences (at 。！？ and line breaks).

    Chrome lines and each report's title line are dropped; traditional samples are converted to
    simplified so that the generator alone decides which reports are traditional.
    """
    import opencc

    t2s = opencc.OpenCC("t2s")
    headings, sentences = [], []
    for path in sorted(Path(sample_dir).glob("*.txt")):
        lines = [ln.strip(" \u3000\t") for ln in t2s.convert(path.read_text("utf-8")).split("\n")]
        lines = [ln for ln in lines if ln and not (len(ln) < 100 and _CHROME.search(ln))]
        for n, line in enumerate(lines):
            if n == 0 and len(line) < 80 and line.endswith(("报告", "情况")):
                continue                                   # the sample's own title
            if len(line) < 130 and _HEADING.match(line):
                headings.append(line)
                continue
            sentences.extend(s.strip() for s in _SENTENCE_END.split(line) if len(s.strip()) >= 6)
    return SentencePool(tuple(dict.fromkeys(headings)), tuple(dict.fromkeys(sentences)))


@dataclass(frozen=True)
class Place:
    """An in-use division: what the truth file records for a report it issues."""

    code: str
    name: str
    level: str                 # province / city / county
    province: str
    city: str | None           # None for provinces and for counties directly under a province
    start: int                 # first year the name is in use
    qualified: str             # the name as a report writes it, with its parent where needed


@functools.lru_cache(maxsize=1)
def places() -> dict[str, tuple[Place, ...]]:
    """Return the in-use divisions by level; duplicate names are qualified by their parent.

    朝阳区 exists in 北京市 and in 长春市: a report of either writes 长春市朝阳区, otherwise not even a
    careful reader could tell them apart, and the truth would be unknowable.
    """
    with open(AREACODES, encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh)
                if not r["end"] and not r["code"].startswith(_NOT_REPORTING)]
    counts = Counter(r["name"] for r in rows)
    out: dict[str, list[Place]] = {"province": [], "city": [], "county": []}
    for r in rows:
        city = r["name"] if r["level"] == "city" else (r["city"] or None)
        if r["level"] == "province":
            city = None
        parent = (city if r["level"] == "county" and city else r["province"])
        qualified = r["name"] if counts[r["name"]] == 1 else parent + r["name"]
        out[r["level"]].append(Place(r["code"], r["name"], r["level"], r["province"], city,
                                     int(r["start"]), qualified))
    return {level: tuple(v) for level, v in out.items()}


# Issuing offices below the government itself; provinces call some of them 厅.
_OFFICES = ("司法局", "市场监督管理局", "行政审批服务管理局", "生态环境局", "人力资源和社会保障局",
            "自然资源局", "交通运输局", "应急管理局", "住房和城乡建设局", "人民政府办公室")
_PROVINCE_OFFICES = {"司法局": "司法厅", "生态环境局": "生态环境厅", "自然资源局": "自然资源厅",
                     "人力资源和社会保障局": "人力资源和社会保障厅", "交通运输局": "交通运输厅",
                     "应急管理局": "应急管理厅", "住房和城乡建设局": "住房和城乡建设厅",
                     "人民政府办公室": "人民政府办公厅"}
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")


def government(place: Place) -> str:
    """The government of a place: 忻府区人民政府; a 盟 or 地区 is run by a 行政公署."""
    suffix = "行政公署" if place.name.endswith(("盟", "地区")) else "人民政府"
    return place.qualified + suffix


def office(place: Place, name: str) -> str:
    """An office of a place: 山西省司法厅, 北京市司法局, 忻州市市场监督管理局."""
    if place.level == "province" and place.name not in _MUNICIPALITIES:
        name = _PROVINCE_OFFICES.get(name, name)
    return place.qualified + name


def offices() -> tuple[str, ...]:
    return _OFFICES


# --- page chrome of real report pages ----------------------------------------------------------
# Classes found on real government and mirror pages (see indexer/chrome.py, tests/test_chrome.py):
# the generator puts them around its reports so that the metadata figure is measured on pages
# shaped like the ones users have, not only on clean text.

CHROME_STYLES = ("classic", "banner", "breadcrumb", "disclosure", "greeting", "mirror", "sitepart",
                 "glued", "stamp", "eldermode", "portal", "cover", "tagged", "emptycell", "heading",
                 "numbered", "listed", "contacts", "dashed", "redhead", "slogan")
# Styles that need a title: a cover letter sends a titled report; a page heading repeats it; a
# 发文字号 is glued before it; a portal's list names it; a bracketed date stands under it.
_TITLED_STYLES = ("cover", "heading", "numbered", "listed", "slogan")
#: Styles whose title is printed on one line (a 发文字号 glued before a title's first half is
#: not what pages do).
ONE_LINE_STYLES = ("numbered",)
_WEEKDAYS = "一二三四五六日"


def page_chrome(rng, place: Place, other: Place, year: int, title: str) -> dict:
    """Chrome around one report: ``head`` lines, a ``prefix`` glued to the title line, the
    ``meta`` line under the title, and what the page states: ``published``, ``doc_number``.

    ``other`` is another region: the hosting site's banner and breadcrumb name it, and the
    report's region must not be taken from them.
    """
    style = rng.choice(CHROME_STYLES if title else
                       tuple(s for s in CHROME_STYLES if s not in _TITLED_STYLES))
    published = f"{year + 1}-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}"
    y, m, d = published.split("-")
    stale = f"{year - rng.randint(1, 4)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
    out = {"style": style, "head": [], "prefix": "", "meta": "", "published": published,
           "doc_number": ""}
    if style == "classic":
        city = f" {place.city}政府" if place.city else ""
        section = rng.choice(("法治政府建设", "行政执法专栏", "政府信息公开年报", "工作动态"))
        out["head"] = [f"中国政府网 {place.province}政府{city}",
                       f"当前位置:首页 > 政府信息公开 > {section}"]
        out["meta"] = f" 时间:{published}       大    中    小      来源:{government(place)}"
    elif style == "banner":
        out["head"] = [f"今天是：{stale} 星期{rng.choice(_WEEKDAYS)} 农历三月廿七",
                       f"{government(other)} {stale}星期{rng.choice(_WEEKDAYS)}",
                       rng.choice(("无障碍阅读 | 长者模式 | 繁體", "无障碍 简体| 繁体", "本站支持IPv6",
                                   "IE版本过低,为了不影响您的浏览效果,请升级IE版本!建议使用ie11及以上的版本 x")),
                       "首页 政务公开 政务服务 互动交流"]
        out["meta"] = f"{int(y)}年{m}月{d}日 {rng.randint(8, 17):02d}时{rng.randint(0, 59):02d}分"
    elif style == "breadcrumb":
        channel = rng.choice(("工作动态", "政策解读", "部门文件"))
        out["head"] = [f"{other.province}人民政府 > 地方动态 > {other.name}", channel]
        out["prefix"] = f"【{channel}】"
        out["meta"] = f"发布时间：{published} 来源：{government(place)} 浏览次数：{rng.randint(1, 999)}"
    elif style == "disclosure":
        number = f"{place.name[:1]}政发〔{int(y)}〕{rng.randint(1, 60)}号"
        out["doc_number"] = number
        written = f"{y}-{m}-{max(1, int(d) - 3):02d}"
        spaced = rng.random() < 0.3     # a provincial portal spaces its labels out (发 布 机 构)
        label = " ".join if spaced else str
        out["head"] = [f"索 引 号 | {place.code}/{y}-{rng.randint(1, 99999):05d} | 主题分类 | 综合政务 |",
                       f"{label('发文字号')} | {number} | {label('发布机构')} | {government(place)} |",
                       f"{label('成文日期')} | {written} | {label('发布日期')} | {published} |",
                       *([f"标 题 | {rng.choice(('', '【工作总结】'))}{title} |"] if title else []),
                       rng.choice(("公开方式 | 主动公开 | 公开范围 | 面向社会 |",
                                   "是否有效 | 是 | 公开方式 | 主动公开 |",
                                   f"{label('内容概述')} | {title or '法治政府建设'} | 时 效 | |"))]
    elif style == "greeting":
        out["head"] = [f"欢迎访问{government(other)}门户网站", "设为首页 | 加入收藏 | 登录 注册"]
        out["meta"] = f"{published} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}"
    elif style == "sitepart":                    # a header label and an eye-care colour bar
        out["head"] = [f"头部-{government(place)}", "首页 > 政府信息公开 > 公示公告"]
        out["meta"] = (f"发布日期:{published} 信息来源:{government(place)} 【字体:\n"
                       "保护视力色: 杏仁黄 秋叶褐 天蓝 银河白(默认色) 分享到:")
    elif style == "glued":                       # a law-library mirror: labels glued to values
        number = f"{place.name[:1]}政发〔{int(y)}〕{rng.randint(1, 60)}号"
        out["doc_number"] = number
        day = f"{int(y)}年{int(m)}月{int(d)}日"
        out["head"] = [f"发文机关{government(place)}", f"发文日期{day}", "时效性现行有效",
                       f"发文字号{number}", f"施行日期{day}"]
    elif style == "stamp":                       # an AQI widget, then a stamp above the title
        out["head"] = ["站群导航", "AQI", rng.choice(("• 轻度污染", "• 良")),
                       f"{published} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d} | "
                       f"{government(place)}"]
    elif style == "eldermode":      # elder-mode bar, a browser hint, 走进<place> nav, a bulleted
        out["head"] = [rng.choice(("网站无障碍 适老版 关爱版 高级搜索", "适老版 登录 注销 (欢迎您)")),
                       "请点击右上角 选择浏览器打开",          # date in the portal's list, a tag
                       f"首页 新闻中心 走进{other.name} 专题专栏",
                       f"• {published}"]
        out["prefix"] = rng.choice(("【法治政府建设报告】", "【法治建设专栏】"))
    elif style == "portal":     # a column heading repeating the last crumb, a portal's summary
        column = rng.choice(("依法行政", "法治建设", "其他"))   # bullets (an unlabelled 索引号, the
        written = f"{y}-{m}-{max(1, int(d) - 3):02d}"            # 公文生成日期), a [权威发布] tag, the
        out["head"] = [f"首页 > 政务公开 > {column}", column,    # 时间 under the title
                       f"  • {rng.randint(10 ** 8, 10 ** 9 - 1)}/{y}-{rng.randint(1, 999999):06d}",
                       f"  • 索 引 号:{place.code}/{y}-{rng.randint(1, 99999):05d}",
                       f"  • 发布机构:{government(place)}", f"  • 公文生成日期:{written}"]
        out["prefix"] = "[权威发布]" if title else ""
        out["meta"] = (f"来源:{government(place)} 时间:{published} "
                       f"{rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}")
    elif style == "cover":                       # the report sent under a cover letter
        number = f"{place.name[:1]}政〔{int(y)}〕{rng.randint(1, 60)}号"
        out["doc_number"] = number
        out["head"] = [number, f"中共{place.qualified}委:",
                       f"现将{year}年度法治政府建设情况报告呈上,请审阅。",
                       government(place), f"{int(y)}年{int(m)}月{int(d)}日"]   # the report's date
    elif style == "tagged":                      # badges, a 【年度报告】 tag, 时间 glued to 来源
        out["head"] = ["本网站支持IPv6 长者模式", "首页 > 信息公开 > 法治政府建设"]
        out["prefix"] = "【年度报告】"
        out["meta"] = f"来源:{government(place)}时间:{published}"
    elif style == "emptycell":                   # a disclosure table with empty cells, no 标题 row
        out["head"] = [f"索 引 号 | {place.code}/{y}-{rng.randint(1, 99999):05d} | 主题分类 | |",
                       f"发文字号 | | 发布机构 | {government(place)} |",
                       f"发布日期 | {published} |"]
    elif style == "heading":     # the page's heading, spaced where the title wrapped, and a
        cut = max(len(title) - 4, 1)  # counter line; the report then prints its own title
        out["head"] = [f"{title[:cut]} {title[cut:]}",
                       f"浏览:{rng.randint(10, 9999)}次 时间:{published} 来源:本站"]
    elif style == "numbered":    # the 发文字号 glued before the title, the office, a bare date
        number = f"{place.name[:1]}政发〔{int(y)}〕{rng.randint(1, 60)}号"
        out["doc_number"] = number
        out["prefix"] = number
        out["meta"] = f"政府办文书科\n\n{published}"
    elif style == "contacts":    # a mirror's contact block above the title, a stamp then the
        out["head"] = ["• 联系我们", "• 地址:某某市高新科技园",        # office under it
                       f"• 电话:0{rng.randint(10, 99)}-{rng.randint(10 ** 7, 10 ** 8 - 1)}",
                       "• 邮箱:service@example.com", "• 当前所在位置:首页 - 资讯"]
        out["meta"] = (f"{published} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d} "
                       f"{government(place)}")
    elif style == "dashed":      # a disclosure list, every label and value after a dash
        number = f"{place.name[:1]}政发〔{int(y)}〕{rng.randint(1, 60)}号"
        out["doc_number"] = number
        out["head"] = ["\n".join((            # one piece: no blank line between label and value
            "- 索引号:", f"- {rng.randint(10 ** 8, 10 ** 9 - 1)}/{y}-{rng.randint(1, 99999):05d}",
            "- 公开方式:", "- 主动公开", "- 文号:", f"- {number}", "- 发布日期:", f"- {published}",
            "- 发布单位:", f"- {government(place)}"))]
    elif style == "listed":      # a portal's list: 名称, 成文日期 and the 发文日期 it went up with
        written = f"{int(y) - 1}-12-{rng.randint(20, 31)}"
        out["head"] = ["当前位置:首页> 政务公开> 最新文件", f"名  称: {title}",
                       f"索引号: {place.code[:4]}-{rng.randint(10000, 99999)}-{y}-{rng.randint(1, 999):05d}",
                       f"发布机构: {government(place)}", "主题分类: 综合政务,政务公开",
                       f"成文日期: {written}", f"发文日期: {published}", "有效性: 有效"]
    elif style == "redhead":     # an official document's red header, its number and signers
        number = f"{place.name[:1]}政发〔{int(y)}〕{rng.randint(1, 60)}号"
        out["doc_number"] = number
        out["head"] = [f"{government(place)}文件", f"{number} 签发人:张某某 李某某"]
        out["published"] = None
    elif style == "slogan":      # a slogan banner as a list item, the column, a bracketed date
        out["head"] = ["• 高举中国特色社会主义伟大旗帜,全面贯彻习近平新时代中国特色社会主义思想,"
                       "为全面建设社会主义现代化国家而团结奋斗。", rng.choice(("工作信息", "工作动态"))]
        out["meta"] = f"({published})"
    else:                                        # a mirror that glues an advertising line on
        out["head"] = ["成人免费AV网址|亚洲手机免费在线|在线国产视频91|无码"]
        out["prefix"] = "秘书之家—全网资源每日更新www.example.com"
        out["published"] = None
    return out
