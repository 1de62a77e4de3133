"""The segmentation limit: how fast jieba alone gets through the corpus on the same cores.

No indexer can segment faster than jieba does, so indexing throughput is reported as a share of
this limit. It uses our own tokenizer (``search.analysis.jieba_tokenizer()``: our dictionary,
precise mode with HMM, as ``search.analysis.segment`` calls it) on the raw text of each file, in
a process pool of the indexer's size. Each worker reads its files itself, as indexing workers do.
The clock starts once every worker has loaded the dictionary: the limit is steady-state
throughput; the one-off load time is reported beside it.
"""
from __future__ import annotations

import multiprocessing
import time


def _load() -> float:
    """Pool initializer: load our jieba instance; return how long it took."""
    started = time.perf_counter()
    from search.analysis import jieba_tokenizer

    jieba_tokenizer()
    return time.perf_counter() - started


def _ready(_) -> float:
    """Make sure this worker has loaded the dictionary, then hold it so others get a task too."""
    seconds = _load()
    time.sleep(0.3)
    return seconds


def _segment_file(path: str) -> tuple[int, int]:
    """Segment one file: return ``(characters, words)``."""
    from search.analysis import jieba_tokenizer

    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    words = sum(1 for _ in jieba_tokenizer().cut(text, HMM=True))
    return len(text), words


def segmentation_limit(paths: list[str], jobs: int) -> dict:
    """Segment every file in ``paths`` on ``jobs`` processes; return throughput figures."""
    if jobs == 1:
        load = _load()
        started = time.perf_counter()
        results = [_segment_file(p) for p in paths]
        seconds = time.perf_counter() - started
    else:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(jobs) as pool:
            load = max(pool.map(_ready, range(jobs), chunksize=1))
            started = time.perf_counter()
            results = list(pool.imap_unordered(_segment_file, paths, chunksize=4))
            seconds = time.perf_counter() - started
    chars = sum(r[0] for r in results)
    return {"jobs": jobs, "docs": len(paths), "chars": chars,
            "words": sum(r[1] for r in results), "seconds": round(seconds, 2),
            "docs_per_s": round(len(paths) / seconds, 1),
            "chars_per_s": round(chars / seconds),
            "chars_per_s_per_process": round(chars / seconds / jobs),
            "dictionary_load_s": round(load, 2)}
