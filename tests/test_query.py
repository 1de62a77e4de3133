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
