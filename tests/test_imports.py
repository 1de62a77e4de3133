"""Imports go one way: web → indexer → search, and web → search; search imports neither."""
from __future__ import annotations

import ast

import pytest

from conftest import ROOT

ALLOWED = {"search": {"search"}, "indexer": {"indexer", "search"},
           "web": {"web", "indexer", "search"}}


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_go_one_way(package):
    own = set(ALLOWED)
    for path in sorted((ROOT / package).rglob("*.py")):
        bad = {name for name in _imports(path) if name in own} - ALLOWED[package]
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"
