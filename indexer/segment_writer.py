"""Whoosh's segment writer, plus our text postings for each segment it writes.

Whoosh writes the documents (stored fields, facet columns, ids, deletions, the segment list);
the text fields' postings go to ``indexer.postings_builder.PostingsBuilder`` instead of Whoosh's posting
pool, and are written beside the segment when it is finalised. When Whoosh merges small
segments into the new one (``add_reader``), their postings are merged the same way, renumbered
as Whoosh renumbers their documents (live documents in order). (whoosh-reloaded is pinned to
2.7.x, whose writer this follows.)
"""
from __future__ import annotations

import numpy as np
from whoosh import writing

from search.postings import FIELDS, SegmentPostings, postings_path
from indexer.postings_builder import PostingsBuilder


class SegmentWriter(writing.SegmentWriter):
    """A ``whoosh.writing.SegmentWriter`` that also writes the segment's postings file."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        self.postings = PostingsBuilder()

    def add_document(self, **fields):
        docnum = self.docnum
        super().add_document(**fields)
        self.postings.add(docnum, {name: fields.get(name) for name in FIELDS})

    def add_reader(self, reader):
        segment = reader.segment()
        live = np.ones(segment.doc_count_all(), dtype=bool)
        live[list(segment.deleted_docs())] = False
        super().add_reader(reader)
        self.postings.add_segment(SegmentPostings.of_segment(self.storage.folder, segment), live)

    def _finalize_segment(self):
        segment = super()._finalize_segment()
        self.postings.write(postings_path(self.storage.folder, segment))
        return segment
