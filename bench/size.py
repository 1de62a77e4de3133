"""How big a build is, part by part, against the cleaned text it indexes; and what a change of
format costs the query mix (issue 14: the index, stored text included, at most the size of that
text).

``python -m bench.size --index-dir DIR`` breaks the live build down: Whoosh's stored fields
(the ``_stored`` column, and each field's share estimated by compressing it alone as Whoosh
would), Whoosh's columns and term files, the report texts (``search.text_store``: frames,
dictionaries, offsets), each array of our postings files (``search.postings``) per field, and
the build's other files (copy sketches and groups, manifest, facet table). The
*cleaned text* is the sum of the UTF-8 bytes of every report's stored content: exactly what the
postings index. ``--against TREE INDEX_DIR`` then times the query mix (``bench.queries``) on this
checkout's build and on another tree's build of the same corpus, interleaved request by request,
each answered as new (``bench.peers.Worker``), and reports the ratios.
"""
from __future__ import annotations

import argparse
import json
import pickle
import time
import zlib
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
MB = 1e6


def live_build(index_dir: Path) -> Path:
    return index_dir / "builds" / (index_dir / "CURRENT").read_text().strip()


def file_parts(build: Path) -> Counter:
    """Bytes of each part of the build, by file kind, Whoosh sub-file and postings array."""
    from whoosh.filedb.compound import CompoundStorage
    from whoosh.filedb.structfile import StructFile

    from search.postings import read_header
    from search.text_store import SegmentTexts

    parts = Counter()
    for path in sorted(build.iterdir()):
        left = path.stat().st_size
        if path.suffix == ".seg":
            with open(path, "rb") as fh:
                for name, info in CompoundStorage(StructFile(fh), use_mmap=False)._dir.items():
                    kind = name.split(".", 1)[1]
                    parts["whoosh stored fields" if kind == "_stored.col" else
                          "whoosh columns" if kind.endswith(".col") else
                          f"whoosh .{kind}"] += info["length"]
                    left -= info["length"]
            parts["whoosh compound directories"] += left
        elif path.suffix == ".txs":
            texts = SegmentTexts(path)
            frames = texts.frame_bytes
            parts["report texts: frames"] += frames
            parts["report texts: dictionaries"] += len(texts.dictionary)
            parts["report texts: offsets and headers"] += left - frames - len(texts.dictionary)
        elif path.suffix == ".ptx":
            header = read_header(path)
            for key, (dtype, _, count) in header["arrays"].items():
                field, array = key.split(".", 1)
                parts[f"postings {field}.{array.split('.')[0]}"] += np.dtype(dtype).itemsize * count
                left -= np.dtype(dtype).itemsize * count
            parts["postings headers and alignment"] += left
        else:
            parts[f"file {path.name}"] += path.stat().st_size
    return parts


def stored_parts(build: Path) -> tuple[Counter, int, int]:
    """Each field Whoosh stores, compressed alone as Whoosh does (zlib 3 of its pickle), the
    cleaned text's UTF-8 bytes (read through the searcher, as every reader of a report does:
    from ``search.text_store``, or Whoosh's own fields in a build made before it) and the
    number of reports."""
    from search import store

    searcher = store.open_build(store.Build(build, {})).searcher()
    fields, text, docs = Counter(), 0, 0
    for (_, whoosh), (_, stored) in zip(searcher.reader().iter_docs(), searcher.iter_docs()):
        docs += 1
        text += len(stored.get("content", "").encode("utf-8", "surrogatepass"))
        for name, value in whoosh.items():
            fields[name] += len(zlib.compress(pickle.dumps(value, 2), 3))
    searcher.close()
    return fields, text, docs


def breakdown(index_dir: Path) -> dict:
    build = live_build(index_dir)
    parts = file_parts(build)
    fields, text, docs = stored_parts(build)
    total = sum(parts.values())
    return {"build": build.name, "docs": docs, "text_mb": round(text / MB, 2),
            "index_mb": round(total / MB, 2), "ratio_to_text": round(total / text, 3),
            "parts_mb": {k: round(v / MB, 2) for k, v in parts.most_common()},
            "stored_fields_mb": {k: round(v / MB, 2) for k, v in fields.most_common()}}


def query_cost(index_dir: Path, tree: Path, other_index: Path, rounds: int,
               cold: bool = False) -> dict:
    """The mix on this checkout's build and on ``tree``'s, interleaved, each request as new;
    ``cold``: with no decoded run kept from the requests before (``search.packed``) either."""
    from bench import queries
    from bench.measure import summarize
    from bench.peers import Worker

    workers = {"this": Worker("ours", ROOT, index_dir.resolve()),
               "other": Worker("ours", tree.resolve(), other_index.resolve())}
    times = {name: [] for name in workers}
    totals = {name: {} for name in workers}
    for r in range(rounds + 1):
        for query in queries.query_mix():
            for name, worker in workers.items():
                got = worker.ask_raw({"q": query.q, "province": query.province,
                                      "year": query.year, "page": query.page, "forget": True,
                                      "cold": cold})
                totals[name][query.name] = got.get("total", got.get("error"))
                if r and "ms" in got:
                    times[name].append(got["ms"])
    for worker in workers.values():
        worker.close()
    out = {name: summarize(ts) for name, ts in times.items()}
    if not times["this"] or not times["other"]:
        raise RuntimeError(f"a worker answered no request: {totals}")
    out["ratio"] = {k: round(out["this"][k] / out["other"][k], 3) for k in ("p50_ms", "p95_ms")}
    out["differing_totals"] = {q: [t, totals["other"][q]] for q, t in totals["this"].items()
                               if t != totals["other"][q]}
    out["other_tree"], out["cold"] = str(tree), cold
    return out


def markdown(result: dict) -> str:
    lines = [f"{result['docs']:,} reports: index {result['index_mb']} MB, cleaned text "
             f"{result['text_mb']} MB, ratio {result['ratio_to_text']}", "",
             "| part | MB |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in result["parts_mb"].items() if v >= 0.05]
    lines += ["", "| stored field (zlib 3 alone) | MB |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in result["stored_fields_mb"].items() if v >= 0.05]
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--index-dir", type=Path, required=True)
    p.add_argument("--against", nargs=2, type=Path, metavar=("TREE", "INDEX_DIR"))
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--cold", action="store_true", help="also time each request with no decoded "
                   "run kept from the requests before")
    p.add_argument("--out", type=Path)
    args = p.parse_args()
    result = breakdown(args.index_dir)
    print(markdown(result))
    if args.against:
        result["queries"] = query_cost(args.index_dir, *args.against, args.rounds)
        print(json.dumps(result["queries"], indent=1))
        if args.cold:
            result["queries_cold"] = query_cost(args.index_dir, *args.against, args.rounds, True)
            print(json.dumps(result["queries_cold"], indent=1))
    result["measured_at"] = time.strftime("%Y-%m-%dT%H:%M")
    if args.out:
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
