"""Copies of one report: the groups a build records (``indexer.copies`` writes them).

``groups.json`` beside the build's manifest maps each report id to its group (the smallest id
in it), whether it is the group's representative, how many files the group has, and what the
copy list of the report page shows (path, source site, format, script). Search reads it once
per build (``search.facets.FacetTable``) to count groups, not files.
"""
from __future__ import annotations

import json
from pathlib import Path

GROUPS = "groups.json"
SKETCHES = "sketches.npy"


def load_groups(folder) -> dict[str, dict]:
    """Return ``groups.json`` of the build at ``folder`` (empty when missing or unreadable)."""
    try:
        data = json.loads((Path(folder) / GROUPS).read_text(encoding="utf-8",
                                                            errors="surrogateescape"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
