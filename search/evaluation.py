"""The publication evaluation scholars make by hand (法治蓝皮书), made from the index.

One row per issuing body (issuer) and year reported on: the report, its publication date, whether
it was published on time (by March 31 of the following year), late (by how many days) or with no
known date (never counted as late), which of the four parts the 2019 central rules require it
holds (成效, 不足, 第一责任人, 计划: the index's typed sections, ``search.section_index``) and its
length (jieba words of its text, the postings' own lengths). Until copies are grouped,
several reports of one body and year count once: the earliest published is the row and
``others`` says how many more there are.

Everything is computed from the facet table and the section table of one build over the
documents ``engine.matching_docs`` returns, the same filters a search counts with. A year missing
between a body's first and last report is a fact about the corpus (本库未收录), not about the body.
"""
from __future__ import annotations

import datetime as dt
import statistics
import time
from dataclasses import replace

import numpy as np

from search import engine
from search import facets as fc
from search.engine import ParameterError, SearchRequest
from search.section_index import section_table

#: The required parts, in the order the central rules list them.
PARTS = ("成效", "不足", "第一责任人", "计划")
KINDS = ("government", "department")


def issuer_kind(issuer: str) -> str:
    """``government`` for a people's government (…人民政府, …政府), else ``department``."""
    return "government" if issuer.endswith("政府") else "department"


def timeliness(year: int, published: str) -> tuple[str, int | None]:
    """(``on_time`` | ``late`` | ``unknown``, days late): due by March 31 of ``year + 1``."""
    try:
        date = dt.date.fromisoformat(published)
    except (TypeError, ValueError):
        return "unknown", None
    if not year:
        return "unknown", None
    days = (date - dt.date(year + 1, 3, 31)).days
    return ("late", days) if days > 0 else ("on_time", None)


def _share(n: int, of: int) -> float | None:
    return round(n / of, 4) if of else None


def evaluate(handle, request: SearchRequest, kind: str = "") -> dict:
    """Return rows, summaries and continuity for the reports ``request``'s filters select.

    :param kind: ``government``, ``department`` or "" (both).
    :raises ParameterError: a bad kind, or filters a search would reject.
    """
    started = time.perf_counter()
    if kind not in ("", *KINDS):
        raise ParameterError(f"kind must be government or department, not {kind!r}.",
                             f"发布机关类型只能是 government（政府）或 department（部门）。")
    # Every copy for now (issue 15 makes the row a group, dated by its earliest copy).
    base = replace(request, q="", page=1, page_size=0, sort="relevance", copies="all")
    engine.check(base)
    snap = handle.snapshot()
    table, docs = engine.matching_docs(snap, base)
    sections = section_table(snap.searcher, table)
    lengths = table.postings.lengths("content")
    codes, values = table.codes, table.values
    best: dict[tuple[str, int], list] = {}
    for d in docs.tolist():
        issuer, year = values["issuer"][codes["issuer"][d]], int(values["year"][codes["year"][d]])
        if not issuer or not year or (kind and issuer_kind(issuer) != kind):
            continue
        published = values["published"][codes["published"][d]] or ""
        key = (issuer, year)
        rank = (published == "", published, d)
        found = best.get(key)
        if found is None:
            best[key] = [rank, d, 0]
        else:
            found[2] += 1
            if rank < found[0]:
                found[0], found[1] = rank, d
    rows = []
    for (issuer, year), (_, d, others) in sorted(best.items()):
        published = values["published"][codes["published"][d]] or ""
        status, days = timeliness(year, published)
        parts = {p: bool(sections.has[p][d]) for p in PARTS}
        province = values["province"][codes["province"][d]]
        rows.append({"issuer": issuer, "year": year, "kind": issuer_kind(issuer),
                     "id": snap.searcher.stored_fields(d)["id"], "published": published,
                     "status": status, "days_late": days, "parts": parts,
                     "all_parts": all(parts.values()), "length": int(lengths[d]),
                     "level": values["level"][codes["level"][d]] or fc.UNKNOWN,
                     "province": province,
                     "province_name": table.label("province", province) if province else "",
                     "others": others})
    return {"rows": rows, "by_year_level": _summary(rows, ("year", "level")),
            "by_province": _summary(rows, ("province", "province_name")),
            "continuity": continuity(rows),
            "took_ms": round((time.perf_counter() - started) * 1000, 2)}


def _summary(rows: list[dict], keys: tuple[str, ...]) -> list[dict]:
    groups: dict[tuple, list] = {}
    for row in rows:
        groups.setdefault(tuple(row[k] for k in keys), []).append(row)
    out = []
    for key, group in sorted(groups.items()):
        dated = [r for r in group if r["status"] != "unknown"]
        on_time = sum(r["status"] == "on_time" for r in group)
        complete = sum(r["all_parts"] for r in group)
        out.append({**dict(zip(keys, key)), "bodies": len(group), "dated": len(dated),
                    "on_time": on_time, "late": len(dated) - on_time,
                    "unknown": len(group) - len(dated),
                    "on_time_share": _share(on_time, len(dated)),
                    "all_parts": complete, "all_parts_share": _share(complete, len(group)),
                    "median_length": statistics.median(r["length"] for r in group)})
    return out


def continuity(rows: list[dict]) -> list[dict]:
    """Per body: its first and last year in the index and the years between with no report."""
    years: dict[str, set] = {}
    for row in rows:
        years.setdefault(row["issuer"], set()).add(row["year"])
    out = []
    for issuer, present in sorted(years.items()):
        lo, hi = min(present), max(present)
        missing = [y for y in range(lo, hi + 1) if y not in present]
        out.append({"issuer": issuer, "first": lo, "last": hi, "years": sorted(present),
                    "missing": missing,
                    "note": "、".join(f"{y} 缺" for y in missing) + ("（本库未收录）"
                                                                    if missing else "")})
    return out
