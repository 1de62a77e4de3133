"""What a report says about itself: title, year reported on, publication date, region, issuer.

Everything is read from the first lines and sentences, because that is where a report names
itself, and because the body names many other places (learning trips, provincial campaigns).
The title and opening come from ``indexer.titles``, the issuing body and region from
``indexer.issuer``, the 信息公开 table (title, 发文字号, dates, 发布机构) from
``indexer.disclosure``; this module reads the year and the publication date and combines them.
Names are read as the divisions of the report's own year (a 2009 report of 襄樊市 stays 襄樊市).

All functions are pure; ``extract_metadata`` combines them (``indexer.sidecar`` applies a
hand-made ``NAME.meta.json`` on top).
"""
from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from search.analysis import detect_script, normalize
from search.regions import Division
from indexer.clean import remove_pinyin_annotations
from indexer.disclosure import Disclosure, read_disclosure
from indexer.issuer import extract_source, locate_issuer
from indexer.site_address import region_of_address
from indexer.titles import (DERIVED_MARK, derive_title, extract_title, opening_body,  # noqa: F401
                            headline_above_meta, simplified, split_head, title_body)
from indexer.titles import years as _years

_SCRIPT_CHARS = 3000
# A title of this shape reports on a past year; a 通知 or 实施方案 is dated by its own year.
_ANNUAL = re.compile(r"报告|总结|情况|汇报|述职|年报")
_UNDER_TITLE_LINES = 4    # a date line with no label this close under the title is its date

_FILE_YEAR = re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d{2})(?![0-9A-Za-z])")
_DATE = r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
_LABELLED_DATE = re.compile(r"(?:(发布时间|发布日期|发表时间|发文日期|发布于|成文日期|更新时间|更新日期|公布时间|信息提供日期|添加时间|"
                            r"published)\s*:?\s*\n?"
                            r"|(?<![\u4e00-\u9fff])(?:时间|日期)\s*:"
                            r"|来源\s*:[^\n:]{2,30}?(?:时间|日期)\s*:)\s*" + _DATE)   # 来源:某局时间:2024-02-28
# A document number on a line of its own above or under the title (浙卫〔2024〕3号): the report's
# 发文字号 when the page has no disclosure table.
_DOC_NUMBER_LINE = re.compile(r"^[ \t]*([\u4e00-\u9fff]{1,10}[〔\[]\s*(?:19|20)\d{2}\s*[〕\]]\s*\d{1,5}\s*号)[ \t]*$",
                              re.M)
_DOC_NUMBER_CHARS = 1500
# The outline's first heading (一、…), and the year it starts with, if any.
_FIRST_HEADING = re.compile(r"^[ \t　]*一\s*[、.．]\s*(?:((?:19|20)\d{2})\s*年)?", re.M)
_HEADING_CHARS = 4000
_LATER_LABELS = ("成文日期", "更新时间", "更新日期", "发文日期")
# A line that is only a date (and time), maybe after a bullet or the publishing body's name:
# ``2024年04月02日 10时15分``, ``• 2020-03-27 09:30``, ``清水县人民政府 2024年01月08日``,
# ``05.02.2016  10:17`` (day first, as one mirror writes it), ``2023-03-31 17:05:00 来源: …``.
_DATE_LINE = re.compile(r"^[•·\s]*(?:[\u4e00-\u9fff]{2,20}\s+)?(?:" + _DATE
                        + r"日?|(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2}))"
                        r"(?:\s*\d{1,2}\s*[:时]\s*\d{1,2}(?:\s*[:分]\s*\d{1,2})?\s*[秒分]?)?"
                        r"(?:\s*(?:来源|文章来源|信息来源|作者|打印|浏览|点击|字号)\b.*"
                        r"|\s+[|｜]?\s*[\u4e00-\u9fff]{2,24})?\s*$")    # …10:14 某省人民政府网
# A publication stamp above the title: a date with its time, maybe with the office after a bar
# (``2026-01-20 17:01 | 某某局``, ``某市人民政府 2020-05-12 09:01:00``); a date banner has no time.
_STAMP_TIME = re.compile(r"\d{1,2}:\d{2}")
# A cover letter above the title ends with its sender and date: the report's date, as a stamp's.
_SIGNATURE = re.compile(r"^[\u4e00-\u9fff]{2,30}(?:人民政府|政府|行政公署|局|委员会|委|办公室|办公厅|厅|中心)$")
_ABOVE_TITLE_LINES = 4
_NO_TITLE_LINES = 10


@dataclass
class Metadata:
    """A report's metadata; strings are "" and codes "" (6 digits when known) where unknown."""

    title: str = ""
    display_title: str = ""
    title_derived: bool = False
    year: int | None = None
    year_source: str = ""     # title / opening / published / filename / manual / ""
    published: str | None = None
    province: str = ""
    province_code: str = ""
    city: str = ""
    city_code: str = ""
    county: str = ""
    county_code: str = ""
    level: str = ""           # the lowest of province / city / county that is set
    issuer: str = ""
    doc_number: str = ""      # 发文字号 of the disclosure table (金政发〔2025〕33号), searchable
    script: str = "simplified"
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


# --- year and date ---------------------------------------------------------------------------

def extract_year(title: str, opening: str, published: str | None,
                 text: str = "") -> tuple[int | None, str]:
    """Return ``(year reported on, source)``: from the title, the opening, the first heading of
    ``text``'s outline, else the publication.

    In the opening, a year that starts it (2023年伊春市…) wins, then one written 年度 (现将2024年度…),
    then the first. A report without either often states its year in the outline's first heading
    (一、2023年法治政府建设主要举措和成效). Reports about year N appear early in N+1: a
    publication date in January to June means N = its year − 1, later in the year N = its year.
    """
    found = _years(title) or _years(title, books=True)   # 《…2024年…报告》解读: its year
    if found:
        return found[0][0], "title"
    limit = int(published[:4]) if published else 9999
    found = [y for y in _years(opening) if y[0] <= limit]
    if found:
        pick = [y for y in found if y[2] <= 2] or [y for y in found if y[1]] or found
        return pick[0][0], "opening"
    first = _FIRST_HEADING.search(text[:_HEADING_CHARS])
    if first and first.group(1) and int(first.group(1)) <= limit:
        return int(first.group(1)), "heading"
    if published:
        annual = not title or bool(_ANNUAL.search(normalize(title)))
        return int(published[:4]) - (annual and int(published[5:7]) <= 6), "published"
    return None, ""


def year_from_filename(filename: str) -> int | None:
    """Return a year written in the file name (报告_2022.txt), if any."""
    m = _FILE_YEAR.search(Path(filename).stem) if filename else None
    return int(m.group(1)) if m else None


def extract_published(raw: str, cleaned: str = "", title: str = "",
                       disclosure: Disclosure | None = None) -> str | None:
    """Return the publication date (ISO), else None.

    In this order: a 发布时间/发布日期/公布时间 label (or the disclosure table's 发布日期); a date
    line with no label right under the title (``2024年04月02日 10时15分``); 成文日期/更新时间/
    发文日期; a bare 时间/日期 label; then the first of equals. A date banner of the hosting site
    (今天是…) has no label and is not under the title, so it never counts.
    """
    raw = remove_pinyin_annotations(raw)       # 發(fā)布日期 of an annotated mirror is 發布日期
    norm = normalize(raw[:3000] + "\n" + raw[-1500:] if len(raw) > 4500 else raw)
    dates = []
    for m in _LABELLED_DATE.finditer(norm):
        day = _iso(m.group(2), m.group(3), m.group(4))
        if day:
            label = m.group(1)
            rank = 3 if not label else 2 if label in _LATER_LABELS else 0
            dates.append((rank, m.start(), day))
    if disclosure is not None:
        dates += [(r, -1, d) for r, d in ((0, disclosure.published), (2, disclosure.written)) if d]
    under = date_under_title(cleaned, title)
    if under:
        dates.append((1, 0, under))
    return min(dates)[2] if dates else None


def date_under_title(cleaned: str, title: str) -> str | None:
    """The date of a line that holds only a date, within a few lines under the title (or at the
    top of a report that has none, above its opening)."""
    if not cleaned:
        return None
    lines = [ln.strip() for ln in cleaned.split("\n", 60)[:60] if ln.strip()]
    ends = [i for i, ln in enumerate(lines) if title and ln in title and len(ln) >= 4]
    if title and not ends:
        return None
    first = ends[0] + 1 if ends else 0          # no title: the lines above the opening
    top = next((i for i, ln in enumerate(lines) if title and ln in title), 0)
    for k in range(max(0, top - _ABOVE_TITLE_LINES), top):
        norm = normalize(lines[k]).replace("|", " ").replace("｜", " ")
        m = _DATE_LINE.match(norm)
        if m and (_STAMP_TIME.search(norm) or k and _SIGNATURE.match(normalize(lines[k - 1]))):
            return _iso(*m.group(1, 2, 3)) if m.group(1) else _iso(*m.group(6, 5, 4))
    if not title:                               # no title: every short line above the opening
        under = next((i for i, ln in enumerate(lines) if len(ln) > 40), len(lines))
        window = lines[:min(under, _NO_TITLE_LINES)]
    else:
        window = lines[first:first + _UNDER_TITLE_LINES]
    for line in window:
        if title and line in title:
            continue                 # the second line of the title, or the title repeated
        m = _DATE_LINE.match(normalize(line))
        if m:
            return _iso(*m.group(1, 2, 3)) if m.group(1) else _iso(*m.group(6, 5, 4))
        if len(line) > 40:
            return None              # the opening has begun
    return None


def doc_number_line(cleaned: str) -> str:
    """The 发文字号 printed on a line of its own near the top (浙卫〔2024〕3号), else ""."""
    m = _DOC_NUMBER_LINE.search(normalize(cleaned[:_DOC_NUMBER_CHARS]))   # one char for one
    return cleaned[m.start(1):m.end(1)] if m else ""


def _iso(year, month, day) -> str | None:
    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except (TypeError, ValueError):
        return None


def _fill_region(meta: Metadata, place: Division | None) -> None:
    meta.province = meta.province_code = meta.city = meta.city_code = ""
    meta.county = meta.county_code = meta.level = ""
    if place is None:
        return
    meta.province, meta.province_code = place.province, place.province_code
    meta.city, meta.city_code = place.city or "", place.city_code or ""
    if place.level == "county":
        meta.county, meta.county_code = place.name, place.code
    meta.level = place.level


# --- the whole report ------------------------------------------------------------------------

def extract_metadata(raw_text: str, cleaned_text: str, filename: str = "",
                     source_url: str = "") -> Metadata:
    """Extract all metadata of one report from its raw text (for page lines) and cleaned text.

    ``source_url``, the address of the page the report was saved from, is the region's last
    resort (``indexer.site_address``): read only when the text names no place, or to choose
    among the candidates of an ambiguous name; the record then says so in its warnings."""
    disclosure = read_disclosure(raw_text)
    title, opening = split_head(cleaned_text)
    title = disclosure.title or title         # the table's 标题 is the document's own
    if not title:                              # a news page: the headline above its 来源 line
        title = remove_pinyin_annotations(headline_above_meta(raw_text))
    published = extract_published(raw_text, cleaned_text, title, disclosure)
    year, year_source = extract_year(title, opening, published, cleaned_text)
    if year is None and year_from_filename(filename):
        year, year_source = year_from_filename(filename), "filename"
    source = extract_source(raw_text) or disclosure.publisher
    place, issuer, warnings = locate_issuer(title, opening, source, cleaned_text, year,
                                            disclosure.index_number or "",
                                            region_of_address(source_url))
    meta = Metadata(title=title, year=year, year_source=year_source, published=published,
                    issuer=issuer, doc_number=disclosure.doc_number or doc_number_line(cleaned_text),
                    script=detect_script(cleaned_text[:_SCRIPT_CHARS]), warnings=warnings)
    _fill_region(meta, place)
    if not place and not warnings:
        meta.warnings.append("region unknown")
    meta.title_derived = not title
    meta.display_title = title or derive_title(issuer, year)
    return meta
