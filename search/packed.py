"""Ascending runs of integers, bit-packed in blocks of 64 and decoded with numpy.

A bigram's positions in a segment's token stream are an ascending run; the runs of all the
bigrams lie one after the other (``search.postings``). Stored as uint32 they took 4 bytes a
character of text, more than the UTF-8 text itself. Here every value is replaced by its gap to
the value before it in its run, and the gaps are packed in blocks of 64 values, each block with
the fewest bits that hold its largest gap (a run's first value is kept whole). A block of 64
values of *w* bits is exactly *w* 64-bit words, so a block's place is the sum of the widths
before it; each block also keeps its first value whole (``first``), which makes every block a
place to start decoding without the blocks before it. That serves two reads:

* ``decode(a, b)``: the values of elements ``[a, b)`` (one run or several, given where runs
  begin), one vectorised pass: read each value's bits from an unaligned 64-bit view of the
  bytes, then a cumulative sum restarted at each run and block;
* ``window(a, b, lo, hi)``: the values of one run inside ``[lo, hi)``: a binary search over the
  ``first`` values of the run's blocks, then only the one or two blocks that can hold them
  (what the highlighter asks for each hit: never the whole run of a common bigram).

On the benchmark's 10,000 long-tail reports this is 18 bits a position (Elias–Fano's bound for
the same runs is 16), against 32 before.

The same blocks hold the word postings (``search.postings`` format 3): each word's documents as
an ascending run, and its counts (less one) *plain*: ``pack(values, None)`` stores the values
themselves, not gaps, with no ``first`` (nothing to restart a sum from), read back with
``decode`` only. Most counts are 1, so most blocks of counts take 0 or 1 bit a value.
"""
from __future__ import annotations

import threading
import weakref
from collections import OrderedDict

import numpy as np

BLOCK = 64
_CHUNK = BLOCK * 16384                 # values encoded at a time: bounds the writer's peak
_POW2 = np.array([1 << k for k in range(64)], dtype=np.uint64)
_MASKS = np.array([(1 << w) - 1 for w in range(65)], dtype=np.uint64)
_K = np.arange(BLOCK, dtype=np.int64)
# per width: each value's byte in its block, and the shift from there (one table read each)
_BYTE = np.array([(_K * w) >> 3 for w in range(65)], dtype=np.int64)
_BIT = np.array([(_K * w) & 7 for w in range(65)], dtype=np.uint64)
_SMALL = 8                             # runs this short are read in Python
#: Runs at least this long stay decoded once read (the common bigrams: 行政, 营商 …), in a
#: process-wide LRU of ``HOT_BYTES``; decoding one costs about 20 ns a value, reading a kept one
#: nothing, as reading the uncompressed arrays of format 1 did. (A common word's postings, far
#: shorter, are kept from ``postings.WORD_HOT_RUN`` values on, in the same LRU.)
HOT_RUN = 4096
HOT_BYTES = 64 << 20
_ENTRY = 256                           # bytes an entry costs besides its values (key, objects)
_hot: OrderedDict = OrderedDict()
_hot_lock = threading.Lock()
_hot_size = [0]


def drop_decoded() -> None:
    """Forget every kept decoded run (a benchmark that wants each request to decode)."""
    with _hot_lock:
        _hot.clear()
        _hot_size[0] = 0


def pack(values: np.ndarray, run_starts: np.ndarray | None) -> dict[str, np.ndarray]:
    """Pack ``values`` (ascending within each run; runs begin at the sorted element indices
    ``run_starts``). Returns the arrays to store: ``data`` (bytes), ``width`` and ``word`` (per
    block: bits per value, offset in 64-bit words) and ``first`` (each block's first value).

    With ``run_starts`` None the values are packed as they are, not as gaps, and there is no
    ``first``: small counts in any order (a word's occurrences per document), read back with
    ``decode`` only."""
    n, plain = len(values), run_starts is None
    blocks = -(-n // BLOCK)
    width = np.zeros(blocks, dtype=np.uint8)
    top = int(values.max()) if n else 0
    first = np.zeros(blocks, dtype=np.uint16 if top < 2 ** 16 else np.uint32 if top < 2 ** 32
                     else np.uint64)
    gaps = []
    for at in range(0, n, _CHUNK):              # chunks of whole blocks
        gap, w = _gaps(values, run_starts, at, min(at + _CHUNK, n))
        width[at // BLOCK:at // BLOCK + len(w)] = w
        first[at // BLOCK:at // BLOCK + len(w)] = values[at:at + _CHUNK:BLOCK]
        gaps.append(gap)
    word = np.zeros(blocks + 1, dtype=np.uint64)
    np.cumsum(width, out=word[1:])
    words = np.zeros(int(word[-1]) + 1, dtype="<u8")     # one spare word: 8 bytes of reading room
    for gap, start in zip(gaps, range(0, blocks, _CHUNK // BLOCK)):
        _pack_blocks(gap, width[start:start + len(gap)], word[start:start + len(gap)], words)
    out = {"data": words.view(np.uint8), "width": width,
           "word": word[:-1].astype(np.uint32 if word[-1] < 2 ** 32 else np.uint64)}
    return out if plain else {**out, "first": first}


def _gaps(values: np.ndarray, run_starts: np.ndarray, lo: int, hi: int):
    """Gaps of elements ``[lo, hi)`` as (blocks, 64) uint64, and each block's width."""
    if run_starts is None:                              # plain values, not gaps
        gap = values[lo:hi].astype(np.uint64)
    else:
        v = values[max(lo - 1, 0):hi].astype(np.int64)
        gap = np.diff(v) if lo else np.concatenate((v[:1], np.diff(v)))
        starts = run_starts[(run_starts >= lo) & (run_starts < hi)] - lo
        gap[starts] = v[starts + (1 if lo else 0)]      # a run's first value, whole
        gap[::BLOCK] = 0                                # a block's first value is in ``first``
    padded = np.zeros(-(-len(gap) // BLOCK) * BLOCK, dtype=np.uint64)
    padded[:len(gap)] = gap
    padded = padded.reshape(-1, BLOCK)
    bits = np.searchsorted(_POW2, padded.max(axis=1), side="right").astype(np.uint8)
    return padded, bits


def _pack_blocks(gap: np.ndarray, width: np.ndarray, word: np.ndarray, words: np.ndarray):
    """Write each block's 64 gaps, ``width`` bits each, from word ``word`` of ``words`` on."""
    for w in np.unique(width).tolist():
        if not w:
            continue
        rows = np.flatnonzero(width == w)
        values, out = gap[rows], np.zeros((len(rows), w), dtype=np.uint64)
        for k in range(BLOCK):
            wi, shift = divmod(k * w, 64)
            out[:, wi] |= values[:, k] << np.uint64(shift)
            if shift + w > 64:
                out[:, wi + 1] |= values[:, k] >> np.uint64(64 - shift)
        words[word[rows].astype(np.int64)[:, None] + np.arange(w)] = out


class PackedRuns:
    """Read access to what ``pack`` wrote (arrays may be views of a file's map)."""

    def __init__(self, arrays: dict[str, np.ndarray], count: int, dtype):
        self.count, self.dtype = count, np.dtype(dtype)
        self.width, self.word, self.first = arrays["width"], arrays["word"], arrays.get("first")
        self.plain = self.first is None           # values packed as they are: decode only
        data = arrays["data"]
        self._data = data
        self._bytes = memoryview(data).cast("B") if len(data) else memoryview(b"")
        self._u64 = np.ndarray(shape=(max(len(data) - 7, 0),), dtype="<u8", buffer=data,
                               strides=(1,))          # an 8-byte read at every byte: unaligned

    def decode(self, a: int, b: int, run_starts: np.ndarray | None = None) -> np.ndarray:
        """Values of elements ``[a, b)``; ``a`` and ``run_starts`` (if given: sorted element
        indices inside ``(a, b)``) begin runs."""
        if b <= a:
            return np.zeros(0, dtype=self.dtype)
        if run_starts is None or not len(run_starts):
            if b - a <= _SMALL:                 # most runs hold a value or two: no array work
                return np.array(self._few(a, b), dtype=self.dtype)
            return self._run(a, b)
        index = np.arange(a, b, dtype=np.int64)
        reset = np.zeros(b - a, dtype=bool)
        reset[0] = True
        reset[np.asarray(run_starts, dtype=np.int64) - a] = True
        return self._values(index, reset)

    def decode_kept(self, a: int, b: int, least: int = HOT_RUN,
                    run_starts: np.ndarray | None = None, merged: bool = False) -> np.ndarray:
        """``decode(a, b, run_starts)``, kept decoded (read-only) when it holds ``least`` values
        or more (one run, or the runs of all the bigrams that start with one character).

        ``merged``: the runs' values sorted into one ascending array (what every reader of the
        runs of one first character wants), kept sorted, so that the sort is paid once."""
        if b - a < least:
            return self._decoded(a, b, run_starts, merged)
        key = (id(self), a, b, merged)
        with _hot_lock:
            entry = _hot.get(key)
            if entry is not None and entry[0]() is self:
                _hot.move_to_end(key)
                return entry[1]
        values = self._decoded(a, b, run_starts, merged)
        values.flags.writeable = False
        with _hot_lock:
            if key not in _hot:
                _hot[key] = (weakref.ref(self), values)
                _hot_size[0] += values.nbytes + _ENTRY
            while _hot_size[0] > HOT_BYTES and len(_hot) > 1:
                _, (_, old) = _hot.popitem(last=False)
                _hot_size[0] -= old.nbytes + _ENTRY
        return values

    def _decoded(self, a: int, b: int, run_starts, merged: bool) -> np.ndarray:
        values = self.decode(a, b, run_starts)
        # timsort: it finds the runs already sorted and merges them
        return np.sort(values, kind="stable") if merged and run_starts is not None else values

    def _run(self, a: int, b: int) -> np.ndarray:
        """Values of one run ``[a, b)``, decoded block by block: each block's 64 gaps from one
        broadcast read, summed along the block from its whole first value."""
        j0, j1 = a >> 6, ((b - 1) >> 6) + 1
        if j1 == j0 + 1:
            return self._in_block(j0, a & 63, b - a)
        width = self.width[j0:j1]
        at = _BYTE[width] + (self.word[j0:j1].astype(np.int64) << 3)[:, None]
        raw = (self._u64[at] >> _BIT[width]) & _MASKS[width][:, None]
        r = a & 63
        if self.plain:
            return raw.reshape(-1)[r:r + b - a].astype(self.dtype)
        raw[:, 0] = self.first[j0:j1]
        np.cumsum(raw, axis=1, out=raw)
        flat = raw.reshape(-1)[r:r + b - a]
        if r:                                   # the run begins inside its first block
            flat[:BLOCK - r] -= raw[0, r - 1]
        return flat.astype(self.dtype)

    def _in_block(self, j: int, r: int, n: int) -> np.ndarray:
        """Values of the run of ``n`` elements from element ``r`` of block ``j``: the block's
        numbers read as Python ints, so only the values themselves are arrays (a word's
        postings, a rare bigram's positions: most runs lie in one block)."""
        w = int(self.width[j])
        at = _BYTE[w, r:r + n] + (int(self.word[j]) << 3)
        raw = (self._u64[at] >> _BIT[w, r:r + n]) & _MASKS[w]
        if self.plain:
            return raw.astype(self.dtype)
        if not r:
            raw[0] = self.first[j]
        return np.cumsum(raw).astype(self.dtype)

    def _few(self, a: int, b: int) -> list[int]:
        """Values of the short run ``[a, b)``, read with Python integers."""
        out, value, data = [], 0, self._bytes
        for e in range(a, b):
            block = e >> 6
            if not e & 63 and not self.plain:
                value = int(self.first[block])
            else:
                w = int(self.width[block])
                bit = int(self.word[block]) * 64 + (e & 63) * w
                gap = (int.from_bytes(data[bit >> 3:(bit >> 3) + 8], "little") >> (bit & 7)) \
                    & ((1 << w) - 1)
                value = gap if e == a or self.plain else value + gap
            out.append(value)
        return out

    def _values(self, index: np.ndarray, reset: np.ndarray) -> np.ndarray:
        """Values of the elements ``index`` (ascending), where ``reset`` marks each element that
        begins a run or follows a gap in ``index`` (block heads restart the sum by themselves)."""
        block = index >> 6
        w = self.width[block]
        bit = self.word[block].astype(np.int64) * 64 + (index & 63) * w
        raw = ((self._u64[bit >> 3] >> (bit & 7).astype(np.uint64)) & _MASKS[w]).astype(np.int64)
        if self.plain:
            return raw.astype(self.dtype, copy=False)
        heads = (index & 63) == 0
        raw[heads] = self.first[block[heads]]
        total = np.cumsum(raw)
        at = np.flatnonzero(reset | heads)
        base = total[at] - raw[at]
        total -= np.repeat(base, np.diff(np.append(at, len(raw))))
        return total.astype(self.dtype, copy=False)

    def contains(self, a: int, b: int, probes: np.ndarray) -> np.ndarray:
        """For each of the ascending ``probes``, whether the run ``[a, b)`` holds it; only the
        blocks that could hold a probe are decoded when the probes are few."""
        if len(probes) * BLOCK * 2 >= b - a:
            values = self.decode(a, b)
        else:
            jb, je = -(-a // BLOCK), (b - 1) // BLOCK + 1     # blocks that begin inside the run
            part = np.unique(np.searchsorted(self.first[jb:je], probes, side="right") - 1)
            starts = np.where(part < 0, a, (jb + part) * BLOCK)
            stops = np.minimum(np.where(part < 0, jb * BLOCK, (jb + part + 1) * BLOCK), b)
            sizes = stops - starts
            offsets = np.cumsum(sizes) - sizes
            index = np.arange(int(sizes.sum()), dtype=np.int64) + np.repeat(starts - offsets,
                                                                             sizes)
            reset = np.zeros(len(index), dtype=bool)
            reset[offsets] = True
            values = self._values(index, reset)
        probes = probes.astype(values.dtype)
        at = np.searchsorted(values, probes)
        hit = at < len(values)
        hit[hit] = values[at[hit]] == probes[hit]
        return hit

    def windows(self, runs: list[tuple[int, int]], lo: int, hi: int) -> list[np.ndarray]:
        """For each run ``(a, b)``, its values inside ``[lo, hi)``: a binary search over the
        ``first`` values of its blocks, then one decoding of the few blocks that can hold them
        for all the runs together (the highlighter asks this for each term of each hit)."""
        starts, stops = [], []
        for a, b in runs:
            if b - a > BLOCK:
                jb, je = -(-a // BLOCK), (b - 1) // BLOCK + 1     # blocks beginning inside
                # blocks whose first value is <= lo, and the first one whose first is >= hi
                i, j = np.searchsorted(self.first[jb:je], (lo + 1, hi)).tolist()
                a, b = (a if i == 0 else (jb + i - 1) * BLOCK), (b if jb + j >= je
                                                                   else (jb + j) * BLOCK)
            starts.append(a)
            stops.append(b)
        sizes = np.array(stops, dtype=np.int64) - starts
        total = int(sizes.sum())
        if not total:
            return [np.zeros(0, dtype=self.dtype) for _ in runs]
        offsets = np.cumsum(sizes) - sizes
        index = np.arange(total, dtype=np.int64) + np.repeat(np.array(starts) - offsets, sizes)
        reset = np.zeros(total, dtype=bool)
        reset[offsets[sizes > 0]] = True
        values = self._values(index, reset)
        inside = np.flatnonzero((values >= lo) & (values < hi))
        cuts = np.searchsorted(inside, np.append(offsets, total)).tolist()
        return [values[inside[cuts[k]:cuts[k + 1]]] for k in range(len(runs))]

    def window(self, a: int, b: int, lo: int, hi: int) -> np.ndarray:
        """Values of the run ``[a, b)`` that lie in ``[lo, hi)`` (see ``windows``)."""
        return self.windows([(a, b)], lo, hi)[0]
