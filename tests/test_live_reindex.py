"""Serving and reindexing at once: waitress answers every request while three reindexes publish.

Client threads query ``/api/search`` over loopback without pause while the corpus changes
under the running server: reports are added (``build_index``, incremental), one is removed
and the index rebuilt (``policy-search index --rebuild`` in a subprocess), one more is added
(``policy-search index`` in a subprocess). Every answer must be a 200 with JSON that agrees
with itself, and each change must show in the very next request, without a restart.

The last two tests pin a publish to the instant between two calls one request makes on the
index handle, where a reindex in another process can land: each request must still answer
from one build.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from urllib.parse import quote

import pytest

from conftest import ROOT, SAMPLE_DIR, sample

MARKER = "量子隧穿审批试点"             # only in the reports added while serving
GONE = "政务诚信"                       # only in sample 001, which is removed while serving
COMMON = "营商环境"                     # in all five samples (002 writes 營商環境)
TRADITIONAL = "行政復議"                # finds 行政复议 in 000, 003, 004
QUERIES = (MARKER, GONE, COMMON, TRADITIONAL)

#: Total of each query at each stage: before, after each of the three reindexes.
STAGES = {MARKER: (0, 2, 2, 3), GONE: (1, 1, 0, 0), COMMON: (5, 5, 4, 4), TRADITIONAL: (3, 3, 3, 3)}

CLIENTS = 3
MAX_REQUESTS = 3000          # per client
HANG_GUARD_S = 90.0          # a client stops by itself after this, whatever happens


def marker_report(n: int) -> str:
    return (f"戊市第{n}区2024年度法治政府建设情况报告\n"
            f"2024年，戊市第{n}区开展{MARKER}工作，推进依法行政。\n")


def api_url(base: str, q: str) -> str:
    return f"{base}/api/search?q={quote(q)}&page_size=100"


def check_answer(status: int, body: bytes) -> int:
    """Return the total of a well-formed answer; raise AssertionError for anything else."""
    assert status == 200, status
    data = json.loads(body.decode("utf-8"))
    total = data["total"]
    assert (data["page"], data["pages"]) == (1, max(1, -(-total // 100)))
    assert len(data["hits"]) == total == len({hit["id"] for hit in data["hits"]})
    [province] = [f for f in data["facets"] if f["name"] == "province"]
    assert sum(v["count"] for v in province["values"]) == total       # one build's numbers
    return total


class Client(threading.Thread):
    """Query in a loop until told to stop, ``MAX_REQUESTS`` are made or the hang guard ends."""

    def __init__(self, base: str, number: int, stop: threading.Event):
        super().__init__(name=f"client-{number}", daemon=True)
        self.base, self.number, self.stop = base, number, stop
        self.seen: dict[str, list[int]] = {q: [] for q in QUERIES}
        self.latencies: list[float] = []
        self.failures: list[str] = []

    def run(self) -> None:
        deadline = time.monotonic() + HANG_GUARD_S
        for i in range(MAX_REQUESTS):
            if self.stop.is_set() or time.monotonic() > deadline:
                return
            q = QUERIES[(i + self.number) % len(QUERIES)]
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(api_url(self.base, q), timeout=30) as response:
                    total = check_answer(response.status, response.read())
            except urllib.error.HTTPError as exc:
                with exc:
                    self.failures.append(f"{q}: HTTP {exc.code} {exc.read()[:300]!r}")
                continue
            except Exception as exc:            # noqa: BLE001 - every failure is counted
                self.failures.append(f"{q}: {type(exc).__name__}: {exc}")
                continue
            self.latencies.append(time.perf_counter() - started)
            self.seen[q].append(total)

    @property
    def requests(self) -> int:
        return len(self.latencies) + len(self.failures)


def wait_for_requests(clients: list[Client], more: int) -> None:
    """Wait until every client has made ``more`` further requests (bounded by the hang guard)."""
    targets = [c.requests + more for c in clients]
    deadline = time.monotonic() + HANG_GUARD_S
    while any(c.requests < t and c.is_alive() for c, t in zip(clients, targets)):
        assert time.monotonic() < deadline, "clients stalled"
        time.sleep(0.05)


def cli_index(*args: str, cwd) -> subprocess.CompletedProcess:
    """Run ``policy-search index …`` as a user would, in a subprocess."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICY_")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-c", "from web.cli import main; main()", "index", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def totals_now(base: str) -> dict[str, int]:
    """Totals of every query, from one request each made now."""
    out = {}
    for q in QUERIES:
        with urllib.request.urlopen(api_url(base, q), timeout=30) as response:
            out[q] = check_answer(response.status, response.read())
    return out


def stage_of(q: str, total: int, after: int) -> int:
    """The first stage, not before ``after``, whose total for ``q`` is ``total``."""
    stages = STAGES[q]
    assert total in stages[after:], (q, total, after)
    return stages.index(total, after)


@pytest.mark.slow
def test_serving_through_three_reindexes(tmp_path, capsys):
    from indexer.build import build_index
    from web import create_app
    from web.serve import start_server

    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(SAMPLE_DIR, corpus)
    build_index([corpus], index_dir, jobs=1)
    server = start_server(create_app({"index_dir": index_dir}), threads=4)
    stop = threading.Event()
    clients = [Client(server.url, n, stop) for n in range(CLIENTS)]
    observed = {}
    started = time.monotonic()
    try:
        assert totals_now(server.url) == {q: s[0] for q, s in STAGES.items()}
        for client in clients:
            client.start()
        wait_for_requests(clients, 8)

        for n in (1, 2):                         # 1: add two reports, in-process, incremental
            (corpus / f"new_{n}.txt").write_text(marker_report(n), encoding="utf-8")
        report = build_index([corpus], index_dir, jobs=1)
        assert (report.added, report.full) == (2, False)
        observed[1] = totals_now(server.url)
        wait_for_requests(clients, 8)

        (corpus / sample("001").name).unlink()   # 2: remove one, full rebuild by the CLI
        result = cli_index(str(corpus), "--rebuild", "--jobs", "1", "--index-dir",
                           str(index_dir), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "Full build (--rebuild)." in result.stdout
        observed[2] = totals_now(server.url)
        wait_for_requests(clients, 8)

        (corpus / "new_3.txt").write_text(marker_report(3), encoding="utf-8")   # 3: the CLI
        result = cli_index(str(corpus), "--jobs", "1", "--index-dir", str(index_dir),
                           cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "1 added, 0 updated, 0 removed, 6 unchanged" in result.stdout
        observed[3] = totals_now(server.url)
        wait_for_requests(clients, 8)
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=60)
        server.close()
    elapsed = time.monotonic() - started

    for stage in (1, 2, 3):                      # the next request saw each new build
        assert observed[stage] == {q: s[stage] for q, s in STAGES.items()}, stage
    failures = [f for c in clients for f in c.failures]
    requests = sum(c.requests for c in clients)
    assert not any(c.is_alive() for c in clients)
    assert failures == []
    for client in clients:                       # old, then new; never back to an old build
        for q, totals in client.seen.items():
            stage = 0
            for total in totals:
                stage = stage_of(q, total, stage)
            assert (totals[0], totals[-1]) == (STAGES[q][0], STAGES[q][-1]), (client.name, q)
    seen = Counter(total for c in clients for total in c.seen[MARKER])
    assert set(seen) == {0, 2, 3}
    latencies = sorted(t for c in clients for t in c.latencies)
    with capsys.disabled():
        print(f"\nlive reindex: {requests} requests by {CLIENTS} clients in {elapsed:.1f} s "
              f"through 3 reindexes, failures {len(failures)}; {MARKER} totals seen "
              f"{dict(sorted(seen.items()))}; p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, "
              f"max {latencies[-1] * 1000:.0f} ms")


# --------------------------------------------------------------------------------------------
# A publish inside one request: the window between two calls on the index handle

class PublishDuringRequest:
    """An ``IndexHandle`` stand-in that runs ``reindex`` right after its ``nth`` lookup of the
    live index (``build``, ``searcher`` or ``snapshot``): what a reindex in another process does
    when it publishes at that moment, in the middle of a request."""

    LOOKUPS = ("build", "searcher", "snapshot")

    def __init__(self, handle, nth: int, reindex):
        self.handle, self.left, self.reindex = handle, nth, reindex

    @property
    def fired(self) -> bool:
        return self.left <= 0

    def __getattr__(self, name):
        real = getattr(self.handle, name)
        if name not in self.LOOKUPS:
            return real

        def call(*args, **kwargs):
            result = real(*args, **kwargs)
            self.left -= 1
            if self.left == 0:
                self.reindex()
            return result
        return call


@pytest.fixture()
def small_index(tmp_path):
    """Two sample reports (000, 003) indexed; returns ``(corpus, index_dir, app)``."""
    from indexer.build import build_index
    from web import create_app

    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    for prefix in ("000", "003"):
        shutil.copy(sample(prefix), corpus)
    build_index([corpus], index_dir, jobs=1)
    return corpus, index_dir, create_app({"index_dir": index_dir})


def test_a_publish_between_build_and_searcher_still_answers(small_index):
    from indexer.build import build_index

    corpus, index_dir, app = small_index
    client = app.test_client()
    assert client.get("/api/search?q=营商环境").get_json()["total"] == 2

    def reindex():
        (corpus / "new.txt").write_text(marker_report(1) + f"持续优化{COMMON}。\n",
                                        encoding="utf-8")
        assert build_index([corpus], index_dir, jobs=1).added == 1

    app.extensions["policy_search"] = hook = PublishDuringRequest(
        app.extensions["policy_search"], 1, reindex)
    response = client.get("/api/search?q=营商环境")
    assert hook.fired
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.get_json()["total"] == 2            # one consistent (the old) build
    assert client.get("/api/search?q=营商环境").get_json()["total"] == 3


def test_a_publish_between_report_and_similar_keeps_them_apart(small_index):
    from indexer.build import build_index

    corpus, index_dir, app = small_index
    client = app.test_client()
    hits = client.get("/api/search?page_size=100").get_json()["hits"]
    [rid] = [hit["id"] for hit in hits if sample("003").name in hit["path"]]
    assert rid not in [s["id"] for s in client.get(f"/api/report/{rid}").get_json()["similar"]]

    def reindex():
        (corpus / sample("000").name).unlink()
        (corpus / "new.txt").write_text(marker_report(1), encoding="utf-8")
        assert build_index([corpus], index_dir, rebuild=True, jobs=1).documents == 2

    app.extensions["policy_search"] = hook = PublishDuringRequest(
        app.extensions["policy_search"], 1, reindex)
    data = client.get(f"/api/report/{rid}").get_json()
    assert hook.fired
    assert data["id"] == rid
    assert rid not in [s["id"] for s in data["similar"]]
