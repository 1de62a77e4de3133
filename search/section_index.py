"""Report sections as the index keeps them, and matching restricted to one kind of section.

``indexer.sections`` finds a report's sections (成效, 不足, 第一责任人, 计划, 其他) from its headings;
the index stores them per report as character spans of the stored text *and* as token spans of
its bigram stream (one token per word character, ``analysis.bigram_codes``), in one short string:
``"成效,0,812,0,700;不足,812,1200,700,1020"`` (kind, start char, end char, start token, end
token; an untyped section has an empty kind).

``SectionTable`` turns those strings into sorted ``[lo, hi)`` intervals of segment positions per
kind, so that ``section:不足 执法`` is the ordinary phrase match with one more test: the
phrase must lie inside an interval (``postings.FieldPostings.phrase_counts(within=…)``). One
code path: the matcher is the same with or without a section.
"""
from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

import numpy as np

from search.analysis import code_points, normalize, word_char_mask

#: The kinds of section, in the order the central rules list them.
KINDS = ("成效", "不足", "第一责任人", "计划", "其他")
#: What a user may type after ``section:`` (or 章节: / 部分:), and the kind it means.
NAMES = {**{k: k for k in KINDS}, "成绩": "成效", "举措": "成效", "问题": "不足", "短板": "不足",
         "责任人": "第一责任人", "负责人": "第一责任人", "述法": "第一责任人", "打算": "计划",
         "下一步": "计划", "安排": "计划", "其它": "其他", "results": "成效",
         "shortcomings": "不足", "leaders": "第一责任人", "plans": "计划", "other": "其他"}
#: The label of an untyped section (text before the first heading, or a report without any).
UNTYPED_LABEL = "正文"


@dataclass(frozen=True)
class Span:
    """One stored section: its kind ("" untyped) and its char and token spans."""

    kind: str
    start: int
    end: int
    token_start: int
    token_end: int


def kind_of(name: str) -> str | None:
    """The section kind a user's name means (``问题`` → ``不足``), or None."""
    return NAMES.get(name.strip().lower()) or NAMES.get(name.strip())


def encode(text: str, sections) -> str:
    """Return the stored form of ``sections`` (objects with ``kind``, ``start``, ``end``)."""
    if not sections:
        return ""
    word = word_char_mask(code_points(normalize(text)))
    tokens = np.concatenate(([0], np.cumsum(word)))        # tokens before each char offset
    return ";".join(f"{s.kind},{s.start},{s.end},{int(tokens[s.start])},{int(tokens[s.end])}"
                    for s in sections)


def decode(value: str | None) -> list[Span]:
    """Return the spans of a stored section string ("" or None: none)."""
    out = []
    for part in (value or "").split(";"):
        if part:
            kind, *numbers = part.split(",")
            out.append(Span(kind, *map(int, numbers)))
    return out


def section_at(spans: list[Span], offset: int) -> Span | None:
    """The section that holds character ``offset``."""
    return next((s for s in spans if s.start <= offset < s.end), None)


def inside_sections(offsets: np.ndarray, length: int, stored: str | None,
                    kind: str) -> np.ndarray:
    """The token offsets (inside one report) of occurrences ``length`` tokens long that lie
    wholly inside a section of ``kind``; ``stored`` is the report's stored section string."""
    spans = [s for s in decode(stored) if s.kind == kind]
    keep = np.zeros(len(offsets), dtype=bool)
    for span in spans:
        keep |= (offsets >= span.token_start) & (offsets + length <= span.token_end)
    return offsets[keep]


class SectionTable:
    """Per build: for each kind, the ``[lo, hi)`` positions of its sections in each segment."""

    def __init__(self, postings, values: list):
        self.has: dict[str, np.ndarray] = {k: np.zeros(postings.doc_count, dtype=bool)
                                           for k in KINDS}
        self.found = np.zeros(postings.doc_count, dtype=bool)     # typed sections were found
        self.within: dict[str, list] = {k: [] for k in KINDS}
        for base, seg in postings.segments:
            starts = seg.field("content").starts.astype(np.int64)
            bounds: dict[str, list] = {k: [] for k in KINDS}
            for local in range(seg.docs):
                for span in decode(values[base + local]):
                    if span.kind in bounds and span.token_end > span.token_start:
                        bounds[span.kind].append((starts[local] + span.token_start,
                                                  starts[local] + span.token_end))
                        self.has[span.kind][base + local] = True
                        self.found[base + local] = True
            for kind, pairs in bounds.items():
                array = np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)
                self.within[kind].append((array[:, 0].copy(), array[:, 1].copy()))


    def arrays(self) -> dict[str, np.ndarray]:
        """The table as flat arrays (``search.table_file`` writes them at publish):
        ``sections.has.K`` and ``sections.found`` per document, and per kind the intervals of
        every segment in a row with where each segment's begin (``sections.span.K.at``)."""
        out = {f"sections.has.{k}": a for k, a in self.has.items()}
        out["sections.found"] = self.found
        for kind, pairs in self.within.items():
            sizes = [len(lo) for lo, _ in pairs]
            out[f"sections.span.{kind}.at"] = np.concatenate(([0], np.cumsum(sizes))).astype(
                np.int64)
            out[f"sections.span.{kind}.lo"] = np.concatenate([lo for lo, _ in pairs] + [
                np.zeros(0, dtype=np.int64)])
            out[f"sections.span.{kind}.hi"] = np.concatenate([hi for _, hi in pairs] + [
                np.zeros(0, dtype=np.int64)])
        return out

    @classmethod
    def from_arrays(cls, arrays: dict, segments: int) -> "SectionTable | None":
        """The table from ``arrays`` (as ``arrays()`` made them; mapped, not copied), or None
        when they are missing or were written for another number of segments."""
        table = cls.__new__(cls)
        try:
            table.has = {k: arrays[f"sections.has.{k}"] for k in KINDS}
            table.found = arrays["sections.found"]
            table.within = {}
            for kind in KINDS:
                at = arrays[f"sections.span.{kind}.at"].tolist()
                lo, hi = arrays[f"sections.span.{kind}.lo"], arrays[f"sections.span.{kind}.hi"]
                if len(at) != segments + 1:
                    return None
                table.within[kind] = [(lo[a:b], hi[a:b]) for a, b in zip(at, at[1:])]
        except KeyError:
            return None
        return table


_tables: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def section_table(searcher, table) -> SectionTable:
    """Return the (cached) section table of the build whose facet table is ``table``."""
    with _lock:
        found = _tables.get(table.postings)
    if found is None and getattr(table, "section_arrays", None):      # written at publish
        found = SectionTable.from_arrays(table.section_arrays, len(table.postings.segments))
        if found is not None:
            with _lock:
                _tables[table.postings] = found
    if found is None:
        reader = searcher.reader()
        values = (list(reader.column_reader("sections")) if "sections" in searcher.schema
                  else [""] * reader.doc_count_all())
        found = SectionTable(table.postings, values)
        with _lock:
            _tables[table.postings] = found
    return found
