"""Text postings as flat numpy arrays: one file per Whoosh segment, read in place through mmap.

Whoosh's own W3 postings pickle each block of 128 postings as a tuple of Python ints, positions
included. Writing them cost about 30 ms of Python per report (4,000 postings), and listing the
documents of a common bigram meant unpickling every one of its positions. Here the postings of a
segment are a few flat arrays, written with one sort and read with ``searchsorted``; Whoosh
keeps the documents themselves (stored fields, facet columns, ids, deletions, the segment list).

For each text field (``content``, ``title``) a segment holds (format 3; format 1 kept every
array uncompressed at 4–8 bytes a value, 3.0× the text at 10,000 long-tail reports; format 2
bit-packed the positions only):

=============  ==========================================================================
``alphabet``   sorted uint32 code points of the characters in the segment's bigrams
``codes.*``    each distinct bigram as ``rank1 * len(alphabet) + rank2`` (its characters'
               ranks in ``alphabet``), sorted, split into low bytes and the starts of each
               high part (``search.split``: ``low``, ``starts``)
``ptr.*``      where each code's positions begin (element index; one more entry at the
               end), split the same way
``pos.*``      the positions, ascending per code, as gaps bit-packed in blocks of 64
               (``search.packed``): ``data``, and per block ``width``, ``word``, ``first``
``starts``     document *d* holds the positions ``starts[d]`` up to ``starts[d + 1] - 1``;
               one empty position lies between documents, so no phrase spans two of them
``words``      sorted uint64 hashes of the distinct jieba words (``analysis.word_hashes``)
``wptr.*``     where each word's postings begin in ``wdocs``/``wtf`` (split)
``wdocs.*``    document numbers (of the segment), ascending per word: gaps bit-packed in
               blocks of 64, a run per word (``search.packed``)
``wtf.*``      occurrences of the word in the document, less one, bit-packed as they are
               (``packed.pack`` without runs: most are 0, so most blocks take 1 or 2 bits)
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
from search.packed import HOT_RUN, PackedRuns
from search.split import SplitArray

EXT = ".ptx"
FIELDS = ("content", "title")
VERSION = 3
_MAGIC = b"PSPOSTS\x01"
_ALIGN = 64
#: A word's postings this long stay decoded once read, in ``search.packed``'s LRU of decoded
#: runs (its 64 MB are shared with the positions): shorter ones are read with Python ints
#: faster than numpy decodes them; the rest cost 8–40 µs to decode (documents and counts), and
#: a report page's similar reports read 30 words' postings in every segment.
WORD_HOT_RUN = 9
#: A highlighted hit's window of an open last character is cut from all the character's
#: positions, decoded once and kept, when more codes than this begin with it (and it has
#: ``HOT_RUN`` positions or more); fewer runs are decoded block by block inside the window.
PREFIX_RUNS = 64
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
    if header.get("version") != VERSION:
        raise ValueError(f"{path} has postings of format {header.get('version')}, not "
                         f"{VERSION}: the build was made by another version")
    body_at = -(-(len(_MAGIC) + 8 + size) // _ALIGN) * _ALIGN
    arrays = {name: np.frombuffer(mapping, dtype=np.dtype(dtype), count=count,
                                  offset=body_at + offset)
              for name, (dtype, offset, count) in header["arrays"].items()}
    return arrays, header


# --------------------------------------------------------------------------------------------
# Reading

class FieldPostings:
    """The postings of one text field in one segment (arrays are views of the file's map)."""

    def __init__(self, arrays: dict[str, np.ndarray], docs: int, header: dict):
        self.docs = docs
        self.alphabet = arrays["alphabet"]
        self.codes, self.ptr = _split(arrays, "codes"), _split(arrays, "ptr")
        self.size = len(self.alphabet)
        tokens, postings = int(header["tokens"]), int(header["postings"])
        self.positions = PackedRuns(_group(arrays, "pos"), tokens, header["position_dtype"])
        self.starts, self.lengths = arrays["starts"], arrays["lengths"]
        self.words, self.wptr = arrays["words"], _split(arrays, "wptr")
        self._wdocs = PackedRuns(_group(arrays, "wdocs"), postings, np.uint32)
        self._wtf = PackedRuns(_group(arrays, "wtf"), postings, np.uint32)
        self._rank_of = None

    # -- codes: a bigram (two code points) is stored as the ranks of its two characters among
    #    the segment's characters (``alphabet``): rank1 * size + rank2, 4 bytes, not 8

    def _ranks(self) -> dict[int, int]:
        """Each character's rank in ``alphabet`` (made on first use: a few thousand entries)."""
        if self._rank_of is None:
            self._rank_of = {c: i for i, c in enumerate(self.alphabet.tolist())}
        return self._rank_of

    def keys(self, codes: np.ndarray) -> list[int]:
        """The stored keys of bigram ``codes`` (a query's few); -1 where a character is not in
        the segment."""
        ranks, size, low = self._ranks(), self.size, int(_LOW)
        out = []
        for code in np.asarray(codes, dtype=np.uint64).tolist():
            first, second = ranks.get(code >> CODE_BITS), ranks.get(code & low)
            out.append(-1 if first is None or second is None else first * size + second)
        return out

    def bigram_codes(self) -> np.ndarray:
        """The distinct bigram codes (two code points in one uint64), in stored order."""
        keys = self.codes.values().astype(np.uint64)
        size, alphabet = np.uint64(self.size), self.alphabet.astype(np.uint64)
        return (alphabet[keys // size] << _SHIFT) | alphabet[keys % size]

    def _runs(self, codes: np.ndarray) -> tuple[list, list]:
        """Element ranges ``[lo, hi)`` of the positions of each of ``codes`` (empty if absent)."""
        at = self.codes.find(self.keys(codes))
        lo, hi = [0] * len(at), [0] * len(at)
        found = [i for i, j in enumerate(at) if j >= 0]
        for i in found:
            lo[i], hi[i] = self.ptr.at_few([at[i], at[i] + 1])
        return lo, hi

    def all_positions(self) -> np.ndarray:
        """Every position, run after run (int64): what a merge reads."""
        return _decode_all(self.positions, self.ptr.values())

    def word_ptr(self) -> np.ndarray:
        """Where each word's postings begin (int64, one more entry at the end)."""
        return self.wptr.values()

    def wdocs(self) -> np.ndarray:
        """Every word posting's document (int64), word after word: what a merge reads."""
        return _decode_all(self._wdocs, self.word_ptr())

    def wtf(self) -> np.ndarray:
        """Every word posting's count (uint32), decoded a few million at a time."""
        return (_decode_all(self._wtf, np.array([0, self._wtf.count])) + 1).astype(np.uint32)

    def token_positions(self, code: int, prefix: bool = False,
                        window: tuple[int, int] | None = None) -> np.ndarray:
        """Sorted positions of one bigram code, or of every code that starts with its character
        (only those inside ``window``, stream positions ``[lo, hi)``, when given)."""
        empty = np.zeros(0, dtype=self.positions.dtype)
        if prefix:
            ptr = self._prefix_ptr(code)
            if window is None:
                return self._prefix_positions(ptr)
            # One document's. A character that begins many codes (工…: 1,851 at 10,000
            # reports) is cut from all its positions, decoded and sorted once and kept: the
            # blocks of each code's run that reach into the window cost about 4 µs a run, for
            # every hit of a page.
            if len(ptr) > PREFIX_RUNS and ptr[-1] - ptr[0] >= HOT_RUN:
                block = self._prefix_positions(ptr)
                lo, hi = np.searchsorted(block, window).tolist()
                return block[lo:hi]
            ptr = ptr.tolist()
            parts = self.positions.windows(list(zip(ptr[:-1], ptr[1:])), *window)
            return np.sort(np.concatenate(parts), kind="stable") if parts else empty
        (a,), (b,) = self._runs(np.array([code], dtype=np.uint64))
        if window is not None:
            return self.positions.window(a, b, *window) if b > a else empty
        return self.positions.decode_kept(a, b)

    def _prefix_ptr(self, code: int) -> np.ndarray:
        """Where the runs of the codes that start with ``code``'s character begin, and where
        the last ends (``ptr`` values; one value, no run, when no code starts with it)."""
        char = int(code) >> CODE_BITS
        rank = int(np.searchsorted(self.alphabet, char))
        if rank == self.size or int(self.alphabet[rank]) != char:
            return np.zeros(1, dtype=np.int64)
        lo = self.codes.searchsorted(rank * self.size)
        hi = self.codes.searchsorted((rank + 1) * self.size)
        return self.ptr.values(lo, hi + 1)

    def _prefix_positions(self, ptr: np.ndarray) -> np.ndarray:
        """The positions of the codes whose runs ``ptr`` bounds (``_prefix_ptr``: every code
        that starts with one character), ascending.

        Kept decoded and sorted when long, as a long run is: an open last character (事…, 法…)
        has up to millions of positions at 10,000 reports (法: 1.5 M in 3,229 runs), asked by
        the matcher and the section facet of every such query. Sorting them once (30 ms for
        法) makes each later membership test a binary search of the probes (about 1 ms),
        where searching the unsorted runs cost 40–50 ms every time. ``ptr``: ``_prefix_ptr``."""
        if len(ptr) < 2:
            return np.zeros(0, dtype=self.positions.dtype)
        return self.positions.decode_kept(int(ptr[0]), int(ptr[-1]), run_starts=ptr[1:-1],
                                          merged=True)

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
        exact = codes[:last] if open_end else codes
        alts = [[(int(c), run)] for c, run in zip(exact.tolist(), self._exact_runs(exact, window))]
        deferred = open_end and last > 0 and all(j != last for j, _ in breaks)
        if open_end and not deferred:
            alts.append([(int(codes[last]), _Run.of(
                self.token_positions(int(codes[last]), True, window)))])
        for j, other in breaks:              # a position holds one token: no duplicates
            alts[j].append((int(other), _Run.of(self.token_positions(other, window=window))))
        sizes = [sum(len(run) for _, run in options) for options in alts]
        if not all(sizes):
            return np.zeros(0, dtype=np.int64)
        order = sorted(range(len(alts)), key=sizes.__getitem__)
        first = alts[order[0]]
        start = (first[0][1].values() if len(first) == 1 else np.sort(np.concatenate(
            [run.values() for _, run in first]), kind="stable")).astype(np.int64) - order[0]
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
            for code, run in alts[j]:           # the exact token first; the other where it missed
                if hit is None:
                    hit = found = run.contains(start + j)
                else:
                    found = np.zeros(len(start), dtype=bool)
                    found[~hit] = run.contains(start[~hit] + j)
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
        return _member(self.token_positions(code, True, window), probe)

    def _exact_runs(self, codes: np.ndarray, window: tuple[int, int] | None) -> list:
        """The positions of each of ``codes`` (none a prefix) as runs, inside ``window``: one
        binary search for all the codes; with a window, one decoding for all of them (a
        results page asks this for every term of every hit)."""
        if not len(codes):
            return []
        lo, hi = self._runs(codes)
        if window is None:
            return [_Run(self.positions, a, b) for a, b in zip(lo, hi)]
        return [_Run.of(v) for v in self.positions.windows(list(zip(lo, hi)), *window)]

    def word_counts(self, word: int) -> np.ndarray:
        """Occurrences of one jieba word (by hash) in each document (dense, int64)."""
        out = np.zeros(self.docs, dtype=np.int64)
        i = int(np.searchsorted(self.words, np.uint64(word)))
        if i < len(self.words) and self.words[i] == word:
            lo, hi = self.wptr.at_few([i, i + 1])
            docs = self._wdocs.decode_kept(lo, hi, WORD_HOT_RUN)
            out[docs] = self._wtf.decode_kept(lo, hi, WORD_HOT_RUN) + 1     # stored less one
        return out

    def word_frequencies(self, words: np.ndarray) -> np.ndarray:
        """Document frequency of each of ``words`` (hashes) in this segment."""
        at = np.searchsorted(self.words, words)
        found = at < len(self.words)
        found[found] = self.words[at[found]] == words[found]
        df = np.zeros(len(words), dtype=np.int64)
        df[found] = self.wptr.at(at[found] + 1) - self.wptr.at(at[found])
        return df


def _decode_all(runs: PackedRuns, ptr: np.ndarray) -> np.ndarray:
    """Every value of ``runs`` (int64), whose runs begin at ``ptr`` (ascending, one more entry
    at the end), decoded a few million at a time: a bounded peak."""
    out = np.empty(int(ptr[-1]), dtype=np.int64)
    step = 1 << 22                                   # whole blocks at a time
    for at in range(0, len(out), step):
        end = min(at + step, len(out))
        inner = ptr[(ptr > at) & (ptr < end)]
        out[at:end] = runs.decode(at, end, inner)
    return out


def _group(arrays: dict[str, np.ndarray], name: str) -> dict[str, np.ndarray]:
    """The arrays ``name.*`` of a field, by the part after the dot."""
    return {key.split(".", 1)[1]: a for key, a in arrays.items() if key.startswith(name + ".")}


def _split(arrays: dict[str, np.ndarray], name: str) -> SplitArray:
    return SplitArray(_group(arrays, name))


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


class _Run:
    """One bigram's positions in a phrase search: decoded when first needed, or never (a
    membership test with few probes decodes only the blocks they fall in)."""

    def __init__(self, packed: PackedRuns | None, a: int = 0, b: int = 0,
                 values: np.ndarray | None = None):
        self._packed, self._a, self._b, self._values = packed, a, b, values

    @classmethod
    def of(cls, values: np.ndarray) -> "_Run":
        return cls(None, values=values)

    def __len__(self) -> int:
        return len(self._values) if self._values is not None else self._b - self._a

    def values(self) -> np.ndarray:
        if self._values is None:
            self._values = self._packed.decode_kept(self._a, self._b)
        return self._values

    def contains(self, probes: np.ndarray) -> np.ndarray:
        if self._values is None and self._b - self._a < HOT_RUN:
            return self._packed.contains(self._a, self._b, probes)
        return _member(self.values(), probes)


class SegmentPostings:
    """The postings file of one segment."""

    def __init__(self, fields: dict[str, FieldPostings], docs: int):
        self.docs, self._fields = docs, fields

    @classmethod
    def open(cls, path: str | os.PathLike) -> "SegmentPostings":
        arrays, header = read_arrays(path)
        docs = int(header["docs"])
        return cls({name: FieldPostings({key.split(".", 1)[1]: a for key, a in arrays.items()
                                         if key.startswith(name + ".")}, docs,
                                        header["fields"][name])
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
