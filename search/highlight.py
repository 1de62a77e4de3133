"""Find and show where a query matched in a report's stored text.

Spans come from the matcher (``matching.term_spans``: the occurrences the postings hold, so a
report found is a report highlighted). They are offsets of the normalised text, which has the
length of the original (see ``analysis.normalize``), so they mark the same characters of the
original-script text we display, and a traditional report lights up for a simplified query.
Spans are whole query phrases, so a phrase is highlighted as the phrase that matched.

Fragments are built from sentences (cut at 。！？；… and line breaks); a sentence longer than the
fragment size is trimmed around its first match at a jieba word boundary, never inside a word.
Fragments are plain data (text plus highlight offsets); ``to_html`` escapes every piece of
document text, so a report can never inject markup.
"""
from __future__ import annotations

import bisect
import functools
import html
import itertools
import re
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from search.analysis import normalize, segment, segment_pieces, segment_spans, spaceless

_SENTENCE_END = re.compile(r"[。！？；!?;…]+[”’」』）)]*|\n+")
_SENTENCE_MARKS = "。！？；!?;…\n"
_MARK = re.compile("[" + re.escape(_SENTENCE_MARKS) + "]")
_CLOSERS = "”’」』）)"


@dataclass(frozen=True)
class Fragment:
    """A passage of a report with the offsets of the matches inside it."""

    text: str
    highlights: tuple[tuple[int, int], ...]
    start: int = -1             # where the passage begins in the report's text (not shown)

    def to_dict(self) -> dict:
        return {"text": self.text, "highlights": [list(h) for h in self.highlights]}


def sentences(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentence spans (trailing punctuation kept, surrounding space trimmed)."""
    return list(_sentence_spans(text))


def _sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """``sentences``, one at a time (a hit that shows its opening reads only what it shows)."""
    start = 0
    for m in _SENTENCE_END.finditer(text):
        yield from _trimmed(text, start, m.end())
        start = m.end()
    if start < len(text):
        yield from _trimmed(text, start, len(text))


def _trimmed(text: str, s: int, e: int) -> Iterator[tuple[int, int]]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        yield s, e


def fragments(text: str, spans, count: int = 3, max_chars: int = 120,
              lead: int = 1, title: str = "") -> list[Fragment]:
    """Return up to ``count`` passages of ``text`` that show the matches best, in text order.

    :param spans: sorted, merged ``(start, end)`` character spans of the matches, as the
        matcher found them (``matching.term_spans``).
    :param lead: with no spans, how many opening sentences to show instead (2 for the empty
        query, 1 for a hit that matched elsewhere, in its title).
    :param title: the report's own title: the opening shown starts after it (its lines, a
        title printed over two lines too) and after an addressee line (市委、市政府:), which
        say nothing the results list does not show already.

    Results are remembered for the most recent reports and queries (the same page is asked for
    again when users page back, share a link or refine filters); fragments are immutable.
    """
    if len(text) > _CACHED_TEXT_CHARS:            # the cache keeps its keys: no huge texts
        return _find_fragments(text, tuple(spans), count, max_chars, lead, title)
    return list(_fragments(text, tuple(spans), count, max_chars, lead, title))


_CACHED_TEXT_CHARS = 100_000


@functools.lru_cache(maxsize=256)
def _fragments(text: str, spans: tuple, count: int, max_chars: int,
               lead: int, title: str = "") -> tuple[Fragment, ...]:
    return tuple(_find_fragments(text, spans, count, max_chars, lead, title))


def _find_fragments(text: str, spans: tuple, count: int, max_chars: int,
                    lead: int, title: str = "") -> list[Fragment]:
    if not spans:
        return [_fragment(text, s, e, [], max_chars)
                for s, e in _first_sentences(text, lead, title)]
    by_sentence = _by_sentence(text, spans[:500])
    # How many different terms a sentence shows (its spans are mostly one word, repeated).
    scored = sorted((-len({normalize(t) for t in {text[a:b] for a, b in inside}}), -len(inside),
                     s, e, inside) for (s, e), inside in by_sentence.items())
    best = sorted(scored[:count], key=lambda item: item[2])
    return [_fragment(text, s, e, inside, max_chars) for _, _, s, e, inside in best]


def _by_sentence(text: str, spans) -> dict[tuple[int, int], list]:
    """The spans grouped by the sentence that holds each (``sentence_around`` of every span).

    A sentence's start depends only on the last mark before a span and its end only on the
    first mark from the span's last character on, so each is found once per mark, not once
    per span (a hit's spans share a few sentences), and only the marks before the last span's
    end are looked for (the end of its sentence is found by the regex, as before). Plain
    Python: a hit has about seven spans, too few for numpy's calls to pay.
    """
    end = max(b for _, b in spans)
    marks = _mark_positions(text[:end])
    opening: dict[int, int] = {}
    closing: dict[int, int] = {}
    out: dict[tuple[int, int], list] = {}
    for a, b in spans:
        i = bisect.bisect_left(marks, a)
        lo = opening.get(i)
        if lo is None:
            lo = marks[i - 1] + 1 if i else 0
            while lo < len(text) and (text[lo].isspace() or text[lo] in _CLOSERS):
                lo += 1
            opening[i] = lo
        j = bisect.bisect_left(marks, max(a, b - 1), i)
        hi = closing.get(j)
        if hi is None:
            m = _SENTENCE_END.search(text, marks[j] if j < len(marks) else end - 1)
            hi = m.end() if m else len(text)
            while hi > 0 and text[hi - 1].isspace():
                hi -= 1
            closing[j] = hi
        out.setdefault((min(lo, a), max(hi, b)), []).append((a, b))
    return out


_IS_MARK = np.zeros(0x110000, dtype=bool)
_IS_MARK[[ord(ch) for ch in _SENTENCE_MARKS]] = True


def _mark_positions(text: str) -> list[int]:
    """Positions of every sentence mark in ``text`` (as ``_MARK.finditer``), found in numpy:
    a regex scan of each hit's whole text was a tenth of a results page's time."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    return np.flatnonzero(_IS_MARK.take(points)).tolist()


def sentence_around(text: str, start: int, end: int,
                    marks: list[int] | None = None) -> tuple[int, int]:
    """Return the span of the sentence holding ``text[start:end]`` (same rules as ``sentences``).

    :param marks: positions of every sentence mark in ``text``, ascending, when the caller
        looks up many spans of one text (found by bisection instead of a scan per span).
    """
    if marks is None:
        lo = max(text.rfind(ch, 0, start) for ch in _SENTENCE_MARKS) + 1
    else:
        i = bisect.bisect_left(marks, start)
        lo = marks[i - 1] + 1 if i else 0
    while lo < start and (text[lo].isspace() or text[lo] in _CLOSERS):
        lo += 1
    m = _SENTENCE_END.search(text, max(start, end - 1))
    hi = m.end() if m else len(text)
    while hi > end and text[hi - 1].isspace():
        hi -= 1
    return lo, hi


def _first_sentences(text: str, n: int, title: str = "") -> list[tuple[int, int]]:
    """The first ``n`` sentences, after the ``title``'s lines and an addressee line at the top
    (all of them when nothing else follows)."""
    spans = list(itertools.islice(_sentence_spans(text[:2000]), n + _HEAD_SKIP))
    own = spaceless(title)
    at = 0
    while own and at < min(len(spans), _HEAD_SKIP) and _heading_part(text[slice(*spans[at])], own):
        at += 1
    return (spans[at:] if at < len(spans) else spans)[:n]


_HEAD_SKIP = 5          # title lines (中共某县委 / 某县人民政府 / 关于… / …的报告) and an addressee
_ADDRESSEE = re.compile(r"^[^。，,；;]{2,40}[:：]$")


def _heading_part(sentence: str, own_title: str) -> bool:
    """A line of the title (or the whole of it), or the addressee line under it."""
    line = spaceless(sentence.lstrip("•·● "))
    return bool(line) and (line in own_title or bool(_ADDRESSEE.match(sentence.strip())))


def _fragment(text: str, start: int, end: int, spans, max_chars: int) -> Fragment:
    """Make a fragment of sentence ``text[start:end]``, trimmed with "…" where it is cut."""
    lo, hi = (start, end) if end - start <= max_chars else _window(text, start, end, spans,
                                                                   max_chars)
    shown = [(max(a, lo) - lo, min(b, hi) - lo) for a, b in spans if a < hi and b > lo]
    prefix = "…" if lo > start else ""
    suffix = "…" if hi < end else ""
    shift = len(prefix)
    return Fragment(prefix + text[lo:hi] + suffix, tuple((a + shift, b + shift) for a, b in shown),
                    lo)


_MARGIN = 24


def _word_bounds(text: str, start: int, end: int, cut: int) -> set[int]:
    """jieba word boundaries near ``cut`` inside the sentence ``text[start:end]``.

    Only a stretch of ``_MARGIN`` characters either side is segmented (a sentence can run to
    thousands of characters, and highlighting ten hits must stay cheap); the margin gives jieba
    enough context to cut there as it would in the whole sentence. Boundaries at the edges of
    the stretch are artificial unless they are the sentence's own.
    """
    a, b = max(start, cut - _MARGIN), min(end, cut + _MARGIN)
    out = set()
    for x, y in segment(text[a:b]):
        out.update(p for p in (a + x, a + y) if a < p < b or p in (start, end))
    return out


def _nearest_bound(text: str, start: int, end: int, cut: int, after: bool) -> int:
    """The word boundary ``_window`` moves a cut to: of the bounds ``_word_bounds`` finds around
    ``cut`` and the sentence's edge, the last at or before it (``after``: the first at or after
    it). jieba cuts each piece of the stretch on its own (``analysis.segment_pieces``), so only
    the piece that holds the cut is segmented, and the next one out when it holds no bound on
    that side: a clause between two commas, not the 48 characters around the cut (jieba was
    most of a fragment's time)."""
    a, b = max(start, cut - _MARGIN), min(end, cut + _MARGIN)
    pieces = segment_pieces(text[a:b])
    for s, e in (pieces if after else reversed(pieces)):
        if (e < cut - a) if after else (s > cut - a):
            continue                                    # wholly on the other side of the cut
        if e - s == 1:                                  # one character: a token of its own
            words = [(s, e)] if normalize(text[a + s]).isalnum() else []
        else:
            words = [(s + x, s + y) for x, y in segment_spans(text[a + s:a + e]).tolist()]
        bounds = [a + p for word in words for p in word
                  if 0 < p < b - a or a + p in (start, end)]
        bounds = [p for p in bounds if (p >= cut if after else p <= cut)]
        if bounds:
            return min(bounds) if after else max(bounds)
    return end if after else start


def _window(text: str, start: int, end: int, spans, max_chars: int) -> tuple[int, int]:
    """Trim a long sentence to ``max_chars`` around its first match, at word boundaries."""
    focus = spans[0][0] if spans else start
    if max_chars > 2 * _MARGIN:          # the two cuts' stretches are apart: each on its own
        lo = max(start, focus - max_chars // 3)
        hi = min(end, lo + max_chars)
        lo2 = _nearest_bound(text, start, end, lo, after=False) if lo > start else start
        hi2 = _nearest_bound(text, start, end, hi, after=True) if hi < end else end
        if hi2 - lo2 <= max_chars * 1.5:
            return lo2, hi2
    return _window_every_bound(text, start, end, spans, max_chars)


def _window_every_bound(text: str, start: int, end: int, spans,
                        max_chars: int) -> tuple[int, int]:
    """``_window`` from every bound around both cuts (a narrow window, or no bound near)."""
    focus = spans[0][0] if spans else start
    lo = max(start, focus - max_chars // 3)
    hi = min(end, lo + max_chars)
    # A cut at the sentence's own edge needs no words around it (jieba is most of a hit's
    # fragment time); the long-window rule below, which looks at every bound, gets them all.
    near = {start, end} | (_word_bounds(text, start, end, lo) if lo > start else set()) | \
        (_word_bounds(text, start, end, hi) if hi < end else set())
    first, last = lo, hi
    lo = max(b for b in near if b <= first)
    hi = min(b for b in near if b >= last)
    if hi - lo > max_chars * 1.5:
        bounds = sorted({start, end} | _word_bounds(text, start, end, first) |
                        _word_bounds(text, start, end, last))
        hi = max((b for b in bounds if b <= lo + max_chars), default=hi)
        hi = max(hi, min(b for b in bounds if b > lo))
    return lo, hi


def to_html(fragment_text: str, highlights) -> str:
    """Render text with ``<mark>`` around the highlights; every other character is escaped."""
    out, pos = [], 0
    for start, end in highlights:
        out.append(html.escape(fragment_text[pos:start]))
        out.append("<mark>" + html.escape(fragment_text[start:end]) + "</mark>")
        pos = end
    out.append(html.escape(fragment_text[pos:]))
    return "".join(out)


def to_terminal(text: str, highlights, start_mark: str = "【", end_mark: str = "】") -> str:
    """Render text for a terminal, with brackets (or ANSI codes) around the highlights."""
    out, pos = [], 0
    for start, end in highlights:
        out.append(text[pos:start] + start_mark + text[start:end] + end_mark)
        pos = end
    out.append(text[pos:])
    return "".join(out)
