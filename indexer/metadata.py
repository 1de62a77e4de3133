"""What a report says about itself: title, year reported on, publication date, region, issuer.

Everything is read from the first lines and sentences, because that is where a report names
itself, and because the body names many other places (learning trips, provincial campaigns).
The issuing body decides the region, in this order: the body the title names, the body the
opening sentence names, the page's 来源 line, and only then the places the text names most.
A provincial report reposted on a county site is therefore still provincial. Names are read as
the divisions of the report's own year (a 2009 report of 襄樊市 stays 襄樊市, code 420600);
duplicate names are told apart by the parent named nearby, or left empty with a warning.

All functions are pure; ``extract_metadata`` combines them (``indexer.sidecar`` applies a
hand-made ``NAME.meta.json`` on top).
"""
from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from search import regions
from search.analysis import detect_script, normalize
from search.regions import Ambiguous, Division

_HEAD_LINES = 40          # lines looked at for the title and the opening sentence
_TITLE_LINES = 8          # a title further down than this is not the report's own
_TITLE_MAX = 60
_OPENING_CHARS = 400
_VOTE_CHARS = 6000        # text scanned for places when nothing better names the region
_SCRIPT_CHARS = 3000
DERIVED_MARK = "（标题为推断）"

_SENTENCE = re.compile(r"[。；;，,！!？?]")
_CHROME = re.compile(r"位置\s*:|>|^(?:来源|信息来源|发布时间|发布日期|时间|日期|作者|字号)\s*:")
_TITLE_END = re.compile(r"(?:报告|总结|情况|汇报|通报|述职|年报)[)）】」》\s]*$")
_TOPIC = re.compile(r"法治|法制|依法行政")
_BODY_STOP = re.compile(r"关于|(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4}年|法治|法制|依法行政|年度")
_YEAR = re.compile(r"(?<![\d\-—–~～至到])((?:19|20)\d{2})\s*年(度)?(?![\-—–~～至到])")
_CN_YEAR = re.compile(r"[〇○零一二三四五六七八九]{4}(?=\s*年)")
_CN_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")
_BOOK = re.compile(r"《[^》]*》")
_FILE_YEAR = re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d{2})(?![0-9A-Za-z])")
_DATE = r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
_LABELLED_DATE = re.compile(r"(?:(发布时间|发布日期|发表时间|发文日期|发布于|成文日期|更新时间)\s*:?"
                            r"|(?<![\u4e00-\u9fff])(?:时间|日期)\s*:)\s*" + _DATE)
_SOURCE = re.compile(r"(?:^|(?<=[\s|]))(?:信息|文章|稿件)?来源\s*:\s*([^\s|:]{2,40})", re.M)
_MEDIA = re.compile(r"本站|本网|原创|网络|转载|综合|日报|晚报|报社|新闻|电视|广播|微信|公众号|网$")
_LEAD = re.compile(r"^(?:(?:19|20)\d{2}年度?(?:以来|全年|上半年)?|今年以来|一年来|近年来|本年度|全年)?"
                   r"[\s,]*(?:我|本)?")
_TITLE_LEAD = re.compile(r"^(?:关于)?(?:(?:(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*年度?)?")
_WE = re.compile(r"^(?:(?:19|20)\d{2}年度?[,\s]*)?我(省|市|区|县|州|盟|旗)")
_SKIP_CLAUSE = re.compile(r"^(?:在|按照|根据|为|随着|自|围绕|坚持|紧紧|深入|是)")
_ORG = r"人民政府|政府|委员会|管委会|办公室|局|厅|委|办|院|中心|署|部|队|站|所|处"
_PREDICATE = (r"按照|按|以|坚持|认真|始终|一直|在|深入|紧紧|紧扣|紧盯|全面|围绕|聚焦|高度|积极|持续|"
              r"立足|严格|扎实|贯彻|切实|进一步|牢固|不断|着力|全力|主动|根据|结合|强化|大力|继续|把|将|"
              r"共|锚定|坚定|于|全年|努力|统筹|落实|依法|自觉|对照|通过|为|秉持|注重|突出|加强|从|抓|"
              r"树牢|深化|充分|坚决|推进|党组|领导班子|聚力")
_OPENING_BODY = re.compile(rf"^([\u4e00-\u9fff()（）]{{2,30}}?(?:{_ORG}))(?={_PREDICATE})")
_RELATIVE = re.compile(r"^(自治州|省|市|州|盟|区|县|旗)(?!场|级|域|委书记|长)")
_RELATIVE_LEVEL = {"省": "province", "市": "city", "州": "city", "自治州": "city", "盟": "city",
                   "区": "county", "县": "county", "旗": "county"}


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
    script: str = "simplified"
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


# --- title and opening -----------------------------------------------------------------------

def split_head(cleaned: str) -> tuple[str, str]:
    """Return ``(title, opening paragraph)`` from the first lines of a cleaned report."""
    lines = [ln.strip() for ln in cleaned.split("\n", _HEAD_LINES)[:_HEAD_LINES]]
    lines = [ln for ln in lines if ln]
    title, rest = "", lines
    for i, line in enumerate(lines[:_TITLE_LINES]):
        norm = normalize(line)
        if _CHROME.search(norm):
            continue
        if _is_sentence(norm):
            break
        nxt = normalize(lines[i + 1]) if i + 1 < len(lines) else ""
        if (nxt and not _TITLE_END.search(norm) and not _is_sentence(nxt)
                and not _CHROME.search(nxt) and _TITLE_END.search(norm + nxt)
                and _is_title(norm + nxt)):
            title, rest = line + lines[i + 1], lines[i + 2:]   # a title split over two lines
            break
        if _is_title(norm):
            title, rest = line, lines[i + 1:]
            break
    opening = next((ln for ln in rest if _is_sentence(norm := normalize(ln))
                    and not _CHROME.search(norm)), "")
    return title, opening[:_OPENING_CHARS]


def extract_title(cleaned: str) -> str:
    """Return the report's own title line(s), or "" when it starts with its opening sentence."""
    return split_head(cleaned)[0]


def _is_sentence(norm: str) -> bool:
    return len(norm) > _TITLE_MAX or bool(_SENTENCE.search(norm))


def _is_title(norm: str) -> bool:
    """A short line that ends like a report title, or names a year and the rule of law."""
    if _is_sentence(norm):
        return False
    return bool(_TITLE_END.search(norm) or (_TOPIC.search(norm) and _years(norm)))


# --- year and date ---------------------------------------------------------------------------

def _years(text: str) -> list[tuple[int, bool, int]]:
    """``(year, written as 年度, position)`` for each year named outside 《book titles》 and ranges."""
    norm = _CN_YEAR.sub(lambda m: m.group().translate(_CN_DIGITS), normalize(text))
    norm = _BOOK.sub(lambda m: " " * len(m.group()), norm)
    return [(int(m.group(1)), bool(m.group(2)), m.start()) for m in _YEAR.finditer(norm)]


def extract_year(title: str, opening: str, published: str | None) -> tuple[int | None, str]:
    """Return ``(year reported on, source)``: from the title, the opening, else the publication.

    In the opening, a year that starts it (2023年伊春市…) wins, then one written 年度 (现将2024年度…),
    then the first. Reports about year N appear early in N+1: a publication date in January to
    June means N = its year − 1, later in the year N = its year.
    """
    found = _years(title)
    if found:
        return found[0][0], "title"
    limit = int(published[:4]) if published else 9999
    found = [y for y in _years(opening) if y[0] <= limit]
    if found:
        pick = [y for y in found if y[2] <= 2] or [y for y in found if y[1]] or found
        return pick[0][0], "opening"
    if published:
        return int(published[:4]) - (int(published[5:7]) <= 6), "published"
    return None, ""


def year_from_filename(filename: str) -> int | None:
    """Return a year written in the file name (报告_2022.txt), if any."""
    m = _FILE_YEAR.search(Path(filename).stem) if filename else None
    return int(m.group(1)) if m else None


def extract_published(raw: str) -> str | None:
    """Return the publication date (ISO) from a 发布时间/发布日期/时间/日期 line, else None.

    发布… labels win over 成文日期/更新时间, which win over a bare 时间/日期; then the first one.
    """
    norm = normalize(raw[:3000] + "\n" + raw[-1500:] if len(raw) > 4500 else raw)
    dates = []
    for m in _LABELLED_DATE.finditer(norm):
        try:
            day = datetime.date(int(m.group(2)), int(m.group(3)), int(m.group(4)))
        except ValueError:
            continue
        rank = 2 if not m.group(1) else 1 if m.group(1) in ("成文日期", "更新时间") else 0
        dates.append((rank, m.start(), day.isoformat()))
    return min(dates)[2] if dates else None


def extract_source(raw: str) -> str:
    """Return the publishing office of the page's 来源 line (simplified), "" for media or none."""
    m = _SOURCE.search(normalize(raw[:3000]))
    value = simplified(raw[m.start(1):m.end(1)]).strip() if m else ""
    return "" if _MEDIA.search(value) else value


# --- issuer and region -----------------------------------------------------------------------

def simplified(text: str) -> str:
    """``normalize`` without lower-casing: the simplified-script text we show (XX市 stays XX市)."""
    return "".join(o if o.isascii() else n for o, n in zip(text, normalize(text)))


def title_body(title: str) -> str:
    """The body a title names before its year or topic: 山西省行政审批服务管理局, 忻府区, or ""."""
    norm = _TITLE_LEAD.sub("", simplified(title).strip(" 【】[]"))
    m = _BODY_STOP.search(norm)
    body = norm[: m.start()].strip(" 、:-—") if m else ""
    return body if len(body) >= 2 else ""


def opening_body(opening: str) -> str:
    """The body the opening sentence makes its subject (2023年伊春市营商环境建设监督局按照… → …局)."""
    for clause in re.split(r"[，,；;。:]", simplified(opening), maxsplit=4)[:4]:
        clause = _LEAD.sub("", clause.strip(), count=1)
        if len(clause) < 2 or _SKIP_CLAUSE.match(clause):
            continue
        m = _OPENING_BODY.match(clause)
        if m:
            return m.group(1)
    return ""


def locate_issuer(title: str, opening: str, source: str, text: str,
                  year: int | None) -> tuple[Division | None, str, list[str]]:
    """Return ``(division or None, issuer, warnings)`` in the order the module docstring gives."""
    tbody, obody = title_body(title), opening_body(opening)
    context = normalize(" ".join((title, opening, source, text[:1500])))
    place, warnings = None, []
    for body in (tbody, obody):
        if body and not _RELATIVE.match(body) and _body_places(body):
            place = _place_of(body, year, context)
            break
    relative = [m for m in (_RELATIVE.match(tbody), _RELATIVE.match(obody),
                            _WE.match(simplified(opening[:12]))) if m]
    hint = _RELATIVE_LEVEL[relative[0].group(1)] if relative else ""   # 市司法局, 我区
    fallback = None
    if place is None and source:
        place = _place_of(source, year, context)
        if hint and isinstance(place, Division):   # 来源 忻州市司法局 for a 区司法局 report
            fallback, place = place, regions.ancestor(place, hint)
    if place is None and (hint or not (tbody or obody)):  # last resort: what the text names
        place = _vote(text[:_VOTE_CHARS], hint or "city", year) or (
            fallback if hint else _vote(text[:_VOTE_CHARS], "province", year))
        if isinstance(place, Division) and place is not fallback:
            warnings.append("region inferred from places named in the text")
    if isinstance(place, Ambiguous):
        names = ", ".join(d.name for d in sorted(place.candidates, key=lambda d: d.code))
        warnings.append(f"region ambiguous: {place.describe()}" if place.name
                        else f"region ambiguous: the text names {names} equally often")
        place = _common(place.candidates)
    if tbody and _only_places(tbody):
        tbody = _government(tbody, place)
    body = tbody or obody or source
    return place, _complete(body, place), warnings


def _place_of(body: str, year: int | None, context: str) -> Division | Ambiguous | None:
    """The most specific place a body names, told apart by the body's other places, then context."""
    mentions = _body_places(body)
    if not mentions:
        return None
    names = " ".join(m.name for m in mentions)
    found = regions.resolve_place(mentions[-1].name, year, names)
    if isinstance(found, Ambiguous):
        found = regions.resolve_place(mentions[-1].name, year, names + " " + context)
    return found


def _body_places(body: str) -> list[regions.Mention]:
    """Places in a body name; a body may also start with a bare short name (伊春营商环境建设监督局)."""
    found = regions.places_in(body)
    if not found:
        size = next((k for k in (4, 3, 2) if regions.short_name(body[:k]) == body[:k]
                     and any(d.level != "county" for d in regions.find(body[:k]))), 0)
        found = [regions.Mention(0, size, body[:size])] if size else []
    return found


def _vote(text: str, level: str, year: int | None) -> Division | Ambiguous | None:
    """The place of ``level`` the text names most (a county also counts, half, for its city)."""
    scores: dict[str, list] = {}
    for m in regions.places_in(text):
        found = regions.resolve_place(m.name, year, text[max(0, m.start - 12):m.end])
        target = regions.ancestor(found, level) if isinstance(found, Division) else None
        if target is not None:
            scores.setdefault(target.code, [target, 0])[1] += 2 if target is found else 1
    ranked = sorted(scores.values(), key=lambda e: -e[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return Ambiguous("", tuple(e[0] for e in ranked if e[1] == ranked[0][1]))
    return ranked[0][0] if ranked else None


def _common(candidates: tuple[Division, ...]) -> Division | None:
    """The city, else the province, that all candidates share."""
    for level in ("city", "province"):
        above = {regions.ancestor(d, level) for d in candidates}
        if len(above) == 1 and None not in above:
            return above.pop()
    return None


def _government(places: str, place: Division | None) -> str:
    """忻府区 → 忻府区人民政府, 山西 → 山西省人民政府; a 盟 or 地区 is run by a 行政公署."""
    last = _body_places(places)[-1]
    if isinstance(place, Division) and regions.short_name(place.name) in (last.name, place.name):
        places = places[:last.start] + place.name
    return places + ("行政公署" if places.endswith(("盟", "地区")) else "人民政府")


def _only_places(body: str) -> bool:
    return sum(m.end - m.start for m in regions.places_in(body)) == len(body.replace(" ", ""))


def _complete(body: str, place: Division | None) -> str:
    """Name the place of a relative body: 市行政审批局 → 苏州市行政审批局."""
    m = _RELATIVE.match(body)
    target = regions.ancestor(place, _RELATIVE_LEVEL[m.group(1)]) if m and place else None
    return target.name + body[m.end():] if target else body


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


def derive_title(issuer: str, year: int | None) -> str:
    """The title shown for a report without one, marked as inferred."""
    when = f"{year}年度" if year else ""
    return f"{issuer}{when}法治政府建设情况报告{DERIVED_MARK}"


# --- the whole report ------------------------------------------------------------------------

def extract_metadata(raw_text: str, cleaned_text: str, filename: str = "") -> Metadata:
    """Extract all metadata of one report from its raw text (for page lines) and cleaned text."""
    title, opening = split_head(cleaned_text)
    published = extract_published(raw_text)
    year, year_source = extract_year(title, opening, published)
    if year is None and year_from_filename(filename):
        year, year_source = year_from_filename(filename), "filename"
    place, issuer, warnings = locate_issuer(title, opening, extract_source(raw_text),
                                            cleaned_text, year)
    meta = Metadata(title=title, year=year, year_source=year_source, published=published,
                    issuer=issuer, script=detect_script(cleaned_text[:_SCRIPT_CHARS]),
                    warnings=warnings)
    _fill_region(meta, place)
    if not place and not warnings:
        meta.warnings.append("region unknown")
    meta.title_derived = not title
    meta.display_title = title or derive_title(issuer, year)
    return meta
