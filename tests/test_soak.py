"""A bounded soak: eight clients for 45 s against ``policy-search serve`` in a real subprocess.

The query mix covers what users do: single terms, AND, OR, NOT, a quoted phrase, a phrase
inside a jieba word, traditional script, filters, the empty query, page 2, report pages, the
JSON API, the CSV export and a bad query. Every answer must have its expected status (and,
for the JSON API, its expected total), and the server's memory must stay flat.

Memory bound: resident size at the end < 1.3 × the size after warm-up + 50 MB. The 30 %
allows for the allocator keeping freed arenas and for caches that fill lazily (Whoosh
searchers per waitress thread, the facet table, lru caches); the 50 MB for a small base.
With ~160 MB after warm-up and ~3,000 requests on two cores, a leak of about 30 KB per
request or more fails it; smaller leaks need a longer soak to show.
"""
from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow

CLIENTS = 8
SOAK_S = 45.0
MAX_REQUESTS = 20_000          # per client
RSS_FACTOR, RSS_SLACK_KB = 1.3, 50 * 1024

#: (path and query, expected status, expected total for the JSON API or a text the page has)
MIX = [
    ("/api/search?q=证照分离", 200, 1),
    ("/api/search?q=行政复议", 200, 3),
    ("/api/search?q=营商环境", 200, 5),
    ("/api/search?q=行政复议 营商环境", 200, 3),
    ("/api/search?q=证照分离 OR 一网通办", 200, 2),
    ("/api/search?q=复议 -诉讼", 200, 1),
    ('/api/search?q="高效办成一件事"', 200, 2),
    ("/api/search?q=办成一件", 200, 2),
    ("/api/search?q=行政復議", 200, 3),
    ("/api/search?q=行政复议&province=山西&year_from=2022", 200, 2),
    ("/api/search?q=营商环境&year=2023", 200, 2),
    ("/api/search?q=", 200, 5),
    ("/api/search?q=营商环境&page_size=2&page=2", 200, 5),
    ("/?q=行政復議&province=140000", 200, "<mark>"),
    ("/?q=营商环境&page_size=2&page=2", 200, "第 2 / 3 页"),
    ("/?q=", 200, "共收录"),
    ("/report/{id}?q=证照分离", 200, 'id="first-hit"'),
    ("/api/report/{id}", 200, '"similar"'),
    ("/export.csv?q=营商环境", 200, "\ufeff标题,显示标题"),
    ("/api/search?q=((证照分离", 400, "括号不配对"),
    ("/?page=0", 400, "页码必须在 1 到 1000 之间，不能是 0。"),
    ("/report/0123456789abcdef", 404, "找不到这篇报告"),
]


def encode(target: str) -> str:
    return quote(target, safe="/?&=:%")


class Client(threading.Thread):
    """Walk the mix on one keep-alive connection until the deadline or ``max_requests``."""

    def __init__(self, url: str, number: int, mix: list, deadline: float,
                 max_requests: int = MAX_REQUESTS):
        super().__init__(name=f"soak-{number}", daemon=True)
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.number, self.mix, self.deadline = number, mix, deadline
        self.max_requests, self.requests = max_requests, 0
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def run(self) -> None:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            for i in range(self.max_requests):
                if time.monotonic() > self.deadline:
                    return
                target, status, expected = self.mix[(i + self.number * 3) % len(self.mix)]
                self.requests += 1
                started = time.perf_counter()
                try:
                    connection.request("GET", target)
                    response = connection.getresponse()
                    body = response.read()
                    self.latencies.append(time.perf_counter() - started)
                    problem = check(response.status, body, status, expected)
                except (OSError, http.client.HTTPException) as exc:
                    problem = f"{type(exc).__name__}: {exc}"
                    connection.close()           # reconnects on the next request
                if problem:
                    self.errors.append(f"{target}: {problem}")
        finally:
            connection.close()


def check(status: int, body: bytes, want_status: int, expected) -> str:
    """Return "" when an answer is as expected, else what is wrong with it."""
    if status != want_status:
        return f"status {status}, expected {want_status}: {body[:200]!r}"
    if isinstance(expected, int):
        total = json.loads(body)["total"]
        return "" if total == expected else f"total {total}, expected {expected}"
    return "" if expected in body.decode("utf-8") else f"no {expected!r} in {body[:200]!r}"


def rss_kb(pid: int) -> int:
    """Resident set size of a process, from /proc/<pid>/status (VmRSS, in kB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


def start_serve(index_dir: Path, log: Path, cwd: Path) -> tuple[subprocess.Popen, str]:
    """Start ``policy-search serve`` on a free port; return the process and its URL once it
    answers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICY_")}
    env["PYTHONPATH"] = str(ROOT)
    with log.open("w") as out:              # a file, so a chatty server never blocks on a pipe
        process = subprocess.Popen(
            [sys.executable, "-c", "from web.cli import main; main()", "serve", "--host",
             "127.0.0.1", "--port", "0", "--index-dir", str(index_dir)],
            cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while "Serving on " not in log.read_text():
        assert process.poll() is None, f"serve exited early:\n{log.read_text()}"
        assert time.monotonic() < deadline, f"serve did not start:\n{log.read_text()}"
        time.sleep(0.1)
    url = log.read_text().split("Serving on ", 1)[1].split()[0].rstrip("/")
    connection = http.client.HTTPConnection(urlsplit(url).hostname, urlsplit(url).port, timeout=30)
    try:
        connection.request("GET", "/api/stats")
        assert json.loads(connection.getresponse().read())["documents"] == 5
    finally:
        connection.close()
    return process, url


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def percentile(sorted_values: list[float], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * fraction))]


def get_json(url: str, target: str) -> dict:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", encode(target))
        return json.loads(connection.getresponse().read())
    finally:
        connection.close()


def run_clients(clients: list[Client], join_s: float) -> None:
    for client in clients:
        client.start()
    for client in clients:
        client.join(timeout=join_s)


def test_soak_eight_clients_against_policy_search_serve(built_index, tmp_path, capsys):
    process, url = start_serve(built_index, tmp_path / "serve.log", tmp_path)
    try:
        [hit] = get_json(url, "/api/search?q=证照分离")["hits"]
        mix = [(encode(t.replace("{id}", hit["id"])), s, e) for t, s, e in MIX]
        # warm-up: each client walks the mix twice, so caches and the per-thread searchers
        # exist before the first reading
        warm = [Client(url, n, mix, time.monotonic() + 60, 2 * len(mix)) for n in range(CLIENTS)]
        run_clients(warm, 90)
        assert [e for c in warm for e in c.errors] == []
        rss_start = rss_kb(process.pid)

        started = time.monotonic()
        clients = [Client(url, n, mix, started + SOAK_S) for n in range(CLIENTS)]
        run_clients(clients, SOAK_S + 60)
        elapsed = time.monotonic() - started
        rss_end = rss_kb(process.pid)
        assert process.poll() is None, (tmp_path / "serve.log").read_text()
    finally:
        stop(process)

    assert not any(c.is_alive() for c in clients + warm)
    errors = [e for c in clients for e in c.errors]
    requests = sum(c.requests for c in clients)
    latencies = sorted(t for c in clients for t in c.latencies)
    assert errors == [], errors[:10]
    assert min(c.requests for c in clients) >= len(mix)     # every client walked the whole mix
    bound = rss_start * RSS_FACTOR + RSS_SLACK_KB
    assert rss_end < bound, (rss_start, rss_end)
    with capsys.disabled():
        print(f"\nsoak: {requests} requests by {CLIENTS} clients in {elapsed:.1f} s, "
              f"{requests / elapsed:.0f} req/s, p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
              f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms, RSS {rss_start / 1024:.0f} MB "
              f"→ {rss_end / 1024:.0f} MB (bound {bound / 1024:.0f} MB), errors {len(errors)}")
