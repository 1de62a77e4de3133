"""Publication evaluation on constructed reports with known dates and sections: exact rows."""
from __future__ import annotations

import pytest

from search import evaluation
from search.engine import SearchRequest


def _report(year: int, date: str, parts=("成效", "不足", "第一责任人", "计划")) -> str:
    headings = {"成效": f"{year}年法治政府建设主要举措和成效",
                "不足": "存在的不足和原因",
                "第一责任人": "党政主要负责人履行推进法治建设第一责任人职责情况",
                "计划": f"{year + 1}年工作计划"}
    lines = [f"发布时间：{date}" if date else "", ""]
    for number, part in zip("一二三四", parts):      # numbered in order, as reports are
        lines += [f"{number}、{headings[part]}", "我们认真推进依法行政，严格规范公正文明执法，取得了积极成效。" * 3, ""]
    return "\n".join(lines)


REPORTS = {  # file name → (title line, year, date, parts)
    "a2021.txt": ("陕西省人民政府关于2021年法治政府建设情况的报告", 2021, "2022-03-15", None),
    "a2023.txt": ("陕西省人民政府关于2023年法治政府建设情况的报告", 2023, "2024-04-10",
                  ("成效", "不足", "计划")),
    "b2023.txt": ("陕西省司法厅关于2023年法治政府建设情况的报告", 2023, "", None),
    "b2023copy.txt": ("陕西省司法厅关于2023年法治政府建设情况的报告", 2023, "2024-02-01", None),
}


@pytest.fixture(scope="module")
def eval_handle(tmp_path_factory):
    from indexer.build import build_index
    from search.store import IndexHandle
    root = tmp_path_factory.mktemp("evalcorpus")
    for name, (title, year, date, parts) in REPORTS.items():
        body = _report(year, date, parts or evaluation.PARTS)
        (root / name).write_text(title + "\n" + body, encoding="utf-8")
    index_dir = root.parent / (root.name + "-index")
    build_index([root], index_dir, jobs=1)
    return IndexHandle(index_dir)


def test_timeliness():
    assert evaluation.timeliness(2023, "2024-03-31") == ("on_time", None)
    assert evaluation.timeliness(2023, "2024-04-10") == ("late", 10)
    assert evaluation.timeliness(2023, "") == ("unknown", None)


def test_issuer_kind():
    assert evaluation.issuer_kind("陕西省人民政府") == "government"
    assert evaluation.issuer_kind("陕西省司法厅") == "department"


def test_rows_and_summaries(eval_handle):
    data = evaluation.evaluate(eval_handle, SearchRequest())
    rows = {(r["issuer"], r["year"]): r for r in data["rows"]}
    assert set(rows) == {("陕西省人民政府", 2021), ("陕西省人民政府", 2023), ("陕西省司法厅", 2023)}
    a21, a23, b23 = rows[("陕西省人民政府", 2021)], rows[("陕西省人民政府", 2023)], \
        rows[("陕西省司法厅", 2023)]
    assert (a21["status"], a21["published"], a21["all_parts"]) == ("on_time", "2022-03-15", True)
    assert (a23["status"], a23["days_late"]) == ("late", 10)
    assert a23["parts"] == {"成效": True, "不足": True, "第一责任人": False, "计划": True}
    # two reports of one body and year: the dated (earliest) one is the row, one other
    assert (b23["published"], b23["status"], b23["others"]) == ("2024-02-01", "on_time", 1)
    assert b23["kind"] == "department" and a21["kind"] == "government"
    y23 = [s for s in data["by_year_level"] if s["year"] == 2023]
    assert len(y23) == 1
    s = y23[0]
    assert (s["bodies"], s["dated"], s["on_time"], s["late"], s["on_time_share"]) == \
        (2, 2, 1, 1, 0.5)
    assert (s["all_parts"], s["all_parts_share"]) == (1, 0.5)
    gaps = {c["issuer"]: c for c in data["continuity"]}
    assert gaps["陕西省人民政府"]["missing"] == [2022]
    assert gaps["陕西省人民政府"]["note"] == "2022 缺（本库未收录）"
    assert gaps["陕西省司法厅"]["missing"] == []


def test_kind_and_year_filters(eval_handle):
    gov = evaluation.evaluate(eval_handle, SearchRequest(year=(2023,)), kind="government")
    assert [(r["issuer"], r["year"]) for r in gov["rows"]] == [("陕西省人民政府", 2023)]
    dep = evaluation.evaluate(eval_handle, SearchRequest(), kind="department")
    assert {r["issuer"] for r in dep["rows"]} == {"陕西省司法厅"}
    with pytest.raises(evaluation.ParameterError):
        evaluation.evaluate(eval_handle, SearchRequest(), kind="bogus")
