"""THE text path for index time and query time: nothing else in the project tokenises Chinese.

Two analyzers share one normaliser:

* ``normalize`` maps every character through one translation table: NFKC (full-width letters and
  digits to ASCII, compatibility ideographs to unified ones), lower case, and a folding of
  OpenCC's t2s/s2t data into classes of characters that write the same thing in either script
  (see ``_script_folding``). It maps one character to exactly one character, so
  offsets into the normalised text are offsets into the original, and highlights land on the right
  characters of the text we display. It is also context free: the normal form of a substring is
  the substring of the normal form, which is what makes the recall promise below hold for
  traditional text too. (OpenCC's phrase tables are context dependent and were left out for that
  reason; both sides of a match go through the same table, so matching does not need them.)
* ``WordTokenizer`` segments the normalised text with one ``jieba.Tokenizer`` in precise mode, with
  our policy dictionary, and keeps digits and single letters (``国发〔2021〕5号`` keeps its 5).
* ``BigramTokenizer`` emits one token per word character: the bigram starting there, or the
  character alone where its run of word characters ends. Any run of two or more characters in a
  report is then a phrase of consecutive bigrams, whatever jieba did with it.

Both keep Whoosh's tokenizer contract: sequential positions, ``startchar``/``endchar`` against the
original value, ``start_pos``/``start_char`` honoured, one reused ``Token``. The classes are pickled
into the index with the schema: keep their import path, or bump ``schema.SCHEMA_VERSION``.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import os
import tempfile
import threading
import unicodedata
from importlib import resources
from pathlib import Path
from typing import Iterator

from whoosh.analysis import Token, Tokenizer

#: Bump when the analysis changes in a way the resource files do not show.
ANALYZER_VERSION = "1"

_RESOURCES = resources.files("search") / "resources"


def resource_path(name: str) -> Path:
    """Return the path of a packaged resource file (works from a checkout and from a wheel)."""
    return Path(str(_RESOURCES / name))


# --------------------------------------------------------------------------------------------
# Normalisation

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


def _script_folding() -> tuple[dict[str, str], frozenset[str]]:
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


@functools.lru_cache(maxsize=1)
def _tables() -> tuple[dict[int, str], frozenset[str]]:
    """Build the translation table and the set of traditional-only characters once."""
    script, traditional = _script_folding()
    table: dict[int, str] = {}
    candidates = {chr(c) for lo, hi in _NFKC_RANGES for c in range(lo, hi)} | set(script)
    for ch in candidates:
        if 0xD800 <= ord(ch) <= 0xDFFF:
            continue
        folded = _fold_char(ch, script)
        if folded != ch:
            table[ord(ch)] = folded
    return table, traditional


def normalize(text: str) -> str:
    """Return ``text`` folded for matching; ``len(normalize(t)) == len(t)`` always holds."""
    return text.translate(_tables()[0])


def traditional_ratio(text: str) -> float:
    """Return the share of CJK characters in ``text`` that exist only in traditional script."""
    trad = _tables()[1]
    cjk = [ch for ch in text if "\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0003134f"]
    if not cjk:
        return 0.0
    return sum(ch in trad for ch in cjk) / len(cjk)


def detect_script(text: str) -> str:
    """Return ``"traditional"`` or ``"simplified"`` for a report's text."""
    return "traditional" if traditional_ratio(text) >= 0.05 else "simplified"


def is_word_char(ch: str) -> bool:
    """True for characters that can be searched: CJK ideographs, letters and digits."""
    return ch.isalnum()


# --------------------------------------------------------------------------------------------
# Segmentation with one jieba instance

_jieba_lock = threading.Lock()


def _cache_dir() -> str:
    """Return a private, writable directory for jieba's dictionary cache."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(base, "policy-search")
    try:
        os.makedirs(path, exist_ok=True)
        if os.access(path, os.W_OK):
            return path
    except OSError:
        pass
    return tempfile.gettempdir()


@functools.lru_cache(maxsize=1)
def jieba_tokenizer():
    """Return our one initialised ``jieba.Tokenizer`` with the policy dictionary loaded."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    with _jieba_lock:
        tok = jieba.Tokenizer()
        tok.tmp_dir = _cache_dir()
        tok.initialize()
        with open(resource_path("policy_dict.txt"), "rb") as fh:   # jieba leaves paths open
            tok.load_userdict(fh)
    return tok


class Segmented(str):
    """A text whose jieba segmentation was already computed (in an indexing worker).

    ``WordTokenizer`` uses ``spans`` instead of running jieba again, so the work is done once and
    can be spread over processes, while the tokens still come from ``segment`` alone.
    """

    spans: tuple

    def __new__(cls, text: str, spans=None):
        obj = super().__new__(cls, text)
        obj.spans = tuple(segment(text)) if spans is None else tuple(spans)
        return obj

    def __reduce__(self):
        return (Segmented, (str(self), self.spans))


def segment(text: str) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of each searchable jieba word of ``text`` (precise mode).

    Words are cut from the normalised text; tokens without any word character (punctuation,
    spaces) are dropped. Offsets are valid against ``text`` itself.
    """
    if isinstance(text, Segmented):
        yield from text.spans
        return
    norm = normalize(text)
    for word, start, end in jieba_tokenizer().tokenize(norm, mode="default", HMM=True):
        if any(is_word_char(ch) for ch in word):
            yield start, end


def word_runs(norm: str) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of each maximal run of word characters in ``norm``."""
    start = None
    for i, ch in enumerate(norm):
        if ch.isalnum():
            if start is None:
                start = i
        elif start is not None:
            yield start, i
            start = None
    if start is not None:
        yield start, len(norm)


# --------------------------------------------------------------------------------------------
# Whoosh tokenizers

class _PolicyTokenizer(Tokenizer):
    """Shared Whoosh plumbing: fill and yield one reused ``Token`` per span.

    Subclasses yield ``(text, start, end, prefix)`` spans of the normalised text; ``prefix`` marks
    a query token that may be continued in the report (see ``BigramTokenizer``).
    """

    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__

    def __hash__(self):
        return hash(self.__class__.__name__)

    def spans(self, value: str, norm: str, mode: str) -> Iterator[tuple[str, int, int, bool]]:
        raise NotImplementedError

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = normalize(value)
            t.boost, t.stopped, t.prefix = 1.0, False, False
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        pos = start_pos
        for text, start, end, prefix in self.spans(value, normalize(value), mode):
            t.text = text
            t.boost, t.stopped, t.prefix = 1.0, False, prefix
            if keeporiginal:
                t.original = value[start:end]
            if positions:
                t.pos = pos
                pos += 1
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            yield t


class WordTokenizer(_PolicyTokenizer):
    """jieba words of the normalised text (precise mode, policy dictionary, digits kept)."""

    def spans(self, value, norm, mode):
        for start, end in segment(value):
            yield norm[start:end], start, end, False


class BigramTokenizer(_PolicyTokenizer):
    """One token per word character: the bigram starting there, or the lone last character of a run.

    At query time (``mode="query"``) the last run of the query is open-ended: the report may go on
    after it. A last run of two or more characters drops its trailing single character (the last
    bigram covers it); a last run of one character is yielded with ``prefix=True`` so the planner
    can match any bigram that starts with it.
    """

    def spans(self, value, norm, mode):
        runs = list(word_runs(norm))
        for n, (start, end) in enumerate(runs):
            open_end = mode == "query" and n == len(runs) - 1
            for i in range(start, end - 1):
                yield norm[i:i + 2], i, i + 2, False
            if not (open_end and end - start >= 2):
                yield norm[end - 1], end - 1, end, open_end


def word_analyzer() -> WordTokenizer:
    """Return the analyzer of the word fields (content, title)."""
    return WordTokenizer()


def bigram_analyzer() -> BigramTokenizer:
    """Return the analyzer of the bigram fields (content_bigrams, title_bigrams)."""
    return BigramTokenizer()


def query_tokens(analyzer, text: str) -> list[tuple[str, bool]]:
    """Analyse query ``text`` with a field's own analyzer: ``[(token text, is_prefix)]``."""
    return [(t.text, bool(getattr(t, "prefix", False)))
            for t in analyzer(text, positions=True, chars=True, mode="query")]


# --------------------------------------------------------------------------------------------
# Fingerprint

@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """Return a short hash of everything that decides tokens: code version, dictionaries, tables."""
    import jieba

    h = hashlib.sha256(ANALYZER_VERSION.encode())
    h.update(jieba.__version__.encode())
    for name in ("policy_dict.txt",):
        h.update(resource_path(name).read_bytes())
    jieba_dict = Path(jieba.__file__).parent / "dict.txt"
    h.update(str(jieba_dict.stat().st_size).encode())
    table = _tables()[0]
    h.update(repr(sorted(table.items())).encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:16]
