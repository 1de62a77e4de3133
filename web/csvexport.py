"""CSV export of the metadata of every report a search matches (UTF-8 with BOM for Excel)."""
from __future__ import annotations

import csv
import io
from typing import Iterator

from search import engine, settings
from search.schema import METADATA_FIELDS

COLUMNS = ("id", *METADATA_FIELDS, "score", "path", "url")
BOM = "\ufeff"
# A cell starting with one of these is a formula to Excel: prefix it with ' so it stays text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_lines(handle, request: engine.SearchRequest, report_url: str) -> Iterator[str]:
    """Return the CSV as an iterator of lines; the request is checked now, so errors raise here.

    All rows come from one snapshot of the index, so a reindex during a download cannot mix
    two builds.

    :param report_url: the report page URL without its id, for the ``url`` column.
    """
    limit = settings.get("max_page") * settings.get("max_page_size")
    return _lines(engine.export(handle, request, limit), report_url)


def _lines(records, report_url: str) -> Iterator[str]:
    yield BOM + _row(COLUMNS)
    for record in records:
        record = {**record, "url": report_url + record["id"]}
        yield _row(record.get(name) for name in COLUMNS)


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
