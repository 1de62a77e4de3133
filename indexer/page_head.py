"""The hosting page's head and byline, cut from a report's text once its own title is known.

``indexer.clean`` removes chrome line by line, by what a line looks like. What it cannot know
is where the report begins: on real pages a site name (新田镇人民政府), a column name (法治政府建设,
> 陇西动态 > 政务公告), a browser hint (建议升级浏览器版本到最新版本!) or a widget left over (#, X,
关注 · 微博) stands above the title, and a byline stands under it (2023-03-31 17:05:00 来源: 某市
司法局 打印). They are no part of the report: indexed, they make 网站地图 find every report of a
site, and they are what the empty query's snippet showed. Once ``indexer.metadata`` has found
the report's own title, the short lines at the top, above it, are the page's and go, down to
the first line a report itself prints before its title (a red header, a 发文字号, a cover letter
and its addressee, a sentence): from there on everything is kept. The page's own byline lines
right under the title go too, and one above it (the metadata has already read its date).
Without a title nothing is cut: where the report starts is then unknown. Each shape of head
and byline has its constructed case in ``tests/test_page_head.py``.

Pure ``str -> str``; cutting twice changes nothing (the title is then the first line).
"""
from __future__ import annotations

import re

from search.analysis import normalize, spaceless
from indexer.chrome import LIST_BULLETS

#: The title must start within this many non-empty lines (``titles._TITLE_LINES`` and a margin).
HEAD_LINES = 12
#: A title printed over this many lines at most (中共某市委 / 某市人民政府 / 关于… / …的报告).
TITLE_PARTS = 5
#: Lines under the title looked at for the page's byline, before the report's first sentence.
BYLINE_LINES = 4
#: A page-head line is short; a longer one (a slogan, a sentence) is kept.
SHORT = 40

# What a report prints above its own title, kept: a 发文字号 (某政发〔2024〕3号, [2024]), a red
# header (某市人民政府文件), a cover letter (某委关于报送 / 现将…呈上 / 中共某县委: / its date),
# a heading that names the report (…关于…), and sentences.
_DOC_NUMBER = r"[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*\d{1,5}\s*号"
_REPORT_HEAD = re.compile(_DOC_NUMBER + r"|文件$|关于|报送|呈|"
                          r"[:：]$|[。；;]$|^(?:19|20)\d{2}年\d{1,2}月\d{1,2}日$|"
                          r"^[一二三四五六七八九〇○零]{4}年[一二三四五六七八九十]{1,3}月")
# The page's byline under the title: a date stamp with a page label (来源, 点击, 打印 …), a bare
# numeric date or time stamp, a date after the publishing office (省政府办公厅 2022-03-15), and
# the other shapes named beside their alternative in ``_BYLINE``.
_STAMP = r"(?:19|20)\d{2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
_CN_STAMP = r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日(?:\s*\d{1,2}\s*[:：时]\s*\d{2}\s*分?)?"
_BYLINE_WORDS = (r"来源|發布|发布|时间|時間|日期|点击|點擊|浏览|瀏覽|阅读|閱讀|访问|打印|字号|字体|字體|"
                 r"作者|编辑|編輯|分享|收藏")
_DAY_FIRST = r"\d{1,2}\.\d{1,2}\.(?:19|20)\d{2}(?:\s+\d{1,2}:\d{2})?"     # 25.02.2016 10:00 (a mirror's)
_OFFICE = r"[\u4e00-\u9fff]{2,20}(?:局|委|府|办|厅|院|中心|室|署|科|处)"
# A byline the opening is glued to (a mirror lost the line break): its date and source, up to
# the year the opening starts with (2026年02月24日 来源:山东省卫健委2025年,省卫生健康委坚持…).
_GLUED_BYLINE = re.compile(rf"^(?:{_STAMP}|{_CN_STAMP})\s*(?:来源|信息来源)\s*[:：]\s*[\u4e00-\u9fff]{{2,20}}?"
                           r"(?=(?:19|20)\d{2}\s*年\s*[,，])")
# The publishing office on a line of its own, right above the byline's date (政府办文书科 / 2021-01-05).
_OFFICE_LINE = re.compile(rf"^{_OFFICE}$")
_BYLINE = re.compile(rf"^(?!.*。$)(?=.*(?:{_STAMP}|{_CN_STAMP}))(?=.*(?:{_BYLINE_WORDS})).{{0,80}}$"
                     rf"|^[•·\s(（]*(?:{_STAMP}|{_DAY_FIRST})[)）]?$"
                     rf"|^[\u4e00-\u9fff]{{2,20}}\s+{_STAMP}$"
                     rf"|^{_OFFICE}\s+{_CN_STAMP}$"                 # 市司法局 2020年03月30日
                     r"|^[•·\s]*(?:19|20)\d{2}年\d{1,2}月\d{1,2}日\s*\d{1,2}\s*[:：时]\s*\d{2}\s*分?$"
                     r"|^[^\w]*$"                                    # • alone, ---|---|---|
                     r"|^[-–—•·]\s*(?:编辑|责任编辑|来源|信息来源|作者)\s*[:：].{0,40}$"  # - 编辑:某某
                     rf"|^{_STAMP}\s+[|｜]?\s*{_OFFICE}$"              # 2024-03-27 14:21 某省司法厅
                     r"|^[•·]\s*[\u4e00-\u9fff]{2,8}\s*[:：]$"         # • 公开时限: (a label left bare)
                     r"|^(?:文章)?来源.{0,30}\d+\s*(?:天|小时|分钟)前$"     # 来源 · 某办 clock 157天前
                     r"|^[\u4e00-\u9fff]{2,10}\s*[:：]\s*https?://\S+$"  # 一图读懂:https://…
                     r"|^[0-9A-Za-z]{6,20}/(?:19|20)\d{2}-\d{3,8}$")     # a 索引号 (place hints read it)


def report_text(cleaned: str, title: str) -> str:
    """``cleaned`` without the page's lines above the report's ``title`` and its byline under it.

    :param cleaned: the text as ``indexer.clean.clean_text`` gives it.
    :param title: the report's own title, as ``indexer.metadata`` read it from ``cleaned``
        ("" when the page prints none: the text is returned as it is).
    """
    key = spaceless(title)
    if len(key) < 6:
        return cleaned
    lines = cleaned.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()][:HEAD_LINES]
    found = _title_lines(lines, filled, key)
    if found is None:
        return cleaned
    first, last = found
    drop, head, unglued = set(), True, False
    for i in [j for j in filled if j < first]:
        head = head and _page_head(lines[i])     # till the report's own printing begins
        if head or _BYLINE.match(normalize(lines[i].strip())):
            drop.add(i)                      # …and a byline wherever it stands above the title
    under = [j for j in filled if j > last][:BYLINE_LINES]
    for n, i in enumerate(under):
        line = normalize(lines[i].strip())   # 13時54分 reads 13时54分
        glued = _GLUED_BYLINE.match(line)
        if glued:                            # 2026年02月24日 来源:某某委2025年,…: the opening stays
            lines[i], unglued = lines[i].strip()[glued.end():], True
            break
        if _BYLINE.match(line) or spaceless(line.lstrip("•·● ")) == key:
            drop.add(i)                      # a byline, or the title again (• 某某报告)
        elif _OFFICE_LINE.match(line) and (
                n + 1 < len(under) and _BYLINE.match(normalize(lines[under[n + 1]].strip()))
                or spaceless(line) in key):
            drop.add(i)                      # the office above the byline's date, or the
                                             # title's own body again (a 来源 left bare)
        elif len(line) > SHORT or _REPORT_HEAD.search(line):
            break                            # the report's own text has begun
    if not drop and not unglued:
        return cleaned
    kept = [line for i, line in enumerate(lines) if i not in drop]
    return "\n".join(kept).strip("\n")


def _title_lines(lines: list[str], filled: list[int], key: str) -> tuple[int, int] | None:
    """The first and last line of the title: a line holding it all, or lines that spell it
    from its start, one after another (a title printed over several lines)."""
    for n, i in enumerate(filled):
        own = spaceless(lines[i])
        if key in own:
            return i, i
        if len(own) < 2 or not key.startswith(own):
            continue
        spelled = own
        for j in filled[n + 1:n + TITLE_PARTS]:
            spelled += spaceless(lines[j])
            if spelled.startswith(key):
                return i, j
            if not key.startswith(spelled):
                break
    return None


def _page_head(line: str) -> bool:
    """A line above the title that is the page's: short, and nothing a report prints there; or a
    list item, whatever its length (a site's slogan banner: • 高举中国特色社会主义伟大旗帜,…)."""
    line = line.strip()
    if line.startswith(LIST_BULLETS) and not re.search(_DOC_NUMBER, line):
        return True
    return len(line) <= SHORT and not _REPORT_HEAD.search(normalize(line))



def page_trail(raw: str, title: str) -> str:
    """The raw page's lines above the report's title (its breadcrumb, site name, column): what
    the hosting page says about where the report sits. ``indexer.issuer`` reads them only to
    tell apart the namesakes of a place the report names itself (朝阳区 under ``当前位置:
    首页>>北京市朝阳区…``), never as the report's place; "" when the title is not found."""
    key = spaceless(normalize(title))[:8]
    above = []
    for line in raw[:_TRAIL_CHARS].split("\n")[:2 * HEAD_LINES]:
        if key and key in spaceless(normalize(line)):
            return "\n".join(above)
        above.append(line)
    return ""


_TRAIL_CHARS = 3000
