"""China's administrative divisions (1981–2024) as a lookup library: names → codes and hierarchy.

Reports name their region in many ways (山西, 山西省, 140000; 伊春 for 伊春市; 襄樊市 before 2010),
and names repeat (朝阳区 is in 北京市 and in 长春市). This module answers, from the packaged table
``resources/areacodes.csv`` (CC0, see ``AREACODES.md``):

* ``find(name, year)``: every division with that full or short name, valid in ``year``;
* ``resolve_place(name, year, context)``: one division, told apart by the parent named in
  ``context``, or an ``Ambiguous`` listing the candidates: we report ambiguity, never guess;
* ``resolve_province(value)``: the province of a search filter value (山西, 山西省, 140000);
* ``places_in(text)``: where division names occur in a text;
* ``current(division)``: what a retired division became (襄樊市 → 襄阳市).

Municipalities (北京/天津/上海/重庆) are provinces here: a district of one has ``province`` 北京市,
``city`` None and ``level`` "county", like counties directly under a province (济源市).
A division keeps the name valid in its own years: a 2009 襄樊市 stays 襄樊市, code 420600.
"""
from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from search.analysis import normalize, resource_path

LEVELS = ("province", "city", "county")
_RANK = {level: n for n, level in enumerate(LEVELS)}

# Longest first: 新疆维吾尔自治区 → 新疆, 延边朝鲜族自治州 → 延边, 忻府区 → 忻府.
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "矿区", "新区",
             "特区", "省", "市", "区", "县", "盟", "旗", "州")
# The shortest stem of two characters or more takes the longest suffix.
_SUFFIX = re.compile("^(.{2,}?)(" + "|".join(_SUFFIXES) + ")$")
_ETHNIC_MULTI = ("蒙古 维吾尔 布依 朝鲜 土家 哈尼 哈萨克 傈僳 拉祜 东乡 纳西 景颇 柯尔克孜 达斡尔 仫佬 "
                 "布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 "
                 "塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 高山").split()
# One-character group names only count with 族 (大通回族土族自治县), or 白/水/土 would eat names.
_ETHNIC = re.compile("(?:(?:" + "|".join(sorted(_ETHNIC_MULTI, key=len, reverse=True))
                     + ")族?|[汉回藏苗彝壮满侗瑶白黎佤畲水土京怒羌傣各]族)+$")

_SUFFIX_CHARS = "省市区县州盟旗"
_SUFFIX_CHAR = re.compile(f"[{_SUFFIX_CHARS}]")
# Short names that are everyday words too (长治久安, 文山会海, 日照时间): never scanned for.
_COMMON_WORDS = frozenset("安康 白银 北海 来宾 大同 日照 长治 阿里 中山 三明 朝阳 黄山 红河 普洱 兴安 "
                          "四平 海西 山南 白山 海北 文山 大庆 吉安".split())
# What may follow a short name in running text: punctuation, a conjunction, a body or park.
_AFTER_SHORT = re.compile(r"$|[\s、，,。；;：:）)》」』”\"'和及与等至到或的]|工业园|园区|高新|经开|"
                          r"经济技术开发区|开发区|新区|片区|自贸|综保|海关|税务|日报|中院|中级人民法院|"
                          r"大学|学院|供电|银保监|监管|分局|调查队|军分区|检察|法院|公安")


@dataclass(frozen=True, slots=True)
class Division:
    """One division under one name, for ``start`` ≤ year < ``end`` (``end`` None: in use)."""

    code: str
    name: str
    level: str
    province: str
    province_code: str
    city: str | None
    city_code: str | None
    start: int
    end: int | None
    new_codes: tuple[str, ...]

    @property
    def in_use(self) -> bool:
        return self.end is None

    def valid_in(self, year: int) -> bool:
        """True when the division bore this name in ``year``."""
        return self.start <= year and (self.end is None or year < self.end)


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


def short_name(name: str) -> str:
    """Return ``name`` without its suffix (山西省 → 山西), or ``name`` when nothing sensible is left."""
    m = _SUFFIX.match(name)
    if not m:
        return name
    stem = m.group(1)
    if m.group(2).startswith("自治"):
        bare = _ETHNIC.sub("", stem)
        stem = bare if len(bare) >= 2 else stem
    return stem


class _Table(NamedTuple):
    rows: list[list[str]]           # the CSV rows; a Division is made on first use
    divisions: list[Division | None]
    by_name: dict[str, list[int]]   # name → row numbers
    by_short: dict[str, list[int]]
    by_code: dict[str, list[int]]
    full: frozenset[str]            # full names scanned for (three characters or more)
    full_lengths: tuple[int, ...]   # their lengths, longest first
    shorts: dict[str, list[str]]    # first two characters → short names scanned for, longest first
    short_start: re.Pattern         # the first characters of those short names


def _division(row: list[str]) -> Division:
    code, province, city, name, level, start, end, new_codes = row
    if level == "city":
        city = name
    has_city = level != "province" and bool(city)
    # CODE[YEAR] entries are parts handed over while the division went on: not successors.
    successors = tuple(c for c in new_codes.split(";") if "[" not in c) if new_codes else ()
    return Division(code, name, level, province, code[:2] + "0000",
                    city if has_city else None, code[:4] + "00" if has_city else None,
                    int(start), int(end) if end else None, successors)


def _records(numbers) -> list[Division]:
    """The divisions of these row numbers (made once, then kept)."""
    table, out = _table(), []
    for n in numbers:
        d = table.divisions[n]
        if d is None:
            d = table.divisions[n] = _division(table.rows[n])
        out.append(d)
    return out


@functools.lru_cache(maxsize=1)
def _table() -> _Table:
    """Read the division table once: about 7,000 rows, indexed by name, short name and code."""
    text = resource_path("areacodes.csv").read_text(encoding="utf-8")
    rows = [line.split(",") for line in text.splitlines()[1:]]   # no field holds a comma
    by_name, by_code = defaultdict(list), defaultdict(list)
    for n, row in enumerate(rows):
        by_name[row[3]].append(n)
        by_code[row[0]].append(n)
    by_short, shorts = defaultdict(list), defaultdict(set)
    for name, numbers in by_name.items():
        short = short_name(name)
        if short != name:
            by_short[short].extend(numbers)
            if short not in _COMMON_WORDS and any(rows[n][4] != "county" for n in numbers):
                shorts[short[:2]].add(short)
    # 2-character full names (城区, 和县, 任县) are words too often; names must end in a suffix.
    full = frozenset(n for n in by_name if len(n) >= 3 and n[-1] in _SUFFIX_CHARS)
    ordered = {k: sorted(v - full, key=len, reverse=True) for k, v in shorts.items()}
    ordered = {k: v for k, v in ordered.items() if v}
    starts = "".join(sorted({k[0] for k in ordered}))
    return _Table(rows, [None] * len(rows), dict(by_name), dict(by_short), dict(by_code), full,
                  tuple(sorted({len(n) for n in full}, reverse=True)), ordered,
                  re.compile(f"[{starts}]"))


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
    if fell_back:
        found = find(query)
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


def ancestor(division: Division, level: str) -> Division | None:
    """Return the province or city above ``division`` (itself at its own level)."""
    if division.level == level:
        return division
    code, name = ((division.province_code, division.province) if level == "province"
                  else (division.city_code, division.city))
    if not code or _RANK[level] > _RANK[division.level]:
        return None
    return next((d for d in _records(_table().by_code.get(code, ())) if d.name == name), None)


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


def places_in(text: str, limit: int | None = None) -> list[Mention]:
    """Find division names in ``text`` (its first ``limit`` characters), leftmost-longest.

    Full names (伊春市, 忻府区; three characters or more) always count. Short names (伊春, 山西)
    count only for provinces and cities, and only where followed by punctuation, a conjunction,
    another place or a body (苏州工业园区), so 长治久安 or 确定西部 name no place. Traditional
    text is matched through ``normalize``; offsets are valid against ``text``.
    """
    norm = normalize(text if limit is None else text[:limit])
    table = _table()
    candidates = _full_names_in(norm, table) + _short_names_in(norm, table)
    starts: dict[int, list[tuple]] = defaultdict(list)
    for cand in candidates:
        starts[cand[0]].append(cand)
    accepted = sorted((c for c in candidates if not c[3] or _plausible_end(norm, c[1], starts)),
                      key=lambda c: (c[0], c[0] - c[1]))
    found, end = [], 0
    for start, stop, name, _ in accepted:  # leftmost, then longest, never overlapping
        if start >= end:
            found.append(Mention(start, stop, name))
            end = stop
    return found


def _full_names_in(norm: str, table: _Table) -> list[tuple[int, int, str, bool]]:
    """Every full name ending at a suffix character (省市区县州盟旗): regex speed, not per character."""
    out = []
    for m in _SUFFIX_CHAR.finditer(norm):
        stop = m.end()
        for size in table.full_lengths:
            if size <= stop and norm[stop - size:stop] in table.full:
                out.append((stop - size, stop, norm[stop - size:stop], False))
    return out


def _short_names_in(norm: str, table: _Table) -> list[tuple[int, int, str, bool]]:
    """Every province or city short name in ``norm``, plausible or not."""
    out = []
    for m in table.short_start.finditer(norm):
        i = m.start()
        for name in table.shorts.get(norm[i:i + 2], ()):
            if norm.startswith(name, i):
                out.append((i, i + len(name), name, True))
    return out


def _plausible_end(norm: str, end: int, starts: dict, depth: int = 0) -> bool:
    """A short name must be followed by punctuation, a conjunction, a body or another place."""
    if _AFTER_SHORT.match(norm, end):
        return True
    return any(not c[3] or (depth < 1 and _plausible_end(norm, c[1], starts, depth + 1))
               for c in starts.get(end, ()))
