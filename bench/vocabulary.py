"""A long-tail vocabulary for the synthetic corpus: jieba's dictionary mixed with policy terms.

Recombining the sample reports' 374 sentences makes a corpus in which 97.9% of the characters
sit in character blocks seen before (``bench.repetition``); real reports share only a few per
cent of theirs. Postings, index size and query costs depend on that, so the default corpus
(``--vocabulary longtail``) keeps the samples' sentence shapes and policy terms but replaces
content words, each with probability ``SUBSTITUTE``, by a word of the same part of speech drawn
from jieba's own ``dict.txt`` in proportion to its frequency there (a Zipf-like long tail over
about 300,000 words). Words the query mix looks for, and the policy terms of ``KEPT``, are never
replaced, so the mix still finds what it finds in real reports.

The sample sentences are tagged once with ``jieba.posseg`` (about 1 s); drawing is a bisection
over cumulative frequencies per tag, driven by each report's own ``random.Random``, so report
*i* stays the same whatever N is.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

#: Share of replaceable words replaced by a dictionary word (tuned so that the corpus repeats
#: about as little as real reports do: see bench/README.md, "The corpus").
SUBSTITUTE = 0.75

#: Parts of speech that are replaced: common nouns, verbs, verbal nouns, adjectives, adverbs,
#: idioms. Place and person names (ns, nr), organisations (nt), times (t) and numbers (m) are
#: kept: the metadata extractor reads them, and the truth file must stay right.
_TAGS = ("n", "v", "vn", "a", "ad", "an", "d", "i", "l")

#: Policy terms never replaced (the mix's words and the vocabulary of every such report).
KEPT = frozenset((
    "证照分离", "行政复议", "营商环境", "高效", "办成", "一件", "事", "一网通办", "一网", "通办",
    "法治", "政府", "建设", "依法行政", "行政执法", "执法", "法治政府", "报告", "年度", "工作",
    "人民政府", "司法局", "司法厅", "法律", "法规", "规章", "规范性", "文件", "改革", "政务",
    "服务", "审批", "监督", "行政", "复议", "诉讼", "应诉", "公开", "信息", "决策", "普法"))

_WORDLIKE = re.compile(r"^[\u4e00-\u9fff]{2,8}$")


@dataclass(frozen=True)
class Vocabulary:
    """Dictionary words by tag, each with cumulative frequencies for weighted draws."""

    words: dict[str, tuple[str, ...]]
    cumulative: dict[str, tuple[int, ...]]

    def draw(self, rng, tag: str) -> str:
        cum = self.cumulative[tag]
        return self.words[tag][bisect.bisect_right(cum, rng.random() * cum[-1])]


@functools.lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """Read jieba's ``dict.txt``: Chinese words of 2–8 characters of the replaced tags."""
    import jieba

    path = Path(jieba.__file__).with_name("dict.txt")
    by_tag: dict[str, list[tuple[str, int]]] = {t: [] for t in _TAGS}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3 and parts[2] in by_tag and _WORDLIKE.match(parts[0]):
                by_tag[parts[2]].append((parts[0], int(parts[1])))
    return Vocabulary({t: tuple(w for w, _ in rows) for t, rows in by_tag.items()},
                      {t: tuple(accumulate(f for _, f in rows)) for t, rows in by_tag.items()})


@functools.lru_cache(maxsize=2)
def tagged(sentences: tuple[str, ...]) -> tuple[tuple[tuple[str, str | None], ...], ...]:
    """Each sentence as ``(word, tag or None)`` pairs; tag None: the word is never replaced."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    out = []
    for sentence in sentences:
        pairs = []
        for word, tag in jieba.posseg.cut(sentence):
            keep = tag not in _TAGS or word in KEPT or len(word) < 2 or not _WORDLIKE.match(word)
            pairs.append((word, None if keep else tag))
        out.append(tuple(pairs))
    return tuple(out)


def rewrite(rng, words: tuple[tuple[str, str | None], ...], convert=None) -> str:
    """One sentence with some of its content words replaced by dictionary words.

    ``convert`` (a cached script converter) is applied word by word, where caching works.
    """
    vocab = vocabulary()
    out = []
    for word, tag in words:
        if tag is not None and rng.random() < SUBSTITUTE:
            word = vocab.draw(rng, tag)
        out.append(convert(word) if convert else word)
    return "".join(out)
