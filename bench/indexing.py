"""Our indexer, measured the way users run it: the ``policy-search index`` command.

Every build runs the real console command in a subprocess (``web.cli:main``, falling back to
``indexer.cli:main`` when the web package cannot be imported), so the figures include start-up,
worker start, the commit and the atomic publish, and the process tree's memory is sampled
(``bench.measure``). "Searchable" for an incremental reindex means: the command has returned,
and a reader that was open before it (an ``IndexHandle``, as the web app holds) finds the change;
the first query after the switch is timed separately.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from bench.measure import Measured, run_measured

ROOT = Path(__file__).resolve().parent.parent
#: Compared with the truth file: the issue's four, then the rest of what the indexer extracts.
META_FIELDS = ("province", "city", "year", "level", "county", "title", "issuer", "script",
               "published", "doc_number")


def cli_prefix() -> list[str]:
    """``python -c …`` running the ``policy-search`` console script (or the indexer's own CLI)."""
    probe = subprocess.run([sys.executable, "-c", "import web.cli"], cwd=ROOT,
                           capture_output=True)
    module = "web.cli" if probe.returncode == 0 else "indexer.cli"
    return [sys.executable, "-c", f"from {module} import main; main()"]


def index_command(corpus: Path, index_dir: Path, jobs: int, rebuild: bool = False) -> list[str]:
    return [*cli_prefix(), "index", str(corpus), "--index-dir", str(index_dir),
            "--jobs", str(jobs), "--json", "--quiet"] + (["--rebuild"] if rebuild else [])


def run_index(corpus: Path, index_dir: Path, jobs: int, rebuild: bool = False) -> dict:
    """Run one ``index`` command; return its timings, memory and the indexer's own report."""
    m = run_measured(index_command(corpus, index_dir, jobs, rebuild), cwd=ROOT,
                     env={**os.environ, "PYTHONPATH": str(ROOT)})
    return {"seconds": round(m.seconds, 2), "cpu_seconds": round(m.cpu_seconds, 1),
            "exit_status": m.returncode, **m.memory(), "report": _report_of(m)}


def _report_of(m: Measured) -> dict:
    try:
        report = json.loads(m.stdout)
    except ValueError:
        return {"error": (m.stderr or m.stdout)[-2000:]}
    skipped = report.pop("skipped", [])
    return {**report, "skipped": len(skipped), "skipped_examples": skipped[:5]}


def build_size(index_dir: Path) -> int:
    """Bytes of the live build (the one ``CURRENT`` names)."""
    name = (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    build = index_dir / "builds" / name
    return sum(f.stat().st_size for f in build.iterdir() if f.is_file())


def full_build(corpus: Path, index_dir: Path, jobs: int, chars: int, docs: int) -> dict:
    """Index the corpus into an empty index directory."""
    shutil.rmtree(index_dir, ignore_errors=True)
    result = run_index(corpus, index_dir, jobs)
    return {**result, **throughput(result["seconds"], docs, chars), **_size(index_dir)}


def throughput(seconds: float, docs: int, chars: int) -> dict:
    return {"docs_per_s": round(docs / seconds, 1), "chars_per_s": round(chars / seconds)}


def _size(index_dir: Path) -> dict:
    try:
        return {"index_mb": round(build_size(index_dir) / 2**20, 1)}
    except OSError:
        return {"index_mb": None}


def incremental(corpus: Path, index_dir: Path, jobs: int, paths: list[str], count: int,
                seed: int) -> dict:
    """Change ``count`` reports (append a unique sentence), reindex, and check the change is found.

    The originals are restored by ``restore`` (the corpus is marked DIRTY meanwhile, so an
    interrupted run regenerates it next time).
    """
    from search import engine
    from search.store import IndexHandle

    handle = IndexHandle(index_dir)
    engine.search(handle, engine.SearchRequest(q="营商环境"))       # a reader open before
    rng = random.Random(f"{seed}-{count}")
    (corpus / "DIRTY").touch()
    changed = {}
    for n, path in enumerate(rng.sample(paths, count)):
        marker = f"基准增补标记{seed}{count}{n:05d}号"
        original = Path(path).read_bytes()
        changed[path] = (original, marker)
        Path(path).write_bytes(original + f"\n{marker}。\n".encode("utf-8"))
    result = run_index(corpus, index_dir, jobs)
    started = time.perf_counter()
    checks = list(changed.items())[:5]
    first_ms, verified = None, 0
    for path, (_, marker) in checks:
        res = engine.search(handle, engine.SearchRequest(q=f'"{marker}"'))
        first_ms = first_ms or round((time.perf_counter() - started) * 1000, 1)
        verified += any(h.path == path for h in res.hits)
    result.update(files=count, verified=f"{verified}/{len(checks)}",
                  first_query_after_ms=first_ms,
                  searchable_s=round(result["seconds"] + (first_ms or 0) / 1000, 2))
    return {"result": result, "originals": {p: o for p, (o, _) in changed.items()}}


def restore(corpus: Path, originals: dict[str, bytes]) -> None:
    """Put changed reports back as generated and clear the DIRTY mark."""
    for path, data in originals.items():
        Path(path).write_bytes(data)
    (corpus / "DIRTY").unlink(missing_ok=True)


def metadata_accuracy(index_dir: Path, truth: list[dict]) -> dict:
    """Compare every indexed report's metadata with the generator's truth, field by field."""
    from search.store import IndexHandle

    searcher = IndexHandle(index_dir).searcher()
    by_path = {t["path"]: t for t in truth}
    agree, examples, n, all4 = Counter(), {f: [] for f in META_FIELDS}, 0, 0
    for stored in searcher.all_stored_fields():
        t = by_path.get(stored.get("path"))
        if t is None:
            continue
        n += 1
        ok4 = True
        for f in META_FIELDS:
            got, want = stored.get(f) or None, t.get(f) or None
            if got == want:
                agree[f] += 1
            else:
                ok4 = ok4 and f not in META_FIELDS[:4]
                if len(examples[f]) < 8:
                    examples[f].append({"path": t["path"], "truth": want, "indexed": got,
                                        "title": t["title"], "issuer": t["issuer"],
                                        "warnings": stored.get("warnings")})
        all4 += ok4
    pct = {f: round(100 * agree[f] / n, 2) if n else None for f in META_FIELDS}
    return {"reports": n, "agreement_pct": pct,
            "all_four_pct": round(100 * all4 / n, 2) if n else None,
            "disagreement_examples": {f: v for f, v in examples.items() if v}}
