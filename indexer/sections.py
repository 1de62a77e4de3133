"""Headings → typed sections of a 法治政府建设 report: 成效, 不足, 第一责任人, 计划, 其他.

The central rules on 法治政府建设 supervision set what an annual report covers: the year's
measures and results; shortcomings and their causes; how the principal leaders fulfilled their
duty as first responsible person; next year's plan; other matters. Reports mark these parts
with numbered headings (一、 … or, in shorter reports, （一） …), worded very freely.

``find_sections(text)`` (pure) takes the top level of numbering that runs 一, 二, 三 … in order
(a number out of sequence is list text, not a heading), types each heading by the first rule of
``RULES`` its normalised wording matches (traditional script folds to simplified first), and
leaves headings no rule names as 成效 before the first 不足/计划/其他 part and 其他 after it. Text
before the first heading is an untyped section; a report without such headings is one untyped
section. Rules learnt from real headings go into ``RULES`` with a case in tests/test_sections.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from search.analysis import normalize

NUMERALS = "一二三四五六七八九十"

#: (kind, pattern over the normalised heading), checked in order: the first that matches wins.
RULES: tuple[tuple[str, re.Pattern], ...] = tuple((kind, re.compile(pattern)) for kind, pattern in (
    ("第一责任人", r"第一责任人|主要负责人|主要领导|党政.{0,6}负责|述法|履行.{0,16}(职责|责任)"),
    ("不足", r"不足|短板|差距|薄弱|存在.{0,8}(问题|困难)|(问题|困难)(及|和|与)?(其)?(原因|不足|差距)"
             r"|^(主要)?问题$|整改"),
    ("计划", r"下一步|下步|打算|计划|思路|安排|展望|努力方向|工作要点|工作重点|明年|来年|今后"),
    ("其他", r"^其他|^其它|其他(需要|有关|应当)?.{0,6}(事项|情况)"),
    ("成效", r"成效|成绩|成果|举措|措施|做法|进展|落实情况|工作情况|开展情况|主要工作"),
))

_TOP = re.compile(rf"^(?:第([{NUMERALS}]{{1,3}})部分[、，,.．:：\s]?|([{NUMERALS}]{{1,3}})[、，,.．])")
_SECOND = re.compile(rf"^[（(]([{NUMERALS}]{{1,3}})[）)]")
_HEADING_END = re.compile(r"[。：:；;！!？?\s]")
_STARTS = re.compile(r"(?:^|(?<=[。！？!?])[ \t\u3000]+)[ \t\u3000]*(?=\S)", re.M)
MAX_HEADING = 60


@dataclass(frozen=True)
class Section:
    """A part of a report: its kind ("" untyped), char span ``[start, end)`` and heading."""

    kind: str
    start: int
    end: int
    heading: str = ""
    number: int = 0


def numeral_value(text: str) -> int:
    """``"三"`` → 3, ``"十二"`` → 12, ``"二十"`` → 20 (0 when it is not a numeral)."""
    if not text or any(ch not in NUMERALS for ch in text):
        return 0
    if "十" not in text:
        return NUMERALS.index(text) + 1 if len(text) == 1 else 0
    tens, _, ones = text.partition("十")
    value = (NUMERALS.index(tens) + 1 if tens else 1) * 10
    return value + (NUMERALS.index(ones) + 1 if ones else 0)


def heading_kind(heading: str) -> str | None:
    """The kind the wording of one heading names, or None (then its place decides)."""
    norm = normalize(heading)
    for kind, pattern in RULES:
        if pattern.search(norm):
            return kind
    return None


def _candidates(text: str, pattern: re.Pattern) -> list[tuple[int, int, str]]:
    """``(offset, number, heading)`` of the headings numbered by ``pattern``, in sequence.

    A heading starts a line, or follows a sentence end and a space (text copied from a page
    often lost its line breaks: ``…成效。 一、加强组织领导 （一）…``).
    """
    out, expected = [], 1
    for start in _STARTS.finditer(text):
        at = start.end()
        match = pattern.match(normalize(text[at:at + 12]))
        if not match:
            continue
        number = numeral_value(next(g for g in match.groups() if g))
        if number != expected:
            continue
        body = text[at + match.end():at + match.end() + 2 * MAX_HEADING]
        cut = _HEADING_END.search(body)
        heading = (body[:cut.start()] if cut else body)[:MAX_HEADING].strip(" ，,")
        out.append((at, number, heading))
        expected += 1
    return out


def find_sections(text: str) -> list[Section]:
    """Return the sections of a report's text, in order, covering all of it."""
    heads = _candidates(text, _TOP)
    if len(heads) < 2:
        heads = _candidates(text, _SECOND)
    if len(heads) < 2:
        return [Section("", 0, len(text))]
    sections = []
    if any(ch.isalnum() for ch in text[:heads[0][0]]):
        sections.append(Section("", 0, heads[0][0], "", 0))
    later = False
    for i, (at, number, heading) in enumerate(heads):
        end = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        kind = heading_kind(heading)
        if kind is None:
            kind = "其他" if later else "成效"
        later = later or kind in ("不足", "计划", "其他")
        sections.append(Section(kind, at, end, heading, number))
    if sections[0].kind == "" and sections[0].end == 0:
        sections.pop(0)
    return sections


def typed(sections: list[Section]) -> bool:
    """True when the report's sections were found (any typed section)."""
    return any(s.kind for s in sections)
