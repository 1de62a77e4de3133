"""Presentation helpers for the templates: highlighted HTML, meta lines, page windows.

Document text reaches HTML only through ``search.highlight.to_html``, which escapes every
character it does not wrap in ``<mark>``; nothing else here marks a string as safe.
"""
from __future__ import annotations

import re
from pathlib import PurePath

from markupsafe import Markup

from indexer.issuer import SITE_NOTE, TOWN_NOTE, TRAIL_NOTE
from indexer.metadata import DERIVED_MARK
from search import highlight, settings

LEVEL_LABELS = {"province": "省级", "city": "市级", "county": "县级"}
SCRIPT_LABELS = {"simplified": "简体", "traditional": "繁体"}
#: The format a copy was read from (``indexer.formats`` kinds), as the copy list shows it.
FORMAT_LABELS = {"text": "文本", "html": "网页", "pdf": "PDF", "docx": "Word 文档", "doc": "Word 文档",
                 "wps": "WPS 文档", "odt": "ODT 文档", "rtf": "RTF 文档", "ocr": "扫描件（OCR）"}
YEAR_SOURCES = {"title": "据标题", "opening": "据正文开头", "heading": "据正文首个标题",
                "published": "据发布日期", "filename": "据文件名", "text": "据正文所述年份",
                "manual": "人工校正"}
FIRST_HIT = "first-hit"
#: Page sizes offered on the search page (the setting's default is always among them).
PAGE_SIZES = (10, 20, 50, 100)
#: Example searches offered on the home page: (query, what it shows).
EXAMPLES = (("证照分离", "关键词"), ("行政复议 OR 行政诉讼", "任一个词"),
            ("\"一网通办\"", "完整短语"), ("标题:行政审批", "只搜标题"),
            ("行政復議", "繁体也能找到简体"))
#: The indexer's warnings about a report (stored in English) as the report page shows them.
WARNINGS = (
    (re.compile(r"region inferred from places named in the text"),
     "地区系根据正文中出现的地名推断，可能不准确"),
    (re.compile(re.escape(TOWN_NOTE)), "地区系根据乡镇（街道）所属的区县推断"),
    (re.compile(re.escape(SITE_NOTE)), "地区系根据网页地址推断"),
    (re.compile(re.escape(TRAIL_NOTE)), "同名地区系根据网页的导航位置区分"),
    (re.compile(r"region inferred from the report's campaign name or credit code"),
     "地区系根据报告中的“法治某地”等提法或机构统一社会信用代码推断"),
    (re.compile(r"functional zone (.+?): not a division; reported as a county-level body of (.+?) "
                r"\(no code\)"), "{0}是功能区，不是行政区划，按{1}下属的县级单位统计（无区划代码）"),
    (re.compile(r"functional zone (.+?): inside (.+?); reported under it"),
     "{0}是{1}境内的功能区，按{1}统计"),
    (re.compile(r"region ambiguous: the text names (.+) equally often"),
     "地区有歧义（正文中{0}出现次数相同），未能确定"),
    (re.compile(r"region ambiguous: (\S+) in (.+)"), "地区有歧义（{1}都有{0}），未能确定"),
    (re.compile(r"region ambiguous: (.*)"), "地区有歧义（{0}），未能确定"),
    (re.compile(r"region unknown"), "未能识别发布地区"),
    (re.compile(r"correction: (\w+) (.*) is unknown or ambiguous"), "校正文件中的{0}“{1}”无法识别或有歧义"),
    (re.compile(r"sidecar (\S+): (.*)"), "校正文件 {0} 中有无法使用的内容，已忽略（原因见索引命令的输出）"),
    (re.compile(r"OCR read (\d+) of (\d+) scanned pages \(limit POLICY_MAX_OCR_PAGES\)"),
     "共有 {1} 页扫描图像，只识别了前 {0} 页（超出 OCR 页数上限），其余页的文字未收录"),
    (re.compile(r"(\d+) scanned pages not read: install (.*)"),
     "有 {0} 页是扫描图像，未能识别，其文字未收录（需安装 {1}）"),
)
#: What read a report's file (``reader.kind``), as the report page names it.
READER_KINDS = {"text": "文本文件", "html": "网页", "pdf": "PDF", "docx": "Word 文档（.docx）",
                "doc": "Word 文档（.doc）", "wps": "WPS 文档（.wps）", "rtf": "RTF 文档"}
OCR_NOTE = "OCR 识别，文字可能有误"
_FIELD_NAMES = {"province": "省份", "city": "城市", "county": "区县", "level": "层级",
                "year": "年份", "issuer": "发布机关", "title": "标题"}


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


def plain_title(meta: dict) -> str:
    """The title to show: the report's own, or the derived one without the indexer's mark.

    Whether it was derived is shown apart (a muted title with a 推断 label), never as text
    glued to the title.
    """
    title = meta.get("title") or meta.get("display_title") or ""
    return title.replace(DERIVED_MARK, "").strip()


def original_url(meta: dict) -> str:
    """The report's original web page (``source_url``) when it is an absolute http(s) address."""
    url = meta.get("source_url") or ""
    return url if re.match(r"https?://[^\s\"'<>]+$", url) else ""


def warning_text(warning: str) -> str:
    """The Chinese text of one of the indexer's warnings about a report."""
    for pattern, text in WARNINGS:
        match = pattern.fullmatch(warning)
        if match:
            groups = [_FIELD_NAMES.get(g, g.strip("'\"")).replace(", ", "、") for g in match.groups()]
            return text.format(*groups)
    return warning


def reader_label(reader: dict | None) -> str:
    """The report page's 文件格式 line: the file's kind, and whether OCR read it."""
    reader = reader or {}
    label = READER_KINDS.get(reader.get("kind", ""), reader.get("kind", ""))
    return f"{label}（{OCR_NOTE}）" if reader.get("ocr") else label


def notice_text(notice) -> str:
    """The Chinese text of an engine notice (``search.messages.Notice``)."""
    return getattr(notice, "zh", notice)


def sort_used(sort: str, browsing: bool) -> str:
    """The order really applied: an empty query has no relevance and lists newest first."""
    return "year" if browsing and sort == "relevance" else sort


def page_sizes() -> list[int]:
    """Page sizes offered: the fixed choices within the limit, plus the default."""
    limit, default = settings.get("max_page_size"), settings.get("page_size")
    return sorted({n for n in PAGE_SIZES if n <= limit} | {default})


def collection_summary(facets: list[dict], total: int) -> dict:
    """What the home page says is indexed: counts, the span of years, the provinces."""
    by_name = {f["name"]: f for f in facets}
    years = sorted(int(v["value"]) for v in by_name.get("year", {}).get("values", [])
                   if v["value"].isdigit() and v["count"])
    provinces = [v for v in by_name.get("province", {}).get("values", [])
                 if v["count"] and v["value"] != "none"]
    return {"total": total, "years": (years[0], years[-1]) if years else None,
            "provinces": provinces, "examples": EXAMPLES}


def bar_chart(values: list[dict], width: int = 560, height: int = 160) -> dict:
    """Geometry of a small SVG bar chart of facet counts (oldest year left), drawn by a template.

    Returns ``{"width", "height", "bars": [{"x", "y", "w", "h", "label", "count", "value"}]}``.
    """
    rows = sorted((v for v in values if v["value"] != "none"), key=lambda v: v["value"])
    top, base = 18, height - 22
    slot = width / max(1, len(rows))
    peak = max((v["count"] for v in rows), default=0) or 1
    bars = []
    for i, v in enumerate(rows):
        h = round((base - top) * v["count"] / peak, 1)
        bars.append({"x": round(i * slot + slot * 0.15, 1), "w": round(slot * 0.7, 1),
                     "y": round(base - h, 1), "h": h, "cx": round(i * slot + slot / 2, 1),
                     "label": v["label"], "count": v["count"], "value": v["value"]})
    return {"width": width, "height": height, "base": base, "bars": bars}


def beijing_time(stamp: str | None) -> str:
    """``2026-12-01T21:21:09+0000`` → ``2026-12-02 05:21（北京时间）``; unparsable stamps as given."""
    import datetime

    if not stamp:
        return "—"
    try:
        moment = datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        try:
            moment = datetime.datetime.fromisoformat(stamp)
        except ValueError:
            return stamp
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M")
    beijing = moment.astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    return beijing.strftime("%Y-%m-%d %H:%M") + "（北京时间）"


def human_bytes(size: int) -> str:
    """``1536000`` → ``1.5 MB``."""
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


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
    app.add_template_filter(plain_title, "plain_title")
    app.add_template_filter(warning_text, "warning_text")
    app.add_template_filter(reader_label, "reader_label")
    app.add_template_global(OCR_NOTE, "ocr_note")
    app.add_template_filter(notice_text, "notice_text")
    app.add_template_filter(human_bytes, "human_bytes")
    app.add_template_filter(beijing_time, "beijing_time")
    app.add_template_filter(original_url, "original_url")
    app.add_template_filter(lambda v: LEVEL_LABELS.get(v, v or ""), "level_label")
    app.add_template_filter(lambda v: SCRIPT_LABELS.get(v, v or ""), "script_label")
    app.add_template_filter(lambda v: FORMAT_LABELS.get(v, v or ""), "format_label")
    app.add_template_filter(lambda v: YEAR_SOURCES.get(v, v or ""), "year_source_label")
