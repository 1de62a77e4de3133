"""A report's publication date: labelled (发布时间…), a date line right under or above the title,
the disclosure table's dates; pure.

Split from ``indexer.metadata`` (which combines it with the rest): the date shapes of real pages
are many, and each is a pattern here with the constructed case that taught it in
``tests/test_metadata.py``. A date banner of the hosting site (今天是…, 星期二) has no label and is
neither a stamp above the title nor a line under it, so it never counts.
"""
from __future__ import annotations

import datetime
import re

from search.analysis import normalize
from indexer.clean import remove_pinyin_annotations
from indexer.disclosure import Disclosure

_UNDER_TITLE_LINES = 4    # a date line with no label this close under the title is its date
_DATE = r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
_LABELLED_DATE = re.compile(r"(?:(发布时间|发布日期|发表时间|发表日期|发文日期|发布于|成文日期|更新时间|更新日期|公布时间|信息提供日期|添加时间|"
                            r"published)\s*:?\s*\n?"
                            r"|(?<![\u4e00-\u9fff])(?:时间|日期)\s*:"
                            r"|(?:来源|发布机构)\s*:[^\n:]{2,30}?(?:时间|日期)\s*:"   # 来源:某局时间:2024-02-28
                            r"|来源\s*:\s*[\u4e00-\u9fff]{2,20}\s+(?=(?:19|20)\d{2}\s*[-/.年]))"  # 来源:某日报 2026-03-16
                            r"\s*" + _DATE)
_LATER_LABELS = ("成文日期", "更新时间", "更新日期", "发文日期")
# Of those, the day a document was written ranks after the day it was sent out (成文日期
# 2023-12-31, 发文日期 2024-01-02: the page went up with the second).
_WRITTEN_LABELS = ("成文日期",)
# A line that is only a date (and time), maybe after a bullet or the publishing body's name:
# ``2024年04月02日 10时15分``, ``• 2020-03-27 09:30``, ``清水县人民政府 2024年01月08日``,
# ``05.02.2016  10:17`` (day first, as one mirror writes it), ``2023-03-31 17:05:00 来源: …``,
# a mirror's site names before it and its comment link after (``某法规网 某政府网 2018-04-12
# 17:22:43 评论()``).
_DATE_LINE = re.compile(r"^[•·\s]*(?:[\u4e00-\u9fff]{2,20}\s+){0,3}(?:" + _DATE
                        + r"日?|(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2}))"
                        r"(?:\s*\d{1,2}\s*[:时]\s*\d{1,2}(?:\s*[:分]\s*\d{1,2})?\s*[秒分]?)?"
                        r"(?:\s*(?:来源|文章来源|信息来源|作者|打印|浏览|点击|字号|评论)\b.*"
                        r"|\s+[|｜]?\s*[\u4e00-\u9fff]{2,24})?\s*$")    # …10:14 某省人民政府网
# A publication stamp above the title: a date with its time, maybe with the office after a bar
# (``2026-01-20 17:01 | 某某局``, ``某市人民政府 2020-05-12 09:01:00``); a date banner has no time.
_STAMP_TIME = re.compile(r"\d{1,2}:\d{2}")
# A cover letter above the title ends with its sender and date: the report's date, as a stamp's.
_SIGNATURE = re.compile(r"^[\u4e00-\u9fff]{2,30}(?:人民政府|政府|行政公署|局|委员会|委|办公室|办公厅|厅|中心)$")
# A report delivered to a session carries that day under its title, in brackets or not, on one
# line or wrapped over two: ``(2024年5月28日在市某届人大常委会第九次会议上)``, ``2025年3月17日在某旗
# 第十六届人民代表大会`` / ``常务委员会第二十四次会议上``: its date line.
_SESSION_DATE = re.compile(r"^[(]?\s*" + _DATE + r"\s*日?\s*在[^()]{2,60}?(?:会议|大会)上\s*[)]?$")
# A portal's unlabelled metadata list above the title (• 索引号 • 分类 • 2024-03-22): a bulleted
# date there is the page's date, though it has no time (a date banner is never a list item);
# of two (• 2020-03-12 • 2020-03-14: 成文日期 and 发布日期, their labels lost), the later.
_BULLET = ("•", "·", "●")
_ABOVE_TITLE_LINES = 4
_TITLE_TAIL = 8             # characters of the title's end looked for above a 时间 label
_TITLE_LINE_SCAN = 12        # lines looked at for a date printed after the title on its line
_NO_TITLE_LINES = 10


def extract_published(raw: str, cleaned: str = "", title: str = "",
                       disclosure: Disclosure | None = None) -> str | None:
    """Return the publication date (ISO), else None.

    In this order: a 发布时间/发布日期/公布时间 label (or the disclosure table's 发布日期); a date
    line with no label right under the title (``2024年04月02日 10时15分``), a bare 时间/日期 label
    there, or one after a 来源 (``来源:某区人民政府 时间:2025-02-10``); 发文日期/更新时间; 成文日期
    (the disclosure table's 成文日期/公文生成日期…); any other bare 时间/日期 label; then the first
    of equals. A date banner of the hosting site (今天是…) has no label and is not under the
    title, so it never counts.
    """
    raw = remove_pinyin_annotations(raw)       # 發(fā)布日期 of an annotated mirror is 發布日期
    norm = normalize(raw[:3000] + "\n" + raw[-1500:] if len(raw) > 4500 else raw)
    dates = []
    at = norm.find(normalize(title)[-_TITLE_TAIL:]) if title else -1   # a split title: its end
    for m in _LABELLED_DATE.finditer(norm):
        day = _iso(m.group(2), m.group(3), m.group(4))
        if day:
            label = m.group(1)
            rank = (3 if not label else 2.5 if label in _WRITTEN_LABELS
                    else 2 if label in _LATER_LABELS else 0)
            if rank == 3 and (m.group().startswith(("来源", "发布机构")) or 0 <= at < m.start()
                              and norm.count("\n", at, m.start()) <= _UNDER_TITLE_LINES):
                rank = 1   # 来源…时间:… is the page's stamp; 时间:… right under the title its date
            dates.append((rank, m.start(), day))
    if disclosure is not None:
        dates += [(r, -1, d) for r, d in ((0, disclosure.published), (2.5, disclosure.written)) if d]
    under = date_under_title(cleaned, title)
    if under:
        dates.append((1, 0, under))
    return min(dates)[2] if dates else None


def _after_title(line: str, title: str) -> int | None:
    """Where ``title`` ends in ``line`` when the line starts with it, spaces aside (the page's
    heading prints 某街道…建设 工作报告 2023-02-09 for the title the report prints over two
    lines), else None."""
    at = 0
    for ch in title:
        if ch.isspace():
            continue
        while at < len(line) and line[at].isspace():
            at += 1
        if at >= len(line) or line[at] != ch:
            return None
        at += 1
    return at


def date_under_title(cleaned: str, title: str) -> str | None:
    """The date of a line that holds only a date, within a few lines under the title (or at the
    top of a report that has none, above its opening), or printed after the title on its line."""
    if not cleaned:
        return None
    lines = [ln.strip() for ln in cleaned.split("\n", 60)[:60] if ln.strip()]
    for line in lines[:_TITLE_LINE_SCAN] if title else ():     # 某街道…工作报告 2024-12-12
        end = _after_title(line, title)
        if end is not None and end < len(line):
            m = _DATE_LINE.match(normalize(line[end:]).strip(" ()（）"))
            if m and line[end].isspace():
                return _iso(*m.group(1, 2, 3)) if m.group(1) else _iso(*m.group(6, 5, 4))
    ends = [i for i, ln in enumerate(lines) if title and (ln in title or ln.endswith(title))
            and len(ln) >= 4]              # (a 发文字号 glued before it: 长政发〔2021〕1号长海县…)
    if title and not ends:
        return None
    first = ends[0] + 1 if ends else 0          # no title: the lines above the opening
    top = next((i for i, ln in enumerate(lines) if title and ln in title), 0)
    listed = []                      # a portal's bulleted dates: 成文日期, then 发布日期
    for k in range(max(0, top - _ABOVE_TITLE_LINES), top):
        norm = normalize(lines[k]).replace("|", " ").replace("｜", " ")
        m = _DATE_LINE.match(norm)
        day = m and (_iso(*m.group(1, 2, 3)) if m.group(1) else _iso(*m.group(6, 5, 4)))
        if m and lines[k].startswith(_BULLET) and not _STAMP_TIME.search(norm):
            listed.append(day)
        elif m and (_STAMP_TIME.search(norm) or k and _SIGNATURE.match(normalize(lines[k - 1]))):
            return day
    if any(listed):
        return max(d for d in listed if d)   # the page went up on the later: never before it
    if not title:                               # no title: every short line above the opening
        under = next((i for i, ln in enumerate(lines) if len(ln) > 40), len(lines))
        window = lines[:min(under, _NO_TITLE_LINES)]
    else:
        window = lines[first:first + _UNDER_TITLE_LINES]
    for k, line in enumerate(window):
        if title and line in title:
            continue                 # the second line of the title, or the title repeated
        m = _DATE_LINE.match(_unbracketed(normalize(line)))     # (2024-03-01) under the title
        if m:
            return _iso(*m.group(1, 2, 3)) if m.group(1) else _iso(*m.group(6, 5, 4))
        m = _SESSION_DATE.match(normalize(line)) or _SESSION_DATE.match(
            normalize(line + "".join(window[k + 1:k + 2])))
        if m:
            return _iso(*m.group(1, 2, 3))
        if len(line) > 40:
            return None              # the opening has begun
    return None


def _unbracketed(line: str) -> str:
    """A line in one pair of brackets, without them: ``(2024-03-01)`` → ``2024-03-01``."""
    return line[1:-1] if line[:1] in "(（" and line[-1:] in ")）" else line


def _iso(year, month, day) -> str | None:
    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except (TypeError, ValueError):
        return None
