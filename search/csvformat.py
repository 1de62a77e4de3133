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

#: (record key, column header), in column order.
COLUMNS = (("title", "标题"), ("display_title", "显示标题"), ("title_derived", "标题为推断"),
           ("province", "省份"), ("city", "城市"), ("county", "区县"), ("level", "层级"),
           ("year", "年份"), ("year_source", "年份依据"), ("published", "发布日期"),
           ("issuer", "发布机关"), ("script", "文字"), ("province_code", "省份代码"),
           ("city_code", "城市代码"), ("county_code", "区县代码"), ("score", "相关度得分"),
           ("source", "源文件"), ("id", "编号"), ("url", "链接"))
FRAGMENTS = ("fragments", "摘录")
BOM = "\ufeff"
LEVELS = {"province": "省级", "city": "市级", "county": "县级"}
SCRIPTS = {"simplified": "简体", "traditional": "繁体"}
YEAR_SOURCES = {"title": "标题", "opening": "正文开头", "published": "发布日期",
                "filename": "文件名", "manual": "人工校正"}
_DISPLAY = {"level": LEVELS, "script": SCRIPTS, "year_source": YEAR_SOURCES}
# A cell starting with one of these is a formula to Excel: prefix it with ' so it stays text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def source_name(path: str, roots: Iterable[str]) -> str:
    """Return ``path`` relative to the indexed folder that holds it (its file name otherwise).

    ``/srv/reports/山西/a.txt`` under the root ``/srv/reports`` becomes ``山西/a.txt``.
    """
    pure = PurePath(path)
    for root in sorted(roots or (), key=len, reverse=True):
        try:
            return pure.relative_to(root).as_posix()
        except ValueError:
            continue
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
