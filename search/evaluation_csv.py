"""The publication evaluation as one CSV, shared by ``/evaluation.csv`` and ``evaluate --csv``.

Every figure of the page is a cell: one table of rows with a 表 column saying which table of the
page a row belongs to (报告, 年度, 年度×层级, 省份, 连续性), so a spreadsheet filter on 表 gives
back each table. Shares are written beside the counts they come from (``按时`` ÷ ``有日期``,
``四部分齐全`` ÷ ``有报告的机关``), so each one can be recomputed. Headers are Chinese; cells go
through ``search.csvformat`` (formula guard, 是/否, UTF-8 with BOM for Excel).
"""
from __future__ import annotations

from typing import Iterator

from search import csvformat
from search.evaluation import KIND_LABELS, PARTS

STATUS_LABELS = {"on_time": "按时", "late": "逾期", "unknown": "日期不明"}
LEVEL_LABELS = {**csvformat.LEVELS, "none": "未识别"}
TABLES = {"rows": "报告", "by_year": "年度", "by_year_level": "年度×层级",
          "by_province": "省份", "continuity": "连续性"}
#: (record key, header), in column order.
COLUMNS = (("table", "表"), ("issuer", "发布机关"), ("kind", "机关类型"), ("year", "年度"),
           ("level", "层级"), ("province", "省份代码"), ("province_name", "省份"),
           ("id", "编号"), ("url", "链接"), ("published", "发布日期"), ("date_from", "日期来自副本"),
           ("status", "时效"), ("days_late", "逾期天数"),
           *((f"part_{p}", p) for p in PARTS), ("all_parts_row", "四部分齐全"),
           ("length", "长度（词）"), ("copies", "副本数"), ("others", "同年其他报告"),
           ("bodies", "有报告的机关"), ("dated", "有日期"), ("on_time", "按时"), ("late", "逾期"),
           ("unknown", "日期不明"), ("on_time_share", "按时率"), ("all_parts", "四部分齐全数"),
           ("all_parts_share", "齐全率"), ("median_length", "长度中位数（词）"),
           ("first", "首年"), ("last", "末年"), ("years", "收录年份"), ("missing", "缺失年份"),
           ("note", "说明"))


def records(data: dict, report_url: str | None = None) -> Iterator[dict]:
    """Yield one flat record per row of every table of ``evaluation.evaluate``'s result."""
    for row in data["rows"]:
        yield {**row, "table": TABLES["rows"], "kind": KIND_LABELS[row["kind"]],
               "level": LEVEL_LABELS.get(row["level"], row["level"]),
               "status": STATUS_LABELS[row["status"]], "all_parts_row": row["all_parts"],
               "all_parts": None, "url": report_url + row["id"] if report_url else None,
               **{f"part_{p}": row["parts"][p] for p in PARTS}}
    for name in ("by_year", "by_year_level", "by_province"):
        for row in data[name]:
            yield {**row, "table": TABLES[name],
                   "level": LEVEL_LABELS.get(row.get("level"), row.get("level"))}
    for row in data["continuity"]:
        yield {**row, "table": TABLES["continuity"],
               "years": "、".join(map(str, row["years"])),
               "missing": "、".join(map(str, row["missing"]))}


def csv_lines(data: dict, report_url: str | None = None) -> Iterator[str]:
    """Yield the header line (with the BOM), then one line per record."""
    yield csvformat.BOM + csvformat._row(header for _, header in COLUMNS)
    for record in records(data, report_url):
        yield csvformat._row(record.get(key) for key, _ in COLUMNS)
