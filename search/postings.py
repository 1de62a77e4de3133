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
The indexer writes these files (``indexer.postings_builder``); this module defines and reads them.
"""
from __future__ import annotations

import json
import mmap
import os
import struct
from pathlib import Path

import numpy as np

from search.analysis import CODE_BITS, Analyzed

EXT = ".ptx"
FIELDS = ("content", "title")
VERSION = 1
_MAGIC = b"PSPOSTS\x01"
_ALIGN = 64
_SHIFT = np.uint64(CODE_BITS)
_LOW = (1 << CODE_BITS) - 1


def postings_path(folder: str | os.PathLike, segment) -> Path:
    """Where the postings of a Whoosh ``segment`` live in the index folder ``folder``."""
    return Path(folder) / segment.make_filename(EXT)


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


def read_header(path: str | os.PathLike) -> dict:
    """Return the header of the file at ``path`` (the array layout), without mapping it."""
    with open(path, "rb") as fh:
        start = fh.read(len(_MAGIC) + 8)
        if start[:len(_MAGIC)] != _MAGIC:
            raise ValueError(f"{path} is not a postings file")
        (size,) = struct.unpack_from("<Q", start, len(_MAGIC))
        return json.loads(fh.read(size))


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

    def token_positions(self, code: int, prefix: bool = False,
                        window: tuple[int, int] | None = None) -> np.ndarray:
        """Sorted positions of one bigram code, or of every code that starts with its character
        (only those inside ``window``, stream positions ``[lo, hi)``, when given)."""
        if prefix:
            first = np.uint64(int(code) >> CODE_BITS)
            bounds = np.array([first << _SHIFT, (first + np.uint64(1)) << _SHIFT])
            lo, hi = np.searchsorted(self.codes, bounds)
            block = self.positions[self.ptr[lo]:self.ptr[hi]]
            if window is not None:           # one document's: select first, sort the few left
                block = block[(block >= window[0]) & (block < window[1])]
            return np.sort(block, kind="stable")   # timsort: merges the codes' sorted runs
        i = int(np.searchsorted(self.codes, np.uint64(code)))
        if i == len(self.codes) or self.codes[i] != code:
            return self.positions[:0]
        return self.positions[self.ptr[i]:self.ptr[i + 1]]

    def phrase_counts(self, codes: np.ndarray, open_end: bool, breaks=(),
                      within: tuple[np.ndarray, np.ndarray] | None = None,
                      keep: list | None = None, skip: np.ndarray | None = None) -> np.ndarray:
        """Occurrences of the token sequence ``codes`` in each document (dense, int64).

        ``within``, ``skip``: see ``phrase_starts``. ``keep``: a list the occurrences' start
        positions are appended to (the highlighter reads a hit's own from them).
        """
        start = self.phrase_starts(codes, open_end, breaks, within=within, skip=skip)
        if keep is not None:
            keep.append(start)
        bounds = np.searchsorted(start, self.starts.astype(np.int64))
        return np.diff(bounds)

    def phrase_starts(self, codes: np.ndarray, open_end: bool, breaks=(),
                      window: tuple[int, int] | None = None,
                      within: tuple[np.ndarray, np.ndarray] | None = None,
                      skip: np.ndarray | None = None) -> np.ndarray:
        """Stream positions where the token sequence ``codes`` starts, ascending.

        ``breaks`` are ``(offset, code)`` pairs: at that offset either token counts. The
        rarest token's positions are the candidates; each other token must sit at the
        candidate position plus its offset in the sequence (a membership test by binary search,
        once per alternative token: merging the two sorted lists cost more than the test).
        ``window`` (stream positions ``[lo, hi)``, one document's) limits the search to it:
        what the highlighter asks, so it marks exactly the occurrences the matcher counted.
        ``within`` (sorted, disjoint ``[lo, hi)`` position intervals: a kind of report section,
        ``search.section_index``) keeps only the occurrences that lie inside one of them.
        ``skip`` (bool per document of the segment) leaves out the documents it marks: the
        caller knows they match (``matching._field_matches``), so their occurrences are never
        tested (0 is counted for them).

        An open last token (every code that starts with one character) is implied wherever the
        token before it is a bigram ending in that character: one token per word character, so
        the next position holds the token of that very character. Only the occurrences reached
        through a lone-character alternative before it are tested against the open token's
        positions (sorting all of them, 事… has thousands, was most of a phrase's time).
        """
        last = len(codes) - 1
        if skip is not None and skip.all():
            return np.zeros(0, dtype=np.int64)
        alts = [[(int(c), p)] for c, p in zip((codes[:last] if open_end else codes).tolist(),
                                             self._exact_positions(
                                                 codes[:last] if open_end else codes, window))]
        deferred = open_end and last > 0 and all(j != last for j, _ in breaks)
        if open_end and not deferred:
            alts.append([(int(codes[last]), self._within(
                self.token_positions(int(codes[last]), True, window), window))])
        for j, other in breaks:              # a position holds one token: no duplicates
            alts[j].append((int(other), self._within(self.token_positions(other), window)))
        sizes = [sum(len(p) for _, p in options) for options in alts]
        if not all(sizes):
            return np.zeros(0, dtype=np.int64)
        order = sorted(range(len(alts)), key=sizes.__getitem__)
        first = alts[order[0]]
        start = (first[0][1] if len(first) == 1 else np.sort(np.concatenate(
            [p for _, p in first]), kind="stable")).astype(np.int64) - order[0]
        start = start[start >= 0]
        if within is not None:
            start = inside(start, within, last)
        if skip is not None and len(start):      # candidates of the documents not known
            start = self._unskipped(start, skip)
        before = last - 1                       # the offset that may imply the open token
        letter = int(codes[last]) >> CODE_BITS if deferred else -1
        loose = None                            # per candidate: reached by a lone character
        for j in order:
            if j == order[0] and not (deferred and j == before):
                continue
            hit, free = None, np.zeros(len(start), dtype=bool)
            for code, positions in alts[j]:     # the exact token first; the other where it missed
                if hit is None:
                    hit = found = _member(positions, start + j)
                else:
                    found = np.zeros(len(start), dtype=bool)
                    found[~hit] = _member(positions, start[~hit] + j)
                    hit |= found
                if deferred and j == before and code & _LOW != letter:
                    free |= found
            if deferred and j == before:
                loose = free[hit]
            elif loose is not None:
                loose = loose[hit]
            start = start[hit]
            if not len(start):
                return start
        if loose is not None and loose.any():
            start = start[~loose | self._open_at(int(codes[last]), start + last, window)]
        return start

    def _unskipped(self, start: np.ndarray, skip: np.ndarray) -> np.ndarray:
        """The sorted positions ``start`` that lie in documents ``skip`` does not mark: cut
        out per document when those are few (a common word's term skips most), else tested
        one by one."""
        docs = np.flatnonzero(~skip)
        if 8 * len(docs) < len(start):
            bounds = self.starts.astype(np.int64)
            return inside(start, (bounds[docs], bounds[docs + 1]), 0)
        return start[~skip[np.searchsorted(self.starts, start, side="right") - 1]]

    def _open_at(self, code: int, probe: np.ndarray, window) -> np.ndarray:
        """Whether a token starting with ``code``'s character sits at each of ``probe``."""
        first = np.uint64(code >> CODE_BITS)
        lo, hi = np.searchsorted(self.codes, np.array([first << _SHIFT,
                                                      (first + np.uint64(1)) << _SHIFT]))
        block = self.positions[self.ptr[lo]:self.ptr[hi]]
        if window is None and len(probe) <= 16:     # a few: one comparison pass each
            return np.array([bool((block == q).any()) for q in probe.tolist()], dtype=bool)
        if window is None:              # many: look each position up among the probes instead
            at = np.minimum(np.searchsorted(probe, block), len(probe) - 1)   # of sorting them
            out = np.zeros(len(probe), dtype=bool)
            out[at[probe[at] == block]] = True
            return out
        return _member(self._within(self.token_positions(code, True, window), window), probe)

    def _exact_positions(self, codes: np.ndarray, window: tuple[int, int] | None) -> list:
        """``token_positions`` of each of ``codes`` (none a prefix), inside ``window``: one
        binary search for all the codes, and one per code for the window (a results page asks
        this for every term of every hit)."""
        if not len(codes):
            return []
        codes = np.asarray(codes, dtype=self.codes.dtype)
        at = np.searchsorted(self.codes, codes)
        found = at < len(self.codes)
        found[found] = self.codes[at[found]] == codes[found]
        lo, hi = self.ptr[at[found]].tolist(), self.ptr[at[found] + 1].tolist()
        out, k = [], 0
        for ok in found.tolist():
            if not ok:
                out.append(self.positions[:0])
                continue
            block = self.positions[lo[k]:hi[k]]
            k += 1
            if window is not None:
                a, b = np.searchsorted(block, np.array(window, dtype=block.dtype)).tolist()
                block = block[a:b]
            out.append(block)
        return out

    @staticmethod
    def _within(positions: np.ndarray, window: tuple[int, int] | None) -> np.ndarray:
        if window is None:
            return positions
        lo, hi = np.searchsorted(positions, np.array(window, dtype=positions.dtype))
        return positions[lo:hi]

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


def inside(start: np.ndarray, within: tuple[np.ndarray, np.ndarray], last: int) -> np.ndarray:
    """The sorted phrase starts ``start`` whose phrase (``last`` tokens after its start) lies
    inside one of the sorted, disjoint ``[lo, hi)`` intervals ``within``. Each interval is cut
    out by binary search (M log N for M intervals, not N log M)."""
    lo, hi = within
    begin = np.searchsorted(start, lo)
    count = np.maximum(np.searchsorted(start, hi - last) - begin, 0)
    runs = np.cumsum(count)
    return start[np.repeat(begin - runs + count, count) + np.arange(int(runs[-1]) if
                                                                  len(runs) else 0)]


def _member(target: np.ndarray, probe: np.ndarray) -> np.ndarray:
    """Whether each of ``probe`` (ascending) is in the sorted array ``target``."""
    probe = probe.astype(target.dtype)
    at = np.searchsorted(target, probe)
    hit = at < len(target)
    hit[hit] = target[at[hit]] == probe[hit]
    return hit


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
        """Open a segment's postings; ``FileNotFoundError`` when it has none (a damaged build)."""
        return cls.open(postings_path(folder, segment))

    def field(self, name: str) -> FieldPostings:
        return self._fields[name]


class BuildPostings:
    """The postings of every segment of a build, answering over global document numbers."""

    def __init__(self, segments: list[tuple[int, SegmentPostings]], doc_count: int):
        self.segments, self.doc_count = segments, doc_count
        self._base = {id(seg): base for base, seg in segments}

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

    def phrase_counts(self, field: str, analyzed: Analyzed, within=None,
                      keep: dict | None = None, skip: np.ndarray | None = None) -> np.ndarray:
        """Occurrences of an analysed query term in each document's ``field`` (dense).

        ``within``: one ``(lo, hi)`` interval pair per segment, in segment order (see
        ``FieldPostings.phrase_counts``), or None for the whole text. ``keep``: a dict that
        receives, per segment, the occurrences' start positions (``offsets_in`` reads them).
        ``skip``: bool per document number, documents not to search (``phrase_starts``).
        """
        if not len(analyzed.bigrams):
            return np.zeros(self.doc_count, dtype=np.int64)
        if keep is not None and skip is not None:
            keep["skip"] = skip
        if within is None:
            return self._dense(lambda seg: seg.field(field).phrase_counts(
                analyzed.bigrams, analyzed.open_end, analyzed.breaks,
                keep=None if keep is None else keep.setdefault(id(seg), []),
                skip=None if skip is None else skip[self._base[id(seg)]:
                                                    self._base[id(seg)] + seg.docs]))
        bounds = {id(seg): pair for (_, seg), pair in zip(self.segments, within)}
        return self._dense(lambda seg: seg.field(field).phrase_counts(
            analyzed.bigrams, analyzed.open_end, analyzed.breaks, bounds[id(seg)]))

    def phrase_offsets(self, field: str, analyzed: Analyzed, docnum: int) -> np.ndarray:
        """Token offsets, inside document ``docnum``'s ``field``, where the term occurs."""
        if not len(analyzed.bigrams):
            return np.zeros(0, dtype=np.int64)
        for base, seg in self.segments:
            if base <= docnum < base + seg.docs:
                postings = seg.field(field)
                lo, hi = (int(x) for x in postings.starts[docnum - base:docnum - base + 2])
                return postings.phrase_starts(analyzed.bigrams, analyzed.open_end,
                                              analyzed.breaks, (lo, hi)) - lo
        return np.zeros(0, dtype=np.int64)

    def counts_within(self, field: str, analyzed: Analyzed, within: dict,
                      kept: dict | None = None) -> dict:
        """``phrase_counts(field, analyzed, pairs)`` for each ``kind → pairs`` of ``within``,
        from one search of the term's positions (the section facet asks for every kind), or
        none where ``kept`` (``phrase_counts(keep=…)``, no document skipped) has them. The
        segments are laid end to end (positions shifted), so each kind costs three array
        operations, not three per segment."""
        if kept is not None and kept.get("skip") is not None:
            kept = None
        out = {kind: np.zeros(self.doc_count, dtype=np.int64) for kind in within}
        used = [(i, base, seg) for i, (base, seg) in enumerate(self.segments) if seg.docs]
        if not len(analyzed.bigrams) or not used:
            return out
        last, shift, starts, bounds, spans = len(analyzed.bigrams) - 1, 0, [], [], {
            kind: ([], []) for kind in within}
        for i, base, seg in used:
            postings = seg.field(field)
            start = (kept[id(seg)][0] if kept and kept.get(id(seg)) else postings.phrase_starts(
                analyzed.bigrams, analyzed.open_end, analyzed.breaks))
            doc_starts = postings.starts.astype(np.int64)
            starts.append(start + shift)
            bounds.append(doc_starts[:-1] + shift)
            for kind, pairs in within.items():
                spans[kind][0].append(pairs[i][0] + shift)
                spans[kind][1].append(pairs[i][1] + shift)
            shift += int(doc_starts[-1]) + 1
        bounds.append(np.array([shift], dtype=np.int64))
        start, edges = np.concatenate(starts), np.concatenate(bounds)
        first, size = used[0][1], len(edges) - 1
        contiguous = all(base == used[0][1] + sum(s.docs for _, _, s in used[:n])
                         for n, (_, base, _) in enumerate(used))
        for kind, (lo, hi) in spans.items():
            found = inside(start, (np.concatenate(lo), np.concatenate(hi)), last)
            counts = np.diff(np.searchsorted(found, edges))
            if contiguous:
                out[kind][first:first + size] = counts
            else:                           # documents of other segments between: place each
                at = 0
                for _, base, seg in used:
                    out[kind][base:base + seg.docs] = counts[at:at + seg.docs]
                    at += seg.docs
        return out

    def offsets_in(self, field: str, kept: dict, docnum: int) -> np.ndarray | None:
        """``phrase_offsets`` of document ``docnum`` from the start positions ``phrase_counts``
        kept (``keep``) for the same term; None when they were not kept for its segment or
        the document was skipped."""
        skip = kept.get("skip")
        if skip is not None and skip[docnum]:
            page = kept.get("page")            # the skipped documents of a results page
            return self.offsets_in(field, page, docnum) if page else None
        for base, seg in self.segments:
            if base <= docnum < base + seg.docs:
                found = kept.get(id(seg))
                if not found:
                    return None
                postings, start = seg.field(field), found[0]
                lo, hi = (int(x) for x in postings.starts[docnum - base:docnum - base + 2])
                a, b = np.searchsorted(start, (lo, hi)).tolist()
                return start[a:b] - lo
        return np.zeros(0, dtype=np.int64)

    def word_counts(self, field: str, word: int) -> np.ndarray:
        return self._dense(lambda seg: seg.field(field).word_counts(word))

    def word_frequencies(self, field: str, words: np.ndarray) -> np.ndarray:
        """Document frequency of each word hash over all segments (deleted documents included)."""
        df = np.zeros(len(words), dtype=np.int64)
        for _, seg in self.segments:
            df += seg.field(field).word_frequencies(words)
        return df
