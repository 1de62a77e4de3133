"""The geometry of a trend chart, for the SVG the template draws: no JavaScript, no library.

``line_chart(trend, view)`` turns ``search.trends.trend``'s data into plain numbers (axes, ticks,
one polyline per query, one point per value with its hover text); the template only writes them
into ``<svg>`` elements, whose ``<title>`` children are the values a browser shows on hover.
Heat-map cells get a shade class from ``heat_class`` (the stylesheet holds the colours: the CSP
forbids inline styles).
"""
from __future__ import annotations

import math

WIDTH, HEIGHT = 760, 340
LEFT, RIGHT, TOP, BOTTOM = 64, 20, 20, 64
SHADES = 6


def nice_ceiling(value: float) -> float:
    """Round ``value`` up to 1, 2 or 5 times a power of ten (0 stays 1)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power + 1e-12:
            return step * power
    return 10 * power


def value_label(value, view: str) -> str:
    """``0.125`` → ``12.5%`` in the share view; counts as whole numbers; None → ``—``."""
    if value is None:
        return "—"
    if view == "share":
        return f"{value * 100:.1f}%".replace(".0%", "%")
    return str(int(value))


def line_chart(trend: dict, view: str = "share") -> dict:
    """Return the chart of ``trend`` in ``view`` (``share`` or ``count``) as drawable numbers."""
    years = trend["years"]
    key = "shares" if view == "share" else "counts"
    values = [v for s in trend["series"] for v in s[key] if v is not None]
    if view == "count":                     # whole-number ticks: four equal steps
        top = 4 * max(1, math.ceil(nice_ceiling(max(values, default=0) / 4)))
    else:
        top = min(1.0, nice_ceiling(max(values, default=0) or 0.01))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(years) - 1)

    def x(i: int) -> float:
        return round(LEFT + (i * step if len(years) > 1 else plot_w / 2), 1)

    def y(v: float) -> float:
        return round(TOP + plot_h - (v / top) * plot_h, 1)

    yticks = [{"y": y(top * k / 4), "label": value_label(top * k / 4, view)
               if view == "share" else f"{top * k / 4:g}"} for k in range(5)]
    xticks = [{"x": x(i), "label": str(year), "low": trend["low"][i],
               "reports": trend["reports"][i], "band_x": max(LEFT, x(i) - 10),
               "band_w": round(min(WIDTH - RIGHT, x(i) + 10) - max(LEFT, x(i) - 10), 1)}
              for i, year in enumerate(years)]
    lines = []
    for number, series in enumerate(trend["series"]):
        points = [{"x": x(i), "y": y(v), "low": trend["low"][i],
                   "title": f"{series['query']} · {years[i]}年：{value_label(v, view)}"
                            f"（{series['counts'][i]} / {trend['reports'][i]} 篇）"}
                  for i, v in enumerate(series[key]) if v is not None]
        lines.append({"query": series["query"], "n": number % 6, "points": points,
                      "path": " ".join(f"{p['x']},{p['y']}" for p in points)})
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "top": TOP,
            "bottom": HEIGHT - BOTTOM, "xticks": xticks, "yticks": yticks, "lines": lines,
            "y_label": "占当年报告的比例" if view == "share" else "报告数（篇）",
            "x_label": "报告年度"}


def heat_class(count: int, share, reports: int, low: int) -> str:
    """The CSS class of a grid cell: ``heat-0`` (none) to ``heat-5``; ``is-low`` when n < low."""
    if not reports:
        return "heat-empty"
    level = 0 if not count else 1 + min(SHADES - 2, int((share or 0) * (SHADES - 1)))
    return f"heat-{level}" + (" is-low" if reports < low else "")
