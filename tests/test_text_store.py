"""The report texts (search/text_store.py, indexer/text_builder.py): every text comes back as it
went in, through dictionaries, merges and deletions; a damaged file says how to rebuild."""
from __future__ import annotations

import random
import re

import numpy as np
import pytest

from indexer import text_builder
from indexer.text_builder import TextBuilder
from search import engine
from search.store import IndexHandle, IndexNotFound
from search.text_store import SegmentTexts, TextStoreDamaged

from conftest import SAMPLE_DIR

SAMPLES = [p.read_text(encoding="utf-8") for p in sorted(SAMPLE_DIR.glob("*.txt"))]
#: Texts a report can hold that are easy to lose: none at all, traditional script, characters
#: past the BMP (CJK Extension B, emoji), an undecodable byte kept as a lone surrogate, a
#: NUL, Windows line ends and a long report.
ODD = ["", "行政復議與執法監督，嚴格規範公正文明執法。", "𠀀𪚥𰻞 — 😀 法治", "坏字节\udcff之后",
       "a\x00b", "第一行\r\n第二行\r\n", "依法行政" * 20_000]


@pytest.fixture()
def small_training(monkeypatch):
    """Dictionaries trained on 256 KB of reports, from 64 KB on: the tests stay fast."""
    monkeypatch.setattr(text_builder, "TRAIN_BYTES", 256 * 1024)
    monkeypatch.setattr(text_builder, "MIN_TRAIN_BYTES", 64 * 1024)


def _reports(seed: int, count: int) -> list[str]:
    """Slices of the sample reports (one of them traditional), the odd texts among them (the
    long one only among many)."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        text = rng.choice(SAMPLES)
        start = rng.randrange(len(text))
        out.append(text[start:start + rng.choice([5, 2000, 6000])])
    for n, odd in enumerate(ODD if count > 50 else ODD[:-1]):
        out.insert(n * 7 % (len(out) + 1), odd)
    return out


def _write(path, texts: list[str]) -> SegmentTexts:
    builder = TextBuilder()
    for n, text in enumerate(texts):
        builder.add(n, text)
    builder.write(path)
    return SegmentTexts(path)


@pytest.mark.parametrize("count", [3, 200])           # no dictionary; a trained one
def test_every_text_comes_back_exactly(tmp_path, small_training, count):
    texts = _reports(1, count)
    stored = _write(tmp_path / "seg.txs", texts)
    assert bool(stored.dictionary) == (count == 200)
    assert [stored.text(n) for n in range(len(texts))] == texts
    assert stored.docs == len(texts) and stored.frame(texts.index("")) == b""   # empty: none
    utf8 = sum(len(t.encode("utf-8", "surrogatepass")) for t in texts)
    assert stored.path.stat().st_size < 0.6 * utf8


def test_a_merge_copies_frames_of_its_dictionary_and_recompresses_the_others(tmp_path,
                                                                             small_training):
    first = _write(tmp_path / "a.txs", a := _reports(2, 120))
    second = _write(tmp_path / "b.txs", b := _reports(3, 90))
    tiny = _write(tmp_path / "c.txs", c := ["报告", "", "第三份"])
    assert first.dictionary and second.dictionary != first.dictionary and not tiny.dictionary
    live = {name: np.array([n % 3 != 1 for n in range(len(t))]) for name, t in
            (("a", a), ("b", b), ("c", c))}
    builder = TextBuilder()
    builder.adopt(first)
    for texts, name in ((tiny, "c"), (first, "a"), (second, "b")):
        builder.add_segment(texts, live[name])
    builder.write(tmp_path / "merged.txs")
    merged = SegmentTexts(tmp_path / "merged.txs")
    expected = [t for name, texts in (("c", c), ("a", a), ("b", b))
                for t, keep in zip(texts, live[name]) if keep]
    assert [merged.text(n) for n in range(merged.docs)] == expected
    assert merged.dictionary == first.dictionary
    kept_a = [n for n in range(len(a)) if live["a"][n]]
    offset = int(live["c"].sum())
    assert all(merged.frame(offset + i) == first.frame(n) for i, n in enumerate(kept_a))


def test_the_memory_a_builder_holds_is_its_held_texts_then_its_frames(small_training):
    """``TextBuilder.nbytes`` (counted with the postings when a segment is closed for size)
    is the UTF-8 held before the dictionary is trained, and the compressed frames after."""
    builder, texts = TextBuilder(), _reports(4, 200)
    held = 0
    for n, text in enumerate(texts):
        builder.add(n, text)
        held += len(text.encode("utf-8", "surrogatepass"))
        if builder._compressor is None:
            assert builder.nbytes == held
    assert builder._compressor is not None                  # trained on the way
    assert builder.nbytes == sum(len(f) for f in builder._frames) < held


def test_documents_must_come_in_order(tmp_path):
    builder = TextBuilder()
    builder.add(0, "一")
    with pytest.raises(ValueError, match="document 2 came after 0"):
        builder.add(2, "二")


@pytest.mark.parametrize("damage, message", [
    (lambda data: b"", "is empty"),
    (lambda data: b"garbage" * 10, "is not a text file of this index"),
    (lambda data: data[:-100], "do not add up to its size"),
    (lambda data: data[:40], "cut short|header is unreadable"),
    (lambda data: re.sub(rb'"docs": \d+', b'"docs": -9', data, count=1), "header is unreadable"),
])
def test_a_damaged_file_is_refused_when_opened(tmp_path, small_training, damage, message):
    path = tmp_path / "seg.txs"
    _write(path, _reports(4, 50))
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(TextStoreDamaged, match=message):
        SegmentTexts(path)


def test_a_damaged_dictionary_is_refused_when_opened_or_read(tmp_path, small_training):
    path = tmp_path / "seg.txs"
    texts = _reports(6, 60)
    assert _write(path, texts).dictionary
    data = path.read_bytes()
    at = data.index(b"\x37\xa4\x30\xec")                  # the dictionary's magic number
    path.write_bytes(data[:at + 8] + bytes(64) + data[at + 72:])    # its entropy tables
    with pytest.raises(TextStoreDamaged, match="dictionary is unusable|does not decompress"):
        stored = SegmentTexts(path)
        for n in range(len(texts)):
            assert stored.text(n) == texts[n]


def test_a_damaged_frame_is_refused_when_read(tmp_path, small_training):
    path = tmp_path / "seg.txs"
    texts = _reports(5, 50)
    longest = max(range(len(texts)), key=lambda n: len(texts[n]))
    frame = _write(path, texts).frame(longest)
    data = bytearray(path.read_bytes())
    data[data.find(frame) + len(frame) // 2] ^= 0xFF           # inside the longest one's frame
    path.write_bytes(bytes(data))
    stored = SegmentTexts(path)
    assert [stored.text(n) for n in range(len(texts)) if n != longest] == [
        t for n, t in enumerate(texts) if n != longest]           # the others still read
    with pytest.raises(TextStoreDamaged, match=f"the text of document {longest} does not "
                                               "decompress"):
        stored.text(longest)


# --------------------------------------------------------------------------------------------
# Through the real indexer

def _expected_texts(corpus) -> dict[str, str]:
    from indexer.pipeline import process_file

    records = [process_file(str(p), 10**8) for p in sorted(corpus.rglob("*.txt"))]
    return {r["path"]: r["_stored_content"] for r in records if isinstance(r, dict)}


def _texts_by_path(index_dir) -> dict[str, str]:
    searcher = IndexHandle(index_dir).searcher()
    return {stored["path"]: stored["content"] for stored in searcher.all_stored_fields()}


def test_reports_keep_their_text_through_updates_deletions_and_merges(corpus, tmp_path,
                                                                      monkeypatch, small_training):
    from indexer.build import build_index
    from search import store
    from search.text_store import EXT, texts_path

    monkeypatch.setenv("POLICY_WRITER_MEMORY_MB", "1")             # small segments: merges
    index_dir = tmp_path / "index"
    rng = random.Random(9)
    for n in range(12):
        (corpus / f"extra{n}.txt").write_text(f"某县{2015 + n % 9}年度法治政府建设情况报告\n"
                                              + "".join(_reports(n, 3)), encoding="utf-8",
                                              errors="surrogateescape")      # a raw 0xFF byte
    build_index([corpus], index_dir, jobs=1)
    for step in range(4):                                          # updates, deletions, merges
        (corpus / f"extra{step}.txt").unlink()
        (corpus / f"extra{step + 4}.txt").write_text("報告\n" + rng.choice(ODD[1:]),
                                                     encoding="utf-8", errors="surrogateescape")
        (corpus / f"new{step}.txt").write_text(f"新增{step}\n" + SAMPLES[step][:3000],
                                               encoding="utf-8")
        build_index([corpus], index_dir, jobs=1)
        found = _texts_by_path(index_dir)
        assert found == _expected_texts(corpus) and len(found) >= 12
    build = store.current_build(index_dir).path
    ix = store.open_build(store.Build(build, {}))
    segments = [s for s in ix._segments() if s.doc_count_all()]
    assert {p.name for p in build.glob("*" + EXT)} == {texts_path(build, s).name
                                                       for s in segments}
    assert "content" not in ix.reader().stored_fields(0)           # not in Whoosh's fields


@pytest.mark.parametrize("damage, detail", [("cut", "do not add up"),
                                            ("another segment's", "holds 1 texts for a segment "
                                                                  "of 5 documents"),
                                            ("deleted", "No such file")])
def test_a_build_with_damaged_texts_says_how_to_rebuild(corpus, tmp_path, damage, detail):
    from indexer.build import build_index

    index_dir = tmp_path / "index"
    build_index([corpus], index_dir, jobs=1)
    [txs] = (index_dir / "builds").glob("*/*.txs")
    if damage == "cut":
        txs.write_bytes(txs.read_bytes()[:-10])
    elif damage == "deleted":
        txs.unlink()
    else:
        _write(txs, ["只有一份"])
    with pytest.raises(IndexNotFound, match=r"report texts of its live build are missing or "
                                            rf"damaged \(.*{detail}.*\); rebuild it with "
                                            r"`policy-search index --rebuild"):
        engine.search(IndexHandle(index_dir), engine.SearchRequest(q="证照分离"))
    build_index([corpus], index_dir, rebuild=True, jobs=1)
    results = engine.search(IndexHandle(index_dir), engine.SearchRequest(q="证照分离"))
    assert results.total == 1 and "证照分离" in results.hits[0].fragments[0]["text"]


def test_the_web_app_answers_a_damaged_text_file_with_its_hint(corpus, tmp_path):
    from indexer.build import build_index
    from web import create_app

    index_dir = tmp_path / "index"
    build_index([corpus], index_dir, jobs=1)
    [txs] = (index_dir / "builds").glob("*/*.txs")
    txs.write_bytes(b"garbage")
    client = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()
    response = client.get("/api/search?q=证照分离")
    assert response.status_code == 503
    assert "policy-search index --rebuild" in response.get_json()["message"]


def test_a_build_made_before_the_text_files_is_served_then_rebuilt(corpus, tmp_path,
                                                                   monkeypatch):
    """A schema-8 build kept each text in Whoosh's stored fields and has no text files: it is
    still searched (marked outdated), and the next reindex rebuilds it in the new format."""
    import json

    from indexer.build import build_index
    from search import schema, store
    from search.analysis import word_analyzer

    new_schema = schema.build_schema

    def old_schema():
        built = new_schema()
        built.remove("content")
        built.add("content", schema.PolicyText(word_analyzer()))          # stored by Whoosh
        return built
    monkeypatch.setattr(schema, "build_schema", old_schema)
    index_dir = tmp_path / "index"
    first = build_index([corpus], index_dir, jobs=1)
    build = index_dir / "builds" / first.build
    for txs in build.glob("*.txs"):
        txs.unlink()
    meta = json.loads((build / "meta.json").read_text())
    (build / "meta.json").write_text(json.dumps({**meta, "schema_version": 8}))
    monkeypatch.setattr(schema, "build_schema", new_schema)
    results = engine.search(IndexHandle(index_dir), engine.SearchRequest(q="证照分离"))
    assert results.total == 1 and "证照分离" in results.hits[0].fragments[0]["text"]
    assert results.warnings                                          # outdated: rebuild
    report = build_index([corpus], index_dir, jobs=1)
    assert report.full and report.added == 5
    live = store.current_build(index_dir).path
    assert list(live.glob("*.txs"))
    assert "content" not in store.open_build(store.Build(live, {})).reader().stored_fields(0)


def test_stored_fields_are_read_only_through_the_searcher():
    """``store.ReportSearcher`` is what puts the text into a report's stored fields: reading
    them from a Whoosh reader directly (anywhere but there) would lose it."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    bypass = re.compile(r"reader(\(\))?\.(stored_fields|all_stored_fields|iter_docs)\(")
    found = [f"{path.relative_to(root)}:{n}" for folder in ("search", "indexer", "web")
             for path in sorted((root / folder).rglob("*.py")) if path.name != "store.py"
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if bypass.search(line)]
    assert found == []
