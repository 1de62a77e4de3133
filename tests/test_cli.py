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
    assert lines[0].startswith("1 reports match “证照分离” (")
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
    assert [f["name"] for f in data["facets"]] == ["province", "year", "city", "level"]


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
