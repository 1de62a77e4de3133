"""search.store.IndexHandle: per-build state made once, old builds released when unused.

At 100,000 reports a build is 4 GB on disk; a server that kept old builds mapped would never
give that space back. These tests rebuild under a live handle and read /proc/self/maps.
"""
from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from indexer.build import build_index
from search import engine, facets
from search.engine import SearchRequest
from search.store import IndexHandle


def mapped_builds(index_dir: Path) -> set[str]:
    """Names of the builds under ``index_dir`` that this process has files of mapped."""
    prefix = str(index_dir / "builds") + "/"
    names = set()
    for line in Path("/proc/self/maps").read_text().splitlines():
        path = line.split(None, 5)[-1] if len(line.split(None, 5)) == 6 else ""
        if path.startswith(prefix):
            names.add(path[len(prefix):].split("/", 1)[0])
    return names


def change(corpus: Path, n: int) -> None:
    f = next(corpus.glob("002_*.txt"))
    f.write_text(f.read_text(encoding="utf-8") + f"\n第{n}次补充：数据共享。", encoding="utf-8")


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/maps")
def test_pruned_builds_are_unmapped_while_threads_stay_idle(corpus, tmp_path):
    index_dir = tmp_path / "index"
    build_index([corpus], index_dir, jobs=1)
    handle = IndexHandle(index_dir)
    barrier = threading.Barrier(4)

    def serve_one_request():
        with handle.pinned():
            assert engine.search(handle, SearchRequest(q="数据")).total >= 1
        barrier.wait()

    # Three idle server threads that each served a request on the first build.
    threads = [threading.Thread(target=serve_one_request) for _ in range(3)]
    for t in threads:
        t.start()
    barrier.wait()
    for t in threads:
        t.join()
    first = handle.build().name
    assert first in mapped_builds(index_dir)
    for n in range(3):
        change(corpus, n)
        build_index([corpus], index_dir, jobs=1)
        with handle.pinned():
            engine.search(handle, SearchRequest(q="数据"))
    live = handle.build().name
    assert handle.open_builds() == [live]
    assert mapped_builds(index_dir) <= {live}


def test_a_build_in_use_stays_open_until_its_request_ends(corpus, tmp_path):
    index_dir = tmp_path / "index"
    build_index([corpus], index_dir, jobs=1)
    handle = IndexHandle(index_dir)
    started, finish = threading.Event(), threading.Event()
    seen = []

    def slow_request():
        with handle.pinned():
            seen.append(handle.build().name)
            started.set()
            finish.wait(10)
            # Still the same build, still searchable, although a newer one is live.
            seen.append(handle.build().name)
            seen.append(engine.search(handle, SearchRequest(q="")).total)

    t = threading.Thread(target=slow_request)
    t.start()
    started.wait(10)
    change(corpus, 1)
    build_index([corpus], index_dir, jobs=1)
    assert engine.search(handle, SearchRequest(q="第1次补充")).total == 1   # new build here
    assert len(handle.open_builds()) == 2
    finish.set()
    t.join()
    assert seen[0] == seen[1] and seen[2] == 5
    assert handle.open_builds() == [handle.build().name] != [seen[0]]


def test_the_facet_table_is_loaded_once_per_build_for_all_threads(built_index, monkeypatch):
    handle = IndexHandle(built_index)
    loads = []
    real = facets.FacetTable.load

    def counting(folder, searcher):
        loads.append(threading.get_ident())
        return real(folder, searcher)
    monkeypatch.setattr(facets.FacetTable, "load", staticmethod(counting))
    tables = []
    gate = threading.Barrier(8)

    def worker():
        gate.wait()
        tables.append(facets.facet_table(handle.snapshot()))
    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(loads) == 1 and all(t is tables[0] for t in tables)


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_NOFILE and /proc/self/fd")
def test_too_many_open_files_is_not_reported_as_a_damaged_index(built_index, tmp_path):
    import os
    import subprocess

    script = f"""
import os, resource
from pathlib import Path
from search import facets
from search.store import IndexHandle, IndexUnavailable
snap = IndexHandle(Path({str(built_index)!r})).snapshot()
used = len(os.listdir('/proc/self/fd'))
resource.setrlimit(resource.RLIMIT_NOFILE, (used, used))
try:
    facets.facet_table(snap)
except IndexUnavailable as exc:
    print('UNAVAILABLE', exc)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parent.parent, timeout=60)
    assert out.stdout.startswith("UNAVAILABLE Cannot open the index's text postings"), out
    assert "Too many open files" in out.stdout and "ulimit -n" in out.stdout
    assert "rebuild" not in out.stdout


def test_unavailable_index_is_a_503_that_says_what_happened(built_index, monkeypatch):
    from search.store import IndexUnavailable
    from web import create_app

    client = create_app({"index_dir": str(built_index)}).test_client()

    def fail(*_):
        raise IndexUnavailable("Cannot open the index's postings: Too many open files.")
    monkeypatch.setattr(facets, "facet_table", fail)
    for path in ("/?q=复议", "/api/search?q=复议"):
        response = client.get(path)
        assert response.status_code == 503
        assert "Too many open files" in response.get_data(as_text=True)
