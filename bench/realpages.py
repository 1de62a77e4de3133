"""Metadata accuracy on real report pages kept in the git-ignored ``realpages/`` folder.

``realpages/pages/NNN.txt`` holds page text copied from real government and mirror sites and
``realpages/truth.json`` its hand-made labels (title, province, city, county, level, year,
published; issuer and doc_number where labelled), the page's ``url`` and its split: ``tune``
(rules were written looking at these), ``heldout`` (only ever measured), or a later batch
(``fresh1``, ``fresh2``: see ``realpages/SPLIT.md``); every split the truth names is scored.
Page text is never committed; without the folder this prints a note and exits 0.

A functional zone counts as right under any of its table names (``same_zone``). The figures
are the text's own (what a pasted copy gives); ``--with-address`` also scores each
page with its truth ``url`` as the address it was saved from (``indexer.site_address``), as a
saved HTML page's canonical link gives it, and prints both. Each split also says how many of its
titled pages are indexed from their title on, nothing of the hosting page above it
(``head_kept``: what ``indexer.page_head`` cuts, and what it keeps).

    .venv/bin/python -m bench.realpages                  # figures for every split
    .venv/bin/python -m bench.realpages --tune --show    # the tuning set only, with its misses
    .venv/bin/python -m bench.realpages --split fresh2 --show --with-address
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from indexer.clean import clean_text
from indexer.metadata import extract_metadata
from indexer.page_head import report_text
from search import regions

ROOT = Path(__file__).resolve().parent.parent / "realpages"
FIELDS = ("title", "province", "city", "county", "level", "year", "published", "issuer",
          "doc_number")
TARGETS = {"title": 95, "province": 99, "city": 97, "county": 95, "level": 95, "year": 99,
           "published": 95, "issuer": 0, "doc_number": 0}
OPTIONAL = ("published", "issuer", "doc_number")   # counted only where the label states one


def extract(text: str, url: str = "") -> dict:
    """The metadata our indexer gives one page (saved from ``url``), in the truth's field names."""
    meta = extract_metadata(text, clean_text(text), "page.txt", source_url=url)
    return {name: getattr(meta, name) for name in FIELDS}


def score(truth: dict, split: str, show: bool, with_address: bool = False) -> dict:
    """Return ``{field: (right, counted)}`` over one split; print the misses when ``show``.

    ``with_address``: each page is read as saved from its truth ``url``."""
    tally = {name: [0, 0] for name in FIELDS}
    for name, label in sorted(truth.items()):
        if label["split"] != split:
            continue
        got = extract((ROOT / "pages" / name).read_text(encoding="utf-8"),
                      label.get("url") or "" if with_address else "")
        for field in FIELDS:
            want = label.get(field)
            if field in OPTIONAL and not want:
                continue                      # only pages that state a date (an issuer…) count
            right = (got[field] == want if field == "year"
                     else same_zone(got[field], want) if field == "county"
                     else (got[field] or "") == (want or ""))
            tally[field][0] += right
            tally[field][1] += 1
            if show and not right:
                print(f"  {name} {field}: got {got[field]!r}, want {want!r}")
    return {k: tuple(v) for k, v in tally.items()}


def same_zone(got: str | None, want: str | None) -> bool:
    """Equal names, or two names of one functional zone: of the zone table (重庆高新区 and its
    alias 重庆高新技术产业开发区, 深圳市深汕特别合作区: the record gives the table's name), or of
    one city's zone, one name the other with its province or city first (河北唐山芦台经济开发区);
    or a name the table cannot place, the record's with its parents' names before it (唐山芦台经济
    开发区 for the page's 芦台经济开发区)."""
    if (got or "") == (want or "") or (got and want and _spelled_out(got) == _spelled_out(want)):
        return True
    zone = regions.find_zone(got) if got else None
    other = regions.find_zone(want) if zone is not None and want else None
    if zone is not None and other is None and want and got.endswith(want):
        return _only_parents(got[:-len(want)], zone)   # 唐山芦台经济开发区 for 芦台经济开发区
    if zone is None or other is None:
        return False
    return zone == other or ((zone.province_code, zone.city_code)
                             == (other.province_code, other.city_code)
                             and (got.endswith(want) or want.endswith(got)))


def _spelled_out(name: str) -> str:
    """A zone's kind in full: 武汉经开区 is 武汉经济技术开发区, 某市高新区 某市高新技术产业开发区."""
    for short, full in (("经开区", "经济技术开发区"), ("高新区", "高新技术产业开发区")):
        if name.endswith(short):
            return name[:-len(short)] + full
    return name


def _only_parents(prefix: str, zone) -> bool:
    """``prefix`` is the zone's province and city names (full or short), in that order: what a
    record puts before the zone's own name (河北唐山 of 河北唐山芦台经济开发区)."""
    for parent in filter(None, (zone.province, zone.city)):
        names = sorted({parent, regions.short_name(parent)}, key=len, reverse=True)
        prefix = next((prefix[len(n):] for n in names if n and prefix.startswith(n)), prefix)
    return prefix == ""


def head_kept(truth: dict, split: str, show: bool) -> tuple[int, int]:
    """``(pages whose indexed text starts at the report's title, pages with a title found)``:
    what stands above the title after cleaning and ``indexer.page_head`` (the page's head,
    or what the report prints before its title: a cover letter, a 发文字号, a slogan kept)."""
    clean_start, counted = 0, 0
    for name, label in sorted(truth.items()):
        if label["split"] != split:
            continue
        raw = (ROOT / "pages" / name).read_text(encoding="utf-8")
        cleaned = clean_text(raw)
        title = extract_metadata(raw, cleaned, "page.txt").title
        key = "".join(title.split())[:8]
        lines = [ln for ln in report_text(cleaned, title).split("\n") if ln.strip()]
        at = next((i for i, ln in enumerate(lines) if key and key in "".join(ln.split())), None)
        if at is None:
            continue
        counted += 1
        clean_start += at == 0
        if show and at:
            print(f"  {name} above the title: {' | '.join(lines[:at])[:120]}")
    return clean_start, counted


def splits_of(truth: dict) -> list[str]:
    """The splits the truth names: tune and heldout first, then later batches as they come."""
    found = list(dict.fromkeys(v["split"] for v in truth.values()))
    return sorted(found, key=lambda s: (("tune", "heldout").index(s) if s in ("tune", "heldout")
                                        else 2, found.index(s)))


def cells(result: dict) -> str:
    return "\n  ".join(f"{f} {100 * r / n:5.1f}% ({r}/{n}" + (f", target {TARGETS[f]}%)"
                                                             if TARGETS[f] else ")")
                       for f, (r, n) in result.items() if n)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", action="store_true",
                        help="list the misses (of the tuning set, or of the splits named)")
    parser.add_argument("--tune", action="store_true", help="measure the tuning set only")
    parser.add_argument("--split", action="append", metavar="NAME",
                        help="measure this split only (repeatable): tune, heldout, fresh1 ...")
    parser.add_argument("--with-address", action="store_true",
                        help="also score each page read with its truth url as its saved address")
    parser.add_argument("--write", metavar="NAME",
                        help="also write the figures to bench/results/NAME.json")
    args = parser.parse_args(argv)
    truth_file = ROOT / "truth.json"
    if not truth_file.exists():
        print(f"no real pages at {ROOT} (git-ignored, gathered by hand): nothing to measure")
        return 0
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    known = splits_of(truth)
    chosen = args.split or (["tune"] if args.tune else known)
    unknown = [s for s in chosen if s not in known]
    if unknown:
        parser.error(f"no split {', '.join(unknown)} in truth.json; it has {', '.join(known)}")
    shown = set(chosen) if (args.split or args.tune) else {"tune"}
    figures = {}
    modes = (False, True) if args.with_address else (False,)
    for split in chosen:
        pages = sum(1 for v in truth.values() if v["split"] == split)
        for with_address in modes:
            if args.show and split in shown:
                print(f"{split} misses" + (" (with the address)" if with_address else "") + ":")
            result = score(truth, split, args.show and split in shown, with_address)
            key = split + (" with address" if with_address else "")
            figures[key] = {"pages": pages, **{f: {"right": r, "counted": n} for f, (r, n)
                                               in result.items()}}
            print(f"{split}: {pages} pages" + (", with the saved address" if with_address
                                               else ", text only") + "\n  " + cells(result))
            if not with_address:
                right, counted = head_kept(truth, split, args.show and split in shown)
                figures[key]["starts_at_title"] = {"right": right, "counted": counted}
                print(f"  indexed text starts at the title: {right}/{counted} titled pages")
    if args.write:
        out = Path(__file__).resolve().parent / "results" / f"{args.write}.json"
        out.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {out.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
