"""CSV rows of exported reports, shared by the web export and ``policy-search search --csv``.

Headers are Chinese (the people who open the file in a spreadsheet read Chinese); cells are
plain text, with a leading ``'`` on anything a spreadsheet would take for a formula. Source
files are named relative to the folder that was indexed, never by their absolute path on the
server. UTF-8 with a BOM, so Excel shows the Chinese correctly.
"""
from __future__ import annotations

import csv
import io
from pathlib import PurePath
from typing import Iterable, Iterator

from search import engine, highlight, settings
from search.names import printable
from search.query import parse

#: (record key, column header), in column order.
COLUMNS = (("title", "标题"), ("display_title", "显示标题"), ("title_derived", "标题为推断"),
           ("province", "省份"), ("city", "城市"), ("county", "区县"), ("level", "层级"),
           ("year", "年份"), ("year_source", "年份依据"), ("published", "发布日期"),
           ("issuer", "发布机关"), ("doc_number", "文号"), ("script", "文字"), ("province_code", "省份代码"),
           ("city_code", "城市代码"), ("county_code", "区县代码"), ("score", "相关度得分"),
           ("source", "源文件"), ("id", "编号"), ("url", "链接"),
           ("source_url", "原文链接"), ("group", "副本组"), ("copies", "副本数"))
FRAGMENTS = ("fragments", "摘录")
BOM = "\ufeff"
LEVELS = {"province": "省级", "city": "市级", "county": "县级"}
SCRIPTS = {"simplified": "简体", "traditional": "繁体"}
YEAR_SOURCES = {"title": "标题", "opening": "正文开头", "heading": "正文首个标题",
                "published": "发布日期", "filename": "文件名", "text": "正文所述年份",
                "manual": "人工校正"}
_DISPLAY = {"level": LEVELS, "script": SCRIPTS, "year_source": YEAR_SOURCES}
# A cell starting with one of these is a formula to Excel: prefix it with ' so it stays text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_lines(handle, request: engine.SearchRequest, report_url: str | None = None,
                 with_fragments: bool = False) -> Iterator[str]:
    """The CSV of every report ``request`` matches; the request is checked now (errors raise).

    All rows come from one snapshot of the index, so a reindex during a download cannot mix
    two builds. With ``with_fragments`` a 摘录 column holds each report's highlighted passages
    (matches in 【】): that reads each report's text, about the cost of one hit on a result page.

    :param report_url: the report page URL without its id, for the 链接 column (None: empty).
    """
    limit = settings.get("max_page") * settings.get("max_page_size")
    records = engine.export(handle, request, limit)
    roots = source_roots(handle)
    if with_fragments:
        parse(request.q)                          # a bad query raises now, not mid-download

    def rows():
        for record in records:
            record = {**record, "source": source_name(record["path"], roots),
                      "url": report_url + record["id"] if report_url else None}
            if with_fragments:
                record["fragments"] = fragments_text(_fragments(handle, record["id"], request.q))
            yield record
    return csv_lines(rows(), with_fragments)


def source_roots(handle) -> list[str]:
    """The folders the live build was indexed from (to name source files relative to them)."""
    build, _ = handle.snapshot()
    return [printable(str(r)) for r in build.meta.get("roots", [])]   # as stored paths are


def _fragments(handle, report_id: str, q: str) -> list[dict]:
    """The report's passages as a hit shows them, marked where the matcher found ``q``."""
    found = engine.get_report(handle, report_id)
    if found is None:
        return []
    docnum, stored = found
    text = stored.get("content", "")
    spans = engine.report_spans(handle, docnum, text, q)
    frags = highlight.fragments(text, spans, settings.get("fragment_count"),
                                settings.get("fragment_chars"), lead=1 if q.strip() else 2,
                                title=stored.get("title") or "")
    return [f.to_dict() for f in frags]


def source_name(path: str, roots: Iterable[str]) -> str:
    """Return ``path`` relative to the indexed folder that holds it (its file name otherwise).

    ``/srv/reports/山西/a.txt`` under the root ``/srv/reports`` becomes ``山西/a.txt``; a file
    indexed by its own path, or outside every root, is named by its file name.
    """
    pure = PurePath(path)
    for root in sorted(roots or (), key=len, reverse=True):
        try:
            relative = pure.relative_to(root)
        except ValueError:
            continue
        return relative.as_posix() if relative.parts else pure.name    # the root is the file
    return pure.name


def fragments_text(fragments: list[dict]) -> str:
    """Join highlighted fragments into one cell, each match in 【】."""
    parts = []
    for fragment in fragments:
        text, out, at = fragment["text"], [], 0
        for start, end in fragment["highlights"]:
            out += [text[at:start], "【", text[start:end], "】"]
            at = end
        parts.append("".join(out) + text[at:])
    return " … ".join(p.replace("\r", " ").replace("\n", " ") for p in parts)


def csv_lines(records: Iterable[dict], with_fragments: bool = False) -> Iterator[str]:
    """Yield the header line (with the BOM), then one line per record."""
    columns = COLUMNS + ((FRAGMENTS,) if with_fragments else ())
    yield BOM + _row(header for _, header in columns)
    for record in records:
        yield _row(_display(key, record.get(key)) for key, _ in columns)


def _display(key: str, value):
    return _DISPLAY.get(key, {}).get(value, value)


def _row(values) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(_cell(v) for v in values)
    return buffer.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
