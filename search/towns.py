"""The county a township or street (乡, 镇, 街道, 苏木) belongs to, by its name.

A street or town report often names only itself (中梁山街道坚持…, 2023年,下蜀镇…), and the
division table stops at counties, so no place of the report would be known. This table
(``resources/towns.csv``, written by ``search.town_table``; provenance in resources/TOWNS.md)
gives the county of every such name; a name many counties share (鼓楼街道, 城关镇) counts only
inside a place the report names otherwise. Loaded on first use (about 41,000 names, 30 ms).
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from pathlib import Path

from search import regions
from search.analysis import normalize
from search.regions import Division

RESOURCES = Path(__file__).resolve().parent / "resources"
#: The names looked up: a township's or street's own kind at the end (not a farm or a zone).
TOWN = re.compile(r"[\u4e00-\u9fff]{1,10}?(?:街道|镇|乡|苏木)")
_OFFICE = re.compile(r"(?:办事处|人民政府|政府|党工委|党委|工委)+$")


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, ...]]:
    counties: dict[str, list[str]] = {}
    with (RESOURCES / "towns.csv").open(encoding="utf-8") as f:
        next(f)
        for line in f:
            code, _, names = line.rstrip("\n").partition(",")
            for name in names.split(" "):
                counties.setdefault(normalize(name), []).append(code)
    return {name: tuple(dict.fromkeys(codes)) for name, codes in counties.items()}


def county_codes(name: str) -> tuple[str, ...]:
    """The codes of the counties that hold a township or street called ``name`` (its office
    may follow: 中梁山街道办事处, 下蜀镇人民政府); () for a name of another kind or unknown."""
    query = _OFFICE.sub("", normalize(name).strip())
    if not TOWN.fullmatch(query):
        return ()
    return _table().get(query, ())


def county_of(name: str, inside: Division | None = None, year: int | None = None) -> Division | None:
    """The county of the township or street ``name`` (valid in ``year`` when the table knows it
    then), if only one county holds such a name, or only one inside ``inside``; else None."""
    found = [d for d in (regions.by_code(code, year) or regions.by_code(code)
                         for code in county_codes(name)) if d is not None]
    if inside is not None:
        found = [d for d in found if d == inside or regions.ancestor(d, inside.level) == inside]
    return found[0] if len({d.code for d in found}) == 1 else None


_SUFFIX = re.compile(r"街道|镇|乡|苏木")
_LONGEST = 8                # characters before the suffix tried (莫力达瓦达斡尔族自治旗…乡: rare)


def named_in(text: str) -> Counter:
    """How often ``text`` names each township or street of the table (its longest name ending at
    each 镇/乡/街道/苏木 of the text: 及时调整蔡家桥镇… names 蔡家桥镇, not 家桥镇). Names of one
    character before the suffix (全镇, 本镇, 该乡) are never counted."""
    norm, table, found = normalize(text), _table(), Counter()
    for m in _SUFFIX.finditer(norm):
        for start in range(max(0, m.start() - _LONGEST), m.start() - 1):
            if norm[start:m.end()] in table:
                found[norm[start:m.end()]] += 1
                break
    return found
