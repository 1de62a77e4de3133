"""Page chrome seen on real report pages, as data: every rule with the constructed case that taught it.

``indexer.clean`` is the mechanism (which line goes, which fragment is cut); this module is the
knowledge. Each table row is ``(pattern, example)``: the example is a constructed line of the
kind found on real government and mirror pages, and ``tests/test_chrome.py`` checks that every
rule still removes its own example (and that report lines survive). A new kind of chrome is a new
row here with its example, never a new branch in ``clean``.

Patterns are matched against a line after ``normalize_width`` and with leading list bullets
(``•·●▪``) removed; they must not match a sentence of a report.
"""
from __future__ import annotations

import re
from typing import NamedTuple


class Rule(NamedTuple):
    """One chrome pattern and the constructed case that taught it."""

    pattern: str
    example: str


# Words of site-feature and accessibility bars: a short line made only of these (and
# separators) is chrome, e.g. ``无障碍阅读 | 长者模式 | 繁體`` or ``登录 注册``.
BAR_WORDS = tuple(sorted("""
无障碍 无障碍阅读 无障碍浏览 长者模式 长者版 关怀版 适老化 简体 繁体 繁體 简 繁 English ENGLISH 中文版
蒙古文版 藏文版 维文版 登录 注册 退出 个人中心 微信公众号 微信 微博 客户端 手机版 移动版 设为首页 加入收藏
收藏本站 本站支持IPv6 本网站支持IPv6 IPv6 网站地图 联系我们 智能问答 搜索 搜本站 搜全站 RSS 订阅 邮箱 政务邮箱 站群导航 取消收藏成功! 收藏成功
相关办事指南 点击关闭详细目录信息 朋友圈 微信好友 点击右上角微信好友 请使用浏览器分享功能进行分享
AQI 轻度污染 中度污染 重度污染 严重污染 返回首页 返回顶部 打印整页 打印内容 分享 扫码使用手机浏览本页内容 朗读 × 分享到:
网站无障碍 适老版 关爱版 高级搜索 注销 欢迎您 (欢迎您)
无障碍访问 搜索位置 匹配度 相关度 排序 按时间排序 按匹配度排序 按相关度排序 网站年报 政府网站年报
""".split(), key=len, reverse=True))

# Channel and column names that stand alone on a line above the title (工作动态, 网站公告).
CHANNELS = tuple(sorted("""
工作动态 工作报告 政策解读 文件解读 图片新闻 通知公告 网站公告 部门文件 政府文件 最新文件 政务公开 信息公开
政府信息公开 法定主动公开内容 规章库 政策文件 国家政策 部委文件 法制查询
要闻动态 地方动态 部门动态 基层动态 衡水要闻 今日要闻 新闻中心 新闻动态 媒体聚焦 工作总结 计划总结 其他文件
法治工作 法治建设 公示公告
""".split(), key=len, reverse=True))

# Navigation words: a line made only of these (no 当前位置 label) is a navigation bar:
# ``首页 政务公开 政务服务 互动交流``.
NAV_WORDS = tuple(sorted("""
首页 网站首页 要闻动态 政务公开 政务服务 政民互动 互动交流 政府数据 数据开放 走进 专题专栏 办事服务
新闻中心 信息公开 公众参与 在线服务 亮丽内蒙古 魅力 投资 文旅 民生服务 领导之窗 机构概况
组织机构 在线办事 纪检监察 业务板块 行政区划 开发区 部门网站 县区网站 区县网站
""".split(), key=len, reverse=True))
# Navigation entries that name the site's own place after a fixed word: ``走进周至``, ``魅力某县``.
NAV_NAMED = ("走进", "魅力", "印象", "畅游")
#: The marks a page's list items start with (a slogan banner, a portal's summary list).
LIST_BULLETS = ("•", "·", "●", "▪", "◆")

# Whole lines that are chrome, wherever they stand (short lines only, see clean.SHORT_LINE).
LINE_RULES = (
    Rule(r"^今天是\s*[:：]?\s*(?:\d{4}\s*年|\d{4}-|$)",
         "今天是:2019年10月31日 星期三 农历十月初七"),
    Rule(r"^.{0,30}?\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:星期|周)[一二三四五六日天]\s*"
         r"(?:农历\S{0,12})?$",
         "天津市某某区人民政府 2019年12月3日星期二"),
    Rule(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:星期|周)[一二三四五六日天]\s*"
         r"(?:白天|夜间|夜晚|今天|天气)?\s*[:：]?\s*(?:晴|多云|阴|小雨|中雨|大雨|阵雨|雷阵雨|雪|雾)",
         "2025年8月1日 星期五 白天:多云,有阵雨或雷阵雨 夜晚:多云 26到33度 偏南风2到3级"),
    Rule(r"^\d{4}\s*年.{0,20}农历\S{2,8}$",
         "2021年5月8日 星期六 农历三月廿七"),
    Rule(r"^欢迎(?:访问|光临|来到)\S{0,30}?(?:网站|网|门户)\S{0,6}(?:[!！。]|\s|$)",
         "欢迎访问某某市人民政府门户网站"),
    Rule(r"^(?:没有账号|咨询热线|服务热线|联系电话|邮编)\s*[?？:：]",
         "咨询热线:0771-5865068"),
    Rule(r"(?:更换或升级浏览器|当前浏览器版本过低|建议您升级或使用其他浏览器|请切换至极速模式|"
         r"为了获得更好的浏览体验)",
         "当前浏览器版本过低,可能会有安全风险且无法正常显示。"),
    Rule(r"(?i)^(?:您的)?ie\s*(?:浏览器)?版本(?:过低|太低)|请升级\s*ie|建议使用\s*ie\s*\d+\s*及以上",
         "IE版本过低,为了不影响您的浏览效果,请升级IE版本!建议使用ie11及以上的版本 x"),
    Rule(r"^(?:\S{2,20}(?:门户网站|政府网|网站))?\s*(?:www\.|https?://)[\w./\-]+\s*$",
         "某某区人民政府门户网站  www.example.gov.cn"),
    Rule(r"^\S{2,20}(?:门户网站|政府网站)\s+(?:www\.|https?://)\S+.*(?:发布时间|发布日期)\s*[:：]",
         "某某区人民政府门户网站  www.example.gov.cn        发布时间:2023-03-30"),
    Rule(r"^(?:访问次数|字体大小|字体|分享|点击数|阅读量)\s*[:：]\s*(?:【\s*)?$",
         "字体大小:【"),
    Rule(r"^(?:首页|网站首页)\s*(?:→|->|>|＞|»|›)",
         "首页→ 网站公告"),
    Rule(r"^[^。,，;；]{1,20}(?:\s*(?:>|＞|»|›|→)\s*[^。,，;；>＞»›→]{1,20}){2,}$",
         "某省人民政府 > 地方动态 > 某市"),
    Rule(r"^(?:秘书之家|文秘|范文|公文)\S{0,12}(?:全网资源|每日更新)\S*$",
         "秘书之家—全网资源每日更新"),
    Rule(r"^[\u4e00-\u9fff]{2,4}(?:新闻|资讯|动态|要闻|快讯)$",
         "区内新闻"),
    Rule(r"^(?:English title \(machine-translated\)|Type|Subtype|Level|Length|Summary)$",
         "English title (machine-translated)"),
    Rule(r"^(?:Law, regulation or policy|政务公开-政策|\d+ characters, \d+ paragraphs?)$",
         "3145 characters, 1 paragraph"),
    Rule(r"^[\w ]{2,40}\(Provincial-level units\)$",
         "河南省 (Provincial-level units)"),
    Rule(r"^(?:头部|页头|底部|页脚)\s*[-—－:：]\s*\S{0,30}$",
         "头部-某某省司法厅"),
    Rule(r"^[A-Za-z0-9]{1,12}\s*(?:微信公众号|公众号|微博|客户端)$",
         "gecc微信公众号"),
    Rule(r"^[\u4e00-\u9fff]{2}文件$",
         "广西文件"),
    Rule(r"^(?:[1-5]A|A{1,5})级社会组织$",
         "AAAAA级社会组织"),
    Rule(r"^请?(?:点击|点)右上角\s*[,，]?\s*(?:选择)?\s*(?:在)?浏览器(?:中)?打开",
         "请点击右上角 选择浏览器打开"),
    # a site-feature bar that also names a site or a portal entry: an accessibility word and a
    # login, language or social word among space-separated short items, no sentence mark
    Rule(r"^(?=[^。，,；;]{0,80}$)(?=.*(?:无障碍|长者|适老|关怀版))(?=.*(?:登录|注册|繁体|简体|微博|微信))"
         r"(?:\S{1,12}\s+){3,}\S{1,12}$",
         "12345某某法网 服务平台入口 无障碍阅读 微信 微博 繁体登录注册"),
    # a 索引号 without its label, listed in a page's summary bullets (an 18-character credit
    # code stays: it names the body's division, ``indexer.place_hints``)
    Rule(r"^\d{6,12}/(?:19|20)\d{2}-\d{3,8}$",
         "• 736916951/2024-000784"),
    # …or a site's own short letter code before the year (an 18-character credit code stays)
    Rule(r"^(?=[0-9A-Za-z]*[A-Za-z])[0-9A-Za-z]{3,12}/(?:19|20)\d{2}-\d{3,8}$",
         "kss622/2022-00020"),
    # the 主题分类 value of an unlabelled disclosure list, its 体裁 glued on (综合政务 报告)
    Rule(r"^综合政务\s*(?:报告|通知|意见|决定|请示|函|公告|通告|批复|其他)?$",
         "综合政务报告"),
    # …and its 有效性 value on a line of its own (有效, 失效, 废止)
    Rule(r"^(?:现行)?(?:有效|失效|废止|已失效|已废止|部分失效)$",
         "有效"),
    # a language switcher among the portal's links (English 日本語 한국어 Русский)
    Rule(r"^(?=[^。，,；;]{0,80}$).*(?:English|ENGLISH)\s+(?:日本語|日本语|한국어|Русский|Français)",
         "政务服务 中国政府网 省政府网 English 日本語 한국어 Русский 站群导航"),
    # a site's contact block (• 电话:…, • 传真:…, • 邮箱:…@…, • 地址:…), at the top of a mirror
    Rule(r"^(?:电话|传真|联系电话|热线)\s*[:：]\s*[\d\-—–() ]{7,20}$|^(?:邮箱|电子邮箱|E-?mail)\s*[:：]\s*\S+@\S+$"
         r"|^地址\s*[:：]\s*[^\s。，,；;:：]{4,30}$",
         "邮箱:someone@example.com"),
    # a portal's date widget that lost its 年 (202009月15日)
    Rule(r"^(?:19|20)\d{2}(?:0[1-9]|1[0-2])月\d{1,2}日$",
         "202009月15日"),
    # a portal's hotlines in its header (投资热线:0431-81335626, 政务服务:0431-80786777)
    Rule(r"^(?:投资热线|政务服务|服务热线|咨询电话|联系电话|值班电话|举报电话|热线电话|政务热线)\s*[:：]\s*"
         r"[\d\-—–() ]{7,20}$",
         "政务服务:0431-80786777"),
    Rule(r"^(?:保护视力色|护眼模式|背景色)\s*[:：]",
         "保护视力色: 杏仁黄 秋叶褐 胭脂红 芥末绿 天蓝 雪青 灰 银河白(默认色) 分享到:"),
)

# Fragments cut from a line's start, wherever the rest goes: bracket tags and spam prefixes
# glued before the title.
HEAD_RULES = (
    Rule(r"^[【\[](?:" + "|".join(CHANNELS) + r"|文字解读|图文解读|图片解读|最新动态|政务动态|要闻|头条|年度报告|"
         r"原创|转载|推荐|置顶|热点|专题|(?:19|20)\d{2}\s*年度?)[】\]]\s*",
         "【工作动态】某某县2023年度法治政府建设情况报告"),
    # a counter whose number is missing, glued to the opening (访问次数:2024年,某厅…)
    Rule(r"^(?:访问次数|浏览次数|阅读次数|点击数|访问量|浏览量)\s*[:：]\s*(?=(?:19|20)\d{2}\s*年)",
         "访问次数:2024年,某某省交通运输厅笃学践行习近平法治思想。"),
    Rule(r"^\S{0,16}?(?:全网资源每日更新|每日更新|免费下载)\s*(?:www\.|https?://)[\w.\-]+\.(?:com|cn|net|org)"
         r"(?:/\S*)?\s*",
         "秘书之家—全网资源每日更新www.example.com某某省人民政府关于2023年度法治政府建设情况的报告"),
    Rule(r"^《[^》]{4,80}\.(?:docx?|pdf|wps|pptx?|txt)》由会员分享.{0,400}?上搜索[。.]?\s*",
         "《某县教育局2022年法治政府建设年度报告.docx》由会员分享,可在线阅读,更多相关《某县教育局"
         "2022年法治政府建设年度报告.docx(8页珍藏版)》请在某某文库网|CAD图纸下载上搜索。"),
    Rule(r"^[【\[](?:权威发布|重要发布|发布|独家|聚焦|关注|速览|一图读懂)[】\]]\s*(?=\S)",
         "[权威发布]某某省2017年法治政府建设情况报告"),
    Rule(r"^[【\[][\u4e00-\u9fff]{2,12}(?:报告|专栏|专题)[】\]]\s*(?=\S)",
         "【省政府某某建设报告】某某省人民政府关于2022年度法治政府建设情况的报告"),
    Rule(r"^\?{2,}\s*",
         "??2022年,全市各区、各部门在市委、市政府的坚强领导下"),
    Rule(r"^(?:工作动态|政策解读|部门文件|通知公告)\s*[:：|｜]\s*",
         "工作动态|某某区司法局2022年法治政府建设工作报告"),
)

# Spam runs of a mirror site: a line carrying several of these is not report text.
SPAM_WORDS = ("成人", "免费AV", "无码", "视频", "在线国产", "网址发布", "澳门银河", "棋牌", "彩票")
SPAM_MIN_HITS = 3

# The page's own <title>: 网站名-报告标题_站点名 (or |, ——): separators between site names and
# the report's title; ``indexer.titles`` keeps the segment that reads as a report title.
TITLE_SEPARATORS = (r"\s*(?:_|\||｜| - | — |——|(?<=政府|网站)-|(?<=网)-"
                    r"|-(?=\S{2,20}(?:网|政府|网站)$)"
                    r"|(?<=报告|总结)-(?=[^\s\d-]{2,20}$))\s*")    # 某局关于…的报告-某某娱乐国际
SITE_SUFFIX = r"(?:人民政府|政府|门户网站|网站|网|政务网|信息公开|信息网)$"
TITLE_SHAPE_EXAMPLE = "某某市人民政府-某某市2023年度法治政府建设情况报告_某某市政府门户网站"

line_patterns = tuple(re.compile(rule.pattern) for rule in LINE_RULES)
head_patterns = tuple(re.compile(rule.pattern) for rule in HEAD_RULES)
_SEP = r"[\s|｜/·•,，、:：]*"


def _word_run(words: tuple[str, ...], named: tuple[str, ...] = ()) -> re.Pattern:
    """A line made only of ``words`` (and ``named`` words followed by a short name, 走进周至); any
    case, since the folded line is lower-cased (本網站支持ipv6)."""
    alternatives = "|".join(map(re.escape, words))
    if named:
        alternatives += "|(?:" + "|".join(map(re.escape, named)) + r")[\u4e00-\u9fff]{2,4}"
    return re.compile(f"{_SEP}(?:(?:{alternatives}){_SEP})+", re.IGNORECASE)


bar_line = _word_run(BAR_WORDS)
nav_line = _word_run(NAV_WORDS, NAV_NAMED)
# Channel names stand alone or are separated (政府信息公开 规章库); glued together they may be
# a title's second line (法治政府建设工作报告).
_CHANNEL = f"[【\\[]?(?:{'|'.join(map(re.escape, CHANNELS))})[】\\]]?"
channel_line = re.compile(f"\\s*{_CHANNEL}(?:[\\s|｜/·•]+{_CHANNEL})*\\s*")
