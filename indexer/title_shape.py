"""What a title line looks like: short, ending like a report title or naming a year and the
rule of law, and the years a line names; pure.

Split from ``indexer.titles`` (which finds the title among the page's first lines) so that
``indexer.title_number`` can ask it too.
"""
from __future__ import annotations

import re

from search.analysis import normalize

TITLE_MAX = 60
SENTENCE = re.compile(r"[。；;，,！!？?]")
TITLE_END = re.compile(r"(?:报告|总结|情况|汇报|通报|述职|年报|的通知|的意见|实施意见|解读|实施方案|工作安排|"
                        r"工作规则|白皮书|工作思路|工作打算)[)）】」》\s]*$")   # …工作报告和2023年工作思路
TOPIC = re.compile(r"法治|法制|依法行政")
_YEAR = re.compile(r"(?<![\d\-—–~～至到])((?:19|20)\d{2})\s*年(度)?(?![\-—–~～至到])")
_CN_YEAR = re.compile(r"[〇○零一二三四五六七八九]{4}(?=\s*年)")
_CN_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")
BOOK = re.compile(r"《[^》]*》")


def is_sentence(norm: str) -> bool:
    return len(norm) > TITLE_MAX or bool(SENTENCE.search(norm))


# A year's bare heading (2016年工作情况) or the sentence that sends the report (现将…报告如下:).
_NOT_A_TITLE = re.compile(r"^(?:(?:19|20)\d{2}\s*年度?)?(?:工作)?(?:开展|完成|推进)?(?:情况|总结)$"
                          r"|^现将|如下\s*[:：]?$")
_OUTLINE = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[)）])")


def is_title(norm: str) -> bool:
    """A short line that ends like a report title, or names a year and the rule of law; never an
    outline heading (一、工作开展情况: a page cut down to its body starts with one), a year's bare
    heading (2016年工作情况) or the sentence sending the report (现将…报告如下:)."""
    if is_sentence(norm) or _OUTLINE.match(norm) or _NOT_A_TITLE.search(norm):
        return False
    return bool(TITLE_END.search(norm) or (TOPIC.search(norm) and years(norm)))


def years(text: str, books: bool = False) -> list[tuple[int, bool, int]]:
    """``(year, written as 年度, position)`` for each year named outside ranges and, unless
    ``books``, outside 《book titles》 (a 2021 report cites 《…纲要(2021—2025年)》)."""
    norm = _CN_YEAR.sub(lambda m: m.group().translate(_CN_DIGITS), normalize(text))
    if not books:
        norm = BOOK.sub(lambda m: " " * len(m.group()), norm)
    return [(int(m.group(1)), bool(m.group(2)), m.start()) for m in _YEAR.finditer(norm)]
