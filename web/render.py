"""Presentation helpers for the templates: highlighted HTML, meta lines, page windows.

Document text reaches HTML only through ``search.highlight.to_html``, which escapes every
character it does not wrap in ``<mark>``; nothing else here marks a string as safe.
"""
from __future__ import annotations

from pathlib import PurePath

from markupsafe import Markup

from search import highlight

LEVEL_LABELS = {"province": "省级", "city": "市级", "county": "县级"}
SCRIPT_LABELS = {"simplified": "简体", "traditional": "繁体"}
YEAR_SOURCES = {"title": "据标题", "opening": "据正文开头", "published": "据发布日期",
                "filename": "据文件名", "manual": "人工校正"}
FIRST_HIT = "first-hit"


def fragment_html(fragment: dict) -> Markup:
    """Render one hit fragment with its matches in ``<mark>`` (text escaped)."""
    return Markup(highlight.to_html(fragment["text"], fragment["highlights"]))


def highlighted_text(text: str, spans: list[tuple[int, int]]) -> tuple[Markup, int]:
    """Render a report's full text with ``spans`` (where the query matched) marked; the first
    mark is #first-hit."""
    body = highlight.to_html(text, spans)
    # to_html escapes "<" in document text, so the only "<mark>" strings are its own.
    body = body.replace("<mark>", f'<mark id="{FIRST_HIT}">', 1)
    return Markup(body), len(spans)


def place_line(meta: dict) -> str:
    """Return “山西省 · 忻州市 · 忻府区 · 2022年 · 忻府区司法局” (unknown parts left out)."""
    parts = [meta.get("province"), meta.get("city"), meta.get("county"),
             f"{meta['year']}年" if meta.get("year") else None, meta.get("issuer")]
    return " · ".join(p for p in parts if p)


def file_name(path: str) -> str:
    """Return the last component of a report's source path."""
    return PurePath(path).name


def page_window(page: int, pages: int, width: int = 2) -> list[int | None]:
    """Return page numbers to link around ``page``; None marks a gap: 1 … 4 5 [6] 7 8 … 20."""
    shown = {1, pages} | set(range(max(1, page - width), min(pages, page + width) + 1))
    out: list[int | None] = []
    for number in sorted(shown):
        if out and number - (out[-1] or 0) > 1:
            out.append(None)
        out.append(number)
    return out


def init_app(app) -> None:
    """Register the helpers as Jinja filters."""
    app.add_template_filter(fragment_html, "fragment_html")
    app.add_template_filter(place_line, "place_line")
    app.add_template_filter(file_name, "file_name")
    app.add_template_filter(lambda v: LEVEL_LABELS.get(v, v or ""), "level_label")
    app.add_template_filter(lambda v: SCRIPT_LABELS.get(v, v or ""), "script_label")
    app.add_template_filter(lambda v: YEAR_SOURCES.get(v, v or ""), "year_source_label")
