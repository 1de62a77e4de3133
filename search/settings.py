"""Every tunable in one table, read the same way by the CLI, the indexer and the web app.

A setting's value comes from, in order: an explicit argument (CLI option or ``create_app`` config),
the environment variable ``POLICY_<NAME>`` (upper case), then the default here. Every value is
checked (type and range) where it is read, so a bad one is a ``SettingsError`` naming the
variable, never a 500 on some later request. The web app reads its settings once at start-up
(``load``) and serves each request under them (``use``), so its config wins over the
environment in every module that asks ``get``.
"""
from __future__ import annotations

import contextlib
import contextvars
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping

ENV_PREFIX = "POLICY_"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("index_dir", "var/index",
            "Where the index lives (relative paths are taken from the working directory). "
            "Also POLICY_SEARCH_INDEX."),
    Setting("data_dir", "data/sample",
            "Report folder indexed when `index` or `serve` is given no path."),
    Setting("max_file_bytes", 20 * 1024 * 1024,
            "Files larger than this many bytes are skipped with a reason (default 20 MiB)."),
    Setting("max_pages", 2000,
            "PDFs with more pages than this are skipped with a reason."),
    Setting("max_ocr_pages", 100,
            "At most this many scanned pages of one PDF are OCR-read (the first ones); a note on "
            "the report says how many were left out. 0 turns OCR off."),
    Setting("page_size", 10, "Hits per page when none is asked for."),
    Setting("max_page_size", 100, "Largest page size a request may ask for."),
    Setting("max_page", 1000, "Highest page number a request may ask for."),
    Setting("max_query_chars", 200, "Longest query text accepted, in characters."),
    Setting("max_terms", 16, "Most terms and phrases one query may contain."),
    Setting("fragment_count", 3, "Highlighted fragments shown per hit."),
    Setting("fragment_chars", 120, "Longest highlighted fragment, in characters."),
    Setting("facet_size", 40, "Most values shown per facet (the rest are counted as truncated)."),
    Setting("trend_max_queries", 6, "Most queries one trend compares."),
    Setting("trend_low_reports", 10,
            "A year (or cell) of a trend with fewer reports than this is marked as noise-prone."),
    Setting("writer_memory_mb", 320,
            "Memory an indexing process may use (estimated MB) to write the postings and texts of one "
            "segment; past it, it starts another segment."),
    Setting("merge_memory_mb", 2048,
            "Memory (estimated MB) one merge of small segments may use when an index run "
            "commits; fewer, larger segments answer queries faster (10,000 reports: one "
            "segment instead of eight)."),
    Setting("term_cache_mb", 64,
            "Memory per index build for cached term results (repeated terms answer at once)."),
    Setting("max_filter_values", 50,
            "Most values one filter may have in a request (e.g. `year=` repeated)."),
    Setting("public_url", "",
            "Public address of the web app (e.g. `https://reports.example.org`), for the absolute "
            "links of the CSV export; empty: relative links."),
)

_BY_NAME = {s.name: s for s in SETTINGS}

# Aliases for the settings that people most often set from the shell.
_ENV_ALIASES = {"index_dir": ("POLICY_SEARCH_INDEX",)}


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names it and how to fix it."""


#: The settings of the web app serving the current request (see ``use``); None elsewhere.
_ACTIVE: contextvars.ContextVar[dict | None] = contextvars.ContextVar("policy_settings",
                                                                     default=None)


def get(name: str, override: Any = None) -> Any:
    """Return setting ``name``: ``override`` if given, else the active settings (``use``), else
    its environment variable, else its default.

    :raises SettingsError: the value given is not of the setting's type or out of range.
    """
    setting = _BY_NAME[name]
    if override is not None:
        return _checked(setting, override, "the value given for " + name)
    active = _ACTIVE.get()
    if active is not None and name in active:
        return active[name]
    for var in (ENV_PREFIX + name.upper(), *_ENV_ALIASES.get(name, ())):
        raw = os.environ.get(var)
        if raw not in (None, ""):
            return _checked(setting, raw, var)
    return setting.default


def load(overrides: Mapping[str, Any] | None = None) -> dict:
    """Read and check every setting once: ``overrides`` (any key case) over the environment.

    :raises SettingsError: naming the first bad value, at start-up rather than per request.
    """
    given = {key.lower(): value for key, value in (overrides or {}).items()}
    return {s.name: get(s.name, given.get(s.name)) for s in SETTINGS}


@contextlib.contextmanager
def use(values: dict) -> Iterator[None]:
    """Make ``values`` (from ``load``) the settings every ``get`` sees in this context."""
    token = _ACTIVE.set(values)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def _checked(setting: Setting, raw: Any, source: str) -> Any:
    """Convert ``raw`` to the setting's type; numbers must be whole and at least 1."""
    if isinstance(setting.default, str):
        if isinstance(raw, os.PathLike):
            raw = os.fspath(raw)
        if not isinstance(raw, str):
            raise SettingsError(f"{source} must be text, not {raw!r}.")
        return raw
    try:
        value = int(raw.strip() if isinstance(raw, str) else raw)
        if isinstance(raw, (bool, float)) or value < 1:
            raise ValueError
    except (TypeError, ValueError):
        raise SettingsError(f"{source}={raw!r} is not a whole number of at least 1; unset it or "
                            f"set it like {ENV_PREFIX}{setting.name.upper()}={setting.default}."
                            ) from None
    return value


def index_dir(override: str | os.PathLike | None = None) -> Path:
    """Return the index directory as an absolute path."""
    return Path(get("index_dir", override)).expanduser().resolve()


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """Return the default report folder as an absolute path."""
    return Path(get("data_dir", override)).expanduser().resolve()
