"""The web's CSV export: rows from ``search.csvformat``, named after the query and the day.

The file is ``法治报告_证照分离_2026-12-01.csv``, sent with an RFC 5987 ``filename*`` and an
ASCII fallback for old clients. ``fragments=1`` in the URL adds the 摘录 column.
"""
from __future__ import annotations

import datetime
import re
from typing import Iterator
from urllib.parse import quote

from search import csvformat, engine


def csv_lines(handle, request: engine.SearchRequest, report_url: str,
              with_fragments: bool = False) -> Iterator[str]:
    """Return the CSV as an iterator of lines; the request is checked now, so errors raise here.

    :param report_url: the report page URL without its id, for the 链接 column.
    """
    return csvformat.export_lines(handle, request, report_url, with_fragments)


def file_name(q: str, today: datetime.date | None = None) -> str:
    """``法治报告_证照分离_2026-12-01.csv``: the query's words (or 全部) and the date."""
    today = today or datetime.date.today()
    words = re.sub(r"[\W_]+", "_", q).strip("_")[:40].rstrip("_") or "全部"
    return f"法治报告_{words}_{today.isoformat()}.csv"


def content_disposition(name: str, today: datetime.date | None = None) -> str:
    """An attachment header: an ASCII fallback, then the UTF-8 name (RFC 5987 / RFC 6266)."""
    fallback = f"policy-reports_{(today or datetime.date.today()).isoformat()}.csv"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
