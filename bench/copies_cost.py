"""What grouping copies costs (issue 11): indexing throughput with and without the sketch,
query latency with and without one hit per group, and memory and time at 100,000 reports.

``python -m bench.copies_cost --docs 2000 --jobs 2`` (about 10 minutes on 2 shared cores):

* **Indexing**: the main benchmark's corpus (``bench.corpus``) built from scratch in fresh
  processes, alternately with the copies feature and without it (``indexer.pipeline.sketch``
  replaced by a constant and ``indexer.build._regroup`` by nothing, in that process only: the
  build of today minus exactly this feature), ``--rounds`` times each; median seconds.
* **Per report**, in this process over 300 reports: ``copies.sketch`` against
  ``pipeline.process_file`` (read, clean, metadata, jieba, sketch).
* **Queries**: the fixed mix (``bench.queries``) on the built index, each request as new, with
  one hit per group (the default) and with ``copies=all``, interleaved query by query; and the
  same on the copies benchmark's index (``bench/work/copies-800``) where there are groups.
* **100,000 reports**: synthetic sketches (19 in 20 distinct, 1 in 20 a copy with a few values
  changed): the size of ``sketches.npy``, the time and traced peak memory of
  ``compute_groups`` (run by every reindex), and of loading ``groups.json`` for search.

Results: ``bench/results/copies-cost.json`` and ``copies-cost.md``.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent

_BUILD = """
import json, shutil, sys, time
from pathlib import Path
corpus, index_dir, jobs, variant = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
if variant == "without":
    import numpy as np
    from indexer import build, copies, pipeline
    empty = copies.EMPTY.tobytes()
    pipeline.sketch = lambda text: (empty, 0)
    build._regroup = lambda *args, **kw: None
from indexer.build import build_index
shutil.rmtree(index_dir, ignore_errors=True)
started = time.perf_counter()
build_index([corpus], index_dir, jobs=jobs)
seconds = time.perf_counter() - started
import resource
cpu = sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF,
          resource.RUSAGE_CHILDREN) for f in ("ru_utime", "ru_stime"))
print(json.dumps({"seconds": seconds, "cpu": cpu}))
"""


def indexing(corpus: Path, work: Path, jobs: int, rounds: int, docs: int,
             earlier: dict | None = None) -> dict:
    """Build ``rounds`` times each way, alternating (after ``earlier`` runs, the order goes on
    where they stopped); medians over all runs."""
    runs = {v: list((earlier or {}).get(v, {}).get("seconds", [])) for v in ("without", "with")}
    cpu = {v: list((earlier or {}).get(v, {}).get("cpu", [])) for v in ("without", "with")}
    order = []
    for r in range(len(runs["with"]), len(runs["with"]) + rounds):
        order += ["without", "with"] if r % 2 == 0 else ["with", "without"]
    for variant in order:
        done = subprocess.run([sys.executable, "-c", _BUILD, str(corpus),
                               str(work / f"index-{variant}"), str(jobs), variant],
                              cwd=ROOT, capture_output=True, text=True, check=True)
        got = json.loads(done.stdout.strip().splitlines()[-1])
        runs[variant].append(got["seconds"])
        cpu[variant].append(got["cpu"])
    out = {}
    for variant, seconds in runs.items():
        median = statistics.median(seconds)
        out[variant] = {"seconds": [round(s, 1) for s in seconds], "median": round(median, 1),
                        "reports_per_s": round(docs / median, 2),
                        "cpu": [round(c, 1) for c in cpu[variant]],
                        "cpu_median": round(statistics.median(cpu[variant]), 1)}
    out["with_over_without"] = round(out["with"]["median"] / out["without"]["median"], 3)
    out["cpu_with_over_without"] = round(out["with"]["cpu_median"]
                                         / out["without"]["cpu_median"], 3)
    return out


def per_report(corpus: Path, count: int = 300) -> dict:
    from indexer import copies, pipeline
    from search import settings

    paths = sorted(corpus.glob("*/*.txt"))[:count]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    max_bytes = settings.get("max_file_bytes")
    pipeline.process_file(str(paths[0]), max_bytes)            # load jieba first
    started = time.perf_counter()
    for p in paths:
        pipeline.process_file(str(p), max_bytes)
    whole = (time.perf_counter() - started) / len(paths)
    started = time.perf_counter()
    for t in texts:
        copies.sketch(t)
    sketch = (time.perf_counter() - started) / len(texts)
    return {"reports": len(paths), "process_file_ms": round(whole * 1000, 2),
            "sketch_ms": round(sketch * 1000, 3), "sketch_share": round(sketch / whole, 4)}


def queries(index_dir: Path, rounds: int) -> dict:
    from bench.queries import _clear_caches, _forget_repeats, query_mix, run_mix
    from search import engine
    from search.store import IndexHandle

    def system(copies: str):
        handle = IndexHandle(index_dir)

        def run(query) -> int:
            request = engine.SearchRequest(
                q=query.q, province=(query.province,) if query.province else (),
                year=(query.year,) if query.year else (), page=query.page, copies=copies)
            return engine.search(handle, request).total
        run.forget = lambda: _forget_repeats(handle)
        return run

    _clear_caches()
    got = run_mix({"grouped": system(""), "every copy": system("all")}, query_mix(), rounds)
    out = {name: {"median_ms": r["all"]["p50_ms"], "p95_ms": r["all"]["p95_ms"],
                  "warm_median_ms": r["warm"]["all"]["p50_ms"]} for name, r in got.items()}
    out["grouped_over_every_copy"] = round(out["grouped"]["median_ms"]
                                           / out["every copy"]["median_ms"], 3)
    return out


def at_scale(n: int = 100_000, seed: int = 7) -> dict:
    """Sketch memory and the grouping's time and memory at ``n`` reports (synthetic sketches)."""
    import tempfile

    from indexer import copies
    from search.groups import load_groups

    rng = np.random.default_rng(seed)
    values = rng.integers(0, 2**32, size=(n, copies.NUM_PERM), dtype=np.uint32)
    originals = rng.choice(n, size=n // 10, replace=False)
    for row in originals[: n // 20]:                     # 1 in 20 rows becomes a copy of another
        other = (row + 1) % n
        values[other] = values[row]
        values[other, rng.choice(copies.NUM_PERM, 6, replace=False)] = rng.integers(0, 2**32, 6)
    ids = [f"{i:016x}" for i in range(n)]
    made = {cid: copies.Copy(cid, values[i], 5000, 7000, year=2015 + i % 11,
                             info={"path": f"/data/reports/{i // 1000:03d}/{i:06d}.txt",
                                   "kind": "text", "script": "simplified", "source_url": ""})
            for i, cid in enumerate(ids)}
    tracemalloc.start()
    started = time.perf_counter()
    grouping = copies.compute_groups(made)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        copies.write_groups(folder, made)
        write_seconds = time.perf_counter() - started
        sizes = {p.name: p.stat().st_size for p in Path(folder).iterdir()}
        tracemalloc.start()
        started = time.perf_counter()
        table = load_groups(folder)   # what a publish's table and a first copy list read
        load_seconds = time.perf_counter() - started
        table_bytes, table_peak = tracemalloc.get_traced_memory()
        del table
        tracemalloc.stop()
    return {"reports": n, "sketch_bytes_per_report": copies.NUM_PERM * 4,
            "sketches_npy_mb": round(sizes["sketches.npy"] / 1e6, 1),
            "groups_json_mb": round(sizes["groups.json"] / 1e6, 1),
            "groups_found": len({g["group"] for g in grouping.values()}),
            "compute_groups_s": round(seconds, 1), "compute_groups_peak_mb": round(peak / 1e6, 1),
            "write_groups_s": round(write_seconds, 1),
            "search_load_s": round(load_seconds, 2),
            "search_table_mb": round(table_bytes / 1e6, 1),
            "search_load_peak_mb": round(table_peak / 1e6, 1)}


def to_markdown(r: dict) -> str:
    ix, pr, q, s = r.get("indexing"), r.get("per_report"), r.get("queries"), r.get("at_scale")
    lines = [f"# Cost of grouping copies ({r['when']}, commit {r['commit']})", ""]
    if ix:
        lines += [f"Indexing {r['docs']} reports (`--jobs {r['jobs']}`, from scratch, median of "
                  f"{len(ix['with']['seconds'])}): without the copies feature "
                  f"{ix['without']['median']} s ({ix['without']['reports_per_s']} reports/s), with "
                  f"it {ix['with']['median']} s ({ix['with']['reports_per_s']} reports/s): "
                  f"**{ix['with_over_without']:.3f}×** the time (target ≤ 1.10×). Runs: without "
                  f"{ix['without']['seconds']}, with {ix['with']['seconds']}. CPU time of the "
                  f"build's processes (less sensitive to a shared machine's load): without "
                  f"{ix['without']['cpu_median']} s, with {ix['with']['cpu_median']} s: "
                  f"**{ix['cpu_with_over_without']:.3f}×**.", ""]
    if pr:
        lines += [f"Per report ({pr['reports']} reports, in one process): `sketch` "
                  f"{pr['sketch_ms']} ms of {pr['process_file_ms']} ms for `process_file` "
                  f"({pr['sketch_share']:.1%}).", ""]
    for name, got in (q or {}).items():
        lines += [f"Queries on {name} (the mix, each request as new; median / p95 / warm median):",
                  "", "| hits | median ms | p95 ms | warm median ms |", "|---|---|---|---|"]
        lines += [f"| {k} | {v['median_ms']} | {v['p95_ms']} | {v['warm_median_ms']} |"
                  for k, v in got.items() if isinstance(v, dict)]
        lines += ["", f"One hit per group: {got['grouped_over_every_copy']:.3f}× the time of "
                  "every copy.", ""]
    if s:
        lines += [f"At {s['reports']:,} reports (synthetic sketches): `sketches.npy` "
                  f"{s['sketches_npy_mb']} MB ({s['sketch_bytes_per_report']} bytes a report), "
                  f"`groups.json` {s['groups_json_mb']} MB; `compute_groups` (every reindex) "
                  f"{s['compute_groups_s']} s, traced peak {s['compute_groups_peak_mb']} MB; "
                  f"writing both {s['write_groups_s']} s; reading `groups.json` (once per publish, "
                  f"for the table `search.table_file` maps, and at a build's first copy list) "
                  f"{s['search_load_s']} s, {s['search_table_mb']} MB kept (peak "
                  f"{s['search_load_peak_mb']} MB).", ""]
    return "\n".join(lines)


def main(argv=None) -> None:
    from bench.corpus import ensure_corpus

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=2, help="builds of each variant")
    ap.add_argument("--query-rounds", type=int, default=3)
    ap.add_argument("--scale", type=int, default=100_000)
    ap.add_argument("--skip-indexing", action="store_true")
    ap.add_argument("--more", action="store_true",
                    help="add --rounds builds to the last run's instead of starting again")
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "work")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = ap.parse_args(argv)
    work = args.work / f"copies-cost-{args.docs}"
    work.mkdir(parents=True, exist_ok=True)
    corpus = args.work / f"corpus-{args.docs}"
    ensure_corpus(corpus, args.docs)
    result = {"when": time.strftime("%Y-%m-%dT%H:%M"), "docs": args.docs, "jobs": args.jobs,
              "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                       capture_output=True, text=True).stdout.strip()}
    partial = work / "indexing.json"
    earlier = (json.loads(partial.read_text(encoding="utf-8"))
               if args.more and partial.exists() else None)
    if earlier and not all("cpu" in earlier[v] for v in ("with", "without")):
        earlier = None                            # runs of before CPU time was recorded
    if not args.skip_indexing:
        result["indexing"] = indexing(corpus, work, args.jobs, args.rounds, args.docs, earlier)
        partial.write_text(json.dumps(result["indexing"]), encoding="utf-8")
    elif partial.exists():                        # the last run's builds, reused
        result["indexing"] = json.loads(partial.read_text(encoding="utf-8"))
    result["per_report"] = per_report(corpus)
    result["queries"] = {}
    if (work / "index-with").exists():
        result["queries"][f"{args.docs} generated reports"] = queries(work / "index-with",
                                                                      args.query_rounds)
    copies_index = args.work / "copies-800" / "index"
    if copies_index.exists():
        result["queries"]["the copies benchmark (3,220 files, 1,600 reports)"] = queries(
            copies_index, args.query_rounds)
    result["at_scale"] = at_scale(args.scale)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "copies-cost.json").write_text(json.dumps(result, indent=1, ensure_ascii=False),
                                               encoding="utf-8")
    (args.out / "copies-cost.md").write_text(to_markdown(result), encoding="utf-8")
    print(to_markdown(result))


if __name__ == "__main__":
    main()
