"""Sorted integer arrays as their low bytes plus where each high part begins.

The bigram keys of a segment (``search.postings``: ``codes``) and the run offsets of their
positions (``ptr``) are ascending, and a query reads a few of them at random: a key by binary
search, then two offsets. Stored as uint32 they were 8 bytes a distinct bigram, more than the
bit-packed positions of most bigrams (half occur once in a segment). Bit-packing them as gaps
(``search.packed``) would make each read decode a block. Here each value keeps only its low 8,
16 or 32 bits (``low``: uint8, uint16, uint32), and ``starts[h]`` says where the values whose
high part is ``h`` begin (so ``starts`` is ascending, ``starts[0] == 0`` and its last entry
is the count). A value is ``(h << bits) | low[i]`` with ``h`` found by binary search over
``starts``; a key is found by indexing ``starts`` at its high part and searching the few low
parts between. The width is the one that makes the two arrays smallest together: at 10,000
long-tail reports 8 bits for both (about 1.6 bytes a distinct bigram for ``codes``, 1.2 for
``ptr``, against 4 each), each read costing a binary search over a few thousand entries.

This is Elias–Fano's split of a sorted sequence into low and high bits, with the high bits
kept as a table of bucket starts rather than a unary bit vector: numpy reads a table directly,
while a unary vector needs a rank/select structure to be read in place.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

import numpy as np

_WIDTHS = ((8, np.uint8), (16, np.uint16), (32, np.uint32))


def split(values: np.ndarray) -> dict[str, np.ndarray]:
    """Split the ascending non-negative ``values``; return ``low`` and ``starts`` to store."""
    values = np.asarray(values)
    n = len(values)
    top = int(values[-1]) if n else 0
    bits, dtype = min(_WIDTHS, key=lambda w: n * w[0] // 8 + 4 * ((top >> w[0]) + 2))
    heads = np.arange(1, (top >> bits) + 1, dtype=np.uint64) << np.uint64(bits)
    starts = np.empty(len(heads) + 2, dtype=np.uint32 if n < 2 ** 32 else np.uint64)
    starts[0], starts[-1] = 0, n
    starts[1:-1] = np.searchsorted(values.astype(np.uint64), heads)
    mask = np.uint64((1 << bits) - 1)
    return {"low": (values.astype(np.uint64) & mask).astype(dtype), "starts": starts}


class SplitArray:
    """Read access to what ``split`` wrote (arrays may be views of a file's map)."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.low, self.starts = arrays["low"], arrays["starts"]
        self.bits = 8 * self.low.dtype.itemsize
        self._mask = (1 << self.bits) - 1
        self._buckets = len(self.starts) - 1       # high parts 0 … buckets - 1
        # the same arrays as sequences of Python ints: a query reads a few values, and a
        # numpy call costs microseconds where bisect over a memoryview costs a fraction of one
        self._low, self._starts = _ints(self.low), _ints(self.starts)

    def __len__(self) -> int:
        return len(self.low)

    def at(self, index) -> np.ndarray:
        """The values at ``index`` (an int or an array of element indices), as int64."""
        index = np.asarray(index, dtype=np.int64)
        high = np.searchsorted(self.starts, index, side="right").astype(np.int64) - 1
        return (high << self.bits) | self.low[index].astype(np.int64)

    def at_few(self, index: list[int]) -> list[int]:
        """The values at the few element indices ``index`` (Python ints)."""
        starts, low, bits = self._starts, self._low, self.bits
        return [((bisect_right(starts, i) - 1) << bits) | low[i] for i in index]

    def values(self, a: int = 0, b: int | None = None) -> np.ndarray:
        """The values of elements ``[a, b)`` (all by default), as int64."""
        b = len(self.low) if b is None else b
        if a == 0 and b == len(self.low):            # one pass over the table, no search
            high = np.repeat(np.arange(self._buckets, dtype=np.int64),
                             np.diff(self.starts.astype(np.int64)))
            return (high << self.bits) | self.low.astype(np.int64)
        return self.at(np.arange(a, b, dtype=np.int64))

    def bucket(self, key: int) -> tuple[int, int]:
        """The element range ``[lo, hi)`` whose high part is ``key``'s."""
        high = key >> self.bits
        if high >= self._buckets:
            return len(self.low), len(self.low)
        return self._starts[high], self._starts[high + 1]

    def find(self, keys: list[int]) -> list[int]:
        """The element index of each of ``keys``, or -1 where it is not stored."""
        out, low, mask = [], self._low, self._mask
        for key in keys:
            lo, hi = self.bucket(key) if key >= 0 else (0, 0)
            at = bisect_left(low, key & mask, lo, hi)
            out.append(at if at < hi and low[at] == key & mask else -1)
        return out

    def searchsorted(self, key: int) -> int:
        """Where ``key`` would go among the values (the first element not below it)."""
        lo, hi = self.bucket(key)
        return bisect_left(self._low, key & self._mask, lo, hi)


def _ints(array: np.ndarray):
    """``array`` (unsigned, native byte order, contiguous) as a memoryview of Python ints."""
    if not len(array):
        return []
    code = {1: "B", 2: "H", 4: "I", 8: "Q"}[array.dtype.itemsize]
    return memoryview(np.ascontiguousarray(array).view(np.uint8)).cast(code)
