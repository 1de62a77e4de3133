"""China's administrative divisions (1981–2024) as a lookup library: names → codes and hierarchy.

Reports name their region in many ways (山西, 山西省, 140000; 伊春 for 伊春市; 襄樊市 before 2010),
and names repeat (朝阳区 is in 北京市 and in 长春市). This module answers, from the packaged table
``resources/areacodes.csv`` (CC0, see ``AREACODES.md``):

* ``find(name, year)``: every division with that full or short name, valid in ``year``;
* ``resolve_place(name, year, context)``: one division, told apart by the parent named in
  ``context``, or an ``Ambiguous`` listing the candidates: we report ambiguity, never guess;
* ``resolve_province(value)``: the province of a search filter value (山西, 山西省, 140000);
* ``places_in(text)``: where division names occur in a text;
* ``current(division)``: what a retired division became (襄樊市 → 襄阳市);
* ``find_zone(name)`` / ``zones_in(text)``: functional zones (苏州工业园区, 两江新区, 成都高新区)
  that are no division but report as county-level bodies of their city.

Municipalities (北京/天津/上海/重庆) are provinces here: a district of one has ``province`` 北京市,
``city`` None and ``level`` "county", like counties directly under a province (济源市).
A division keeps the name valid in its own years: a 2009 襄樊市 stays 襄樊市, code 420600.
Reading and indexing the table is ``search.region_table``'s part; use this module.
"""
from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from search.analysis import normalize
from search.region_table import SUFFIX_CHARS, Division, Table, short_name
from search.region_table import records as _records
from search.region_table import table as _table
from search.region_table import zone_table as _zone_table

LEVELS = ("province", "city", "county")
_RANK = {level: n for n, level in enumerate(LEVELS)}

_SUFFIX_CHAR = re.compile(f"[{SUFFIX_CHARS}]")
# What may follow a short name in running text: punctuation, a conjunction, a body or park.
_AFTER_SHORT = re.compile(r"$|[\s、，,。；;：:）)》」』”\"'和及与等至到或的]|工业园|园区|高新|经开|"
                          r"经济技术开发区|开发区|新区|片区|自贸|综保|海关|税务|日报|中院|中级人民法院|"
                          r"大学|学院|供电|银保监|监管|分局|调查队|军分区|检察|法院|公安")
# Two-character full names (黟县, 城区) hide in words (相应县级, 现代县域, 中心城区), so they need
# more than a match: see ``_bare_plausible``. Followed by 级 or 域, 县 is the word (县级, 县域).
_BARE_WORD_AFTER = re.compile(r"级|域")
# What may start a title line before a county's bare name: spaces, brackets, a year (2023年度黟县).
_LINE_HEAD = re.compile(r"[\s【\[(《“\"]*(?:(?:19|20)\d{2}\s*年度?)?")
# What must follow it there: a body (黟县人民政府, 代县行政审批局, a town's: 滑县万古镇人民政府), a year,
# or the end of the line.
_AFTER_BARE = re.compile(r"\s*(?:$|\n|(?:19|20)\d{2}|人民政府|政府|县委|人大|政协|纪委|监委|法院|"
                         r"人民法院|检察院|人民检察院|"
                         r"[\u4e00-\u9fff]{0,12}?(?:局|委员会|办公室|管委会|中心)|"
                         r"[\u4e00-\u9fff]{1,6}?(?:镇|乡|街道)(?:人民政府|政府|办事处|党委))")   # 滑县万古镇人民政府
# What follows a county's bare name that opens a 《book title》: its year, body or topic.
_AFTER_BOOK_HEAD = re.compile(r"(?:19|20)\d{2}|人民政府|政府|县委|法治|依法|[\u4e00-\u9fff]{0,8}?(?:局|委员会|办公室)")
# A title line holds none of these; a sentence does (应县政府要求，… : "at the county's request").
_SENTENCE_MARK = re.compile(r"[,;。!?，；！？]")


@dataclass(frozen=True)
class Ambiguous:
    """A name that fits several divisions, none preferred by the context."""

    name: str
    candidates: tuple[Division, ...]

    def describe(self) -> str:
        """``朝阳区 in 北京市, 长春市``: the name and each candidate's parent."""
        parents = sorted({d.city or d.province for d in self.candidates})
        return f"{self.name} in {', '.join(parents)}"


class Mention(NamedTuple):
    """A division name found in a text: offsets into that text and the simplified name."""

    start: int
    end: int
    name: str


def _sort_key(d: Division) -> tuple:
    return (_RANK[d.level], d.end is not None, -(d.end or 0), d.code)


def find(name: str, year: int | None = None) -> list[Division]:
    """Return the divisions called ``name`` (full or short: 忻府区, 忻府, 山西, 新疆自治区).

    With ``year``, only those bearing that name in ``year``. Without, the divisions in use when
    any is, else the retired ones. Exact full names win over short ones. Higher levels first.
    """
    table = _table()
    query = normalize(name).strip()
    found = _records(table.by_name.get(query) or table.by_short.get(short_name(query)) or ())
    if year is not None:
        found = [d for d in found if d.valid_in(year)]
    elif any(d.in_use for d in found):
        found = [d for d in found if d.in_use]
    return sorted(found, key=_sort_key)


def by_code(code: str, year: int | None = None) -> Division | None:
    """Return the division with this 6-digit code (valid in ``year`` if given, else the latest)."""
    records = sorted(_records(_table().by_code.get(code.strip(), ())), key=_sort_key)
    if year is not None:
        records = [d for d in records if d.valid_in(year)]
    return records[0] if records else None


def resolve_province(value: str) -> Division | None:
    """Return the province meant by a filter value: 山西, 山西省 or 140000."""
    value = normalize(value).strip()
    if value.isdigit():
        found = by_code(value) if len(value) == 6 else None
        return found if found and found.level == "province" else None
    return next((d for d in find(value) if d.level == "province"), None)


def resolve_place(name: str, year: int | None = None,
                  context: str = "") -> Division | Ambiguous | None:
    """Return the one division ``name`` means, an ``Ambiguous``, or None for an unknown name.

    Candidates valid in ``year`` come first; when there are none (a report using a name slightly
    out of its years), the latest division of that name is used. Duplicates are told apart by
    their parent (city, or province for a municipality's district) named in ``context``; a short
    name (伊春) prefers the highest level (伊春市 over 伊春区).
    """
    query = normalize(name).strip()
    found = find(query, year)
    fell_back = not found and year is not None
    # a short form of that year's name (石柱县 for 石柱土家族自治县 in 2025): that division, not
    # the one the short form was the full name of long ago (石柱县 of 四川 before 1984)
    current = [d for d in _records(_table().by_short.get(short_name(query), ()))
               if d.valid_in(year) and d.name[-1] == query[-1]] if fell_back else []
    if len({d.code for d in current}) == 1:
        return current[0]
    if fell_back:                   # a name out of its years; renamed under the same code, it
        found = find(query)         # means its new name (金平县 → 金平苗族瑶族傣族自治县, 1985)
        renamed = [r for d in found if d.end is not None and d.end <= year
                   for r in _records(_table().by_code.get(d.code, ())) if r.valid_in(year)]
        if renamed and len(found) == 1 and len({d.code for d in renamed}) == 1:
            found = renamed[:1]
    if len({d.code for d in found}) > 1:
        found = _by_context(found, normalize(context))
    if len({d.code for d in found}) > 1 and query not in _table().by_name:
        top = _RANK[found[0].level]
        found = [d for d in found if _RANK[d.level] == top]
    if len({d.code for d in found}) > 1 and (year is None or fell_back):
        last = max((d.end or 9999) for d in found)  # a retired name: its last division
        found = [d for d in found if (d.end or 9999) == last]
    if not found:
        return None
    if len({d.code for d in found}) == 1:
        return found[0]
    return Ambiguous(query, tuple(found))


def _by_context(found: list[Division], context: str) -> list[Division]:
    """Keep the candidates whose parents ``context`` names best (direct parent 2, grandparent 1)."""
    def named(full: str | None) -> bool:
        return bool(full) and (full in context or short_name(full) in context)

    def score(d: Division) -> int:
        direct = d.city if d.level == "county" and d.city else d.province
        points = 2 * named(direct) if d.level != "province" else 0
        return points + (d.level == "county" and d.city is not None and named(d.province))

    scores = [score(d) for d in found]
    best = max(scores)
    return [d for d, s in zip(found, scores) if s == best] if best else found


def told_apart(candidates, context: str) -> Division | None:
    """The one candidate of an ambiguous name whose city or province ``context`` names (a page's
    breadcrumb ``首页>>北京市朝阳区…`` for 朝阳区), else None."""
    kept = _by_context(list(candidates), normalize(context))
    return kept[0] if len({d.code for d in kept}) == 1 else None


def ancestor(division: Division, level: str) -> Division | None:
    """Return the province or city above ``division`` (itself at its own level)."""
    if division.level == level:
        return division
    code, name = ((division.province_code, division.province) if level == "province"
                  else (division.city_code, division.city))
    if not code or _RANK[level] > _RANK[division.level]:
        return None
    return next((d for d in _records(_table().by_code.get(code, ())) if d.name == name), None)


@functools.lru_cache(maxsize=64)
def _city_rows(prefix: str) -> tuple[int, ...]:
    return tuple(n for n, row in enumerate(_table().rows) if row[0][:2] == prefix and row[4] == "city")


def cities_of(province: Division, year: int | None = None) -> list[Division]:
    """The cities (prefecture level) of ``province``, those valid in ``year`` if given."""
    found = _records(_city_rows(province.code[:2]))
    return [d for d in found if (d.valid_in(year) if year is not None else d.in_use)]


def successors(division: Division) -> list[Division]:
    """Return the divisions ``division`` turned into when its name or code ended (one step)."""
    if division.end is None:
        return []
    table, end = _table(), division.end
    out = [d for d in _records(table.by_code.get(division.code, ())) if d.start == end]  # renamed
    for code in division.new_codes:
        records = sorted(_records(table.by_code.get(code, ())),
                         key=lambda d: (not d.valid_in(end), d.start))
        out.extend(records[:1])
    if not out and division.level == "city":  # a dissolved city: follow its counties
        prefix, last = division.code[:4], str(end)
        children = _records(n for n, row in enumerate(table.rows)
                            if row[0][:4] == prefix and row[4] == "county" and row[6] == last)
        for child in children:
            out.extend(filter(None, (ancestor(s, "city") for s in successors(child))))
    return list({d.code + d.name: d for d in out}.values())


def current(division: Division) -> Division | None:
    """Return the division in use today that ``division`` became (襄樊市 → 襄阳市).

    A division split among several in one city gives that city; splits across cities give None.
    """
    seen, frontier, alive = set(), [division], {}
    while frontier:
        d = frontier.pop()
        if (d.code, d.name, d.start) in seen:
            continue
        seen.add((d.code, d.name, d.start))
        if d.in_use:
            alive[d.code] = d
        else:
            frontier.extend(successors(d))
    if len(alive) == 1:
        return next(iter(alive.values()))
    cities = {(ancestor(d, "city") or d).code for d in alive.values()}
    if len(cities) == 1 and alive:
        return ancestor(next(iter(alive.values())), "city")
    return None


class _Candidate(NamedTuple):
    """A name found by scanning, before context decides whether it is a place here."""

    start: int
    stop: int
    name: str
    kind: str   # "full" (伊春市), "short" (伊春) or "bare": a two-character full name (黟县, 城区)


def places_in(text: str, limit: int | None = None) -> list[Mention]:
    """Find division names in ``text`` (its first ``limit`` characters), leftmost-longest.

    Full names (伊春市, 忻府区; three characters or more) always count. Short names (伊春, 山西)
    count only for provinces and cities, and only where followed by punctuation, a conjunction,
    another place or a body (苏州工业园区), so 长治久安 or 确定西部 name no place. Two-character
    full names (黟县, 城区) count only after their parent or heading a line (``_bare_plausible``),
    so 相应县级 or 中心城区 name no place. Traditional text is matched through ``normalize``;
    offsets are valid against ``text``.
    """
    norm = normalize(text if limit is None else text[:limit])
    table = _table()
    candidates = _full_names_in(norm, table) + _short_names_in(norm, table)
    starts: dict[int, list[_Candidate]] = defaultdict(list)
    ends: dict[int, list[_Candidate]] = defaultdict(list)
    for cand in candidates:
        starts[cand.start].append(cand)
        ends[cand.stop].append(cand)
    sure = {c for c in candidates
            if c.kind == "full" or (c.kind == "bare" and _bare_plausible(norm, c, ends))}
    accepted = sorted((c for c in candidates if c in sure or (
                           c.kind == "short" and _plausible_end(norm, c.stop, starts, sure))),
                      key=lambda c: (c.start, c.start - c.stop))
    found, end = [], 0
    for start, stop, name, _ in accepted:  # leftmost, then longest, never overlapping
        if start >= end:
            found.append(Mention(start, stop, name))
            end = stop
    return found


def _full_names_in(norm: str, table: Table) -> list[_Candidate]:
    """Every full name ending at a suffix character (省市区县州盟旗): regex speed, not per character."""
    out = []
    for m in _SUFFIX_CHAR.finditer(norm):
        stop = m.end()
        for size in table.full_lengths:
            if size <= stop and norm[stop - size:stop] in table.full:
                out.append(_Candidate(stop - size, stop, norm[stop - size:stop], "full"))
        if stop >= 2 and norm[stop - 2:stop] in table.bare:
            out.append(_Candidate(stop - 2, stop, norm[stop - 2:stop], "bare"))
    return out


def _short_names_in(norm: str, table: Table) -> list[_Candidate]:
    """Every province or city short name in ``norm``, plausible or not."""
    out = []
    for m in table.short_start.finditer(norm):
        i = m.start()
        for name in table.shorts.get(norm[i:i + 2], ()):
            if norm.startswith(name, i):
                out.append(_Candidate(i, i + len(name), name, "short"))
    return out


def _plausible_end(norm: str, end: int, starts: dict, sure: set, depth: int = 0) -> bool:
    """A short name must be followed by punctuation, a conjunction, a body or another place."""
    if _AFTER_SHORT.match(norm, end):
        return True
    return any(c in sure or (c.kind == "short" and depth < 1
                             and _plausible_end(norm, c.stop, starts, sure, depth + 1))
               for c in starts.get(end, ()))


def _bare_plausible(norm: str, cand: _Candidate, ends: dict) -> bool:
    """A two-character name is a place after its parent, or a county's heading a title line.

    In running prose it is too often part of words (相应县级, 现代县域, 贡献县委, 中心城区), so a
    prose 黟县 without its parent is missed rather than guessed.
    """
    if _BARE_WORD_AFTER.match(norm, cand.stop):
        return False
    return _after_parent(norm, cand, ends) or (not _word_like(cand.name)
                                               and (_heads_title_line(norm, cand)
                                                    or _heads_book_title(norm, cand)
                                                    or _in_salutation(norm, cand)))


# A salutation line names the addressees, each a body: 中共渠县县委、渠县人民政府:
_SALUTATION_LINE = re.compile(r"[^\n。；;!?！？，,]{2,60}[:：]\s*(?:\n|$)")
_AFTER_ADDRESSEE = re.compile(r"县委|人民政府|政府|人大常委会")


def _in_salutation(norm: str, cand: _Candidate) -> bool:
    """True for 渠县 in 中共渠县县委、渠县人民政府: a body addressed on a line of its own."""
    line_start = norm.rfind("\n", 0, cand.start) + 1
    return (_SALUTATION_LINE.match(norm, line_start) is not None
            and _AFTER_ADDRESSEE.match(norm, cand.stop) is not None
            and (cand.start == line_start or norm[cand.start - 1] in "、，,共 "))


def _heads_book_title(norm: str, cand: _Candidate) -> bool:
    """True for 《房县法治政府建设实施方案》: a document of the county, named by its title."""
    return (cand.start > 0 and norm[cand.start - 1] == "《"
            and _AFTER_BOOK_HEAD.match(norm, cand.stop) is not None)


def _after_parent(norm: str, cand: _Candidate, ends: dict) -> bool:
    """True after a name of its city or province: 黄山市黟县, 安徽省黟县, 泸州泸县, 晋城市城区."""
    before = cand.start
    while before and norm[before - 1] in " \t":   # 朔州市 应县
        before -= 1
    parents = _parent_names(cand.name)
    return any(c.name in parents for c in ends.get(before, ()))


def _heads_title_line(norm: str, cand: _Candidate) -> bool:
    """True for 黟县人民政府…, 代县2022年…报告, 【泸县司法局】: a title or issuer line, no sentence.

    The line must start with the name (after brackets or a year), go on with a body, a year or
    nothing, and hold no sentence punctuation: 应县政府要求，… is "at the county's request".
    """
    line_start = norm.rfind("\n", 0, cand.start) + 1
    line_end = len(norm) if (n := norm.find("\n", cand.stop)) < 0 else n
    return (_LINE_HEAD.fullmatch(norm, line_start, cand.start) is not None
            and _AFTER_BARE.match(norm, cand.stop) is not None
            and not _SENTENCE_MARK.search(norm, cand.stop, line_end))


def _word_like(name: str) -> bool:
    """True for 城区, 郊区, 矿区, 新区, 东区: one character and 区 is a word before it is a name."""
    return name.endswith("区")


@functools.lru_cache(maxsize=256)
def _parent_names(name: str) -> frozenset[str]:
    """Names (full and short) of the parents that make a two-character ``name`` a place.

    A county's city or province (黄山市黟县, 安徽省黟县); only the city of a word-like district
    (晋城市城区), as 山西省城区 reads as "the province's urban areas".
    """
    out = set()
    for d in _records(_table().by_name.get(name, ())):
        for parent in (d.city or d.province, None if _word_like(name) else d.province):
            if parent:
                out.update(normalize(n) for n in (parent, short_name(parent)))
    return frozenset(out)


# --- functional zones ------------------------------------------------------------------------

ZONE_NOTE = "functional zone {name}: not a division; reported as a county-level body of {parent} (no code)"
COUNTY_ZONE_NOTE = "functional zone {name}: inside {county}; reported under it"
# <city>高新区, <city>经开区 …: a zone of that city even when the zone table does not list it.
_ZONE_KINDS = ("高新技术产业开发区|高新技术产业园区|经济技术开发区|经济开发区|高新区|经开区|工业园区|"
               "产业园区|综合保税区|保税区|自贸片区")
_GENERIC_ZONE = re.compile(rf"([\u4e00-\u9fff]{{2,4}}?)市?({_ZONE_KINDS})")
_ZONE_KIND = re.compile(rf"市?(?:{_ZONE_KINDS})")
_ZONE_END = re.compile(rf"(?:{_ZONE_KINDS})$")
_PARENT_CHARS = 10           # the longest parent name put before a zone's (内蒙古自治区 …)


def find_zone(name: str) -> Division | None:
    """Return the functional zone called ``name`` as a county-level ``Division``, or None.

    Zones come from ``resources/zones.csv`` (name, aliases, province and city codes), or from
    the shape ``<city>高新区/经开区/工业园区…`` when the city is a city of the division table.
    A zone named after one county-level division of the table (宁河经济开发区) lies inside it
    and reports under it: that division itself is returned (``is_zone`` is False for it).
    Their code is "" (they have none); a zone of a municipality has no city. A table zone may
    be named after its parent city or province (深圳市深汕特别合作区).
    """
    query = normalize(name).strip()
    if not query or query in _table().by_name:
        return None                    # a real division (浦东新区, 滨海新区) is no zone
    row = _zone_table().get(query)
    if row is not None:
        return _zone_division(*row)
    for cut in range(2, min(len(query) - 1, _PARENT_CHARS)):   # 深圳市深汕特别合作区: its city first
        row = _zone_table().get(query[cut:])
        if row is not None and any(d.code in row[1:] for d in find(query[:cut])):
            return _zone_division(*row)
    m = _GENERIC_ZONE.fullmatch(query)
    if m:
        found = find(m.group(1))
        city = next((d for d in found if d.level == "city"), None)
        if city is not None:
            return _zone_division(name.strip(), city.province_code, city.code)
        county = _one_county(found)     # 宁河经济开发区: a zone inside one county reports under it
        if county is not None:
            return county
    # <province><city><name>经济开发区: 河北唐山芦台经济开发区 (the province may be left out)
    return _named_zone(name.strip(), query)


def _named_zone(name: str, query: str) -> Division | None:
    """``<province>?<city><name>经济开发区``: a zone of a city the table knows, named after a place
    of its own (唐山芦台经济开发区, 河北唐山芦台经济开发区); when that place is one of the city's
    counties (河源东源产业园区), the county."""
    m = _ZONE_END.search(query)
    if not m:
        return None
    head = query[:m.start()]
    for lead in range(0, 5):                    # the province's name first, or none
        province = [d for d in find(head[:lead]) if d.level == "province"] if lead else []
        if lead and not province:
            continue
        for size in (2, 3, 4):                  # the city, then 2–4 characters of the zone's own
            city = next((d for d in find(head[lead:lead + size]) if d.level == "city"), None)
            rest = head[lead + size:].removeprefix("市")
            if (city is not None and 2 <= len(rest) <= 4
                    and (not province or province[0].code == city.province_code)):
                county = _one_county(find(rest), city)    # 河源东源产业园区: named after a
                return county or _zone_division(name, city.province_code, city.code)  # county
    return None


def _one_county(found, city: Division | None = None) -> Division | None:
    """The one county-level division among ``found`` (of ``city``, if given), else None: a
    zone named after it lies inside it and reports under it."""
    counties = [d for d in found if d.level == "county" and (city is None
                                                             or d.city_code == city.code)]
    return counties[0] if len(counties) == 1 else None


def zones_in(text: str) -> list[Mention]:
    """Where functional zones are named in ``text`` (table names, then <city>高新区 shapes)."""
    norm = normalize(text)
    table, found = _zone_table(), []
    if table:
        alternatives = "|".join(map(re.escape, sorted(table, key=len, reverse=True)))
        found = [Mention(m.start(), m.end(), table[m.group()][0])
                 for m in re.finditer(alternatives, norm)]
    for m in _ZONE_KIND.finditer(norm):
        for size in (4, 3, 2):          # the city name just before the kind: 珠海高新区
            start = m.start() - size
            if start < 0 or any(f.start <= start < f.end for f in found):
                continue
            name = text[start:m.end()]
            if find_zone(name):
                found.append(Mention(start, m.end(), name))
                break
    return sorted(found)


def is_zone(division: Division | None) -> bool:
    """True for a functional zone (a county-level body without a division code)."""
    return division is not None and division.level == "county" and not division.code


@functools.lru_cache(maxsize=512)
def _zone_division(name: str, province_code: str, city_code: str) -> Division | None:
    province = by_code(province_code)
    city = by_code(city_code) if city_code else None
    if province is None:
        return None
    return Division("", name, "county", province.name, province.code,
                    city.name if city else None, city.code if city else None, 0, None, ())
