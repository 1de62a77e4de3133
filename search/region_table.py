"""The division table ``resources/areacodes.csv`` read once and indexed, for ``search.regions``.

Kept apart from the lookups and the text scanning of ``search.regions``: this module only knows
the rows (code, province, city, name, level, years, successor codes), how a name is shortened
(山西省 → 山西) and which names a text is scanned for. Use ``search.regions``, not this module.
"""
from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from search.analysis import normalize, resource_path

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

SUFFIX_CHARS = "省市区县州盟旗"
# Short names that are everyday words too (长治久安, 文山会海, 日照时间): never scanned for.
_COMMON_WORDS = frozenset("安康 白银 北海 来宾 大同 日照 长治 阿里 中山 三明 朝阳 黄山 红河 普洱 兴安 "
                          "四平 海西 山南 白山 海北 文山 大庆 吉安".split())


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


class Table(NamedTuple):
    rows: list[list[str]]           # the CSV rows; a Division is made on first use
    divisions: list[Division | None]
    by_name: dict[str, list[int]]   # name as ``normalize`` spells it (乾县 → 干县) → row numbers
    by_short: dict[str, list[int]]
    by_code: dict[str, list[int]]
    full: frozenset[str]            # full names scanned for (three characters or more)
    bare: frozenset[str]            # two-character full names (黟县, 城区): scanned, kept in context
    full_lengths: tuple[int, ...]   # lengths of the ``full`` names, longest first
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


def records(numbers) -> list[Division]:
    """The divisions of these row numbers (made once, then kept)."""
    loaded, out = table(), []
    for n in numbers:
        d = loaded.divisions[n]
        if d is None:
            d = loaded.divisions[n] = _division(loaded.rows[n])
        out.append(d)
    return out


@functools.lru_cache(maxsize=1)
def table() -> Table:
    """Read the division table once: about 7,000 rows, indexed by name, short name and code."""
    text = resource_path("areacodes.csv").read_text(encoding="utf-8")
    rows = [line.split(",") for line in text.splitlines()[1:]]   # no field holds a comma
    by_name, by_code = defaultdict(list), defaultdict(list)
    for n, row in enumerate(rows):
        by_name[normalize(row[3])].append(n)   # queries and texts are normalized: 乾县 reads 干县
        by_code[row[0]].append(n)
    by_short, shorts = defaultdict(list), defaultdict(set)
    for name, numbers in by_name.items():
        short = short_name(name)
        if short != name:
            by_short[short].extend(numbers)
            if short not in _COMMON_WORDS and any(rows[n][4] != "county" for n in numbers):
                shorts[short[:2]].add(short)
    for name, numbers in list(by_name.items()):   # 阿坝州 → 阿坝藏族羌族自治州, 红河州 → 红河…
        for alias in _autonomous_aliases(name):
            if alias not in by_name:
                by_name[alias] = list(numbers)
    for alias, code in _abbreviations():          # 巴州 → 巴音郭楞蒙古自治州 (resources table)
        by_name.setdefault(normalize(alias), list(by_code.get(code, ())))
    # 2-character full names (城区, 和县, 任县) are words too often: scanned apart, kept only
    # in context (see regions.places_in).
    full = frozenset([n for n in by_name if len(n) >= 3 and n[-1] in SUFFIX_CHARS]
                     + [normalize(alias) for alias, _ in _abbreviations()])
    bare = frozenset(n for n in by_name if len(n) == 2 and n[-1] in SUFFIX_CHARS)
    ordered = {k: sorted(v - full, key=len, reverse=True) for k, v in shorts.items()}
    ordered = {k: v for k, v in ordered.items() if v}
    starts = "".join(sorted({k[0] for k in ordered}))
    return Table(rows, [None] * len(rows), dict(by_name), dict(by_short), dict(by_code),
                 full, bare, tuple(sorted({len(n) for n in full}, reverse=True)), ordered,
                 re.compile(f"[{starts}]"))


def _autonomous_aliases(name: str) -> tuple[str, ...]:
    """The forms reports write an autonomous division in, without its peoples' names.

    阿坝藏族羌族自治州 → 阿坝州; 镇宁布依族苗族自治县 → 镇宁自治县, 镇宁县 (“镇宁自治县获评…”,
    “石柱县公安局”); 鄂伦春自治旗 keeps its name (its stem is a people's name).
    """
    stem = short_name(name)
    if stem == name:
        return ()
    if name.endswith("自治州"):
        return (stem + "州",)
    if name.endswith(("自治县", "自治旗")):
        return (stem + name[-3:], stem + name[-1])
    return ()


@functools.lru_cache(maxsize=1)
def _abbreviations() -> tuple[tuple[str, str], ...]:
    """``resources/abbreviations.csv``: irregular short forms (巴州) and the code they stand for."""
    text = resource_path("abbreviations.csv").read_text(encoding="utf-8")
    return tuple(tuple(line.split(",")[:2]) for line in text.splitlines()[1:] if line.strip())


@functools.lru_cache(maxsize=1)
def zone_table() -> dict[str, tuple[str, str, str]]:
    """``resources/zones.csv``: every name and alias (normalized) → (name, province, city code)."""
    text = resource_path("zones.csv").read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines()[1:]:
        name, aliases, province_code, city_code, _note = line.split(",", 4)
        for alias in (name, *filter(None, aliases.split(";"))):
            out[normalize(alias)] = (name, province_code, city_code)
    return out
