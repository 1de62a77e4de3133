"""indexer.sidecar: a hand-typed NAME.meta.json never keeps its report out, never crashes a run.

The cases come from a hostile test of real mistakes: a trailing comma, Notepad's BOM, a year as
text, impossible years, deep nesting, a lone surrogate escape. Each report is indexed, with what
is clear in its sidecar applied and the rest reported with where it is.
"""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.build import build_index
from indexer.pipeline import inspect_file, process_file
from indexer.sidecar import MAX_SIDECAR_BYTES, load_sidecar
from search import engine
from search.engine import SearchRequest
from search.store import IndexHandle

from conftest import sample

XINFU = sample("003")        # 忻府区2022年度法治政府建设工作报告


def write_sidecar(tmp_path, content: bytes | str):
    side = tmp_path / "x.meta.json"
    side.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return side


@pytest.mark.parametrize("content, corrections", [
    ('{"year": 2021, "county": "忻府区"}', {"year": 2021, "county": "忻府区"}),
    ('{"title": "报告", "published": "2023-03-01", "issuer": null}',
     {"title": "报告", "published": "2023-03-01", "issuer": None}),
    ("{}", {}),
    ('\ufeff{"year": 2021}', {"year": 2021}),                       # Notepad's UTF-8 BOM
    ('{"year": "2022"}', {"year": 2022}),                           # a year typed as text
    ('{"year": " 2022 "}', {"year": 2022}),
    ('{"title": "  报告  "}', {"title": "报告"}),
])
def test_clear_corrections_are_taken(tmp_path, content, corrections):
    side = write_sidecar(tmp_path, content)
    assert load_sidecar(side).corrections == corrections
    assert load_sidecar(tmp_path / "x.txt").corrections == corrections   # found beside it
    assert load_sidecar(side).problems == []


def test_a_missing_sidecar_is_empty(tmp_path):
    loaded = load_sidecar(tmp_path / "nothing.txt")
    assert (loaded.corrections, loaded.problems) == ({}, [])


@pytest.mark.parametrize("content, corrections, problem", [
    ('{"year": 2023,}', {}, "x.meta.json: invalid JSON at line 1 column 15: Expecting property "
                            "name enclosed in double quotes; the report is indexed without its "
                            "corrections"),
    ('{\n  "year": 2023\n  "city": "忻州市"\n}', {},
     "invalid JSON at line 3 column 3: Expecting ',' delimiter"),
    ("[1, 2]", {}, 'expected a JSON object such as {"year": 2022}'),
    ("[" * 100_000, {}, f"larger than {MAX_SIDECAR_BYTES // 1024} KB"),
    ("[" * 30_000 + "]" * 30_000, {}, "nested too deeply"),
    ('{"city": "苏州"}'.encode("gb18030"), {}, "not UTF-8 (byte 10); save it as UTF-8"),
    ('{"yaer": 2021, "year": 2020}', {"year": 2020},
     'unknown key "yaer" ignored; allowed: title, year, published, issuer, province'),
    ('{"year": -5, "city": "忻州市"}', {"city": "忻州市"}, "year ignored: -5 is not a year between"),
    ('{"year": 4294967296}', {}, "year ignored: 4294967296 is not a year between 1949 and 2100"),
    ('{"year": 99999}', {}, "99999 is not a year"),
    ('{"year": true}', {}, "year ignored: must be a whole number such as 2022, not true"),
    ('{"year": 2022.5}', {}, "must be a whole number such as 2022, not 2022.5"),
    ('{"year": "二〇二二"}', {}, 'must be a whole number such as 2022, not "二〇二二"'),
    ('{"city": 5}', {}, "city ignored: must be text, not 5"),
    ('{"title": "\\ud800"}', {}, "title ignored: contains an invalid character"),
    ('{"title": "报告\\n第二行"}', {}, "title ignored: contains control characters"),
    ('{"title": "' + "长" * 201 + '"}', {}, "title ignored: longer than 200 characters"),
    ('{"published": "2023/03/01"}', {}, "published ignored: must be a date like 2023-03-01"),
    ('{"published": "2023-02-30"}', {}, "must be a date like 2023-03-01"),
    ('{"\\udcb9": 1}', {}, 'unknown key "\\udcb9" ignored'),
])
def test_mistakes_are_reported_with_where_they_are(tmp_path, content, corrections, problem):
    loaded = load_sidecar(write_sidecar(tmp_path, content))
    assert loaded.corrections == corrections
    assert any(problem in p for p in loaded.problems), loaded.problems
    for p in loaded.problems:
        p.encode("utf-8")                           # printable anywhere
        assert p.startswith("sidecar x.meta.json: ")


def test_a_sidecar_typo_never_removes_an_indexed_report(corpus, tmp_path):
    index_dir = tmp_path / "index"
    build_index([corpus], index_dir, jobs=1)
    report_file = next(corpus.glob("003_*.txt"))
    (corpus / (report_file.stem + ".meta.json")).write_text('{"year": 2023,}', encoding="utf-8")
    report = build_index([corpus], index_dir, jobs=1)
    assert (report.updated, report.removed, report.skipped) == (1, 0, [])
    [(path, notice)] = report.notices
    assert path == str(report_file) and "line 1 column 15" in notice
    results = engine.search(IndexHandle(index_dir), SearchRequest(q="", page_size=10))
    assert results.total == 5
    [hit] = [h for h in results.hits if h.path == str(report_file)]
    assert hit.metadata["year"] == 2022                         # indexed, without the correction


def test_what_is_clear_in_a_sidecar_applies_and_the_rest_warns(tmp_path):
    report = tmp_path / XINFU.name
    report.write_bytes(XINFU.read_bytes())
    (tmp_path / (report.stem + ".meta.json")).write_text(
        '\ufeff{"year": "2021", "colour": "red", "title": "\\ud800"}', encoding="utf-8")
    info = inspect_file(report)
    assert info["year"] == 2021 and info["year_source"] == "manual"
    assert info["title"] == "忻府区2022年度法治政府建设工作报告"       # the bad title is ignored
    assert [w for w in info["warnings"] if w.startswith("sidecar")] == [
        f'sidecar {report.stem}.meta.json: unknown key "colour" ignored; allowed: title, year, '
        "published, issuer, province, city, county, same_as, not_same_as, source_url",
        f"sidecar {report.stem}.meta.json: title ignored: contains an invalid character "
        "(a lone surrogate escape)"]


# --- fuzz: any JSON value, any bytes ----------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                  max_size=4),
    max_leaves=12)
SIDECAR_OBJECTS = st.dictionaries(
    st.sampled_from(["title", "year", "published", "issuer", "province", "city", "county",
                     "yaer", ""]) | st.text(max_size=6),
    JSON_VALUES | st.integers(min_value=1900, max_value=2100).map(str), max_size=6)
FUZZ = settings(max_examples=300, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def _indexes_cleanly(folder, sidecar_bytes: bytes) -> None:
    report = folder / XINFU.name
    if not report.exists():
        report.write_bytes(XINFU.read_bytes())
    (folder / (report.stem + ".meta.json")).write_bytes(sidecar_bytes)
    record = process_file(str(report))
    assert isinstance(record, dict), record                     # never skipped for a sidecar
    year = record["year"]
    assert year == 0 or 1949 <= year <= 2100
    for name in ("title", "display_title", "issuer", "province", "city", "county", "published"):
        value = record.get(name)
        if isinstance(value, str):
            value.encode("utf-8")                                 # valid Unicode everywhere
    for warning in record["warnings"]:
        warning.encode("utf-8")


@FUZZ
@given(value=SIDECAR_OBJECTS | JSON_VALUES)
def test_any_json_value_indexes_the_report(tmp_path, value):
    text = json.dumps(value, ensure_ascii=bool(hash(str(value)) % 2))
    _indexes_cleanly(tmp_path, text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(data=st.binary(max_size=300) | st.text(max_size=200).map(
    lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_bytes_index_the_report(tmp_path, data):
    _indexes_cleanly(tmp_path, data)


def test_sidecar_notices_reach_the_cli_summary(corpus, tmp_path):
    from click.testing import CliRunner

    from web.cli import cli

    (corpus / (next(corpus.glob("003_*.txt")).stem + ".meta.json")).write_text(
        '{"year": 2023,}', encoding="utf-8")
    result = CliRunner().invoke(cli, ["index", str(corpus), "--index-dir",
                                       str(tmp_path / "ix"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "5 added, 0 updated, 0 removed, 0 unchanged, 0 skipped" in result.output
    assert ("meta.json: invalid JSON at line 1 column 15: Expecting property name enclosed in "
            "double quotes; the report is indexed without its corrections") in result.output
