"""Whoosh's segment writer, plus our text postings and report texts for each segment it writes.

Whoosh writes the documents (stored fields, facet columns, ids, deletions, the segment list);
the text fields' postings go to ``indexer.postings_builder.PostingsBuilder`` instead of Whoosh's
posting pool, and the reports' texts to ``indexer.text_builder.TextBuilder`` instead of Whoosh's
stored fields; both are written beside the segment when it is finalised. When small segments
are merged into the new one (``add_reader``), their postings and texts are merged the same way,
renumbered as Whoosh renumbers their documents (live documents in order). Which segments
are merged is decided by ``merge_small_segments``, within the memory budget
``merge_memory_mb``. (whoosh-reloaded is pinned to 2.7.x, whose writer this follows.)
"""
from __future__ import annotations

import concurrent.futures
import contextlib

import numpy as np
from whoosh import writing
from whoosh.reading import SegmentReader

from search import settings
from search.postings import FIELDS, SegmentPostings, postings_path
from search.names import printable
from search.text_store import SegmentTexts, texts_path
from indexer import whoosh_writer
from indexer.postings_builder import PostingsBuilder, merge_bytes
from indexer.text_builder import TextBuilder


class SegmentWriter(writing.SegmentWriter):
    """A ``whoosh.writing.SegmentWriter`` that also writes the segment's postings and texts.

    Merging a segment and finishing one are two jobs: Whoosh's (its stored fields, columns and
    ID terms: Python, holding the interpreter lock) and ours (decoding, sorting and packing
    the positions, compressing texts: numpy and zstd, which release it most of the time). Ours
    runs in a thread of the writer's own beside Whoosh's, in the order it was asked: at 2,000
    reports a merge of two segments took 10.5 s one after the other, about half of it each
    (bench/README.md, "Segments"). The postings file is written only after Whoosh has
    assembled its compound file, which takes every file named after the segment.
    """

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        whoosh_writer.close_files_on_failure(self)       # a full disk leaks no column file
        self.postings = PostingsBuilder()
        self.texts = TextBuilder()
        self._side: concurrent.futures.ThreadPoolExecutor | None = None
        self._pending: list[concurrent.futures.Future] = []

    def _beside(self, job, *args) -> concurrent.futures.Future:
        """Run ``job`` in the writer's thread, after the jobs asked before it."""
        if self._side is None:
            self._side = concurrent.futures.ThreadPoolExecutor(1, "segment-postings")
        future = self._side.submit(job, *args)
        self._pending.append(future)
        return future

    def _wait(self, raising: bool = True) -> None:
        """Wait for every job of the thread; raise the first one's error unless told not to
        (when another error is already on its way)."""
        pending, self._pending = self._pending, []
        errors = [f.exception() for f in pending]
        if self._side is not None:
            self._side.shutdown(wait=True)
            self._side = None
        first = next((e for e in errors if e is not None), None)
        if first is not None and raising:
            raise first

    @property
    def nbytes(self) -> int:
        """Memory the segment's postings will need at their peak, and its texts hold: a
        segment is closed when this passes ``writer_memory_mb``."""
        return self.postings.nbytes + self.texts.nbytes

    def add_document(self, **fields):
        """Add one report; its ``path`` is stored with undecodable bytes escaped (Whoosh terms
        must be valid UTF-8), and deletions go by ``id``, which the real path determines. Its
        text (``_stored_content``, else ``content``) goes to the segment's text file: the
        schema's ``content`` is not stored by Whoosh."""
        docnum = self.docnum
        text = fields.get("_stored_content", fields.get("content"))
        super().add_document(**{**fields, "path": printable(fields["path"])})
        self.postings.add(docnum, {name: fields.get(name) for name in FIELDS})
        self.texts.add(docnum, str(text or ""))

    def add_reader(self, reader):
        segment = reader.segment()
        live = np.ones(segment.doc_count_all(), dtype=bool)
        live[list(segment.deleted_docs())] = False
        whoosh_writer.remember_missing_lengths(reader)
        self._beside(self._add_ours, segment, live)
        try:
            super().add_reader(reader)
        except BaseException:
            self._wait(raising=False)
            raise

    def _add_ours(self, segment, live: np.ndarray) -> None:
        folder = self.storage.folder
        self.postings.add_segment(SegmentPostings.of_segment(folder, segment), live)
        self.texts.add_segment(SegmentTexts(texts_path(folder, segment)), live)

    def _finish_ours(self):
        self.texts.finish()
        return self.postings.finish()

    def _finalize_segment(self):
        finished = self._beside(self._finish_ours)
        try:
            segment = super()._finalize_segment()
        except BaseException:
            self._wait(raising=False)
            raise
        self._wait()
        self.postings.write(postings_path(self.storage.folder, segment), finished.result())
        self.texts.write(texts_path(self.storage.folder, segment))
        return segment

    def cancel(self):
        self._wait(raising=False)          # nothing of ours runs on after a cancel
        super().cancel()


def merge_small_segments(writer, segments: list, ix=None) -> list:
    """Merge policy: fold the small segments into as few segments as the merge budget allows.

    Fewer segments answer faster: every term is looked up once per segment, so a query over
    the 8 segments that two indexing workers write for 10,000 reports takes about 1.5 times
    as long as over one (bench/README.md, "Segments"). But a merge holds the merged postings
    in memory, so a segment is *small* when merging it would need less than a quarter of
    ``merge_memory_mb``; the small ones, smallest first, are packed into groups whose merge
    fits the budget, and each group of two or more becomes one segment: the first group is
    merged into ``writer``'s own new segment, the others (merged first, so that only one
    group's postings are in memory at a time) through a writer of their own on ``ix``. A
    segment that is not small is never merged again, so a later reindex of a few files merges
    at most ``merge_memory_mb`` of postings. (Whoosh's own ``MERGE_SMALL`` decides by document
    counts against a Fibonacci series; with equal-sized worker segments it merged 40% of a
    100,000-report index after one changed file: a minute, and 5 GB of postings in memory.)

    Returns the segments to commit besides ``writer``'s own: those left unmerged and the new
    ones the other groups made.
    """
    budget = settings.get("merge_memory_mb") * 1024 * 1024
    folder = writer.storage.folder
    sizes = {id(seg): _merge_bytes(folder, seg) for seg in segments}
    small = sorted((s for s in segments if sizes[id(s)] < budget // 4), key=lambda s: sizes[id(s)])
    groups, total = [[]], 0
    for seg in small:
        if total + sizes[id(seg)] > budget:
            groups.append([])
            total = 0
        groups[-1].append(seg)
        total += sizes[id(seg)]
    groups = [g for g in groups if len(g) >= 2]
    if ix is None:
        groups = groups[:1]                 # no index to open more writers on: one group
    merged = [seg for group in groups for seg in group]
    left = [s for s in segments if all(s is not m for m in merged)]
    for group in groups[1:]:
        extra = SegmentWriter(ix, _lk=False, limitmb=64)
        try:
            _merge_into(extra, group)
            left.append(whoosh_writer.finalize_segment(extra))
        except BaseException:
            with contextlib.suppress(Exception):
                whoosh_writer.close_segment(extra)
            raise
    if groups:
        _merge_into(writer, groups[0])
    return left


def _merge_into(writer, group: list) -> None:
    """Merge the segments of ``group`` (smallest first) into ``writer``'s new segment, which
    takes the largest one's dictionary: that one's texts are copied as they are."""
    writer.texts.adopt(SegmentTexts(texts_path(writer.storage.folder, group[-1])))
    for seg in group:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        try:
            writer.add_reader(reader)
        finally:
            reader.close()


def _merge_bytes(folder: str, segment) -> int:
    """Memory that merging ``segment`` would need; a segment whose text file is missing or
    damaged is never merged (as one whose postings are), so the reindex still publishes."""
    try:
        SegmentTexts(texts_path(folder, segment))
    except (OSError, ValueError):
        return 2 ** 62
    return merge_bytes(postings_path(folder, segment))
