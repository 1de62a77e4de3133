"""Second-rank clues to a report's own place, for when its body names the level but not the place.

Real department and street reports often say only 我局 / 区司法局 / 街道 and name their place
nowhere in the usual spots. Two clues still say it, and say it about the report itself:

- the campaign the report names after its own place (``CAMPAIGN``): 法治弋阳建设, 平安四川、
  法治四川, “法治上城建设工作要点”, and the experience it offers as its own (提供锦江经验); a
  short name is read only here, never in running prose;
- a provincial report's 总书记来陕考察 (the one-character abbreviations of ``PROVINCE_ABBR``),
  read only when nothing else names a place, and so is a provincial document number's first
  character (桂政发〔2015〕2号);
- the publishing body's unified social credit code, printed as the disclosure table's 索引号
  or under the title (``11370105MB279780XD``: 1 机构编制, 1 机关, then the division code
  370105), and a 索引号 that opens with the body's division code (``6107280000/2024-001005``).

``refine`` only ever makes a place more specific (a district of the city already found, the
found place's zone) and never deeper than the level the report names, so a provincial campaign
(法治浙江) quoted by a county report cannot override the county.
"""
from __future__ import annotations

import re

from search import regions
from search.analysis import normalize
from search.regions import Division

_HEAD_CHARS = 6000
# 法治弋阳建设, 法治四川、, “法治上城”: the short name between 法治/平安 and what follows a name.
# Also the experience the report offers as its place's own: 为全省…提供锦江经验.
CAMPAIGN = re.compile(r"(?:法治|平安)([\u4e00-\u9fff]{2,4}?)(?=建设|讲堂|示范|、|，|,|。|；|”|》|\s)"
                      r"|(?:提供|贡献|形成|打造)了?“?([\u4e00-\u9fff]{2,4}?)”?(?=经验|样板|方案)")
# The body's unified social credit code: 1 (机构编制) + 1/2/3 (机关/事业单位/群团) + code + 10.
CREDIT_CODE = re.compile(r"(?<![0-9A-Z])1[123](\d{6})[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")
# A 索引号 that opens with the division code, with or without four zeros: 6107280000/2024-001005,
# 370402/2022-00029.
INDEX_CODE = re.compile(r"索\s*引\s*号\s*[:：|]?\s*(\d{6})(?:0000)?\s*/")
# One-character province abbreviations, read only in 来X考察 / 视察X (历次来陕考察重要讲话).
PROVINCE_ABBR = {"京": "110000", "津": "120000", "冀": "130000", "晋": "140000", "蒙": "150000",
                 "辽": "210000", "吉": "220000", "黑": "230000", "沪": "310000", "苏": "320000",
                 "浙": "330000", "皖": "340000", "闽": "350000", "赣": "360000", "鲁": "370000",
                 "豫": "410000", "鄂": "420000", "湘": "430000", "粤": "440000", "桂": "450000",
                 "琼": "460000", "渝": "500000", "川": "510000", "蜀": "510000", "黔": "520000",
                 "滇": "530000", "藏": "540000", "陕": "610000", "陇": "620000", "甘": "620000",
                 "青": "630000", "宁": "640000", "疆": "650000"}
_VISIT = re.compile(r"(?:来|到|赴)([" + "".join(PROVINCE_ABBR) + r"])(?:考察|视察|调研)")
# The opening names a zone by its kind only: 高新区综治局…, 2023年，经开区坚持…
_BARE_ZONE = re.compile(r"^(?:(?:19|20)\d{2}年度?(?:以来)?[，,\s]*)?(高新区|经开区|开发区|新区|工业园区)")
# A provincial government's document number opens with the province's abbreviation:
# 桂政发〔2015〕2号, 黔府发〔2018〕7号 (read only when nothing else names a place).
_PROVINCE_DOC_NUMBER = re.compile(r"(?<![\u4e00-\u9fff])([" + "".join(PROVINCE_ABBR)
                                  + r"])(?:政发|政办发|府发|府办发|政函|政办函)\s*[〔\[]\s*(?:19|20)\d{2}")
_RANK = {level: n for n, level in enumerate(regions.LEVELS)}


def refine(place: Division | None, level: str, opening: str, text: str,
           year: int | None, index_number: str = "") -> Division | None:
    """Return a more specific place than ``place`` that the clues give, else ``place``.

    ``level`` is the level the report names for itself ("" when none); a clue deeper than it,
    or not inside ``place``, is not taken. ``index_number`` is the disclosure table's 索引号
    (the table itself is cleaned out of ``text``).
    """
    if place is not None and not (level in _RANK and _RANK[place.level] < _RANK[level]):
        return _zone_of(place, opening) or place      # the place is already as deep as named
    head = normalize(text[:_HEAD_CHARS])
    best = place
    codes = text[:_HEAD_CHARS] + (f"\n索引号:{index_number}" if index_number else "")
    for found in _campaign_places(head, level, year) + _code_places(codes, year):
        if level in _RANK and _RANK[found.level] > _RANK[level]:
            continue
        if best is not None and not _inside(found, best):
            continue
        if best is None or _RANK[found.level] > _RANK[best.level]:
            best = found
    if best is None and level in ("", "province"):
        m = _VISIT.search(head) or _PROVINCE_DOC_NUMBER.search(head)
        best = regions.by_code(PROVINCE_ABBR[m.group(1)], year) if m else None
    if best is not None and best.level == "province" and level == "city":     # 市司法局 only
        best = _one_city_named(best, head, year) or best
    return _zone_of(best, opening) or best


def _one_city_named(province: Division, head: str, year: int | None) -> Division | None:
    """A 市司法局 whose text names one city of its province, by its short name, in passing
    (助力深圳获评…): that city. Two cities named, or none: nothing is guessed. The province's own
    name is no mention of its city of the same name (吉林省 names no 吉林市)."""
    head = head.replace(normalize(province.name), "")
    named = set()
    for city in regions.cities_of(province, year):
        short = regions.short_name(city.name)
        if len(short) >= 2 and (normalize(short) in head or normalize(city.name) in head):
            named.add(city.code)
    return regions.by_code(named.pop(), year) if len(named) == 1 else None


def _campaign_places(head: str, level: str, year: int | None) -> list[Division]:
    """The places the campaigns in ``head`` are named after, most frequent first."""
    counts: dict[str, int] = {}
    for m in CAMPAIGN.finditer(head):
        name = m.group(1) or m.group(2)
        counts[name] = counts.get(name, 0) + 1
    out = []
    for name in sorted(counts, key=lambda n: -counts[n]):
        found = [d for d in regions.find(name, year) or regions.find(name)
                 if regions.short_name(d.name) == name]
        if level in _RANK and len(found) > 1:
            found = [d for d in found if d.level == level] or found
        if len({d.code for d in found}) > 1:
            picked = regions.resolve_place(name, year, head)
            found = [picked] if isinstance(picked, Division) else []
        if len({d.code for d in found}) == 1:
            out.append(found[0])
    return out


def _code_places(head: str, year: int | None) -> list[Division]:
    """The divisions the body's credit code or 索引号 carries (a county, city or province)."""
    out = []
    for pattern in (CREDIT_CODE, INDEX_CODE):
        for m in pattern.finditer(head):
            found = regions.by_code(m.group(1), year) or regions.by_code(m.group(1))
            if found is not None and found not in out:
                out.append(found)
    return out


def _inside(inner: Division, outer: Division) -> bool:
    """True when ``inner`` is ``outer`` or lies within it."""
    if regions.is_zone(outer) or regions.is_zone(inner):
        return inner == outer
    return regions.ancestor(inner, outer.level) == outer


def _zone_of(place: Division | None, opening: str) -> Division | None:
    """珠海市 + an opening that starts with 高新区… → 珠海高新区 (if that zone exists)."""
    if place is None or place.level != "city":
        return None
    m = _BARE_ZONE.match(normalize(opening[:60]))
    if not m:
        return None
    short = regions.short_name(place.name)
    return regions.find_zone(short + m.group(1)) or regions.find_zone(place.name + m.group(1))
