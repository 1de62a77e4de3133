"""Timing, percentiles and the memory of a whole process tree.

Peak memory is asked of a *tree* (the indexer's parent plus its worker processes), which neither
``getrusage`` nor ``/usr/bin/time -v`` gives: both report the largest single process. So a
sampler thread adds up the tree's resident memory from ``/proc`` every 100 ms, twice:

* ``tree_rss``: the sum of RSS (``/proc/PID/statm``), what ``top`` users add up; pages shared
  after ``fork`` count once per process, so it overstates;
* ``tree_pss``: the sum of PSS (``/proc/PID/smaps_rollup``: shared pages divided among their
  sharers), the memory the tree really occupies. Reading it walks the page tables and cost the
  sampler ~10% of a core at 100 ms, so it is read every 10th sample only (once a second); the
  PSS peak can therefore be missed by up to a second.

``max_rss`` is the largest single process seen by the same sampler, for comparison with
``/usr/bin/time -v``. (``wait4``'s ``ru_maxrss`` cannot be used: Linux carries the parent's
high-water mark over ``fork``/``exec``, so every child of a big harness would report at least
the harness's own size.) A 100 ms sampler can miss a shorter spike.
"""
from __future__ import annotations

import math
import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


def percentile(values: list[float], q: float) -> float | None:
    """Return the ``q``-th percentile (0–100) with linear interpolation, None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summarize(values_ms: list[float]) -> dict:
    """Median, p95, mean and max of latencies in milliseconds, rounded for the report."""
    if not values_ms:
        return {"n": 0}
    return {"n": len(values_ms), "p50_ms": round(percentile(values_ms, 50), 2),
            "p95_ms": round(percentile(values_ms, 95), 2),
            "mean_ms": round(sum(values_ms) / len(values_ms), 2),
            "max_ms": round(max(values_ms), 2)}


def _children(pid: int) -> list[int]:
    """Direct children of ``pid`` (Linux ``/proc/PID/task/TID/children``)."""
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out.extend(int(c) for c in fh.read().split())
    except OSError:
        pass
    return out


def tree_pids(root: int) -> list[int]:
    """``root`` and all its descendants alive now."""
    pids, pending = [], [root]
    while pending:
        pid = pending.pop()
        pids.append(pid)
        pending.extend(_children(pid))
    return pids


def _rss(pid: int) -> int:
    """Resident set size of one process in bytes (cheap: ``statm``), 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _rss_pss(pid: int) -> tuple[int, int]:
    """Resident and proportional set size of one process, in bytes (0, 0 when it is gone)."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
    except OSError:
        pass
    return rss, pss


class TreeMemory:
    """Sample the summed RSS and PSS of a process tree in a background thread."""

    def __init__(self, root: int, interval: float = 0.1, pss_every: int = 10):
        self.root, self.interval, self.pss_every, self.samples = root, interval, pss_every, 0
        self.peak_rss = self.peak_pss = self.peak_procs = self.peak_single = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "TreeMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def sample(self) -> None:
        pids = tree_pids(self.root)
        sizes = [_rss(p) for p in pids]
        self.peak_rss = max(self.peak_rss, sum(sizes))
        self.peak_procs = max(self.peak_procs, len(pids))
        self.peak_single = max([self.peak_single] + sizes)
        if self.samples % self.pss_every == 0:
            self.peak_pss = max(self.peak_pss, sum(_rss_pss(p)[1] for p in pids))
        self.samples += 1

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)


@dataclass
class Measured:
    """A finished subprocess: its wall time, CPU time, memory and output."""

    argv: list[str]
    returncode: int
    seconds: float
    cpu_seconds: float
    max_rss: int
    tree_rss: int
    tree_pss: int
    stdout: str = ""
    stderr: str = ""
    extra: dict = field(default_factory=dict)

    def memory(self) -> dict:
        mb = lambda b: round(b / 2**20, 1)          # noqa: E731
        return {"tree_rss_mb": mb(self.tree_rss), "tree_pss_mb": mb(self.tree_pss),
                "max_process_rss_mb": mb(self.max_rss), "processes": self.extra.get("processes")}


def run_measured(argv: list[str], env: dict | None = None, cwd: Path | None = None,
                 timeout: float | None = None) -> Measured:
    """Run ``argv`` to completion, sampling its process tree's memory; never raises on failure."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env, cwd=cwd)
        with TreeMemory(proc.pid) as mem:
            status, usage = _wait4(proc, timeout)
        seconds = time.perf_counter() - started
        out.seek(0), err.seek(0)
        return Measured(argv, status, seconds, usage.ru_utime + usage.ru_stime,
                        mem.peak_single, mem.peak_rss, mem.peak_pss, out.read(), err.read(),
                        {"processes": mem.peak_procs})


def _wait4(proc: subprocess.Popen, timeout: float | None):
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG if deadline else 0)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return proc.returncode, usage
        if time.monotonic() > deadline:
            proc.kill()
            deadline = None
        time.sleep(0.05)


def current_rss_mb() -> float:
    """Resident memory of this process now, in MB."""
    return round(_rss_pss(os.getpid())[0] / 2**20, 1)
