"""Text postings as flat numpy arrays: one file per Whoosh segment, read in place through mmap.

Whoosh's own W3 postings pickle each block of 128 postings as a tuple of Python ints, positions
included. Writing them cost about 30 ms of Python per report (4,000 postings), and listing the
documents of a common bigram meant unpickling every one of its positions. Here the postings of a
segment are a few flat arrays, written with one sort and read with ``searchsorted``; Whoosh
keeps the documents themselves (stored fields, facet columns, ids, deletions, the segment list).

For each text field (``content``, ``title``) a segment holds:

=============  ==========================================================================
``codes``      sorted uint64 codes of the distinct bigram tokens (``analysis.bigram_codes``)
``ptr``        where each code's positions begin in ``positions`` (one more entry at the end)
``positions``  uint32 (uint64 when a segment outgrows that) token positions, sorted per code
``starts``     document *d* holds the positions ``starts[d]`` up to ``starts[d + 1] - 1``;
               one empty position lies between documents, so no phrase spans two of them
``words``      sorted uint64 hashes of the distinct jieba words (``analysis.word_hashes``)
``wptr``       where each word's postings begin in ``wdocs``/``wtf``
``wdocs``      uint32 document numbers (of the segment), ascending per word
``wtf``        uint32 occurrences of the word in the document
``lengths``    uint32 per document: its number of jieba words (the BM25 length)
=============  ==========================================================================

The file sits beside the segment's compound file and is named like it (``MAIN_<id>.ptx``), so
Whoosh's own clean-up deletes it with its segment, and a new build hard-links it with the rest.
Nothing is visible before ``store.publish``, so a file is complete whenever a reader sees it.
"""
from __future__ import annotations

import json
import mmap
import os
import struct
from pathlib import Path

import numpy as np

from search.analysis import CODE_BITS, Analyzed, analyze

EXT = ".ptx"
FIELDS = ("content", "title")
VERSION = 1
_MAGIC = b"PSPOSTS\x01"
_ALIGN = 64
_SHIFT = np.uint64(CODE_BITS)
_EMPTY = np.zeros(0, dtype=np.uint32)


def postings_path(folder: str | os.PathLike, segment) -> Path:
    """Where the postings of a Whoosh ``segment`` live in the index folder ``folder``."""
    return Path(folder) / segment.make_filename(EXT)


# --------------------------------------------------------------------------------------------
# Writing

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

    def add_segment(self, postings: "SegmentPostings", live: np.ndarray) -> None:
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

    def add_merged(self, first: int, field: "FieldPostings", live: np.ndarray) -> None:
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


# --------------------------------------------------------------------------------------------
# The file: a small JSON header, then the arrays, each aligned for direct use from the map

def write_arrays(path: str | os.PathLike, arrays: dict[str, np.ndarray], extra: dict) -> None:
    """Write ``arrays`` (native little-endian) and ``extra`` into one file at ``path``."""
    layout, offset = {}, 0
    for name, array in arrays.items():
        offset = -(-offset // _ALIGN) * _ALIGN
        layout[name] = [array.dtype.str, offset, int(array.size)]
        offset += array.nbytes
    header = json.dumps({"version": VERSION, "arrays": layout, **extra}).encode()
    body_at = -(-(len(_MAGIC) + 8 + len(header)) // _ALIGN) * _ALIGN
    with open(path, "wb") as fh:
        fh.write(_MAGIC + struct.pack("<Q", len(header)) + header)
        for name, array in arrays.items():
            fh.seek(body_at + layout[name][1])
            fh.write(np.ascontiguousarray(array).tobytes())
        fh.truncate(body_at + offset)
        fh.flush()
        os.fsync(fh.fileno())


def read_arrays(path: str | os.PathLike) -> tuple[dict[str, np.ndarray], dict]:
    """Map the file at ``path``; return its arrays (read-only views of the map) and header."""
    with open(path, "rb") as fh:
        mapping = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    if mapping[:len(_MAGIC)] != _MAGIC:
        raise ValueError(f"{path} is not a postings file")
    (size,) = struct.unpack_from("<Q", mapping, len(_MAGIC))
    header = json.loads(mapping[len(_MAGIC) + 8:len(_MAGIC) + 8 + size])
    body_at = -(-(len(_MAGIC) + 8 + size) // _ALIGN) * _ALIGN
    arrays = {name: np.frombuffer(mapping, dtype=np.dtype(dtype), count=count,
                                  offset=body_at + offset)
              for name, (dtype, offset, count) in header["arrays"].items()}
    return arrays, header


# --------------------------------------------------------------------------------------------
# Reading

class FieldPostings:
    """The postings of one text field in one segment (arrays are views of the file's map)."""

    def __init__(self, arrays: dict[str, np.ndarray], docs: int):
        self.docs = docs
        self.codes, self.ptr, self.positions = arrays["codes"], arrays["ptr"], arrays["positions"]
        self.starts, self.lengths = arrays["starts"], arrays["lengths"]
        self.words, self.wptr = arrays["words"], arrays["wptr"]
        self.wdocs, self.wtf = arrays["wdocs"], arrays["wtf"]

    @classmethod
    def empty(cls, docs: int) -> "FieldPostings":
        none = {"codes": np.zeros(0, np.uint64), "ptr": np.zeros(1, np.int64),
                "positions": _EMPTY, "starts": np.arange(docs + 1, dtype=np.uint32),
                "lengths": np.zeros(docs, np.uint32), "words": np.zeros(0, np.uint64),
                "wptr": np.zeros(1, np.int64), "wdocs": _EMPTY, "wtf": _EMPTY}
        return cls(none, docs)

    def token_positions(self, code: int, prefix: bool = False) -> np.ndarray:
        """Sorted positions of one bigram code, or of every code that starts with its character."""
        if prefix:
            first = np.uint64(int(code) >> CODE_BITS)
            lo, hi = np.searchsorted(self.codes, [first << _SHIFT, (first + np.uint64(1)) << _SHIFT])
            return np.sort(self.positions[self.ptr[lo]:self.ptr[hi]])
        i = int(np.searchsorted(self.codes, np.uint64(code)))
        if i == len(self.codes) or self.codes[i] != code:
            return self.positions[:0]
        return self.positions[self.ptr[i]:self.ptr[i + 1]]

    def phrase_counts(self, codes: np.ndarray, open_end: bool, breaks=()) -> np.ndarray:
        """Occurrences of the token sequence ``codes`` in each document (dense, int64).

        ``breaks`` are ``(offset, code)`` pairs: at that offset either token counts. The
        rarest token's positions are the candidates; each other token must sit at the
        candidate position plus its offset in the sequence (a membership test by binary search).
        """
        last = len(codes) - 1
        lists = [self.token_positions(c, open_end and j == last)
                 for j, c in enumerate(codes.tolist())]
        for j, other in breaks:
            lists[j] = np.union1d(lists[j], self.token_positions(other))
        if any(not len(p) for p in lists):
            return np.zeros(self.docs, dtype=np.int64)
        order = sorted(range(len(lists)), key=lambda j: len(lists[j]))
        start = lists[order[0]].astype(np.int64) - order[0]
        start = start[start >= 0]
        for j in order[1:]:
            target = lists[j]
            probe = (start + j).astype(target.dtype)
            at = np.searchsorted(target, probe)
            hit = at < len(target)
            hit[hit] = target[at[hit]] == probe[hit]
            start = start[hit]
            if not len(start):
                break
        bounds = np.searchsorted(start, self.starts.astype(np.int64))
        return np.diff(bounds)

    def word_counts(self, word: int) -> np.ndarray:
        """Occurrences of one jieba word (by hash) in each document (dense, int64)."""
        out = np.zeros(self.docs, dtype=np.int64)
        i = int(np.searchsorted(self.words, np.uint64(word)))
        if i < len(self.words) and self.words[i] == word:
            lo, hi = self.wptr[i], self.wptr[i + 1]
            out[self.wdocs[lo:hi]] = self.wtf[lo:hi]
        return out

    def word_frequencies(self, words: np.ndarray) -> np.ndarray:
        """Document frequency of each of ``words`` (hashes) in this segment."""
        at = np.searchsorted(self.words, words)
        found = at < len(self.words)
        found[found] = self.words[at[found]] == words[found]
        df = np.zeros(len(words), dtype=np.int64)
        df[found] = self.wptr[at[found] + 1] - self.wptr[at[found]]
        return df


class SegmentPostings:
    """The postings file of one segment."""

    def __init__(self, fields: dict[str, FieldPostings], docs: int):
        self.docs, self._fields = docs, fields

    @classmethod
    def open(cls, path: str | os.PathLike) -> "SegmentPostings":
        arrays, header = read_arrays(path)
        docs = int(header["docs"])
        return cls({name: FieldPostings({key.split(".", 1)[1]: a for key, a in arrays.items()
                                         if key.startswith(name + ".")}, docs)
                    for name in FIELDS}, docs)

    @classmethod
    def of_segment(cls, folder: str | os.PathLike, segment) -> "SegmentPostings":
        """Open a segment's postings; a segment without them (an old build) has none."""
        path = postings_path(folder, segment)
        docs = segment.doc_count_all()
        if not path.exists():
            return cls({name: FieldPostings.empty(docs) for name in FIELDS}, docs)
        return cls.open(path)

    def field(self, name: str) -> FieldPostings:
        return self._fields[name]


class BuildPostings:
    """The postings of every segment of a build, answering over global document numbers."""

    def __init__(self, segments: list[tuple[int, SegmentPostings]], doc_count: int):
        self.segments, self.doc_count = segments, doc_count

    @classmethod
    def open(cls, folder: str | os.PathLike, reader) -> "BuildPostings":
        """Open the postings of each segment of a Whoosh ``reader`` over the build at ``folder``."""
        segments = [(base, SegmentPostings.of_segment(folder, leaf.segment()))
                    for leaf, base in reader.leaf_readers() if leaf.segment() is not None]
        return cls(segments, reader.doc_count_all())

    def _dense(self, per_segment) -> np.ndarray:
        out = np.zeros(self.doc_count, dtype=np.int64)
        for base, seg in self.segments:
            if seg.docs:
                out[base:base + seg.docs] = per_segment(seg)
        return out

    def lengths(self, field: str) -> np.ndarray:
        """Each document's number of jieba words in ``field``."""
        return self._dense(lambda seg: seg.field(field).lengths)

    def phrase_counts(self, field: str, analyzed: Analyzed) -> np.ndarray:
        """Occurrences of an analysed query term in each document's ``field`` (dense)."""
        if not len(analyzed.bigrams):
            return np.zeros(self.doc_count, dtype=np.int64)
        return self._dense(lambda seg: seg.field(field).phrase_counts(
            analyzed.bigrams, analyzed.open_end, analyzed.breaks))

    def word_counts(self, field: str, word: int) -> np.ndarray:
        return self._dense(lambda seg: seg.field(field).word_counts(word))

    def word_frequencies(self, field: str, words: np.ndarray) -> np.ndarray:
        """Document frequency of each word hash over all segments (deleted documents included)."""
        df = np.zeros(len(words), dtype=np.int64)
        for _, seg in self.segments:
            df += seg.field(field).word_frequencies(words)
        return df
