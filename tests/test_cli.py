"""The policy-search command line: exact output, JSON field names, exit statuses."""
from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from web.cli import cli

from conftest import SAMPLE_DIR, sample


@pytest.fixture()
def runner():
    return CliRunner()


def invoke(runner, *args, **kw):
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False, **kw)


def test_help_lists_the_commands_with_chinese_examples(runner):
    result = invoke(runner, "--help")
    assert result.exit_code == 0
    for command in ("index", "inspect", "search", "stats"):
        assert f"  {command} " in result.output
    assert "policy-search search 证照分离" in result.output


@pytest.mark.parametrize("command", ["index", "inspect", "search", "stats"])
def test_every_command_has_help(runner, command):
    result = invoke(runner, command, "--help")
    assert result.exit_code == 0 and "Usage: " in result.output


def test_index_prints_a_summary_and_exits_0(runner, tmp_path):
    corpus = tmp_path / "c"
    shutil.copytree(SAMPLE_DIR, corpus)
    result = invoke(runner, "index", corpus, "--index-dir", tmp_path / "ix", "--jobs", "1")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Full build (no index yet)."
    assert lines[1].startswith("5 added, 0 updated, 0 removed, 0 unchanged, 0 skipped in ")
    assert lines[2] == f"Index {tmp_path / 'ix'}: 5 documents (published)."


def test_index_with_bad_files_lists_them_and_exits_3(runner, tmp_path):
    corpus = tmp_path / "c"
    shutil.copytree(SAMPLE_DIR, corpus)
    (corpus / "zero.txt").write_bytes(b"")
    result = invoke(runner, "index", corpus, "--index-dir", tmp_path / "ix", "-j", "1")
    assert result.exit_code == 3
    assert f"  skipped {corpus / 'zero.txt'}: empty file" in result.output.splitlines()


def test_index_of_a_missing_path_is_an_error(runner, tmp_path):
    result = invoke(runner, "index", tmp_path / "nope", "--index-dir", tmp_path / "ix")
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path / 'nope'}: no such file or folder.\n"


def test_index_json_summary(runner, tmp_path):
    result = invoke(runner, "index", SAMPLE_DIR, "--index-dir", tmp_path / "ix", "--json")
    data = json.loads(result.output)
    assert (data["added"], data["skipped"], data["documents"]) == (5, [], 5)


def test_inspect_shows_metadata_and_preview(runner):
    result = invoke(runner, "inspect", sample("003"))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[1] == "  title:        忻府区2022年度法治政府建设工作报告"
    assert "  province:     山西省 (140000)" in lines
    assert "  city:         忻州市 (140900)" in lines
    assert "  county:       忻府区 (140902)" in lines
    assert "  year:         2022" in lines
    assert "  published:    2023-03-01" in lines
    assert "  issuer:       忻府区人民政府" in lines
    assert lines[-1].startswith("  preview:      忻府区2022年度法治政府建设工作报告 ⏎ ")


def test_inspect_json_has_one_record_per_file(runner, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    result = invoke(runner, "inspect", sample("000"), sample("002"), bad, "--json")
    assert result.exit_code == 3
    first, second, third = json.loads(result.output)
    assert first["title"] == "山西省行政审批服务管理局2024年度法治政府建设情况报告"
    assert (second["issuer"], second["script"], second["year"]) == ("新余市行政审批局", "traditional", 2024)
    for name in ("path", "title", "province", "city", "county", "level", "year", "published",
                 "issuer", "script", "warnings"):
        assert name in first
    assert third == {"path": str(bad), "error": "binary file (NUL bytes / control characters)"}


def test_search_text_output(runner, built_index):
    result = invoke(runner, "search", "证照分离", "--index-dir", built_index)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("1 report matches “证照分离” (")
    assert lines[2] == "1. 忻府区2022年度法治政府建设工作报告"
    assert lines[3].startswith("   山西省 · 忻州市 · 忻府区 · 2022年 · 忻府区人民政府  [id ")
    assert "【证照分离】" in lines[4]


def test_search_json_uses_library_field_names(runner, built_index):
    result = invoke(runner, "search", "行政復議", "--province", "山西", "--json",
                    "--index-dir", built_index)
    data = json.loads(result.output)
    assert data["total"] == 2
    assert {h["year"] for h in data["hits"]} == {2022, 2024}
    assert set(data["hits"][0]) >= {"id", "path", "title", "province", "city", "county", "level",
                                    "year", "published", "issuer", "script", "score", "fragments"}
    assert [f["name"] for f in data["facets"]] == ["province", "year", "city", "county", "level",
                                                   "issuer"]


@pytest.mark.parametrize("args, same_as", [
    (("复议", "-证照分离"), "复议 NOT 证照分离"),     # -word, as the help says, without --
    (("-证照分离", "复议"), "复议 NOT 证照分离"),
    (("复议", "-证照分离", "-n", "5"), "复议 NOT 证照分离"),   # real options still work
    (("复议", "-title:(证照分离 OR 一网通办)"), "复议 NOT title:(证照分离 OR 一网通办)"),
])
def test_search_minus_word_needs_no_double_dash(runner, built_index, args, same_as):
    result = invoke(runner, "search", *args, "--json", "--index-dir", built_index)
    assert result.exit_code == 0, result.output
    expected = invoke(runner, "search", same_as, "--json", "--index-dir", built_index)
    assert {h["id"] for h in json.loads(result.output)["hits"]} == \
        {h["id"] for h in json.loads(expected.output)["hits"]}
    assert json.loads(result.output)["total"] >= 1


def test_search_with_a_bad_query_exits_2_with_the_message(runner, built_index):
    result = invoke(runner, "search", '"证照分离', "--index-dir", built_index)
    assert result.exit_code == 2
    assert "Error: Unbalanced quote: close the phrase with a second quote mark." in result.output
    assert "Traceback" not in result.output


def test_search_without_an_index_exits_1_with_a_hint(runner, tmp_path):
    result = invoke(runner, "search", "法治", "--index-dir", tmp_path / "none")
    assert result.exit_code == 1
    assert "Build one with `policy-search index" in result.output


def test_stats(runner, built_index):
    result = invoke(runner, "stats", "--index-dir", built_index)
    assert result.exit_code == 0
    assert "  documents:   5" in result.output.splitlines()
    assert "省份: 山西省 2, " in result.output
    data = json.loads(invoke(runner, "stats", "--json", "--index-dir", built_index).output)
    assert data["documents"] == 5 and len(data["fingerprint"]) == 16


def test_index_dir_from_the_environment(runner, built_index):
    result = invoke(runner, "stats", "--json", env={"POLICY_SEARCH_INDEX": str(built_index)})
    assert json.loads(result.output)["index_dir"] == str(built_index)


# --------------------------------------------------------------------------------------------
# Messages: the options the user typed, singular and plural, one exit status per kind of error

@pytest.mark.parametrize("command", ["index", "inspect"])
def test_a_missing_path_exits_1_for_index_and_inspect_alike(runner, tmp_path, command):
    result = invoke(runner, command, tmp_path / "nothing.txt", "--index-dir", tmp_path / "ix") \
        if command == "index" else invoke(runner, command, tmp_path / "nothing.txt")
    assert result.exit_code == 1, result.output
    assert result.output == f"Error: {tmp_path / 'nothing.txt'}: no such file" + (
        " or folder.\n" if command == "index" else ".\n")


@pytest.mark.parametrize("args, message", [
    (["--year-from", "2024", "--year-to", "2022"],
     "Error: --year-from (2024) is after --year-to (2022); swap them."),
    (["--province", "火星"], "Error: Unknown --province “火星”"),
    (["--city", "不存在市"], "Error: --city “不存在市” is not a known name (e.g. 苏州市 or 320500)."),
    (["--year", "1800"], "Error: --year must be between 1949 and 2100, not 1800."),
])
def test_parameter_errors_name_the_options_typed(runner, built_index, args, message):
    result = invoke(runner, "search", "法治", *args, "--index-dir", built_index)
    assert result.exit_code == 2
    assert message in result.output
    assert "year_from" not in result.output and "year_to" not in result.output


@pytest.mark.parametrize("query, first", [
    ("证照分离", "1 report matches “证照分离” ("),
    ("行政复议", "3 reports match “行政复议” ("),
    ("量子计算机", "No report matches “量子计算机” ("),
    ("", "5 reports in all ("),
])
def test_search_counts_in_singular_and_plural(runner, built_index, query, first):
    result = invoke(runner, "search", *([query] if query else []), "--index-dir", built_index)
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith(first)


def test_search_csv_is_the_web_export(runner, built_index):
    import csv
    import io

    result = invoke(runner, "search", "行政复议", "--province", "山西", "--csv", "--fragments",
                    "--index-dir", built_index)
    assert result.exit_code == 0
    assert result.output.startswith("\ufeff标题,显示标题,标题为推断,省份,城市,区县,层级,年份,")
    rows = list(csv.DictReader(io.StringIO(result.output.lstrip("\ufeff"))))
    assert sorted(r["源文件"] for r in rows) == ["000_daac851148e37725.txt",
                                                "003_d26ec326210c9f38.txt"]
    assert all("【行政复议】" in r["摘录"] for r in rows) and not any(r["链接"] for r in rows)


def test_csv_and_json_together_are_a_usage_error(runner, built_index):
    result = invoke(runner, "search", "法治", "--csv", "--json", "--index-dir", built_index)
    assert result.exit_code == 2 and "--csv and --json cannot be used together." in result.output


def test_a_one_off_search_process_answers_the_same_with_the_frozen_table(built_index, tmp_path):
    """The console script maps the frozen jieba table for `search`; the hits are the same."""
    import os
    import subprocess
    import sys

    from search import engine
    from search.store import IndexHandle

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    code = ("import sys; sys.argv = ['policy-search', 'search', '证照分离 OR 行政复议', '--json', "
            f"'--index-dir', {str(built_index)!r}]; from web.cli import main; main()")
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                           check=True) for _ in range(2)]          # writes the table, then maps it
    assert list((tmp_path / "cache" / "policy-search").glob("jieba-frozen-*.keys.npy"))
    expected = engine.search(IndexHandle(built_index),
                             engine.SearchRequest(q="证照分离 OR 行政复议")).to_dict()
    for run in runs:
        data = json.loads(run.stdout)
        assert [(h["id"], h["fragments"]) for h in data["hits"]] == [
            (h["id"], h["fragments"]) for h in expected["hits"]]


def test_search_says_a_derived_title_is_derived(runner, built_index):
    result = invoke(runner, "search", "新余市行政审批局", "--index-dir", built_index)
    assert ("1. 新余市行政审批局2024年度法治政府建设情况报告  (title derived from issuer and year)"
            in result.output.splitlines())
    assert "（标题为推断）" not in result.output
