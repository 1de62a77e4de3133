"""The normalisation table: which characters ``analysis.normalize`` folds, and into what.

One character always maps to one character (so offsets survive) and the map is context free
(so the normal form of a substring is the substring of the normal form). It joins NFKC (full
width to ASCII, compatibility ideographs to unified ones), lower case, and OpenCC's
traditional/simplified data, folded into classes of characters that write the same thing in
either script. Built once per process from the installed OpenCC and jieba dictionaries; the
analyzer fingerprint hashes the result, so an index built with other tables is rebuilt.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.util
import marshal
import os
import tempfile
import unicodedata
from pathlib import Path

import numpy as np


def _opencc_pairs(name: str):
    """Yield ``(source, first target)`` from one of OpenCC's dictionary files."""
    import opencc  # opencc-python-reimplemented ships the dictionary files in its package

    with open(Path(opencc.__file__).parent / "dictionary" / name, encoding="utf-8") as fh:
        for line in fh:
            source, _, targets = line.rstrip("\n").partition("\t")
            if targets:
                yield source, targets.split(" ")[0]


def _jieba_char_frequencies() -> dict[str, int]:
    """Return jieba's frequency of each single-character word (how common a character is)."""
    import jieba

    freq = {}
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as fh:
        for line in fh:
            if line[1] == " ":
                freq[line[0]] = int(line[2:].split(" ", 1)[0])
    return freq


def script_folding() -> tuple[dict[str, str], frozenset[str]]:
    """Map every character to the one representative of its traditional/simplified class.

    Classes join a traditional character and its first t2s target, a simplified character and
    its first s2t form, and the characters that OpenCC's s2t phrase table swaps (了解 → 瞭解,
    答复 → 答覆). Each class folds to its most common member by jieba's frequencies, so jieba
    keeps seeing ordinary simplified text. Returns the map and the traditional-only characters.
    """
    parent: dict[str, str] = {}

    def find(c: str) -> str:
        while parent.get(c, c) != c:
            c = parent[c]
        return c

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb

    traditional = set()
    for source, target in _opencc_pairs("TSCharacters.txt"):
        if len(source) == len(target) == 1 and source != target:
            traditional.add(source)
            union(source, target)
    for source, target in _opencc_pairs("STCharacters.txt"):
        if len(source) == len(target) == 1 and source != target:
            traditional.add(target)
            union(source, target)
    for source, target in _opencc_pairs("STPhrases.txt"):
        if len(source) == len(target):
            for a, b in zip(source, target):
                if a != b:
                    union(a, b)
    freq = _jieba_char_frequencies()
    members: dict[str, list[str]] = {}
    for c in set(parent) | set(parent.values()):
        members.setdefault(find(c), []).append(c)
    folding = {}
    for group in members.values():
        rep = max(group, key=lambda c: (c not in traditional, freq.get(c, 0), -ord(c)))
        traditional.discard(rep)
        folding.update((c, rep) for c in group if c != rep)
    return folding, frozenset(traditional)


# Ranges where NFKC or lower-casing change single characters in ways that matter for our text:
# Latin and other alphabets, CJK symbols (ideographic space), CJK compatibility ideographs,
# half-width and full-width forms. Scanning only these keeps start-up fast.
_NFKC_RANGES = ((0x0000, 0x0530), (0x1E00, 0x2200), (0x2460, 0x2500), (0x3000, 0x3040),
                (0xF900, 0xFB00), (0xFE30, 0xFFF0), (0x2F800, 0x2FA20))


def _fold_char(ch: str, script: dict[str, str]) -> str:
    """Fold one character: NFKC and lower case where that stays one character, then script."""
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) != 1:
        folded = ch
    lowered = folded.lower()
    if len(lowered) == 1:
        folded = lowered
    return script.get(folded, folded)


#: Bump when the way the table is built changes (the cache key also covers the inputs).
_CACHE_FORMAT = 1


@functools.lru_cache(maxsize=1)
def tables() -> tuple[dict[int, str], frozenset[str]]:
    """The translation table and the traditional-only characters, built once per machine.

    Building them reads OpenCC's and jieba's dictionaries (about 0.45 s), which a one-off
    ``policy-search search`` cannot afford; the result is cached beside jieba's own cache,
    keyed by those files and the Unicode version, so any change rebuilds it.
    """
    path = _cache_path()
    try:
        with open(path, "rb") as fh:
            table, traditional = marshal.load(fh)
        return table, frozenset(traditional)
    except (OSError, EOFError, ValueError, TypeError):
        pass
    table, traditional = build_tables()
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".folding-")
        with os.fdopen(fd, "wb") as fh:
            marshal.dump((table, traditional), fh)
        os.replace(tmp, path)
    except OSError:
        pass                        # no writable cache: build again next time
    return table, traditional


def _package_dir(name: str) -> Path:
    """Where an installed package lives, found without importing it (jieba's import is slow)."""
    spec = importlib.util.find_spec(name)
    return Path(list(spec.submodule_search_locations)[0])


def _cache_path() -> Path:
    from search.analysis import cache_dir

    key = hashlib.sha256(f"{_CACHE_FORMAT} {unicodedata.unidata_version}".encode())
    folder = _package_dir("opencc") / "dictionary"
    for source in (folder / "TSCharacters.txt", folder / "STCharacters.txt",
                   folder / "STPhrases.txt", _package_dir("jieba") / "dict.txt"):
        st = source.stat()
        key.update(f"{source} {st.st_size} {st.st_mtime_ns}".encode())
    return Path(cache_dir()) / f"folding-{key.hexdigest()[:16]}.marshal"


def build_tables() -> tuple[dict[int, str], frozenset[str]]:
    """Build the translation table and the set of traditional-only characters."""
    script, traditional = script_folding()
    table: dict[int, str] = {}
    candidates = {chr(c) for lo, hi in _NFKC_RANGES for c in range(lo, hi)} | set(script)
    for ch in candidates:
        if 0xD800 <= ord(ch) <= 0xDFFF:
            continue
        folded = _fold_char(ch, script)
        if folded != ch:
            table[ord(ch)] = folded
    return table, traditional


@functools.lru_cache(maxsize=1)
def code_table() -> np.ndarray:
    """The translation table as an array: code point → code point (4.4 MB)."""
    table = np.arange(0x110000, dtype="<u4")
    mapping = tables()[0]
    table[np.fromiter(mapping, dtype=np.int64, count=len(mapping))] = np.fromiter(
        map(ord, mapping.values()), dtype="<u4", count=len(mapping))
    return table
