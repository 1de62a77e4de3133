"""Building and updating the index on disk: incremental runs, atomic rebuilds, locks, crashes."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer.build import build_index
from search import engine, store
from search.engine import SearchRequest
from search.store import IndexHandle

from conftest import ROOT, SAMPLE_DIR


@pytest.fixture()
def index_dir(tmp_path) -> Path:
    return tmp_path / "index"


def titles(index_dir: Path, q: str = "") -> list[str]:
    results = engine.search(IndexHandle(index_dir), SearchRequest(q=q, page_size=100))
    return sorted(h.metadata["display_title"] for h in results.hits)


def counts(report) -> tuple:
    return report.added, report.updated, report.removed, report.unchanged, len(report.skipped)


def test_first_build_indexes_every_sample(corpus, index_dir):
    report = build_index([corpus], index_dir, jobs=2)
    assert counts(report) == (5, 0, 0, 0, 0)
    assert report.full and report.full_reason == "no index yet" and report.published
    assert len(titles(index_dir)) == 5


def test_second_run_skips_unchanged_files_without_publishing(corpus, index_dir):
    first = build_index([corpus], index_dir, jobs=1)
    second = build_index([corpus], index_dir, jobs=1)
    assert counts(second) == (0, 0, 0, 5, 0)
    assert not second.published and second.build == first.build


def test_incremental_add_change_remove_and_touch(corpus, index_dir):
    build_index([corpus], index_dir, jobs=1)
    changed = next(corpus.glob("002_*.txt"))
    changed.write_text(changed.read_text(encoding="utf-8") + "\n新增内容：数据共享交换平台。",
                       encoding="utf-8")
    next(corpus.glob("001_*.txt")).unlink()
    touched = next(corpus.glob("000_*.txt"))
    os.utime(touched, (time.time() + 5, time.time() + 5))
    (corpus / "new.txt").write_text("某县2021年度法治政府建设情况报告\n2021年，某县推进数据共享交换平台。",
                                    encoding="utf-8")
    report = build_index([corpus], index_dir, jobs=1)
    assert counts(report) == (1, 1, 1, 3, 0)
    assert report.documents == 5
    assert len(titles(index_dir, "数据共享交换平台")) == 2
    assert titles(index_dir, "营商环境建设监督局") == []


def test_a_folder_indexed_later_does_not_drop_the_first(corpus, index_dir, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.txt").write_text("甲市2020年法治政府建设报告\n2020年，甲市推进柔性执法。",
                                 encoding="utf-8")
    build_index([corpus], index_dir, jobs=1)
    report = build_index([other], index_dir, jobs=1)
    assert counts(report) == (1, 0, 0, 0, 0) and report.documents == 6


def test_rebuild_swaps_in_a_new_build_and_keeps_the_previous_one(corpus, index_dir):
    first = build_index([corpus], index_dir, jobs=1)
    handle = IndexHandle(index_dir)
    old_searcher = handle.searcher()
    second = build_index([corpus], index_dir, rebuild=True, jobs=1)
    assert second.full and second.full_reason == "--rebuild" and second.added == 5
    assert second.build != first.build
    assert (index_dir / "CURRENT").read_text().strip() == second.build
    assert (index_dir / "builds" / first.build).is_dir()       # readers may still hold it
    assert old_searcher.doc_count() == 5                        # and they keep working
    assert handle.build().name == second.build                  # new requests see the new one


def test_incremental_update_never_touches_the_live_build(corpus, index_dir):
    first = build_index([corpus], index_dir, jobs=1)
    live = index_dir / "builds" / first.build
    before = {f.name: f.read_bytes() for f in live.iterdir()}
    next(corpus.glob("003_*.txt")).unlink()
    build_index([corpus], index_dir, jobs=1)
    assert {f.name: f.read_bytes() for f in live.iterdir()} == before


def test_only_two_builds_are_kept(corpus, index_dir):
    for _ in range(4):
        build_index([corpus], index_dir, rebuild=True, jobs=1)
    assert len(list((index_dir / "builds").iterdir())) == 2


def test_a_second_reindex_is_refused_with_a_clear_message(corpus, index_dir):
    with store.write_lock(index_dir):
        with pytest.raises(store.IndexLocked) as info:
            build_index([corpus], index_dir, jobs=1)
    assert f"Another reindex of {index_dir} is running (pid {os.getpid()}" in str(info.value)
    assert "Wait for it to finish" in str(info.value)
    assert build_index([corpus], index_dir, jobs=1).added == 5


def test_bad_files_are_reported_and_skipped_while_the_rest_index(corpus, index_dir):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (corpus / "gbk.txt").write_bytes("某市2020年度法治政府建设报告\n2020年，某市推进证明事项告知承诺制。"
                                     .encode("gbk"))
    (corpus / "big5.txt").write_bytes("某市2019年度法治政府建設報告\n2019年，某市推進證明事項告知承諾制。"
                                      .encode("big5"))
    (corpus / "broken.html").write_text("<html><body><div><p>某县2018年法治政府建设报告<p>"
                                        "2018年，某县推进告知承诺制。", encoding="utf-8")
    report = build_index([corpus], index_dir, jobs=2)
    assert report.added == 8
    assert sorted((Path(p).name, r) for p, r in report.skipped) == [
        ("binary.txt", "binary file (NUL bytes / control characters)"),
        ("empty.txt", "empty file")]
    assert len(titles(index_dir, "告知承诺制")) == 3


def test_sidecar_correction_wins_on_reindex(corpus, index_dir):
    build_index([corpus], index_dir, jobs=1)
    report_file = next(corpus.glob("001_*.txt"))
    (corpus / (report_file.stem + ".meta.json")).write_text(
        json.dumps({"title": "伊春市营商环境建设监督局2023年法治政府建设工作报告", "year": 2022}),
        encoding="utf-8")
    report = build_index([corpus], index_dir, jobs=1)
    assert report.updated == 1
    results = engine.search(IndexHandle(index_dir), SearchRequest(q="title:伊春市", year=(2022,)))
    assert [h.metadata["title"] for h in results.hits] == [
        "伊春市营商环境建设监督局2023年法治政府建设工作报告"]


def test_an_outdated_analyzer_fingerprint_forces_a_full_build(corpus, index_dir):
    first = build_index([corpus], index_dir, jobs=1)
    meta_path = index_dir / "builds" / first.build / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta_path.write_text(json.dumps({**meta, "fingerprint": "0" * 16}))
    assert engine.stats(IndexHandle(index_dir))["outdated"]
    report = build_index([corpus], index_dir, jobs=1)
    assert report.full and report.full_reason == "the analysis changed since the last build"
    assert report.added == 5


def test_missing_index_says_how_to_build_one(tmp_path):
    with pytest.raises(store.IndexNotFound) as info:
        IndexHandle(tmp_path / "none").searcher()
    assert "policy-search index" in str(info.value)


def _big_corpus(root: Path, copies: int) -> Path:
    root.mkdir()
    for n in range(copies):
        for src in SAMPLE_DIR.glob("*.txt"):
            text = src.read_text(encoding="utf-8")
            (root / f"{n:03d}_{src.name}").write_text(text + f"\n编号{n}。", encoding="utf-8")
    return root


@pytest.mark.slow
def test_kill_9_during_reindex_leaves_the_previous_index_searchable(corpus, index_dir, tmp_path):
    build_index([corpus], index_dir, jobs=1)
    before = titles(index_dir)
    big = _big_corpus(tmp_path / "big", 30)
    script = ("import sys; from pathlib import Path; from indexer.build import build_index; "
              "build_index([Path(sys.argv[1])], Path(sys.argv[2]), rebuild=True, jobs=1)")
    proc = subprocess.Popen([sys.executable, "-c", script, str(big), str(index_dir)], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    builds = index_dir / "builds"
    existing = set(os.listdir(builds))
    deadline = time.time() + 60
    while time.time() < deadline and not (set(os.listdir(builds)) - existing):
        time.sleep(0.02)
    time.sleep(0.5)                                   # well into segmentation and writing
    assert proc.poll() is None, "the reindex finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert titles(index_dir) == before               # the old index answers, unchanged
    report = build_index([big], index_dir, jobs=2)    # and the next reindex completes
    assert report.published and report.documents == 150 + 5


@pytest.mark.slow
def test_kill_9_of_a_parallel_reindex_frees_the_lock_and_ends_its_workers(corpus, index_dir,
                                                                         tmp_path):
    build_index([corpus], index_dir, jobs=1)
    before = titles(index_dir)
    big = _big_corpus(tmp_path / "big", 30)
    script = ("import sys; from pathlib import Path; import indexer.build as b; "
              "b.PARALLEL_MIN_FILES = 10; "
              "b.build_index([Path(sys.argv[1])], Path(sys.argv[2]), rebuild=True, jobs=2)")
    proc = subprocess.Popen([sys.executable, "-c", script, str(big), str(index_dir)], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.time() + 60
    workers: list[int] = []
    while time.time() < deadline and len(workers) < 2:
        workers = _children(proc.pid)
        time.sleep(0.05)
    time.sleep(1.0)                                   # the workers are indexing
    assert proc.poll() is None and len(workers) >= 2, "no parallel workers were seen"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with store.write_lock(index_dir):                 # free at once: workers dropped their copy
        pass
    deadline = time.time() + 20   # the orphans notice and exit (seconds, on a loaded machine)
    while time.time() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers)
    assert titles(index_dir) == before


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.parametrize("merge_mb, segments", [("1", "several"), ("2048", "one")])
def test_parallel_writers_give_the_same_index_and_updates(tmp_path, monkeypatch, merge_mb,
                                                         segments):
    """Big batches are written by the workers themselves (their segments kept as they are, or
    merged into one at the commit: ``merge_memory_mb``); results must not change, and an
    incremental run over such an index replaces, removes and adds without duplicates."""
    import indexer.build as build

    monkeypatch.setenv("POLICY_MERGE_MEMORY_MB", merge_mb)

    big = _big_corpus(tmp_path / "big", 4)
    (big / "broken.txt").write_bytes(b"")
    single = build_index([big], tmp_path / "one", jobs=1)
    monkeypatch.setattr(build, "PARALLEL_MIN_FILES", 10)
    multi = build_index([big], tmp_path / "many", jobs=2)
    assert single.added == multi.added == 20
    assert len(single.skipped) == len(multi.skipped) == 1
    live = store.current_build(tmp_path / "many")
    written = len(list(live.path.glob("*.seg")))
    assert written >= 2 if segments == "several" else written == 1   # one per worker, or merged

    def same(queries=("", "证照分离", "行政復議", "编号3", "办成一件", "编号9")):
        for q in queries:
            one = engine.search(IndexHandle(tmp_path / "one"), SearchRequest(q=q, page_size=100))
            many = engine.search(IndexHandle(tmp_path / "many"),
                                 SearchRequest(q=q, page_size=100))
            assert sorted(h.id for h in one.hits) == sorted(h.id for h in many.hits), q
            assert one.total == many.total and one.facets == many.facets, q
    same()
    # Change 6 files (one becomes unreadable), remove 2, add 4: 12 to process, in parallel.
    files = sorted(big.glob("0*.txt"))
    for f in files[:5]:
        f.write_text(f.read_text(encoding="utf-8") + "\n编号9。", encoding="utf-8")
    files[5].write_bytes(b"\x00" * 10)
    for f in files[6:8]:
        f.unlink()
    for n in range(4):
        (big / f"new{n}.txt").write_text(f"新增报告{n}\n推进证照分离改革。编号9。", encoding="utf-8")
    one = build_index([big], tmp_path / "one", jobs=1)
    many = build_index([big], tmp_path / "many", jobs=2)
    assert (many.added, many.updated, many.removed) == (one.added, one.updated, one.removed) \
        == (4, 5, 2)
    assert many.documents == one.documents == 20 - 2 - 1 + 4
    same()
    assert engine.search(IndexHandle(tmp_path / "many"), SearchRequest(copies="all")).total == 21


def test_a_crashing_worker_fails_the_build_and_keeps_the_old_index(tmp_path, monkeypatch, corpus):
    import indexer.build as build
    import indexer.parallel as parallel

    index_dir = tmp_path / "index"
    build_index([corpus], index_dir, jobs=1)
    before = store.current_build(index_dir).name
    big = _big_corpus(tmp_path / "big", 3)
    monkeypatch.setattr(build, "PARALLEL_MIN_FILES", 5)

    def boom(path, max_bytes):
        os._exit(7)                                     # a worker killed mid-build
    monkeypatch.setattr(parallel, "process_file", boom)
    with pytest.raises(parallel.WorkerFailed, match="status 7"):
        build_index([corpus, big], index_dir, jobs=2)
    assert store.current_build(index_dir).name == before
    assert engine.search(IndexHandle(index_dir), SearchRequest(q="证照分离")).total >= 1
    with store.write_lock(index_dir):                   # the lock was released
        pass


@pytest.mark.parametrize("damage", [
    lambda p: p.write_text(p.read_text()[:40]),                  # truncated
    lambda p: p.write_text("{}"),                                # emptied
    lambda p: p.write_text('{"x": 1}'),                          # not ours
    lambda p: p.unlink(),                                        # gone
    lambda p: p.write_bytes(b"\xff\xfe garbage"),
], ids=["truncated", "emptied", "foreign", "missing", "garbage"])
def test_a_damaged_manifest_forces_a_full_build_never_duplicates(corpus, index_dir, damage):
    first = build_index([corpus], index_dir, jobs=1)
    manifest = index_dir / "builds" / first.build / "manifest.json"
    # The live build's files are hard links of earlier builds: replace, never edit in place.
    data = manifest.read_bytes()
    manifest.unlink()
    manifest.write_bytes(data)
    damage(manifest)
    changed = next(corpus.glob("002_*.txt"))
    changed.write_text(changed.read_text(encoding="utf-8") + "\n补充。", encoding="utf-8")
    report = build_index([corpus], index_dir, jobs=1)
    assert report.full and report.full_reason.startswith("the live build's manifest ")
    assert report.added == 5 and report.documents == 5
    with IndexHandle(index_dir).searcher() as searcher:
        ids = [stored["id"] for _, stored in searcher.iter_docs()]
    assert len(ids) == len(set(ids)) == 5
