"""Shared fixtures: the sample corpus, one real index built from it, a clean environment."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "data" / "sample"


def sample(prefix: str) -> Path:
    """Return the sample report whose file name starts with ``prefix`` (000 … 004)."""
    return next(SAMPLE_DIR.glob(prefix + "_*.txt"))


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    """Settings come from POLICY_* variables: tests must not see the developer's."""
    import os

    for name in list(os.environ):
        if name.startswith("POLICY_"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def sample_corpus(tmp_path_factory) -> Path:
    """A private copy of the five sample reports."""
    target = tmp_path_factory.mktemp("corpus") / "sample"
    shutil.copytree(SAMPLE_DIR, target)
    return target


@pytest.fixture()
def corpus(tmp_path) -> Path:
    """A per-test copy of the five sample reports, free to modify."""
    target = tmp_path / "corpus"
    shutil.copytree(SAMPLE_DIR, target)
    return target


@pytest.fixture(scope="session")
def built_index(sample_corpus, tmp_path_factory) -> Path:
    """An index directory built once from the sample corpus (do not modify it in tests)."""
    from indexer.build import build_index

    index_dir = tmp_path_factory.mktemp("index")
    report = build_index([sample_corpus], index_dir, jobs=1)
    assert report.added == 5 and not report.skipped, report
    return index_dir


@pytest.fixture()
def handle(built_index):
    from search.store import IndexHandle

    return IndexHandle(built_index)
