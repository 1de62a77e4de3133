"""A township's or street's report: which town it is, and so which county it belongs to; pure.

Split from ``indexer.issuer`` (which decides the region in its order and asks this module at one
step): a street or town reports as part of its county, and real reports name themselves so in
several ways: as the title's body, as the opening's subject after a year and its superiors
(2021年,在区委…领导下,虹桥街道深入…), after a sentence that says what the year was (2024年是…之年。
西兴街道始终坚持…), or only by speaking as 本镇/全镇 while naming the town. The county comes from
the township table (``search.towns``), only inside the place found so far when there is one.
"""
from __future__ import annotations

import re

from search import regions, towns
from search.analysis import normalize
from search.regions import Division
from indexer.bodies import simplified

# The township or street a report names first, as its title's body or its opening's subject.
# (2021年,在区委、区政府坚强领导下,虹桥街道深入…: the year and the superior clause go first.)
_YEAR_LEAD = re.compile(r"^(?:(?:19|20)\d{2}年度?(?:以来)?|一年来|今年以来|近年来)[，,\s]*")
_TOWN_SUBJECT = re.compile(r"^([\u4e00-\u9fff]{2,8}?(?:街道|街(?=在|坚持|深入|以)|镇|乡|苏木))"
                           r"(?:办事处|人民政府|党委|党工委)?(?![区县市])")
_YEAR_COMMA = re.compile(r"[，,](?:19|20)\d{2}年度?(?:以来)?[，,]\s*")
_SUBJECT_REACH = 200      # characters of an opening searched for that subject
# An opening that first says what the year was (2025年,是《纲要》收官决胜的关键之年。): the
# report's subject starts the next sentence.
_FRAMING = re.compile(r"^(?:19|20)\d{2}年度?[，,]?\s*(?:是|也是)[^。]{2,160}?(?:之年|一年)。")
# 本镇, 全镇 (not 全乡镇, 镇长, 全镇域): a report written by a town, read twice to be sure.
_SPEAKS_AS_TOWN = re.compile(r"(?:我|本|全)(?:街道|镇|乡)(?!镇|长|级|域|道|村)")
# 在市委、市政府的坚强领导下 names the superior, never the report's own level: read past it.
SUPERIOR = re.compile(r"在[^，,。；;]{1,40}?(?:领导|指导|监督|支持)下[，,\s]*")


def town_county(names: tuple[str, ...], place: Division | None,
                 year: int | None, among: tuple[Division, ...] = (),
                 text: str = "") -> tuple[Division | None, str]:
    """The county of the township or street a report names as its body (in its title, as its
    opening's subject, as its 来源), when the place found so far is above a county or none:
    from ``search.towns``, and only inside that place when one was found. ``among``: the
    places an ambiguous name of the text may be (朝阳区: in 北京 and in 长春), else the counties
    ``text`` names; a street that only one of them holds (东湖街道, in eighteen counties, one
    of them 北京's 朝阳区) tells. Returns the county and the town's name, or ``(None, "")``."""
    if isinstance(place, Division) and place.level == "county":
        return None, ""
    inside = place if isinstance(place, Division) else None
    for name in map(subject_town, names):
        if not name:
            continue
        town = towns.county_of(name, inside, year)
        if town is None and inside is None and (among or text) and towns.county_codes(name):
            among = among or _named_counties(text)      # read once, only for a shared name
            text = ""
            held = {found.code: found for found in (towns.county_of(name, c, year) for c in among)
                    if found is not None}
            town = next(iter(held.values())) if len(held) == 1 else None
        if town is not None:
            return town, name
    return None, ""


def subject_town(text: str) -> str:
    """The township or street ``text`` (a title's body, an opening, a 来源) makes its subject:
    2021年,在区委…领导下,虹桥街道深入… → 虹桥街道; 万兴街在… → 万兴街道; else ""."""
    text = simplified(text or "")
    lead = _YEAR_LEAD.sub("", text, count=1)
    m = _TOWN_SUBJECT.match(past_superiors(lead))
    if not m:               # 根据《…》要求,2023年,清波街道以…: the subject after a year's comma
        m = next((t for y in _YEAR_COMMA.finditer(lead[:_SUBJECT_REACH])
                  if (t := _TOWN_SUBJECT.match(lead[y.end():]))), None)
    framing = None if m else _FRAMING.match(text)
    if framing:             # 2024年是…之年,也是西兴街道…之年。西兴街道始终坚持…: the next sentence's
        m = _TOWN_SUBJECT.match(past_superiors(text[framing.end():].lstrip()))
    return m.group(1) + ("道" if m.group(1).endswith("街") else "") if m else ""


def town_spoken_as(text: str, place: Division | None, year: int | None) -> Division | None:
    """The county of the township or street a report speaks as (本镇, 全镇: twice) without
    naming itself as a subject (a page cut to its sections): the town the text names most, at
    least twice and more often than any other, inside the city or province found."""
    if (not isinstance(place, Division) or place.level == "county"
            or len(_SPEAKS_AS_TOWN.findall(text)) < 2):
        return None
    ranked = towns.named_in(text).most_common(2)
    if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return towns.county_of(ranked[0][0], place, year)


def past_superiors(lead: str) -> str:
    """The opening after the clauses naming its superiors, however many are stacked:
    在区委、区政府的坚强领导下,在区司法局的悉心指导下,荔枝街道坚持… → 荔枝街道坚持…"""
    if lead.startswith("在"):
        lead = SUPERIOR.sub("", lead, count=1)
    while m := SUPERIOR.match(lead):
        lead = lead[m.end():]
    return lead


def _named_counties(text: str) -> tuple[Division, ...]:
    """The counties the text names in full (宣传朝阳区新版产业政策), each place a name may be:
    where a street's name is shared by many counties, the one the report names is its own."""
    named = normalize(text)
    return tuple(d for m in regions.places_in(named) for d in regions.find(m.name)
                 if d.level == "county")
