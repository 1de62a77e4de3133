"""Where the first query after a publish (or a ``serve`` start) spends its time.

``python -m bench.first_query --index-dir DIR [--repeats 5]`` opens the live build as a new
``IndexHandle`` would (the page cache warm, as after a publish), times each step of the first
request apart (opening the build and a searcher, the facet table: ``search.table_file`` mapped
or, without one, read from the columns; postings and BM25; the query itself), then the same with
the table ignored (what builds published before ``table_file`` pay), and the cost of writing
the table at publish. Medians of ``--repeats``.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from statistics import median


def _once(index_dir: Path, use_table: bool) -> dict:
    from search import engine, facets, table_file
    from search.store import IndexHandle

    real_read = table_file.read
    if not use_table:
        table_file.read = lambda folder, reader: None
    try:
        t0 = time.perf_counter()
        handle = IndexHandle(index_dir)
        snap = handle.snapshot()
        t1 = time.perf_counter()
        facets.facet_table(snap)
        t2 = time.perf_counter()
        engine.search(handle, engine.SearchRequest(q="证照分离"))
        t3 = time.perf_counter()
    finally:
        table_file.read = real_read
    return {"open_ms": (t1 - t0) * 1000, "facet_table_ms": (t2 - t1) * 1000,
            "query_ms": (t3 - t2) * 1000, "first_query_ms": (t3 - t0) * 1000}


def measure(index_dir: Path, repeats: int) -> dict:
    from search import analysis, table_file
    from search.store import current_build

    analysis.jieba_tokenizer()
    _once(index_dir, True)                                   # page cache and imports warm
    out = {}
    for name, use in (("mapped_table", True), ("columns", False)):
        runs = [_once(index_dir, use) for _ in range(repeats)]
        out[name] = {k: round(median(r[k] for r in runs), 1) for k in runs[0]}
    build = current_build(index_dir)
    started = time.perf_counter()
    table_file.write(build.path)
    out["write_table_at_publish_ms"] = round((time.perf_counter() - started) * 1000, 1)
    out["table_bytes"] = sum((build.path / f).stat().st_size for f in table_file.FILES)
    out["docs"] = int(json.loads((build.path / table_file.JSON).read_text())["doc_count"])
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--index-dir", type=Path, required=True)
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args()
    print(json.dumps(measure(args.index_dir, args.repeats)))


if __name__ == "__main__":
    main()
