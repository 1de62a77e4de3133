"""The benchmark harness itself: a deterministic corpus with its truth, and one whole small run."""
from __future__ import annotations

import json

import pytest

from bench import corpus as corpus_mod


def test_report_i_is_the_same_whatever_the_corpus_size():
    assert corpus_mod.compose(7, seed=1) == corpus_mod.compose(7, seed=1)
    assert corpus_mod.compose(7, seed=1) != corpus_mod.compose(7, seed=2)
    assert corpus_mod.compose(7, seed=1) != corpus_mod.compose(8, seed=1)


def test_processes_write_the_same_corpus_as_one(tmp_path):
    one = corpus_mod.generate(tmp_path / "one", 1200, seed=3)
    many = corpus_mod.generate(tmp_path / "many", 1200, seed=3, jobs=2)
    assert {k: v for k, v in one.items() if k != "seconds"} == {
        k: v for k, v in many.items() if k != "seconds"}
    read = lambda name: (tmp_path / name / "truth.jsonl").read_bytes()   # noqa: E731
    assert read("one") == read("many")
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*.txt"))
    assert len(files) == 1200 and files == sorted(
        p.relative_to(tmp_path / "many") for p in (tmp_path / "many").rglob("*.txt"))
    assert all((tmp_path / "one" / f).read_bytes() == (tmp_path / "many" / f).read_bytes()
               for f in files)


def test_the_corpus_has_the_documented_shape(tmp_path):
    manifest = corpus_mod.generate(tmp_path / "c", 300, seed=3)
    truth = corpus_mod.read_truth(tmp_path / "c")
    assert manifest["docs"] == len(truth) == 300
    sizes = [t["chars"] for t in truth]
    assert min(sizes) >= corpus_mod.MIN_CHARS - 500 and max(sizes) <= corpus_mod.MAX_CHARS + 2000
    share = lambda key, value: sum(t[key] == value for t in truth) / len(truth)   # noqa: E731
    assert 0.04 < share("script", "traditional") < 0.18
    assert 0.12 < share("chrome", True) < 0.30
    assert {t["level"] for t in truth} == {"province", "city", "county"}
    assert len({t["province"] for t in truth}) >= 25
    assert all(2015 <= t["year"] <= 2025 for t in truth)
    first = next(p for p in sorted((tmp_path / "c").rglob("*.txt")))
    assert first.read_text(encoding="utf-8") == corpus_mod.compose(0, seed=3)[0]


def test_every_chrome_style_gives_the_truths_metadata():
    """The generator's page chrome (bench.sources.page_chrome, classes found on real pages) in
    both scripts: the indexer's metadata equals the truth on the first 240 chrome pages, so the
    benchmark's metadata figure measures the extractor, not the generator's mistakes."""
    from indexer.clean import clean_text
    from indexer.metadata import extract_metadata
    from bench.sources import CHROME_STYLES

    seen, wrong = {}, []
    for i in range(2000):
        text, truth = corpus_mod.compose(i, seed=1)
        if not truth["chrome"]:
            continue
        key = (truth["chrome_style"], truth["script"])
        seen[key] = seen.get(key, 0) + 1
        meta = extract_metadata(text, clean_text(text), corpus_mod.relative_path(i))
        for field in ("title", "province", "city", "county", "level", "year", "published",
                      "doc_number"):
            if (getattr(meta, field) or None) != (truth[field] or None):
                wrong.append((i, truth["chrome_style"], field, getattr(meta, field), truth[field]))
        if sum(seen.values()) >= 240:
            break
    assert {style for style, _ in seen} == set(CHROME_STYLES)
    assert wrong == []


# jieba.analyse, whose ChineseAnalyzer the textbook setup uses, leaves its idf.txt open.
@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::ResourceWarning",
                            "ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_small_run_measures_every_stage(tmp_path):
    """``python -m bench.run`` end to end on 40 reports (no HTTP load: wrk may be missing)."""
    from bench import run

    out = tmp_path / "results"
    run.main(["--docs", "40", "--jobs", "2", "--work", str(tmp_path / "work"), "--out", str(out),
              "--rounds", "1", "--recall-samples", "40", "--skip-http", "--textbook-procs", "1"])
    r = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    assert not [name for name, stage in r["stages"].items() if stage.get("error")]
    for build in ("ours", "ours_jobs1", "textbook_procs1"):
        assert r["index"][build]["docs_per_s"] > 0, build
    assert r["segmentation_limit"]["docs"] == 40
    assert r["recall"]["ours"]["found"] == 40
    assert r["metadata"]["agreement_pct"]["year"] == 100.0
    for system in ("ours", "textbook"):
        assert r["queries"][system]["all"]["p50_ms"] > 0
        assert r["queries"][system]["warm"]["all"]["p50_ms"] > 0
    assert r["incremental"]["one_file"]["verified"] == "1/1"
    table = (out / "latest.md").read_text(encoding="utf-8")
    assert "| Indexing, docs/s (share of jieba-alone limit) |" in table
    assert "Queries in-process, median" in table


def test_the_size_breakdown_accounts_for_every_byte_of_the_build(built_index):
    from bench import size
    from search.store import IndexHandle

    result = size.breakdown(built_index)
    build = size.live_build(built_index)
    assert result["index_mb"] == round(sum(f.stat().st_size for f in build.iterdir()) / 1e6, 2)
    assert any(k.startswith("postings content.pos") for k in result["parts_mb"])
    searcher = IndexHandle(built_index).snapshot().searcher
    text = sum(len(s["content"].encode()) for _, s in searcher.iter_docs())
    assert result["text_mb"] == round(text / 1e6, 2) and result["docs"] == searcher.doc_count()
