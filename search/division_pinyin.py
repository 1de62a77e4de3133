"""Write ``search/resources/division_pinyin.csv``: the pinyin of every division in use, and of
every functional zone, for ``indexer.site_address`` (a site address such as www.xuwen.gov.cn
names 徐闻县 only by its pinyin).

A dev script, run once when ``areacodes.csv`` or ``zones.csv`` changes; pypinyin is needed here
only, never at run time:

    .venv/bin/pip install pypinyin && .venv/bin/python -m search.division_pinyin

Columns: code ("" for a zone), name, short (the pinyin of the name without its suffix, one
syllable per ``-``: xu-wen), full (the whole name's: xu-wen-xian). pypinyin's first (commonest)
reading is taken; a rare reading a site uses can be added by hand as a row of the label tables
in ``indexer/site_address.py``.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

from pypinyin import Style, lazy_pinyin

from search.region_table import short_name

RESOURCES = Path(__file__).resolve().parent / "resources"


#: Readings pypinyin gets wrong in place names (长治 is chang-zhi, 朝阳 chao-yang), with the
#: names that keep the other reading (长子县 is zhang-zi).
READINGS = {"长": ("chang", ("长子",)), "朝": ("chao", ())}


def syllables(name: str) -> str:
    out = []
    for char, reading in zip(name, lazy_pinyin(name, style=Style.NORMAL, errors="default")):
        fix = READINGS.get(char)
        if fix and not name.startswith(fix[1]):
            reading = fix[0]
        if reading.isalpha():
            out.append(reading.lower())
    return "-".join(out)


def readings(name: str) -> tuple[str, str]:
    """``(short, full)``: the short name read as part of the whole (朝阳区 is chao-yang, not the
    zhao-yang of 朝阳 alone)."""
    full, short = syllables(name), short_name(name)
    if name.startswith(short) and len(full.split("-")) == len(name):
        return "-".join(full.split("-")[:len(short)]), full
    return syllables(short), full


def main() -> int:
    rows = []
    with open(RESOURCES / "areacodes.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if not row["end"]:
                rows.append((row["code"], row["name"], *readings(row["name"])))
    with open(RESOURCES / "zones.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            name = row["name"]
            rows.append(("", name, *readings(name)))
    out = RESOURCES / "division_pinyin.csv"
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(("code", "name", "short", "full"))
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
