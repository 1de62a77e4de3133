"""Query syntax for Chinese users: parse trees, clear errors, highlight patterns."""
from __future__ import annotations

import re

import pytest

from search.query import Node, QueryError, Term, parse, positive_terms
from search.schema import build_schema

SCHEMA = build_schema()


@pytest.mark.parametrize("text, tree", [
    ("", None),
    ("   ", None),
    ("*", None),
    ("证照分离", Term("证照分离")),
    ("证照分离 行政复议", Node("and", (Term("证照分离"), Term("行政复议")))),
    ("证照分离　行政复议", Node("and", (Term("证照分离"), Term("行政复议")))),
    ("证照分离 OR 一网通办", Node("or", (Term("证照分离"), Term("一网通办")))),
    ("证照分离 或 一网通办", Node("or", (Term("证照分离"), Term("一网通办")))),
    ("复议 -诉讼", Node("and", (Term("复议"), Node("not", (Term("诉讼"),))))),
    ("复议 NOT 诉讼", Node("and", (Term("复议"), Node("not", (Term("诉讼"),))))),
    ('"高效办成 一件事"', Term("高效办成 一件事")),
    ("“高效办成一件事”", Term("高效办成一件事")),
    ("「证照分离」", Term("证照分离")),
    ("『证照分离』", Term("证照分离")),
    ("title:营商环境", Term("营商环境", "title")),
    ("title：营商环境", Term("营商环境", "title")),
    ('title:"营商 环境"', Term("营商 环境", "title")),
    ("（证照分离 OR 一网通办） 复议",
     Node("and", (Node("or", (Term("证照分离"), Term("一网通办"))), Term("复议")))),
    ("国发〔2021〕5号", Term("国发〔2021〕5号")),
])
def test_parse(text, tree):
    assert parse(text) == tree


@pytest.mark.parametrize("text, message", [
    ('"证照分离', "Unbalanced quote"),
    ("(证照分离", "a “(” is never closed"),
    ("(", "a “(” is never closed"),
    ("（", "a “(” is never closed"),
    (")", "a “)” has no matching “(”"),
    ("证照分离 )", "a “)” has no matching “(”"),
    ("证照分离)", "a “)” has no matching “(”"),
    ("OR 证照分离", "OR needs a term on both sides"),
    ("证照分离 OR", "OR needs a term on both sides"),
    ("NOT", "NOT needs a term after it"),
    ("()", "Empty parentheses"),
    ("foo:bar", "Unknown field “foo:”"),
    ("证" * 201, "the limit is 200"),
    (" ".join(["法治"] * 17), "the limit is 16"),
    ("(" * 9 + "a" + ")" * 9, "Too many nested parentheses"),
])
def test_malformed_queries_get_a_clear_message(text, message):
    with pytest.raises(QueryError, match=re.escape(message)):
        parse(text)


def test_positive_terms_skip_negated_ones():
    assert positive_terms(parse("复议 -诉讼 OR title:营商")) == [Term("复议"), Term("营商", "title")]


# --- traps found on real report text ---------------------------------------------------------

@pytest.mark.parametrize("text, tree", [
    # the scope of title:(…) applies to the whole group (it used to search the body)
    ("title:(证照分离 OR 一网通办)",
     Node("or", (Term("证照分离", "title"), Term("一网通办", "title")))),
    ("标题：（证照分离 一网通办）",
     Node("and", (Term("证照分离", "title"), Term("一网通办", "title")))),
    ("-title:(证照分离 OR 一网通办) 复议",
     Node("and", (Node("not", (Node("or", (Term("证照分离", "title"),
                                           Term("一网通办", "title"))),)), Term("复议")))),
    ("title:(证照分离 OR (一网通办 复议))",
     Node("or", (Term("证照分离", "title"),
                 Node("and", (Term("一网通办", "title"), Term("复议", "title")))))),
])
def test_scope_applies_to_a_group(text, tree):
    assert parse(text) == tree


def test_unknown_scope_on_a_group_says_what_to_type():
    with pytest.raises(QueryError, match="title:"):
        parse("body:(证照分离 OR 一网通办)")


@pytest.fixture(scope="module")
def trap_index(tmp_path_factory):
    """A real index of constructed reports for the query traps found on real pages."""
    from indexer.build import build_index
    from search.store import IndexHandle

    corpus = tmp_path_factory.mktemp("traps")
    reports = {
        "quoted.txt": "某县2023年度法治政府建设情况报告\n2023年，我县深化“放管服”改革，推进依法行政。",
        "plain.txt": "某市2023年度法治政府建设情况报告\n2023年，市司法局深化放管服改革，一网通办全覆盖。",
        "title.txt": "某区证照分离改革情况报告\n2023年，区政府推进行政复议规范化建设。",
        "other.txt": "某省2023年度法治政府建设情况报告\n2023年，省政府推进证照分离和行政诉讼工作。",
    }
    for name, text in reports.items():
        (corpus / name).write_text(text, encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("trap-index")
    build_index([corpus], index_dir, jobs=1)
    return IndexHandle(index_dir)


def _found(handle, q) -> set[str]:
    from search import engine
    results = engine.search(handle, engine.SearchRequest(q=q, page_size=50))
    return {hit.path.rsplit("/", 1)[-1] for hit in results.hits}


@pytest.mark.parametrize("q, expected", [
    ("放管服改革", {"quoted.txt", "plain.txt"}),            # “放管服”改革 splits the one word
    ('"放管服改革"', {"quoted.txt", "plain.txt"}),
    ("title:(证照分离 OR 一网通办)", {"title.txt"}),       # the body mentions are not titles
    ("证照分离 OR 一网通办", {"title.txt", "plain.txt", "other.txt"}),
    ("-title:(证照分离 OR 一网通办) 推进", {"quoted.txt", "other.txt"}),
])
def test_query_traps_on_a_real_index(trap_index, q, expected):
    assert _found(trap_index, q) == expected


@pytest.mark.parametrize("q, marked", [
    ("放管服改革", {"quoted.txt": ["放管服”改革"], "plain.txt": ["放管服改革"]}),
    ("证照分离改革", {"title.txt": ["证照分离改革"]}),           # its title line opens the text
])
def test_one_dictionary_word_is_highlighted_across_punctuation(trap_index, q, marked):
    from search import engine
    results = engine.search(trap_index, engine.SearchRequest(q=q, page_size=50))
    got = {hit.path.rsplit("/", 1)[-1]: [f["text"][a:b] for f in hit.fragments
                                          for a, b in f["highlights"]] for hit in results.hits}
    assert got == marked
