"""CSV export of the metadata of every report a search matches (UTF-8 with BOM for Excel)."""
from __future__ import annotations

import csv
import io
from dataclasses import replace
from typing import Iterator

from search import engine, settings
from search.schema import METADATA_FIELDS

COLUMNS = ("id", *METADATA_FIELDS, "score", "path", "url")
BOM = "\ufeff"
# A cell starting with one of these is a formula to Excel: prefix it with ' so it stays text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_lines(handle, request: engine.SearchRequest, report_url: str) -> Iterator[str]:
    """Return the CSV as an iterator of lines; the first search runs now, so errors raise here.

    :param report_url: the report page URL without its id, for the ``url`` column.
    """
    first = engine.search(handle, replace(request, page=1,
                                          page_size=settings.get("max_page_size")))
    return _lines(handle, request, first, report_url)


def _lines(handle, request, results, report_url: str) -> Iterator[str]:
    yield BOM + _row(COLUMNS)
    while True:
        for hit in results.hits:
            record = {**hit.to_dict(), "url": report_url + hit.id}
            yield _row(record.get(name) for name in COLUMNS)
        if results.page >= min(results.pages, settings.get("max_page")):
            return
        results = engine.search(handle, replace(request, page=results.page + 1,
                                                page_size=results.page_size))


def _row(values) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(_cell(v) for v in values)
    return buffer.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
