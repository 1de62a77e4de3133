"""Build the postings file of one new segment (the format is ``search.postings``'s).

Documents arrive one by one from the segment writer, or as whole segments that Whoosh merges
into the new one. Nothing is sorted until the end: then one ``np.sort`` of packed keys orders
every bigram token of the segment by code and position, and the arrays are written at once.
"""
from __future__ import annotations

import os

import numpy as np

from search.analysis import CODE_BITS, Analyzed, analyze
from search.postings import FIELDS, FieldPostings, SegmentPostings, write_arrays

_SHIFT = np.uint64(CODE_BITS)


class PostingsBuilder:
    """Collects the postings of one new segment, document by document, then writes them once.

    Documents are numbered from 0 in the segment and must come in order, exactly as the Whoosh
    writer numbers them: ``add`` for a new report, ``add_segment`` for the live documents of a
    segment that is being merged into this one.
    """

    def __init__(self):
        self.docs = 0
        self._fields = {name: _FieldBuilder() for name in FIELDS}

    @property
    def nbytes(self) -> int:
        """Memory the postings will need while they are written (about 3.5× what they hold)."""
        return sum(f.nbytes for f in self._fields.values())

    def add(self, docnum: int, values: dict) -> None:
        """Add document ``docnum``: ``values`` maps field names to text (or ``Segmented``)."""
        if docnum != self.docs:
            raise ValueError(f"postings for document {docnum} came after {self.docs - 1}")
        for name, builder in self._fields.items():
            text = values.get(name)
            builder.add_doc(docnum, analyze(text) if text else None)
        self.docs += 1

    def add_segment(self, postings: SegmentPostings, live: np.ndarray) -> None:
        """Append the documents of ``postings`` where ``live`` is set, in order, renumbered."""
        for name, builder in self._fields.items():
            builder.add_merged(self.docs, postings.field(name), live)
        self.docs += int(np.count_nonzero(live))

    def write(self, path: str | os.PathLike) -> None:
        """Write the postings file (the directory entry is synced by ``store.publish``)."""
        arrays = {}
        for name, builder in self._fields.items():
            for key, array in builder.finish(self.docs).items():
                arrays[f"{name}.{key}"] = array
        write_arrays(path, arrays, {"docs": self.docs})


class _FieldBuilder:
    """The postings of one text field while a segment is being written."""

    def __init__(self):
        self.codes, self.positions = [], []     # per chunk: codes, and their positions (an
        self.words, self.wdocs, self.wtf = [], [], []    # int: consecutive from there on)
        self.starts, self.lengths = [], []
        self.next = 0                           # the next free position of the stream
        self.nbytes = 0

    def add_doc(self, docnum: int, analyzed: Analyzed | None) -> None:
        self.starts.append(self.next)
        if analyzed is None:
            self.lengths.append(0)
            self.next += 1
            return
        codes = analyzed.bigrams
        self.codes.append(codes)
        self.positions.append(self.next)
        self.next += len(codes) + 1
        words, tf = np.unique(analyzed.words, return_counts=True)
        self.words.append(words)
        self.wdocs.append(np.full(len(words), docnum, dtype=np.uint32))
        self.wtf.append(tf.astype(np.uint32))
        self.lengths.append(len(analyzed.words))
        self.nbytes += int(3.5 * (12 * len(codes) + 16 * len(words)))

    def add_merged(self, first: int, field: FieldPostings, live: np.ndarray) -> None:
        """Append the live documents of an existing segment's field, starting at doc ``first``."""
        old_starts = field.starts.astype(np.int64)
        sizes = np.diff(old_starts)                         # tokens + 1 per old document
        new_starts = self.next + np.concatenate(([0], np.cumsum(sizes[live])[:-1]))
        shift = np.full(len(live), -1, dtype=np.int64)
        shift[live] = new_starts - old_starts[:-1][live]
        counts = np.diff(field.ptr.astype(np.int64))
        codes = np.repeat(field.codes, counts)
        old_pos = field.positions.astype(np.int64)
        doc = np.searchsorted(old_starts, old_pos, side="right") - 1
        keep = live[doc]
        self.codes.append(codes[keep])
        self.positions.append(old_pos[keep] + shift[doc[keep]])
        self.starts.extend(new_starts.tolist())
        self.lengths.extend(field.lengths[live].tolist())
        self.next += int(sizes[live].sum())
        renumber = np.cumsum(live) - 1 + first
        word_counts = np.diff(field.wptr.astype(np.int64))
        wdoc = field.wdocs.astype(np.int64)
        wkeep = live[wdoc]
        self.words.append(np.repeat(field.words, word_counts)[wkeep])
        self.wdocs.append(renumber[wdoc[wkeep]].astype(np.uint32))
        self.wtf.append(field.wtf[wkeep])
        self.nbytes += int(3.5 * (12 * int(keep.sum()) + 16 * int(wkeep.sum())))

    def finish(self, docs: int) -> dict[str, np.ndarray]:
        codes, positions = self._all_tokens()
        wide = self.next >= 2 ** 32
        codes, ptr, positions = _group_by_code(codes, positions, wide)
        words = _concat(self.words, np.uint64)
        order = np.argsort(words, kind="stable")
        words, wdocs, wtf = (words[order], _concat(self.wdocs, np.uint32)[order],
                             _concat(self.wtf, np.uint32)[order])
        distinct, wptr = _runs(words)
        starts = np.array(self.starts + [self.next], dtype=np.uint64 if wide else np.uint32)
        if len(self.lengths) != docs:
            raise ValueError(f"{len(self.lengths)} documents in a field of a {docs}-doc segment")
        return {"codes": codes, "ptr": ptr, "positions": positions, "starts": starts,
                "words": distinct, "wptr": wptr, "wdocs": wdocs, "wtf": wtf,
                "lengths": np.array(self.lengths, dtype=np.uint32)}

    def _all_tokens(self) -> tuple[np.ndarray, np.ndarray]:
        positions = [np.arange(given, given + len(codes), dtype=np.int64)
                     if isinstance(given, int) else given
                     for codes, given in zip(self.codes, self.positions)]
        return _concat(self.codes, np.uint64), _concat(positions, np.int64)


def _concat(parts: list, dtype) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype)


def _runs(sorted_values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the distinct values of a sorted array and where each one's run begins (+ end)."""
    if not len(sorted_values):
        return sorted_values[:0], np.zeros(1, dtype=np.int64)
    begins = np.flatnonzero(sorted_values[1:] != sorted_values[:-1]) + 1
    begins = np.concatenate(([0], begins))
    return sorted_values[begins], np.append(begins, len(sorted_values)).astype(np.int64)


def _group_by_code(codes: np.ndarray, positions: np.ndarray, wide: bool):
    """Sort tokens by (code, position); return distinct codes, their run starts, positions.

    ``np.sort`` of one uint64 array is many times faster than an argsort, so when the segment's
    characters number at most 65,536 and its positions fit in 32 bits, each token becomes one
    number: the code's rank among the pairs of characters that occur, then the position.
    """
    if not len(codes):
        return codes, np.zeros(1, dtype=np.int64), positions.astype(np.uint32)
    first, second = codes >> _SHIFT, codes & np.uint64((1 << CODE_BITS) - 1)
    alphabet = np.unique(np.concatenate((first, second)))
    if len(alphabet) <= 65536 and not wide:
        rank = np.zeros(int(alphabet[-1]) + 1, dtype=np.uint64)
        rank[alphabet] = np.arange(len(alphabet), dtype=np.uint64)
        size = np.uint64(len(alphabet))
        keys = ((rank[first] * size + rank[second]) << np.uint64(32)) | positions.astype(np.uint64)
        keys.sort()
        packed, ptr = _runs(keys >> np.uint64(32))
        distinct = ((alphabet[packed // size] << _SHIFT) | alphabet[packed % size])
        return distinct.astype(np.uint64), ptr, (keys & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    order = np.lexsort((positions, codes))
    distinct, ptr = _runs(codes[order])
    return distinct, ptr, positions[order].astype(np.uint64 if wide else np.uint32)
