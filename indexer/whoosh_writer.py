"""Every use of Whoosh's private writer API, in one place, with what each one assumes.

Our builds keep text postings beside each Whoosh segment (``search.postings``), so the build
path cannot use ``SegmentWriter.commit()`` as it is: it must commit the segments that worker
processes wrote, merge only what our policy chooses, and check that every segment has its
postings before the table of contents names it. That needs Whoosh's private steps. They are
those of whoosh-reloaded 2.7.5, which ``setup.cfg`` pins exactly; ``tests/test_whoosh_writer.py``
fails if an upgrade changes what is relied on here.

Assumptions, each checked by a test:

1. ``_finalize_segment()`` flushes, closes and assembles the writer's segment and returns it
   (``SegmentWriter`` writes the segment's postings file in its override).
2. ``_close_segment()`` closes the writer's files without making a segment (nothing added).
3. ``writer.segments`` is the list of the index's segments when the writer was opened (the
   ones its deletions apply to); ``_merge_segments(policy, None, None)`` would call
   ``policy(writer, writer.segments)``. We call the policy ourselves with the segments the
   worker processes wrote added, so that they are weighed for merging too; merged ones are
   read through ``add_reader`` (our override merges their postings).
4. ``_commit_toc(segments)`` writes the TOC naming exactly ``segments``, then ``clean_files``
   deletes every file whose name carries the id of a segment no longer listed: the postings
   file is named with ``segment.make_filename``, so postings of merged-away segments go too.
5. ``_finish()`` releases the writer (its lock, temporary storage, cached searcher).
6. The per-document writer keeps its columns (stored fields included) in
   ``perdocwriter._cols``, a ``CompoundWriter`` whose ``save_as_files`` copies each column out
   to its own file when the segment closes, through ``_readback()``. Whoosh leaves that file
   open when a write fails (a full disk leaked ``_stored.col``); ``close_files_on_failure``
   gives the writer a copy that closes it.
7. A segment reader's per-document reader (``reader._perdoc``, a ``W3PerDocReader``) caches
   the column readers it opened in ``_readers``, by column name (a field's lengths are the
   column ``_<field>_len``), and looks a column up on disk again each time it has none. Merging
   a segment asks each document's length in every field; our fields have no length column,
   so that was a file-exists call per document and field (half a million at 10,000 reports,
   about a fifth of a merge). ``remember_missing_lengths`` records the missing ones as None,
   which ``_cached_reader`` returns as "no column".
"""
from __future__ import annotations

from pathlib import Path

from whoosh.codec.whoosh3 import _lenfield

from search.postings import postings_path
from search.store import IndexWriteError
from search.text_store import texts_path


class MissingPostings(IndexWriteError):
    """A segment about to be committed has no postings file: the build would be damaged."""


def close_files_on_failure(writer) -> None:
    """Make ``writer``'s column files close even when writing them fails (assumption 6)."""
    columns = writer.perdocwriter._cols

    def save_as_files(storage, name_fn):
        for name, blocks in columns._readback():
            f = storage.create_file(name_fn(name))
            try:
                for block in blocks():
                    f.write(block)
            finally:
                f.close()
    columns.save_as_files = save_as_files


def remember_missing_lengths(reader) -> None:
    """Record, in a segment ``reader``, which fields have no length column (assumption 7)."""
    perdoc = reader._perdoc
    for name in reader.schema.names():
        column = _lenfield(name)
        if column not in perdoc._readers and not perdoc.has_column(column):
            perdoc._readers[column] = None


def finalize_segment(writer):
    """Finish the writer's segment and return it (assumption 1)."""
    return writer._finalize_segment()


def close_segment(writer) -> None:
    """Close a writer that added nothing (assumption 2)."""
    writer._close_segment()


def commit_segments(writer, segments: list, merge_policy) -> None:
    """Commit ``writer`` (its deletions, and the merges ``merge_policy`` chooses among the
    build's old segments and ``segments``, written by other writers) with what is left.

    :raises MissingPostings: a segment has no postings file; nothing is committed.
    """
    final = merge_policy(writer, [*writer.segments, *segments])       # assumption 3
    if writer._added:
        final.append(finalize_segment(writer))
    else:
        close_segment(writer)
    check_postings(writer.storage.folder, final)
    writer._commit_toc(final)                                          # assumption 4
    writer._finish()                                                   # assumption 5


def check_postings(folder: str, segments: list) -> None:
    """Raise ``MissingPostings`` unless every segment with documents has its postings file
    and its text file (``search.text_store``)."""
    for kind, path_of in (("text postings", postings_path), ("text file", texts_path)):
        missing = [s.segment_id() for s in segments
                   if s.doc_count_all() and not Path(path_of(folder, s)).exists()]
        if missing:
            raise MissingPostings(f"Segment(s) {', '.join(missing)} in {folder} have no {kind}: "
                                  "they were written by a plain Whoosh writer. The build is not "
                                  "published; run `policy-search index --rebuild`.")
