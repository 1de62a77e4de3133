"""indexer.chrome: every rule removes the constructed case that taught it; report lines stay.

The cases reproduce chrome classes found on real report pages (government sites, mirror and spam
sites): accessibility and site-feature bars, date banners, navigation runs without a label,
channel names and bracket tags before the title, greetings, the page's own <title> shape.
"""
from __future__ import annotations

import pytest

from indexer import chrome
from indexer.clean import clean_text, is_chrome_line, strip_chrome_lines
from indexer.metadata import extract_metadata
from indexer.titles import page_title_of, split_doc_number


@pytest.mark.parametrize("rule", chrome.LINE_RULES, ids=lambda r: r.example[:20])
def test_every_line_rule_removes_its_own_example(rule):
    assert is_chrome_line(rule.example)
    assert clean_text(rule.example + "\n2023年，市司法局坚持依法行政。") == "2023年，市司法局坚持依法行政。"


@pytest.mark.parametrize("rule", chrome.HEAD_RULES, ids=lambda r: r.example[:20])
def test_every_head_rule_cuts_its_own_example(rule):
    cleaned = strip_chrome_lines(rule.example)
    assert cleaned != rule.example and rule.example.endswith(cleaned)
    assert "【" not in cleaned[:1] and "www." not in cleaned


@pytest.mark.parametrize("line", [
    # accessibility, language and site-feature bars
    "无障碍阅读 | 长者模式 | 繁體", "无障碍 简体| 繁体", "本站支持IPv6", "设为首页 | 加入收藏", "登录 注册",
    "蒙古文版", "无障碍 | 长者版", "• 微信公众号", "客户端", "手机版", "取消收藏成功!", "相关办事指南",
    # navigation runs without a 当前位置 label
    "首页 政务公开 政务服务 互动交流", "首页 → 通知公告", "某省人民政府 > 地方动态 > 某市",
    "首页 要闻动态 政务公开 政务服务 政民互动 政府数据",
    # column or channel names standing alone
    "工作动态", "政策解读", "部门文件", "网站公告", "政府信息公开 规章库",
    # date banners of the hosting site
    "今天是:2019年10月31日 星期三 农历十月初七", "天津市某某区人民政府 2019年12月3日星期二",
    "今天是", "2021年5月8日 星期六 农历三月廿七",
    # greetings and site lines
    "欢迎访问某某市人民政府门户网站", "欢迎光临某某专家顾问网! 今天是", "咨询热线:0771-5865068",
    "某某区人民政府门户网站  www.example.gov.cn", "更换或升级浏览器以获得最佳体验。",
    # page metadata after a bullet
    "• 来源:区政府办", "字体大小:【", "访问次数:",
    "无障碍阅读 关怀版 返回首页", "打印整页 打印内容 分享", "区内新闻",
    # fresh1 batch: the long form of the IPv6 badge, an association's rating badge
    "本网站支持IPv6", "本网站支持IPv6 长者模式", "AAAAA级社会组织", "5A级社会组织", "广西文件",
    "AQI", "• 轻度污染", "gecc微信公众号",
    # the same bars in traditional script (the generator's traditional pages found them kept)
    "本網站支持IPv6 長者模式", "無障礙閱讀 | 長者模式",
    # fresh3 batch: the elderly-mode bar, a search link, a login greeting, a nav run that names
    # the site's own place (走进某县)
    "网站无障碍 适老版", "适老版 关爱版", "高级搜索", "(欢迎您)注销",
    "首页 新闻中心 信息公开 政务服务 政民互动 走进某县 专题专栏",
    # fresh4 batch: a search page's sort widgets, the long accessibility link, a bar led by a
    # site name and a portal entry
    "搜索位置", "匹配度", "排序", "按时间排序 按相关度排序", "无障碍访问 长者模式 智能问答",
    "8890某某服务网 办事平台入口 无障碍浏览 微博 微信 简体 登录",
    # batch10: a font-size and favourites bar, and its bracketed form
    "加大字体 缩小字体 收藏 取消收藏 打印", "字体:【 默认 超大",
    # the real pages' index: widgets that reached the fragments
    "【字體:", "【字体: 【打印内容】", "分享至好友和朋友圈", "用微信扫描二维码", "• 点击率:",
    # batch11: a portal header's hotline and search box
    "投资热线:0431-81335626", "搜本站", "搜全站",
    # batch12: a mirror's contact block above the title
    "• 电话:159116031100", "• 传真:027-68834628", "• 地址:湖北武汉三环科技园",
    # batch15: an old-browser hint, its close button after it
    "IE版本过低,为了不影响您的浏览效果,请升级IE版本!建议使用ie11及以上的版本 x",
    "您的IE浏览器版本太低", "建议使用IE9及以上版本浏览本站",
])
def test_real_page_chrome_lines(line):
    assert is_chrome_line(line)


@pytest.mark.parametrize("line", [
    "静海区2023年度法治政府建设情况报告",
    "关于印发《四川省人民政府2025年法治政府",          # first line of a three-line title
    "2024年4月2日星期二，区政府召开常务会议，专题研究法治政府建设工作。",
    "（二）深入推进政务公开，政务服务水平持续提升",
    "农历春节期间，组织开展执法检查12次。",
    "首页设计获评优秀网站",
    "我局在政策解读、工作动态等栏目公开信息120条。",
    "2025年3月19日 09时07分",                       # a date line under the title: kept, it is the date
    "法治政府建设年度报告",                           # a channel name, but also a title's second line
    "法治政府建设工作报告",
    "魅力乡村建设成效明显",                           # 魅力 + a name is nav only as a whole line
    "走进企业送法上门",
    "政务网站无障碍改造和微信公众号建设",             # a heading naming bar words, no bar
    "排序靠前的事项优先办理",
])
def test_report_lines_stay(line):
    assert not is_chrome_line(line)


@pytest.mark.parametrize("raw, title", [
    ("【工作动态】某某县2023年度法治政府建设情况报告\n2023年，我县坚持依法行政。",
     "某某县2023年度法治政府建设情况报告"),
    ("【政策解读】关于《某某县人民政府关于某某县2023年度法治政府建设工作总结的报告》的政策解读\n"
     "按照省市要求，现解读如下。",
     "关于《某某县人民政府关于某某县2023年度法治政府建设工作总结的报告》的政策解读"),
    ("今天是:2019年10月31日 星期三 农历十月初七\n工作报告\n您所在的位置:政务公开 > 工作报告\n"
     "2020年静海区法治政府建设情况报告\n文章来源:司法局 更新时间:2021/03/29 11:30:01\n"
     "2020年，静海区坚持依法行政。", "2020年静海区法治政府建设情况报告"),
    ("秘书之家—全网资源每日更新www.example.com湖北省人民政府关于2023年度法治政府建设情况的报告"
     "2023年,省政府坚持以习近平新时代中国特色社会主义思想为指导,坚持依法行政,法治政府建设取得新成效。",
     "湖北省人民政府关于2023年度法治政府建设情况的报告"),
    ("更换或升级浏览器以获得最佳体验。\n当前浏览器版本过低,可能会有安全风险且无法正常显示。\n"
     "您当前的位置: 首页> 政务公开> 法治政府建设年度报告 > 2023年度\n"
     "2023年,两江新区坚持以习近平新时代中国特色社会主义思想为指导,深入学习贯彻习近平法治思想。", ""),
    ("各区县局\n重庆市市场监督管理局关于2025年法治政府建设情况的报告\n2025年,在市委的坚强领导下,市局坚持依法行政。",
     "重庆市市场监督管理局关于2025年法治政府建设情况的报告"),
    ("遂府办〔2025〕3号\n遂宁市人民政府办公室\n关于2024年法治政府建设工作情况的报告\n市委、市政府:\n"
     "2024年,市政府办公室坚持依法行政。", "遂宁市人民政府办公室关于2024年法治政府建设工作情况的报告"),
    ("四川省人民政府办公厅\n关于印发《四川省人民政府2025年法治政府\n建设重点工作安排》的通知\n川办发〔2025〕12号\n"
     "各市(州)人民政府:\n《四川省人民政府2025年法治政府建设重点工作安排》已经省政府同意,现印发给你们。",
     "四川省人民政府办公厅关于印发《四川省人民政府2025年法治政府建设重点工作安排》的通知"),
    # A mirror's prefix before the portal's channel tag (bench/copies.py found it): both go.
    ("秘书之家—全网资源每日更新www.example.com【工作动态】某某县2020年度法治政府建设工作报告\n"
     "2020年，某某县坚持依法行政。", "某某县2020年度法治政府建设工作报告"),
    ("成人免费AV网址|亚洲手机免费在线|在线国产视频91|无码\n某某市2019年法治政府建设情况报告\n"
     "2019年，市政府坚持依法行政。", "某某市2019年法治政府建设情况报告"),
    # a header label of the page's parts, and the eye-care colour bar
    ("头部-某某省司法厅\n首页 > 政府信息公开 > 公示公告\n某某省司法厅2020年推进法治政府建设工作情况\n"
     "发布日期:2021-03-03 信息来源:某某省司法厅\n保护视力色: 杏仁黄 秋叶褐 天蓝 银河白(默认色) 分享到:\n"
     "2020年,司法厅坚持依法行政。", "某某省司法厅2020年推进法治政府建设工作情况"),
    # a document-sharing mirror: its blurb, then the title twice, glued, after a page number
    ("《某县教育局2022年法治政府建设年度报告.docx》由会员分享,可在线阅读,更多相关《某县教育局2022年"
     "法治政府建设年度报告.docx(8页珍藏版)》请在某某文库网|CAD图纸下载上搜索。\n1、某县教育局2022年法治政府"
     "建设年度报告某县教育局2022年法治政府建设年度报告xxxx年,我局高度重视法治政府建设,取得了显著的成绩。",
     "某县教育局2022年法治政府建设年度报告"),
    # batch8: the same mirror when the title is printed once, its opening glued after it
    ("《2023年某某市法治政府建设情况报告.docx》由会员分享,可在线阅读,更多相关《2023年某某市法治政府建设情况报告"
     ".docx(16页珍藏版)》请在某某文库上搜索。\n1、2023年某某市法治政府建设情况报告2023年,在市委、市政府的坚强领导下,"
     "全市各区坚持依法行政。", "2023年某某市法治政府建设情况报告"),
    # a news headline that does not end like a report title, said by the 来源 line under it
    ("歡迎訪問某某政法網(wǎng) 今天是 2024年10月23日 星期三\n\n某某省命名第二批全省法治政府建設示范地區(qū)和項目\n"
     "\n來源:某某政法網(wǎng) 責任編輯:某某 發(fā)布時間:2023-04-17\n字號:A A\n\n近日,省委依法治省辦印發(fā)決定。",
     "某某省命名第二批全省法治政府建設示范地區和項目"),
    # a transmittal notice whose attachment follows under the signature
    ("发文机关中共某某省交通运输厅党组\n发文日期2021年12月21日\n时效性现行有效\n发文字号某交发〔2021〕63号\n"
     "厅直各单位:\n经厅党组会议审议同意,现将《关于进一步深化交通运输法治政府部门建设的实施意见》印发给你们,"
     "请认真抓好落实。\n中共某某省交通运输厅党组\n2021年12月21日\n关于进一步深化交通运输法治政府部门建设的实施意见\n"
     "为深入学习宣传贯彻习近平法治思想,制定本实施意见。", "关于进一步深化交通运输法治政府部门建设的实施意见"),
    # a navigation run of a department's site, and a date line naming the office above the title
    ("新闻中心 组织机构 信息公开 在线办事 政民互动 纪检监察\n当前位置:首页>>专题专栏>>法治政府建设\n"
     "某某省农业农村厅2021年度法治政府建设情况报告\n时间:2022年01月19日 来源:法规处\n2021年,省农业农村厅坚持依法行政。",
     "某某省农业农村厅2021年度法治政府建设情况报告"),
    ("今天是:\n中国政府网|湖北政府网|繁体|无障碍\n2026-01-20 17:01  |  某某市水务局\n\n"
     "市水务局2025年度法治政府建设情况报告\n\n2025年,我局扎实推动法治政府建设。", "市水务局2025年度法治政府建设情况报告"),
    ("设为首页 | 加入收藏\n法治工作\n当前位置: 网站首页 >> 业务板块 >> 法治工作\n"
     "某某州人大常委会审议某某州政府2020年法治政府建设工作情况报告\n发布日期:2021-05-19 点击数: 来源:某某州司法局\n"
     "4月26日,州人大常委会听取和审议了报告。", "某某州人大常委会审议某某州政府2020年法治政府建设工作情况报告"),
    # fresh3 batch: the page <title> with a spam site after a hyphen, then the title again: the
    # first line is taken alone, never joined to the second
    ("某某省2023年度法治政府建设情况-xx8某某官方网站\n\n某某省2023年度法治政府建设情况\n"
     "来源:某某省人民政府门户网站 时间:2024-04-03 11:45\n\n2023年,我省坚持依法行政。", "某某省2023年度法治政府建设情况"),
    # …an elderly-mode bar above a breadcrumb and a title broken after the body's name
    ("网站无障碍 适老版\n首页 > 政府信息公开 > 政府信息公开年报\n某某市人民政府\n"
     "关于2019年度法治政府建设工作情况的报告\n省人民政府:\n2019年,我市坚持依法行政。",
     "某某市人民政府关于2019年度法治政府建设工作情况的报告"),
    # …a portal's unlabelled metadata list (bulleted dates) right above the title
    ("• 115000000000000000/2024-00011\n• 法制\n• 工作报告\n• 某某区司法局\n• 2024-03-22\n• 2024-03-22\n\n"
     "某某区2023年法治政府建设工作报告\n\n某某区2023年法治政府建设工作报告\n\n"
     "2023年,在区委的坚强领导下,区政府坚持依法行政。", "某某区2023年法治政府建设工作报告"),
    # …a WeChat-browser hint and a login greeting
    ("请点击右上角 选择浏览器打开\n\n(欢迎您)注销\n\n某某市2021年法治政府建设情况报告\n\n"
     "发布时间:2022-03-30 14:23\n\n2021年,全市各级行政机关坚持依法行政。", "某某市2021年法治政府建设情况报告"),
    # …an 适老版 bar, and a layout space between 关于 and the year
    ("适老版 关爱版\n\n某某区人民政府关于 2024年法治政府建设情况报告\n\n来源:某某区人民政府办公室\n\n"
     "2024年,区委、区政府坚持依法行政。", "某某区人民政府关于2024年法治政府建设情况报告"),
    # …a column tag in brackets that ends in 报告, and a search link
    ("【省政府法治建设报告】某某省人民政府关于2022年度法治政府建设情况的报告\n2022年,省政府坚持依法行政。",
     "某某省人民政府关于2022年度法治政府建设情况的报告"),
    ("高级搜索\n当前位置:首页 > 法治政府建设 > 区政府\n2024年某某区法治政府建设工作情况报告\n"
     "2024年,某某区坚持依法行政。", "2024年某某区法治政府建设工作情况报告"),
    # …a navigation run naming the site's own place
    ("首页 新闻中心 信息公开 政务服务 政民互动 走进某县 专题专栏\n\n某县2025年度法治政府建设情况报告\n\n"
     "2025年,某县坚持依法行政。", "某县2025年度法治政府建设情况报告"),
    # fresh4 batch: chrome lines left above a title that names its own place are never joined
    # to it (a search page's widgets, a column name above a removed breadcrumb, a bar with a
    # site name); a bare column title (no body, no year) above the full title gives way to it
    ("某某县司法局\n\n搜索位置\n相关度\n排序\n\n某某县应急管理局2024年法治政府建设报告\n\n"
     "发布日期: 2025-03-01 发布机构: 县司法局\n\n2024年,县应急管理局坚持依法行政。",
     "某某县应急管理局2024年法治政府建设报告"),
    ("结果公开\n\n您现在的位置 首页 > 专栏 > 结果公开\n\n某某市某某区水务局2023年法治政府建设年度报告\n\n"
     "2023年,区水务局坚持依法行政。", "某某市某某区水务局2023年法治政府建设年度报告"),
    ("8890某某服务网 办事平台入口 无障碍浏览 微博 微信 简体登录\n\n【法治建设报告】某某省民政厅2022年"
     "法治政府建设年度报告\n\n2022年,省民政厅坚持依法行政。", "某某省民政厅2022年法治政府建设年度报告"),
    ("微信公众号\n无障碍访问 长者模式 智能问答\n某某省水利厅关于2024年法治政府建设情况的报告\n\n"
     "2024年,省水利厅坚持依法行政。", "某某省水利厅关于2024年法治政府建设情况的报告"),
    ("法治政府部门建设工作报告\n某某省商务厅2022年度法治政府部门建设报告\n来源:某某省商务厅 2023-02-20 10:05\n\n"
     "2022年,某某省商务厅坚持依法行政。", "某某省商务厅2022年度法治政府部门建设报告"),
    # …nor to a 关于 or year-led title when it does not end like a body, which still joins
    ("结果公开\n\n您现在的位置 首页 > 专栏 > 结果公开\n\n关于2024年法治政府建设情况的报告\n来源:区司法局\n"
     "2024年,我区坚持依法行政。", "关于2024年法治政府建设情况的报告"),
    ("中共某某市交通运输局党组\n2022年度法治政府建设报告\n2022年,市交通运输局坚持依法行政。",
     "中共某某市交通运输局党组2022年度法治政府建设报告"),
    # …while a title broken before its place still joins (关于印发 / 某市…的通知)
    ("某某市人民政府办公室关于印发\n某某市2023年法治政府建设工作要点的通知\n各县区人民政府:\n现印发给你们。",
     "某某市人民政府办公室关于印发某某市2023年法治政府建设工作要点的通知"),
])
def test_title_is_the_reports_own_after_real_chrome(raw, title):
    meta = extract_metadata(raw, clean_text(raw))
    assert meta.title == title


@pytest.mark.parametrize("line, title", [
    (chrome.TITLE_SHAPE_EXAMPLE, "某某市2023年度法治政府建设情况报告"),
    ("某某县2022年法治政府建设工作报告_某某县人民政府", "某某县2022年法治政府建设工作报告"),
    ("某某区2021年度法治政府建设情况报告 | 某某区政府网站", "某某区2021年度法治政府建设情况报告"),
    ("某某县2022年法治政府建设工作报告", "某某县2022年法治政府建设工作报告"),
])
def test_the_pages_own_title_shape(line, title):
    assert page_title_of(line) == title


def test_date_banner_never_gives_the_year():
    raw = ("天津市某某区人民政府 2019年12月3日星期二\n无障碍 简体| 繁体\n"
           "某某区2023年度法治政府建设情况报告\n2023年,某某区坚持依法行政。")
    meta = extract_metadata(raw, clean_text(raw))
    assert (meta.year, meta.published) == (2023, None)


def test_year_report_tag_is_cut_before_the_title():
    assert strip_chrome_lines("【年度报告】某某区2023年法治政府建设情况报告") == "某某区2023年法治政府建设情况报告"


@pytest.mark.parametrize("title, split", [
    ("[某政发〔2026〕7号]某市人民政府关于2025年法治政府建设情况的报告",
     ("某市人民政府关于2025年法治政府建设情况的报告", "某政发〔2026〕7号")),
    ("某府发[2024]12号]某县人民政府2023年度法治政府建设情况报告",     # a cell lost the "["
     ("某县人民政府2023年度法治政府建设情况报告", "某府发[2024]12号")),
    ("某政发〔2023〕5号 某市人民政府关于2022年法治政府建设情况的报告",
     ("某市人民政府关于2022年法治政府建设情况的报告", "某政发〔2023〕5号")),
    ("某市人民政府关于2025年法治政府建设情况的报告", ("某市人民政府关于2025年法治政府建设情况的报告", "")),
    ("关于某政发〔2023〕5号文件落实情况的报告", ("关于某政发〔2023〕5号文件落实情况的报告", "")),
    # batch8: glued, no bracket or space; only when what follows reads as a title
    ("某政发〔2021〕1号某某县2020年度法治政府建设情况报告", ("某某县2020年度法治政府建设情况报告", "某政发〔2021〕1号")),
    ("某政发〔2021〕1号文件落实情况", ("某政发〔2021〕1号文件落实情况", "")),
])
def test_a_title_led_by_its_document_number(title, split):
    assert split_doc_number(title) == split


def test_the_number_before_a_table_title_is_the_doc_number():
    raw = ("- 索引号: abc/2026-00095\n- 发文机关: 某某市人民政府办公室\n- 发文字号:\n- 发布时间: 2026-02-24\n"
           "- 标题: [某政发〔2026〕7号]某某市人民政府关于2025年法治政府建设情况的报告\n"
           "[某政发〔2026〕7号]某某市人民政府关于2025年法治政府建设情况的报告\n市委:\n2025年,市政府坚持依法行政。")
    meta = extract_metadata(raw, clean_text(raw))
    assert (meta.title, meta.doc_number, meta.issuer) == (
        "某某市人民政府关于2025年法治政府建设情况的报告", "某政发〔2026〕7号", "某某市人民政府")
