"""The address of the web page a report was saved from, when the saved file names it.

A page saved from a browser keeps its address in its markup: ``<link rel="canonical">``, the
Open Graph ``og:url`` meta tag, or the ``<!-- saved from url=(0042)http://… -->`` comment that
Internet Explorer and Edge write. A text copy often carries a line such as ``原文链接：http://…``
or ``网址：…``. Only ``http``/``https`` addresses are kept, so the report page can link to the
original without ever emitting a ``javascript:`` or relative URL. Tested by
``tests/test_source_url.py`` with one constructed case per pattern.
"""
from __future__ import annotations

import re

#: How a saved HTML page names its address, in order of trust.
HTML_PATTERNS = (
    re.compile(r"<link\b[^>]*\brel\s*=\s*[\"']?canonical[\"']?[^>]*>", re.I),
    re.compile(r"<meta\b[^>]*\bproperty\s*=\s*[\"']?og:url[\"']?[^>]*>", re.I),
)
_ATTRIBUTE = {"link": re.compile(r"\bhref\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.I),
              "meta": re.compile(r"\bcontent\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.I)}
SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.I)
#: Labels of the line that names the original address in a text copy.
TEXT_LINE = re.compile(r"^[ \t　]*(?:原文链接|原文网址|原文地址|网址|网页地址|来源网址|链接地址|本文链接)"
                       r"[ \t　]*[:：][ \t　]*(https?://[^\s<>\"'，。；）)]+)", re.M)
_VALID = re.compile(r"https?://[^\s<>\"'\\\\]{3,2000}", re.I)


def from_html(markup: str) -> str:
    """The page address named by saved HTML (canonical link, og:url, saved-from comment) or ""."""
    head = markup[:200_000]
    for pattern in HTML_PATTERNS:
        for tag in pattern.findall(head):
            kind = "link" if tag[1:5].lower() == "link" else "meta"
            found = _ATTRIBUTE[kind].search(tag)
            url = clean(next((g for g in found.groups() if g), "")) if found else ""
            if url:
                return url
    match = SAVED_FROM.search(head)
    return clean(match.group(1)) if match else ""


def from_text(text: str) -> str:
    """The address a text copy names on a 原文链接/网址 line, or ""."""
    match = TEXT_LINE.search(text[:20_000])
    return clean(match.group(1)) if match else ""


def clean(url: str) -> str:
    """``url`` when it is an absolute http(s) address (HTML entities undone), else ""."""
    import html

    url = html.unescape(url.strip()).rstrip(".,;")
    return url if _VALID.fullmatch(url) else ""
