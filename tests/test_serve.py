"""Serving for real: the ``serve`` command, the first-run build, waitress, reindex pickup."""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, sample
from web_fixtures import app, live_server  # noqa: F401 - fixtures


def fetch(url: str) -> tuple[int, dict, str]:
    """GET ``url``; return status, headers and body (error statuses included)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, dict(exc.headers), exc.read().decode("utf-8")


@pytest.fixture()
def fake_serve(monkeypatch):
    """Replace waitress's blocking loop; record what would have been served."""
    import web.serve

    calls = []
    monkeypatch.setattr(web.serve, "serve", lambda app, **kw: calls.append((app, kw)))
    return calls


def invoke(*args: str):
    from web.cli import cli

    return CliRunner().invoke(cli, ["serve", *args])


# --------------------------------------------------------------------------------------------
# The real WSGI server

def test_live_server_serves_pages_api_and_headers(live_server):
    status, headers, body = fetch(live_server.url + "/?q=%E8%AF%81%E7%85%A7%E5%88%86%E7%A6%BB")
    assert status == 200
    assert "<mark>证照分离</mark>" in body
    assert headers["Server"] == "policy-search"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    status, headers, body = fetch(live_server.url + "/api/search?page=0")
    assert status == 400 and "页码必须在 1 到 1000 之间" in json.loads(body)["message"]
    status, headers, body = fetch(live_server.url + "/static/style.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css")


def test_start_server_uses_a_free_port_and_stops(app):
    from web.serve import start_server

    first, second = start_server(app), start_server(app)
    try:
        assert first.url != second.url
        assert fetch(first.url + "/api/stats")[0] == 200
    finally:
        first.close()
        second.close()
    assert not first.thread.is_alive() and not second.thread.is_alive()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(first.url + "/", timeout=5)


def test_app_picks_up_a_reindex_without_restart(tmp_path):
    from indexer.build import build_index
    from web import create_app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(sample("000"), corpus)
    index_dir = tmp_path / "index"
    build_index([corpus], index_dir, jobs=1)
    client = create_app({"index_dir": index_dir}).test_client()
    assert client.get("/api/search?q=营商环境").get_json()["total"] == 1
    assert client.get("/api/search?q=证照分离").get_json()["total"] == 0

    shutil.copy(sample("003"), corpus)
    build_index([corpus], index_dir, jobs=1)
    assert client.get("/api/search?q=营商环境").get_json()["total"] == 2
    assert client.get("/api/search?q=证照分离").get_json()["total"] == 1
    assert client.get("/api/stats").get_json()["documents"] == 2


# --------------------------------------------------------------------------------------------
# The serve command

def test_serve_help_lists_options_and_envvars():
    result = invoke("--help")
    assert result.exit_code == 0, result.output
    for text in ("--host", "--port", "--index-dir", "--data-dir", "POLICY_HOST", "POLICY_PORT",
                 "POLICY_SEARCH_INDEX", "POLICY_DATA_DIR", "waitress"):
        assert text in result.output


def test_serve_builds_an_index_on_first_run(tmp_path, sample_corpus, fake_serve):
    index_dir = tmp_path / "index"
    result = invoke("--index-dir", str(index_dir), "--data-dir", str(sample_corpus),
                    "--port", "8123", "--host", "127.0.0.2")
    assert result.exit_code == 0, result.output
    assert f"No index at {index_dir.resolve()} yet: building one from {sample_corpus}" \
        in result.output
    assert "indexed 5/5 files" in result.output              # progress
    assert "5 added" in result.output
    [(app, options)] = fake_serve
    assert app.config["INDEX_DIR"] == index_dir.resolve()
    assert (options["host"], options["port"]) == ("127.0.0.2", 8123)
    assert app.test_client().get("/api/stats").get_json()["documents"] == 5


def test_serve_uses_an_existing_index(built_index, fake_serve, monkeypatch, tmp_path):
    monkeypatch.setenv("POLICY_SEARCH_INDEX", str(built_index))
    monkeypatch.setenv("POLICY_PORT", "8124")
    result = invoke("--data-dir", str(tmp_path / "absent"))
    assert result.exit_code == 0, result.output
    assert "building" not in result.output
    [(app, options)] = fake_serve
    assert app.config["INDEX_DIR"] == built_index.resolve() and options["port"] == 8124


def test_serve_without_index_or_reports_fails_with_a_hint(tmp_path, fake_serve):
    index_dir, data_dir = tmp_path / "index", tmp_path / "absent"
    result = invoke("--index-dir", str(index_dir), "--data-dir", str(data_dir))
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: No index at {index_dir}, and no report folder at {data_dir} to build one "
        f"from. Run `policy-search index PATH --index-dir {index_dir}` first, or pass "
        f"--data-dir.")
    assert fake_serve == []


def test_serve_reports_a_busy_port(built_index):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = invoke("--index-dir", str(built_index), "--port", str(port))
    assert result.exit_code == 1
    assert f"Error: Cannot listen on 127.0.0.1:{port}" in result.output


@contextlib.contextmanager
def _serving(index_dir: Path, cwd: Path, *options: str):
    """``policy-search serve --port 0 [options]`` in a subprocess, as a user runs it: yields
    ``(url, process, the "Serving on" line)``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICY_")}
    env["PYTHONPATH"] = str(ROOT)
    process = subprocess.Popen(
        [sys.executable, "-c", "from web.cli import main; main()", "serve", "--port", "0",
         *options, "--index-dir", str(index_dir)],
        cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, line = time.monotonic() + 90, ""
        while "Serving on" not in line and time.monotonic() < deadline:
            line = process.stdout.readline()
            assert line or process.poll() is None, "serve exited early"
        yield line.split("Serving on ", 1)[1].split()[0].rstrip("/"), process, line
    finally:
        process.terminate()
        process.wait(timeout=20)
        process.stdout.close()


@contextlib.contextmanager
def _serving_with_workers(index_dir: Path, cwd: Path, workers: int):
    """``serve --workers N``: yields ``(url, process)``."""
    pytest.importorskip("gunicorn")
    with _serving(index_dir, cwd, "--workers", str(workers), "--threads", "2") as (
            url, process, line):
        assert f"{workers} worker processes" in line
        yield url, process


def test_policy_search_serve_end_to_end(built_index, tmp_path):
    """Run the console command in a subprocess, as a user would, and talk to it over HTTP."""
    with _serving(built_index, tmp_path) as (url, _, _):
        status, headers, body = fetch(url + "/api/search?q=%E8%A1%8C%E6%94%BF%E5%BE%A9%E8%AD%B0")
        assert status == 200 and json.loads(body)["total"] == 3
        assert headers["Server"] == "policy-search"          # waitress, not Werkzeug


def test_package_data_ships_templates_and_static():
    import configparser

    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    data = config["options.package_data"]
    assert data["web.templates"] == "*" and data["web.static"] == "*"
    assert config["options"]["packages"] == "find_namespace:"
    web = ROOT / "web"
    assert not [p for p in (web / "templates").rglob("*") if p.is_dir()]    # no sub-folders
    assert not [p for p in (web / "static").rglob("*") if p.is_dir()]
    assert Path(web / "templates" / "search.html").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="gunicorn workers are for Unix")
def test_serve_with_worker_processes_follows_a_reindex(sample_corpus, tmp_path):
    """``serve --workers 2``: two gunicorn processes answer, concurrently, from the mapped
    build, and both pick up a reindex without a restart."""
    import concurrent.futures

    from indexer.build import build_index

    corpus, index_dir = tmp_path / "reports", tmp_path / "index"
    shutil.copytree(sample_corpus, corpus)
    build_index([corpus], index_dir, jobs=1)
    with _serving_with_workers(index_dir, tmp_path, 2) as (url, _):
        query = url + "/api/search?q=%E8%A1%8C%E6%94%BF%E5%BE%A9%E8%AD%B0"     # 行政復議
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda _: fetch(query), range(24)))
        assert {status for status, _, _ in answers} == {200}
        assert {json.loads(body)["total"] for _, _, body in answers} == {3}
        changed = next(corpus.glob("002_*.txt"))
        changed.write_text(changed.read_text(encoding="utf-8") + "\n补充：多进程服务。",
                           encoding="utf-8")
        build_index([corpus], index_dir, jobs=1)
        fresh = url + "/api/search?q=%E5%A4%9A%E8%BF%9B%E7%A8%8B%E6%9C%8D%E5%8A%A1"  # 多进程服务
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda _: fetch(fresh), range(16)))
        assert [json.loads(body)["total"] for _, _, body in answers] == [1] * 16


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_clients_that_keep_their_connection_are_spread_over_every_worker(built_index,
                                                                         tmp_path):
    """Each worker answers one request and closes the connection (``Connection: close``), so a
    client that keeps its connection alive reconnects for the next request, and the kernel
    hands that to an idle worker: 4 such clients over 2 workers keep both busy. (Threaded
    workers kept each connection in the process that accepted it: 8 clients over 8 of them
    were answered by 4.)"""
    import http.client
    import threading
    from urllib.parse import quote, urlsplit

    def cpu_ticks(pid: int) -> int:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])            # utime + stime

    with _serving_with_workers(built_index, tmp_path, 2) as (url, process):
        children, deadline = Path(f"/proc/{process.pid}/task/{process.pid}/children"), \
            time.monotonic() + 60
        while len(children.read_text().split()) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)                        # the master forks them after "Serving on"
        pids = [int(p) for p in children.read_text().split()]
        assert len(pids) == 2
        before, deadline = {}, time.monotonic() + 60
        while time.monotonic() < deadline:        # both workers warmed up (jieba) and idle
            now = {pid: cpu_ticks(pid) for pid in pids}
            if now == before:
                break
            before = now
            time.sleep(0.5)
        host = urlsplit(url)
        closed, failures = [], []

        def client(n: int) -> None:
            conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
            try:
                for k in range(12):
                    conn.request("GET", "/api/search?q=" + quote(f"行政 {n} {k}"))
                    response = conn.getresponse()
                    response.read()
                    if response.status != 200:
                        failures.append(response.status)
                    closed.append(response.getheader("Connection", "").lower() == "close")
            finally:
                conn.close()

        threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not failures and len(closed) == 48 and all(closed)
        assert all(cpu_ticks(pid) > before[pid] for pid in pids), (before, pids)


def test_serve_workers_needs_gunicorn_says_so(built_index, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_gunicorn(name, *args, **kwargs):
        if name.startswith("gunicorn"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)
    monkeypatch.setattr(builtins, "__import__", no_gunicorn)
    result = invoke("--index-dir", str(built_index), "--workers", "2")
    assert result.exit_code == 1
    assert "--workers needs gunicorn" in result.output
