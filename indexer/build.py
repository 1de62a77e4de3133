"""Build or update the index from report files: incremental by default, atomic always.

``build_index`` compares the files on disk with the manifest of the live build (path → size,
mtime, sha256): unchanged files are skipped without being read, touched files are re-hashed,
changed and new files are processed on all cores (``pipeline.process_file``), vanished files are
removed. The result is written as a new build and published atomically (``search.store``); an
interrupted run leaves the previous build live and searchable.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import multiprocessing
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from search import settings, store
from search.store import Build
from indexer import copies, parallel, whoosh_writer
from indexer.pipeline import Skipped, file_signature, process_file, summary
from indexer.segment_writer import SegmentWriter, merge_small_segments
from search.names import printable
from indexer.reader import iter_report_files

MANIFEST = "manifest.json"


@dataclass
class BuildReport:
    """What a reindex did, for the closing summary and for tests."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notices: list[tuple[str, str]] = field(default_factory=list)  # indexed, but e.g. a sidecar
    not_reports: dict[str, int] = field(default_factory=dict)   # {".jpg": 7}: files no format reads
    documents: int = 0
    seconds: float = 0.0
    full: bool = False
    full_reason: str = ""
    published: bool = False
    build: str = ""

    def to_dict(self) -> dict:
        return {**self.__dict__,
                "skipped": [{"path": printable(p), "reason": r} for p, r in self.skipped],
                "notices": [{"path": printable(p), "notice": n} for p, n in self.notices]}


def build_index(paths: Iterable[Path], index_dir: Path, *, rebuild: bool = False,
                jobs: int | None = None, progress: Callable | None = None) -> BuildReport:
    """Index the reports under ``paths`` into ``index_dir`` and publish the new build.

    :param rebuild: build from scratch beside the live index instead of updating it.
    :param jobs: worker processes for reading and segmentation (default: all cores).
    :param progress: ``progress(total)`` → object with ``update(n)`` and ``close()`` (e.g. tqdm).
    :raises store.IndexLocked: another reindex is running.
    :raises store.IndexWriteError: the new build could not be written; the old one is live.
    """
    started = time.perf_counter()
    roots = [Path(p).expanduser().resolve() for p in paths]
    report = BuildReport()
    with store.write_lock(index_dir):
        live = _usable_build(index_dir, rebuild, report)
        manifest = _read_manifest(live, report) if live else {}
        if manifest is None:               # the live build cannot say what it holds: start anew
            live, manifest = None, {}
        todo, keep, removed = _plan(roots, manifest, report)
        if live and not todo and not removed:
            report.documents, report.build = len(manifest), live.name
            report.seconds = time.perf_counter() - started
            return report
        build_path = store.new_build(index_dir, live)
        try:
            new_manifest = _write(build_path, todo, keep, removed, manifest, jobs, progress,
                                  report)
            store.publish(index_dir, build_path, _meta(roots, report, new_manifest))
        except OSError as exc:                  # disk full, I/O error, …
            store.discard(build_path)
            raise store.IndexWriteError(f"Cannot write the new build in {index_dir}: "
                                        f"{exc.strerror or exc}. The previous index is "
                                        "unchanged.") from None
        except BaseException:
            store.discard(build_path)
            raise
    report.documents, report.build, report.published = len(new_manifest), build_path.name, True
    report.seconds = time.perf_counter() - started
    return report


def _usable_build(index_dir: Path, rebuild: bool, report: BuildReport) -> Build | None:
    """Return the live build to update, or None when a full build is needed (and say why)."""
    try:
        live = store.current_build(index_dir)
    except store.IndexNotFound:
        live, report.full_reason = None, "the live index was damaged"
    if live is None:
        report.full_reason = report.full_reason or "no index yet"
    elif rebuild:
        live, report.full_reason = None, "--rebuild"
    elif live.outdated:
        live, report.full_reason = None, "the analysis changed since the last build"
    report.full = live is None
    return live


def _read_manifest(build: Build, report: BuildReport) -> dict | None:
    """Return the live build's manifest, or None (and why, in ``report``) when it is unusable.

    The new build starts as hard links of the live one, so a manifest that lost entries would
    make their reports "new" and index them twice; anything but a complete, well-formed
    manifest therefore forces a full build.
    """
    try:
        manifest = json.loads((build.path / MANIFEST).read_text(encoding="utf-8",
                                                                errors="surrogateescape"))
        if isinstance(manifest, dict) and all(
                isinstance(v, dict) and {"signature", "sha256", "id"} <= v.keys()
                for v in manifest.values()) and len(manifest) == build.meta.get("documents",
                                                                                 len(manifest)):
            return manifest
        problem = "does not match the build"
    except FileNotFoundError:
        problem = "is missing"
    except (OSError, ValueError) as exc:
        problem = f"cannot be read ({type(exc).__name__})"
    report.full, report.full_reason = True, f"the live build's manifest {problem}"
    return None


def _plan(roots, manifest: dict, report: BuildReport):
    """Split files into to-process and unchanged; find indexed files that vanished."""
    seen, todo, keep, others = set(), [], {}, Counter()
    for path in iter_report_files(roots, others):
        key = str(path)
        if key in seen:
            continue
        seen.add(key)
        old = manifest.get(key)
        try:
            signature = file_signature(path)
        except OSError:
            todo.append(key)                           # a broken link, or vanished: the
            continue                                   # worker reports why
        if old and (old["signature"] == signature or _same_content(path, old, signature)):
            keep[key] = {**old, "signature": signature}
            report.unchanged += 1
        else:
            todo.append(key)
    report.not_reports = dict(sorted(others.items(), key=lambda kv: (-kv[1], kv[0])))
    removed = [p for p in manifest if p not in seen
               and (not os.path.exists(p) or any(_under(p, r) for r in roots))]
    for p in manifest:
        if p not in seen and p not in removed:
            keep[p] = manifest[p]                      # indexed from another folder, still there
    return todo, keep, removed


def _same_content(path: Path, old: dict, signature: list) -> bool:
    """True when a touched file still has the indexed bytes (and its sidecar did not change)."""
    if old["signature"][0] != signature[0] or old["signature"][2:] != signature[2:]:
        return False
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == old["sha256"]
    except OSError:
        return False


def _under(path: str, root: Path) -> bool:
    return path == str(root) or path.startswith(str(root) + os.sep)


def _write(build_path, todo, keep, removed, previous, jobs, progress, report) -> dict:
    """Process ``todo`` and write the changes into the new build's index.

    ``previous`` is the live build's manifest: a file in it is updated, any other one added.
    One writer holds the deletions (of removed files, and of the old copies of files in
    ``todo``) and commits; the reports are written into new segments, by worker processes for
    big batches (``indexer.parallel``), here otherwise.
    """
    jobs = jobs or os.cpu_count() or 1
    ix = store.open_for_writing(build_path)
    writer = SegmentWriter(ix, limitmb=64)
    manifest = dict(keep)
    bar = progress(len(todo)) if progress and todo else None
    fresh = {}                          # id → indexer.copies.Copy of each report written now

    def on_result(result: dict) -> None:
        if bar:
            bar.update(1)
        if "_copy" in result:
            fresh[result["id"]] = copies.copy_of(result["_copy"])
        _count(result, previous, manifest, report)
    try:
        for path in removed:
            writer.delete_by_term("id", previous[path]["id"])
            report.removed += 1
        for path in todo:
            if path in previous:            # replaced by the new copy, or now unreadable
                writer.delete_by_term("id", previous[path]["id"])
        memory = settings.get("writer_memory_mb")
        if jobs > 1 and len(todo) >= PARALLEL_MIN_FILES:
            segments = parallel.index_in_workers(build_path, todo, jobs,
                                                 settings.get("max_file_bytes"), memory,
                                                 on_result)
        else:
            segments = _index_here(ix, _process_all(todo, jobs), memory, on_result)
        whoosh_writer.commit_segments(writer, segments,
                                     functools.partial(merge_small_segments, ix=ix))
    except BaseException:
        with contextlib.suppress(Exception):      # after a failed commit, cancel fails too
            writer.cancel()
        raise
    finally:
        if bar:
            bar.close()
    # A new file, never the hard link to the live build's manifest, which must not change.
    tmp = build_path / (MANIFEST + ".tmp")
    # Paths are keys as the file system gives them: undecodable bytes travel as surrogates.
    tmp.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8",
                   errors="surrogateescape")
    os.replace(tmp, build_path / MANIFEST)
    gone = {previous[p]["id"] for p in removed} | {previous[p]["id"] for p in todo
                                                   if p in previous}
    _regroup(build_path, ix, manifest, gone, fresh)
    return manifest


def _regroup(build_path: Path, ix, manifest: dict, gone: set, fresh: dict) -> None:
    """Recompute the groups of copies over the whole build (``indexer.copies``).

    The kept reports' sketches come from the live build's ``groups.json``/``sketches.npy``
    (hard-linked into this build), the new ones from the workers; a report missing from both
    (a build older than grouping) is sketched again from its stored text.
    """
    known = {cid: c for cid, c in copies.load_copies(build_path).items() if cid not in gone}
    known.update(fresh)
    wanted = {entry["id"] for entry in manifest.values()}
    known = {cid: c for cid, c in known.items() if cid in wanted}
    missing = wanted - known.keys()
    if missing:
        with ix.searcher() as searcher:
            for cid in sorted(missing):
                docnum = searcher.document_number(id=cid)
                if docnum is not None:
                    known[cid] = _copy_from_stored(searcher.stored_fields(docnum))
    copies.write_groups(build_path, known)


def _copy_from_stored(stored: dict) -> copies.Copy:
    text = stored.get("content") or ""
    values, count = copies.sketch(text)
    reader = stored.get("reader") or {}
    return copies.copy_of({
        "id": stored["id"], "sketch": values, "shingles": count, "length": len(text),
        **{k: stored.get(k) for k in ("year", "issuer", "province_code", "city_code",
                                      "county_code", "source_url")},
        "info": {"path": stored.get("path", ""), "kind": reader.get("kind", ""),
                 "script": stored.get("script", ""), "source_url": stored.get("source_url", "")}})


def _index_here(ix, results, memory_mb: int, on_result: Callable[[dict], None]) -> list:
    """Add processed reports to new segments in this process; return the finished segments.

    A segment is finished whenever writing its postings would need about ``memory_mb``, as in
    the worker processes, so memory stays bounded however many reports there are.
    """
    segments, writer = [], None
    try:
        for result in results:
            if isinstance(result, Skipped):
                on_result({"path": result.path, "skipped": result.reason})
                continue
            if writer is None:
                writer = SegmentWriter(ix, _lk=False, limitmb=64)
            writer.add_document(**result)
            on_result(summary(result))
            if writer.nbytes >= memory_mb * 1024 * 1024:
                segments.append(whoosh_writer.finalize_segment(writer))
                writer = None
        if writer is not None:
            segments.append(whoosh_writer.finalize_segment(writer))
            writer = None
    finally:
        if writer is not None:
            with contextlib.suppress(Exception):
                whoosh_writer.close_segment(writer)
    return segments


def _count(result: dict, previous: dict, manifest: dict, report: BuildReport) -> None:
    """Account for one processed file in the report and the new manifest."""
    path = result["path"]
    if "skipped" in result:
        report.skipped.append((path, result["skipped"]))
        return
    manifest[path] = {"signature": result["mtime"], "sha256": result["sha256"],
                      "id": result["id"]}
    report.notices.extend((path, notice) for notice in result.get("notices", ()))
    if path in previous:
        report.updated += 1
    else:
        report.added += 1


#: From this many files on, a batch is written by several worker processes (one segment each).
PARALLEL_MIN_FILES = 200


def _process_all(todo: list[str], jobs: int | None):
    """Yield ``process_file`` results for ``todo``, on ``jobs`` processes when that pays off."""
    jobs = jobs or os.cpu_count() or 1
    max_bytes = settings.get("max_file_bytes")
    if jobs == 1 or len(todo) < 4:
        for path in todo:
            yield process_file(path, max_bytes)
        return
    ctx = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with ctx.Pool(min(jobs, len(todo)), initializer=_worker_init) as pool:
        chunk = max(1, min(16, len(todo) // (jobs * 8)))
        yield from pool.imap_unordered(_process_one, [(p, max_bytes) for p in todo], chunk)


def _process_one(args):
    return process_file(*args)


def _worker_init() -> None:
    """Ignore Ctrl-C in workers: the parent handles it and cancels the build."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _meta(roots, report: BuildReport, manifest: dict) -> dict:
    return {"built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "roots": [str(r) for r in roots],
            "documents": len(manifest), "full": report.full}
