"""Who issued a report and which region it belongs to: pure, from its title, opening and page.

The issuing body decides the region, in this order: the body the title names, the body (or bare
place) the opening sentence makes its subject, the page's 来源 line or the disclosure table's
发布机构, and only then the places the text names most. A provincial report reposted on a county
site is therefore still provincial, and a date banner or the hosting site's breadcrumb (cleaned
away before this runs) never decides. Bodies that name only their level (县司法局, 我区, 自治区,
现将县人民政府…) take that level and find the place in the text; functional zones (苏州工业园区,
两江新区, 成都高新区) are county-level bodies of their city without a code, said so in a warning.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from search import regions, towns
from search.analysis import normalize
from search.regions import Ambiguous, Division
from indexer import place_hints, site_address
from indexer.town_subject import SUPERIOR, subject_town, town_county, town_spoken_as
from indexer.bodies import opening_body, opening_place, sending_body, simplified, title_body

_VOTE_CHARS = 6000        # text scanned for places when nothing better names the region
_LEVEL_CHARS = 800        # text scanned for 我县/我区 when nothing else names the level
_WE = re.compile(r"^(?:(?:19|20)\d{2}年度?[,\s]*)?我(省|市|区|县|州|盟|旗)")
_RELATIVE = re.compile(r"^(自治区|自治州|省|市|州|盟|区|县|旗)(?!场|级|域|委书记|长)")
_RELATIVE_LEVEL = {"省": "province", "自治区": "province", "市": "city", "州": "city",
                   "自治州": "city", "盟": "city", "区": "county", "县": "county", "旗": "county"}
# 我县 / 本区 name the report's own level; they win over a superior named first (在市委、市政府…).
_SELF_LEVEL_PATTERN = r"(?:我|本)(县|区|旗|州|市|省)(?!场|级|域|委|长|内|外|直)"
_SELF_LEVEL = re.compile(_SELF_LEVEL_PATTERN)
# A level named in passing in the opening: 我县…, 全区…, 现将县人民政府…, 县司法局…
_LEVEL_IN_OPENING = re.compile(
    _SELF_LEVEL_PATTERN + r"|全(县|旗)(?!级|域|委|长)"
    r"|(?:^|(?<=[将，,。；;、\s]))(县|区|旗|市|省)(?:人民政府|政府|司法局|市场监管局|市场监督管理局|"
    r"教育局|[\u4e00-\u9fff]{1,6}局)")
# A street or town reports as part of its county: 四季青街道在…, 2022年，我镇坚持…, 全镇…
_TOWN_BODY = re.compile(r"^(?:(?:19|20)\d{2}年度?(?:以来)?[，,\s]*)?[\u4e00-\u9fff]{2,8}?"
                        r"(?:街道办事处|街道|镇|乡)(?:人民政府|党委|党工委)?"
                        r"(?=在|坚持|深入|认真|全面|紧紧|始终|以|按照|积极|法治)")
_TOWN_WE = re.compile(r"(?:我|本|全)(?:街道|街|镇|乡)(?!长|级|域|道)")
# 落实省、市、区关于…部署: a chain of levels ending in 区/县 is followed down to the body's own.
_LEVEL_CHAIN = re.compile(r"省[、]?市[、]?(县|区)(?:委)?(?=关于|有关|的|各项|决策|部署|工作|要求)")
_TOWN_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}?(?:镇|乡|街道|村|社区)")
# A department says 我局/本委; led by 区委、区政府 it is an office of that 区.
_DEPARTMENT_WE = re.compile(r"(?:我|本)(?:局|委|办|厅|中心)")
_LEADER_LEVEL = re.compile(r"^在(?:[^，,、]{0,6}?和)?(县|区|市|州|旗|省)(?:委|政府)")
_ADDRESSEES = re.compile(r"^各[^。；;!?！？]{1,120}[:：]\s*$")
# 全省各级政府坚持…: the whole of one level is the subject.
_WHOLE_LEVEL = re.compile(r"^全(省|市|州|县|区|旗)")
# 2022年,区委、区政府坚持…: a district's leaders as the subject, in an autonomous region too.
_DISTRICT_LEADERS = re.compile(r"^(?:(?:19|20)\d{2}年度?(?:以来)?[，,\s]*)?区委[、，,]\s*区(?:人民)?政府")
# 2019年,全省各级行政机关…: an opening whose subject is the whole of one level (not a body).
_WHOLE_OPENING = re.compile(r"^(?:(?:19|20)\d{2}年度?[,，\s]*)?全(省|市|州|县|区|旗)(?=各级|上下|各地|各部门)")
_RELATIVE_BODY = re.compile(r"(?:^|现将|将)((?:县|区|旗|市|省)(?:人民政府|政府|[\u4e00-\u9fff]{1,6}局))")
_ZONE_WORDS = re.compile(r"(?:^|(?<=[，,。；;\s年]))(?:园区|新区|新城|高新区|开发区|经开区|保税区|管委会)"
                         r"(?:党工委|管委会)?(?=坚持|深入|认真|全面|紧紧|始终|以|在|按照)")
_MEDIA = re.compile(r"本站|本网|原创|网络|转载|综合|日报|晚报|报社|新闻|电视|广播|微信|公众号|网$|GECC")
_SOURCE = re.compile(r"(?:^|(?<=[\s|]))(?:信息|文章|稿件)?来源\s*:\s*([^\s|:]{2,40})", re.M)
_PROVINCE_MIN_VOTES = 1
# What follows a place where a meeting was held (在克拉玛依市召开的…现场推进会).
_VENUE = ("召开", "举行", "举办")
_RANK = {level: n for n, level in enumerate(regions.LEVELS)}
_TEXT_NOTE = "region inferred from places named in the text"
#: The warning of a region read from the township table (``search.towns``).
TOWN_NOTE = "region inferred from the township's county (search/resources/towns.csv)"
#: The warning of a region read from the page's address (``indexer.site_address``).
SITE_NOTE = "region inferred from the site address"
#: The warning of an ambiguous name told apart by the page's breadcrumb or site name.
TRAIL_NOTE = "region chosen among its namesakes by the page's breadcrumb"


def extract_source(raw: str) -> str:
    """Return the publishing office of the page's 来源 line (simplified), "" for media or none."""
    m = _SOURCE.search(normalize(raw[:3000]))
    value = simplified(raw[m.start(1):m.end(1)]).strip() if m else ""
    return "" if _MEDIA.search(value) else value


def locate_issuer(title: str, opening: str, source: str, text: str, year: int | None,
                  index_number: str = "", site: tuple[Division, ...] = (),
                  trail: Callable[[], str] = str) -> tuple[Division | None, str, list[str]]:
    """Return ``(division or None, issuer, warnings)`` in the order the module docstring gives.

    ``site``: the divisions the address of the page names (``indexer.site_address``), the last
    resort: used when the text names no place, to choose among an ambiguous name's candidates,
    or to go below the province or city a vote of the text found when the body named only its
    level (区司法局 whose text names 重庆 only; cqjlp.gov.cn: 九龙坡区). ``trail``: gives the
    page's lines above the title (``indexer.page_head.page_trail``), asked only to choose among
    an ambiguous name's candidates (朝阳区 under 当前位置: 首页>>北京市朝阳区…), so that the few
    reports with such a name alone pay for reading the page's head again."""
    tbody, obody = title_body(title), opening_body(opening)
    oplace = "" if obody else opening_place(opening)     # 2021年,广东坚持… names no body
    context = normalize(" ".join((title, opening, source, text[:1500])))
    place, warnings = None, []
    sbody = "" if tbody else sending_body(opening)       # 现将郑东新区2025年度…报告如下
    for body in (tbody, obody, oplace, sbody):
        if body and not _relative(body) and (_body_places(body) or regions.find_zone(body)
                                             or regions.zones_in(body)):   # 湄洲岛…度假区党工委
            place = _place_of(body, year, context)
            break
    hint = _level_hint(tbody, obody, opening, text) or _level_in_text(text)
    fallback, voted = None, False
    if place is None and hint == "zone":
        place = _first_zone(text[:_VOTE_CHARS])
    if place is None and source:
        place = _place_of(source, year, context)
        if hint in regions.LEVELS and isinstance(place, Division):  # 来源 忻州市司法局, 区司法局
            fallback, place = place, regions.ancestor(place, hint)
    if place is None and (hint or not (tbody or obody)):  # last resort: what the text names
        level = hint if hint in regions.LEVELS else "city"
        voted = True
        place = _vote(text[:_VOTE_CHARS], level, year) or fallback
        if level == "city" and isinstance(place, Division):   # 市政府 of a county-level city
            place = _county_level_city(text[:_VOTE_CHARS], place, year) or place
        if place is None and hint == "county":     # the county is never named: its city at least
            place = _vote(text[:_VOTE_CHARS], "city", year)
        if place is None:                          # at least the province (区司法局 of 重庆)
            place = (_vote(text[:_VOTE_CHARS], "province", year)
                     or _province_vote(text[:_VOTE_CHARS], year))
        if isinstance(place, Division) and place is not fallback:
            warnings.append("region inferred from places named in the text")
    if isinstance(place, Ambiguous) and not place.name:   # a tie: the body's own full name decides
        place = _self_named(place, tbody or obody, text[:_VOTE_CHARS])
        if isinstance(place, Division):
            warnings.append("region inferred from places named in the text")
    if isinstance(place, Ambiguous) and _site_choice(place.candidates, site) is not None:
        place = _site_choice(place.candidates, site)      # 通州区 on www.beijing.gov.cn
        warnings.append(SITE_NOTE)
    if isinstance(place, Ambiguous) and place.name and (
            named := regions.told_apart(place.candidates, trail())):
        place = named
        warnings.append(TRAIL_NOTE)
    among: tuple[Division, ...] = ()
    if isinstance(place, Ambiguous):
        among = place.candidates
        names = ", ".join(d.name for d in sorted(place.candidates, key=lambda d: d.code))
        warnings.append(f"region ambiguous: {place.describe()}" if place.name
                        else f"region ambiguous: the text names {names} equally often")
        place = _common(place.candidates)
    town, town_name = town_county((tbody, obody, opening, source), place, year,   # 中梁山街道
                                  among, text[:_VOTE_CHARS])               # → 九龙坡区
    if town is None and not (tbody or obody) and isinstance(place, Division) \
            and place.level == "county":   # 今年以来,锦丰镇坚持… under 张家港市人民政府: the town
        name = subject_town(opening)
        if name and towns.county_of(name, place, year) == place:
            obody = name
    if town is None:                       # no title, no subject: 本镇, 全镇 and the town's name
        town = town_spoken_as(text[:_VOTE_CHARS], place, year)
    else:
        obody = obody or ("" if tbody else town_name)   # …部署,2023年,清波街道以…: the body
    if town is not None:
        place = town
        warnings = [w for w in warnings if w != _TEXT_NOTE] + [TOWN_NOTE]
    refined = place_hints.refine(place, hint, opening, text, year,  # 法治弋阳, credit code, 高新区
                                 index_number)
    if refined is not place and place is None:
        warnings.append("region inferred from the report's campaign name or credit code")
    place = refined
    if site:
        place = _from_site(place, site, hint, voted, text, warnings)
    if regions.is_zone(place):
        warnings.append(regions.ZONE_NOTE.format(name=place.name,
                                                 parent=place.city or place.province))
    inside = None
    if isinstance(place, Division) and not regions.is_zone(place) and place.level == "county":
        inside = next((z.name for z in regions.zones_in(f"{tbody} {obody} {opening}")
                       if regions.find_zone(z.name) == place), None)     # 宁河经济开发区
        if inside:
            warnings.append(regions.COUNTY_ZONE_NOTE.format(name=inside, county=place.name))
    if tbody and _only_places(tbody):
        tbody = _government(tbody, place)
    if oplace and _only_places(oplace):
        oplace = _government(oplace, place)          # 广东 → 广东省人民政府
    if sbody and _only_places(sbody):
        sbody = _government(sbody, place)            # 郑东新区 → 郑东新区管委会
    body = tbody or obody or oplace or sbody or source or _relative_body(opening, hint, place)
    if inside and body and inside.endswith(body) and body != inside:
        body = inside                # 经济开发区 of the title, 宁河经济开发区 of the opening
    return place, _complete(body, place), warnings


def _site_choice(candidates: tuple[Division, ...], site: tuple[Division, ...]) -> Division | None:
    """The one candidate of an ambiguous name that lies in (or holds) a place the address names."""
    fits = [c for c in candidates
            if any(site_address.within(c, s) or site_address.within(s, c) for s in site)]
    return fits[0] if len({c.code or c.name for c in fits}) == 1 else None


def _from_site(place: Division | None, site: tuple[Division, ...], hint: str, voted: bool,
               text: str, warnings: list[str]) -> Division | None:
    """The place the site address gives, when the text gave none; or, below the province or city
    a vote of the text found, the one site place inside it when the body named a finer level
    (区司法局) or the text names that place too (天元区 on www.zzty.gov.cn, voted 株洲市)."""
    if place is None:            # of yiyang's 益阳市, 弋阳县, 宜阳县, a 市教育局's is the city
        of_level = tuple(s for s in site if s.level == hint)
        found = site if len(site) == 1 else of_level if len(of_level) == 1 else ()
    elif voted and not regions.is_zone(place):
        inside = tuple(s for s in site if site_address.within(s, place)
                       and _RANK[s.level] > _RANK[place.level])
        named = normalize(text[:_VOTE_CHARS])
        finer = hint in regions.LEVELS and _RANK[place.level] < _RANK[hint]
        found = inside if len(inside) == 1 and (finer or normalize(inside[0].name) in named) else ()
    else:
        found = ()
    if not found:
        return place
    chosen = found[0]
    if hint in regions.LEVELS and _RANK[chosen.level] > _RANK[hint]:
        chosen = (regions.ancestor(chosen, hint) or regions.ancestor(chosen, "province")
                  or chosen)           # a 市 office of a municipality's district: the municipality
    if place is not None and (chosen.code or chosen.name) == (place.code or place.name):
        return place
    if _TEXT_NOTE in warnings:
        warnings.remove(_TEXT_NOTE)
    warnings.append(SITE_NOTE)
    return chosen


def _self_named(tie: Ambiguous, body: str, text: str) -> Division | Ambiguous:
    """Of places named equally often, the one the text puts before the body's own name.

    市公安局 whose text names 宜春, 长沙 and 广州 once each but cites 《宜春市公安局…方案》:
    宜春市. Only a body named by its level (市公安局, 区司法局) is completed this way.
    """
    m = _relative(body)
    if not m or len(body) <= m.end():
        return tie
    rest, norm = normalize(body[m.end():]), normalize(text)
    named = [d for d in tie.candidates
             if any(n + rest in norm for n in {normalize(d.name), normalize(regions.short_name(d.name))})]
    return named[0] if len(named) == 1 else tie


def _relative(body: str) -> re.Match | None:
    """区司法局, 市公安局, 自治区人民政府: a body named by its level only (市中区… is a place)."""
    m = _RELATIVE.match(body)
    if m and any(found.start == 0 for found in regions.places_in(body[:6])):
        return None
    return m


def _relative_body(opening: str, hint: str, place: Division | None) -> str:
    """The body an opening names by its level only (现将县人民政府…), or a zone's 管委会."""
    if hint == "zone" and regions.is_zone(place):
        return place.name + "管委会"
    m = _RELATIVE_BODY.search(simplified(opening[:200]))
    return m.group(1) if m else ""


def _level_hint(tbody: str, obody: str, opening: str, text: str = "") -> str:
    """The level a body names without its place: 市司法局 → city, 我区 → county, 园区 → zone."""
    for body in (tbody, obody):
        m = _relative(body) or _WHOLE_LEVEL.match(body)
        if m and not (m.group(1) == "区" and "自治区" in simplified(opening[:200] + text[:_LEVEL_CHARS])):
            return _RELATIVE_LEVEL[m.group(1)]
        if m:
            return "province"        # 全区 of an autonomous region's own report
    full_head = simplified(opening[:200])
    if _ADDRESSEES.match(full_head):
        return ""                    # 各市、县人民政府,…: whom a notice goes to, not its level
    head = SUPERIOR.sub("", full_head)
    leader = SUPERIOR.search(full_head)
    if leader and _DEPARTMENT_WE.search(head[:40]):    # 在区委、区政府的领导下,我局…: a 区 office
        m = _LEADER_LEVEL.search(leader.group())
        if m:
            return _RELATIVE_LEVEL[m.group(1)]
    if _ZONE_WORDS.search(head):
        return "zone"
    if _TOWN_BODY.match(head) or _TOWN_BODY.match(full_head) or _TOWN_WE.search(head):
        return "county"              # a street's or town's report belongs to its county
    m = (_WE.match(head[:12]) or _WHOLE_OPENING.match(head) or _SELF_LEVEL.search(head)
         or _LEVEL_IN_OPENING.search(head)
         or _LEVEL_CHAIN.search(head))
    if m:
        level = next(g for g in m.groups() if g)
        if (level == "区" and "自治区" in head + simplified(text[:_LEVEL_CHARS])
                and not _DISTRICT_LEADERS.match(head)):
            return "province"        # 我区, 全区 of an autonomous region's own report (its
        return _RELATIVE_LEVEL[level]  # committee is 自治区党委 or 区党委, never 区委)
    return ""


def _level_in_text(text: str) -> str:
    """我县/我区/本县 in the first paragraphs, when title and opening name no level (我局…)."""
    head = simplified(text[:_LEVEL_CHARS])
    m = re.search(r"(?:我|本)(县|旗)(?!级|域|委|长)|我区(?!级|域|委|长)", head)
    if not m:
        return ""
    return "province" if "自治区" in head and not m.group(1) else "county"


def _place_of(body: str, year: int | None, context: str) -> Division | Ambiguous | None:
    """The most specific place a body names, told apart by the body's other places, then context."""
    zones = regions.zones_in(body)
    if zones:
        return regions.find_zone(zones[-1].name)
    if regions.find_zone(body):
        return regions.find_zone(body)
    mentions = _body_places(body)
    if not mentions:
        return None
    names = " ".join(m.name for m in mentions)
    found = regions.resolve_place(mentions[-1].name, year, names)
    if isinstance(found, Ambiguous):
        found = regions.resolve_place(mentions[-1].name, year, names + " " + context)
    return found


def _first_zone(text: str) -> Division | None:
    zones = regions.zones_in(text)
    return regions.find_zone(zones[0].name) if zones else None


def _body_places(body: str) -> list[regions.Mention]:
    """Places in a body name; a body may also start with a bare short name (伊春营商环境建设监督局),
    but not a town's (龙溪镇 is no 龙溪地区)."""
    found = regions.places_in(body)
    if not found and not _TOWN_NAME.match(body):
        size = next((k for k in (4, 3, 2) if regions.short_name(body[:k]) == body[:k]
                     and any(d.level != "county" for d in regions.find(body[:k]))), 0)
        found = [regions.Mention(0, size, body[:size])] if size else []
    return found


def _vote(text: str, level: str, year: int | None) -> Division | Ambiguous | None:
    """The place of ``level`` the text names most (a county also counts, half, for its city);
    where a meeting was held (在克拉玛依市召开的现场会) is not the report's city or county."""
    scores: dict[str, list] = {}
    for m in regions.places_in(text):
        if level != "province" and text.startswith(_VENUE, m.end):
            continue      # (its province is the report's, though: a meeting the 自治区 held)
        found = regions.resolve_place(m.name, year, text[max(0, m.start - 12):m.end])
        target = regions.ancestor(found, level) if isinstance(found, Division) else None
        if target is not None:
            scores.setdefault(target.code, [target, 0])[1] += 2 if target is found else 1
    ranked = sorted(scores.values(), key=lambda e: -e[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return Ambiguous("", tuple(e[0] for e in ranked if e[1] == ranked[0][1]))
    return ranked[0][0] if ranked else None


def _county_level_city(text: str, city: Division, year: int | None) -> Division | None:
    """A county-level city (当阳市) speaks of itself as 市 (市政府, 全市, 市人大常委会), as a
    prefecture does: when the city a vote found is named in the text only through one of its
    county-level cities, and only that one, the report is that city's (a mirror's copy of
    当阳市's report names 当阳市 in a document's title and 宜昌 never)."""
    own = (normalize(city.name), normalize(regions.short_name(city.name)))
    below, named_itself = {}, False
    for m in regions.places_in(text):
        found = regions.resolve_place(m.name, year, text[max(0, m.start - 12):m.end])
        if not isinstance(found, Division):
            continue
        if found.code == city.code or normalize(m.name) in own:
            named_itself = True
        elif (found.level == "county" and found.name.endswith("市")
              and regions.ancestor(found, "city") == city):
            below[found.code] = found
    return next(iter(below.values())) if len(below) == 1 and not named_itself else None


def _province_vote(text: str, year: int | None) -> Division | None:
    """The province whose name (full or short: 广东, 上海) the text uses most, if one leads.

    Province short names are seldom everyday words, so they count in running prose (考察上海重要
    讲话), where ``regions.places_in`` asks more of short names.
    """
    norm = normalize(text)
    counts = Counter()
    for province in _provinces(year):
        short = regions.short_name(province.name)
        counts[province.code] = norm.count(normalize(short)) if len(short) >= 2 else 0
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < _PROVINCE_MIN_VOTES or (len(ranked) > 1
                                                           and ranked[0][1] == ranked[1][1]):
        return None
    return regions.by_code(ranked[0][0], year) or regions.by_code(ranked[0][0])


def _provinces(year: int | None) -> list[Division]:
    codes = {f"{n:02d}0000" for n in range(11, 66)}
    out = [regions.by_code(code, year) or regions.by_code(code) for code in sorted(codes)]
    return [d for d in out if d is not None and d.level == "province"]


def _common(candidates: tuple[Division, ...]) -> Division | None:
    """The city, else the province, that all candidates share."""
    for level in ("city", "province"):
        above = {regions.ancestor(d, level) for d in candidates}
        if len(above) == 1 and None not in above:
            return above.pop()
    return None


def _government(places: str, place: Division | None) -> str:
    """忻府区 → 忻府区人民政府, 山西 → 山西省人民政府; a 盟 or 地区 is run by a 行政公署."""
    if regions.find_zone(places):            # 四川天府新区 (a province's name first) too
        return places + "管委会"
    found = _body_places(places)
    if not found:
        return places
    last = found[-1]
    if isinstance(place, Division) and regions.short_name(place.name) in (last.name, place.name):
        places = places[:last.start] + place.name
    return places + ("行政公署" if places.endswith(("盟", "地区")) else "人民政府")


def _only_places(body: str) -> bool:
    if regions.find_zone(body):
        return True
    return sum(m.end - m.start for m in regions.places_in(body)) == len(body.replace(" ", ""))


def _complete(body: str, place: Division | None) -> str:
    """Name the place of a relative body: 市行政审批局 → 苏州市行政审批局."""
    m = _relative(body)
    level = _RELATIVE_LEVEL[m.group(1)] if m else ""
    target = regions.ancestor(place, level) if m and isinstance(place, Division) else None
    return target.name + body[m.end():] if target else body
