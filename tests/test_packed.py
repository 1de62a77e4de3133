"""Bit-packed runs and split sorted arrays: every way of reading them gives back exactly what was
stored."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search import packed, split


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


def test_runs_kept_merged_are_sorted_once_and_read_back_from_memory():
    """``decode_kept(..., merged=True)``: several runs as one ascending array, kept when long
    (a second call returns the same array, read-only), apart from the same runs kept as
    they are; below ``least`` values decoded and sorted every time."""
    rng = np.random.default_rng(5)
    runs = _runs(rng, 90, 200, 24)
    values = np.concatenate(runs).astype(np.uint32)
    ptr = np.concatenate(([0], np.cumsum([len(r) for r in runs])))
    reader = packed.PackedRuns(packed.pack(values, ptr[:-1]), len(values), np.uint32)
    packed.drop_decoded()
    a, b = int(ptr[0]), int(ptr[-1])
    merged = reader.decode_kept(a, b, least=1, run_starts=ptr[1:-1], merged=True)
    assert merged.tolist() == np.sort(values).tolist() and not merged.flags.writeable
    assert reader.decode_kept(a, b, least=1, run_starts=ptr[1:-1], merged=True) is merged
    as_stored = reader.decode_kept(a, b, least=1, run_starts=ptr[1:-1])
    assert as_stored.tolist() == values.tolist()
    assert reader.decode_kept(a, b, least=1, run_starts=ptr[1:-1]) is as_stored
    few = reader.decode_kept(a, b, least=b + 1, run_starts=ptr[1:-1], merged=True)
    assert few.tolist() == merged.tolist() and few is not merged
    packed.drop_decoded()
    again = reader.decode_kept(a, b, least=1, run_starts=ptr[1:-1], merged=True)
    assert again is not merged and again.tolist() == merged.tolist()


def test_gaps_take_the_bits_their_block_needs():
    values = np.arange(0, 64 * 1000 * 3, 3, dtype=np.uint32)     # gaps of 3: two bits each
    arrays = packed.pack(values, np.array([0]))
    assert set(arrays["width"].tolist()) == {2}
    assert len(arrays["data"]) <= len(values) * 2 // 8 + 8


def test_nothing_packs_to_nothing():
    arrays = packed.pack(np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.int64))
    reader = packed.PackedRuns(arrays, 0, np.uint32)
    assert reader.decode(0, 0).tolist() == [] and reader.windows([(0, 0)], 0, 9)[0].tolist() == []


# --------------------------------------------------------------------------------------------
# Plain values (a word's counts, less one): packed as they are, read back with ``decode``

@pytest.mark.parametrize("values", [[], [0], [7], [0] * 64, [0] * 65, [254, 255, 256, 0, 1],
                                    [2 ** 32 - 1, 0, 3], [2 ** 40] + [1] * 100])
def test_plain_values_read_back_at_their_edges(values):
    array = np.array(values, dtype=np.uint64)
    arrays = packed.pack(array, None)
    assert "first" not in arrays                   # no gaps: nothing to restart a sum from
    reader = packed.PackedRuns(arrays, len(array), np.int64)
    assert reader.decode(0, len(array)).tolist() == values
    for a in range(min(len(values), 70)):
        for b in (a, a + 1, min(a + 9, len(values)), len(values)):
            assert reader.decode(a, b).tolist() == values[a:b], (a, b)


def test_counts_of_one_take_no_bits_and_a_large_one_only_its_block():
    counts = np.zeros(64 * 100, dtype=np.uint32)            # counts of 1, stored less one
    counts[64 * 7 + 3] = 999
    arrays = packed.pack(counts, None)
    assert np.flatnonzero(arrays["width"]).tolist() == [7] and arrays["width"][7] == 10
    assert len(arrays["data"]) == 10 * 8 + 8                # one block of 10 bits, spare word
    reader = packed.PackedRuns(arrays, len(counts), np.int64)
    assert reader.decode(0, len(counts)).tolist() == counts.tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 300), max_size=140), max_size=12),
       st.lists(st.integers(0, 2 ** 17), min_size=1, max_size=200))
def test_runs_and_plain_values_read_back_whatever_they_hold(counts, docs):
    runs = [np.unique(np.array(docs[:k + 1], dtype=np.int64)) for k in range(0, len(docs), 37)]
    values = np.concatenate(runs)
    ptr = np.concatenate(([0], np.cumsum([len(r) for r in runs])))
    reader = packed.PackedRuns(packed.pack(values, ptr[:-1]), len(values), np.int64)
    assert reader.decode(0, len(values), ptr[1:-1]).tolist() == values.tolist()
    assert [reader.decode(int(a), int(b)).tolist() for a, b in zip(ptr[:-1], ptr[1:])] == \
        [r.tolist() for r in runs]
    flat = np.array([c for part in counts for c in part], dtype=np.uint64)
    plain = packed.PackedRuns(packed.pack(flat, None), len(flat), np.int64)
    at = np.cumsum([0] + [len(p) for p in counts])
    assert [plain.decode(int(a), int(b)).tolist() for a, b in zip(at[:-1], at[1:])] == counts


# --------------------------------------------------------------------------------------------
# Sorted arrays split into low bytes and the starts of each high part (``search.split``)

@pytest.mark.parametrize("values", [[], [0], [65535], [65536], [0, 255, 256, 65535, 65536],
                                    list(range(0, 70_000, 7)), [5] * 3 + [2 ** 33],
                                    [2 ** 42 - 1]])
def test_split_values_read_back_and_are_found(values):
    array = np.array(values, dtype=np.uint64)
    arrays = split.split(array)
    reader = split.SplitArray(arrays)
    assert len(reader) == len(values) and reader.values().tolist() == values
    assert int(reader.starts[0]) == 0 and int(reader.starts[-1]) == len(values)
    if values:
        index = np.arange(len(values))[::max(len(values) // 50, 1)]
        assert reader.at(index).tolist() == [values[i] for i in index]
        assert reader.values(1, len(values)).tolist() == values[1:]
    probes = sorted(set(values[:40] + [0, 1, 255, 256, 65535, 65536, 2 ** 33, 2 ** 42]))
    assert reader.find(probes) == [values.index(p) if p in values else -1 for p in probes]
    assert [reader.searchsorted(p) for p in probes] == \
        np.searchsorted(np.array(values, dtype=np.uint64), probes).tolist()
    assert reader.find([-1]) == [-1]


def test_split_takes_the_width_that_makes_it_smallest():
    dense = split.split(np.arange(0, 3_000_000, 4, dtype=np.uint64))     # small gaps: a byte
    assert dense["low"].dtype == np.uint8 and len(dense["starts"]) == 3_000_000 // 256 + 2
    sparse = split.split(np.arange(0, 2 ** 31, 2 ** 20, dtype=np.uint64))   # few, far apart
    assert sparse["low"].dtype == np.uint32 and sparse["starts"].tolist() == [0, 2048]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 2 ** 24), max_size=400, unique=True),
       st.lists(st.integers(0, 2 ** 24 + 5), max_size=20))
def test_split_arrays_answer_as_the_sorted_array_does(values, probes):
    values = sorted(values)
    reader = split.SplitArray(split.split(np.array(values, dtype=np.uint64)))
    assert reader.values().tolist() == values
    assert reader.find(probes) == [values.index(p) if p in values else -1 for p in probes]
    assert [reader.searchsorted(p) for p in probes] == np.searchsorted(
        np.array(values, dtype=np.int64), np.array(probes, dtype=np.int64)).tolist()
