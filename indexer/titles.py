"""A report's own title and opening sentence, from the first lines of its cleaned text: pure.

Real pages put the title among chrome the cleaner may have missed: split over two or three lines,
after a document number (遂府办〔2025〕3号) or an addressee (各区县局), glued to the opening on
one line by a mirror site (…情况的报告2023年,省政府坚持…), or as the page's ``<title>`` with site
names around it (网站名-报告标题_站点名). The title returned is the report's own, exactly as
written (original script); ``indexer.bodies`` reads the issuing body they name.
"""
from __future__ import annotations

import re

from indexer import chrome
from indexer.bodies import title_body
from search import regions
from search.analysis import normalize
from indexer.title_number import split_doc_number  # noqa: F401  (metadata reads it from here)
from indexer.title_shape import (SENTENCE, TITLE_END, TITLE_MAX, TOPIC, is_sentence, is_title,
                                 years)

_HEAD_LINES = 40          # lines looked at for the title and the opening sentence
_TITLE_LINES = 8          # a title further down than this is not the report's own
_JOINED_MAX = 90          # a title over lines may be longer: 中共某区工委 / 某区管委会 / 关于…的报告
_OPENING_CHARS = 400
DERIVED_MARK = "（标题为推断）"

# A date-and-time line that names the publishing office (2026-01-20 17:01 | 某某局), or a byline
# that puts it first (政策法规科 2023-12-29, under a page heading): meta, no title.
_DATED_OFFICE = re.compile(r"^(?:(?:19|20)\d{2}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*[|｜]\s*\S{2,30}"
                           r"|[\u4e00-\u9fff]{1,18}(?:科|处|室|股|局|中心|办|厅|部|站|所)\s+"
                           r"(?:19|20)\d{2}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)$")
# A line that is only a date, maybe after a list bullet (• 2024-03-22): a stamp, never a title part.
_BARE_DATE = re.compile(r"^[•·\s]*(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
                        r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_META = re.compile(r"^(?:(?:信息|文章)?来源|(?:发布|更新)(?:时间|日期)|时间|日期)\s*[:：]")
_CHROME = re.compile(r"位置\s*:|>|^(?:来源|信息来源|发布时间|发布日期|时间|日期|作者|字号)\s*:")
# Lines that stand between chrome and the title without being either.
# (A 发文字号 with its 签发人 beside it, 惠委〔2026〕17号 签发人:某某; a red header, 某区某局文件.)
_SKIP_LINE = re.compile(r"^(?:[\u4e00-\u9fff]{1,6}〔(?:19|20)\d{2}〕\d+号(?:\s*签发人\s*[:：].{0,30})?"
                        r"|签发人\s*[:：].{0,30}|各[\u4e00-\u9fff、，,]{1,40}[:：]?"
                        r"|[\u4e00-\u9fff、，,]{2,40}[:：]|[\u4e00-\u9fff]{2,40}(?<!有关)文件)$")
# A mirror that lost the line breaks: the title runs straight into the opening (after a
# document-sharing site's page number, 1、: never part of the title).
_GLUED = re.compile(r"^(?:\d{1,2}、)?(.{6,60}?(?:报告|总结|情况))(?=(?:19|20)\d{2}\s*年|[一二三四五六七八九十]、)")
# A page squashed onto one line: the title, a space, the addressee (某某县委、某某县人民政府:), the opening.
_SPACED = re.compile(r"^(.{6,60}?(?:报告|总结|情况))\s+(?=[^\s:：。，,]{2,40}[:：]\s)")
# A document-sharing mirror prints the title twice, glued, after a page number: 1、X报告X报告xxxx年…
_DOUBLED = re.compile(r"^(?:\d{1,2}、)?(.{6,60}?(?:报告|总结|情况))\1")
# A transmittal notice (现将《X》印发给你们) whose attachment X follows as a line of its own.
_TRANSMITTED = re.compile(r"现将《([^》]{6,60})》印发")
_SHAPE = re.compile(chrome.TITLE_SEPARATORS)
_SITE = re.compile(chrome.SITE_SUFFIX)


def _chrome(norm: str) -> bool:
    """A breadcrumb's > or a page's meta label in the line; a book title's <…> inside a
    sentence (《关于贯彻落实<某某纲要>工作任务清单》) is no breadcrumb."""
    return bool(_CHROME.search(_ANGLED.sub("", norm)))


_ANGLED = re.compile(r"<[^<>\n]{1,80}>")


def split_head(cleaned: str) -> tuple[str, str]:
    """Return ``(title, opening paragraph)`` from the first lines of a cleaned report."""
    lines = [ln.strip() for ln in cleaned.split("\n", _HEAD_LINES)[:_HEAD_LINES]]
    lines = [ln for ln in lines if ln]
    title, rest = "", lines
    for i, line in enumerate(lines[:_TITLE_LINES]):
        undated = _CELL_BAR.sub("", _DATE_AFTER.sub("", line))   # 某街道…报告 2023-02-09 (a
        if undated != line and is_title(normalize(undated)):     # page <title>), 某某报告 | (a
            line = lines[i] = undated                             # table's last cell)
        norm = normalize(line)
        if (_chrome(norm) or _SKIP_LINE.match(norm) or _DATED_OFFICE.match(norm)
                or _BARE_DATE.match(norm)):
            continue
        if (is_sentence(norm) and line.startswith(chrome.LIST_BULLETS)
                and any(is_title(normalize(below)) for below in lines[i + 1:i + 4])):
            continue    # a site's slogan banner as a list item (• 高举…而团结奋斗。) above the title
        if is_sentence(norm):
            doubled = _DOUBLED.match(line)
            glued = _GLUED.match(line)
            entry = _LEAD_ENTRY.match(line)
            spaced = _SPACED.match(line)
            if entry and i == 0 and is_title(normalize(entry.group(1))):
                title, rest = entry.group(1), lines[1:]
            elif spaced and i == 0 and is_title(normalize(spaced.group(1))):
                title, rest = spaced.group(1), [line[spaced.end():]] + lines[1:]
            elif doubled and i == 0 and is_title(normalize(doubled.group(1))):
                title, rest = doubled.group(1), [line[doubled.end():]] + lines[1:]
            elif glued and i == 0 and is_title(normalize(glued.group(1))):
                title, rest = glued.group(1), [line[glued.end():]] + lines[1:]
            else:
                title, rest = _attachment_title(lines, i) or (title, rest)
            break
        shaped = page_title_of(line)
        if shaped != line and is_title(normalize(shaped)):
            title, rest = shaped, lines[i + 1:]     # 报告标题-某某官方网站: never joined to the next
            break
        joined = _joined_title(lines, i)
        if joined and _columns_over_title(norm, *joined):
            continue    # 政务服务和数据管理局 / 法治政府建设年度报告 above 某区政务服务和数据管理局关于2025年…
        if joined:
            title, rest = joined
            break
        if is_title(normalize(shaped)):
            title, rest = _generic_above(lines, i) or (shaped, lines[i + 1:])
            break
    covered = _below_cover_letter(rest if title else lines)
    if covered:
        title, rest = covered
    elif title:
        title, rest = _own_title_below(title, rest) or (title, rest)
    opening = next((ln for ln in rest if is_sentence(norm := normalize(ln))
                    and not _chrome(norm) and not _HEADLINE.match(norm)), "")
    return _tidy(title), opening[:_OPENING_CHARS]


# A short line whose only sentence mark is ? or ! (…情况如何?某省政府发布报告): a mirror's headline,
# never the opening sentence.
_HEADLINE = re.compile(rf"^[^。；;，,:：]{{1,{TITLE_MAX}}}$")


# A table cell's bar after the title (宁波高新区法治政府建设工作报告 |: the row under a disclosure table).
_CELL_BAR = re.compile(r"\s*[|｜]+\s*$")

# A publication date on the title's line, after it (the date itself is ``indexer.published``'s).
_DATE_AFTER = re.compile(r"\s+[(（]?(?:19|20)\d{2}(?:-\d{1,2}-\d{1,2}|/\d{1,2}/\d{1,2}|年\d{1,2}月\d{1,2}日)[)）]?$")


def _tidy(title: str) -> str:
    """A title as the report writes it: no table cell bar or date after it (``…的报告 |``), no
    summary bullet before it, no layout space between a single body and 关于 (``某某县公安局
    关于2025年…``) nor between 关于 and the year (``某某区人民政府关于 2024年…``)."""
    title = re.sub(r"[\s|｜]+$", "", title)
    title = re.sub(r"^[•·●▪◆]\s*", "", title)                  # a summary bullet: • 某厅关于…
    title = _DATE_AFTER.sub("", title)                          # 某街道…工作报告 2024-12-12
    title = re.sub(r"关于\s+(?=(?:19|20)\d{2}\s*年)", "关于", title)   # 某区人民政府关于 2024年…
    m = re.match(r"^(\S+)\s+(?=关于)", title)   # co-issuers (中共某市委 某市人民政府 关于) keep it
    return m.group(1) + title[m.end():] if m else title


def _own_title_below(heading: str, rest: list[str]) -> tuple[str, list[str]] | None:
    """The page's heading, then, past meta lines and before any sentence, the report's own title
    of the same year printed at its head (垡头街道2023年度…情况报告 / 垡头街道2023年…工作报告;
    某区某乡2022年度… 工作报告 / 浏览:5072次 时间:… / 某乡2022年度…工作报告): that one, as the
    report prints it (over two lines, too)."""
    want = [y for y, _, _ in years(heading)][:1]
    if not want:
        return None
    for k, line in enumerate(rest[:_OWN_TITLE_LINES]):
        norm = normalize(line)
        if is_sentence(norm) or _SECTION.match(norm) or _SUBTITLE.match(norm):
            return None       # ——我省…暨某省2017年…报告 under the heading: its subtitle, not its own
        if (_PAGE_META.search(norm) or _chrome(norm) or _BARE_DATE.match(norm)
                or _DATED_OFFICE.match(norm)):
            continue    # 浏览:5072次 时间:2022-12-07 来源:本站, 政策法规科 2023-12-29: never a title's part
        found = _joined_title(rest, k) or ((line, rest[k + 1:]) if is_title(norm) else None)
        if found is None:
            continue
        own = normalize(found[0])
        if found[0] == line == heading:
            continue                  # the heading printed again (a page <title>, then its h1)
        if (_before_year(own) in ("", "关于")
                and _before_year(heading) not in ("", "关于")):
            return None               # 关于2022年…报告 under 郏县人民政府关于2022年…: the heading
                                      # names the body the report's own line leaves out
        body = _before_year(own).removesuffix("关于")   # 某县人民政府 / 关于2025年… under the
        short = _before_year(heading).removesuffix("关于")                    # heading 某县
        if ([y for y, _, _ in years(own)][:1] == want and TOPIC.search(own)   # 人民政府 2025年…
                and TITLE_END.search(own) and len(own) <= _JOINED_MAX
                and (short.endswith(body) or len(short) >= 2 and short in body  # 永嘉镇 of 中共
                     # 重庆市铜梁区永嘉镇委员会 / 2019年…报告: the body the heading names in short
                     or "".join(own.split()).endswith("".join(normalize(heading).split())))):
            return found      # its body is the heading's, or the end of it (共和乡 of 某区某乡),
                              # or the heading is its end (关于长沙市… under 中共长沙市委 长沙市人民政府)
        return None
    return None


_OWN_TITLE_LINES = 4
_SUBTITLE = re.compile(r"^[—–-]{1,2}")


def _before_year(title: str) -> str:
    """What a title names before its first year, spaces aside (the body, maybe with 关于)."""
    found = years(title)
    norm = normalize(title)
    return "".join((norm[:found[0][2]] if found else norm).split())


# A page's meta line under its heading: a view counter, or a 时间/来源 label after other words.
_PAGE_META = re.compile(r"(?:^|\s)(?:浏览|阅读|点击|访问)(?:量|次数)?\s*[:：]|"
                        r"(?:^|\s)(?:时间|发布时间|发布日期|来源|信息来源)\s*[:：]")


def _below_cover_letter(lines: list[str]) -> tuple[str, list[str]] | None:
    """A cover letter (addressee, a sentence sending the report, signature, date) and below it
    the report's own title: that title. ``省委、省政府:/现呈送…报告,请审阅。/某某局/2024年3月8日/
    某某局2023年度…报告``."""
    sent = False
    for k, line in enumerate(lines[:_COVER_LINES]):
        norm = normalize(line)
        if _SENDING.search(norm):
            sent = True
        elif sent and _DATE_ONLY.match(norm) and k + 1 < len(lines):
            if _ATTACHMENT_LINE.match(normalize(lines[k + 1])) and k + 2 < len(lines):
                k += 1                # 附件 (附件1:) on a line of its own above the report
            here = lines[k + 1]
            if _SECTION.match(here):
                return None
            joined = _joined_title(lines, k + 1)    # 2024年度…法治政府建设 / 工作总结: both lines
            if joined is None and not is_sentence(normalize(here)) and is_title(normalize(here)):
                return here, lines[k + 2:]
            return joined
    return None


_COVER_LINES = 14
_ATTACHMENT_LINE = re.compile(r"^附\s*件\s*\d*\s*[:：]?$")
_SECTION = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）])")
# An encyclopedia-style mirror opens with 《X》是2019年某某市人民政府发布的通知。: X is the title.
_LEAD_ENTRY = re.compile(r"^《([^》]{6,60})》是(?:(?:19|20)\d{2}年)?[^。]{0,30}?(?:发布|印发|公布|出台)的")
_SENDING = re.compile(r"(?:呈送|报送|提请|上报|现将|特此报告|请审阅|请批示|妥否|请予审议)[^。]{0,80}[。]?")
_DATE_ONLY = re.compile(r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")


def _joined_title(lines: list[str], i: int) -> tuple[str, list[str]] | None:
    """A title split over two to four lines: 赵县人民政府 / 2022年度…报告."""
    norm = normalize(lines[i])
    if TITLE_END.search(norm):
        return None
    if i + 1 < len(lines) and _only_place(norm) and _starts_with_place(normalize(lines[i + 1])):
        return None            # a site name (福州市) above a title that names its own place
    joined = norm
    for k in (1, 2, 3):        # 中共某区工委 / 某区管委会 / 关于…2022年度 / …情况的报告
        if i + k >= len(lines):
            return None
        nxt = normalize(lines[i + k])
        if k == 1 and nxt == norm:
            return None        # a page heading, then the title it cut short printed again
                               # over two lines (某省2023年度…工作 / 某省2023年度…工作 / 情况报告)
        if (is_sentence(nxt) or _chrome(nxt) or _DATED_OFFICE.match(nxt) or _BARE_DATE.match(nxt)
                or _SKIP_LINE.match(nxt)):
            return None
        if k == 1 and _site_over_own_place(norm, nxt):
            return None        # 吐鲁番市人民政府 (the site) over 2021年吐鲁番市…工作报告
        if (is_title(nxt) and not _TITLE_PART.search(joined)
                and (_body_first(nxt) or not _BODY_END.search(joined))):
            return None        # chrome left above (a channel, a widget, a bar): the title is whole
        if k == 1 and is_title(nxt) and years(nxt) and _body_first(nxt) and not years(joined) \
                and not _body_first(joined) and not _LEADING_WORD.match(joined):
            return None        # a column's topic (法治政府建设) above a whole title
        joined += nxt
        if TITLE_END.search(joined) and (is_title(joined) or _long_joined(lines[i:i + k + 1])):
            return "".join(lines[i:i + k + 1]), lines[i + k + 1:]
        if TITLE_END.search(nxt):
            return None
    return None


def _columns_over_title(first: str, joined: str, rest: list[str]) -> bool:
    """Two column names read as a title over two lines (no year), right above a title with a
    year that names the first of them: the columns of the report's own page, not its title."""
    below = normalize(rest[0]) if rest else ""
    return (not years(joined) and is_title(below) and bool(years(below))
            and len(first) >= 4 and first in below)


def _site_over_own_place(above: str, title: str) -> bool:
    """A government's name (the site's) over a title that starts with its year and names the
    same place itself: a report's own title never names its place twice before its year. (Over
    a title that starts with 关于, the name is the title's first line: 绍兴市人民政府 / 关于2022年
    绍兴市法治政府建设情况的报告.)"""
    if not _GOVERNMENT.search(above) or not _YEAR_FIRST.match(title) or not years(title):
        return False
    return any(m.name in title or regions.short_name(m.name) in title
               for m in regions.places_in(above))


_GOVERNMENT = re.compile(r"^[\u4e00-\u9fff]{2,20}人民政府$")
_YEAR_FIRST = re.compile(r"^[\s【\[《“]*(?:(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})")


def _long_joined(parts: list[str]) -> bool:
    """Short plain lines that make a title longer than one line may be (two co-issuers, a long
    topic): no line a bar, a code, a number or a sentence."""
    joined = normalize("".join(parts))
    return (len(joined) <= _JOINED_MAX and is_title(joined[-TITLE_MAX:])
            and not SENTENCE.search(joined)
            and all(len(p) <= _JOINED_LINE and not _PLAIN_BREAK.search(p) for p in parts))


_JOINED_LINE = 30
_PLAIN_BREAK = re.compile(r"[\s•·|｜\[\]【】〔〕/]|\d{4}-")


# What a title's first line may hold when its place starts the next line (关于印发《 / 某市…》的通知).
_TITLE_PART = re.compile(r"关于|《|“|印发|法治|法制|依法|(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4}")


_DIGIT = re.compile(r"\d")


def _generic_above(lines: list[str], i: int) -> tuple[str, list[str]] | None:
    """A bare title (法治政府部门建设工作报告: a column's name, no body, no year) right above the
    report's full one (某省某厅2023年度…报告), or the page's heading that the full title below,
    over lines, ends with: the full one."""
    if i + 1 >= len(lines):
        return None
    norm, nxt = normalize(lines[i]), normalize(lines[i + 1])
    if _body_first(norm):
        return None
    below = (_joined_title(lines, i + 1) if (_body_first(nxt) or nxt.startswith("中共"))
             and not _DIGIT.search(nxt) else None)
    if below and years(norm) and normalize(below[0]).replace(" ", "").endswith(norm):
        return below          # 2022年度…的报告 above 中共某区委 某区人民政府 / 关于2022年度…的报告
    if years(norm) or not (is_title(nxt) and years(nxt) and _body_first(nxt)):
        return None
    return lines[i + 1], lines[i + 2:]


def _body_first(norm: str) -> bool:
    """A line that starts with a place or the body it names (某县应急管理局2024年…), not 关于…."""
    if _starts_with_place(norm):
        return True
    return not _LEADING_WORD.match(norm) and bool(_BODY_END.search(title_body(norm)))


_LEADING_WORD = re.compile(r"^[\s【\[《“]*(?:关于|(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})")
_BODY_END = re.compile(r"(?:[局委厅办府院署会室站所队部处组]|中心|[省市区县州盟旗]|街道|[乡镇])$")


def _only_place(norm: str) -> bool:
    found = regions.places_in(norm)
    return len(found) == 1 and found[0].start == 0 and found[0].end == len(norm)


def _starts_with_place(norm: str) -> bool:
    found = regions.places_in(norm[:12])
    return bool(found) and found[0].start == 0


def _attachment_title(lines: list[str], i: int) -> tuple[str, list[str]] | None:
    """``现将《X》印发给你们…`` and, a few lines on, X on a line of its own: X is the title."""
    m = _TRANSMITTED.search(normalize(lines[i]))
    if not m:
        return None
    want = re.sub(r"\s+", "", m.group(1))
    for k in range(i + 1, min(len(lines), i + 6)):
        for size in (1, 2):           # X may be wrapped over two lines
            here = "".join(lines[k:k + size])
            if re.sub(r"\s+", "", normalize(here)) == want:
                return here, lines[k + size:]
    return None


def headline_above_meta(raw: str) -> str:
    """A news page's headline: the short line right above its 来源/发布时间 line (raw text).

    Headlines do not always end like a report title (…示范地区和项目), but the meta line under
    them says they are the page's own; only a line on the rule of law is taken.
    """
    lines = [ln.strip() for ln in raw.split("\n", _HEAD_LINES)[:_HEAD_LINES]]
    lines = [ln for ln in lines if ln]
    for above, line in zip(lines, lines[1:]):
        norm, head = normalize(line), normalize(above)
        if (_META.match(norm) and TOPIC.search(head) and not _chrome(head)
                and (not is_sentence(head) or _HEADLINE.match(head))):   # …情况如何?…发布报告
            return above
    return ""


def page_title_of(line: str) -> str:
    """The report's title inside a page ``<title>``: 网站名-报告标题_站点名 → 报告标题 (also
    机构名_报告标题 and 报告标题_栏目名_站点名)."""
    parts = [p for p in _SHAPE.split(line) if p]
    if len(parts) < 2:
        return line
    titled = [p for p in parts if is_title(normalize(p)) and not _SITE.search(p)]
    sites = [p for p in parts if p not in titled]
    if len(titled) != 1 or not sites:
        return line
    if all(_SITE.search(normalize(p)) for p in sites):
        return titled[0]          # every other part names a site: 某某市人民政府, 某某网
    if years(titled[0]) and all(_SITE.search(normalize(p)) or _LABEL.match(normalize(p))
                                for p in sites):
        return titled[0]          # …or a body or a column: 长沙市司法局_报告标题, 报告标题_街镇园区文件_
    return line                   # 某某区人民政府门户网站 (a dated report title: not 网站年报 | 收藏)


# A page <title>'s part that names a body or a column, not a report: short, no digits, no
# sentence mark.
_LABEL = re.compile(r"^[^\d。，,；;:：]{2,20}$")


def extract_title(cleaned: str) -> str:
    """Return the report's own title line(s), or "" when it starts with its opening sentence."""
    return split_head(cleaned)[0]


def derive_title(issuer: str, year: int | None) -> str:
    """The title shown for a report without one, marked as inferred."""
    when = f"{year}年度" if year else ""
    return f"{issuer}{when}法治政府建设情况报告{DERIVED_MARK}"
