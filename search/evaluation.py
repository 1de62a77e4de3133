"""The publication evaluation scholars make by hand (法治蓝皮书), made from the index.

One row per issuing body (issuer) and year reported on: the report, its publication date, whether
it was published on time (by March 31 of the following year), late (by how many days) or with no
known date (never counted as late), which of the four parts the 2019 central rules require it
holds (成效, 不足, 第一责任人, 计划: the index's typed sections, ``search.section_index``) and its
length (jieba words of its text, the postings' own lengths).

A report is a group of copies (``indexer.copies``: the same report reposted, saved as HTML and
PDF, in another script): it is one row however many files it has. Its date is the earliest
known date among its copies (a portal's repost may carry the date the original page lacks);
its parts are those *any* copy holds (an excerpt lacks parts its full copy has); its link and
length are the representative's. Two different reports of one body and year (a report and a
revised one, say) are one row: the earliest published is the row and ``others`` counts the
other reports (groups), never copies.

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
#: "No date" in the per-group date codes (any real code is smaller).
BIG = np.iinfo(np.int64).max
#: What the page and the CLI accept for a kind.
KIND_NAMES = {"政府": "government", "部门": "department"}
#: How the page names a kind.
KIND_LABELS = {"government": "政府", "department": "部门"}


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

    A report is a group of copies: it is selected when any of its copies passes the filters,
    and its facts are the group's (``_group_facts``).

    :param kind: ``government``, ``department`` (or 政府, 部门) or "" (both).
    :raises ParameterError: a bad kind, or filters a search would reject.
    """
    started = time.perf_counter()
    kind = check_kind(kind)
    base = replace(request, q="", page=1, page_size=0, sort="relevance", copies="all")
    engine.check(base)
    snap = handle.snapshot()
    table, docs = engine.matching_docs(snap, base)
    facts = snap.state("evaluation_groups", lambda: _group_facts(
        table, section_table(snap.searcher, table), table.postings.lengths("content")))
    values = table.values
    best: dict[tuple[str, int], list] = {}
    groups = np.unique(facts["group"][docs])
    for g, issuer_code, year_code, date, rep in zip(
            groups.tolist(), facts["issuer"][groups].tolist(), facts["year"][groups].tolist(),
            facts["date"][groups].tolist(), facts["rep"][groups].tolist()):
        issuer, year = values["issuer"][issuer_code], int(values["year"][year_code])
        if not issuer or not year or (kind and issuer_kind(issuer) != kind):
            continue
        rank = (date, rep)
        found = best.get((issuer, year))
        if found is None:
            best[(issuer, year)] = [rank, g, 0]
        else:
            found[2] += 1
            if rank < found[0]:
                found[0], found[1] = rank, g
    reader = snap.searcher.reader()                  # report id per docnum, no stored text read
    ids = reader.column_reader("id") if reader.doc_count_all() else []
    rows = [_row(table, facts, issuer, year, g, others, ids)
            for (issuer, year), (_, g, others) in sorted(best.items())]
    return {"rows": rows, "by_year": _summary(rows, ("year",)),
            "by_year_level": _summary(rows, ("year", "level")),
            "by_province": _summary(rows, ("province", "province_name")),
            "continuity": continuity(rows),
            "took_ms": round((time.perf_counter() - started) * 1000, 2)}


def check_kind(kind: str) -> str:
    """``government`` or ``department`` (政府, 部门 accepted), or "" for both; else ParameterError."""
    kind = KIND_NAMES.get((kind or "").strip(), (kind or "").strip())
    if kind not in ("", *KINDS):
        raise ParameterError(f"--kind must be government or department, not “{kind[:20]}”.",
                             f"发布机关类型只能是 政府（government）或 部门（department），"
                             f"不能是“{kind[:20]}”。", fix={"kind": None})
    return kind


def _row(table, facts: dict, issuer: str, year: int, g: int, others: int, ids) -> dict:
    values = table.values
    d = int(facts["rep"][g])
    published = values["published"][facts["date"][g]] if facts["date"][g] < BIG else ""
    status, days = timeliness(year, published)
    parts = {p: bool(facts[p][g]) for p in PARTS}
    province = values["province"][facts["province"][g]]
    return {"issuer": issuer, "year": year, "kind": issuer_kind(issuer), "id": ids[d],
            "published": published,
            "date_from": ids[int(facts["date_from"][g])] if published else None,
            "status": status, "days_late": days, "parts": parts,
            "all_parts": all(parts.values()), "length": int(facts["length"][g]),
            "level": values["level"][facts["level"][g]] or fc.UNKNOWN,
            "province": province,
            "province_name": table.label("province", province) if province else "",
            "copies": int(facts["files"][g]), "others": others}



def _group_facts(table, sections, lengths) -> dict:
    """Per group of copies, over every live copy of the build (made once per build).

    The date is the earliest known date of any copy; a part is present when any copy has it (a
    copy cut short lacks parts its full copy holds); issuer, year, place and level are the
    representative's where it knows them, else the value a copy knows (copies do not disagree on
    a known one: ``indexer.copies`` vetoes that); the id, link and length are the
    representative's (its most complete copy). ``group`` maps each docnum to its group.
    """
    n = table.doc_count
    live = np.flatnonzero(table.live_mask)
    copies = table.copies
    if copies is not None and copies.group_code is not None:
        group = np.asarray(copies.group_code, dtype=np.int64)
        rep = np.asarray(copies.representative, dtype=bool)
    else:                                   # no groups: every file is its own report
        group, rep = np.arange(n, dtype=np.int64), np.ones(n, dtype=bool)
    size = int(group.max()) + 1 if n else 0
    g = group[live]
    first = np.full(size, BIG, dtype=np.int64)
    np.minimum.at(first, g, live)
    reps = live[rep[live]]
    first[group[reps]] = reps
    rep_doc = np.where(first == BIG, 0, first)      # groups without live copies are never read
    facts = {"group": group, "rep": rep_doc, "files": np.bincount(g, minlength=size)}
    published = table.codes["published"].astype(np.int64)
    known = np.asarray([v != "" for v in table.values["published"]], dtype=bool)[published]
    dated = live[known[live]]
    date = np.full(size, BIG, dtype=np.int64)
    np.minimum.at(date, group[dated], published[dated])
    source = np.zeros(size, dtype=np.int64)         # the copy the date comes from
    order = np.lexsort((dated, published[dated], group[dated]))
    by_group = group[dated][order]
    head = np.ones(len(order), dtype=bool)
    head[1:] = by_group[1:] != by_group[:-1]         # each group's earliest dated copy
    source[by_group[head]] = dated[order][head]
    facts["date"], facts["date_from"] = date, source
    for part in PARTS:
        facts[part] = np.bincount(g, weights=sections.has[part][live].astype(np.float64),
                                  minlength=size) > 0
    for name in ("issuer", "year", "province", "level"):
        code = table.codes[name].astype(np.int64)
        any_known = np.zeros(size, dtype=np.int64)
        np.maximum.at(any_known, g, code[live])
        own = code[rep_doc]
        blank = table.values[name][0] in ("", 0)
        facts[name] = np.where((own == 0) & blank, any_known, own)
    facts["length"] = np.asarray(lengths, dtype=np.int64)[rep_doc]
    return facts


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
