"""Bit-packed ascending runs: every way of reading them gives back exactly what was packed."""
from __future__ import annotations

import numpy as np
import pytest

from search import packed


def _runs(rng, count: int, longest: int, bits: int) -> list[np.ndarray]:
    return [np.unique(rng.integers(0, 2 ** bits, int(rng.integers(1, longest + 1))))
            for _ in range(count)]


@pytest.mark.parametrize("seed,longest,bits", [(0, 3, 12), (1, 60, 20), (2, 3000, 32),
                                               (3, 200, 8), (4, 130, 33)])
def test_runs_read_back_whole_in_windows_and_by_membership(seed, longest, bits):
    rng = np.random.default_rng(seed)
    runs = _runs(rng, int(rng.integers(1, 300)), longest, bits)
    dtype = np.uint64 if bits > 32 else np.uint32
    values = np.concatenate(runs).astype(dtype)
    ptr = np.concatenate(([0], np.cumsum([len(r) for r in runs])))
    reader = packed.PackedRuns(packed.pack(values, ptr[:-1]), len(values), dtype)
    assert reader.decode(0, len(values), ptr[1:-1]).tolist() == values.tolist()
    for i in rng.integers(0, len(runs), 25).tolist():
        a, b, run = int(ptr[i]), int(ptr[i + 1]), runs[i]
        assert reader.decode(a, b).tolist() == run.tolist()
        lo, hi = sorted(rng.integers(0, 2 ** bits, 2).tolist())
        if rng.random() < 0.5:
            lo, hi = int(run[len(run) // 3]), int(run[-1])
        assert reader.window(a, b, lo, hi).tolist() == run[(run >= lo) & (run < hi)].tolist()
        probes = np.sort(np.concatenate((rng.choice(run, min(3, len(run))),
                                         rng.integers(0, 2 ** bits, 3)))).astype(np.int64)
        assert reader.contains(a, b, probes).tolist() == np.isin(probes, run).tolist()
    picked = rng.integers(0, len(runs), 4).tolist()
    got = reader.windows([(int(ptr[i]), int(ptr[i + 1])) for i in picked], 0, 2 ** (bits - 1))
    assert [g.tolist() for g in got] == [runs[i][runs[i] < 2 ** (bits - 1)].tolist()
                                         for i in picked]


def test_gaps_take_the_bits_their_block_needs():
    values = np.arange(0, 64 * 1000 * 3, 3, dtype=np.uint32)     # gaps of 3: two bits each
    arrays = packed.pack(values, np.array([0]))
    assert set(arrays["width"].tolist()) == {2}
    assert len(arrays["data"]) <= len(values) * 2 // 8 + 8


def test_nothing_packs_to_nothing():
    arrays = packed.pack(np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.int64))
    reader = packed.PackedRuns(arrays, 0, np.uint32)
    assert reader.decode(0, 0).tolist() == [] and reader.windows([(0, 0)], 0, 9)[0].tolist() == []
