"""Publication evaluation on constructed reports with known dates and sections: exact rows."""
from __future__ import annotations

import pytest

from search import evaluation
from search.engine import SearchRequest


SENTENCE = "我们认真推进依法行政，严格规范公正文明执法，取得了积极成效。"
#: The text of a genuinely different report (not a copy): other work, other words.
OTHER = ("全年办理行政复议案件一百二十件，纠正违法或者不当行政行为十五件；"
         "组织执法人员培训四期，开展生态环境执法检查二百余次，查处环境违法案件三十六起。")


def _report(year: int, date: str, parts=("成效", "不足", "第一责任人", "计划"),
            sentence: str = SENTENCE) -> str:
    headings = {"成效": f"{year}年法治政府建设主要举措和成效",
                "不足": "存在的不足和原因",
                "第一责任人": "党政主要负责人履行推进法治建设第一责任人职责情况",
                "计划": f"{year + 1}年工作计划"}
    lines = [f"发布时间：{date}" if date else "", ""]
    for number, part in zip("一二三四", parts):      # numbered in order, as reports are
        lines += [f"{number}、{headings[part]}", sentence * 3, ""]
    return "\n".join(lines)


REPORTS = {  # file name → (title line, year, date, parts, text)
    "a2021.txt": ("陕西省人民政府关于2021年法治政府建设情况的报告", 2021, "2022-03-15", None,
                  SENTENCE),
    "a2023.txt": ("陕西省人民政府关于2023年法治政府建设情况的报告", 2023, "2024-04-10",
                  ("成效", "不足", "计划"), SENTENCE),
    # b2023copy is a copy of b2023 (the same text; only the copy's page carries a date)
    "b2023.txt": ("陕西省司法厅关于2023年法治政府建设情况的报告", 2023, "", None, SENTENCE),
    "b2023copy.txt": ("陕西省司法厅关于2023年法治政府建设情况的报告", 2023, "2024-02-01", None,
                      SENTENCE),
    # two genuinely different reports of one body and year: a late one lacking 不足, and an
    # on-time one lacking 计划 (as when a body publishes a report and then a second version)
    "c2022.txt": ("陕西省生态环境厅关于2022年法治政府建设情况的报告", 2022, "2023-05-04",
                  ("成效", "第一责任人", "计划"), SENTENCE),
    "c2022other.txt": ("陕西省生态环境厅关于2022年法治政府建设情况的报告", 2022, "2023-03-20",
                       ("成效", "不足", "第一责任人"), OTHER),
    # a report and its longer copy (the representative), whose 计划 heading is lost: the report
    # has the part because a copy has it, and its date comes from the dated copy
    "e2020.txt": ("陕西省交通运输厅关于2020年法治政府建设情况的报告", 2020, "2021-03-01", None,
                  SENTENCE),
    "e2020long.txt": ("陕西省交通运输厅关于2020年法治政府建设情况的报告", 2020, "", None, SENTENCE),
}
#: Edits made to a report's text after it is written: (old, new).
EDITS = {"e2020long.txt": ("四、2021年工作计划", "2021年工作计划如下：")}
#: Text added at the end of a report (the longer copy is the representative).
ADDED = {"e2020long.txt": "附：本报告另有附件，包括重点工作台账和主要指标完成情况表。"}


def build_eval_index(tmp_path_factory):
    """Index the constructed reports; return the index folder (shared by the web tests)."""
    from indexer.build import build_index
    root = tmp_path_factory.mktemp("evalcorpus")
    for name, (title, year, date, parts, sentence) in REPORTS.items():
        body = _report(year, date, parts or evaluation.PARTS, sentence)
        if name in EDITS:
            body = body.replace(*EDITS[name]) + ADDED[name]
        (root / name).write_text(title + "\n" + body, encoding="utf-8")
    index_dir = root.parent / (root.name + "-index")
    build_index([root], index_dir, jobs=1)
    return index_dir


@pytest.fixture(scope="module")
def eval_handle(tmp_path_factory):
    from search.store import IndexHandle
    return IndexHandle(build_eval_index(tmp_path_factory))


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
    assert set(rows) == {("陕西省人民政府", 2021), ("陕西省人民政府", 2023), ("陕西省司法厅", 2023),
                         ("陕西省生态环境厅", 2022), ("陕西省交通运输厅", 2020)}
    a21, a23, b23, c22 = (rows[("陕西省人民政府", 2021)], rows[("陕西省人民政府", 2023)],
                          rows[("陕西省司法厅", 2023)], rows[("陕西省生态环境厅", 2022)])
    assert (a21["status"], a21["published"], a21["all_parts"]) == ("on_time", "2022-03-15", True)
    assert (a23["status"], a23["days_late"]) == ("late", 10)
    assert a23["parts"] == {"成效": True, "不足": True, "第一责任人": False, "计划": True}
    assert (a21["copies"], a21["others"]) == (1, 0)
    # one report in two files: dated by its copy, no other report
    assert (b23["published"], b23["status"], b23["copies"], b23["others"]) == \
        ("2024-02-01", "on_time", 2, 0)
    assert b23["date_from"] == _id_of(eval_handle, "b2023copy.txt")
    # two different reports of one body and year: the earlier is the row, one other report
    assert (c22["published"], c22["status"], c22["copies"], c22["others"]) == \
        ("2023-03-20", "on_time", 1, 1)
    assert c22["id"] == _id_of(eval_handle, "c2022other.txt")
    assert c22["parts"] == {"成效": True, "不足": True, "第一责任人": True, "计划": False}
    assert b23["kind"] == "department" and a21["kind"] == "government"
    # parts any copy has; the date of the dated copy; the representative's id and length
    e20 = rows[("陕西省交通运输厅", 2020)]
    assert (e20["copies"], e20["others"], e20["all_parts"], e20["published"]) == \
        (2, 0, True, "2021-03-01")
    assert e20["id"] == _id_of(eval_handle, "e2020long.txt")
    assert e20["date_from"] == _id_of(eval_handle, "e2020.txt")
    assert e20["length"] > a21["length"]
    assert "计划" not in _kinds(eval_handle, "e2020long.txt")      # the representative lacks it
    assert "计划" in _kinds(eval_handle, "e2020.txt")
    y23 = [s for s in data["by_year_level"] if s["year"] == 2023]
    assert len(y23) == 1
    s = y23[0]
    assert (s["level"], s["bodies"], s["dated"], s["on_time"], s["late"], s["unknown"],
            s["on_time_share"]) == ("province", 2, 2, 1, 1, 0, 0.5)
    assert (s["all_parts"], s["all_parts_share"]) == (1, 0.5)
    assert [(s["year"], s["bodies"], s["on_time"], s["all_parts"])
            for s in data["by_year_level"]] == [(2020, 1, 1, 1), (2021, 1, 1, 1), (2022, 1, 1, 0),
                                                (2023, 2, 1, 1)]
    [prov] = data["by_province"]
    assert (prov["province"], prov["province_name"], prov["bodies"], prov["on_time"],
            prov["late"], prov["all_parts"], prov["all_parts_share"]) == \
        ("610000", "陕西省", 5, 4, 1, 3, 0.6)
    assert prov["median_length"] == sorted(r["length"] for r in rows.values())[2]
    assert b23["length"] == a21["length"] > 0        # the same text, as the representative's
    gaps = {c["issuer"]: c for c in data["continuity"]}
    assert gaps["陕西省人民政府"]["missing"] == [2022]
    assert gaps["陕西省人民政府"]["note"] == "2022 缺（本库未收录）"
    assert gaps["陕西省司法厅"]["missing"] == []


def test_copy_alone_and_copies_agree(eval_handle):
    """Filtering to the copy's own facts finds the same report, with the group's facts."""
    data = evaluation.evaluate(eval_handle, SearchRequest(issuer=("陕西省司法厅",)))
    [row] = data["rows"]
    assert (row["published"], row["copies"], row["others"]) == ("2024-02-01", 2, 0)
    assert data["by_year_level"][0]["bodies"] == 1


def _kinds(handle, name: str) -> set[str]:
    from search.section_index import decode
    stored = next(f for f in handle.searcher().all_stored_fields() if f["path"].endswith("/" + name))
    return {span.kind for span in decode(stored.get("sections"))}


def _id_of(handle, name: str) -> str:
    searcher = handle.searcher()
    return next(f["id"] for f in searcher.all_stored_fields() if f["path"].endswith("/" + name))


def test_kind_and_year_filters(eval_handle):
    gov = evaluation.evaluate(eval_handle, SearchRequest(year=(2023,)), kind="government")
    assert [(r["issuer"], r["year"]) for r in gov["rows"]] == [("陕西省人民政府", 2023)]
    dep = evaluation.evaluate(eval_handle, SearchRequest(), kind="department")
    assert {r["issuer"] for r in dep["rows"]} == {"陕西省司法厅", "陕西省生态环境厅", "陕西省交通运输厅"}
    assert evaluation.evaluate(eval_handle, SearchRequest(), kind="部门")["rows"] == dep["rows"]
    with pytest.raises(evaluation.ParameterError):
        evaluation.evaluate(eval_handle, SearchRequest(), kind="bogus")


def test_cli_table_json_and_csv(eval_handle):
    import json

    from click.testing import CliRunner
    from indexer.cli import cli

    runner = CliRunner()
    where = ["--index-dir", str(eval_handle.index_dir)]
    result = runner.invoke(cli, ["evaluate", *where])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "2023  province  2       1/2 (50%)   1     0        1/2 (50%)" in result.output
    assert any(line.startswith("陕西省人民政府    2023  2024-04-10  late 10 d   ✓✓·✓")
               for line in lines)
    assert "  陕西省人民政府: 2022" in lines
    data = json.loads(runner.invoke(cli, ["evaluate", *where, "--json", "--kind", "政府"]).output)
    assert [(r["issuer"], r["year"]) for r in data["rows"]] == [("陕西省人民政府", 2021),
                                                             ("陕西省人民政府", 2023)]
    csv_out = runner.invoke(cli, ["evaluate", *where, "--csv", "--year", "2022"]).output
    assert csv_out.splitlines()[1].startswith("报告,陕西省生态环境厅,部门,2022,省级,610000,陕西省,")
    bad = runner.invoke(cli, ["evaluate", *where, "--year-from", "2024", "--year-to", "2020"])
    assert bad.exit_code == 2
    assert "Error: --year-from (2024) is after --year-to (2020); swap them." in bad.output
    short = runner.invoke(cli, ["evaluate", *where, "--rows", "1"])
    assert "… 4 more rows (--rows 0 for all)." in short.output
