"""HTTP with concurrent clients, without wrk: ``serve`` with 1 process (waitress) and with N
gunicorn workers (``--workers``), one after the other on the same index and URLs.

``python -m bench.http_clients --index-dir DIR --corpus CORPUS [--clients 8] [--workers 1,2]``
sends ``--requests`` distinct quoted spans of the corpus (a third with the province filter, a
third with the year; as ``bench.run``'s distinct load), from ``--clients`` threads that each keep
one connection open, to a server started with ``POLICY_TERM_CACHE_MB=1`` (the least). The clients are Python
threads on the same cores as the server: the latencies are a ceiling and the requests/s a floor;
compare the two server set-ups measured in one run, not absolute figures. Each run records
the 1-minute load average before and after it (the machine's other jobs share the cores).
"""
from __future__ import annotations

import argparse
import http.client
import os
import json
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench import queries, recall
from bench.measure import summarize
from bench.serving import Server


def distinct_paths(corpus: Path, count: int, seed: int = 10) -> list[str]:
    paths = [str(p) for p in sorted(corpus.rglob("*.txt"))]
    out = []
    for n, (_, span) in enumerate(recall.sample_spans(paths, count, seed=seed)):
        out.append(queries.Query(span, "distinct", '"' + span + '"',
                                 province=queries.PROVINCE if n % 3 == 1 else None,
                                 year=queries.YEAR if n % 3 == 2 else None).api_path())
    return out


def drive(url: str, paths: list[str], clients: int) -> dict:
    """Send every path once, from ``clients`` threads with one kept-alive connection each."""
    host = urlsplit(url)
    latencies, errors, lock = [], [], threading.Lock()
    todo = iter(enumerate(paths))

    def client():
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        while True:
            with lock:
                item = next(todo, None)
            if item is None:
                break
            started = time.perf_counter()
            try:
                conn.request("GET", item[1])
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
            except OSError:
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(item[1])
        conn.close()
    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    return {**summarize(latencies), "errors": len(errors),
            "requests_per_s": round(len(latencies) / seconds, 1)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--index-dir", type=Path, required=True)
    p.add_argument("--corpus", type=Path, required=True)
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--requests", type=int, default=600)
    p.add_argument("--workers", default="1,2")
    args = p.parse_args()
    paths = distinct_paths(args.corpus, args.requests)
    out = {"clients": args.clients, "requests": len(paths), "runs": {}}
    for workers in [int(w) for w in args.workers.split(",")]:
        server = Server(args.index_dir, env={"POLICY_TERM_CACHE_MB": "1"},
                        workers=workers if workers > 1 else None)
        try:
            server.start(paths[0])
            drive(server.url, paths[:40], args.clients)              # every worker warm
            before = os.getloadavg()[0]
            out["runs"][str(workers)] = {**drive(server.url, paths, args.clients),
                                         "load_average": [round(before, 2),
                                                          round(os.getloadavg()[0], 2)]}
        finally:
            server.stop()
        print(workers, out["runs"][str(workers)], flush=True)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
