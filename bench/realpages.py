"""Metadata accuracy on real report pages kept in the git-ignored ``realpages/`` folder.

``realpages/pages/NNN.txt`` holds page text copied from real government and mirror sites and
``realpages/truth.json`` its hand-made labels (title, province, city, county, level, year,
published; issuer and doc_number where labelled) and its split: ``tune`` (rules were written looking at these) or ``heldout`` (only
ever measured). Page text is never committed; without the folder this prints a note and exits 0.

    .venv/bin/python -m bench.realpages            # figures for both splits
    .venv/bin/python -m bench.realpages --tune --show   # the tuning set only, with its misses
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from indexer.clean import clean_text
from indexer.metadata import extract_metadata

ROOT = Path(__file__).resolve().parent.parent / "realpages"
FIELDS = ("title", "province", "city", "county", "level", "year", "published", "issuer",
          "doc_number")
TARGETS = {"title": 95, "province": 99, "city": 97, "county": 95, "level": 95, "year": 99,
           "published": 95, "issuer": 0, "doc_number": 0}
OPTIONAL = ("published", "issuer", "doc_number")   # counted only where the label states one


def extract(text: str) -> dict:
    """The metadata our indexer gives one page, in the truth file's field names."""
    meta = extract_metadata(text, clean_text(text), "page.txt")
    return {name: getattr(meta, name) for name in FIELDS}


def score(truth: dict, split: str, show: bool) -> dict:
    """Return ``{field: (right, counted)}`` over one split; print the misses when ``show``."""
    tally = {name: [0, 0] for name in FIELDS}
    for name, label in sorted(truth.items()):
        if label["split"] != split:
            continue
        got = extract((ROOT / "pages" / name).read_text(encoding="utf-8"))
        for field in FIELDS:
            want = label.get(field)
            if field in OPTIONAL and not want:
                continue                      # only pages that state a date (an issuer…) count
            right = (got[field] or "") == (want or "") if field != "year" else got[field] == want
            tally[field][0] += right
            tally[field][1] += 1
            if show and not right:
                print(f"  {name} {field}: got {got[field]!r}, want {want!r}")
    return {k: tuple(v) for k, v in tally.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", action="store_true", help="list the tuning set's misses")
    parser.add_argument("--tune", action="store_true", help="measure the tuning set only")
    parser.add_argument("--write", metavar="NAME",
                        help="also write the figures to bench/results/NAME.json")
    args = parser.parse_args(argv)
    truth_file = ROOT / "truth.json"
    if not truth_file.exists():
        print(f"no real pages at {ROOT} (git-ignored, gathered by hand): nothing to measure")
        return 0
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    figures = {}
    for split in ("tune",) if args.tune else ("tune", "heldout"):
        result = score(truth, split, args.show and split == "tune")
        pages = sum(1 for v in truth.values() if v["split"] == split)
        figures[split] = {"pages": pages, **{f: {"right": r, "counted": n} for f, (r, n)
                                              in result.items()}}
        cells = [f"{f} {100 * r / n:5.1f}% ({r}/{n}" + (f", target {TARGETS[f]}%)" if TARGETS[f]
                                                         else ")")
                 for f, (r, n) in result.items() if n]
        print(f"{split}: {pages} pages\n  " + "\n  ".join(cells))
    if args.write:
        out = Path(__file__).resolve().parent / "results" / f"{args.write}.json"
        out.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {out.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
