"""Build the postings file of one new segment (the format is ``search.postings``'s).

Documents arrive one by one from the segment writer, or as whole segments that Whoosh merges
into the new one. Nothing is sorted until the end: then one ``np.sort`` of packed keys orders
every bigram token of the segment by code and position, and the arrays are written at once.
"""
from __future__ import annotations

import os

import numpy as np

from search.analysis import CODE_BITS, Analyzed, analyze
from search import packed
from search.postings import (FIELDS, VERSION, FieldPostings, SegmentPostings, read_header,
                             write_arrays)
from search.split import split

_SHIFT = np.uint64(CODE_BITS)
_LOW = np.uint64((1 << CODE_BITS) - 1)
_TOKEN_BYTES = 16        # per bigram token: its code while held, its key while sorted
_WORD_BYTES = 56         # per word posting: held, gathered, ordered, reordered


def merge_bytes(path: str | os.PathLike) -> int:
    """Memory that merging the postings file at ``path`` into a new segment would need."""
    try:
        header = read_header(path)
        if header.get("version") != VERSION:
            raise ValueError("another format")
        return sum(_TOKEN_BYTES * header["fields"][name]["tokens"]
                   + _WORD_BYTES * header["fields"][name]["postings"] for name in FIELDS)
    except (OSError, ValueError, KeyError):     # missing, damaged or of another format: never
        return 2 ** 62                          # merged, so the reindex still publishes


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
        """Memory the postings will need at their peak, while they are written."""
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

    def finish(self) -> tuple[dict[str, np.ndarray], dict]:
        """Sort and pack every field: the arrays and the header ``write`` writes. (The work of
        writing, apart from the file itself: ``SegmentWriter`` does it while Whoosh finishes its
        own files.)"""
        arrays, fields = {}, {}
        for name, builder in self._fields.items():
            found, fields[name] = builder.finish(self.docs)
            for key, array in found.items():
                arrays[f"{name}.{key}"] = array
        return arrays, {"docs": self.docs, "fields": fields}

    def write(self, path: str | os.PathLike,
              finished: tuple[dict[str, np.ndarray], dict] | None = None) -> None:
        """Write the postings file (``finished``: what ``finish`` returned, else it is done
        here); the directory entry is synced by ``store.publish``."""
        write_arrays(path, *(finished or self.finish()))


class _FieldBuilder:
    """The postings of one text field while a segment is being written."""

    def __init__(self):
        self.codes, self.positions = [], []     # per chunk: codes, and their positions (an
        self.words, self.wdocs, self.wtf = [], [], []    # int: consecutive from there on)
        self.starts, self.lengths = [], []
        self.next = 0                           # the next free position of the stream
        self.tokens = 0
        self.nbytes = 0
        self.present = np.zeros(1 << CODE_BITS, dtype=bool)    # characters seen, 0: "alone"

    def add_doc(self, docnum: int, analyzed: Analyzed | None) -> None:
        self.starts.append(self.next)
        if analyzed is None:
            self.lengths.append(0)
            self.next += 1
            return
        codes = analyzed.bigrams
        self._add_tokens(codes, self.next)
        self.next += len(codes) + 1
        words, tf = np.unique(analyzed.words, return_counts=True)
        self._add_words(words, np.full(len(words), docnum, dtype=np.uint32), tf.astype(np.uint32))
        self.lengths.append(len(analyzed.words))

    def _add_tokens(self, codes: np.ndarray, positions) -> None:
        self.codes.append(codes)
        self.positions.append(positions)
        self.present[codes >> _SHIFT] = True
        self.present[codes & _LOW] = True
        self.tokens += len(codes)
        self.nbytes += _TOKEN_BYTES * len(codes)

    def _add_words(self, words: np.ndarray, docs: np.ndarray, tf: np.ndarray) -> None:
        self.words.append(words)
        self.wdocs.append(docs)
        self.wtf.append(tf)
        self.nbytes += _WORD_BYTES * len(words)

    def add_merged(self, first: int, field: FieldPostings, live: np.ndarray) -> None:
        """Append the live documents of an existing segment's field, starting at doc ``first``."""
        old_starts = field.starts.astype(np.int64)
        sizes = np.diff(old_starts)                         # tokens + 1 per old document
        new_starts = self.next + np.cumsum(sizes[live]) - sizes[live]
        shift = np.full(len(live), -1, dtype=np.int64)
        shift[live] = new_starts - old_starts[:-1][live]
        counts = np.diff(field.ptr.values())
        codes = np.repeat(field.bigram_codes(), counts)
        old_pos = field.all_positions()
        doc = np.searchsorted(old_starts, old_pos, side="right") - 1
        keep = live[doc]
        self._add_tokens(codes[keep], old_pos[keep] + shift[doc[keep]])
        self.starts.extend(new_starts.tolist())
        self.lengths.extend(field.lengths[live].tolist())
        self.next += int(sizes[live].sum())
        renumber = np.cumsum(live) - 1 + first
        word_counts = np.diff(field.word_ptr())
        wdoc = field.wdocs()
        wkeep = live[wdoc]
        self._add_words(np.repeat(field.words, word_counts)[wkeep],
                        renumber[wdoc[wkeep]].astype(np.uint32), field.wtf()[wkeep])

    def finish(self, docs: int) -> tuple[dict[str, np.ndarray], dict]:
        """The field's arrays (``search.postings``' format) and its header entry."""
        alphabet, keys, ptr, positions = self._grouped_tokens()
        position_dtype = positions.dtype.name
        pos = packed.pack(positions, ptr[:-1][np.diff(ptr) > 0])
        tokens = len(positions)
        del positions
        words = _concat(self.words, np.uint64)
        order = np.argsort(words, kind="stable")     # documents stay ascending within a word
        words, wdocs, wtf = (words[order], _concat(self.wdocs, np.uint32)[order],
                             _concat(self.wtf, np.uint32)[order])
        self.words = self.wdocs = self.wtf = []
        distinct, wptr = _runs(words)
        starts = np.array(self.starts + [self.next], dtype=position_dtype)
        if len(self.lengths) != docs:
            raise ValueError(f"{len(self.lengths)} documents in a field of a {docs}-doc segment")
        arrays = {"alphabet": alphabet.astype(np.uint32),
                  **_named("codes", split(keys)), **_named("ptr", split(ptr)),
                  **_named("pos", pos), "starts": starts, "words": distinct,
                  **_named("wptr", split(wptr)),
                  **_named("wdocs", packed.pack(wdocs, wptr[:-1][np.diff(wptr) > 0])),
                  **_named("wtf", packed.pack(wtf - 1, None)),        # counts are at least 1
                  "lengths": np.array(self.lengths, dtype=np.uint32)}
        return arrays, {"position_dtype": position_dtype, "tokens": tokens,
                        "postings": int(len(wdocs))}

    def _grouped_tokens(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Sort every token by (code, position); return the characters, the distinct codes as
        keys over them (``rank1 * len(alphabet) + rank2``), run starts, positions.

        ``np.sort`` of one uint64 array is many times faster than an argsort, so each token
        becomes one number: its code's rank among the pairs of characters that occur, then its
        position. The chunks are turned into keys one by one and let go, so the peak is about
        16 bytes a token. A segment with more than 65,536 distinct characters, or positions
        past 32 bits, takes the general path (``_group_by_code``).
        """
        alphabet = np.flatnonzero(self.present).astype(np.uint64)
        wide = self.next >= 2 ** 32
        if wide or len(alphabet) > 65536 or not self.tokens:
            positions = [np.arange(p, p + len(c), dtype=np.int64) if isinstance(p, int) else p
                         for c, p in zip(self.codes, self.positions)]
            distinct, ptr, positions = _group_by_code(_concat(self.codes, np.uint64),
                                                      _concat(positions, np.int64), wide)
            return (*_keys_of(distinct), ptr, positions)
        rank = np.zeros(int(alphabet[-1]) + 1, dtype=np.uint64)
        rank[alphabet] = np.arange(len(alphabet), dtype=np.uint64)
        size = np.uint64(len(alphabet))
        keys, at = np.empty(self.tokens, dtype=np.uint64), 0
        for i, (codes, given) in enumerate(zip(self.codes, self.positions)):
            key = keys[at:at + len(codes)]
            np.multiply(rank[codes >> _SHIFT], size, out=key)
            key += rank[codes & _LOW]
            key <<= np.uint64(32)
            key |= (np.arange(given, given + len(codes), dtype=np.uint64)
                    if isinstance(given, int) else given.astype(np.uint64))
            at += len(codes)
            self.codes[i] = self.positions[i] = None
        keys.sort()
        positions = keys.astype(np.uint32)                 # the low 32 bits
        keys >>= np.uint64(32)
        packed, ptr = _runs(keys)
        del keys
        return alphabet, packed, ptr, positions


def _keys_of(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The characters of sorted distinct bigram ``codes``, and each code as a key over them."""
    first, second = codes >> _SHIFT, codes & _LOW
    alphabet = np.unique(np.concatenate((first, second)))
    size = np.uint64(len(alphabet))
    keys = (np.searchsorted(alphabet, first).astype(np.uint64) * size
            + np.searchsorted(alphabet, second).astype(np.uint64))
    return alphabet, keys


def _named(name: str, arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {f"{name}.{key}": a for key, a in arrays.items()}


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
    """The general path of ``_grouped_tokens``: an argsort by (code, position)."""
    order = np.lexsort((positions, codes))
    distinct, ptr = _runs(codes[order])
    return distinct, ptr, positions[order].astype(np.uint64 if wide else np.uint32)
