"""A 发文字号 printed with the title, before or after it, taken off it: pure.

Real pages print the document number in the title's line: in brackets before it
(``[某政发〔2026〕7号]某市人民政府关于…``, a table cell may have lost the opening bracket), glued to
it (``长政发〔2021〕1号长海县2020年度…报告``, or before the 《》 a mirror quotes the title in), or in
brackets after it (``…工作情况报告(某政呈〔2021〕6号)``). ``indexer.metadata`` keeps it as the
report's ``doc_number``.
"""
from __future__ import annotations

import re

from search.analysis import normalize
from indexer.title_shape import is_title

# A title led by its own 发文字号 in brackets ([某政发〔2026〕7号]某市人民政府关于…; a table cell may have
# lost the opening bracket), or before a space.
_NUMBER = r"[\u4e00-\u9fff]{1,10}[〔\[(（]\s*(?:19|20)\d{2}\s*[〕\])）]\s*\d{1,5}\s*号"
_NUMBERED = re.compile(rf"^\s*[\[【(（]?\s*({_NUMBER})(?:\s*[\]】)）]\s*|\s+)(?=\S)")


# …or glued to it (长政发〔2021〕1号长海县2020年度…报告), when what follows reads as a title of
# a year's report (a body, then its year) and the number is no part of a sentence (关于…号文件).
_NUMBER_GLUED = re.compile(rf"^\s*(?!关于)({_NUMBER})(?=[\u4e00-\u9fff《])")
_GLUED_REST = re.compile(r"^(?!文件)[\u4e00-\u9fff]{0,30}?(?:19|20)\d{2}\s*年")


# …or followed by it in brackets (某市2020年度…工作情况报告(某政呈〔2021〕6号)).
_NUMBER_AFTER = re.compile(rf"\s*[(（]\s*({_NUMBER})\s*[)）]\s*$")


def split_doc_number(title: str) -> tuple[str, str]:
    """``(title, 发文字号)`` of a title that starts or ends with its document number;
    ``(title, "")`` else.

    >>> split_doc_number("[某政发〔2026〕7号]某市人民政府关于2025年法治政府建设情况的报告")
    ('某市人民政府关于2025年法治政府建设情况的报告', '某政发〔2026〕7号')
    """
    norm = normalize(title)                    # one char for one: offsets hold for the original
    m = _NUMBERED.match(norm)
    if not m:
        m = _NUMBER_GLUED.match(norm)
        rest = _unwrapped(norm[m.end():]) if m else ""
        if m and not (is_title(rest) and _GLUED_REST.match(rest)):
            m = None
    if not m:
        after = _NUMBER_AFTER.search(norm)
        if after:
            return title[:after.start()], title[after.start(1):after.end(1)]
        return title, ""
    return _unwrapped(title[m.end():]), title[m.start(1):m.end(1)]


def _unwrapped(title: str) -> str:
    """A title a mirror quoted whole after its number (《某市人民政府关于…的报告》): without them."""
    inner = title[1:-1]
    return inner if title[:1] == "《" and title[-1:] == "》" and "《" not in inner else title
