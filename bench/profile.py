"""Where the time goes: pyinstrument profiles of indexing (parent and workers) and of queries.

    .venv/bin/python -m bench.profile --docs 1000 --jobs 2

One full build runs in this process under pyinstrument (``build_index(rebuild=True)``). The
indexer's worker processes (``indexer.parallel``: reading, cleaning, segmentation and writing
their own segments) are forked from it; each one drops the inherited profiler hook, starts its
own profiler, and saves its session when it exits. Small batches use a process pool instead,
profiled the same way. The hooks are installed by replacing ``indexer.parallel._worker`` and
``indexer.build._worker_init`` for the duration of the run: the core is not edited. Then the query mix (3 rounds, after a warm-up round) runs under
a profiler on the same index. Indexing is sampled every 5 ms (finer sessions of a worker run to
hundreds of MB), queries every 1 ms.

Written to ``bench/results/``: ``profile-n{N}.json`` (top functions by own time and by total
time, with percentages) and the pyinstrument text trees ``profile-n{N}-{part}.txt``.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from collections import defaultdict
from pathlib import Path

from bench import corpus as corpus_mod
from bench import queries

ROOT = Path(__file__).resolve().parent.parent
INTERVAL = 0.005

_state: dict = {"main": None, "dir": None}


def _unsubscribe_main() -> None:
    """In a forked child: stop feeding the parent's (copied) profiler."""
    from pyinstrument.stack_sampler import get_stack_sampler

    if _state["main"] is not None:
        get_stack_sampler().unsubscribe(_state["main"]._sampler_saw_call_stack)


def _worker_init() -> None:
    """Replacement pool initializer: the original, minus the parent's profiler, plus our own."""
    import signal
    from multiprocessing.util import Finalize

    from pyinstrument import Profiler

    _state["original_init"]()
    _unsubscribe_main()
    prof = Profiler(interval=INTERVAL)
    prof.start()
    Finalize(None, _save, args=(prof, "worker"), exitpriority=100)
    signal.signal(signal.SIGTERM, lambda *_: _on_sigterm(prof))


def _on_sigterm(prof) -> None:
    if _state.get("saving"):
        return                                  # the normal exit is saving: let it finish
    _save(prof, "worker")
    os._exit(0)


def _save(prof, kind: str) -> None:
    """Stop and save this child's session, once."""
    if prof.is_running and not _state.get("saving"):
        _state["saving"] = True
        prof.stop()
        path = Path(_state["dir"]) / f"{kind}-{os.getpid()}.pyisession"
        prof.last_session.save(path.with_suffix(".tmp"))
        os.replace(path.with_suffix(".tmp"), path)


def _parallel_worker(*args) -> None:
    """Replacement ``indexer.parallel._worker``, profiled."""
    from pyinstrument import Profiler

    _unsubscribe_main()
    prof = Profiler(interval=INTERVAL)
    prof.start()
    try:
        _state["original_parallel_worker"](*args)
    finally:
        _save(prof, "worker")


def profile_index(corpus: Path, index_dir: Path, jobs: int, session_dir: Path) -> dict:
    """Build the index under the profiler; return the sessions of the parent and of the busiest
    worker."""
    from pyinstrument import Profiler

    import indexer.build as build
    import indexer.parallel as parallel

    shutil.rmtree(session_dir, ignore_errors=True)
    session_dir.mkdir(parents=True)
    _state.update(dir=str(session_dir), original_init=build._worker_init,
                  original_parallel_worker=parallel._worker)
    build._worker_init, parallel._worker = _worker_init, _parallel_worker
    _state["main"] = main = Profiler(interval=INTERVAL)
    try:
        main.start()
        build.build_index([corpus], index_dir, rebuild=True, jobs=jobs)
        main.stop()
    finally:
        build._worker_init = _state["original_init"]
        parallel._worker = _state["original_parallel_worker"]
        _state["main"] = None
    return {"index-main": main.last_session, "index-worker": _busiest(session_dir, "worker")}


def _busiest(session_dir: Path, kind: str):
    from pyinstrument.session import Session

    sessions = [Session.load(p) for p in session_dir.glob(f"{kind}-*.pyisession")]
    return max(sessions, key=lambda s: s.duration) if sessions else None


def profile_queries(index_dir: Path, rounds: int = 3):
    """Run the query mix under the profiler (after an unprofiled warm-up round).

    Each request is answered as new (the caches of repeated work are emptied first, outside
    the profile), as in the benchmark's headline figures.
    """
    from pyinstrument import Profiler

    run = queries.ours(index_dir)
    mix = queries.query_mix()
    for q in mix:
        run(q)
    prof = Profiler(interval=0.001)
    for _ in range(rounds):
        for q in mix:
            run.forget()
            prof.start()
            run(q)
            prof.stop()
    return prof.last_session


def top_functions(session, n: int = 15) -> dict:
    """Functions by own time and by total time (recursion counted once), as % of the profile."""
    root = session.root_frame(trim_stem=False)
    total = root.time if root else 0
    own, incl = defaultdict(float), defaultdict(float)

    def walk(frame, ancestors: frozenset):
        if frame.is_synthetic:                 # [self]/[await]: already in the parent's own time
            return
        key = f"{frame.function} ({frame.file_path_short}:{frame.line_no})"
        own[key] += frame.total_self_time
        if key not in ancestors:
            incl[key] += frame.time
        for child in frame.children:
            walk(child, ancestors | {key})

    if root:
        walk(root, frozenset())
    # The stem (main → … → the call being profiled) is 100% everywhere: leave it out.
    incl = {k: v for k, v in incl.items() if v < 0.995 * total}
    pct = lambda d, n=n: [{"function": k, "seconds": round(v, 2),              # noqa: E731
                      "pct": round(100 * v / total, 1)}
                     for k, v in sorted(d.items(), key=lambda kv: -kv[1])[:n]]
    return {"seconds": round(total, 2), "by_own_time": pct(own), "by_total_time": pct(incl, 25)}


def main() -> None:
    p = argparse.ArgumentParser(description="Profile indexing and the query mix with pyinstrument.")
    p.add_argument("--docs", type=int, default=1000)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--work", type=Path, default=ROOT / "bench" / "work")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = p.parse_args()
    corpus = args.work / f"corpus-{args.docs}-s{args.seed}"
    corpus_mod.ensure_corpus(corpus, args.docs, args.seed)
    index_dir = args.work / f"profile-{args.docs}" / "index"
    started = time.time()
    sessions = profile_index(corpus, index_dir, args.jobs,
                             args.work / f"profile-{args.docs}" / "sessions")
    sessions["queries"] = profile_queries(index_dir)
    args.out.mkdir(parents=True, exist_ok=True)
    result = {"docs": args.docs, "jobs": args.jobs,
              "started": time.strftime("%Y-%m-%d %H:%M", time.localtime(started))}
    for part, session in sessions.items():
        if session is None:
            continue
        result[part] = top_functions(session)
        text = session_text(session)
        (args.out / f"profile-n{args.docs}-{part}.txt").write_text(text, encoding="utf-8")
    (args.out / f"profile-n{args.docs}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    for part in sessions:
        if part in result:
            print(f"\n== {part}: {result[part]['seconds']} s; by own time")
            for f in result[part]["by_own_time"][:12]:
                print(f"  {f['pct']:5.1f}%  {f['function']}")
            print("   by total time")
            for f in result[part]["by_total_time"][:20]:
                print(f"  {f['pct']:5.1f}%  {f['function']}")


def session_text(session) -> str:
    """The pyinstrument tree of a session (library frames shown)."""
    from pyinstrument.renderers import ConsoleRenderer

    return ConsoleRenderer(show_all=False, unicode=True, time="percent_of_total",
                           short_mode=False).render(session)


if __name__ == "__main__":
    main()
