"""Serving the app for real: waitress (never Flask's debug server), and a first-run index build.

``serve`` is what ``policy-search serve`` runs; ``start_server`` runs the same WSGI server in a
background thread on a free port, for the browser tests.
"""
from __future__ import annotations

import contextlib

import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from waitress.server import create_server

from search import store

IDENT = "policy-search"


def ensure_index(index_dir: Path, data_dir: Path, echo: Callable[[str], None] = print,
                 progress=None):
    """Build an index of ``data_dir`` into ``index_dir`` when none exists yet.

    :returns: the ``BuildReport`` of the build, or None when an index was already there.
    :raises FileNotFoundError: there is no index and ``data_dir`` does not exist.
    """
    if store.current_build(index_dir) is not None:
        return None
    if not data_dir.is_dir():
        raise FileNotFoundError(
            f"No index at {index_dir}, and no report folder at {data_dir} to build one from. "
            f"Run `policy-search index PATH --index-dir {index_dir}` first, or pass --data-dir.")
    from indexer.build import build_index

    echo(f"No index at {index_dir} yet: building one from {data_dir} …")
    return build_index([data_dir], index_dir, progress=progress)


def warm_up(app) -> None:
    """Run one query before listening: jieba's dictionary, the normalisation table, the facet
    columns and a searcher are loaded now, not during the first user's request."""
    from search import engine, store

    try:
        engine.search(app.extensions["policy_search"], engine.SearchRequest(q="法治政府"))
    except store.IndexNotFound:     # reported, with its hint, by the requests that need it
        pass


def serve(app, host: str = "127.0.0.1", port: int = 8000, threads: int = 8,
          echo: Callable[[str], None] = print) -> None:
    """Serve ``app`` with waitress until interrupted."""
    warm_up(app)
    server = _create_server(app, host=host, port=port, threads=threads)
    echo(f"Serving on http://{_url_host(host)}:{server.effective_port}/  (Ctrl-C to stop)")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def serve_workers(make_app: Callable[[], object], host: str = "127.0.0.1", port: int = 8000,
                  workers: int = 2, echo: Callable[[str], None] = print) -> None:
    """Serve with ``workers`` processes (gunicorn, Linux and other Unix): one Python process
    answers one request at a time however many threads it has (the GIL), so concurrent
    clients need processes.

    The workers are gunicorn's *sync* workers: each answers one request, closes the
    connection and waits for the next one only while it is idle, so the kernel hands every
    request to an idle process. Threaded workers keep a client's connection alive in the
    process that accepted it: 8 clients kept-alive over 8 such workers were answered by 4 of
    them, one of which took 46% of the requests while the others waited (bench/README.md,
    "Sync workers"). A slow client holds its worker until it has sent its request
    (``timeout``): put a reverse proxy in front of a server open to slow networks.

    Each worker makes its own app with ``make_app`` and warms it up (jieba loaded per worker
    was faster than before the fork: PITFALLS.md); the build's segments, postings and facet
    table are maps of the same files, so the page cache holds them once for all workers. Each
    worker's handle follows ``CURRENT`` by itself: a reindex is picked up without a restart,
    and every request still reads one snapshot.
    """
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError:
        raise RuntimeError("--workers needs gunicorn (Linux and other Unix systems): "
                           "pip install 'policy-search[workers]', or serve with one process "
                           "(waitress, the default).") from None

    class _Workers(BaseApplication):
        def load_config(self):
            for key, value in {"bind": f"{_url_host(host)}:{port}", "workers": workers,
                               "worker_class": "sync", "threads": 1, "timeout": 120,
                               "graceful_timeout": 10, "accesslog": None,
                               "errorlog": "-", "loglevel": "warning",
                               "when_ready": lambda server: echo(
                                   f"Serving on http://{_url_host(host)}:"
                                   f"{server.LISTENERS[0].sock.getsockname()[1]}/ with {workers} "
                                   f"worker processes  (Ctrl-C to stop)")}.items():
                self.cfg.set(key, value)

        def load(self):
            app = make_app()
            warm_up(app)
            return app

    _Workers().run()


def _create_server(app, **adjustments):
    """Create a waitress server; if it cannot listen, close what it had opened and re-raise."""
    socket_map: dict = {}
    try:
        return create_server(app, map=socket_map, ident=IDENT, **adjustments)
    except OSError:
        for channel in list(socket_map.values()):       # its socket and its wake-up pipe
            channel.close()
        raise


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


@dataclass
class LiveServer:
    """A waitress server running in a daemon thread (see ``start_server``)."""

    url: str
    server: object
    thread: threading.Thread

    def close(self) -> None:
        """Stop accepting connections, close the open ones, and stop the server thread.

        waitress's ``close`` only closes the listening socket; connections a browser kept
        alive stay in its socket map and would leak their sockets.
        """
        server = self.server

        def close_everything():             # runs in the server's own loop thread, so no
            for channel in list(server._map.values()):      # socket closes under its select
                with contextlib.suppress(OSError):
                    channel.close()         # listener, connections, trigger: the loop ends
        if self.thread.is_alive():
            server.trigger.pull_trigger(close_everything)
            self.thread.join(timeout=5)
        else:
            close_everything()
        server.task_dispatcher.shutdown()


def start_server(app, host: str = "127.0.0.1", port: int = 0, threads: int = 4) -> LiveServer:
    """Start the real WSGI server on ``host`` and a free port; return its URL and a ``close``."""
    server = _create_server(app, host=host, port=port, threads=threads)
    thread = threading.Thread(target=server.run, name="waitress", daemon=True)
    thread.start()
    return LiveServer(f"http://{_url_host(host)}:{server.effective_port}", server, thread)


class LineProgress:
    """Progress for a build when stderr is not a terminal: one line per tenth of the files."""

    def __init__(self, total: int, echo: Callable[[str], None]):
        self.total, self.done, self.shown, self.echo = total, 0, 0, echo

    def update(self, n: int = 1) -> None:
        self.done += n
        step = max(1, self.total // 10)
        if self.done - self.shown >= step or self.done == self.total:
            self.shown = self.done
            self.echo(f"  indexed {self.done}/{self.total} files")

    def close(self) -> None:
        pass


def progress_factory(echo: Callable[[str], None]):
    """Return ``progress(total)`` for ``build_index``: tqdm on a terminal, lines otherwise."""
    def progress(total: int):
        if sys.stderr.isatty():
            from tqdm import tqdm

            return tqdm(total=total, unit="file", desc="Indexing", file=sys.stderr,
                        dynamic_ncols=True)
        return LineProgress(total, echo)
    return progress

