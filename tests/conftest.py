"""Shared fixtures: the sample corpus, one real index built from it, a clean environment."""
from __future__ import annotations

import re
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


# --------------------------------------------------------------------------------------------
# What a query means, by brute force over the stored texts: the oracle of the matching tests

def run_stream(text: str) -> str:
    """A text as the bigram tokens see it: its runs of word characters, joined by NUL."""
    from search.analysis import normalize

    return "\x00".join(re.findall(r"[^\W_]+", normalize(text)))


def term_pattern(term: str) -> re.Pattern:
    """Where ``term`` occurs in a run stream: its characters in order, runs broken where the
    query breaks them, and optionally broken or joined between two of the query's jieba words
    (or two dictionary words inside one: 放管服改革 finds “放管服”改革)."""
    from search.analysis import inner_cuts, normalize, segment_spans

    norm = normalize(term)
    chars = [i for i, ch in enumerate(norm) if ch.isalnum()]
    word_ends = {end for _, end in segment_spans(term).tolist()}
    word_ends |= {start + cut for start, end in segment_spans(term).tolist()
                  for cut in inner_cuts(norm[start:end])}
    pattern = re.escape(norm[chars[0]])
    for a, b in zip(chars, chars[1:]):
        boundary = any(a < end <= b for end in word_ends)
        pattern += "\x00?" if boundary else ("" if b == a + 1 else "\x00")
        pattern += re.escape(norm[b])
    return re.compile(f"(?={pattern})")


def brute_force(searcher, tree) -> set[int]:
    """The live documents that match ``tree`` (a parsed query), by reading every stored text."""
    from search.query import Term

    docs = {}
    for docnum, stored in searcher.iter_docs():
        title = stored.get("title") or ""
        docs[docnum] = (run_stream(stored.get("content", "")), run_stream(title))

    def matches(node) -> set[int]:
        if isinstance(node, Term):
            pattern = term_pattern(node.text)
            return {d for d, (content, title) in docs.items()
                    if pattern.search(title) or (node.scope != "title" and pattern.search(content))}
        if node.op == "not":
            return set(docs) - matches(node.children[0])
        parts = [matches(c) for c in node.children]
        return set.union(*parts) if node.op == "or" else set.intersection(*parts)
    return matches(tree)
