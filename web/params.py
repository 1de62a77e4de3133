"""The URL is the state: GET parameters → ``SearchRequest``, and links that change one parameter.

Every page state is plain, repeatable GET parameters, so a result page can be bookmarked::

    /?q=证照分离&province=140000&province=320000&year_from=2022&year_to=2024&sort=year&page=2

Links are built Datasette-style from the current parameters: ticking a facet value adds one
``name=value`` pair, unticking removes it, and any change of filters goes back to page 1.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from typing import Iterable
from urllib.parse import urlencode

from search import engine, regions, settings
from search.engine import ParameterError, SearchRequest

#: Filters that may be given several times (OR inside one, AND across them).
MULTI = ("province", "city", "county", "level", "year", "issuer")
#: Parameters given once.
SINGLE = ("q", "year_from", "year_to", "sort", "page", "page_size", "copies")
PARAMS = SINGLE + MULTI
#: Every parameter that narrows the collection ("clear all" drops these).
FILTERS = MULTI + ("year_from", "year_to")
#: What the filters are called on the page.
FILTER_LABELS = {"province": "省份", "city": "城市", "county": "区县", "level": "层级",
                 "year": "年份", "year_from": "起始年份", "year_to": "截止年份",
                 "issuer": "发布机关"}

#: What the numeric parameters are called on the page.
NUMBER_LABELS = {"page": "页码", "page_size": "每页条数"}

Pairs = list[tuple[str, str]]


def state_pairs(args) -> Pairs:
    """Return the known, non-empty parameters of ``args`` (a MultiDict) in URL order.

    ``?q=证照分离&province=&page=2&utm=x`` becomes ``[("q", "证照分离"), ("page", "2")]``.
    """
    pairs = []
    for name, value in args.items(multi=True):
        value = value.strip()
        if name in PARAMS and value and not (name in SINGLE and any(n == name for n, _ in pairs)):
            pairs.append((name, value))
    return pairs


def request_from_args(args) -> SearchRequest:
    """Build the engine request of a page, API or CSV URL; raise ParameterError when bad."""
    pairs = state_pairs(args)
    one = dict(pairs)
    many = {name: tuple(dict.fromkeys(v for n, v in pairs if n == name)) for name in MULTI}
    cap = settings.get("max_filter_values")
    for name, values in many.items():
        if len(values) > cap:
            raise ParameterError(f"At most {cap} values of {name} at once; this request has "
                                 f"{len(values)}.",
                                 f"{FILTER_LABELS[name]}最多可同时选择 {cap} 项，"
                                 f"本次请求选择了 {len(values)} 项；请减少后再试。")
    page_size = _whole_number(one.get("page_size"), "page_size", 0)
    if "page_size" in one and page_size < 1:
        limit = settings.get("max_page_size")
        raise ParameterError(f"Page size must be between 1 and {limit}, not {page_size}.",
                             f"每页条数必须在 1 到 {limit} 之间，不能是 {page_size}。",
                             fix={"page_size": None})
    return SearchRequest(q=args.get("q", ""), year_from=one.get("year_from"),
                         year_to=one.get("year_to"), sort=one.get("sort", "relevance"),
                         page=_whole_number(one.get("page"), "page", 1), page_size=page_size,
                         copies=one.get("copies", ""), **many)


def _whole_number(value: str | None, name: str, default: int) -> int:
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ParameterError(f"{name} must be a whole number, not “{value[:40]}”.",
                             f"{NUMBER_LABELS.get(name, name)}必须是整数，不能是“{value[:40]}”。",
                             fix={name: None}) from None


def has_filters(request: SearchRequest) -> bool:
    """True when the request narrows the collection by anything other than its query."""
    return any(getattr(request, name) for name in MULTI) or bool(request.year_from
                                                                  or request.year_to)


def without_filters(request: SearchRequest) -> SearchRequest:
    """Return ``request`` with every filter dropped (the query and sort kept), on page 1."""
    return replace(request, **{name: () for name in MULTI}, year_from=None, year_to=None, page=1)


@functools.lru_cache(maxsize=1024)
def canonical(name: str, value: str) -> str:
    """Return the facet value a filter parameter selects: ``("province", "山西")`` → ``"140000"``."""
    if name not in MULTI:
        return value
    try:
        [flt] = engine.build_filters(SearchRequest(**{name: (value,)}))
    except (ParameterError, ValueError):
        return value
    return str(flt.selected[0]) if flt.selected else value


# --------------------------------------------------------------------------------------------
# Links

def url_with(path: str, pairs: Iterable[tuple[str, str]], fragment: str = "") -> str:
    """Return ``path`` with ``pairs`` as its query string (and ``#fragment``)."""
    pairs = list(pairs)
    return path + ("?" + urlencode(pairs) if pairs else "") + (f"#{fragment}" if fragment else "")


@dataclass(frozen=True)
class Links:
    """Links from the current state (``path`` plus ``pairs``) to states one change away."""

    path: str
    pairs: tuple[tuple[str, str], ...]

    def value(self, name: str) -> str:
        """The current value of a single-valued parameter, or ""."""
        return next((v for n, v in self.pairs if n == name), "")

    def elsewhere(self, path: str, fragment: str = "") -> str:
        """Another page (a report, the export) that keeps this state in its URL."""
        return url_with(path, self.pairs, fragment)

    def here(self, *, drop: Iterable[str] = ()) -> str:
        """This state, without the parameters named in ``drop``."""
        return url_with(self.path, [p for p in self.pairs if p[0] not in set(drop)])

    def added(self, name: str, value: str) -> str:
        """Add one ``name=value`` (and go back to page 1)."""
        return url_with(self.path, [p for p in self.pairs if p[0] != "page"] + [(name, value)])

    def removed(self, *names: str, value: str | None = None) -> str:
        """Remove every parameter in ``names`` or, with ``value``, the ones selecting it."""
        def keep(n: str, v: str) -> bool:
            if n == "page":
                return False
            if n not in names:
                return True
            return value is not None and v != value and canonical(n, v) != value
        return url_with(self.path, [p for p in self.pairs if keep(*p)])

    def toggled(self, name: str, value: str, selected: bool) -> str:
        """Tick or untick one facet value."""
        return self.removed(name, value=value) if selected else self.added(name, value)

    def replaced(self, name: str, value: str | int | None) -> str:
        """Set a single-valued parameter such as ``sort`` (None drops it), back on page 1."""
        pairs = [p for p in self.pairs if p[0] not in (name, "page")]
        if value not in (None, ""):
            pairs.append((name, str(value)))
        return url_with(self.path, pairs)

    def page(self, number: int) -> str:
        """Go to page ``number`` of the same results."""
        pairs = [p for p in self.pairs if p[0] != "page"]
        return url_with(self.path, pairs + ([("page", str(number))] if number > 1 else []))

    def hidden(self, *drop: str) -> list[tuple[str, str]]:
        """The pairs a form must carry as hidden fields to keep this state (minus ``drop``)."""
        return [p for p in self.pairs if p[0] not in drop and p[0] != "page"]


# --------------------------------------------------------------------------------------------
# Active filters, shown as removable chips

def value_labels(facets: list[dict]) -> dict[tuple[str, str], str]:
    """Map ``(facet name, value)`` to the label the facets give it."""
    return {(f["name"], v["value"]): v["label"] for f in facets for v in f["values"]}


def label_of(name: str, value: str, labels: dict) -> str:
    """Return how a filter value is shown: 140000 → 山西省, 2023 → 2023年, county codes by name."""
    code = canonical(name, value)
    if (name, code) in labels:
        return labels[(name, code)]
    if name in ("province", "city", "county") and code.isdigit():
        division = regions.by_code(code)
        return division.name if division else value
    if name == "year_from":
        return f"{value}年起"
    if name == "year_to":
        return f"至{value}年"
    return value


#: Past this many values of one filter, they share one chip (each chip's link repeats the URL).
CHIPS_PER_FILTER = 8


def active_filters(links: Links, facets: list[dict]) -> list[dict]:
    """Return one chip per filter value: ``{"name", "value", "label", "remove_url"}``.

    A filter with more than ``CHIPS_PER_FILTER`` values gets one chip that removes them all,
    so the page grows with the number of values, not with its square.
    """
    labels = value_labels(facets)
    chips, many = [], {}
    for name, value in links.pairs:
        if name in MULTI or name in ("year_from", "year_to"):
            many.setdefault(name, []).append(value)
    for name, values in many.items():
        if len(values) > CHIPS_PER_FILTER:
            chips.append({"name": name, "value": "",
                          "label": f"{FILTER_LABELS[name]}：已选 {len(values)} 项",
                          "remove_url": links.removed(name)})
            continue
        chips.extend({"name": name, "value": value,
                      "label": f"{FILTER_LABELS[name]}：{label_of(name, value, labels)}",
                      "remove_url": links.removed(name, value=value)} for value in values)
    return chips


def drop_suggestions(links: Links, facets: list[dict]) -> list[dict]:
    """For an empty result: each active filter, how many reports dropping it would give, and how.

    A facet's disjunctive counts are computed without its own filter, so their sum is the
    number of results with that filter dropped (None where the facet is not counted).
    """
    counted = {f["name"]: sum(v["count"] for v in f["values"]) for f in facets}
    labels = value_labels(facets)
    out = []
    for name in MULTI:
        names = (name, "year_from", "year_to") if name == "year" else (name,)
        values = [v for n, v in links.pairs if n in names]
        if values:
            shown = "、".join(label_of(n, v, labels) for n, v in links.pairs if n in names)
            out.append({"label": FILTER_LABELS[name], "shown": shown,
                        "count": counted.get(name), "url": links.removed(*names)})
    return out
