"""Run the whole benchmark and write ``bench/results/latest.{json,md}`` (plus dated copies).

    .venv/bin/python -m bench.run --docs 10000 --jobs 2
    .venv/bin/python -m bench.run --docs 200 --skip-http --skip-textbook      # smoke run

Stages run in this order, each timed, each allowed to fail without losing the others (a failure
is recorded in the results): corpus → segmentation limit → our full build → textbook builds →
metadata accuracy → queries (ours and textbook, interleaved) → recall → HTTP (start-up, load) →
reindexing (nothing changed, 1 file, 1%, then --rebuild). Partial results are written to the
work folder after every stage, so a long run can be watched.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
import traceback
from pathlib import Path

from bench import corpus as corpus_mod
from bench import indexing, queries, recall, report, segment, serving
from bench.measure import run_measured

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    p.add_argument("--docs", type=int, default=1000, help="reports in the corpus (1000, 10000, 100000)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="indexer processes; the segmentation limit uses as many")
    p.add_argument("--seed", type=int, default=1, help="corpus seed")
    p.add_argument("--vocabulary", choices=tuple(corpus_mod.VOCABULARIES), default="longtail",
                   help="corpus vocabulary: longtail (jieba dictionary words) or samples (the "
                        "sample sentences recombined as they are: the corpus before issue 14)")
    p.add_argument("--work", type=Path, default=ROOT / "bench" / "work",
                   help="where corpora and indexes go (git-ignored)")
    p.add_argument("--out", type=Path, default=None,
                   help="results folder [default: bench/results; bench/work/results for runs of "
                        "fewer than 1,000 reports, so that smoke runs leave the results alone]")
    p.add_argument("--rounds", type=int, default=3, help="timed rounds of the query mix")
    p.add_argument("--recall-samples", type=int, default=1000)
    p.add_argument("--http-seconds", type=int, default=20, help="duration of each wrk run")
    p.add_argument("--connections", default="4,8", help="concurrent HTTP clients, comma-separated")
    p.add_argument("--textbook-procs", default=None,
                   help="textbook writer processes to measure, comma-separated [default: 1,JOBS]")
    p.add_argument("--skip-textbook", action="store_true")
    p.add_argument("--skip-http", action="store_true")
    p.add_argument("--skip-recall", action="store_true")
    p.add_argument("--skip-incremental", action="store_true")
    p.add_argument("--skip-rebuild", action="store_true",
                   help="leave out the --rebuild timing (about as long as the full build)")
    p.add_argument("--skip-scaling", action="store_true",
                   help="leave out our build on 1 process (about JOBS times the full build)")
    return p.parse_args(argv)


class Run:
    """The results of one run, and the stage runner that fills them."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.dir = args.work / f"run-{args.docs}"
        self.dir.mkdir(parents=True, exist_ok=True)
        suffix = "" if args.vocabulary == "longtail" else f"-{args.vocabulary}"
        self.corpus = args.work / f"corpus-{args.docs}-s{args.seed}{suffix}"
        self.ours_ix = self.dir / "ours"
        self.started = time.time()
        self.r = {"meta": _meta(args, self.started), "stages": {}}

    def stage(self, name: str, fn, *a, into: tuple[dict, str] | None = None, **kw):
        """Run one stage; record its duration, or its error, and save partial results.

        :param into: ``(dict, key)`` where the stage's value goes (before the partial save).
        """
        print(f"[{time.strftime('%H:%M:%S')}] {name} …", flush=True)
        started = time.perf_counter()
        try:
            value = fn(*a, **kw)
            self.r["stages"][name] = {"seconds": round(time.perf_counter() - started, 1)}
        except Exception as exc:                                 # noqa: BLE001 - recorded
            traceback.print_exc()
            value = None
            self.r["stages"][name] = {"seconds": round(time.perf_counter() - started, 1),
                                      "error": f"{type(exc).__name__}: {exc}"}
        if into is not None:
            into[0][into[1]] = value
        print(f"    {self.r['stages'][name]}", flush=True)
        (self.dir / "partial.json").write_text(
            json.dumps(self.r, ensure_ascii=False, indent=1), encoding="utf-8")
        return value


def _meta(args, started: float) -> dict:
    git = lambda *a: subprocess.run(["git", *a], cwd=ROOT, capture_output=True,  # noqa: E731
                                    text=True).stdout.strip()
    commit = git("rev-parse", "HEAD")
    # Uncommitted edits of the code under test: the commit alone would not say what was measured.
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "search", "indexer", "web")
    return {"docs": args.docs, "jobs": args.jobs, "seed": args.seed, "rounds": args.rounds,
            "vocabulary": args.vocabulary,
            "started": time.strftime("%Y-%m-%d %H:%M", time.localtime(started)),
            "started_epoch": started, "cpus": os.cpu_count(), "python": platform.python_version(),
            "commit": commit or "?", "uncommitted": dirty.splitlines(), "command": " ".join(["python -m bench.run", *sys.argv[1:]])}


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.out is None:
        args.out = ROOT / "bench" / ("results" if args.docs >= 1000 else "work/results")
    run = Run(args)
    r = run.r
    manifest = run.stage("corpus", _corpus, run)
    if manifest is None:
        sys.exit("Cannot generate the corpus; see the error above.")
    truth = corpus_mod.read_truth(run.corpus)
    paths = [t["path"] for t in truth]
    run.stage("segmentation_limit", segment.segmentation_limit, paths, args.jobs,
              into=(r, "segmentation_limit"))
    r["index"] = {}
    run.stage("index_ours", indexing.full_build, run.corpus, run.ours_ix, args.jobs,
              manifest["chars"], len(paths), into=(r["index"], "ours"))
    if args.jobs > 1 and not args.skip_scaling:
        run.stage("index_ours_jobs1", _one_process_build, run, manifest, len(paths),
                  into=(r["index"], "ours_jobs1"))
    if not args.skip_textbook:
        for procs in _textbook_procs(args):
            run.stage(f"index_textbook_procs{procs}", _textbook_build, run, procs, manifest,
                      len(paths), into=(r["index"], f"textbook_procs{procs}"))
    for name, value in list(r["index"].items()):
        r["index"][name] = value or {"error": "failed"}
    run.stage("metadata", indexing.metadata_accuracy, run.ours_ix, truth, into=(r, "metadata"))
    run.stage("queries", _queries, run, into=(r, "queries"))
    if not args.skip_recall:
        run.stage("recall", _recall, run, paths, into=(r, "recall"))
    if not args.skip_http:
        run.stage("http", _http, run, into=(r, "http"))
    if not args.skip_incremental:
        run.stage("incremental", _incremental, run, paths, into=(r, "incremental"))
    r["meta"]["seconds"] = round(time.time() - run.started, 1)
    end = _meta(args, run.started)
    if (end["commit"], end["uncommitted"]) != (r["meta"]["commit"], r["meta"]["uncommitted"]):
        r["meta"]["code_changed_during_run"] = {"commit": end["commit"],
                                                "uncommitted": end["uncommitted"]}
    latest, dated = report.write(r, args.out)
    print(report.to_markdown(r))
    print(f"Written: {latest} and {dated}")


def _corpus(run: Run) -> dict:
    manifest, generated = corpus_mod.ensure_corpus(
        run.corpus, run.args.docs, run.args.seed, lambda n: print(f"    {n} reports", flush=True),
        run.args.vocabulary)
    run.r["corpus"] = {**manifest, "path": str(run.corpus), "generated_now": generated}
    return manifest


def _one_process_build(run: Run, manifest: dict, docs: int) -> dict:
    """Our full build with ``--jobs 1``: how indexing scales with cores (index then deleted)."""
    folder = run.dir / "ours-jobs1"
    try:
        return indexing.full_build(run.corpus, folder, 1, manifest["chars"], docs)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _textbook_procs(args) -> list[int]:
    if args.textbook_procs:
        return [int(p) for p in args.textbook_procs.split(",")]
    return sorted({1, args.jobs})


def _textbook_dir(run: Run, procs: int) -> Path:
    return run.dir / f"textbook-procs{procs}"


def _textbook_build(run: Run, procs: int, manifest: dict, docs: int) -> dict:
    m = run_measured([sys.executable, "-m", "bench.textbook", "index", str(run.corpus),
                      str(_textbook_dir(run, procs)), "--procs", str(procs)], cwd=ROOT,
                     env={**os.environ, "PYTHONPATH": str(ROOT)})
    if m.returncode != 0:
        raise RuntimeError(m.stderr[-1500:])
    size = sum(f.stat().st_size for f in _textbook_dir(run, procs).iterdir() if f.is_file())
    return {"procs": procs, "seconds": round(m.seconds, 2), "cpu_seconds": round(m.cpu_seconds, 1),
            **m.memory(), **indexing.throughput(m.seconds, docs, manifest["chars"]),
            "index_mb": round(size / 2**20, 1)}


def _textbook_index(run: Run) -> Path | None:
    """The textbook index used for queries and recall (the first one built), if any."""
    for procs in [] if run.args.skip_textbook else _textbook_procs(run.args):
        if "error" not in run.r["index"].get(f"textbook_procs{procs}", {"error": ""}):
            return _textbook_dir(run, procs)
    return None


def _queries(run: Run) -> dict:
    mix = queries.query_mix()
    tb_dir = _textbook_index(run)
    first = {"ours": queries.first_query_ms(lambda: queries.ours(run.ours_ix), mix[0])}
    systems = {"ours": queries.ours(run.ours_ix)}
    if tb_dir:
        first["textbook"] = queries.first_query_ms(lambda: queries.textbook(tb_dir), mix[0])
        systems["textbook"] = queries.textbook(tb_dir)
    result = queries.run_mix(systems, mix, run.args.rounds)
    return {"mix": [q.name for q in mix], "rounds": run.args.rounds, "first_query_ms": first,
            "filters": {"province": queries.PROVINCE, "year": queries.YEAR}, **result}


def _recall(run: Run, paths: list[str]) -> dict:
    spans = recall.sample_spans(paths, run.args.recall_samples, seed=run.args.seed + 6)
    out = {"ours": recall.recall_ours(run.ours_ix, spans)}
    tb_dir = _textbook_index(run)
    if tb_dir:
        out["textbook"] = recall.recall_textbook(tb_dir, spans)
    return out


def _http(run: Run) -> dict:
    mix = queries.query_mix()
    out: dict = {}
    run.stage("http_startup", serving.startup, run.ours_ix, mix[0].api_path(),
              into=(out, "startup"))
    if not serving.wrk_available():
        out["load"] = {"error": "wrk is not installed (apt-get install -y wrk)"}
        return out
    connections = [int(c) for c in run.args.connections.split(",")]
    out["load"] = serving.load(run.ours_ix, [q.api_path() for q in mix], connections,
                               run.args.http_seconds)
    run.stage("http_distinct", serving.load, run.ours_ix, _distinct_paths(run), connections,
              run.args.http_seconds, env={"POLICY_TERM_CACHE_MB": "0"},
              into=(out, "distinct"))
    return out


def _distinct_paths(run: Run, count: int = 2000) -> list[str]:
    """Requests that never repeat a query: spans of the corpus, a third with a filter.

    The server runs without its term cache, and 2,000 URLs cycle through its 256 remembered
    fragments, so nearly every request is answered from scratch.
    """
    paths = [str(p) for p in sorted(run.corpus.rglob("*.txt"))]
    spans = recall.sample_spans(paths, count, seed=run.args.seed + 9)
    out = []
    for n, (_, span) in enumerate(spans):
        query = queries.Query(span, "distinct", '"' + span + '"',
                              province=queries.PROVINCE if n % 3 == 1 else None,
                              year=queries.YEAR if n % 3 == 2 else None)
        out.append(query.api_path())
    return out


def _incremental(run: Run, paths: list[str]) -> dict:
    args, out, originals = run.args, {}, {}
    noop = indexing.run_index(run.corpus, run.ours_ix, args.jobs)
    out["nothing_changed"] = {**noop, "files": 0, "searchable_s": noop["seconds"]}
    try:
        for name, count in (("one_file", 1), ("one_percent", max(1, len(paths) // 100))):
            step = run.stage(f"incremental_{name}", indexing.incremental, run.corpus,
                             run.ours_ix, args.jobs, paths, count, args.seed)
            if step:
                out[name] = step["result"]
                originals.update({p: o for p, o in step["originals"].items() if p not in originals})
    finally:
        indexing.restore(run.corpus, originals)
    if args.skip_rebuild:
        return out
    out["rebuild"] = {**indexing.run_index(run.corpus, run.ours_ix, args.jobs, rebuild=True),
                      "files": len(paths)}
    out["rebuild"].update(indexing.throughput(out["rebuild"]["seconds"], len(paths),
                                              run.r["corpus"]["chars"]))
    return out


if __name__ == "__main__":
    main()
