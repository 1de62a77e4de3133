"""Index a large batch on several cores: each worker reads, segments *and writes* its own segment.

Whoosh's multi-process writer (``ix.writer(procs=N)``) pickles every document in the parent and
unpickles it in a sub-writer; with the reading and jieba in a process pool in front of it, each
report crossed two process boundaries and the parent was a bottleneck (6 reports/s on 2 cores at
10,000 reports). Here the worker that segments a report also adds it to a Whoosh
``SegmentWriter`` of its own, so a report never leaves the process that read it. Only a small
summary per file (path, signature, hash, or the reason it was skipped) goes back to the parent.

Whenever its posting pool is nearly full, and at the end, a worker finalises its segment
(postings sorted in memory and written, compound file assembled) and sends the descriptor; the parent's writer, which holds the deletions of
replaced and removed reports, commits them all in one new table of contents. Nothing is visible
before ``store.publish``, so a failure anywhere discards the whole build.

Workers die with their parent: they poll for it while waiting for work, and drop their inherited
copy of the index's write lock at start, so a killed reindex never leaves the lock held.
"""
from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import traceback
from pathlib import Path
from typing import Callable

from search import store
from indexer.pipeline import Skipped, process_file, summary
from indexer import whoosh_writer
from indexer.segment_writer import SegmentWriter

CHUNK = 8                     # files per task: small enough to balance, big enough to be cheap
POLL_SECONDS = 0.5


class WorkerFailed(RuntimeError):
    """An indexing worker crashed; the message holds its traceback or exit status."""


def index_in_workers(build_path: Path, todo: list[str], jobs: int, max_bytes: int,
                     limitmb: int, on_result: Callable[[dict], None]) -> list:
    """Index ``todo`` into new segments of the build at ``build_path``; return the segments.

    ``on_result`` is called in the parent for each file with ``{"path", "skipped": reason}`` or
    the record summary ``{"path", "mtime", "sha256", "id"}``.
    """
    ctx = multiprocessing.get_context("fork")
    tasks, results = ctx.Queue(), ctx.Queue()
    workers = [ctx.Process(target=_worker, daemon=True,
                           args=(build_path, tasks, results, max_bytes, limitmb, os.getpid()))
               for _ in range(max(1, min(jobs, len(todo))))]
    for w in workers:
        w.start()
    try:
        for i in range(0, len(todo), CHUNK):
            tasks.put(todo[i:i + CHUNK])
        for _ in workers:
            tasks.put(None)
        segments, done = [], 0
        while done < len(workers):
            try:
                kind, payload = results.get(timeout=POLL_SECONDS)
            except queue.Empty:
                _check_alive(workers, done)
                continue
            if kind == "file":
                on_result(payload)
            elif kind == "segment":
                segments.append(payload)
            elif kind == "done":
                done += 1
            else:
                raise WorkerFailed(f"An indexing worker failed:\n{payload}")
        for w in workers:
            w.join()
        return segments
    finally:
        for w in workers:
            if w.is_alive():
                w.terminate()
                w.join(5)
        tasks.cancel_join_thread()
        results.cancel_join_thread()


def _check_alive(workers, done: int) -> None:
    dead = [w for w in workers if not w.is_alive() and w.exitcode not in (0, None)]
    if dead:
        raise WorkerFailed(f"An indexing worker exited with status {dead[0].exitcode} "
                           "(killed, or out of memory?).")


def _worker(build_path: Path, tasks, results, max_bytes: int, limitmb: int, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # the parent handles Ctrl-C
    store.release_inherited_lock()
    try:
        ix = store.open_for_writing(build_path)
        # A worker closes its segment when writing its postings would need about ``limitmb``
        # and starts another, so memory stays bounded however many reports there are.
        segment_bytes = limitmb * 1024 * 1024
        writer = SegmentWriter(ix, _lk=False, limitmb=limitmb)
        while True:
            if os.getppid() != parent:                # orphaned: the reindex was killed
                os._exit(1)
            try:
                chunk = tasks.get(timeout=POLL_SECONDS)
            except queue.Empty:
                continue
            if chunk is None:
                break
            for path in chunk:
                results.put(("file", _index_one(writer, path, max_bytes)))
                if writer.nbytes >= segment_bytes:
                    results.put(("segment", whoosh_writer.finalize_segment(writer)))
                    writer = SegmentWriter(ix, _lk=False, limitmb=limitmb)
        if writer._added:
            results.put(("segment", whoosh_writer.finalize_segment(writer)))
        else:
            whoosh_writer.close_segment(writer)
        results.put(("done", None))
    except BaseException:                              # noqa: BLE001 - sent to the parent
        results.put(("error", traceback.format_exc()))
        raise


def _index_one(writer, path: str, max_bytes: int) -> dict:
    result = process_file(path, max_bytes)
    if isinstance(result, Skipped):
        return {"path": result.path, "skipped": result.reason}
    writer.add_document(**result)
    return summary(result)
