"""Hand-made corrections of a report's metadata: ``NAME.meta.json`` beside ``NAME.txt``."""
from __future__ import annotations

import dataclasses
import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from search import regions
from search.schema import YEAR_RANGE
from search.regions import Division
from search.names import printable
from indexer import source_url
from indexer.metadata import Metadata, _fill_region, derive_title

CORRECTABLE = ("title", "year", "published", "issuer", "province", "city", "county",
               "same_as", "not_same_as", "source_url")
#: Keys that join or split groups of copies (``indexer.copies``), not metadata.
COPY_LINKS = ("same_as", "not_same_as")
#: A report id: 16 lowercase hex digits (``pipeline.report_id``; the web page shows it).
_REPORT_ID = re.compile(r"[0-9a-f]{16}")
#: Most ids one ``not_same_as`` lists.
MAX_NOT_SAME = 100


#: A sidecar is a few lines typed by hand; anything much larger is not one.
MAX_SIDECAR_BYTES = 64 * 1024
#: Longest accepted text value, in characters, by key (titles are long, names short).
MAX_CHARS = {"title": 200, "source_url": 2000}
MAX_NAME_CHARS = 60


@dataclass
class Sidecar:
    """The corrections read from a sidecar, and what in it was ignored, for the user to fix."""

    corrections: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def sidecar_path(path: Path) -> Path:
    """``x.meta.json`` for ``x.txt`` (or the sidecar itself)."""
    path = Path(path)
    return path if path.name.endswith(".meta.json") else path.with_name(path.stem + ".meta.json")


def load_sidecar(path: Path) -> Sidecar:
    """Read the corrections of a report: ``x.meta.json`` for ``x.txt`` (or that file itself).

    A sidecar is typed by hand, so a mistake in it must never keep its report out of the index:
    what is clear is taken (a UTF-8 BOM, ``"2022"`` as a year), the rest is ignored and listed in
    ``problems`` with where it is (line and column for JSON errors). A missing sidecar gives an
    empty :class:`Sidecar`.
    """
    side = sidecar_path(path)
    try:
        with open(side, "rb") as fh:
            data = fh.read(MAX_SIDECAR_BYTES + 1)
    except FileNotFoundError:
        return Sidecar()
    except OSError as exc:
        return Sidecar(problems=[_whole(side, f"cannot be read ({exc.strerror or exc})")])
    if len(data) > MAX_SIDECAR_BYTES:
        return Sidecar(problems=[_whole(side, f"larger than {MAX_SIDECAR_BYTES // 1024} KB; "
                                                "a sidecar holds a few corrections")])
    parsed, error = _parse(data)
    if error:
        return Sidecar(problems=[_whole(side, error)])
    if not isinstance(parsed, dict):
        return Sidecar(problems=[_whole(side, 'expected a JSON object such as {"year": 2022}')])
    out = Sidecar()
    for key, value in parsed.items():
        if key not in CORRECTABLE:
            out.problems.append(_problem(side, f"unknown key {_show(key)} ignored; allowed: "
                                               f"{', '.join(CORRECTABLE)}"))
            continue
        clean, why = _check(key, value)
        if why:
            out.problems.append(_problem(side, f"{key} ignored: {why}"))
        else:
            out.corrections[key] = clean
    return out


def _parse(data: bytes) -> tuple[object, str]:
    """Return ``(value, "")`` or ``(None, what is wrong and where)``."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 (byte {exc.start}); save it as UTF-8"
    try:
        return json.loads(text), ""
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
    except RecursionError:
        return None, "invalid JSON: nested too deeply"


def _check(key: str, value) -> tuple[object, str]:
    """Return ``(clean value, "")`` or ``(None, why it cannot be used)``."""
    if value is None:
        return None, ""
    if key in COPY_LINKS:
        return _check_ids(key, value)
    if key == "year":
        if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
            value = int(value.strip())
        if type(value) is not int:
            return None, f"must be a whole number such as 2022, not {_show(value)}"
        low, high = YEAR_RANGE
        if not low <= value <= high:
            return None, f"{value} is not a year between {low} and {high}"
        return value, ""
    if not isinstance(value, str):
        return None, f"must be text, not {_show(value)}"
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        return None, "contains an invalid character (a lone surrogate escape)"
    if any(ch < " " or "\x7f" <= ch < "\xa0" for ch in value):
        return None, "contains control characters (line breaks, tabs …)"
    value = value.strip()
    limit = MAX_CHARS.get(key, MAX_NAME_CHARS)
    if len(value) > limit:
        return None, f"longer than {limit} characters"
    if key == "published" and value and not _iso_date(value):
        return None, f"must be a date like 2023-03-01, not {_show(value)}"
    if key == "source_url" and value and not source_url.clean(value):
        return None, f"must be an http(s) address, not {_show(value)}"
    return value, ""


def _check_ids(key: str, value) -> tuple[object, str]:
    """``same_as``: one report id; ``not_same_as``: a list of them (one id alone is accepted)."""
    if key == "same_as":
        if not isinstance(value, str) or not _REPORT_ID.fullmatch(value.strip().lower()):
            return None, f"must be a report id (16 hex digits, as the report page shows), " \
                         f"not {_show(value)}"
        return value.strip().lower(), ""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or len(items) > MAX_NOT_SAME:
        return None, f"must be a list of at most {MAX_NOT_SAME} report ids, not {_show(value)}"
    bad = [v for v in items if not isinstance(v, str) or not _REPORT_ID.fullmatch(v.strip().lower())]
    if bad:
        return None, f"{_show(bad[0])} is not a report id (16 hex digits)"
    return sorted({v.strip().lower() for v in items}), ""


def _show(value) -> str:
    text = json.dumps(value, ensure_ascii=False).encode("utf-8", "backslashreplace").decode()
    return text if len(text) <= 40 else text[:37] + "…"


#: How every sidecar problem starts, so the build can report them apart from other warnings.
SIDECAR_PROBLEM = "sidecar "


def _whole(side: Path, what: str) -> str:
    return _problem(side, f"{what}; the report is indexed without its corrections")


def _problem(side: Path, what: str) -> str:
    return f"{SIDECAR_PROBLEM}{printable(side.name)}: {what}"


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
