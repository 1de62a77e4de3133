"""THE text path for index time and query time: nothing else in the project tokenises Chinese.

Everything starts from one normaliser:

* ``normalize`` maps every character through one translation table: NFKC (full-width letters and
  digits to ASCII, compatibility ideographs to unified ones), lower case, and a folding of
  OpenCC's t2s/s2t data into classes of characters that write the same thing in either script
  (``search.folding``). It maps one character to exactly one character, so
  offsets into the normalised text are offsets into the original, and highlights land on the right
  characters of the text we display. It is also context free: the normal form of a substring is
  the substring of the normal form, which is what makes the recall promise below hold for
  traditional text too. (OpenCC's phrase tables are context dependent and were left out for that
  reason; both sides of a match go through the same table, so matching does not need them.)
* ``segment_spans`` cuts the normalised text with one ``jieba.Tokenizer`` in precise mode, with
  our policy dictionary, and keeps digits and single letters (``国发〔2021〕5号`` keeps its 5).
* ``analyze`` turns a text into the two token streams the postings hold (``search.postings``):
  character bigrams, one per word character, so that any run of two or more characters in a
  report is a sequence of consecutive tokens whatever jieba did with it; and jieba words, as
  hashes, which rank the matches. The indexer calls it on reports and the matcher on queries.

``WordTokenizer`` offers the jieba words in Whoosh's tokenizer form (sequential positions,
``startchar``/``endchar`` against the original value, one reused ``Token``) for the schema and
for highlighting. It is pickled into the index with the schema: keep its import path, or bump
``schema.SCHEMA_VERSION``.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import os
import sys
import tempfile
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterator

import numpy as np
from whoosh.analysis import Token, Tokenizer

from search.folding import code_table, tables

#: Bump when the analysis changes in a way the resource files do not show.
ANALYZER_VERSION = "1"

_RESOURCES = resources.files("search") / "resources"


def resource_path(name: str) -> Path:
    """Return the path of a packaged resource file (works from a checkout and from a wheel)."""
    return Path(str(_RESOURCES / name))


# --------------------------------------------------------------------------------------------
# Normalisation

def normalize(text: str) -> str:
    """Return ``text`` folded for matching; ``len(normalize(t)) == len(t)`` always holds.

    Long texts (reports, at index time and when their matches are highlighted) go through a
    numpy lookup over their code points, several times faster than ``str.translate``'s dict
    lookup per character and the same mapping (``folding.code_table``).
    """
    if len(text) < 256:
        return text.translate(tables()[0])
    return normalized_points(text).tobytes().decode("utf-32-le", "surrogatepass")


def spaceless(text: str) -> str:
    """``normalize(text)`` without any whitespace: how a title is compared with the lines that
    print it (a title wrapped or spaced apart on the page is the same title)."""
    return "".join(normalize(text).split())


def normalized_points(text: str) -> np.ndarray:
    """The code points of ``normalize(text)``, without building the normalised string (the
    highlighter maps each hit's token offsets to characters with them)."""
    return code_table()[np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")]


def traditional_ratio(text: str) -> float:
    """Return the share of CJK characters in ``text`` that exist only in traditional script."""
    trad = tables()[1]
    cjk = [ch for ch in text if "\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0003134f"]
    if not cjk:
        return 0.0
    return sum(ch in trad for ch in cjk) / len(cjk)


def detect_script(text: str) -> str:
    """Return ``"traditional"`` or ``"simplified"`` for a report's text."""
    return "traditional" if traditional_ratio(text) >= 0.05 else "simplified"


# --------------------------------------------------------------------------------------------
# Segmentation with one jieba instance

_jieba_lock = threading.Lock()


def cache_dir() -> str:
    """Return a private, writable directory for jieba's dictionary cache (and ours)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(base, "policy-search")
    try:
        os.makedirs(path, exist_ok=True)
        if os.access(path, os.W_OK):
            return path
    except OSError:
        pass
    return tempfile.gettempdir()


_quick_start = False


def prefer_quick_start() -> None:
    """Segment through the frozen dictionary (``search.frozen_dict``): for one-off commands.

    Call it before the first segmentation; the words are the same either way.
    """
    global _quick_start
    _quick_start = True


def import_jieba():
    """Import jieba without letting it import ``pkg_resources`` (0.1 s and deprecated).

    jieba falls back to opening its files by path when ``pkg_resources`` cannot be imported.
    """
    if "jieba" not in sys.modules and "pkg_resources" not in sys.modules:
        sys.modules["pkg_resources"] = None          # makes `import pkg_resources` fail
        try:
            import jieba
        finally:
            del sys.modules["pkg_resources"]
    import jieba

    return jieba


@functools.lru_cache(maxsize=1)
def jieba_tokenizer():
    """Return our one initialised ``jieba.Tokenizer`` with the policy dictionary loaded."""
    return _frozen_tokenizer() if _quick_start else _loaded_tokenizer()


def _loaded_tokenizer():
    jieba = import_jieba()
    jieba.setLogLevel(logging.WARNING)
    with _jieba_lock:
        tok = jieba.Tokenizer()
        tok.tmp_dir = cache_dir()
        tok.initialize()
        with open(resource_path("policy_dict.txt"), "rb") as fh:   # jieba leaves paths open
            tok.load_userdict(fh)
    return tok


def _frozen_tokenizer():
    """A tokenizer over the frozen table, written from a loaded tokenizer the first time."""
    from search import frozen_dict

    jieba = import_jieba()
    jieba.setLogLevel(logging.WARNING)
    folder = Path(cache_dir())
    key = frozen_dict.table_key([Path(jieba.__file__).parent / "dict.txt",
                                 resource_path("policy_dict.txt")], jieba.__version__)
    found = frozen_dict.read(folder, key)
    if found is None:
        tok = _loaded_tokenizer()
        try:
            frozen_dict.write(tok.FREQ, tok.total, folder, key)
        except OSError:
            pass
        return tok
    tok = jieba.Tokenizer()
    tok.FREQ, tok.total = found
    tok.initialized = True
    return tok


class Segmented(str):
    """A text whose jieba segmentation was already computed (in an indexing worker).

    ``spans`` is the ``(n, 2)`` array that ``segment_spans`` returns; the word tokens and the
    word postings use it instead of running jieba again, so the work is done once while the
    tokens still come from ``segment_spans`` alone.
    """

    spans: np.ndarray

    def __new__(cls, text: str, spans=None):
        obj = super().__new__(cls, text)
        obj.spans = segment_spans(text) if spans is None else spans
        return obj

    def __reduce__(self):
        return (Segmented, (str(self), self.spans))


def segment_spans(text: str) -> np.ndarray:
    """Return the ``(start, end)`` of each searchable jieba word of ``text`` as an ``(n, 2)`` array.

    Words are cut from the normalised text (precise mode, HMM on); tokens without any word
    character (punctuation, spaces) are dropped. Offsets are valid against ``text`` itself.
    jieba gives back every character of its input in order, so the offsets are the running sum
    of the word lengths.
    """
    if isinstance(text, Segmented):
        return text.spans
    norm = normalize(text)
    words = list(jieba_tokenizer().cut(norm, HMM=True))
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    ends = np.cumsum(lengths)
    starts = ends - lengths
    word_chars = np.concatenate(([0], np.cumsum(word_char_mask(code_points(norm)))))
    keep = word_chars[ends] > word_chars[starts]
    return np.stack((starts[keep], ends[keep]), axis=1).astype(np.int32)


def segment_pieces(text: str) -> list[tuple[int, int]]:
    """The stretches of ``text`` that jieba segments each on its own, in order, covering it.

    jieba cuts every run of its block characters (ideographs, letters, digits, ``+#&._%-``) by
    itself and makes each other character a token of its own, so ``segment_spans`` of the whole
    text is the union of ``segment_spans`` of each piece, shifted to where it stands: a caller
    that needs the words around one position segments only the piece that holds it.
    """
    norm = normalize(text)
    out, at = [], 0
    for m in import_jieba().re_han_default.finditer(norm):
        out.extend((i, i + 1) for i in range(at, m.start()))
        out.append((m.start(), m.end()))
        at = m.end()
    out.extend((i, i + 1) for i in range(at, len(norm)))
    return out


def segment(text: str) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of each searchable jieba word of ``text`` (see ``segment_spans``)."""
    for start, end in segment_spans(text).tolist():
        yield start, end


# --------------------------------------------------------------------------------------------
# Tokens as numbers, for the postings (search.postings)
#
# The postings hold two token streams per text field, both computed here and nowhere else, at
# index time from the report and at query time from the query:
#
# * character bigrams: one token per word character, the bigram starting there, or the
#   character alone where its run of word characters ends (so any run of two or more characters
#   in a report is a sequence of consecutive tokens, whatever jieba did with it). A token is the
#   number ``first << CODE_BITS | second`` (``second`` is 0 for a lone character); its position
#   is its index in the stream.
# * jieba words, as 64-bit hashes of their characters (``word_hashes``): they score matches
#   that jieba cut the same way in the report as in the query.

CODE_BITS = 21                          # every code point fits in 21 bits
_LOW = np.uint64((1 << CODE_BITS) - 1)
_is_word = np.zeros(0x110000, dtype=bool)
_known = np.zeros(0x110000, dtype=bool)
_mask_lock = threading.Lock()


def code_points(norm: str) -> np.ndarray:
    """Return the code points of ``norm`` as a ``uint32`` array (one per character)."""
    return np.frombuffer(norm.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def word_char_mask(points: np.ndarray) -> np.ndarray:
    """Return, per code point, whether it is a word character: CJK ideographs, letters, digits.

    ``str.isalnum`` decides, asked once per distinct code point ever seen, then remembered.
    """
    if not _known.take(points).all():          # ``take``: half the time of ``table[points]``
        new = points[~_known[points]]
        with _mask_lock:
            for point in np.unique(new).tolist():
                _is_word[point] = chr(point).isalnum()
            _known[new] = True
    return _is_word.take(points)


_is_folded_word = np.zeros(0x110000, dtype=bool)
_folded_known = np.zeros(0x110000, dtype=bool)


def folded_word_mask(points: np.ndarray) -> np.ndarray:
    """``word_char_mask`` of the normalised code points, from the original ones: per code point
    of a text, whether its normal form is a word character.

    The same answer as ``word_char_mask(normalized_points(text))`` (normalisation maps each
    character alone), with one table lookup instead of three: the highlighter maps every hit's
    token offsets to characters with it, and that lookup was a sixth of a hit's time.
    """
    if not _folded_known.take(points).all():
        new = np.unique(points[~_folded_known[points]])
        word = word_char_mask(code_table().take(new))
        with _mask_lock:
            _is_folded_word[new] = word
            _folded_known[new] = True
    return _is_folded_word.take(points)


def bigram_codes(norm: str, mode: str = "") -> tuple[np.ndarray, bool]:
    """Return the bigram tokens of normalised text as codes, and whether the last one is open.

    At query time (``mode="query"``) the last run of the query is open-ended: the report may go
    on after it. A last run of two or more characters drops its trailing lone character (the
    last bigram covers it); a last run of one character stays, and ``True`` says it is a prefix:
    it matches any token that starts with that character.
    """
    points = code_points(norm)
    word = word_char_mask(points)
    at = np.flatnonzero(word)
    followed = np.zeros(len(at), dtype=bool)
    inner = at + 1 < len(points)
    followed[inner] = word[at[inner] + 1]
    second = np.where(followed, points[np.minimum(at + 1, max(len(points) - 1, 0))], 0)
    codes = (points[at].astype(np.uint64) << np.uint64(CODE_BITS)) | second.astype(np.uint64)
    if mode == "query" and len(codes):
        if len(codes) >= 2 and followed[-2]:
            return codes[:-1], False
        return codes, True
    return codes, False


def decode_bigram(code: int) -> str:
    """Return the text of one bigram token code (for tests and for reading an index by hand)."""
    second = int(code) & int(_LOW)
    return chr(int(code) >> CODE_BITS) + (chr(second) if second else "")


_HASH_BASE = np.uint64(0x100000001B3)
_powers = np.ones(1, dtype=np.uint64)


_powers_lock = threading.Lock()


def _hash_powers(at_least: int) -> np.ndarray:
    """Return powers of the hash base, at least ``at_least`` of them.

    The table only grows, under a lock, and the caller keeps the array it got: a thread must
    never index a shorter table that another thread published meanwhile.
    """
    global _powers
    powers = _powers
    if at_least <= len(powers):
        return powers
    with _powers_lock:
        if at_least > len(_powers):
            grown = np.full(max(at_least, 2 * len(_powers)), _HASH_BASE, dtype=np.uint64)
            grown[0] = 1
            _powers = np.cumprod(grown, dtype=np.uint64)
        return _powers


def word_hashes(norm: str, spans: np.ndarray) -> np.ndarray:
    """Return a 64-bit hash of each word ``norm[start:end]`` for the ``(n, 2)`` spans given.

    A polynomial over the code points, then a 64-bit finaliser (splitmix64), all in numpy. Two
    different words share a hash with a chance of about one in 10^13 for a million distinct
    words; words only rank matches (which reports match is decided by the bigrams, exactly).
    """
    if not len(spans):
        return np.zeros(0, dtype=np.uint64)
    starts, ends = spans[:, 0].astype(np.int64), spans[:, 1].astype(np.int64)
    lengths = ends - starts
    powers = _hash_powers(int(lengths.max()))
    flat = np.cumsum(lengths) - lengths
    index = np.arange(int(lengths.sum()), dtype=np.int64) + np.repeat(starts - flat, lengths)
    exponent = np.repeat(ends - 1, lengths) - index
    values = code_points(norm)[index].astype(np.uint64) * powers[exponent]
    h = np.add.reduceat(values, flat) ^ lengths.astype(np.uint64)
    h ^= h >> np.uint64(30)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(27)
    h *= np.uint64(0x94D049BB133111EB)
    h ^= h >> np.uint64(31)
    return h


# --------------------------------------------------------------------------------------------
# Whoosh tokenizers

class WordTokenizer(Tokenizer):
    """jieba words of the normalised text (precise mode, policy dictionary, digits kept)."""

    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__

    def __hash__(self):
        return hash(self.__class__.__name__)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.boost, t.stopped = 1.0, False
        norm = normalize(value)
        spans = segment(value) if tokenize else [(0, len(value))]
        for pos, (start, end) in enumerate(spans, start_pos):
            t.text = norm[start:end]
            if keeporiginal:
                t.original = value[start:end]
            if positions:
                t.pos = pos
            if chars:
                t.startchar, t.endchar = start_char + start, start_char + end
            yield t


def word_analyzer() -> WordTokenizer:
    """Return the analyzer of the word fields (content, title)."""
    return WordTokenizer()


def query_words(analyzer, text: str) -> list[str]:
    """Return the words of query ``text`` as a field's own analyzer cuts them."""
    return [t.text for t in analyzer(text, mode="query")]


@dataclass(frozen=True)
class Analyzed:
    """A text as the postings see it: bigram token codes and jieba word hashes."""

    bigrams: np.ndarray          # uint64 codes, one per word character (see bigram_codes)
    open_end: bool               # query only: the last bigram code is a prefix
    words: np.ndarray            # uint64 hashes of the jieba words, in text order
    breaks: tuple = ()           # query only: (offset, code) of the other form of a token


def analyze(text: str, mode: str = "") -> Analyzed:
    """Return both token streams of ``text`` (a report, or a query term with ``mode="query"``).

    A query also says where the report may differ from it: between two of the query's jieba
    words, the report may break the run of characters (``双随机、一公开`` for ``双随机一公开``) or
    not break it (the other way round). At such an offset either token counts (``breaks``).
    The same holds inside one long query word at the edges of the dictionary words it is made of
    (``放管服改革`` finds ``“放管服”改革``), so the rule does not depend on whether the dictionary
    happens to hold the compound.
    """
    norm = normalize(text)
    spans = segment_spans(text)
    codes, open_end = bigram_codes(norm, mode)
    words = word_hashes(norm, spans)
    if mode != "query" or not len(spans):
        return Analyzed(codes, open_end, words)
    points = code_points(norm)
    word = word_char_mask(points)
    offset = np.cumsum(word) - 1                # token offset of each word character
    breaks = {}
    for (_, end), (start, _) in zip(spans.tolist(), spans[1:].tolist()):
        last = end - 1 - int(np.argmax(word[end - 1::-1]))
        first = start + int(np.argmax(word[start:]))
        a, b = int(points[last]), int(points[first])
        other = a << CODE_BITS if first == last + 1 else (a << CODE_BITS) | b
        breaks[int(offset[last])] = other
    for start, end in spans.tolist():
        for cut in inner_cuts(norm[start:end]):
            last = start + cut - 1
            if word[last] and word[last + 1]:
                breaks.setdefault(int(offset[last]), int(points[last]) << CODE_BITS)
    breaks = sorted(breaks.items())
    if not breaks:
        return Analyzed(codes, open_end, words)
    if not open_end and breaks[-1][0] == len(codes) - 1:   # the dropped last character is
        last = int(np.flatnonzero(word)[-1])              # needed after a break there
        codes = np.append(codes, np.uint64(int(points[last]) << CODE_BITS))
        open_end = True
    return Analyzed(codes, open_end, words, tuple(breaks))


def inner_cuts(word: str) -> list[int]:
    """Offsets inside one jieba word where a shorter dictionary word of it starts or ends.

    ``放管服改革`` (one word when the dictionary holds it) → ``[3]``: 改革 starts there. Only
    words of three characters or more are cut; two-character words have no inside.
    """
    if len(word) < 3:
        return []
    dag = jieba_tokenizer().get_DAG(word)
    cuts = set()
    for i, ends in dag.items():
        for j in ends:
            if j > i and (i, j + 1) != (0, len(word)):
                cuts.update(k for k in (i, j + 1) if 0 < k < len(word))
    return sorted(cuts)


# --------------------------------------------------------------------------------------------
# Fingerprint

@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """Return a short hash of everything that decides tokens: code version, dictionaries, tables."""
    jieba = import_jieba()

    h = hashlib.sha256(ANALYZER_VERSION.encode())
    h.update(jieba.__version__.encode())
    for name in ("policy_dict.txt",):
        h.update(resource_path(name).read_bytes())
    jieba_dict = Path(jieba.__file__).parent / "dict.txt"
    h.update(str(jieba_dict.stat().st_size).encode())
    table = tables()[0]
    h.update(repr(sorted(table.items())).encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:16]
