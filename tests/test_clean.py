from pathlib import Path

import pytest

from indexer.clean import (
    clean_text,
    collapse_whitespace,
    is_chrome_line,
    normalize_width,
    remove_pinyin_annotations,
    strip_chrome_lines,
)

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "sample"


def sample(prefix: str) -> str:
    (path,) = SAMPLES.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "line",
    [
        "当前位置:首页 > 政府信息公开 > 行政执法专栏",
        "您当前所在位置: 首页>法治建设>法治工作信息",
        "您的位置：首页 > 政务公开",
        "您现在的位置：首页 » 通知公告",
        "首页 > 法治政府 > 工作报告",
        "中国政府网 山西省政府 忻州市政府",
        "字号 大 中 小",
        "【字体：大 中 小】",
        "大    中    小",
        "打印本页 | 关闭窗口",
        "【打印】【关闭】",
        "打印页面|关闭页面",
        "关闭本页",
        "扫一扫在手机打开当前页",
        "分享到：",
        "分享文章到",
        "分享",
        "Baidu",
        "map",
        "微信 微博 QQ空间",
        "今天是2024年1月2日 星期二",
        "来源: 苏州市行政审批局  发布日期: 2024-01-02 13:30   访问量:",
        "时间:2023-03-01       大    中    小      来源:忻府区司法局",
        "发布时间：2023-02-10  浏览次数：1234",
        "阅读次数：56",
        "京ICP备05070218号",
        "京公网安备11010202000001号",
        "贛公網安備 36050202000078號",
        "网站标识码：1409000001",
        "主办单位：忻州市人民政府办公室  技术支持：某某科技有限公司",
        "版权所有 © 苏州市人民政府",
        "Copyright © 2024 www.example.gov.cn All Rights Reserved",
    ],
)
def test_chrome_lines(line):
    assert is_chrome_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "忻府区2022年度法治政府建设工作报告",
        "一、加强组织领导，推动法治政府建设工作的落实。",
        "我们分享了依法行政的经验，购置了打印机。",
        "组织党员干部分享学习体会",
        "关闭违规企业12家",
        "（一）坚决扛牢法治责任。",
        "时间紧、任务重，全局上下齐心协力完成各项工作。",
        "为企业提供技术支持和法律咨询服务",
        "依法查处侵犯版权所有者权益的案件",
        "首页设计获评优秀网站",
        "2023年度法治政府建设情况报告",
    ],
)
def test_report_lines_are_not_chrome(line):
    assert not is_chrome_line(line)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("当前位置：首页 > 工作动态\n报告正文。\n【打印】【关闭】", "报告正文。"),
        ("标题\n\n正文。\n\n关闭本页", "标题\n\n正文。\n"),
        ("正文一。\n关闭本页板和不足，还需改进。", "正文一。\n板和不足，还需改进。"),
        ("报告标题【字体：大 中 小】\n正文。", "报告标题\n正文。"),
        ("正文。打印本页", "正文。"),
        ("分享经验做法，打印宣传资料。", "分享经验做法，打印宣传资料。"),
        ("正文。\n\n相关稿件\n某某报告\n另一篇报告\n分享到：\nBaidu", "正文。\n"),
        ("相关链接\n" + "这是一段很长的正文，" * 12 + "\n结尾。",
         "相关链接\n" + "这是一段很长的正文，" * 12 + "\n结尾。"),
        ("当前位置:首页 > 政府法制 > 依法行政\n\n依法行政\n\n某省2017年度法治政府建设工作报告\n正文。",
         "\n\n某省2017年度法治政府建设工作报告\n正文。"),
        ("当前位置:首页 > 依法行政\n正文一。\n正文二。\n正文三。\n正文四。\n正文五。\n正文六。\n依法行政",
         "正文一。\n正文二。\n正文三。\n正文四。\n正文五。\n正文六。\n依法行政"),
        ("首页 > 某县2023年度法治政府建设情况报告\n某县2023年度法治政府建设情况报告\n正文。",
         "某县2023年度法治政府建设情况报告\n正文。"),
    ],
    ids=["breadcrumb-and-buttons", "trailing-close", "glued-close", "bracketed-font-size",
         "glued-print-at-end", "words-inside-sentence", "related-section", "related-not-at-end",
         "column-heading-repeats-the-last-crumb", "far-below-the-crumb-stays",
         "a-title-crumb-keeps-its-title"],
)
def test_strip_chrome_lines(text, expected):
    assert strip_chrome_lines(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("區(qū)域協同", "區域協同"),
        ("統(tǒng)籌推進", "統籌推進"),
        ("统（tǒng）筹（chóu）", "统筹"),
        ("發(fā zhǎn)展", "發展"),
        ("（一）加强组织领导", "（一）加强组织领导"),
        ("纲要(2021-2025年)", "纲要(2021-2025年)"),
        ("平台(APP)上线", "平台(APP)上线"),
        ("系统(app)上线", "系统(app)上线"),
        ("Word (wǒ) 文档", "Word (wǒ) 文档"),
    ],
)
def test_remove_pinyin_annotations(text, expected):
    assert remove_pinyin_annotations(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("２０２３年", "2023年"),
        ("ＩＣＰ备ａｂｃ", "ICP备abc"),
        ("（一）依法行政，“放管服”。", "（一）依法行政，“放管服”。"),
        ("１：２！", "1：2！"),
    ],
)
def test_normalize_width(text, expected):
    assert normalize_width(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a  b\t\tc\u3000\u3000d\u00a0e", "a b c d e"),
        ("  首行缩进  \r\n第二行\r第三行", "首行缩进\n第二行\n第三行"),
        ("一\n\n\n\n\n二", "一\n\n二"),
        ("一\n\n二", "一\n\n二"),
        ("\n\n  \n标题\n正文\n \n\n", "标题\n正文"),
        ("\ufeff标题\u200b", "标题"),
    ],
)
def test_collapse_whitespace(text, expected):
    assert collapse_whitespace(text) == expected


def test_cleaning_joins_to_a_fixpoint():
    """Found by the idempotence property: joining 一 and 0 makes a new width that joins the last 0."""
    text = "ＩＣＰ备案管理工作。\n  多余\u3000空格  的一行\n\nＩＣＰ备案管理工作。\n、、、、、、、一\n0\n0"
    once = clean_text(text)
    assert once.endswith("、、、、、、、一00")
    assert clean_text(once) == once


def test_clean_text_composes_all_steps():
    raw = ("您的位置：首页 > 政务公开\r\n\r\n"
           "　　２０２３年度法治政府建设情况报告【字体：大 中 小】\r\n"
           "来源：市司法局　　发布时间：２０２４－０１－０２\r\n\r\n\r\n"
           "　　一、統(tǒng)籌推進（一）依法行政。\r\n"
           "扫一扫在手机打开当前页\r\n")
    assert clean_text(raw) == "2023年度法治政府建设情况报告\n\n一、統籌推進（一）依法行政。"


def test_sample_003_loses_its_page_chrome():
    lines = clean_text(sample("003")).split("\n")
    assert lines[0] == "忻府区2022年度法治政府建设工作报告"
    assert lines[2].startswith("按照省市关于开展法治政府建设工作的安排部署")
    assert lines[-1].endswith("全面开创我区法治建设工作新局面")
    text = "\n".join(lines)
    for chrome in ("当前位置", "关闭本页", "扫一扫", "分享到", "大    中    小", "大 中 小", "中国政府网"):
        assert chrome not in text


def test_sample_004_loses_its_page_chrome():
    text = clean_text(sample("004"))
    assert text.split("\n")[0] == "2023年度法治政府建设情况报告"
    assert text.endswith("助力全市法治政府工作大局。")
    for chrome in ("相关稿件", "访问量", "Baidu", "打印页面", "您当前所在位置", "分享"):
        assert chrome not in text


@pytest.mark.parametrize("prefix", ["000", "001"])
def test_clean_samples_only_change_whitespace(prefix):
    raw = sample(prefix)
    cleaned = clean_text(raw)
    assert cleaned == collapse_whitespace(raw)
    assert cleaned.split("\n")[0] == raw.split("\n")[0].strip()


def test_traditional_sample_keeps_its_script_and_loses_only_the_footer():
    raw = sample("002")
    body, footer = raw.rsplit("\n", 1)
    assert footer == "贛公網安備 36050202000078號"
    cleaned = clean_text(raw)
    assert cleaned == collapse_whitespace(body)
    assert cleaned.startswith("2024年,市行政審批局以習近平新時代中國特色社會主義思想為指導")


@pytest.mark.parametrize("raw, cleaned", [
    # a mirror left the line break as the tag's bare name between Chinese characters
    ("某某省人民政府br关于2020年度法治政府建设情况的报告", "某某省人民政府\n关于2020年度法治政府建设情况的报告"),
    ("某某省人民政府<br/>关于2020年度的报告", "某某省人民政府\n关于2020年度的报告"),
    ("提交BR文件与Abr关于", "提交BR文件与Abr关于"),        # not between two Chinese characters
    # a mirror wrote each no-break space as "?": a space (one ? stays: 如何?)
    ("??2020年,我州堅持依法行政。情况如何?", "2020年,我州堅持依法行政。情况如何?"),
    ("分????????類 | 行業管理?? |", "分 類 | 行業管理 |"),
    # batch17: a meta tag's attribute leaked and echoed, the page <title>'s site name after a space
    ('關于2017年法治政府建設工作的報告 某某省人民政府網" > 關于2017年法治政府建設工作的報告 某某省人民政府網" />\n'
     "2017年,某某省各級行政機關堅持依法行政。", "關于2017年法治政府建設工作的報告\n2017年,某某省各級行政機關堅持依法行政。"),
    ('某某县司法局2023年工作报告" />', "某某县司法局2023年工作报告"),
    ('他说:"依法行政。"\n', '他说:"依法行政。"'),            # a quotation is no tag
])
def test_a_mirrors_markup_leftovers(raw, cleaned):
    assert clean_text(raw) == cleaned
