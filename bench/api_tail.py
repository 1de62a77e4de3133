"""The tail of the JSON API on distinct queries, in one process: what the slowest requests do.

``python -m bench.api_tail --index-dir DIR --corpus CORPUS [--requests 600] [--profile]``

sends ``bench.http_clients``' distinct quoted spans (a third with the province filter, a third
with the year) to ``/api/search`` through Flask's test client, one at a time, and reports the
wall and CPU time percentiles. HTTP with many clients adds queueing and the server's own work to
these figures; what is slow here is slow for every client. With ``--profile`` the same requests
run again under pyinstrument, and the slowest twentieth of them (by their first, unprofiled time)
are profiled once more on their own, with the decoded runs and fragments of the first pass
dropped (a tail request finds only what the requests before it left: this is its worst case).
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from bench.http_clients import distinct_paths
from bench.measure import summarize


def timed(client, paths: list[str]) -> list[tuple[float, float, str]]:
    """``(wall ms, cpu ms, path)`` for each request, in order."""
    out = []
    for path in paths:
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {response.status_code}")
        out.append(((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, path))
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--index-dir", type=Path, required=True)
    p.add_argument("--corpus", type=Path, required=True)
    p.add_argument("--requests", type=int, default=600)
    p.add_argument("--profile", action="store_true")
    p.add_argument("--out", type=Path)
    args = p.parse_args()

    os.environ["POLICY_TERM_CACHE_MB"] = "1"      # as bench.http_clients' server: the least
    from web import create_app

    paths = distinct_paths(args.corpus, args.requests)
    client = create_app({"TESTING": True, "index_dir": str(args.index_dir)}).test_client()
    client.get("/api/search?q=%E6%B3%95%E6%B2%BB")         # open the build, load jieba
    runs = timed(client, paths)
    result = {"requests": len(runs), "wall": summarize([r[0] for r in runs]),
              "cpu": summarize([r[1] for r in runs]),
              "slowest": [{"ms": round(w, 1), "cpu_ms": round(c, 1), "path": pth}
                          for w, c, pth in sorted(runs, reverse=True)[:10]]}
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if args.profile:
        from pyinstrument import Profiler

        slow = [pth for _, _, pth in sorted(runs, reverse=True)[:max(1, len(runs) // 20)]]
        fresh = create_app({"TESTING": True, "index_dir": str(args.index_dir)}).test_client()
        fresh.get("/api/search?q=%E6%B3%95%E6%B2%BB")
        from search import highlight, packed

        packed.drop_decoded()                 # nothing kept from the first pass
        highlight._fragments.cache_clear()
        profiler = Profiler(interval=0.0005)
        profiler.start()
        timed(fresh, slow)
        profiler.stop()
        print(profiler.output_text(unicode=True, show_all=False))
    if args.out:
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n",
                            encoding="utf-8")


if __name__ == "__main__":
    main()
