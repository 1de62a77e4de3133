"""Whoosh's segment writer, plus our text postings and report texts for each segment it writes.

Whoosh writes the documents (stored fields, facet columns, ids, deletions, the segment list);
the text fields' postings go to ``indexer.postings_builder.PostingsBuilder`` instead of Whoosh's
posting pool, and the reports' texts to ``indexer.text_builder.TextBuilder`` instead of Whoosh's
stored fields; both are written beside the segment when it is finalised. When small segments
are merged into the new one (``add_reader``), their postings and texts are merged the same way,
renumbered as Whoosh renumbers their documents (live documents in order). Which segments
are merged is decided by ``merge_small_segments``, so that a merge never needs more memory than
writing one segment does. (whoosh-reloaded is pinned to 2.7.x, whose writer this follows.)
"""
from __future__ import annotations

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
    """A ``whoosh.writing.SegmentWriter`` that also writes the segment's postings and texts."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        whoosh_writer.close_files_on_failure(self)       # a full disk leaks no column file
        self.postings = PostingsBuilder()
        self.texts = TextBuilder()

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
        super().add_reader(reader)
        self.postings.add_segment(SegmentPostings.of_segment(self.storage.folder, segment), live)
        self.texts.add_segment(SegmentTexts(texts_path(self.storage.folder, segment)), live)

    def _finalize_segment(self):
        segment = super()._finalize_segment()
        self.postings.write(postings_path(self.storage.folder, segment))
        self.texts.write(texts_path(self.storage.folder, segment))
        return segment


def merge_small_segments(writer, segments: list) -> list:
    """Merge policy: fold the small segments into the writer's new one, within the memory budget.

    Whoosh's own ``MERGE_SMALL`` decides by document counts against a Fibonacci series; with
    the equal-sized segments that the indexing workers write, it merged 40% of a 100,000-report
    index after one changed file (a minute, and 5 GB of postings in memory). Here a segment is
    small when merging it would need less than a quarter of ``writer_memory_mb``; the smallest
    are merged while their total stays within the budget, and only when there are two or more
    (one small segment alone is left as it is). Returns the segments left unmerged.
    """
    budget = settings.get("writer_memory_mb") * 1024 * 1024
    folder = writer.storage.folder
    sizes = {id(seg): _merge_bytes(folder, seg) for seg in segments}
    small = sorted((s for s in segments if sizes[id(s)] < budget // 4), key=lambda s: sizes[id(s)])
    chosen, total = [], 0
    for seg in small:
        if total + sizes[id(seg)] > budget:
            break
        chosen.append(seg)
        total += sizes[id(seg)]
    if len(chosen) < 2:
        return segments
    writer.texts.adopt(SegmentTexts(texts_path(folder, chosen[-1])))  # the largest: copied as is
    for seg in chosen:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        try:
            writer.add_reader(reader)
        finally:
            reader.close()
    return [s for s in segments if all(s is not c for c in chosen)]


def _merge_bytes(folder: str, segment) -> int:
    """Memory that merging ``segment`` would need; a segment whose text file is missing or
    damaged is never merged (as one whose postings are), so the reindex still publishes."""
    try:
        SegmentTexts(texts_path(folder, segment))
    except (OSError, ValueError):
        return 2 ** 62
    return merge_bytes(postings_path(folder, segment))
