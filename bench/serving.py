"""The web app under load: ``policy-search serve`` on 127.0.0.1, driven by wrk.

Start-up is the time from launching ``serve`` on an existing index until the first API query
has answered (what a user waits for after ``policy-search serve``). Load is wrk with a Lua script
that cycles through the query mix's API URLs (each wrk thread starting at a different place),
with a fixed number of concurrent connections for a fixed time; wrk reports requests/s, latency
percentiles and errors (socket errors, timeouts and non-2xx/3xx answers). wrk runs on the same
two cores as the server, so it takes some of their time: the figures are a floor. The server's
memory (peak RSS and anonymous RSS, from ``/proc/PID/status``) is read after start-up, after one
pass over the URLs and after each load run: a server that copies the index per thread shows here.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.indexing import ROOT, cli_prefix

LUA = r"""
local paths = {%(paths)s}
local counter = 0
local n = 0
setup = function(thread)
  thread:set("offset", counter * 7)
  counter = counter + 1
end
init = function(args)
  n = offset or 0
end
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%%d,"duration_us":%%d,"bytes":%%d,"connect":%%d,"read":%%d,' ..
    '"write":%%d,"status":%%d,"timeout":%%d,"p50_us":%%d,"p90_us":%%d,"p95_us":%%d,' ..
    '"p99_us":%%d,"max_us":%%d,"mean_us":%%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 30) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


class Server:
    """``policy-search serve`` in a subprocess, for the duration of a ``with`` block."""

    def __init__(self, index_dir: Path, threads: int | None = None, env: dict | None = None,
                 workers: int | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.argv = [*cli_prefix(), "serve", "--host", "127.0.0.1", "--port", str(self.port),
                     "--index-dir", str(index_dir)] + (
            ["--threads", str(threads)] if threads else []) + (
            ["--workers", str(workers)] if workers else [])
        self.log = tempfile.TemporaryFile("w+")
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}

    def start(self, probe_path: str, timeout: float = 120) -> dict:
        """Launch the server; return seconds until it listens and until ``probe_path`` answers."""
        started = time.perf_counter()
        self.proc = subprocess.Popen(self.argv, cwd=ROOT, stdout=self.log, stderr=self.log,
                                     env=self.env)
        listening = None
        while time.perf_counter() - started < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"serve exited with {self.proc.returncode}: {self.output()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    listening = listening or time.perf_counter() - started
                status, _ = get(self.url + probe_path)
                return {"listening_s": round(listening, 2),
                        "first_answer_s": round(time.perf_counter() - started, 2),
                        "first_status": status}
            except OSError:
                time.sleep(0.02)
        raise RuntimeError(f"serve did not answer within {timeout} s: {self.output()}")

    def memory(self) -> dict:
        """The server's memory now, in MB: peak RSS, RSS, and anonymous (not file-backed) RSS."""
        try:
            with open(f"/proc/{self.proc.pid}/status") as fh:
                fields = dict(line.split(":", 1) for line in fh if ":" in line)
        except OSError:
            return {}
        mb = lambda k: round(int(fields[k].split()[0]) / 1024, 1)          # noqa: E731
        return {"peak_rss_mb": mb("VmHWM"), "rss_mb": mb("VmRSS"), "anon_rss_mb": mb("RssAnon")}

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()[-3000:]

    def stop(self) -> None:
        if getattr(self, "proc", None) and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def startup(index_dir: Path, probe_path: str, repeats: int = 3) -> dict:
    """Start the server ``repeats`` times on the existing index; report each and the median."""
    runs = []
    for _ in range(repeats):
        server = Server(index_dir)
        try:
            runs.append(server.start(probe_path))
        finally:
            server.stop()
    firsts = sorted(r["first_answer_s"] for r in runs)
    return {"runs": runs, "median_first_answer_s": firsts[len(firsts) // 2]}


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def load(index_dir: Path, paths: list[str], connections: list[int], seconds: int,
         wrk_threads: int = 2, env: dict | None = None) -> dict:
    """Run wrk against one server for each connection count; check every URL answers 200 first.

    :param env: environment variables for the server (settings such as POLICY_TERM_CACHE_MB).
    """
    server = Server(index_dir, env=env)
    out = {"urls": len(paths), "seconds": seconds, "wrk_threads": wrk_threads, "runs": {}}
    try:
        server.start(paths[0])
        out["memory_after_start"] = server.memory()
        out["warmup_status"] = sorted({get(server.url + p)[0] for p in paths})
        out["memory_after_warmup"] = server.memory()
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
            fh.write(LUA % {"paths": ", ".join(json.dumps(p) for p in paths)})
            script = fh.name
        for c in connections:
            out["runs"][str(c)] = _wrk(server.url, script, c, min(wrk_threads, c), seconds)
            out["runs"][str(c)]["server_memory_after"] = server.memory()
    finally:
        server.stop()
        out["server_log_tail"] = server.output()[-800:]
    return out


def _wrk(url: str, script: str, connections: int, threads: int, seconds: int) -> dict:
    argv = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
            "--timeout", "10s", "-s", script, url]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("WRKJSON ")), None)
    if line is None:
        return {"error": (proc.stderr or proc.stdout)[-1000:]}
    raw = json.loads(line[len("WRKJSON "):])
    errors = sum(raw[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {"connections": connections, "requests": raw["requests"],
            "requests_per_s": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
            "p50_ms": round(raw["p50_us"] / 1000, 1), "p90_ms": round(raw["p90_us"] / 1000, 1),
            "p95_ms": round(raw["p95_us"] / 1000, 1), "p99_ms": round(raw["p99_us"] / 1000, 1),
            "max_ms": round(raw["max_us"] / 1000, 1), "errors": errors,
            "error_detail": {k: raw[k] for k in ("connect", "read", "write", "status", "timeout")}}


if __name__ == "__main__":                                  # quick manual check
    print(json.dumps(startup(Path(sys.argv[1]), "/api/search?q=%E8%90%A5"), indent=2))
