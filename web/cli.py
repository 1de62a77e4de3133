"""The ``policy-search`` console script: the indexer's commands plus ``serve``.

The Click group lives in ``indexer.cli``; this module adds the web command to it, so the import
direction stays ``web → indexer → search``.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from indexer.cli import cli, index_dir_option, prepare_process, summary
from search import settings, store


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, envvar="POLICY_HOST",
              show_envvar=True, help="Address to listen on (0.0.0.0 for every interface).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              envvar="POLICY_PORT", show_envvar=True, help="Port to listen on (0: any free one).")
@index_dir_option
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              envvar="POLICY_DATA_DIR", show_envvar=True,
              help=f"Reports to index when there is no index yet "
                   f"[default: ./{settings.get('data_dir')}].")
@click.option("--threads", type=click.IntRange(1, 256), default=8, show_default=True,
              help="Threads of the waitress server (--workers 1). With --workers N, each "
                   "process answers one request at a time.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              envvar="POLICY_WORKERS", show_envvar=True,
              help="Worker processes. 1: waitress in this process; more: gunicorn workers "
                   "sharing the mapped index (Linux/Unix; pip install 'policy-search[workers]').")
def serve_command(host, port, index_dir, data_dir, threads, workers):
    """Serve the web app (search page, report pages, JSON API, CSV export) with waitress.

    With no index yet, one is built first from --data-dir (the bundled sample reports by
    default). A reindex run while serving is picked up without a restart.

    \b
    Examples:
      policy-search serve                          # http://127.0.0.1:8000/
      policy-search serve --host 0.0.0.0 --port 8080 --index-dir /srv/policy/index
      policy-search serve --workers 4              # 4 processes (gunicorn) for many clients
    """
    from web import create_app
    from web.serve import ensure_index, progress_factory, serve, serve_workers

    index_dir, data_dir = settings.index_dir(index_dir), settings.data_dir(data_dir)
    echo = lambda line: click.echo(line, err=True)      # noqa: E731 - status lines to stderr
    try:
        report = ensure_index(index_dir, data_dir, echo, progress_factory(echo))
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None
    except (store.IndexLocked, store.IndexWriteError, store.IndexNotFound) as exc:
        raise click.ClickException(str(exc)) from None
    if report is not None:
        echo(summary(report, index_dir))
    config = {"index_dir": index_dir, "data_dir": data_dir}
    try:
        if workers > 1:
            serve_workers(lambda: create_app(config), host=host, port=port, workers=workers,
                          echo=echo)
        else:
            serve(create_app(config), host=host, port=port, threads=threads, echo=echo)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"Cannot listen on {host}:{port}: {exc.strerror}. "
                                   "Is another server using it? Try --port.") from None


def main() -> None:
    """Console entry point of ``policy-search``."""
    prepare_process(sys.argv[1:])
    cli()
