"""The one text path: normalisation, tokenizer contract, offsets, script parity, phrase recall."""
from __future__ import annotations

import pytest
from whoosh.filedb.filestore import RamStorage

from search import analysis
from search.query import Term, term_query
from search.schema import build_schema

SENTENCES = [
    "深入推进高效办成一件事，全面落实证照分离改革。",
    "推行一网通办，国发〔2021〕5号文件要求双随机、一公开监管全覆盖。",
    "2024年度行政复议案件12345件，互联网+监管平台上线。",
    "市行政審批局以習近平新時代中國特色社會主義思想為指導，規范行政權力運行。",
]


def words(text, mode=""):
    return [t.text for t in analysis.word_analyzer()(text, mode=mode)]


def bigrams(text, mode=""):
    return [t.text for t in analysis.bigram_analyzer()(text, mode=mode)]


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
    assert bigrams("一网通办。5号") == ["一网", "网通", "通办", "办", "5号", "号"]


@pytest.mark.parametrize("text, expected", [
    ("办成一件", [("办成", False), ("成一", False), ("一件", False)]),
    ("2021年", [("20", False), ("02", False), ("21", False), ("1年", False)]),
    ("法", [("法", True)]),
    ("国发〔5", [("国发", False), ("发", False), ("5", True)]),
])
def test_bigram_query_tokens_leave_the_end_open(text, expected):
    assert analysis.query_tokens(analysis.bigram_analyzer(), text) == expected


@pytest.mark.parametrize("analyzer", [analysis.word_analyzer(), analysis.bigram_analyzer()])
@pytest.mark.parametrize("text", SENTENCES)
def test_tokenizer_contract_positions_and_offsets(analyzer, text):
    tokens = [(t.text, t.pos, t.startchar, t.endchar)
              for t in analyzer(text, positions=True, chars=True, start_pos=7, start_char=100)]
    assert [pos for _, pos, _, _ in tokens] == list(range(7, 7 + len(tokens)))
    norm = analysis.normalize(text)
    for token_text, _, start, end in tokens:
        assert 100 <= start < end <= 100 + len(text)
        assert norm[start - 100:end - 100] == token_text


def test_tokenizer_reuses_one_token_object():
    stream = analysis.bigram_analyzer()("一网通办")
    assert next(stream) is next(stream)


@pytest.mark.parametrize("analyzer", [analysis.word_analyzer(), analysis.bigram_analyzer()])
def test_traditional_and_simplified_give_the_same_tokens(analyzer):
    trad = "市行政審批局以習近平新時代中國特色社會主義思想為指導，規范行政權力運行。"
    simp = "市行政审批局以习近平新时代中国特色社会主义思想为指导，规范行政权力运行。"
    assert [t.text for t in analyzer(trad)] == [t.text for t in analyzer(simp)]


def test_segmented_text_yields_the_same_tokens_without_jieba_again():
    text = SENTENCES[1]
    pre = analysis.Segmented(text)
    assert words(pre) == words(text)
    import pickle
    assert pickle.loads(pickle.dumps(pre)).spans == pre.spans


@pytest.mark.parametrize("text, script", [
    (SENTENCES[3], "traditional"), (SENTENCES[0], "simplified"), ("2024", "simplified")])
def test_detect_script(text, script):
    assert analysis.detect_script(text) == script


def test_fingerprint_is_stable_and_short():
    assert analysis.fingerprint() == analysis.fingerprint()
    assert len(analysis.fingerprint()) == 16


@pytest.fixture(scope="module")
def ram_index():
    schema = build_schema()
    ix = RamStorage().create_index(schema)
    with ix.writer() as w:
        for n, text in enumerate(SENTENCES):
            w.add_document(id=str(n), path=str(n), content=text, content_bigrams=text,
                           title="", title_bigrams="")
    return ix


def _find(ix, text):
    with ix.searcher() as s:
        return {hit["id"] for hit in s.search(term_query(Term(text), ix.schema), limit=None)}


def test_recall_every_substring_finds_its_sentence(ram_index):
    """The recall promise: every run of 2+ characters of a report finds the report as a phrase."""
    checked = 0
    for n, text in enumerate(SENTENCES):
        for i in range(len(text)):
            for j in range(i + 2, min(len(text), i + 9) + 1):
                span = text[i:j]
                if any(ch.isalnum() for ch in span):
                    assert str(n) in _find(ram_index, span), span
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
    ("一件事全面", set()),
])
def test_phrase_queries(ram_index, query, expected):
    assert _find(ram_index, query) == expected


@pytest.mark.parametrize("name", ["content", "content_bigrams", "title", "title_bigrams"])
@pytest.mark.parametrize("text", SENTENCES + [""])
def test_fast_field_postings_equal_whoosh_generic_postings(name, text):
    """PolicyText.index must give exactly what Whoosh's generic path makes of the analyzer."""
    from whoosh.fields import TEXT

    field = build_schema()[name]
    generic = sorted(TEXT.index(field, text))
    assert sorted(field.index(text)) == generic
    assert sorted(field.index(analysis.Segmented(text))) == generic
