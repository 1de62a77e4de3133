"""One engine answering benchmark requests over stdin/stdout, so engines run side by side.

``python bench/peer_worker.py --engine ours --tree TREE --index DIR`` imports ``search`` from
``TREE`` (this checkout, or another commit unpacked with ``git archive``), so the same harness
times two versions of our engine, and the tantivy peer, query by query in one run
(``bench.peers``). Each input line is a JSON request ``{"q", "province", "year", "page",
"forget"}``; each output line ``{"ms", "total", "cpu_ms"}`` (wall and process CPU time: on a
loaded machine the CPU time says what the request cost, the wall time what a user waited). ``{"reopen": true}`` drops the open index and
times opening it again with the next request (what the first query after a publish pays).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def _ours(index_dir: Path):
    from search import analysis, engine, facets, highlight
    from search.matching import TermCache
    from search.store import IndexHandle

    analysis.jieba_tokenizer()
    state = {"handle": IndexHandle(index_dir)}
    try:
        from search.packed import drop_decoded
    except ImportError:                     # a tree whose postings are not packed
        drop_decoded = None

    def run(req: dict) -> int:
        if req.get("forget"):
            table = facets.facet_table(state["handle"].snapshot())
            table.term_cache = TermCache(table.term_cache.max_bytes)
            highlight._fragments.cache_clear()
        if req.get("cold") and drop_decoded:     # and the decoded runs of common bigrams
            drop_decoded()
        request = engine.SearchRequest(q=req.get("q", ""),
                                       province=(req["province"],) if req.get("province") else (),
                                       year=(req["year"],) if req.get("year") else (),
                                       page=req.get("page", 1))
        return engine.search(state["handle"], request).total

    def reopen() -> None:
        highlight._fragments.cache_clear()
        state["handle"] = IndexHandle(index_dir)
    return run, reopen


def _tantivy(index_dir: Path):
    from bench.tantivy_peer import Peer, words

    words("预热")
    state = {"peer": Peer(index_dir)}

    def run(req: dict) -> int:
        return state["peer"].search(req.get("q", ""), req.get("province"), req.get("year"),
                                    req.get("page", 1))["total"]

    def reopen() -> None:
        state["peer"] = None

    def lazy(req: dict) -> int:
        if state["peer"] is None:
            state["peer"] = Peer(index_dir)
        return run(req)
    return lazy, reopen


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--engine", choices=("ours", "tantivy"), required=True)
    p.add_argument("--tree", type=Path, required=True)
    p.add_argument("--index", type=Path, required=True)
    args = p.parse_args()
    sys.path.insert(0, str(args.tree.resolve()))
    if args.engine == "tantivy":
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    run, reopen = (_ours if args.engine == "ours" else _tantivy)(args.index)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        if req.get("reopen"):
            reopen()
            print(json.dumps({"ok": True}), flush=True)
            continue
        started, cpu = time.perf_counter(), time.process_time()
        try:
            total = run(req)
        except Exception as exc:                               # noqa: BLE001 - reported
            print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}), flush=True)
            continue
        print(json.dumps({"ms": (time.perf_counter() - started) * 1000, "total": total,
                          "cpu_ms": (time.process_time() - cpu) * 1000}), flush=True)


if __name__ == "__main__":
    main()
