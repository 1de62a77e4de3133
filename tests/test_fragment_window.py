"""Trimming a long sentence segments only the cuts it can move: the same windows as before.

``highlight._window`` used to ask jieba for the words around both cuts of every long sentence;
a cut at the sentence's own start or end cannot move, so it no longer asks there (the rule for
over-long windows still sees every bound). Checked against the full computation it replaced.
"""
from __future__ import annotations

import random

from search import highlight

from conftest import SAMPLE_DIR


def _window_with_every_bound(text, start, end, spans, max_chars):
    focus = spans[0][0] if spans else start
    lo = max(start, focus - max_chars // 3)
    hi = min(end, lo + max_chars)
    bounds = sorted({start, end} | highlight._word_bounds(text, start, end, lo) |
                    highlight._word_bounds(text, start, end, hi))
    lo = max(b for b in bounds if b <= lo)
    hi = min(b for b in bounds if b >= hi)
    if hi - lo > max_chars * 1.5:
        hi = max((b for b in bounds if b <= lo + max_chars), default=hi)
        hi = max(hi, min(b for b in bounds if b > lo))
    return lo, hi


def test_windows_are_those_of_every_bound():
    rng = random.Random(4)
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLE_DIR.glob("*.txt"))]
    texts.append("无标点的长句" * 60 + "。" + "甲" * 400)       # no word bound near a cut
    checked = 0
    for text in texts:
        for start, end in highlight.sentences(text):
            if end - start <= 40:
                continue
            for max_chars in (30, 120):
                x = rng.randrange(start, end - 1)
                spans = [(x, min(end, x + 2))] if rng.random() < 0.9 else []
                assert highlight._window(text, start, end, spans, max_chars) == \
                    _window_with_every_bound(text, start, end, spans, max_chars)
                checked += 1
    assert checked > 100


# --- only the piece jieba cuts on its own around a cut is segmented -----------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

_ALPHABET = st.sampled_from(list("依法行政推进放管服改革优化营商环境一网通办") +
                            list("，、。：；（）“”-.%+#&") + list("ab2023 \u3000〇Ω行政復議"))


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, min_size=1, max_size=120).map("".join))
def test_the_pieces_jieba_cuts_alone_make_the_whole(text):
    from search.analysis import segment_pieces, segment_spans

    pieces = segment_pieces(text)
    assert [p for piece in pieces for p in piece][1:-1:2] == [p for piece in pieces
                                                              for p in piece][2::2]
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    joined = [(s + x, s + y) for s, e in pieces for x, y in segment_spans(text[s:e]).tolist()]
    assert joined == [tuple(w) for w in segment_spans(text).tolist()]


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, min_size=150, max_size=400).map("".join), st.data())
def test_windows_from_the_pieces_are_those_of_every_bound(text, data):
    start = data.draw(st.integers(0, 20))
    end = data.draw(st.integers(len(text) - 20, len(text)))
    max_chars = data.draw(st.sampled_from([50, 80, 120]))
    x = data.draw(st.integers(start, end - 2))
    spans = [(x, x + 2)]
    assert highlight._window(text, start, end, spans, max_chars) == \
        _window_with_every_bound(text, start, end, spans, max_chars)
