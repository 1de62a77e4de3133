"""The evaluation's small chart: per year, the on-time share and the all-parts share as bars.

Drawn as ``web.trendchart`` draws the trend: plain numbers for an ``<svg>`` the template writes
(no JavaScript, no library, no inline style under the CSP), each bar with a ``<title>`` giving
the counts behind its share and a link to the reports behind it.
"""
from __future__ import annotations

from web.trendchart import value_label

WIDTH, HEIGHT = 760, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 48
#: (summary key of the share, its count, its denominator, legend label, what the count is of).
SERIES = (("on_time_share", "on_time", "dated", "按时发布率", "有日期的报告"),
          ("all_parts_share", "all_parts", "bodies", "四部分齐全率", "报告"))


def bar_chart(by_year: list[dict], links: list[list[str]]) -> dict:
    """Return the chart of ``by_year`` (``evaluation.evaluate``'s) as drawable numbers.

    :param links: per year, per series, the URL of the reports behind that bar.
    """
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(1, len(by_year))
    bar = min(28.0, slot / (len(SERIES) + 1))
    bars, xticks = [], []
    for i, row in enumerate(by_year):
        centre = LEFT + slot * (i + 0.5)
        xticks.append({"x": round(centre, 1), "label": f"{row['year']}",
                       "n": f"n={row['bodies']}"})
        for k, (share, count, of, label, noun) in enumerate(SERIES):
            value = row[share]
            height = round((value or 0) * plot_h, 1)
            x = centre - bar * len(SERIES) / 2 + k * bar
            bars.append({"x": round(x + 1, 1), "y": round(TOP + plot_h - height, 1),
                         "w": round(bar - 2, 1), "h": height, "n": k, "url": links[i][k],
                         "empty": value is None,
                         "title": f"{row['year']}年 {label}：{value_label(value, 'share')}"
                                  f"（{row[count]} / {row[of]} 篇{noun}）"})
    yticks = [{"y": round(TOP + plot_h - plot_h * k / 4, 1),
               "label": value_label(k / 4, "share")} for k in range(5)]
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "top": TOP,
            "bottom": HEIGHT - BOTTOM, "bars": bars, "xticks": xticks, "yticks": yticks,
            "legend": [{"n": k, "label": s[3]} for k, s in enumerate(SERIES)]}
