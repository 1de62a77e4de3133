"""What a report says about itself: title, year reported on, publication date, region, issuer.

Everything is read from the first lines and sentences, because that is where a report names
itself, and because the body names many other places (learning trips, provincial campaigns).
The title and opening come from ``indexer.titles``, the issuing body and region from
``indexer.issuer``, the 信息公开 table (title, 发文字号, dates, 发布机构) from
``indexer.disclosure``, the publication date from ``indexer.published``; this module reads the
year and combines them.
Names are read as the divisions of the report's own year (a 2009 report of 襄樊市 stays 襄樊市).

All functions are pure; ``extract_metadata`` combines them (``indexer.sidecar`` applies a
hand-made ``NAME.meta.json`` on top).
"""
from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from search.analysis import detect_script, normalize, spaceless
from search.regions import Division
from indexer.clean import remove_invisible, remove_pinyin_annotations
from indexer.disclosure import read_disclosure
from indexer.issuer import extract_source, locate_issuer  # noqa: F401
from indexer.published import date_under_title, extract_published  # noqa: F401
from indexer.page_head import page_trail
from indexer.site_address import region_of_address
from indexer.bodies import delivered_by, opening_body, simplified, title_body  # noqa: F401
from indexer.titles import (DERIVED_MARK, derive_title, extract_title,  # noqa: F401
                            headline_above_meta, split_doc_number, split_head)
from indexer.titles import years as _years

_SCRIPT_CHARS = 3000
# A title of this shape reports on a past year; a 通知 or 实施方案 is dated by its own year.
_ANNUAL = re.compile(r"报告|总结|情况|汇报|述职|年报")

_FILE_YEAR = re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d{2})(?![0-9A-Za-z])")
# A document number on a line of its own above or under the title (浙卫〔2024〕3号): the report's
# 发文字号 when the page has no disclosure table; 签发人 may follow it (保政呈〔2017〕3号 签发人:某某).
_DOC_NUMBER_LINE = re.compile(r"^[ \t]*([\u4e00-\u9fff]{1,10}[〔\[]\s*(?:19|20)\d{2}\s*[〕\]]\s*\d{1,5}\s*号)"
                              r"(?:[ \t]+签发人\s*[:：]\s*[\u4e00-\u9fff]{2,4}(?:[ \t、，,]+[\u4e00-\u9fff]{2,4}){0,3})?"
                              r"[ \t]*$", re.M)           # 签发人:某某 某某: a joint report's two signers
_DOC_NUMBER_CHARS = 1500
# The outline's first heading (一、…), and the year it starts with, if any.
_FIRST_HEADING = re.compile(r"^[ \t　]*一\s*[、.．]\s*(?:((?:19|20)\d{2})\s*年)?", re.M)
_HEADING_CHARS = 4000
_TEXT_YEAR_CHARS = 3000
# A year of plans (二、2024年工作计划, 2024年工作打算): the year after the one reported on.
_PLAN_YEAR = re.compile(r"(?:19|20)\d{2}\s*年度?[^。，,；;\n]{0,6}?(?:计划|打算|思路|安排|展望|目标)")


@dataclass
class Metadata:
    """A report's metadata; strings are "" and codes "" (6 digits when known) where unknown."""

    title: str = ""
    display_title: str = ""
    title_derived: bool = False
    year: int | None = None
    year_source: str = ""     # title / opening / heading / published / filename / text / manual / ""
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


def year_in_text(text: str) -> int | None:
    """The year the first paragraphs name most (outside ranges and book titles; the later one on
    a tie): the last resort of a page cut down to part of its body, with no title, opening year,
    date or file name (…列入2023年《工作要点》…). With no year outside them, the year of the book
    titles it names (《2021年某区重点工作责任清单》: the year's own work lists)."""
    head = _PLAN_YEAR.sub(lambda m: " " * len(m.group()), normalize(text[:_TEXT_YEAR_CHARS]))
    counts = Counter(y for y, _, _ in _years(head)) or Counter(y for y, _, _ in _years(head, books=True))
    if not counts:
        return None
    return max(counts, key=lambda y: (counts[y], y))


def doc_number_line(cleaned: str) -> str:
    """The 发文字号 printed on a line of its own near the top (浙卫〔2024〕3号), else ""."""
    m = _DOC_NUMBER_LINE.search(normalize(cleaned[:_DOC_NUMBER_CHARS]))   # one char for one
    return cleaned[m.start(1):m.end(1)] if m else ""


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
    disclosure = read_disclosure(remove_invisible(raw_text))   # 索??引??號: a mirror's spaces
    title, opening = split_head(cleaned_text)
    # The table's 标题 is the document's own, unless the report prints the same words itself
    # (the table copies the page's heading, spaced apart where it was wrapped: …工作 年度报告).
    if disclosure.title and spaceless(disclosure.title) != spaceless(title):
        title = disclosure.title
    title, title_number = split_doc_number(title)   # [某政发〔2026〕7号]某市人民政府关于…
    if not title:                              # a news page: the headline above its 来源 line
        title = remove_pinyin_annotations(headline_above_meta(raw_text))
    published = extract_published(raw_text, cleaned_text, title, disclosure)
    year, year_source = extract_year(title, opening, published, cleaned_text)
    if year is None and year_from_filename(filename):
        year, year_source = year_from_filename(filename), "filename"
    if year is None and year_in_text(cleaned_text):
        year, year_source = year_in_text(cleaned_text), "text"
    source = extract_source(raw_text) or disclosure.publisher or delivered_by(cleaned_text)
    place, issuer, warnings = locate_issuer(title, opening, source, cleaned_text, year,
                                            disclosure.index_number or "",
                                            region_of_address(source_url),
                                            lambda: page_trail(raw_text, title))
    meta = Metadata(title=title, year=year, year_source=year_source, published=published,
                    issuer=issuer, doc_number=(disclosure.doc_number or title_number
                                                or doc_number_line(cleaned_text)),
                    script=detect_script(cleaned_text[:_SCRIPT_CHARS]), warnings=warnings)
    _fill_region(meta, place)
    if not place and not warnings:
        meta.warnings.append("region unknown")
    meta.title_derived = not title
    meta.display_title = title or derive_title(issuer, year)
    return meta
