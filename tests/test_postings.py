"""The postings file: what is written is what is read, through merges, deletions and segments."""
from __future__ import annotations

import random

import numpy as np
import pytest

from indexer import postings_builder
from indexer.postings_builder import PostingsBuilder
from search import facets
from search.analysis import analyze
from search.matching import evaluate
from search.postings import FieldPostings, SegmentPostings
from search.query import parse

from conftest import SAMPLE_DIR, brute_force, run_stream, term_pattern

TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SAMPLE_DIR.glob("*.txt"))]


def _pieces(rng: random.Random, count: int) -> list[str]:
    """Random slices of the sample reports (one of them traditional), some empty."""
    out = []
    for _ in range(count):
        text = rng.choice(TEXTS)
        start = rng.randrange(len(text))
        out.append(text[start:start + rng.choice([0, 5, 300, 2000])])
    return out


def _spans(rng: random.Random, docs: list[str], count: int) -> list[str]:
    spans = []
    while len(spans) < count:
        doc = rng.choice(docs)
        if len(doc) < 8:
            continue
        start = rng.randrange(len(doc) - 6)
        span = doc[start:start + rng.randint(1, 6)]
        if any(ch.isalnum() for ch in span):
            spans.append(span)
    return spans


def _counts(field: FieldPostings, term: str) -> list[int]:
    q = analyze(term, "query")
    return field.phrase_counts(q.bigrams, q.open_end, q.breaks).tolist()


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    rng = random.Random(3)
    docs = _pieces(rng, 60)
    builder = PostingsBuilder()
    for n, text in enumerate(docs):
        builder.add(n, {"content": text, "title": text[:12]})
    path = tmp_path_factory.mktemp("postings") / "seg.ptx"
    builder.write(path)
    return docs, SegmentPostings.open(path), path


def test_phrase_counts_are_the_occurrences_in_the_run_stream(written):
    docs, seg, _ = written
    streams = [run_stream(d) for d in docs]
    for span in _spans(random.Random(5), docs, 300):
        pattern = term_pattern(span)
        expected = [len(pattern.findall(s)) for s in streams]
        assert _counts(seg.field("content"), span) == expected, span


def test_word_counts_and_lengths_are_those_of_the_jieba_words(written):
    docs, seg, _ = written
    field = seg.field("content")
    for n, text in enumerate(docs):
        words = analyze(text).words
        assert field.lengths[n] == len(words)
        for word in set(words.tolist()[:20]):
            assert field.word_counts(word)[n] == int(np.count_nonzero(words == word))


def test_a_merged_segment_keeps_the_live_documents_renumbered(written):
    docs, seg, path = written
    live = np.array([n % 3 != 0 for n in range(len(docs))])
    builder = PostingsBuilder()
    builder.add(0, {"content": "开头的一份报告：证照分离改革。", "title": ""})
    builder.add_segment(seg, live)
    builder.add(builder.docs, {"content": "最后一份：行政复议。", "title": "行政复议"})
    builder.write(path.with_name("merged.ptx"))
    merged = SegmentPostings.open(path.with_name("merged.ptx"))
    kept = [d for d, alive in zip(docs, live) if alive]
    assert merged.docs == len(kept) + 2
    for name in ("content", "title"):
        for span in _spans(random.Random(9), kept, 60) + ["证照分离", "行政复议"]:
            direct = np.array(_counts(seg.field(name), span))[live].tolist()
            again = _counts(merged.field(name), span)
            assert again[1:-1] == direct, span
            assert again[0] == len(term_pattern(span).findall(run_stream(
                "开头的一份报告：证照分离改革。" if name == "content" else "")))
        assert merged.field(name).lengths[1:-1].tolist() == seg.field(name).lengths[live].tolist()
    word = int(analyze("行政复议").words[0])
    assert merged.field("title").word_counts(word).tolist()[-1] == 1


def test_merging_a_segment_whose_documents_are_all_deleted_adds_nothing(written):
    _, seg, path = written
    builder = PostingsBuilder()
    builder.add_segment(seg, np.zeros(seg.docs, dtype=bool))
    builder.add(0, {"content": "证照分离", "title": ""})
    builder.write(path.with_name("none.ptx"))
    merged = SegmentPostings.open(path.with_name("none.ptx"))
    assert merged.docs == 1 and _counts(merged.field("content"), "证照分离") == [1]


@pytest.mark.parametrize("chars", [300, 70_000])          # packed keys; the general path
def test_grouping_tokens_equals_sorting_by_code_and_position(chars):
    rng = np.random.default_rng(1)
    builder, all_codes, all_positions, at = postings_builder._FieldBuilder(), [], [], 0
    for size in rng.integers(0, 900, 40).tolist():
        first = rng.integers(0x4E00, 0x4E00 + chars, size).astype(np.uint64)
        second = rng.choice(np.array([0, 0x4E01, 0x4E02, 0x20000], dtype=np.uint64), size)
        codes = (first << np.uint64(21)) | second
        builder._add_tokens(codes, at)
        all_codes.append(codes)
        all_positions.append(np.arange(at, at + size))
        at += size + 1
    builder.next = at
    expected = postings_builder._group_by_code(np.concatenate(all_codes),
                                               np.concatenate(all_positions), wide=False)
    alphabet, keys, ptr, positions = builder._grouped_tokens()
    size = np.uint64(len(alphabet))
    codes = (alphabet[keys // size] << np.uint64(21)) | alphabet[keys % size]
    assert [codes.tolist(), ptr.tolist(), positions.tolist()] == [b.tolist() for b in expected]
    assert positions.dtype == np.uint32 and len(codes) > 1000


@pytest.mark.parametrize("damage", ["delete", "garble"])
def test_a_build_with_missing_or_damaged_postings_says_how_to_rebuild(corpus, tmp_path, damage):
    from indexer.build import build_index
    from search import engine
    from search.store import IndexHandle, IndexNotFound

    index_dir = tmp_path / "index"
    build_index([corpus], index_dir, jobs=1)
    [ptx] = (index_dir / "builds").glob("*/*.ptx")
    if damage == "delete":
        ptx.unlink()
    else:
        ptx.write_bytes(b"garbage" * 10)
    with pytest.raises(IndexNotFound, match=r"text postings of its live build are missing or "
                                            r"damaged .*policy-search index --rebuild"):
        engine.search(IndexHandle(index_dir), engine.SearchRequest(q="证照分离"))
    build_index([corpus], index_dir, rebuild=True, jobs=1)
    assert engine.search(IndexHandle(index_dir), engine.SearchRequest(q="证照分离")).total == 1


def test_a_damaged_file_is_refused(tmp_path):
    path = tmp_path / "bad.ptx"
    path.write_bytes(b"not postings at all")
    with pytest.raises(ValueError, match="not a postings file"):
        SegmentPostings.open(path)


# --------------------------------------------------------------------------------------------
# Through the real indexer: several segments, updates, deletions, Whoosh's merges

QUERIES = ["证照分离", "行政复议", "行政復議", "一网通办", "法", "双随机一公开", "title:报告",
           "营商环境 -证照分离", "改革 OR 复议", "12345", "不存在的词语组合"]


def _check(index_dir):
    from search.store import IndexHandle

    snap = IndexHandle(index_dir).snapshot()
    searcher, table = snap.searcher, facets.facet_table(snap)
    for q in QUERIES:
        tree = parse(q)
        assert set(evaluate(searcher, tree, table).to_dict()) == brute_force(searcher, tree), q
    return len(searcher.reader().leaf_readers())


def test_matches_stay_exact_through_updates_deletions_and_merges(tmp_path):
    from indexer.build import build_index

    rng = random.Random(11)
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    names, segments = [], []
    for batch in range(6):                     # six small reindexes: a small segment each
        for n in range(4):
            name = corpus / f"{batch}-{n}.txt"
            name.write_text("报告\n" + "。".join(_pieces(rng, 3)), encoding="utf-8")
            names.append(name)
        build_index([corpus], index_dir, jobs=1)
        segments.append(_check(index_dir))
    assert segments[-1] < len(segments), segments              # small segments were merged
    for name in names[::5]:
        name.unlink()                          # deletions
    for name in names[1::4]:
        if name.exists():
            name.write_text("报告\n证照分离改革，行政复议。" + _pieces(rng, 1)[0], encoding="utf-8")
    report = build_index([corpus], index_dir, jobs=1)
    assert report.removed and report.updated
    _check(index_dir)


def test_merges_take_only_small_segments_within_the_memory_budget(tmp_path, monkeypatch):
    """Full segments are never merged again; small ones are, two or more at a time, the new
    segment of a reindex with the old ones."""
    from indexer.build import build_index
    from search.store import IndexHandle

    monkeypatch.setenv("POLICY_WRITER_MEMORY_MB", "1")           # a segment per ~7 reports
    monkeypatch.setenv("POLICY_MERGE_MEMORY_MB", "2")            # small: under 512 KB
    rng = random.Random(5)
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    for n in range(30):
        (corpus / f"{n}.txt").write_text("报告\n" + "。".join(_pieces(rng, 12)), encoding="utf-8")

    def segment_sizes() -> list[int]:
        reader = IndexHandle(index_dir).searcher().reader()
        return sorted(leaf.doc_count_all() for leaf, _ in reader.leaf_readers())
    build_index([corpus], index_dir, jobs=1)
    full = segment_sizes()
    assert len(full) >= 4
    (corpus / "0.txt").write_text("报告\n证照分离改革。", encoding="utf-8")
    build_index([corpus], index_dir, jobs=1)
    assert sorted(segment_sizes()) == sorted(full + [1])             # nothing merged
    (corpus / "1.txt").write_text("报告\n行政复议。", encoding="utf-8")
    build_index([corpus], index_dir, jobs=1)                         # the new 1-report segment
    assert sorted(segment_sizes()) == sorted(full + [2])             # merged with the old one
    (corpus / "2.txt").write_text("报告\n一网通办。", encoding="utf-8")
    build_index([corpus], index_dir, jobs=1)
    assert sorted(segment_sizes()) == sorted(full + [3])
    _check(index_dir)


@pytest.mark.parametrize("step", ["add_segment", "finish"])
def test_a_failure_in_the_writer_s_own_thread_fails_the_reindex_and_keeps_the_build(
        tmp_path, monkeypatch, step):
    """Merging a segment's postings and finishing them run in the segment writer's thread
    beside Whoosh's own work: an error there reaches the reindex, which publishes nothing, and
    the previous build answers as before; the next reindex completes."""
    from indexer.build import build_index
    from search.store import IndexHandle

    rng = random.Random(9)
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    for n in range(6):
        (corpus / f"{n}.txt").write_text("报告\n" + "。".join(_pieces(rng, 10)), encoding="utf-8")
    build_index([corpus], index_dir, jobs=1)
    before = IndexHandle(index_dir).searcher().doc_count()
    (corpus / "new.txt").write_text("报告\n证照分离改革全面推开。", encoding="utf-8")
    original = getattr(PostingsBuilder, step)

    def failing(self, *args, **kwargs):
        if step == "finish" or len(args) == 2:
            raise RuntimeError(f"{step} failed")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(PostingsBuilder, step, failing)
    with pytest.raises(RuntimeError, match=f"{step} failed"):
        build_index([corpus], index_dir, jobs=1)
    handle = IndexHandle(index_dir)
    assert handle.searcher().doc_count() == before
    monkeypatch.setattr(PostingsBuilder, step, original)
    build_index([corpus], index_dir, jobs=1)
    assert IndexHandle(index_dir).searcher().doc_count() == before + 1
    _check(index_dir)


def test_a_build_s_small_segments_are_compacted_in_groups_within_the_budget(tmp_path,
                                                                           monkeypatch):
    """The segments one run writes are merged at its commit into as few as the merge budget
    allows: a group per budget, each merged alone (more than one group here), every query
    exact afterwards, every merged-away segment's files gone."""
    from indexer.build import build_index
    from indexer.postings_builder import merge_bytes
    from search.postings import EXT, postings_path
    from search.store import IndexHandle, current_build

    monkeypatch.setenv("POLICY_WRITER_MEMORY_MB", "1")
    monkeypatch.setenv("POLICY_MERGE_MEMORY_MB", "1")            # nothing is small: no merge
    rng = random.Random(8)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(72):
        (corpus / f"{n}.txt").write_text("报告\n" + "。".join(_pieces(rng, 12)), encoding="utf-8")
    unmerged = tmp_path / "unmerged"
    build_index([corpus], unmerged, jobs=1)
    build = current_build(unmerged).path
    reader = IndexHandle(unmerged).searcher().reader()
    sizes = [merge_bytes(postings_path(build, leaf.segment())) for leaf, _ in reader.leaf_readers()]
    assert len(sizes) >= 8
    # Every segment small (under a quarter of the budget); a group holds about four of them.
    budget_mb = -(-int(4.5 * max(sizes)) // 2 ** 20)
    monkeypatch.setenv("POLICY_MERGE_MEMORY_MB", str(budget_mb))
    index_dir = tmp_path / "index"
    build_index([corpus], index_dir, jobs=1)
    build = current_build(index_dir).path
    reader = IndexHandle(index_dir).searcher().reader()
    leaves = [leaf for leaf, _ in reader.leaf_readers()]
    assert 2 <= len(leaves) <= len(sizes) // 2
    assert all(merge_bytes(postings_path(build, leaf.segment())) <= budget_mb * 2 ** 20
               for leaf in leaves)
    assert sum(leaf.doc_count_all() for leaf in leaves) == 72
    assert len(list(build.glob("*" + EXT))) == len(leaves)
    _check(index_dir)


def test_a_hit_s_offsets_are_the_same_kept_from_matching_or_decoded_again(written):
    """Over packed positions: what ``phrase_counts(keep=…)`` kept gives each hit the offsets a
    fresh decoding of its window gives."""
    from search.postings import BuildPostings

    docs, seg, _ = written
    build = BuildPostings([(0, seg)], seg.docs)
    field = seg.field("content")
    for span in _spans(random.Random(11), docs, 120):
        q = analyze(span, "query")
        fresh = {n: build.phrase_offsets("content", q, n).tolist() for n in range(len(docs))}
        found: dict = {}
        counts = build.phrase_counts("content", q, keep=found)
        kept = {n: build.offsets_in("content", found, n).tolist() for n in range(len(docs))}
        assert fresh == kept, span
        assert [len(v) for v in kept.values()] == counts.tolist(), span
        starts = field.starts.astype(int).tolist()
        assert all(o < starts[n + 1] - starts[n] for n, v in kept.items() for o in v), span


def test_a_window_of_an_open_character_is_the_whole_block_cut_to_it(written):
    """``token_positions(code, prefix=True, window=…)`` reads only the blocks of each bigram
    run that reach into the window, and gives exactly the whole prefix block's positions
    inside it, sorted (every character of the segment, windows of every document and of
    stretches across documents, empty ones included)."""
    from search.analysis import CODE_BITS

    _, seg, _ = written
    field = seg.field("content")
    starts = field.starts.astype(int).tolist()
    windows = list(zip(starts[:-1], starts[1:])) + [(starts[3] + 5, starts[9] - 2), (0, 0),
                                                    (starts[-1], starts[-1] + 10)]
    found, longest = 0, 0
    for char in field.alphabet.tolist()[::3]:
        code = int(char) << CODE_BITS
        block = np.asarray(field.token_positions(code, prefix=True))
        longest = max(longest, len(block))
        for lo, hi in windows:
            want = np.sort(block[(block >= lo) & (block < hi)])
            got = field.token_positions(code, prefix=True, window=(lo, hi))
            assert got.tolist() == want.tolist(), (chr(char), lo, hi)
            found += len(want)
    assert found and longest > 4 * 64            # blocks of 64: windows cut long runs


def test_a_window_of_an_open_character_is_the_same_cut_from_the_kept_block(written,
                                                                           monkeypatch):
    """A character that begins many codes has its hits' windows cut from all its positions,
    decoded, sorted and kept once (``PREFIX_RUNS``): the same positions as decoding each
    code's blocks inside the window. The whole block is every code's run merged, ascending."""
    from search import packed, postings
    from search.analysis import CODE_BITS

    _, seg, _ = written
    field = seg.field("content")
    starts = field.starts.astype(int).tolist()
    windows = list(zip(starts[:-1], starts[1:])) + [(starts[3] + 5, starts[9] - 2), (0, 0)]
    monkeypatch.setattr(postings, "HOT_RUN", 1)
    packed.drop_decoded()
    cut = 0
    for char in field.alphabet.tolist()[::2]:
        code = int(char) << CODE_BITS
        ptr = field._prefix_ptr(code).tolist()
        runs = [field.positions.decode(a, b) for a, b in zip(ptr[:-1], ptr[1:])]
        merged = np.sort(np.concatenate(runs)) if runs else np.zeros(0, dtype=np.int64)
        for lo, hi in windows:
            monkeypatch.setattr(postings, "PREFIX_RUNS", 10 ** 9)
            decoded = field.token_positions(code, prefix=True, window=(lo, hi))
            monkeypatch.setattr(postings, "PREFIX_RUNS", 0)
            kept = field.token_positions(code, prefix=True, window=(lo, hi))
            want = merged[(merged >= lo) & (merged < hi)]
            assert decoded.tolist() == kept.tolist() == want.tolist(), (chr(char), lo, hi)
            cut += len(want) > 0 and len(runs) > 1
        assert field.token_positions(code, prefix=True).tolist() == merged.tolist(), chr(char)
    assert cut > 50                     # windows of characters that begin several codes


def test_a_file_of_another_format_is_refused_with_its_version(tmp_path, monkeypatch):
    from search import postings

    monkeypatch.setattr(postings, "VERSION", 2)
    builder = PostingsBuilder()
    builder.add(0, {"content": "证照分离", "title": ""})
    builder.write(tmp_path / "old.ptx")
    monkeypatch.undo()
    with pytest.raises(ValueError, match="postings of format 2, not 3: the build was made by "
                                         "another version"):
        SegmentPostings.open(tmp_path / "old.ptx")
    assert postings_builder.merge_bytes(tmp_path / "old.ptx") == 2 ** 62   # never merged
    postings.write_arrays(tmp_path / "v1.ptx", {}, {"docs": 0})      # format 1's header
    assert postings_builder.merge_bytes(tmp_path / "v1.ptx") == 2 ** 62   # never merged


@pytest.mark.parametrize("docs", [1, 65_535, 65_536, 65_537])
def test_word_postings_read_back_at_the_edges_of_documents_and_counts(tmp_path, docs):
    """Documents 0 and the last, counts of 1, 254, 255, 256 and far more, a word in one
    document and a word in every one: what the builder packs, every reader gives back, also
    through a merge that drops a document."""
    builder = PostingsBuilder()
    field = builder._fields["content"]
    for n in range(docs):
        for name in builder._fields:
            builder._fields[name].add_doc(n, None)
    builder.docs = docs
    last = docs - 1
    postings = {11: {0: 1}, 12: {last: 70_000}, 13: {0: 254, last // 2: 255, last: 256},
                14: {n: 1 + n % 300 for n in range(docs)}}
    for n in range(docs):                             # in document order, as ``add_doc`` does
        words = sorted(w for w, counts in postings.items() if n in counts)
        field._add_words(np.array(words, dtype=np.uint64), np.full(len(words), n, np.uint32),
                         np.array([postings[w][n] for w in words], dtype=np.uint32))
    builder.write(tmp_path / "edges.ptx")
    seg = SegmentPostings.open(tmp_path / "edges.ptx")
    read = seg.field("content")

    def expected(word: int, live=None) -> list[int]:
        dense = np.zeros(docs, dtype=np.int64)
        for n, count in postings.get(word, {}).items():
            dense[n] = count
        return (dense if live is None else dense[live]).tolist()
    for word in (11, 12, 13, 14, 15):
        assert read.word_counts(word).tolist() == expected(word), word
    assert read.word_frequencies(np.array([11, 12, 13, 14, 15], dtype=np.uint64)).tolist() == \
        [1, 1, len(postings[13]), docs, 0]
    assert read.word_ptr().tolist() == np.cumsum([0] + [len(postings[w]) for w in
                                                        (11, 12, 13, 14)]).tolist()
    assert read.wtf().tolist() == [c for w in (11, 12, 13, 14)
                                   for _, c in sorted(postings[w].items())]
    assert read.wdocs().tolist() == [n for w in (11, 12, 13, 14) for n in sorted(postings[w])]
    live = np.ones(docs, dtype=bool)
    live[0] = False
    merged = PostingsBuilder()
    merged.add_segment(seg, live)
    merged.write(tmp_path / "merged.ptx")
    again = SegmentPostings.open(tmp_path / "merged.ptx").field("content")
    for word in (11, 12, 13, 14):
        assert again.word_counts(word).tolist() == expected(word, live), word


def test_an_empty_field_and_a_one_posting_field_read_back(tmp_path):
    builder = PostingsBuilder()
    builder.add(0, {"content": "", "title": "法"})
    builder.add(1, {"content": "", "title": ""})
    builder.write(tmp_path / "tiny.ptx")
    seg = SegmentPostings.open(tmp_path / "tiny.ptx")
    content, title = seg.field("content"), seg.field("title")
    assert len(content.codes) == 0 and content.ptr.values().tolist() == [0]
    assert content.word_ptr().tolist() == [0] and content.wdocs().tolist() == []
    assert _counts(content, "法治") == [0, 0] and _counts(title, "法") == [1, 0]
    word = int(analyze("法").words[0])
    assert title.word_counts(word).tolist() == [1, 0] and content.word_counts(word).tolist() == [0, 0]


def test_a_common_word_s_postings_read_the_same_kept_or_decoded_anew(written):
    """Word postings of ``WORD_HOT_RUN`` values or more stay decoded in the LRU of
    ``search.packed``; dropping it (as ``bench.size --cold`` does) changes no count."""
    from search import packed, postings

    _, seg, _ = written
    field = seg.field("content")
    sizes = np.diff(field.word_ptr())
    common = int(field.words[int(np.argmax(sizes))])
    assert sizes.max() >= postings.WORD_HOT_RUN
    packed.drop_decoded()
    first = field.word_counts(common)
    assert packed._hot and packed._hot_size[0] > 0
    assert field.word_counts(common).tolist() == first.tolist()
    packed.drop_decoded()
    assert not packed._hot and field.word_counts(common).tolist() == first.tolist()
    assert int(first.sum()) == int(field.wtf()[field.word_ptr()[int(np.argmax(sizes))]:][
        :int(sizes.max())].sum())
