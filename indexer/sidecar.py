"""Hand-made corrections of a report's metadata: ``NAME.meta.json`` beside ``NAME.txt``."""
from __future__ import annotations

import dataclasses
import datetime
import json
from pathlib import Path

from search import regions
from search.regions import Division
from indexer.metadata import Metadata, _fill_region, derive_title

CORRECTABLE = ("title", "year", "published", "issuer", "province", "city", "county")


def load_sidecar(path: Path) -> dict:
    """Read the corrections of a report: ``x.meta.json`` for ``x.txt`` (or that file itself).

    :raises ValueError: naming the file, for invalid JSON, a non-object, an unknown key or a
        value of the wrong type. A missing sidecar gives ``{}``.
    """
    path = Path(path)
    side = path if path.name.endswith(".meta.json") else path.with_name(path.stem + ".meta.json")
    if not side.exists():
        return {}
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{side}: invalid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{side}: expected a JSON object such as {{\"year\": 2022}}")
    unknown = sorted(set(data) - set(CORRECTABLE))
    if unknown:
        raise ValueError(f"{side}: unknown key(s) {', '.join(unknown)}; "
                         f"allowed: {', '.join(CORRECTABLE)}")
    for key, value in data.items():
        wanted = int if key == "year" else str
        if value is not None and (type(value) is not wanted):
            raise ValueError(f"{side}: {key} must be {'an integer' if wanted is int else 'text'}"
                             f" or null, not {value!r}")
    if data.get("published") and not _iso_date(data["published"]):
        raise ValueError(f"{side}: published must be a date like 2023-03-01, "
                         f"not {data['published']!r}")
    return data


def _iso_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def apply_corrections(meta: Metadata, corrections: dict) -> Metadata:
    """Return a copy of ``meta`` where every corrected field wins.

    A corrected province, city or county is given by name (山西, 忻府区) or code; its codes,
    its parents and ``level`` follow from the division table. An empty value clears that level
    and those below it; lower levels that do not belong to a corrected place are cleared.
    """
    out = dataclasses.replace(meta, warnings=list(meta.warnings))
    c = {k: ("" if v is None and k != "year" and k != "published" else v)
         for k, v in corrections.items()}
    if "title" in c:
        out.title, out.title_derived = c["title"], not c["title"]
    if "year" in c:
        out.year, out.year_source = c["year"], "manual" if c["year"] else ""
    if "published" in c:
        out.published = c["published"] or None
    if "issuer" in c:
        out.issuer = c["issuer"]
    if any(level in c for level in regions.LEVELS):
        _correct_region(out, c)
    out.display_title = out.title or derive_title(out.issuer, out.year)
    return out


def _correct_region(meta: Metadata, c: dict) -> None:
    """Resolve the lowest corrected level, keep uncorrected lower levels only where they fit."""
    levels = regions.LEVELS
    given = [lv for lv in levels if c.get(lv)]
    if not given:  # only clearing: keep the deepest level above the first one cleared
        top = min(levels.index(lv) for lv in levels if lv in c)
        codes = [code for code in (meta.province_code, meta.city_code)[:top] if code]
        _fill_region(meta, regions.by_code(codes[-1], meta.year) if codes else None)
        return
    lowest = given[-1]
    context = " ".join(c[lv] for lv in given[:-1])
    place = _resolve_level(c[lowest], lowest, meta.year, context)
    if place is None:
        meta.warnings.append(f"correction: {lowest} {c[lowest]!r} is unknown or ambiguous")
        setattr(meta, lowest, c[lowest])
        setattr(meta, lowest + "_code", "")
        return
    below = [meta.county_code, meta.city_code][: levels.index("county") - levels.index(lowest)]
    kept = next((code for code in below if code and _within(code, place)), "")
    if kept:
        place = regions.by_code(kept, meta.year) or regions.by_code(kept) or place
    _fill_region(meta, place)


def _resolve_level(value: str, level: str, year: int | None, context: str) -> Division | None:
    """The division of ``level`` a corrected name or code means; None if unknown or ambiguous."""
    value = value.strip()
    if value.isdigit():
        found = regions.by_code(value, year) or regions.by_code(value)
    else:
        found = regions.resolve_place(value, year, context)
    return found if isinstance(found, Division) and found.level == level else None


def _within(code: str, place: Division) -> bool:
    """True when the division with ``code`` lies inside ``place``."""
    prefix = {"province": 2, "city": 4, "county": 6}[place.level]
    return code[:prefix] == place.code[:prefix]
