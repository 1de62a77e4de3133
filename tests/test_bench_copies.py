"""The copies benchmark's generator and scoring (bench/copies.py), without indexing."""
from __future__ import annotations

import json

from bench import copies as bench_copies


def test_generator_makes_each_mutation_and_each_report_that_must_stay_apart(tmp_path):
    truth = bench_copies.generate(tmp_path / "c", bases=6, seed=1, attachments=0)
    kinds = {r["kind"] for r in truth}
    assert kinds == {"base", *bench_copies.MUTATIONS, *bench_copies.APART}
    rows = {(r["base"], r["kind"]): r for r in truth}
    read = lambda r: (tmp_path / "c" / r["path"]).read_bytes()        # noqa: E731
    for (base, kind), row in rows.items():
        original = read(rows[(base, "base")]).decode("utf-8")
        if kind == "gbk":
            assert read(row).decode("gb18030").replace("\r\n", "\n") == original
        elif kind == "wrapped":
            lines = read(row).decode("utf-8").split("\r\n")
            assert max(map(len, lines)) <= 36 and "— 1 —" in lines
        elif kind == "excerpt":
            text = read(row).decode("utf-8")
            assert original.startswith(text.rstrip("\n")) and len(text) >= len(original) / 2
        elif kind == "other_year":
            assert row["year"] != rows[(base, "base")]["year"]
            assert str(row["year"]) in read(row).decode("utf-8")
        if kind in bench_copies.APART:
            assert row["report"] != rows[(base, "base")]["report"]
        elif kind != "base":
            assert row["report"] == rows[(base, "base")]["report"]
    lines = (tmp_path / "c" / "truth.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == truth


def test_score_counts_pairs_and_cross_year_merges():
    truth = [{"path": p, "report": rep, "year": y, "kind": k, "base": 0}
             for p, rep, y, k in (("a", "r0", 2020, "base"), ("b", "r0", 2020, "gbk"),
                                  ("c", "r0", 2020, "excerpt"),
                                  ("d", "r0-other_year", 2021, "other_year"))]
    perfect = bench_copies.score(truth, {"a": "g", "b": "g", "c": "g", "d": "h"})
    assert (perfect["precision"], perfect["recall"], perfect["cross_year_pairs"]) == (1, 1, 0)
    merged = bench_copies.score(truth, {"a": "g", "b": "g", "c": "h", "d": "h"})
    assert merged["pairs_predicted"] == 2 and merged["pairs_right"] == 1
    assert merged["precision"] == 0.5 and merged["recall"] == round(1 / 3, 5)
    assert merged["cross_year_pairs"] == 1
    assert merged["apart_merged_with_base"]["other_year"] == {"merged": 0, "of": 1}
    assert merged["copies_with_their_base"]["excerpt"] == {"share": 0.0, "of": 1}
