"""Join hard-wrapped lines back into paragraphs: pure ``str -> str``, one rule for every format.

Text saved from PDFs and e-mails is often broken into lines of one width, wherever the width
ran out: "三是全面\\n落实…". A line break between two Chinese characters is not a word boundary,
so such a break must go before the text is segmented, or a phrase that spans it (全面落实) finds
nothing, and a title broken in two loses its year and issuer.

The rule: a text is hard-wrapped when many of its lines reach one width and almost none pass it.
Then a line that reaches the width was broken by the wrap and joins the next line; a shorter
line ended on its own (the last line of a paragraph, a heading, a title) and stays. A line that
ends a sentence (。！？) or is followed by a numbered heading (一、 （二） 3.) also stays. Text
with one paragraph per line, as most reports are, has no such width and is left as it is.
Both ``clean.clean_text`` (:func:`join_wrapped_lines`) and the PDF extractor (:func:`join_lines`,
with the lines that reach the text column's right edge) join by the same rules.
"""
from __future__ import annotations

import re
from typing import Callable

#: A full line may fall short of the wrap width by this share (justified PDF lines, a
#: half-width digit) and still count as reaching it.
TOLERANCE = 0.06
#: Fewest lines, and smallest width, that can show a wrap.
MIN_LINES = 4
MIN_FULL = 3
MIN_WIDTH = 12
#: Shares of the non-blank lines that must reach the width, and may pass it.
MIN_FULL_SHARE = 0.4
MAX_OVER_SHARE = 0.05

# A line ending with one of these ended a sentence: the next line starts a new one.
_SENTENCE_END = frozenset("。！？!?；;…")
# A numbered heading at the start of a line starts a new paragraph, whatever the line before.
_PUNCTUATION = re.compile(r"[^\w]|_")
_HEADING = re.compile(r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]"
                      r"|\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十百\d]+[章节条部分]")
# East Asian Wide and Fullwidth characters (Unicode's EastAsianWidth W and F), by block.
_WIDE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
                   "\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60"
                   "\uffe0-\uffe6\U00020000-\U0003fffd]")


def join_wrapped_lines(text: str, apart: Callable[[str, str], bool] | None = None) -> str:
    """Return ``text`` with its hard-wrapped lines joined; unwrapped text comes back unchanged.

    :param text: lines separated by ``\\n``; spaces count in a line's width (an indent does).
    :param apart: ``apart(line, next_line)`` true keeps two lines apart although the first
        reaches the width (clean keeps a chrome line from swallowing the title after it).

    >>> join_wrapped_lines("一是加强队伍建设，三是全面\\n落实责任制度，推进依法行政\\n工作，健全制度体系建设和完\\n善。\\n四、下一步")
    '一是加强队伍建设，三是全面落实责任制度，推进依法行政工作，健全制度体系建设和完善。\\n四、下一步'
    """
    lines = text.split("\n")
    width, measure, tolerance = wrap_width(lines)
    if not width:
        return text
    low = width * (1 - tolerance)
    return "\n".join(join_lines(lines, [measure(line) >= low for line in lines], apart))


def join_lines(lines: list[str], full: list[bool],
               apart: Callable[[str, str], bool] | None = None) -> list[str]:
    """Join each line marked ``full`` (it reached the width) with the line after it.

    The joining rules, shared by every caller whatever tells it which lines are full (the text's
    wrap width here, the page geometry in ``formats.pdf``): a line that ends a sentence, a blank
    line, or a next line that starts with a numbered heading ends the paragraph.
    """
    out: list[str] = []
    joinable = False                  # the last line in ``out`` reached the width
    for line, reached in zip(lines, full):
        body = line.strip()
        if (out and joinable and body and not _HEADING.match(body)
                and not (apart and apart(out[-1], line))):
            out[-1] = _glue(out[-1], body)
        else:
            out.append(line)
        joinable = bool(body) and reached and out[-1].rstrip()[-1:] not in _SENTENCE_END
    return out


def wrap_width(lines: list[str]):
    """Return ``(width, measure, tolerance)`` of a hard wrap, or ``(0, None, 0)`` when none.

    Lines are measured by characters (an e-mail client's wrap: every broken line has exactly the
    width, so a line one character shorter ended on its own) and by display width (a page's
    layout, where a Chinese character is two half-width cells and justified lines differ a
    little: :data:`TOLERANCE`); the measure under which more lines reach one width wins.
    """
    kept = [ln for ln in lines if ln.strip()]
    if len(kept) < MIN_LINES:
        return 0, None, 0
    best = (0, 0, None, 0)
    for measure, tolerance in ((len, 0.0), (display_width, TOLERANCE)):
        values = list(map(measure, kept))
        width, full = _width_under(values, tolerance)
        if width and full > best[1] and _looks_wrapped(
                [ln for ln, v in zip(kept, values) if v >= width * (1 - tolerance)]):
            best = (width, full, measure, tolerance)
    return best[0], best[2], best[3]


def _width_under(values: list[int], tolerance: float) -> tuple[int, int]:
    """The width that most lines reach and few pass (the 80th percentile), and how many reach it."""
    ranked = sorted(values, reverse=True)
    width = ranked[len(ranked) // 5]
    if width < MIN_WIDTH:
        return 0, 0
    full = sum(1 for v in values if width * (1 - tolerance) <= v <= width * (1 + tolerance))
    over = sum(1 for v in values if v > width * (1 + tolerance))
    n = len(values)
    if full < max(MIN_FULL, n * MIN_FULL_SHARE) or over > n * MAX_OVER_SHARE:
        return 0, 0
    return width, full


def _looks_wrapped(full_lines: list[str]) -> bool:
    """A wrap cuts lines anywhere: its full lines differ, and most end inside a sentence.

    Lines of one width that repeat, or that all end at a punctuation mark, are a list.
    """
    distinct = len(set(full_lines))
    mid_sentence = sum(1 for line in full_lines if not _PUNCTUATION.match(line.rstrip()[-1:]))
    return distinct >= MIN_FULL and distinct >= 0.75 * len(full_lines) \
        and mid_sentence >= 0.5 * len(full_lines)


def display_width(line: str) -> int:
    """Width in half-width cells: 2 for a Chinese character or full-width mark, 1 otherwise."""
    return 2 * len(line) - len(_WIDE.sub("", line))


def _glue(left: str, right: str) -> str:
    """Join two pieces of one line: with a space between two Latin words, else directly."""
    left = left.rstrip()
    if left[-1:].isascii() and left[-1:].isalpha() and right[:1].isascii() and right[:1].isalpha():
        return left + " " + right
    return left + right
