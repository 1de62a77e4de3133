"""jieba's word frequencies as a file read in place, for processes that segment little.

Loading jieba's dictionary (its marshal cache of about 500,000 words and word prefixes) takes
about 0.65 s: more than a whole one-off ``policy-search search`` should take. The table our
tokenizer ends up with (jieba's dictionary plus ``resources/policy_dict.txt``, prefixes
included) is written once, beside jieba's cache, as a sorted array of UTF-8 keys and an array
of their frequencies; numpy maps them back in place, so opening costs nothing and a lookup is a
binary search (about 2 µs, against 0.05 µs in the dict). The tokenizer over it segments exactly
as the loaded one (same table, same total: ``tests/test_frozen_dict.py``). Long-lived processes
(the web server, the indexer) keep loading the dict, which is faster once loaded.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np

#: Bump when the file layout changes.
FORMAT = 1


class FrozenFrequencies:
    """The read-only mapping ``word → frequency`` that jieba's tokenizer consults (its FREQ).

    jieba only tests membership, indexes, calls ``get`` and, for added words, assigns: added
    words go to a small dict in front of the arrays.
    """

    def __init__(self, keys: np.ndarray, freqs: np.ndarray):
        self.keys, self.freqs = keys, freqs
        self.width, self.size = keys.dtype.itemsize, len(keys)
        self.added: dict[str, int] = {}

    def _find(self, word: str):
        if word in self.added:
            return self.added[word]
        key = word.encode("utf-8", "surrogatepass")
        if not key or len(key) > self.width or key.endswith(b"\0"):
            return None
        i = int(np.searchsorted(self.keys, key))
        if i < self.size and self.keys[i] == key:
            return int(self.freqs[i])
        return None

    def __contains__(self, word) -> bool:
        return self._find(word) is not None

    def __getitem__(self, word: str) -> int:
        found = self._find(word)
        if found is None:
            raise KeyError(word)
        return found

    def get(self, word: str, default=None):
        found = self._find(word)
        return default if found is None else found

    def __setitem__(self, word: str, freq: int) -> None:
        self.added[word] = freq

    def __len__(self) -> int:
        return self.size + len(self.added)


def write(freq: dict[str, int], total: int, folder: Path, key: str) -> None:
    """Write ``freq`` and ``total`` as the frozen table named by ``key`` (atomically)."""
    words = sorted(w.encode("utf-8", "surrogatepass") for w in freq)
    width = max(len(w) for w in words)
    keys = np.array(words, dtype=f"S{width}")
    values = np.array([freq[w.decode("utf-8", "surrogatepass")] for w in words] + [total],
                      dtype=np.int64)
    for suffix, array in (("freq", values), ("keys", keys)):        # keys last: they mark done
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".jieba-frozen-")
        with os.fdopen(fd, "wb") as fh:
            np.save(fh, array)
        os.replace(tmp, folder / f"jieba-frozen-{key}.{suffix}.npy")


def read(folder: Path, key: str) -> tuple[FrozenFrequencies, int] | None:
    """Map the frozen table named by ``key``; None when it is missing or damaged."""
    try:
        keys = np.load(folder / f"jieba-frozen-{key}.keys.npy", mmap_mode="r")
        values = np.load(folder / f"jieba-frozen-{key}.freq.npy", mmap_mode="r")
    except (OSError, ValueError):
        return None
    if keys.dtype.kind != "S" or len(values) != len(keys) + 1:
        return None
    return FrozenFrequencies(keys, values[:-1]), int(values[-1])


def table_key(sources: list[Path], version: str) -> str:
    """A name for the table built from these dictionary files by this jieba version."""
    h = hashlib.sha256(f"{FORMAT} {version}".encode())
    for source in sources:
        h.update(source.read_bytes() if source.stat().st_size < 1 << 20 else
                 f"{source} {source.stat().st_size} {source.stat().st_mtime_ns}".encode())
    return h.hexdigest()[:16]
