"""Our engine, another commit of it, and tantivy-py, side by side on one corpus in one run.

``python -m bench.peers --docs 10000 --jobs 2 [--baseline TREE]`` builds the three indexes of
``bench/work/corpus-N-s1`` (ours with ``policy-search index``, the baseline tree's the same way,
tantivy with ``bench.tantivy_peer``), then answers the query mix (``bench.queries``) on each, in
its own worker process (``bench/peer_worker.py``), interleaved request by request so that a noisy
neighbour slows all alike. Every request is answered as new (our caches of repeated work emptied
before it). Reported: build time, index size, p50/p95 over the mix, per query, and the first
query after opening the index (the cost a publish or a ``serve`` start adds), as medians of
``--reopen`` openings. ``TREE`` is another checkout, e.g. ``git archive main | tar -x -C /tmp/m``.
Ratios are what to compare: the machine is shared.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from statistics import median

from bench import corpus as corpus_mod
from bench import queries, tantivy_peer
from bench.measure import run_measured, summarize

ROOT = Path(__file__).resolve().parent.parent
WORKER = Path(__file__).resolve().with_name("peer_worker.py")


def build_ours(tree: Path, corpus: Path, index_dir: Path, jobs: int) -> dict:
    shutil.rmtree(index_dir, ignore_errors=True)
    m = run_measured([sys.executable, "-c", "from web.cli import main; main()", "index",
                      str(corpus), "--index-dir", str(index_dir), "--jobs", str(jobs), "--json",
                      "--quiet"], cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)})
    if m.returncode:
        raise RuntimeError(m.stderr[-2000:])
    build = index_dir / "builds" / (index_dir / "CURRENT").read_text().strip()
    return {"seconds": round(m.seconds, 1),
            "mb": round(sum(f.stat().st_size for f in build.iterdir()) / 2**20, 1)}


def build_tantivy(corpus: Path, index_dir: Path, jobs: int) -> dict:
    m = run_measured([sys.executable, "-m", "bench.tantivy_peer", "index", str(corpus),
                      str(index_dir), "--jobs", str(jobs)], cwd=ROOT)
    if m.returncode:
        raise RuntimeError(m.stderr[-2000:])
    return {"seconds": round(m.seconds, 1),
            "mb": round(sum(f.stat().st_size for f in index_dir.iterdir()) / 2**20, 1)}


class Worker:
    def __init__(self, engine: str, tree: Path, index_dir: Path):
        env = {**os.environ, "PYTHONPATH": str(tree)}
        self.proc = subprocess.Popen([sys.executable, str(WORKER), "--engine", engine, "--tree",
                                      str(tree), "--index", str(index_dir)], cwd=tree, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.ask_raw()

    def ask_raw(self, req: dict | None = None) -> dict:
        if req is not None:
            self.proc.stdin.write(json.dumps(req, ensure_ascii=False) + "\n")
            self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("worker died")
        return json.loads(line)

    def ask(self, query: queries.Query, forget: bool = True, cold: bool = False) -> dict:
        return self.ask_raw({"q": query.q, "province": query.province, "year": query.year,
                             "page": query.page, "forget": forget, "cold": cold})

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def run(args) -> dict:
    suffix = "" if args.vocabulary == "longtail" else f"-{args.vocabulary}"
    if args.corpus:                      # a corpus given as it is (e.g. the first N of a larger)
        corpus = args.corpus.resolve()
        args.docs = sum(1 for _ in corpus.rglob("*.txt"))
        manifest = {"chars": None}
        here = args.work / f"peers-{corpus.name}"
    else:
        corpus = args.work / f"corpus-{args.docs}-s1{suffix}"
        manifest, _ = corpus_mod.ensure_corpus(corpus, args.docs, vocabulary=args.vocabulary)
        here = args.work / f"peers-{args.docs}{suffix}"
    wanted = set(args.engines.split(","))
    engines = {"ours": ("ours", ROOT, here / "ours")}
    if args.baseline and "baseline" in wanted:
        engines["baseline"] = ("ours", args.baseline.resolve(),
                               here / ("ours" if args.share_index else "baseline"))
    if "tantivy" in wanted and tantivy_peer.available():
        engines["tantivy"] = ("tantivy", ROOT, here / "tantivy")
    elif "tantivy" in wanted:
        print("tantivy is not installed (pip install -e '.[bench]'): peer skipped")
    out = {"docs": args.docs, "vocabulary": args.vocabulary, "chars": manifest["chars"],
           "commit": subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, text=True,
                                    capture_output=True).stdout.strip(), "builds": {}}
    out["cold"] = args.cold
    if args.baseline:
        out["baseline"] = str(args.baseline)
    for name, (engine, tree, index_dir) in engines.items():
        if (args.skip_build and index_dir.exists()) or (name == "baseline" and args.share_index):
            continue
        print(f"[{time.strftime('%H:%M:%S')}] building {name} …", flush=True)
        out["builds"][name] = (build_tantivy(corpus, index_dir, args.jobs) if engine == "tantivy"
                               else build_ours(tree, corpus, index_dir, args.jobs))
        print("   ", out["builds"][name], flush=True)
    if args.only_build:
        return out
    workers = {name: Worker(*spec) for name, spec in engines.items()}
    mix = queries.query_mix()
    first = {name: [] for name in workers}
    for _ in range(args.reopen):
        for name, w in workers.items():
            w.ask_raw({"reopen": True})
            first[name].append(w.ask(mix[0])["ms"])
    times = {name: {q.name: [] for q in mix} for name in workers}
    cpu = {name: [] for name in workers}
    totals = {name: {} for name in workers}
    order = list(workers.items())
    for r in range(args.rounds + 1):
        for i, query in enumerate(mix):
            # Who answers first turns with every request: run against itself, a fixed order
            # put the second worker 6–15% behind (the machine's caches, the scheduler).
            turn = (r * len(mix) + i) % len(order)
            for name, w in order[turn:] + order[:turn]:
                got = w.ask(query, cold=args.cold)
                if "error" in got:
                    totals[name][query.name] = got["error"]
                    continue
                totals[name][query.name] = got["total"]
                if r:
                    times[name][query.name].append(got["ms"])
                    cpu[name].append(got.get("cpu_ms", 0.0))
    for w in workers.values():
        w.close()
    out["first_query_ms"] = {name: round(median(v), 1) for name, v in first.items()}
    out["load_average"] = [round(x, 2) for x in os.getloadavg()]
    out["queries"] = {name: {"all": summarize([t for ts in times[name].values() for t in ts]),
                             "cpu": summarize(cpu[name]),
                             "by_query": {q: {"p50_ms": summarize(ts).get("p50_ms"),
                                              "total": totals[name].get(q)}
                                          for q, ts in times[name].items()}}
                      for name in workers}
    if "tantivy" in workers:
        peer = out["queries"]["tantivy"]["all"]
        out["ratio_to_tantivy"] = {name: {k: round(out["queries"][name]["all"][k] / peer[k], 2)
                                          for k in ("p50_ms", "p95_ms")}
                                   for name in workers if name != "tantivy"}
        peer_cpu = out["queries"]["tantivy"]["cpu"]
        out["cpu_ratio_to_tantivy"] = {
            name: {k: round(out["queries"][name]["cpu"][k] / max(peer_cpu[k], 1e-3), 2)
                   for k in ("p50_ms", "p95_ms")} for name in workers if name != "tantivy"}
    if "baseline" in workers:
        base = out["queries"]["baseline"]["all"]
        out["ratio_to_baseline"] = {k: round(out["queries"]["ours"]["all"][k] / base[k], 2)
                                    for k in ("p50_ms", "p95_ms")}
        out["first_query_ratio_to_baseline"] = round(
            out["first_query_ms"]["ours"] / out["first_query_ms"]["baseline"], 2)
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--docs", type=int, default=2000)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--reopen", type=int, default=5, help="openings timed for the first query")
    p.add_argument("--baseline", type=Path, help="another checkout of this project to compare")
    p.add_argument("--vocabulary", choices=tuple(corpus_mod.VOCABULARIES), default="longtail")
    p.add_argument("--work", type=Path, default=ROOT / "bench" / "work")
    p.add_argument("--skip-build", action="store_true", help="reuse indexes already built")
    p.add_argument("--share-index", action="store_true",
                   help="the baseline answers from our build (valid while both read the same "
                        "build layout; saves a build)")
    p.add_argument("--only-build", action="store_true", help="build the indexes, time nothing")
    p.add_argument("--corpus", type=Path, help="use this corpus as it is (not generated; "
                   "e.g. hard links to the first N reports of a larger one); its size "
                   "is its number of .txt files")
    p.add_argument("--cold", action="store_true",
                   help="ours also forgets the decoded runs of common bigrams before each request "
                        "(search.packed): nothing at all is kept between requests")
    p.add_argument("--engines", default="ours,baseline,tantivy",
                   help="which of ours, baseline, tantivy to build and time")
    p.add_argument("--out", type=Path, help="write the results as JSON here too")
    args = p.parse_args()
    result = run(args)
    text = json.dumps(result, ensure_ascii=False, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
