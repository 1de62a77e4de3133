"""CSV export of every report a search matches: rows from ``search.csvformat``, a file name.

The file is named after the query and the day (``法治报告_证照分离_2026-12-01.csv``), sent with
an RFC 5987 ``filename*`` and an ASCII fallback. With ``fragments=1`` in the URL a 摘录 column
holds each report's highlighted passages (matches in 【】); that reads every report's text, so
it costs about as much per row as a hit on a result page.
"""
from __future__ import annotations

import datetime
import re
from typing import Iterator
from urllib.parse import quote

from search import csvformat, engine, highlight, settings
from search.query import highlight_patterns, parse


def csv_lines(handle, request: engine.SearchRequest, report_url: str,
              with_fragments: bool = False) -> Iterator[str]:
    """Return the CSV as an iterator of lines; the request is checked now, so errors raise here.

    All rows come from one snapshot of the index, so a reindex during a download cannot mix
    two builds.

    :param report_url: the report page URL without its id, for the 链接 column.
    """
    limit = settings.get("max_page") * settings.get("max_page_size")
    records = engine.export(handle, request, limit)
    roots = source_roots(handle)
    patterns = _patterns(handle, request.q) if with_fragments else None

    def rows():
        for record in records:
            record = {**record, "url": report_url + record["id"],
                      "source": csvformat.source_name(record["path"], roots)}
            if with_fragments:
                record["fragments"] = csvformat.fragments_text(_fragments(handle, record["id"],
                                                                          patterns))
            yield record
    return csvformat.csv_lines(rows(), with_fragments)


def source_roots(handle) -> list[str]:
    """The folders the live build was indexed from (to name source files relative to them)."""
    build, _ = handle.snapshot()
    return [str(r) for r in build.meta.get("roots", [])]


def _patterns(handle, q: str):
    tree = parse(q)
    return highlight_patterns(tree, handle.searcher().schema) if tree is not None else []


def _fragments(handle, report_id: str, patterns) -> list[dict]:
    found = engine.get_report(handle, report_id)
    if found is None:
        return []
    frags = highlight.fragments(found[1].get("content", ""), patterns,
                                settings.get("fragment_count"), settings.get("fragment_chars"))
    return [f.to_dict() for f in frags]


def file_name(q: str, today: datetime.date | None = None) -> str:
    """``法治报告_证照分离_2026-12-01.csv``: the query's words (or 全部) and the date."""
    today = today or datetime.date.today()
    words = re.sub(r"[\W_]+", "_", q).strip("_")[:40].rstrip("_") or "全部"
    return f"法治报告_{words}_{today.isoformat()}.csv"


def content_disposition(name: str, today: datetime.date | None = None) -> str:
    """An attachment header: an ASCII fallback, then the UTF-8 name (RFC 5987 / RFC 6266)."""
    fallback = f"policy-reports_{(today or datetime.date.today()).isoformat()}.csv"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
