"""Query fuzz: whatever a user types, the engine answers with results or a clear error, quickly.

Every case goes through ``engine.search(handle, SearchRequest(q=…))`` on the sample index. The
only acceptable outcomes are ``SearchResults`` or ``QueryError``/``ParameterError`` with a message;
each case must finish within ``MAX_SECONDS`` (a hang guard, not a benchmark). Each test prints
how many cases it tried, so the CI log shows the figures.
"""
from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import engine
from search.engine import ParameterError, SearchRequest, SearchResults
from search.query import QueryError
from search.store import IndexHandle

#: Generous per-query bound: only an endless loop or an exponential blow-up can exceed it.
MAX_SECONDS = 2.0
SAMPLE_DOCUMENTS = 5
CJK = re.compile(r"[\u4e00-\u9fff]")
HEX_ID = re.compile(r"[0-9a-f]{16}")


@pytest.fixture(scope="module")
def shared_handle(built_index):
    """One reader for the whole module (hypothesis reruns a test body many times)."""
    return IndexHandle(built_index)


@dataclass
class Tally:
    """Outcomes of many queries: counts per outcome, the slowest time, and every failure."""

    outcomes: dict = field(default_factory=lambda: {"results": 0, "QueryError": 0,
                                                    "ParameterError": 0})
    failures: list = field(default_factory=list)
    slowest: float = 0.0

    @property
    def tried(self) -> int:
        return sum(self.outcomes.values()) + len(self.failures)

    def run(self, handle, request: SearchRequest) -> str:
        """Search once; record the outcome; return its name ("failure" for anything else)."""
        started = time.perf_counter()
        try:
            results = engine.search(handle, request)
            problem = _check_results(results)
            outcome = "results" if problem is None else "failure"
        except QueryError as exc:
            problem = _check_query_error(exc)
            outcome = "QueryError" if problem is None else "failure"
        except ParameterError as exc:
            problem = None if str(exc).strip() else "ParameterError without a message"
            outcome = "ParameterError" if problem is None else "failure"
        except Exception as exc:  # noqa: BLE001 - any other exception is the failure we hunt
            problem, outcome = f"{type(exc).__name__}: {exc}", "failure"
        took = time.perf_counter() - started
        self.slowest = max(self.slowest, took)
        if took > MAX_SECONDS:
            problem, outcome = f"took {took:.2f} s", "failure"
        if outcome == "failure":
            self.failures.append((request.q[:80], problem))
        else:
            self.outcomes[outcome] += 1
        return outcome

    def summary(self, name: str) -> str:
        parts = ", ".join(f"{n} {k}" for k, n in self.outcomes.items())
        return (f"\nquery fuzz [{name}]: {self.tried} cases tried ({parts}), "
                f"{len(self.failures)} failures, slowest {self.slowest:.3f} s")


def _check_results(results) -> str | None:
    """Return what is wrong with a results object, or None."""
    if not isinstance(results, SearchResults):
        return f"returned {type(results).__name__}"
    if not 0 <= results.total <= SAMPLE_DOCUMENTS:
        return f"total {results.total} outside 0..{SAMPLE_DOCUMENTS}"
    if len(results.hits) != min(results.total, results.page_size) and results.page == 1:
        return f"{len(results.hits)} hits on page 1 for a total of {results.total}"
    if not all(HEX_ID.fullmatch(h.id) for h in results.hits):
        return "a hit without a 16-hex-digit id"
    return None


def _check_query_error(exc: QueryError) -> str | None:
    """A query error explains itself in English (the CLI) and in Chinese (the web)."""
    message = str(exc)
    if not re.search(r"[A-Za-z]{3}", message) or not CJK.search(exc.zh):
        return f"QueryError without an English and a Chinese message: {message!r} / {exc.zh!r}"
    own_words = re.sub(r"“[^”]*”|\b(OR|NOT|title)\b", "", exc.zh)     # minus what was typed
    if re.search(r"[A-Za-z]{3}", own_words):
        return f"QueryError whose Chinese message has English in it: {exc.zh!r}"
    return None


def _report(capsys, tally: Tally, name: str) -> None:
    with capsys.disabled():
        print(tally.summary(name))


# --------------------------------------------------------------------------------------------
# Generated lists: the classic troublemakers, combined exhaustively

WORDS = ["法治", "行政复议", "行政復議", "证照分离", "a", "Z", "2023", "法", "一网通办", "ＡＢＣ"]
OPERATORS = ["OR", "或", "|", "NOT", "非", "-", "--", "AND", "or", "not", "+", "&&", "||", "!"]
WILDCARDS = ["*", "**", "?", "a*", "法*", "*法", "法?", "a?b", "*a*", "法~", "法^2", "~", "^",
             "[a TO z]", "{a TO z}", "\\", "/", "//", "%", "_", "%法%", ".*", "法.*"]
QUOTES = ['"', "“", "”", "「", "」", "『", "』", "'", "‘", "’", "＂", "`"]
PARENS = ["(", ")", "（", "）", "()", ")(", "((", "))", "[", "]", "{", "}", "【", "】"]
FIELDS = ["foo:bar", "FOO:法治", "title:", "标题:", "title:title:法治", "title:(法治)",
          "content:法治", ":法治", "法治:", "http://example.gov.cn/a?b=c", "a:b:c", "Title:法治",
          "title：法治", "标题：营商环境", "title:\"营商环境\"", "year:2023", "_:法治", "title:*"]
FULL_WIDTH = ["（法治）", "＂法治＂", "－法治", "法治　ＯＲ　复议", "：", "“”", "『』", "，", "。",
              "、", "；", "！", "？", "——", "……", "《法治》", "〔2021〕", "＊", "～", "＼"]
CONTROLS = [chr(c) for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))] + [
    "\u200b", "\u200c", "\u200d", "\u2028", "\u2029", "\u202e", "\u2066", "\ufeff", "\ufffd",
    "\ufff9", "\U000e0001", "\U0010ffff", "\u00ad", "\u180e", "\u3000", "\u0301"]
LONG = [ch * 10_000 for ch in ("法", "a", "(", ")", '"', " ", "*", "-", "\x00", "𠀀")] + [
    "法治 " * 2500, "OR " * 3334, "(" * 5000 + ")" * 5000, "a*" * 5000]


def generated_queries() -> list[str]:
    """Return a few thousand deterministic, diverse query strings."""
    pieces = (WORDS[:6] + OPERATORS[:8] + WILDCARDS[:8] + QUOTES[:6] + PARENS[:6]
              + FULL_WIDTH[:6])
    queries = [" ".join(pair) for pair in itertools.product(pieces, repeat=2)]
    queries += ["".join(pair) for pair in itertools.product(OPERATORS + QUOTES + PARENS, WORDS)]
    queries += [f"{a} {op} {b}" for a, op, b in itertools.product(
        ["法治", '"法治', "(法治", "-法治"], OPERATORS, ["复议", '复议"', "复议)", "*"])]
    queries += FIELDS + [f"{f} {w}" for f in FIELDS for w in ("OR", "复议", "-法治")]
    queries += [f"法治{c}政府" for c in CONTROLS] + CONTROLS
    queries += [w * n for w in ("法", "a*", "法*", "(", "NOT ", "-", '"') for n in (1, 2, 3, 8, 9,
                                                                                  16, 17, 66, 100)]
    queries += [q[:200] for q in LONG[:4]] + [q[:201] for q in LONG[:4]]
    return list(dict.fromkeys(queries))


@pytest.mark.slow
def test_generated_queries_give_results_or_a_query_error(shared_handle, capsys):
    tally = Tally()
    queries = generated_queries()
    assert len(queries) > 2000
    for q in queries:
        tally.run(shared_handle, SearchRequest(q=q))
    _report(capsys, tally, "generated list")
    assert tally.failures == []
    assert tally.tried == len(queries)
    assert tally.outcomes["results"] > 500 and tally.outcomes["QueryError"] > 500
    assert tally.slowest < MAX_SECONDS


@pytest.mark.parametrize("q", LONG, ids=lambda q: f"{len(q)}x{q[0]!r}")
def test_ten_thousand_characters_are_refused_with_the_limit(shared_handle, q):
    with pytest.raises(QueryError) as info:
        engine.search(shared_handle, SearchRequest(q=q))
    assert str(info.value).startswith(f"The query is {len(q)} characters long; the limit is 200.")


@pytest.mark.parametrize("q, message", [
    ('"法治', "Unbalanced quote: close the phrase with a second quote mark."),
    ("法治”", "Unbalanced quote: close the phrase with a second quote mark."),
    ("「法治", "Unbalanced quote: close the phrase with a second quote mark."),
    ("(法治", "Unbalanced parenthesis: a “(” is never closed."),
    ("法治)", "Unbalanced parenthesis: a “)” has no matching “(”."),
    ("（法治", "Unbalanced parenthesis: a “(” is never closed."),
    ("()", "Empty parentheses: put a term inside them."),
    ("OR", "OR needs a term on both sides, e.g. 证照分离 OR 一网通办."),
    ("法治 或", "OR needs a term on both sides, e.g. 证照分离 OR 一网通办."),
    ("NOT", "NOT needs a term after it, e.g. 复议 NOT 诉讼."),
    ("foo:bar", "Unknown field “foo:”."),
    ("(" * 9 + "法治" + ")" * 9, "Too many nested parentheses (at most 8)."),
    (" ".join(f"词{n}" for n in range(17)), "The query has 17 terms; the limit is 16."),
])
def test_malformed_queries_say_what_is_wrong(shared_handle, q, message):
    with pytest.raises(QueryError) as info:
        engine.search(shared_handle, SearchRequest(q=q))
    assert str(info.value).startswith(message)


@pytest.mark.parametrize("q", ["*", "**", "?", "-", "--", "~", "“”", "\x00", "\u200b", "、。，",
                               "title:", "标题:", "\ufeff"])
def test_queries_without_searchable_characters_list_everything(shared_handle, q):
    results = engine.search(shared_handle, SearchRequest(q=q))
    assert results.total == SAMPLE_DOCUMENTS


@pytest.mark.parametrize("q, total", [("法*", 5), ("法", 5), ("法治*", 5), ("复议 NOT 诉讼", 1)])
def test_wildcard_characters_are_ignored_not_expanded(shared_handle, q, total):
    assert engine.search(shared_handle, SearchRequest(q=q)).total == total


# --------------------------------------------------------------------------------------------
# Negation must not depend on how the negated term is written

@pytest.mark.parametrize("negated, total", [("诉讼", 1), ("诉讼*", 1), ("title:诉讼", 3)])
def test_minus_excludes_like_not(shared_handle, negated, total):
    minus = engine.search(shared_handle, SearchRequest(q=f"复议 -{negated}", page_size=100))
    not_ = engine.search(shared_handle, SearchRequest(q=f"复议 NOT {negated}", page_size=100))
    assert minus.total == not_.total == total
    assert [h.id for h in minus.hits] == [h.id for h in not_.hits]


@pytest.mark.parametrize("negated", ['"诉讼"', "“诉讼”", "「诉讼」", "(诉讼)", "(诉讼 OR 听证)"])
def test_minus_before_a_phrase_or_group_excludes_like_not(shared_handle, negated):
    minus = engine.search(shared_handle, SearchRequest(q=f"复议 -{negated}", page_size=100))
    not_ = engine.search(shared_handle, SearchRequest(q=f"复议 NOT {negated}", page_size=100))
    assert not_.total == 1
    assert [h.id for h in minus.hits] == [h.id for h in not_.hits]


# --------------------------------------------------------------------------------------------
# Hypothesis: random text, token soup, CJK runs, and random request parameters

TOKENS = WORDS + OPERATORS + WILDCARDS + QUOTES + PARENS + FIELDS + FULL_WIDTH + CONTROLS
SEPARATORS = st.sampled_from(["", " ", "  ", "\u3000", "\t", "\n"])
token_soup = st.lists(st.tuples(st.sampled_from(TOKENS), SEPARATORS), max_size=14).map(
    lambda parts: "".join(tok + sep for tok, sep in parts))
cjk_runs = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
                   | st.sampled_from(list(' "()-*或')), max_size=210)
any_text = st.text(max_size=230)                   # every code point but surrogates, controls too

FUZZ_SETTINGS = settings(deadline=None, database=None, derandomize=True,
                         suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("name, strategy, examples", [
    ("random unicode", any_text, 500),
    ("token soup", token_soup, 500),
    ("CJK runs", cjk_runs, 200),
])
def test_random_queries_give_results_or_a_query_error(shared_handle, capsys, name, strategy,
                                                      examples):
    tally = Tally()

    @settings(FUZZ_SETTINGS, max_examples=examples)
    @given(q=strategy)
    def check(q):
        outcome = tally.run(shared_handle, SearchRequest(q=q))
        assert outcome != "failure", tally.failures[-1]

    check()
    _report(capsys, tally, name)
    assert tally.failures == [] and tally.tried >= examples * 0.9
    assert tally.slowest < MAX_SECONDS


PROVINCES = ["山西", "山西省", "140000", "火星", "", " ", "未知", "黑龙江", "000000", "山西\x00",
             "(", "*"]
requests = st.builds(
    SearchRequest,
    q=st.sampled_from(["", "法治", "复议 OR 诉讼", '"法治', "*"]),
    province=st.lists(st.sampled_from(PROVINCES), max_size=2).map(tuple),
    city=st.lists(st.sampled_from(["苏州", "320500", "朝阳区", "鼓楼区", "x"]), max_size=2).map(tuple),
    level=st.lists(st.sampled_from(["province", "city", "county", "市级", "planet", ""]),
                   max_size=2).map(tuple),
    year=st.lists(st.one_of(st.integers(-10, 3000), st.sampled_from(["2023年", "x", ""])),
                  max_size=2).map(tuple),
    year_from=st.none() | st.integers(1900, 2200) | st.sampled_from(["", "2022年", "abc"]),
    year_to=st.none() | st.integers(1900, 2200),
    sort=st.sampled_from(list(engine.SORTS) + ["", "bogus", "YEAR"]),
    page=st.integers(-2, 1002),
    page_size=st.integers(-2, 102),
)


def test_random_request_parameters_give_results_or_a_parameter_error(shared_handle, capsys):
    tally = Tally()

    @settings(FUZZ_SETTINGS, max_examples=300)
    @given(request=requests)
    def check(request):
        outcome = tally.run(shared_handle, request)
        assert outcome != "failure", tally.failures[-1]

    check()
    _report(capsys, tally, "request parameters")
    assert tally.failures == [] and tally.outcomes["ParameterError"] > 0
    assert tally.outcomes["results"] > 0

