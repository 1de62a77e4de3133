"""Parse what a user typed into a tree of terms that ``search.matching`` evaluates.

Syntax (full-width forms are accepted everywhere)::

    证照分离 行政复议         both (words are ANDed)
    证照分离 OR 一网通办      either; 或 works too
    -行政复议, NOT 行政复议   without
    "高效办成一件事"          a phrase; also “…”, 「…」, 『…』
    title:营商环境            only in titles; title:"…" and title:(A OR B) too
    section:不足 执法         only inside that kind of report section (章节:/部分: too)
    (证照分离 OR 一网通办) 复议   grouping

Every term, quoted or not, is matched as a contiguous phrase of its characters: through the
character bigrams of the postings (so any substring of a report finds it, however jieba cut the
report), scored higher where the report has the term's jieba words too, and in titles.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from search import settings
from search.analysis import normalize
from search.messages import UserError
from search.section_index import KINDS, kind_of

#: Fields a user may name before a colon, and the index fields they search.
SCOPES = {"title": ("title",), "标题": ("title",)}

_FULLWIDTH = str.maketrans({"：": ":", "（": "(", "）": ")", "－": "-", "＋": "+", "　": " ",
                            "＂": '"', "“": '"', "”": '"', "「": '"', "」": '"', "『": '"',
                            "』": '"', "‘": "'", "’": "'"})
_TOKEN_RE = re.compile(r'\s+|-?(?:[A-Za-z_]+:|标题:)?"[^"]*"?|-?(?:[A-Za-z_]+:|标题:)?\(|\)|[^\s()"]+')
_SCOPE_RE = re.compile(r"^([A-Za-z_]+|标题):(.*)$", re.S)
_SECTION_RE = re.compile(r"^(-)?(section|章节|部分):(.+)$", re.S | re.I)

_OR = ("OR", "或", "|")


class QueryError(UserError):
    """The query text cannot be understood; the message says why and what to type instead."""

    code = "bad_query"


@dataclass(frozen=True)
class Term:
    """One phrase to find, optionally only in some fields."""

    text: str
    scope: str = ""
    section: str = ""           # a kind of report section (search.section_index.KINDS)


@dataclass(frozen=True)
class Node:
    """An AND/OR/NOT node of the parsed query."""

    op: str                     # "and", "or", "not"
    children: tuple = field(default_factory=tuple)


# --------------------------------------------------------------------------------------------
# Parsing

def parse(text: str) -> Node | Term | None:
    """Parse query text into a tree; None for an empty query. Raises QueryError."""
    text = _prepare(text)
    tokens = [t for t in _TOKEN_RE.findall(text) if not t.isspace()]
    tokens, sections = _section_tokens(tokens)
    if not tokens:
        return _in_sections(Term(""), sections) if sections else None
    parser = _Parser(tokens)
    tree = parser.parse_or()
    if parser.pos < len(tokens):
        raise QueryError("Unbalanced parenthesis: a “)” has no matching “(”.",
                         "括号不配对：有一个右括号“)”没有对应的左括号，请删除它。")
    _check_size(tree)
    if sections:
        tree = _in_sections(tree if tree is not None else Term(""), sections)
    return tree


def _section_tokens(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Take the ``section:不足`` tokens out of the query; return the rest and the kinds named."""
    rest, kinds = [], []
    for tok in tokens:
        match = _SECTION_RE.match(tok)
        if not match:
            rest.append(tok)
            continue
        if match.group(1):
            raise QueryError("A section cannot be excluded; name the sections to search in. "
                             "章节不能排除，请写出要检索的章节，如 section:不足。")
        kind = kind_of(match.group(3).strip('"'))
        if kind is None:
            raise QueryError(f"Unknown section “{match.group(3)[:20]}”: use one of "
                             f"{'、'.join(KINDS)}, e.g. section:不足 执法. "
                             f"未知章节“{match.group(3)[:20]}”，可用：{'、'.join(KINDS)}。")
        if kind not in kinds:
            kinds.append(kind)
    return rest, kinds


def _in_sections(tree, kinds: list[str]):
    """Restrict every term of ``tree`` to the sections ``kinds`` (several: any of them)."""
    if isinstance(tree, Term):
        if tree.scope:
            raise QueryError("title: and section: cannot be combined: a title has no sections. "
                             "title: 与 section: 不能同时使用。")
        parts = tuple(Term(tree.text, tree.scope, kind) for kind in kinds)
        return parts[0] if len(parts) == 1 else Node("or", parts)
    return Node(tree.op, tuple(_in_sections(child, kinds) for child in tree.children))


def sections_of(tree) -> list[str]:
    """The section kinds a parsed query is restricted to (in query order)."""
    if tree is None:
        return []
    if isinstance(tree, Term):
        return [tree.section] if tree.section else []
    return list(dict.fromkeys(k for child in tree.children for k in sections_of(child)))


def _prepare(text: str) -> str:
    limit = settings.get("max_query_chars")
    if len(text) > limit:
        raise QueryError(f"The query is {len(text)} characters long; the limit is {limit}.",
                         f"检索词过长（{len(text)} 字），请缩短到 {limit} 字以内。")
    text = "".join(ch if ch.isprintable() or ch.isspace() else " " for ch in text)
    text = text.translate(_FULLWIDTH)
    if text.count('"') % 2:
        raise QueryError("Unbalanced quote: close the phrase with a second quote mark.",
                         "引号不配对：请在短语末尾补上另一个引号。")
    return text


def _check_size(tree) -> None:
    terms = list(positive_terms(tree)) + list(_negative_terms(tree))
    limit = settings.get("max_terms")
    if len(terms) > limit:
        raise QueryError(f"The query has {len(terms)} terms; the limit is {limit}.",
                         f"检索词过多（{len(terms)} 个），请减少到 {limit} 个以内。")


class _Parser:
    """Recursive descent over tokens: or := and (OR and)*; and := unary+; unary := [-|NOT] atom."""

    def __init__(self, tokens: list[str]):
        self.tokens, self.pos, self.depth = tokens, 0, 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def parse_or(self):
        parts = [self.parse_and()]
        while self.peek() in _OR:
            self.pos += 1
            if self.peek() in (None, ")", *_OR):
                raise QueryError("OR needs a term on both sides, e.g. 证照分离 OR 一网通办.",
                                 "“或”（OR）的两边都需要检索词，例如：证照分离 OR 一网通办。")
            parts.append(self.parse_and())
        return _combine("or", parts)

    def parse_and(self):
        if self.peek() == ")":
            raise QueryError("Unbalanced parenthesis: a “)” has no matching “(”.",
                             "括号不配对：有一个右括号“)”没有对应的左括号，请删除它。")
        if self.peek() in (None, *_OR):
            raise QueryError("OR needs a term on both sides, e.g. 证照分离 OR 一网通办.",
                             "“或”（OR）的两边都需要检索词，例如：证照分离 OR 一网通办。")
        parts = []
        while self.peek() not in (None, ")", *_OR):
            parts.append(self.parse_unary())
        return _combine("and", parts)

    def parse_unary(self):
        tok = self.peek()
        if tok in ("NOT", "非"):
            self.pos += 1
            if self.peek() in (None, ")", "OR", "或", "|"):
                raise QueryError("NOT needs a term after it, e.g. 复议 NOT 诉讼.",
                                 "“NOT”或减号后面需要检索词，例如：复议 NOT 诉讼。")
            return _combine("not", [self.parse_unary()])
        if tok.startswith("-") and len(tok) > 1:          # -word, -"phrase", -(group)
            self.tokens[self.pos] = tok[1:]
            return _combine("not", [self.parse_unary()])
        return self.parse_atom()

    def parse_atom(self):
        tok = self.tokens[self.pos]
        self.pos += 1
        if tok.endswith("(") and len(tok) > 1:          # title:(证照分离 OR 一网通办)
            scope = _scope_of(tok[:-1])
            self.tokens[self.pos - 1] = "("
            self.pos -= 1
            return _scoped(self.parse_atom(), scope)
        if tok == "(":
            self.depth += 1
            if self.depth > 8:
                raise QueryError("Too many nested parentheses (at most 8).",
                                 "括号嵌套过深：最多 8 层。")
            if self.peek() == ")":
                raise QueryError("Empty parentheses: put a term inside them.",
                                 "括号内没有查询词：请在括号里填写检索词，或删除这对括号。")
            if self.peek() is None:
                raise QueryError("Unbalanced parenthesis: a “(” is never closed.",
                                 "括号不配对：有一个左括号“(”没有闭合，请补上右括号。")
            inner = self.parse_or()
            if self.peek() != ")":
                raise QueryError("Unbalanced parenthesis: a “(” is never closed.",
                                 "括号不配对：有一个左括号“(”没有闭合，请补上右括号。")
            self.pos += 1
            self.depth -= 1
            return inner
        return _term(tok)


def _combine(op: str, parts: list):
    """Build a node from the parts that have something to search; None when none has."""
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    if op == "not":
        return Node("not", tuple(parts))
    return parts[0] if len(parts) == 1 else Node(op, tuple(parts))


def _term(tok: str) -> Term | None:
    scope = ""
    match = _SCOPE_RE.match(tok)
    if match:
        name, tok = match.groups()
        scope = _scope_of(name + ":")
    text = tok.strip('"').strip()
    if not any(ch.isalnum() for ch in text):
        return None          # punctuation or wildcards alone: nothing to search for
    return Term(text, scope)


def _scope_of(prefix: str) -> str:
    """The index field a ``name:`` prefix searches; QueryError for an unknown name."""
    name = prefix[:-1]
    if name not in SCOPES:
        raise QueryError(f"Unknown field “{name}:”. Search everywhere, or use title: to "
                         f"search titles only.",
                         f"未知的检索范围“{name}:”：可用 标题: 或 title: 只在标题中检索，"
                         f"不加前缀则检索全文。")
    return SCOPES[name][0]


def _scoped(tree, scope: str):
    """Apply a field scope to every term of a group that does not name its own."""
    if tree is None:
        return None
    if isinstance(tree, Term):
        return tree if tree.scope else Term(tree.text, scope)
    return Node(tree.op, tuple(_scoped(child, scope) for child in tree.children))


def positive_terms(tree) -> list[Term]:
    """Return the terms a matching report contains (for highlighting), in query order."""
    if tree is None:
        return []
    if isinstance(tree, Term):
        return [tree]
    if tree.op == "not":
        return []
    return [t for child in tree.children for t in positive_terms(child)]


def _negative_terms(tree) -> list[Term]:
    if tree is None or isinstance(tree, Term):
        return []
    if tree.op == "not":
        return positive_terms(tree.children[0]) + _negative_terms(tree.children[0])
    return [t for child in tree.children for t in _negative_terms(child)]


# --------------------------------------------------------------------------------------------
# What the matches look like

def normalized_terms(tree) -> list[str]:
    """Return the positive terms in normal form (for messages and suggestions)."""
    return [normalize(t.text) for t in positive_terms(tree)]
