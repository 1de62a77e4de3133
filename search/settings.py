"""Every tunable in one table, read the same way by the CLI, the indexer and the web app.

A setting's value comes from, in order: an explicit argument (CLI option or ``create_app`` config),
the environment variable ``POLICY_<NAME>`` (upper case), then the default here.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
            "Memory an indexing process may use (estimated MB) to write the postings of one "
            "segment; past it, it starts another segment."),
    Setting("term_cache_mb", 64,
            "Memory per index build for cached term results (repeated terms answer at once)."),
)

_BY_NAME = {s.name: s for s in SETTINGS}

# Aliases for the settings that people most often set from the shell.
_ENV_ALIASES = {"index_dir": ("POLICY_SEARCH_INDEX",)}


def get(name: str, override: Any = None) -> Any:
    """Return setting ``name``: ``override`` if given, else its environment variable, else default."""
    setting = _BY_NAME[name]
    if override is not None:
        return override
    for var in (ENV_PREFIX + name.upper(), *_ENV_ALIASES.get(name, ())):
        raw = os.environ.get(var)
        if raw not in (None, ""):
            return type(setting.default)(raw) if not isinstance(setting.default, str) else raw
    return setting.default


def index_dir(override: str | os.PathLike | None = None) -> Path:
    """Return the index directory as an absolute path."""
    return Path(get("index_dir", override)).expanduser().resolve()


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """Return the default report folder as an absolute path."""
    return Path(get("data_dir", override)).expanduser().resolve()
