"""Where the index lives on disk, and how a new build replaces the old one without a gap.

Layout of an index directory::

    INDEX_DIR/CURRENT          name of the live build (replaced atomically with os.replace)
    INDEX_DIR/builds/NAME/     one complete Whoosh index plus meta.json
    INDEX_DIR/write.lock       held (flock) by the one reindex that may run

Every reindex, incremental or full, writes a *new* build directory (an incremental one starts as
hard links to the live build's files, which Whoosh never rewrites in place), syncs it to disk, and
only then points ``CURRENT`` at it. A reindex killed at any moment leaves ``CURRENT`` naming the
previous, complete build: readers never see a half-written index. The previous build is kept one
generation so that readers still holding it finish their requests.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from whoosh import index as whoosh_index
from whoosh.index import FileIndex
from whoosh.searching import Searcher

from search import analysis, schema, table_file
from search.mapped import MappedStorage
from search.text_store import BuildTexts, SegmentTexts, TextStoreDamaged, texts_path

CURRENT = "CURRENT"
BUILDS = "builds"
LOCK = "write.lock"
META = "meta.json"


class IndexNotFound(Exception):
    """There is no usable index at the given place."""

    def __init__(self, index_dir: Path, detail: str = "no index has been built there yet"):
        self.index_dir = index_dir
        super().__init__(f"No index at {index_dir}: {detail}. "
                         f"Build one with `policy-search index [PATH…] --index-dir {index_dir}`.")


class IndexUnavailable(Exception):
    """The index is intact but cannot be opened now (too many open files, no memory …)."""


def unreadable_build_file(folder: str | os.PathLike, what: str, exc: Exception) -> Exception:
    """The error for a live build whose own file (``what``: its text postings, its report
    texts) cannot be read: missing or damaged (``exc`` not an ``OSError``, or a missing file)
    asks for a rebuild; any other ``OSError`` (too many open files, no memory to map) says the
    index is intact and what to do. Raise it ``from None``: the user needs the advice, not the
    trace."""
    if isinstance(exc, FileNotFoundError) or not isinstance(exc, OSError):
        index_dir = Path(folder).parent.parent
        return IndexNotFound(index_dir, f"the {what} of its live build are missing or damaged "
                             f"({exc}); rebuild it with `policy-search index --rebuild "
                             f"--index-dir {index_dir}`")
    return IndexUnavailable(f"Cannot open the index's {what} in {folder}: "
                            f"{exc.strerror or exc}. The index is intact; {_advice(exc)}")


def _advice(exc: OSError) -> str:
    if exc.errno == errno.EMFILE or exc.errno == errno.ENFILE:
        return "raise the limit of open files (ulimit -n) and retry."
    if exc.errno == errno.ENOMEM:
        return "free some memory and retry."
    return "retry once the cause is fixed."


class IndexLocked(Exception):
    """Another reindex holds the write lock of this index."""


class IndexWriteError(Exception):
    """The new build could not be written (disk full, read-only directory …); the old one is live."""


@dataclass(frozen=True)
class Build:
    """One complete index build: its directory and the facts recorded beside it."""

    path: Path
    meta: dict

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def outdated(self) -> bool:
        """True when the build was made by other analysis code or another schema version."""
        return (self.meta.get("fingerprint") != analysis.fingerprint()
                or self.meta.get("schema_version") != schema.SCHEMA_VERSION)


def current_build(index_dir: Path) -> Build | None:
    """Return the live build of ``index_dir``, or None when none was ever published."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    path = index_dir / BUILDS / name
    try:
        meta = json.loads((path / META).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        raise IndexNotFound(index_dir, f"the live build {name} is missing or damaged") from None
    return Build(path, meta)


class PlainWriterRefused(RuntimeError):
    """A plain Whoosh writer was asked for: it would write segments without our postings."""


class PolicyIndex(FileIndex):
    """A Whoosh index whose text postings and report texts live beside its segments
    (``search.postings``, ``search.text_store``); its searchers read both.

    Whoosh's own writers (``ix.writer()``, and so ``ix.optimize()`` and ``ix.delete_by_term``)
    know nothing of those files: a segment they wrote or merged would have no postings, and
    Whoosh's file cleaner would delete the postings of the segments they merged away. Only
    ``indexer.segment_writer.SegmentWriter`` may write a build, so these are refused.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._segment_texts: dict[str, SegmentTexts] = {}
        self._texts_lock = threading.Lock()

    def writer(self, **kwargs):
        raise PlainWriterRefused("A plain Whoosh writer (writer(), optimize(), delete_by_term()) "
                                 "would drop the index's text postings; update the index with "
                                 "`policy-search index` (indexer.build).")

    def searcher(self, **kwargs) -> "ReportSearcher":
        """A searcher whose stored fields include each report's text (``ReportSearcher``)."""
        return ReportSearcher(self.reader(), fromindex=self, **kwargs)

    def segment_texts(self, segment) -> SegmentTexts:
        """The text file of one of the index's segments, opened once for all its searchers."""
        with self._texts_lock:
            found = self._segment_texts.get(segment.segment_id())
            if found is None:
                found = self._segment_texts[segment.segment_id()] = SegmentTexts(
                    texts_path(self.storage.folder, segment))
            return found


class ReportSearcher(Searcher):
    """A Whoosh searcher whose stored fields carry each report's text as ``content``.

    The text lives in the segments' text files (``search.text_store``), not in Whoosh's stored
    fields; this is the one place stored fields are read (``stored_fields``, and
    ``all_stored_fields``/``iter_docs``/``documents`` through it), so no caller can miss it.
    A build made before the text files (schema 8) still has ``content`` in Whoosh's fields,
    which is kept: it is served, marked outdated, until the next reindex rebuilds it. The text
    files are opened when first needed, once per index (``PolicyIndex.segment_texts``), and
    shared by its searchers (one per thread).
    """

    def __init__(self, reader, **kwargs):
        super().__init__(reader, **kwargs)
        # Whoosh copies these reader methods onto each searcher; ours are the class's (bound
        # methods kept on the instance would make a cycle that keeps old builds mapped).
        del self.stored_fields, self.all_stored_fields, self.iter_docs
        self._texts: BuildTexts | None = None

    def stored_fields(self, docnum: int) -> dict:
        """Document ``docnum``'s stored fields, its text (``content``) included."""
        fields = self.ixreader.stored_fields(docnum)
        if "content" not in fields:
            fields["content"] = self._text(docnum)
        return fields

    def iter_docs(self):
        """``(docnum, stored fields)`` of every live document."""
        reader = self.ixreader
        for docnum in range(reader.doc_count_all()):
            if not reader.is_deleted(docnum):
                yield docnum, self.stored_fields(docnum)

    def all_stored_fields(self):
        return (fields for _, fields in self.iter_docs())

    def _text(self, docnum: int) -> str:
        try:
            if self._texts is None:
                self._texts = BuildTexts.of_reader(self.ixreader, self._ix.segment_texts)
            return self._texts.text(docnum)
        except (OSError, TextStoreDamaged) as exc:
            raise unreadable_build_file(self._ix.storage.folder, "report texts", exc) from None

    def close(self) -> None:
        self._texts = None                   # the maps go with the last reference
        super().close()


def open_build(build: Build):
    """Open a build's Whoosh index for reading (segments mapped, never copied: see mapped.py)."""
    return MappedStorage(str(build.path), readonly=True).open_index(indexclass=PolicyIndex)


def open_for_writing(build_path: Path):
    """Open an unpublished build's Whoosh index for a writer (same zero-copy segment reads)."""
    return MappedStorage(str(build_path)).open_index(indexclass=PolicyIndex)


def open_index(index_dir: Path):
    """Open the live index of ``index_dir`` for reading; raise IndexNotFound with a hint."""
    build = current_build(index_dir)
    if build is None:
        raise IndexNotFound(index_dir)
    return open_build(build)


# --------------------------------------------------------------------------------------------
# Writing

@contextlib.contextmanager
def write_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index's write lock; a second reindex gets IndexLocked at once, not a wait.

    The lock is an flock: the kernel drops it when the holder dies, even by kill -9.
    """
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        fh = open(index_dir / LOCK, "a+", encoding="utf-8")
    except OSError as exc:
        raise IndexWriteError(f"Cannot write to {index_dir}: {exc.strerror}.") from None
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise IndexLocked(f"Another reindex of {index_dir} is running ({holder}). "
                              "Wait for it to finish, then run this again.") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}")
        fh.flush()
        _held_locks.add(fh.fileno())
        yield
    finally:
        _held_locks.discard(fh.fileno())
        fh.close()


_held_locks: set[int] = set()


def release_inherited_lock() -> None:
    """In a forked worker: close the copy of the write lock's descriptor that fork gave it.

    An flock belongs to the open file, which every forked child shares; without this, a worker
    that outlives a killed reindex would keep the index locked.
    """
    for fd in list(_held_locks):
        with contextlib.suppress(OSError):
            os.close(fd)
    _held_locks.clear()


def new_build(index_dir: Path, base: Build | None) -> Path:
    """Create a fresh build directory; start it as hard links to ``base`` when given."""
    name = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
    path = index_dir / BUILDS / name
    try:
        path.mkdir(parents=True)
        if base is None:
            whoosh_index.create_in(str(path), schema.build_schema())
        else:
            for src in base.path.iterdir():
                # The facet table is the base build's: the new build writes its own at publish.
                if src.is_file() and src.name not in (META, *table_file.FILES) \
                        and not src.name.endswith(("WRITELOCK", ".tmp")):
                    _link_or_copy(src, path / src.name)
    except OSError as exc:
        shutil.rmtree(path, ignore_errors=True)
        raise IndexWriteError(f"Cannot create a new build in {index_dir}: {exc.strerror}. "
                              "The previous index is unchanged.") from None
    return path


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def publish(index_dir: Path, build_path: Path, meta: dict) -> None:
    """Record ``meta`` and the facet table (``search.table_file``), sync the build to disk,
    then make it the live build atomically."""
    try:
        meta = {**meta, "fingerprint": analysis.fingerprint(),
                "schema_version": schema.SCHEMA_VERSION}
        # ASCII: the roots may be folder names with undecodable bytes (kept as \udcxx escapes).
        _write_durably(build_path / META, json.dumps(meta, indent=1))
        table_file.write(build_path)               # what facets and ranking read, mapped
        for f in build_path.iterdir():
            _fsync_file(f)
        _fsync_dir(build_path)
        _write_durably(index_dir / CURRENT, build_path.name + "\n")
    except OSError as exc:
        raise IndexWriteError(f"Cannot publish the new build in {index_dir}: {exc.strerror}. "
                              "The previous index is unchanged.") from None
    prune(index_dir)


def _write_durably(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        _fsync_file(path)


def prune(index_dir: Path, keep: int = 2) -> None:
    """Delete builds other than the live one and the one before it (call with the lock held)."""
    live = current_build(index_dir)
    builds = sorted((p for p in (index_dir / BUILDS).iterdir() if p.is_dir()),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    kept = {live.name} if live else set()
    for path in builds:
        if path.name in kept:
            continue
        if len(kept) < keep and (path / META).exists():
            kept.add(path.name)
            continue
        shutil.rmtree(path, ignore_errors=True)


def discard(build_path: Path) -> None:
    """Remove an unpublished build after a failure, closing what the writer left open.

    A Whoosh writer whose commit failed (a full disk) cannot close its own files: closing
    flushes, which fails again. Files still open would keep the deleted build's space in use.
    """
    _close_open_files_under(build_path)
    shutil.rmtree(build_path, ignore_errors=True)


def _close_open_files_under(folder: Path) -> None:
    import gc
    import io

    prefix = str(folder) + os.sep
    for obj in gc.get_objects():
        try:
            if isinstance(obj, io.IOBase) and not obj.closed and \
                    str(getattr(obj, "name", "")).startswith(prefix):
                with contextlib.suppress(Exception):
                    obj.close()            # a failed flush still closes the descriptor
        except ReferenceError:
            continue


# --------------------------------------------------------------------------------------------
# Reading, for long-lived processes

class Snapshot:
    """One live build as a request sees it: the build, this thread's searcher over it, and the
    build's per-build state (``state``). Unpacks as ``build, searcher``."""

    def __init__(self, live: "_LiveBuild", searcher):
        self.build, self.searcher, self._live = live.build, searcher, live

    def __iter__(self):
        return iter((self.build, self.searcher))

    def state(self, name: str, factory):
        """Return the build's ``name`` state, made once by ``factory()`` (other threads wait)."""
        return self._live.state(name, factory)


class _LiveBuild:
    """An opened build: its Whoosh index, one searcher per thread, per-build state, its users.

    Once a newer build is live and no request uses this one, ``close`` drops everything it
    holds, so the maps of its segment and postings files go and a pruned build's disk space
    is given back while the server runs.
    """

    def __init__(self, build: Build):
        self.build, self.ix = build, open_build(build)
        self.searchers: dict[int, object] = {}
        self.states: dict[str, object] = {}
        self.users = 0
        self.lock = threading.Lock()              # guards searchers, users and closing
        self.state_lock = threading.Lock()        # held while a state is made: others wait
        self.closed = False

    def searcher(self):
        key = threading.get_ident()
        with self.lock:
            found = self.searchers.get(key)
            if found is None:
                found = self.searchers[key] = self.ix.searcher()
            return found

    def state(self, name: str, factory):
        found = self.states.get(name)
        if found is None:
            with self.state_lock:
                found = self.states.get(name)
                if found is None:
                    found = self.states[name] = factory()
        return found

    def close(self) -> None:
        with self.lock:
            searchers, self.searchers, self.states, self.closed = self.searchers, {}, {}, True
            self.ix = None
        for searcher in searchers.values():
            with contextlib.suppress(Exception):
                searcher.close()


class IndexHandle:
    """The live index of a directory for a long-running reader (the web app).

    ``snapshot()`` returns the build that is live *now*: after a reindex publishes a new build,
    the next call switches to it without a restart. Searchers are kept per thread (Whoosh
    searchers belong to one thread) *inside* their build, and per-build state (the facet table)
    lives there too, made once. ``pinned()`` holds one snapshot for a whole request; an old
    build is closed as soon as no pinned request uses it.
    """

    def __init__(self, index_dir: Path):
        self.index_dir = index_dir
        self._local = threading.local()
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._live: _LiveBuild | None = None
        self._retired: list[_LiveBuild] = []

    def _current(self) -> _LiveBuild:
        try:
            st = os.stat(self.index_dir / CURRENT)
            stamp = (st.st_mtime_ns, st.st_ino, st.st_size)
        except OSError:
            stamp = None
        with self._lock:
            if stamp != self._stamp or self._live is None:
                build = current_build(self.index_dir)
                if build is None:
                    raise IndexNotFound(self.index_dir)
                if self._live is None or build.name != self._live.build.name:
                    if self._live is not None:
                        self._retired.append(self._live)
                    self._live = _LiveBuild(build)
                self._stamp = stamp
            live = self._live
        self._close_unused()
        return live

    def _close_unused(self) -> None:
        with self._lock:
            idle = [old for old in self._retired if old.users == 0]
            self._retired = [old for old in self._retired if old.users > 0]
        for old in idle:
            old.close()

    def build(self) -> Build:
        """Return the live build (reopening after a reindex)."""
        return self.snapshot().build

    def snapshot(self) -> Snapshot:
        """Return the live build and this thread's searcher over *that* build, together
        (the pinned one inside ``pinned()``).

        Use this, not ``build()`` then ``searcher()``: a reindex may publish between two calls.
        """
        pinned = getattr(self._local, "pinned", None)
        if pinned is not None:
            return pinned
        live = self._current()
        return Snapshot(live, live.searcher())

    @contextlib.contextmanager
    def pinned(self) -> Iterator[None]:
        """Serve every ``snapshot()`` of this thread from one build until the block ends."""
        if getattr(self._local, "pinned", None) is not None:
            yield                                           # already pinned by the caller
            return
        live = self._current()
        with self._lock:
            live.users += 1
        try:
            self._local.pinned = Snapshot(live, live.searcher())
            yield
        finally:
            self._local.pinned = None
            with self._lock:
                live.users -= 1
            self._close_unused()

    def open_builds(self) -> list[str]:
        """Names of the builds this handle still holds open (the live one and any in use)."""
        with self._lock:
            return [b.build.name for b in [*self._retired, self._live] if b is not None]

    def searcher(self):
        """Return this thread's searcher over the live build."""
        return self.snapshot().searcher
