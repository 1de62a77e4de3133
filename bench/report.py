"""Turn a run's results into ``bench/results/*.json`` and a Markdown table with targets.

The targets are the issue's; they are written beside the figures so the owner of the core can see
at a glance what is met. They are stated for N = 10,000 (peak memory: 100,000): at other sizes
the "met?" column is shown in brackets, as an indication only.
"""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

TARGET_DOCS = 10_000


def _get(data: dict, *keys, default=None):
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return default
        data = data[key]
    return data


def _fmt(value, unit: str = "", digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        value = f"{value:,.{digits}f}"
    elif isinstance(value, int):
        value = f"{value:,}"
    return f"{value}{unit}"


def _ratio(a, b, digits: int = 2) -> str:
    if not a or not b:
        return "–"
    return f"{a / b:.{digits}f}×"


def _met(ok, applies: bool) -> str:
    if ok is None:
        return "–"
    mark = "yes" if ok else "**no**"
    return mark if applies else f"({mark})"


def summary_rows(r: dict) -> list[tuple]:
    """(figure, ours, textbook, ratio, target, met) rows of the headline table."""
    at10k = _get(r, "meta", "docs") == TARGET_DOCS
    return (_index_rows(r, at10k) + _reindex_rows(r, at10k) + _query_rows(r, at10k)
            + _http_rows(r, at10k) + _quality_rows(r))


def _index_rows(r: dict, at10k: bool) -> list[tuple]:
    ours, limit = _get(r, "index", "ours") or {}, _get(r, "segmentation_limit") or {}
    jobs = _get(r, "meta", "jobs")
    tb = _get(r, "index", f"textbook_procs{jobs}") or _get(r, "index", "textbook_procs1") or {}
    tb_name = f"procs={tb.get('procs')}" if tb else ""
    share = ours.get("docs_per_s") / limit["docs_per_s"] if ours.get("docs_per_s") and limit.get(
        "docs_per_s") else None
    met = None if share is None else share >= 0.6 and (
        not tb or ours["docs_per_s"] >= 3 * tb["docs_per_s"])
    return [
        ("Indexing, docs/s (share of jieba-alone limit)",
         f"{_fmt(ours.get('docs_per_s'))} ({_fmt(share and 100 * share, '%', 0)})",
         f"{_fmt(tb.get('docs_per_s'))} ({tb_name})",
         _ratio(ours.get("docs_per_s"), tb.get("docs_per_s")),
         "≥ 60% of limit; ≥ 3× textbook", _met(met, at10k)),
        *_scaling_rows(r, ours, jobs),
        ("Indexing, characters/s", _fmt(ours.get("chars_per_s")), _fmt(tb.get("chars_per_s")),
         _ratio(ours.get("chars_per_s"), tb.get("chars_per_s")),
         f"limit {_fmt(limit.get('chars_per_s'))}/s", "–"),
        ("Peak memory, process tree RSS (PSS)",
         f"{_fmt(ours.get('tree_rss_mb'), ' MB')} ({_fmt(ours.get('tree_pss_mb'), ' MB')})",
         f"{_fmt(tb.get('tree_rss_mb'), ' MB')} ({_fmt(tb.get('tree_pss_mb'), ' MB')})",
         _ratio(ours.get("tree_rss_mb"), tb.get("tree_rss_mb")), "< 1.5 GB at 100,000",
         _met(ours.get("tree_rss_mb") and ours["tree_rss_mb"] < 1536,
              _get(r, "meta", "docs") == 100_000)),
        ("Index size on disk", _fmt(ours.get("index_mb"), " MB"), _fmt(tb.get("index_mb"), " MB"),
         _ratio(ours.get("index_mb"), tb.get("index_mb")), "", "–")]


def _scaling_rows(r: dict, ours: dict, jobs) -> list[tuple]:
    one = _get(r, "index", "ours_jobs1") or {}
    tb1 = _get(r, "index", "textbook_procs1") or {}
    if not one.get("docs_per_s"):
        return []
    return [(f"Indexing on 1 process, docs/s ({jobs} processes ÷ 1)",
             f"{_fmt(one['docs_per_s'])} ({_ratio(ours.get('docs_per_s'), one['docs_per_s'])})",
             f"{_fmt(tb1.get('docs_per_s'))} (procs=1)",
             _ratio(one["docs_per_s"], tb1.get("docs_per_s")), "scales with cores", "–")]


def _reindex_rows(r: dict, at10k: bool) -> list[tuple]:
    one, pct = _get(r, "incremental", "one_file") or {}, _get(r, "incremental", "one_percent") or {}
    reb = _get(r, "incremental", "rebuild") or {}
    return [("1 file changed: searchable after", _fmt(one.get("searchable_s"), " s", 2), "", "",
             "≤ 3 s", _met(one.get("searchable_s") and one["searchable_s"] <= 3, at10k)),
            (f"1% changed ({pct.get('files', '?')} files): searchable after",
             _fmt(pct.get("searchable_s"), " s", 2), "", "", "", "–"),
            ("--rebuild of the whole corpus", _fmt(reb.get("seconds"), " s"), "", "", "", "–")]


def _query_rows(r: dict, at10k: bool) -> list[tuple]:
    q, tq = _get(r, "queries", "ours", "all") or {}, _get(r, "queries", "textbook", "all") or {}
    first = _get(r, "queries", "first_query_ms") or {}
    fq = _get(r, "queries", "ours", "warm", "all") or {}
    ftq = _get(r, "queries", "textbook", "warm", "all") or {}

    def faster(key: str) -> str:
        a, b = tq.get(key), q.get(key)
        if not a or not b:
            return ""
        return f"{a / b:.1f}× faster" if a >= b else f"{b / a:.1f}× slower"
    p50, p95 = q.get("p50_ms"), q.get("p95_ms")
    return [("Queries in-process, median", _fmt(p50, " ms", 2), _fmt(tq.get("p50_ms"), " ms", 2),
             faster("p50_ms"), "≤ 10 ms", _met(p50 is not None and p50 <= 10, at10k)),
            ("Queries in-process, p95", _fmt(p95, " ms", 2), _fmt(tq.get("p95_ms"), " ms", 2),
             faster("p95_ms"), "≤ 50 ms; ≥ 5× better than textbook",
             _met(p95 is not None and p95 <= 50 and (not tq or tq["p95_ms"] >= 5 * p95), at10k)),
            ("Queries in-process, repeated (caches kept): median · p95",
             f"{_fmt(fq.get('p50_ms'), ' ms', 1)} · {_fmt(fq.get('p95_ms'), ' ms', 1)}",
             f"{_fmt(ftq.get('p50_ms'), ' ms', 1)} · {_fmt(ftq.get('p95_ms'), ' ms', 1)}",
             "", "", "–"),
            ("First query on a freshly opened index", _fmt(first.get("ours"), " ms"),
             _fmt(first.get("textbook"), " ms"), "", "", "–")]


def _http_rows(r: dict, at10k: bool) -> list[tuple]:
    rows = []
    for key, what in (("load", "the mix"), ("distinct", "2,000 distinct queries, no term cache")):
        for c, run in (_get(r, "http", key, "runs") or {}).items():
            if "error" in run:
                rows.append((f"HTTP, {c} clients, {what}", run["error"][:80], "", "", "",
                             "**no**"))
                continue
            ok = run["requests_per_s"] >= 100 and run["p95_ms"] <= 100 and run["errors"] == 0
            rows.append((f"HTTP, {c} clients, {what}: req/s · p50 · p95 · errors",
                         f"{_fmt(run['requests_per_s'])} · {_fmt(run['p50_ms'], ' ms')} · "
                         f"{_fmt(run['p95_ms'], ' ms')} · {run['errors']}", "", "",
                         "≥ 100 req/s, p95 ≤ 100 ms, 0 errors", _met(ok, at10k)))
    mem = _get(r, "http", "load", "memory_after_warmup") or {}
    if mem:
        rows.append(("HTTP server memory after one pass over the mix: RSS (anonymous)",
                     f"{_fmt(mem.get('rss_mb'), ' MB')} ({_fmt(mem.get('anon_rss_mb'), ' MB')})",
                     "", "", "", "–"))
    start = _get(r, "http", "startup", "median_first_answer_s")
    rows.append(("serve start-up until first answer", _fmt(start, " s", 2), "", "", "≤ 3 s",
                 _met(start is not None and start <= 3, at10k)))
    return rows


def _quality_rows(r: dict) -> list[tuple]:
    rec, trec = _get(r, "recall", "ours") or {}, _get(r, "recall", "textbook") or {}
    rows = [("Recall of quoted 2–6-char spans",
             f"{_fmt(rec.get('recall_pct'), '%', 2)} ({rec.get('found', '–')}/{rec.get('spans', '–')})",
             f"{_fmt(trec.get('recall_pct'), '%', 2)}" if trec else "", "", "100%",
             _met(rec.get("recall_pct") == 100 if rec else None, True))]
    meta = _get(r, "metadata", "agreement_pct") or {}
    if meta:
        rows.append(("Metadata agreement: province · city · year · level",
                     " · ".join(_fmt(meta.get(f), "%") for f in ("province", "city", "year", "level")),
                     "(from truth)", "", "", "–"))
    return rows


def to_markdown(r: dict) -> str:
    """The whole report: headline table, then details per section."""
    m = r.get("meta", {})
    lines = [f"# Benchmark: {m.get('docs'):,} reports, {m.get('jobs')} jobs",
             "",
             f"{m.get('started')} · {m.get('cpus')} CPUs · Python {m.get('python')} · "
             f"commit {m.get('commit', '?')[:10]}"
             f"{' + uncommitted edits' if m.get('uncommitted') else ''} · `{m.get('command')}` · "
             f"{m.get('seconds', 0):.0f} s in all",
             ""]
    if m.get("code_changed_during_run"):
        lines += ["**The code under test changed during this run** (now "
                  f"{m['code_changed_during_run']['commit'][:10]}): stages mix versions.", ""]
    lines += ["| Figure | Ours | Textbook | Ratio | Target | Met? |",
              "|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in summary_rows(r)]
    lines += _details(r)
    return "\n".join(lines) + "\n"


def _details(r: dict) -> list[str]:
    out = []
    limit = r.get("segmentation_limit")
    if limit:
        out += ["", "## Segmentation limit (jieba alone, same texts, same processes)", "",
                f"{limit['docs']:,} reports, {limit['chars']:,} characters on {limit['jobs']} "
                f"processes: {limit['seconds']} s → {limit['docs_per_s']} docs/s, "
                f"{limit['chars_per_s']:,} chars/s ({limit['chars_per_s_per_process']:,} per "
                f"process); dictionary load {limit['dictionary_load_s']} s per worker, not counted."]
    idx = r.get("index") or {}
    if idx:
        out += ["", "## Indexing", "", "| Build | s | docs/s | chars/s | CPU s | tree RSS MB "
                "| tree PSS MB | max process RSS MB | index MB |", "|---|---|---|---|---|---|---|---|---|"]
        for name, b in idx.items():
            if "error" in b:
                out.append(f"| {name} | error: {b['error'][:100]} |||||||")
                continue
            out.append(f"| {name} | {b.get('seconds')} | {b.get('docs_per_s')} | "
                        f"{_fmt(b.get('chars_per_s'))} | {b.get('cpu_seconds')} | "
                        f"{b.get('tree_rss_mb')} | {b.get('tree_pss_mb')} | "
                        f"{b.get('max_process_rss_mb')} | {b.get('index_mb')} |")
    inc = r.get("incremental") or {}
    if inc:
        out += ["", "## Reindexing (the `index` command on an existing index)", "",
                "| Change | files | command s | first query after ms | searchable s | verified "
                "| tree RSS MB |", "|---|---|---|---|---|---|---|"]
        for name, v in inc.items():
            if "error" in v:
                out.append(f"| {name} | error: {v['error'][:100]} ||||||")
                continue
            out.append(f"| {name} | {v.get('files', '')} | {v.get('seconds')} | "
                       f"{v.get('first_query_after_ms', '')} | {v.get('searchable_s', '')} | "
                       f"{v.get('verified', '')} | {v.get('tree_rss_mb')} |")
    out += _query_details(r)
    meta = r.get("metadata")
    if meta and "agreement_pct" in meta:
        out += ["", f"## Metadata agreement with truth.jsonl ({meta['reports']:,} reports)", "",
                "| " + " | ".join(meta["agreement_pct"]) + " | all four |",
                "|" + "---|" * (len(meta["agreement_pct"]) + 1),
                "| " + " | ".join(f"{v}%" for v in meta["agreement_pct"].values())
                + f" | {meta['all_four_pct']}% |"]
    errors = {k: v["error"] for k, v in (r.get("stages") or {}).items() if v.get("error")}
    if errors:
        out += ["", "## Stages that failed", ""] + [f"- {k}: `{v[:300]}`" for k, v in errors.items()]
    return out


def _query_details(r: dict) -> list[str]:
    q = r.get("queries") or {}
    systems = [s for s in ("ours", "textbook") if s in q]
    if not systems:
        return []
    out = ["", f"## Queries in-process ({q.get('rounds')} rounds of {len(q.get('mix', []))} "
               "requests, each answered as new; then as many repeated)", "",
           "| Query | " + " | ".join(f"{s} p50 · p95 ms · repeated p50 ms · hits"
                                    for s in systems) + " |",
           "|---|" + "---|" * len(systems)]
    for name in q.get("mix", []):
        cells = []
        for s in systems:
            v = q[s]["by_query"].get(name, {})
            f = _get(q, s, "warm", "by_query", name) or {}
            cells.append(f"{_fmt(v.get('p50_ms'), '', 1)} · {_fmt(v.get('p95_ms'), '', 1)} · "
                         f"{_fmt(f.get('p50_ms'), '', 1)} · {_fmt(v.get('total'))}")
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    return out


def write(r: dict, out_dir: Path) -> tuple[Path, Path]:
    """Write latest.json/latest.md and dated copies; return the Markdown paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%dT%H%M", time.localtime(r["meta"]["started_epoch"]))
    name = f"{stamp}-n{r['meta']['docs']}"
    (out_dir / "latest.json").write_text(json.dumps(r, ensure_ascii=False, indent=1), "utf-8")
    (out_dir / "latest.md").write_text(to_markdown(r), "utf-8")
    shutil.copy(out_dir / "latest.json", out_dir / f"{name}.json")
    shutil.copy(out_dir / "latest.md", out_dir / f"{name}.md")
    return out_dir / "latest.md", out_dir / f"{name}.md"
