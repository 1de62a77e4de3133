"""Whoosh's segment writer, with field lengths read once per segment instead of per posting.

When a segment is flushed, Whoosh's ``FieldWriter.add_postings`` asks the per-document reader
for the field length of the posting's document, for *every* posting (about 4,000 per report),
and each answer is a seek and a read in the length column: 19 ms of every report's 210 ms of
indexing. ``SegmentWriter`` here hands it a table that reads each field's column once.
(whoosh-reloaded is pinned to 2.7.x, whose writer this follows.)
"""
from __future__ import annotations

from whoosh import writing


class SegmentWriter(writing.SegmentWriter):
    """A ``whoosh.writing.SegmentWriter`` whose flush looks field lengths up in memory."""

    def _flush_segment(self):
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = _Lengths(reader) if reader is not None else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if reader is not None:
            reader.close()


class _Lengths:
    """``doc_field_length`` answered from each field's lengths, read once."""

    def __init__(self, reader):
        self.reader = reader
        self.columns: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        column = self.columns.get(fieldname)
        if column is None:
            count = self.reader.doc_count_all()
            column = self.columns[fieldname] = [
                self.reader.doc_field_length(d, fieldname, default) for d in range(count)]
        return column[docnum]
