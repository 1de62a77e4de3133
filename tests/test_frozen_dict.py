"""The frozen jieba table (search.frozen_dict) and the cached folding table give exactly what
the loaded dictionary and the freshly built table give."""
from __future__ import annotations

import numpy as np
import pytest

from search import analysis, folding, frozen_dict

from conftest import SAMPLE_DIR


@pytest.fixture(scope="module")
def loaded():
    return analysis._loaded_tokenizer()


@pytest.fixture(scope="module")
def frozen(loaded, tmp_path_factory):
    import jieba

    folder = tmp_path_factory.mktemp("frozen")
    frozen_dict.write(loaded.FREQ, loaded.total, folder, "k")
    table, total = frozen_dict.read(folder, "k")
    tok = jieba.Tokenizer()
    tok.FREQ, tok.total, tok.initialized = table, total, True
    return tok


def test_the_frozen_table_holds_every_word_and_prefix(loaded, frozen):
    assert frozen.total == loaded.total and len(frozen.FREQ) == len(loaded.FREQ)
    sample = list(loaded.FREQ.items())[::997]
    assert all(frozen.FREQ[w] == f and w in frozen.FREQ for w, f in sample)
    for missing in ("", "不是一个词的长串文字", "\x00", "a" * 200):
        assert missing not in frozen.FREQ and frozen.FREQ.get(missing, 7) == 7
    with pytest.raises(KeyError):
        frozen.FREQ["不是一个词的长串文字"]
    frozen.FREQ["新加的词"] = 3                       # jieba's add_word writes in front
    assert frozen.FREQ.get("新加的词") == 3


@pytest.mark.parametrize("path", sorted(SAMPLE_DIR.glob("*.txt")), ids=lambda p: p.name[:3])
def test_frozen_and_loaded_tokenizers_cut_the_sample_reports_alike(loaded, frozen, path):
    text = analysis.normalize(path.read_text(encoding="utf-8"))
    assert list(frozen.cut(text)) == list(loaded.cut(text))
    assert list(frozen.cut(text, HMM=False)) == list(loaded.cut(text, HMM=False))


def test_a_damaged_frozen_table_is_ignored(tmp_path):
    np.save(tmp_path / "jieba-frozen-k.keys.npy", np.array([b"a", b"b"]))
    np.save(tmp_path / "jieba-frozen-k.freq.npy", np.array([1, 2], dtype=np.int64))  # no total
    assert frozen_dict.read(tmp_path, "k") is None
    assert frozen_dict.read(tmp_path, "other") is None


def test_the_cached_folding_table_is_the_built_one(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folding.tables.cache_clear()
    try:
        written = folding.tables()                         # builds and writes the cache
        assert list((tmp_path / "policy-search").glob("folding-*.marshal"))
        folding.tables.cache_clear()
        read = folding.tables()                            # reads it back
        assert read == written == folding.build_tables()
        cache = next((tmp_path / "policy-search").glob("folding-*.marshal"))
        cache.write_bytes(b"damaged")
        folding.tables.cache_clear()
        assert folding.tables() == written                 # rebuilt, not trusted
    finally:
        folding.tables.cache_clear()
