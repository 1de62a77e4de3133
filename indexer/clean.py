"""Strip web-page chrome from report text and normalise its whitespace: pure ``str -> str`` steps.

Reports saved from government sites carry breadcrumbs, font-size widgets, share buttons and
footers. They pollute search hits and snippets, and the title must end up on the first line.
Chrome is recognised by whole short lines and a few distinctive fragments, never by a word inside
a sentence: a report may well write 分享经验 or 打印机. The text keeps its original script; the
traditional-to-simplified conversion belongs to the analyzer.
"""
from __future__ import annotations

import re

from search.analysis import normalize
from indexer import chrome
from indexer.disclosure import table_lines
from indexer.linejoin import join_wrapped_lines

# Lines longer than this are report prose, whatever words they contain.
SHORT_LINE = 120

_SPACE = "[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
_SEP = r"[\s|｜/:：,，、·•\-—»>＞【】\[\]()（）<>《》]*"

# Every token of a line made only of these is chrome: 打印本页 | 关闭窗口, 分享到：微信 微博 …
_CHROME_TOKENS = sorted("""
打印本页 打印页面 打印此页 打印文章 打印 关闭本页 关闭窗口 关闭页面 关闭此页 关闭 返回顶部 返回首页 返回
扫一扫在手机打开当前页 扫一扫在手机上打开当前页 用手机扫一扫 手机扫一扫 扫一扫 手机打开当前页 分享文章到 分享到
分享 收藏本页 收藏 Baidu map 微信 微博 新浪微博 腾讯微博 QQ空间 QQ好友 人人网 豆瓣 字号 字体 默认 大 中 小 顶部
加大字体 缩小字体 取消收藏 超大 打印内容 分享至好友和朋友圈 用微信扫描二维码 微信扫描二维码 扫描二维码 点击率
""".split(), key=len, reverse=True)
_CHROME_LINE = re.compile(_SEP + "(?:(?:" + "|".join(map(re.escape, _CHROME_TOKENS)) + ")" + _SEP + ")+",
                          re.I)

_BREADCRUMB = re.compile(r"^(?:您?(?:当前|现在)?的?(?:所在)?位置|您的位置|當前位置|您現在的位置)\s*[:：]"
                         r"|^首页\s*[>＞»›/]")
# Site names separated by spaces (中国政府网 山西省政府); a title line has no spaces between them
# (关于印发《四川省人民政府2025年法治政府 is the first line of a title, not two links).
_SITE_LINKS = re.compile(r"^(?:[^\s《》“”]{2,14}(?:政府网|政府|门户网站|网站|政府網)\s+)+"
                         r"[^\s《》“”]{2,14}(?:政府网|政府|门户网站|网站|政府網)$")
_STALE_DATE = re.compile(r"^今天是\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_META_LABELS = (r"来源|信息来源|文章来源|稿件来源|來源|发布日期|发布时间|發布日期|發布時間|时间|日期"
                r"|作者|编辑|责任编辑|发布机构|字号|访问量|浏览次数|阅读次数|点击数|浏览量|阅读量|访问次数")
_META_LINE = re.compile(r"^【?(?:" + _META_LABELS + r")\s*[:：]")
_COUNTER = re.compile(r"(?:访问量|浏览次数|阅读次数|点击数|浏览量|阅读量|访问次数|點擊數|瀏覽次數)\s*[:：]")
_FOOTER = re.compile(
    r"(?:公[网網]安[备備]|ICP[备備证證])[\s:：第]*\d"
    r"|^(?:网站标识码|網站標識碼|主办单位|主辦單位|承办单位|承辦單位|版权所有|版權所有|技术支持|技術支持"
    r"|Copyright|©)"
    r"|(?:网站标识码|網站標識碼|主办单位|主辦單位|版权所有|版權所有|技术支持|技術支持)\s*[:：©]", re.I)
_RELATED = re.compile(r"^[【\[]?(?:相关稿件|相关链接|相关文章|相关新闻|相关阅读|相關稿件|相關鏈接)[】\]]?\s*[:：]?$")

# Distinctive chrome glued to prose, e.g. "关闭本页板和不足，…": removed wherever it appears
# at a line's start or end, or anywhere when bracketed.
_GLUED = ("关闭本页|关闭窗口|关闭页面|打印本页|打印页面|扫一扫在手机打开当前页|分享文章到")
_GLUED_EDGE = re.compile(rf"^(?:\s*(?:{_GLUED})[\s|｜]*)+|(?:[\s|｜]*(?:{_GLUED}))+\s*$")
_BRACKETED = re.compile(r"[【\[]\s*(?:字[号體体]\s*[:：]?\s*)?大\s*中\s*小\s*[】\]]"
                        r"|[【\[](?:打印|关闭|打印本页|关闭窗口|收藏|返回顶部|字号)[】\]]"
                        r"|字[号體体]\s*[:：]?\s*大\s*中\s*小")

_TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN = re.compile(rf"(?<=[\u3400-\u9fff\uf900-\ufaff])[(（]\s*"
                     rf"(?=[a-zü{_TONE_VOWELS} ]*[{_TONE_VOWELS}])[a-zü{_TONE_VOWELS}]+"
                     rf"(?: [a-zü{_TONE_VOWELS}]+)*\s*[)）]")

# Full-width digits and Latin letters only; Chinese punctuation (，。（）) stays as it is.
_HALF_WIDTH = {c: c - 0xFEE0 for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B),
                                       *range(0xFF41, 0xFF5B))}


def clean_text(text: str) -> str:
    """Return ``text`` without page chrome, pinyin glosses or ragged whitespace.

    :param text: decoded report text, one paragraph per line.
    """
    text = remove_invisible(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _LEAKED_TAG.sub(_tag_value, text)
    text = join_wrapped_lines(text, apart=_chrome_then_content)   # before chrome: whole lines
    text = normalize_width(text)
    text = remove_pinyin_annotations(text)
    text = collapse_whitespace(strip_chrome_lines(text))
    # Again on the clean lines: what a second cleaning would join, so cleaning is idempotent;
    # to a fixpoint, since a join can change the width the lines show (一\n0\n0 → 一0\n0 → 一00).
    for _ in range(_JOIN_PASSES):
        joined = collapse_whitespace(join_wrapped_lines(text, apart=_chrome_then_content))
        if joined == text:
            break
        text = joined
    return text


_JOIN_PASSES = 8

# A mirror that leaked a meta tag's attribute, echoed (标题 某省人民政府網" > 标题 某省人民政府網" />):
# the line is its value, without the site name the page <title> adds after a space.
_LEAKED_TAG = re.compile(r'^[ \t]*([^"<>\n]{4,160}?)[ \t]*"[ \t]*/?>(?:[^"<>\n]*"[ \t]*/?>)*[ \t]*$', re.M)
_SITE_AFTER = re.compile(r"\s+\S{2,20}(?:网|網|网站|網站)$")


def _tag_value(m: re.Match) -> str:
    return _SITE_AFTER.sub("", m.group(1))


_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"))


def remove_invisible(text: str) -> str:
    """Drop zero-width characters and BOMs first: they must not hide a chrome line; read a line
    break a mirror left as the tag's bare name between Chinese characters (某省人民政府br关于…),
    and a run of "?" it wrote for each no-break space as a space."""
    return _GARBLED_SPACE.sub(" ", _BARE_BREAK.sub("\n", text.translate(_INVISIBLE)))


# A mirror that wrote each no-break space as "?" (索??引??號, ??2020年,…): a space.
_GARBLED_SPACE = re.compile(r"\?{2,}(?=[\u4e00-\u9fff\d])|(?<=[\u4e00-\u9fff])\?{2,}")
_BARE_BREAK = re.compile(r"(?<=[\u4e00-\u9fff])(?:<[bB][rR]\s*/?>|br)(?=[\u4e00-\u9fff])")


def strip_chrome_lines(text: str) -> str:
    """Drop chrome lines, glued chrome words and a trailing "related articles" section.

    >>> strip_chrome_lines("当前位置：首页 > 工作动态\\n报告正文。\\n【打印】【关闭】")
    '报告正文。'
    """
    raw = text.split("\n")
    # Glued chrome words and chrome lines go first, so that the 信息公开 table is found among
    # the lines a second cleaning would see (cleaning is idempotent).
    lines = []
    crumb, crumb_until = "", -1
    for number, line in enumerate(raw):
        if _RELATED.match(line.strip()) and _only_short_lines(raw[number + 1:]):
            break
        if not line.strip():
            lines.append("")            # paragraph breaks stay; lines emptied of chrome go
            continue
        line = _strip_chrome_fragments(line)
        if not line.strip() or _is_spam(line):
            continue
        if is_chrome_line(line) and not _ends_title(lines[-1] if lines else "", line):
            crumb, crumb_until = _last_crumb(line) or crumb, number + _CRUMB_REACH
        elif not (number <= crumb_until and line.strip() == crumb):
            lines.append(line)
    table = table_lines("\n".join(lines))   # the 信息公开 table: read into metadata, not text
    return "\n".join("" if number in table else line for number, line in enumerate(lines))


# A title printed over two lines whose second line reads like a column name (小寨路街道2024年度法治
# 政府建设 / 工作总结): the first line names the topic and stops short of the title's end.
_TITLE_TAIL = re.compile(r"^\s*(?:工作总结|工作报告|年度报告|情况报告|计划总结)\s*$")
_UNFINISHED_TITLE = re.compile(r"^(?=[^。，,；;：:]{6,40}$)(?=.*(?:法治|法制|依法行政)).*(?<!报告)(?<!总结)"
                               r"(?<!情况)$")


def _ends_title(above: str, line: str) -> bool:
    """Whether ``line``, a column name, is the end of the title on the line right ``above``."""
    return bool(_TITLE_TAIL.match(line) and _UNFINISHED_TITLE.match(above.strip()))


# A breadcrumb's last crumb, repeated as the column's heading on the next lines (当前位置:首页 >
# 政府法制 > 依法行政, then 依法行政 alone, then the title): a column name, not a title's first line.
_CRUMB_SPLIT = re.compile(r"\s*(?:->|>|＞|»|›|→)\s*")
_CRUMB_REACH = 6
_NOT_COLUMN = re.compile(r"\d|报告|总结|情况|汇报")


def _last_crumb(line: str) -> str:
    """The last crumb of a breadcrumb line when it is a short column name, else ""."""
    parts = _CRUMB_SPLIT.split(line.strip())
    last = parts[-1].strip() if len(parts) > 1 else ""
    return last if 2 <= len(last) <= 8 and not _NOT_COLUMN.search(last) else ""


def is_chrome_line(line: str) -> bool:
    """Tell whether a whole line is navigation, a widget, page metadata or a site footer."""
    line = line.strip().lstrip("•·●▪◆").strip()
    if not line or len(line) > SHORT_LINE:
        return False
    folded = normalize(line)      # the chrome tables are simplified: 無障礙 reads 无障碍 here
    if any(p.search(line) or p.search(folded) for p in chrome.line_patterns):
        return True
    if line.endswith("。"):
        return False
    return bool(
        _CHROME_LINE.fullmatch(line) or _CHROME_LINE.fullmatch(folded)     # 【字體:
        or any(p.fullmatch(line) or p.fullmatch(folded)
               for p in (chrome.bar_line, chrome.nav_line, chrome.channel_line))
        or _BREADCRUMB.search(line)
        or _SITE_LINKS.match(line)
        or _STALE_DATE.match(line)
        or _META_LINE.match(line)
        or _COUNTER.search(line)
        or _FOOTER.search(line)
    )


def _chrome_then_content(line: str, next_line: str) -> bool:
    """A chrome line that reaches the wrap width keeps apart from the next line, unless that is
    the few characters a wrap cut off it (``…行政执法专`` + ``栏``: the whole line is chrome).

    ``您当前所在位置: 首页>法治建设>法治工作信息`` may be exactly as wide as the wrap and must not
    swallow the title below it.
    """
    return is_chrome_line(line) and not (len(next_line.strip()) <= _CHROME_TAIL
                                         and is_chrome_line(line.rstrip() + next_line.strip()))


_CHROME_TAIL = 4


def _strip_chrome_fragments(line: str) -> str:
    """``关闭本页板和不足，…`` → ``板和不足，…``; ``标题【字体：大 中 小】`` → ``标题``."""
    line = _GLUED_EDGE.sub("", _BRACKETED.sub("", line))
    stripped = line.lstrip()
    cut = True
    while cut:                                    # stacked: a mirror's prefix before a tag
        cut = False
        for pattern in chrome.head_patterns:      # matched folded, cut from the original:
            m = pattern.match(normalize(stripped))    # normalize keeps every offset
            if m and m.end():
                stripped, cut = stripped[m.end():], True
    return stripped if stripped != line.lstrip() else line


def _is_spam(line: str) -> bool:
    """A mirror site's advertising run: several spam words on one line."""
    folded = normalize(line)
    return sum(normalize(word) in folded for word in chrome.SPAM_WORDS) >= chrome.SPAM_MIN_HITS


def _only_short_lines(lines: list[str]) -> bool:
    """A related-articles list is headlines and widgets, never a long paragraph."""
    return all(len(line.strip()) <= 80 for line in lines)


def remove_pinyin_annotations(text: str) -> str:
    """Drop pinyin glosses left by copy-paste from annotated pages: ``區(qū)域`` → ``區域``.

    Only parentheses right after a Chinese character, holding lowercase pinyin with at least one
    tone mark, are removed; （一） and (2020-2025年) stay.
    """
    return _PINYIN.sub("", text)


def normalize_width(text: str) -> str:
    """Turn full-width digits and Latin letters into ASCII: ``２０２３年ＩＣＰ`` → ``2023年ICP``."""
    return text.translate(_HALF_WIDTH)


def collapse_whitespace(text: str) -> str:
    """Collapse space runs, strip lines, keep one blank line at most between paragraphs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "").replace("\u200b", "")
    text = re.sub(_SPACE + "+", " ", text)
    text = "\n".join(line.strip(" ") for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")
