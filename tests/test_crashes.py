"""Crashes, concurrency and write failures during a reindex: the live index always survives.

* kill -9 at 20 moments of a reindex (incremental and full, two workers), from the first
  instant to after the end: the index then answers with exactly the previous content (or, if
  the kill came after the swap, exactly the new one), and the next reindex completes;
* two reindexes at once: the second is refused with a clear message and exit status 1;
* a full disk (a small tmpfs, filled up) and write-protected places (a read-only remount,
  ``chattr +i``): the error names the cause, the exit status is 1, the old index stays searchable.
"""
from __future__ import annotations

import contextlib
import gc
import os
import shutil
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.build import build_index
from search import engine, store
from search.engine import SearchRequest
from search.store import IndexHandle
from web.cli import cli

from conftest import ROOT, SAMPLE_DIR

COPIES = 20                     # 20 × 5 samples = 100 files to reindex
REINDEX = ("import sys; from pathlib import Path; from indexer.build import build_index; "
           "build_index([Path(p) for p in sys.argv[3:]], Path(sys.argv[1]), "
           "rebuild=sys.argv[2] == 'rebuild', jobs=2)")


@pytest.fixture()
def big(tmp_path) -> Path:
    """100 shortened copies of the samples, each copy with its own phrase 编号NNN号."""
    root = tmp_path / "big"
    root.mkdir()
    for n in range(COPIES):
        for src in sorted(SAMPLE_DIR.glob("*.txt")):
            text = src.read_text(encoding="utf-8")[:1500]
            (root / f"{n:03d}_{src.name}").write_text(f"{text}\n编号{n:03d}号。", encoding="utf-8")
    return root


def snapshot(index_dir: Path) -> tuple:
    """What a reader sees: document count, first titles, and the hits of one copy's phrase."""
    handle = IndexHandle(index_dir)
    # The numbered copies are copies of the samples (indexer.copies): count every file.
    everything = engine.search(handle, SearchRequest(q="", page_size=100, copies="all"))
    copy = engine.search(handle, SearchRequest(q="编号007号", page_size=100, copies="all"))
    return (everything.total, sorted(h.metadata["display_title"] for h in everything.hits)[:5],
            sorted(Path(h.path).name for h in copy.hits))


def start_reindex(index_dir: Path, mode: str, roots: list[Path], log: Path) -> subprocess.Popen:
    """Start ``build_index`` in its own process group (so kill -9 reaches its workers too)."""
    with open(log, "ab") as err:
        return subprocess.Popen(
            [sys.executable, "-c", REINDEX, str(index_dir), mode, *map(str, roots)],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=err)


def kill_9(proc: subprocess.Popen) -> int:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    return proc.wait(timeout=30)


def lock_is_free(index_dir: Path, wait: float = 10.0) -> bool:
    """Tell whether a reindex could start, allowing killed processes ``wait`` seconds to exit."""
    deadline = time.monotonic() + wait
    while True:
        try:
            with store.write_lock(index_dir):
                return True
        except store.IndexLocked:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)


#: When to kill, as a share of an uninterrupted run's duration: at once, while reading and
#: segmenting, while Whoosh writes the segment, around the swap, and after the end.
KILL_AT = (0.0, 0.01, 0.02, 0.04, 0.07, 0.1, 0.15, 0.2, 0.3, 0.4,
           0.5, 0.6, 0.7, 0.8, 0.86, 0.91, 0.95, 0.98, 1.0, 1.05)


@pytest.mark.slow
def test_kill_9_at_twenty_moments_never_damages_the_live_index(corpus, big, tmp_path, capsys):
    index_dir, pristine = tmp_path / "index", tmp_path / "pristine"
    build_index([corpus], index_dir, jobs=1)
    shutil.copytree(index_dir, pristine)
    old = snapshot(index_dir)
    assert old[0] == 5 and old[2] == []

    calibration = tmp_path / "calibration"
    shutil.copytree(pristine, calibration)
    started = time.monotonic()
    proc = start_reindex(calibration, "rebuild", [corpus, big], tmp_path / "log")
    assert proc.wait(timeout=300) == 0, (tmp_path / "log").read_text()
    duration = time.monotonic() - started
    new = snapshot(calibration)
    assert new[0] == 5 + 5 * COPIES and new[2] == [f"007_{p.name}"
                                                    for p in sorted(SAMPLE_DIR.glob("*.txt"))]

    seen = {"previous": 0, "new": 0}
    for n, share in enumerate(KILL_AT):
        mode = "rebuild" if n % 2 else "update"
        proc = start_reindex(index_dir, mode, [corpus, big], tmp_path / "log")
        time.sleep(share * duration)
        status = kill_9(proc)
        assert status in (-signal.SIGKILL, 0), (tmp_path / "log").read_text()
        assert lock_is_free(index_dir), f"lock still held after the kill at {share:.0%}"
        now = snapshot(index_dir)
        assert now in (old, new), f"kill at {share:.0%} ({mode}) left {now}"
        seen["previous" if now == old else "new"] += 1
        if now == new:                                # killed after the swap: start again
            shutil.rmtree(index_dir)
            shutil.copytree(pristine, index_dir)
    assert seen["previous"] >= 10                    # most kills came before the swap

    report = build_index([corpus, big], index_dir, jobs=2)
    assert report.published and report.documents == 5 + 5 * COPIES
    assert snapshot(index_dir) == new
    assert len(list((index_dir / "builds").iterdir())) <= 2     # killed builds were cleared
    with capsys.disabled():
        print(f"\nkill -9: {len(KILL_AT)} kills over a {duration:.1f} s reindex; "
              f"{seen['previous']} left the previous index, {seen['new']} the new one "
              "(killed after the swap); next reindex complete")


@pytest.mark.slow
def test_a_second_reindex_is_refused_while_the_first_runs(corpus, big, tmp_path):
    index_dir = tmp_path / "index"
    build_index([corpus], index_dir, jobs=1)
    proc = start_reindex(index_dir, "rebuild", [corpus, big], tmp_path / "log")
    lock, deadline, holder = index_dir / store.LOCK, time.monotonic() + 60, ""
    while time.monotonic() < deadline and not holder.startswith(f"pid {proc.pid}, "):
        time.sleep(0.02)
        with contextlib.suppress(OSError):
            holder = lock.read_text(encoding="utf-8").strip()
    assert holder.startswith(f"pid {proc.pid}, started "), holder

    result = CliRunner().invoke(cli, ["index", str(corpus), "--index-dir", str(index_dir),
                                      "-j", "1"])
    assert proc.poll() is None, "the first reindex ended before the second one was tried"
    assert result.exit_code == 1
    assert result.output == (f"Error: Another reindex of {index_dir} is running ({holder}). "
                             "Wait for it to finish, then run this again.\n")

    assert proc.wait(timeout=300) == 0, (tmp_path / "log").read_text()
    total, _, copy = snapshot(index_dir)
    assert total == 5 + 5 * COPIES and len(copy) == 5
    again = CliRunner().invoke(cli, ["index", str(corpus), str(big), "--index-dir",
                                     str(index_dir), "-j", "1", "--json"])
    assert again.exit_code == 0, again.output
    assert f'"unchanged": {5 + 5 * COPIES}' in again.output and '"published": false' in again.output


# --------------------------------------------------------------------------------------------
# Write failures

@pytest.fixture()
def tiny_disk(tmp_path):
    """An 8 MiB tmpfs: room for building the sample index (about 2 MB, more while writing)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount_point)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=True)


def sample_index_in(folder: Path, corpus: Path) -> Path:
    """Build the sample index in a subprocess, so no file of it stays open here."""
    index_dir = folder / "index"
    subprocess.run([sys.executable, "-c", REINDEX, str(index_dir), "update", str(corpus)],
                   cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True,
                   capture_output=True, timeout=120)
    return index_dir


def fill(mount_point: Path, leave: int = 128 * 1024) -> None:
    """Fill a file system until only ``leave`` bytes are free (real bytes: tmpfs has no holes)."""
    stats = os.statvfs(mount_point)
    todo = stats.f_bavail * stats.f_frsize - leave
    chunk = b"\0" * 2**20
    with open(mount_point / "filler", "wb") as fh:
        while todo > 0:
            todo -= fh.write(chunk[:todo])


def reindex_cli(index_dir: Path, corpus: Path, *extra: str):
    return CliRunner().invoke(cli, ["index", str(corpus), "--index-dir", str(index_dir), "-j",
                                    "1", "-q", *extra])


def failing_reindex(run) -> tuple[str, list[str]]:
    """Call ``run`` (a reindex that must fail); return its error and the files it left open.

    The error is returned as text, so that no traceback keeps the failed writer alive: its files
    are closed (or reported by a ResourceWarning) before this returns.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        try:
            result = run()
            error = ("" if result is None or result.exception is None
                     else f"exit {result.exit_code}: {result.output}{result.exception!r}")
            del result
        except Exception as exc:  # noqa: BLE001 - the type is part of what we check
            error = f"{type(exc).__name__}: {exc}"
        gc.collect()
    return error, [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]


def test_a_full_disk_leaves_the_old_index_searchable(tiny_disk, corpus):
    index_dir = sample_index_in(tiny_disk, corpus)
    before = snapshot(index_dir)
    fill(tiny_disk)
    error, _ = failing_reindex(lambda: build_index([corpus], index_dir, rebuild=True, jobs=1))
    assert "No space left on device" in error
    assert snapshot(index_dir) == before
    assert [p.name for p in (index_dir / "builds").iterdir()] == [
        (index_dir / "CURRENT").read_text().strip()]           # the failed build was removed
    assert lock_is_free(index_dir)


def test_a_full_disk_is_an_index_write_error_with_exit_status_1(tiny_disk, corpus):
    index_dir = sample_index_in(tiny_disk, corpus)
    fill(tiny_disk)
    error, _ = failing_reindex(lambda: build_index([corpus], index_dir, rebuild=True, jobs=1))
    assert error.startswith("IndexWriteError: ") and "No space left on device" in error
    error, _ = failing_reindex(lambda: reindex_cli(index_dir, corpus, "--rebuild"))
    assert error.startswith("exit 1: Error: ") and "No space left on device" in error
    assert "The previous index is unchanged.\nSystemExit(1)" in error


@pytest.mark.parametrize("leave_kb", [16, 64, 128])   # the disk fills at different steps:
def test_a_failed_reindex_closes_the_files_of_its_build(tiny_disk, corpus, leave_kb):
    """(At 64 KB Whoosh's column copy failed and left ``_stored.col`` open: whoosh_writer
    assumption 6.)"""
    index_dir = sample_index_in(tiny_disk, corpus)
    fill(tiny_disk, leave_kb * 1024)
    error, left_open = failing_reindex(
        lambda: build_index([corpus], index_dir, rebuild=True, jobs=1))
    assert "No space left on device" in error
    assert left_open == []


def test_a_read_only_index_directory_is_refused_and_stays_searchable(tiny_disk, corpus):
    index_dir = sample_index_in(tiny_disk, corpus)
    before = snapshot(index_dir)
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    (corpus / "new.txt").write_text("某县2024年度法治政府建设情况报告\n2024年，某县推进柔性执法。",
                                    encoding="utf-8")
    result = reindex_cli(index_dir, corpus)
    assert result.exit_code == 1
    assert result.output == f"Error: Cannot write to {index_dir}: Read-only file system.\n"
    assert snapshot(index_dir) == before


@pytest.fixture()
def immutable(tmp_path):
    """``chattr +i`` a path for the test (even root cannot create or rename entries there)."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    protected = []

    def protect(path: Path) -> None:
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"chattr +i does not work here: {done.stderr.strip()}")
        protected.append(path)

    yield protect
    for path in protected:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.mark.parametrize("protected, message", [
    ("builds", "Error: Cannot create a new build in {index_dir}: Operation not permitted. "
               "The previous index is unchanged.\n"),
    (".", "Error: Cannot publish the new build in {index_dir}: Operation not permitted. "
          "The previous index is unchanged.\n"),
])
def test_a_write_protected_index_is_refused_and_stays_searchable(tmp_path, corpus, immutable,
                                                                protected, message):
    index_dir = tmp_path / "index"
    build_index([corpus], index_dir, jobs=1)
    before, builds = snapshot(index_dir), sorted(os.listdir(index_dir / "builds"))
    (corpus / "new.txt").write_text("某县2024年度法治政府建设情况报告\n2024年，某县推进柔性执法。",
                                    encoding="utf-8")
    immutable(index_dir / protected)
    result = reindex_cli(index_dir, corpus)
    assert result.exit_code == 1
    assert result.output == message.format(index_dir=index_dir)
    assert snapshot(index_dir) == before
    assert sorted(os.listdir(index_dir / "builds")) == builds     # nothing half-written left
