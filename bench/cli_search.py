"""How long a one-off ``policy-search search`` takes, start to finish, on a given index.

    .venv/bin/python -m bench.cli_search --index-dir var/index [--runs 7] [--query 证照分离]

Each run is a new process, as when a user types the command: imports, opening the index, the
jieba table and the query all count. The first run uses an empty cache folder, so it also
writes the frozen jieba table (``search.frozen_dict``) and the normalisation table; the others
map them. Prints the wall times and the ``took_ms`` the command reports (the query alone).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def one_off(index_dir: str, query: str, env: dict) -> tuple[float, float]:
    """Run the console command once; return ``(wall seconds, took_ms)``."""
    code = "from web.cli import main; main()"
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, "search", query, "--json",
                           "--index-dir", index_dir], env=env, capture_output=True, text=True,
                          check=True)
    return time.perf_counter() - started, json.loads(done.stdout)["took_ms"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-dir", required=True)
    parser.add_argument("--query", default="证照分离")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "XDG_CACHE_HOME": cache}
        first = one_off(args.index_dir, args.query, env)
        rest = [one_off(args.index_dir, args.query, env) for _ in range(args.runs)]
    print(f"first run (writes the caches): {first[0]:.2f} s wall, took_ms {first[1]:.0f}")
    print(f"next {args.runs} runs: median {statistics.median(w for w, _ in rest):.2f} s wall "
          f"(min {min(w for w, _ in rest):.2f}), took_ms median "
          f"{statistics.median(t for _, t in rest):.0f}")


if __name__ == "__main__":
    main()
