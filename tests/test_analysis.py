"""The one text path: normalisation, tokenizer contract, offsets, script parity, phrase recall."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search import analysis
from search.query import Term

SENTENCES = [
    "深入推进高效办成一件事，全面落实证照分离改革。",
    "推行一网通办，国发〔2021〕5号文件要求双随机、一公开监管全覆盖。",
    "2024年度行政复议案件12345件，互联网+监管平台上线。",
    "市行政審批局以習近平新時代中國特色社會主義思想為指導，規范行政權力運行。",
]


def words(text, mode=""):
    return [t.text for t in analysis.word_analyzer()(text, mode=mode)]


def bigrams(text, mode=""):
    codes, open_end = analysis.bigram_codes(analysis.normalize(text), mode)
    return [(analysis.decode_bigram(c), open_end and n == len(codes) - 1)
            for n, c in enumerate(codes.tolist())]


@pytest.mark.parametrize("text, expected", [
    ("行政復議", "行政复议"),
    ("ＡＢＣ１２３", "abc123"),
    ("國發〔2021〕5號", "国发〔2021〕5号"),
    ("　全角空格", " 全角空格"),
    ("區(qū)域", "区(qū)域"),
    ("Law", "law"),
])
def test_normalize_folds_script_width_and_case(text, expected):
    assert analysis.normalize(text) == expected


@pytest.mark.parametrize("text", SENTENCES + ["㈠㈡ﬁ½İ𠀀", "\u3000\ufeff\x00 tail"])
def test_normalize_keeps_length(text):
    assert len(analysis.normalize(text)) == len(text)


def test_normalize_is_context_free():
    text = SENTENCES[3]
    norm = analysis.normalize(text)
    for i in range(len(text)):
        assert analysis.normalize(text[i:i + 5]) == norm[i:i + 5]


@pytest.mark.parametrize("text, expected", [
    ("国发〔2021〕5号", ["国", "发", "2021", "5", "号"]),
    ("高效办成一件事", ["高效办成一件事"]),
    ("双随机、一公开", ["双随机", "一公开"]),
    ("互联网+监管", ["互联网+监管"]),
    ("推行一网通办", ["推行", "一网通办"]),
    ("证照分离改革", ["证照分离", "改革"]),
    ("B类事项", ["b", "类", "事项"]),
])
def test_word_tokens_keep_policy_terms_digits_and_letters(text, expected):
    assert words(text) == expected


def test_bigram_tokens_cover_each_character_once():
    assert [text for text, _ in bigrams("一网通办。5号")] == ["一网", "网通", "通办", "办", "5号", "号"]


@pytest.mark.parametrize("text, expected", [
    ("办成一件", [("办成", False), ("成一", False), ("一件", False)]),
    ("2021年", [("20", False), ("02", False), ("21", False), ("1年", False)]),
    ("法", [("法", True)]),
    ("国发〔5", [("国发", False), ("发", False), ("5", True)]),
])
def test_bigram_query_tokens_leave_the_end_open(text, expected):
    assert bigrams(text, "query") == expected


@pytest.mark.parametrize("text", SENTENCES)
def test_tokenizer_contract_positions_and_offsets(text):
    tokens = [(t.text, t.pos, t.startchar, t.endchar)
              for t in analysis.word_analyzer()(text, positions=True, chars=True, start_pos=7,
                                                start_char=100)]
    assert [pos for _, pos, _, _ in tokens] == list(range(7, 7 + len(tokens)))
    norm = analysis.normalize(text)
    for token_text, _, start, end in tokens:
        assert 100 <= start < end <= 100 + len(text)
        assert norm[start - 100:end - 100] == token_text


def test_tokenizer_reuses_one_token_object():
    stream = analysis.word_analyzer()("推行一网通办")
    assert next(stream) is next(stream)


def test_traditional_and_simplified_give_the_same_tokens():
    trad = analysis.analyze("市行政審批局以習近平新時代中國特色社會主義思想為指導，規范行政權力運行。")
    simp = analysis.analyze("市行政审批局以习近平新时代中国特色社会主义思想为指导，规范行政权力运行。")
    assert trad.bigrams.tolist() == simp.bigrams.tolist()
    assert trad.words.tolist() == simp.words.tolist()


def test_segmented_text_yields_the_same_tokens_without_jieba_again():
    import pickle

    text = SENTENCES[1]
    pre = analysis.Segmented(text)
    assert words(pre) == words(text)
    assert analysis.analyze(pre).words.tolist() == analysis.analyze(text).words.tolist()
    assert pickle.loads(pickle.dumps(pre)).spans.tolist() == pre.spans.tolist()


def test_word_hashes_tell_words_apart_and_ignore_where_they_stand():
    text = "证照分离改革，证照分离。分离证照"
    norm = analysis.normalize(text)
    spans = analysis.segment_spans(text)
    hashes = dict(zip((norm[a:b] for a, b in spans.tolist()),
                      analysis.word_hashes(norm, spans).tolist()))
    assert len(set(hashes.values())) == len(hashes) >= 3
    assert analysis.analyze("证照分离", "query").words.tolist() == [hashes["证照分离"]]


@pytest.mark.parametrize("text, script", [
    (SENTENCES[3], "traditional"), (SENTENCES[0], "simplified"), ("2024", "simplified")])
def test_detect_script(text, script):
    assert analysis.detect_script(text) == script


def test_fingerprint_is_stable_and_short():
    assert analysis.fingerprint() == analysis.fingerprint()
    assert len(analysis.fingerprint()) == 16


@pytest.fixture(scope="module")
def sentence_index(tmp_path_factory):
    """A real index of the sentences above, one report file each."""
    from indexer.build import build_index
    from search.store import IndexHandle

    folder = tmp_path_factory.mktemp("sentences")
    for n, text in enumerate(SENTENCES):
        (folder / f"{n}.txt").write_text("无题\n" + text, encoding="utf-8")
    index_dir = folder / "index"
    build_index([folder], index_dir, jobs=1)
    return IndexHandle(index_dir)


def _find(handle, text):
    from search import facets
    from search.matching import term_matches

    snap = handle.snapshot()
    build, searcher = snap
    table = facets.facet_table(snap)
    found = term_matches(searcher, Term(text), table)
    return {searcher.stored_fields(d)["path"].rsplit("/", 1)[1][:-4] for d in found.docs()}


def test_recall_every_substring_finds_its_sentence(sentence_index):
    """The recall promise: every run of 2+ characters of a report finds the report as a phrase."""
    checked = 0
    for n, text in enumerate(SENTENCES):
        for i in range(len(text)):
            for j in range(i + 2, min(len(text), i + 9) + 1):
                span = text[i:j]
                if any(ch.isalnum() for ch in span):
                    assert str(n) in _find(sentence_index, span), span
                    checked += 1
    assert checked > 500


@pytest.mark.parametrize("query, expected", [
    ("依法行政", set()),
    ("办成一件", {"0"}),
    ("网通", {"1"}),
    ("行政復議", {"2"}),
    ("习近平新时代", {"3"}),
    ("国发〔2021〕5号", {"1"}),
    ("5号", {"1"}),
    ("双随机一公开", {"1"}),
    ("离改", {"0"}),
    ("一件事全面", {"0"}),          # between two query words the report may have punctuation
    ("一件事落实", set()),
])
def test_phrase_queries(sentence_index, query, expected):
    assert _find(sentence_index, query) == expected


def test_word_hashes_are_thread_safe_while_the_power_table_grows(monkeypatch):
    import threading

    import numpy as np

    from search import analysis

    texts = ["政" * n for n in range(2, 400, 7)]
    expected = [analysis.word_hashes(t, np.array([[0, len(t)]])).tolist() for t in texts]
    errors, results = [], {}

    def hash_all(k):
        try:
            results[k] = [analysis.word_hashes(t, np.array([[0, len(t)]])).tolist()
                          for t in (texts if k % 2 else texts[::-1])]
        except Exception as exc:                        # noqa: BLE001 - reported below
            errors.append(exc)
    for _ in range(5):
        monkeypatch.setattr(analysis, "_powers", np.ones(1, dtype=np.uint64))   # start small
        threads = [threading.Thread(target=hash_all, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        for k, got in results.items():
            assert got == (expected if k % 2 else expected[::-1])


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_normalized_points_are_the_code_points_of_the_normalised_text(text):
    from search.analysis import code_points, normalized_points

    assert normalized_points(text).tolist() == code_points(analysis.normalize(text)).tolist()


def test_folded_word_mask_is_the_word_mask_of_the_normal_form_for_every_code_point():
    """One lookup for the highlighter must say what normalising then asking says, for every
    code point there is (traditional, full-width, compatibility ideographs, marks, surrogates)."""
    import numpy as np

    from search.analysis import folded_word_mask, normalized_points, word_char_mask

    every = np.arange(0x110000, dtype="<u4")
    text = every.tobytes().decode("utf-32-le", "surrogatepass")
    expected = word_char_mask(normalized_points(text))
    assert expected.sum() > 100_000                       # the ideographs, at least
    assert np.array_equal(folded_word_mask(every), expected)
    sample = analysis.code_points("行政復議，ＡＢＣ１２３　⺀﹏")
    assert folded_word_mask(sample).tolist() == [True] * 4 + [False] + [True] * 6 + \
        word_char_mask(normalized_points("　⺀﹏")).tolist()
