"""How much of a corpus repeats: the share of characters in character blocks seen before.

jieba cuts each run of Chinese characters, letters and digits (a *block*, its ``re_han_default``)
on its own, so a block seen before is one whose words are already known: a segmentation cache
would skip it, and its postings add nothing new. Two figures, for the sample reports and for a
generated corpus alike:

* ``others``: the share of a report's characters in blocks that another report of a group of
  five also has (the five sample reports are one such group; a corpus is cut into groups of five
  consecutive reports), the same measure for both;
* ``seen``: the share of the characters of reports ``history … history+sample`` in blocks that
  any earlier report had (what an indexer that remembers every block would skip).

``python -m bench.repetition --docs 2000 [--vocabulary samples]`` prints both for a corpus
(generated into ``bench/work/corpus-N[-samples]`` when missing) and for the samples.
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from bench import corpus as corpus_mod
from bench import sources

_BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+")


def blocks(text: str) -> list[str]:
    return [b for b in _BLOCK.findall(text) if len(b) > 1]


def share_in_others(texts: list[str]) -> float:
    """Share of all characters in blocks that another text of ``texts`` also has."""
    sets = [set(blocks(t)) for t in texts]
    repeated = total = 0
    for i, text in enumerate(texts):
        others = set().union(*(s for j, s in enumerate(sets) if j != i))
        for b in blocks(text):
            total += len(b)
            repeated += len(b) if b in others else 0
    return repeated / total if total else 0.0


def share_seen(texts: list[str], history: int) -> float:
    """Share of the characters of ``texts[history:]`` in blocks any earlier text had."""
    seen: set[str] = set()
    repeated = total = 0
    for i, text in enumerate(texts):
        found = blocks(text)
        if i >= history:
            for b in found:
                total += len(b)
                repeated += len(b) if b in seen else 0
        seen.update(found)
    return repeated / total if total else 0.0


def sample_texts() -> list[str]:
    import opencc

    t2s = opencc.OpenCC("t2s")
    return [t2s.convert(p.read_text("utf-8")) for p in sorted(sources.SAMPLE_DIR.glob("*.txt"))]


def measure(texts: list[str], history: int) -> dict:
    groups = [texts[i:i + 5] for i in range(0, len(texts) - 4, 5)][:60]
    others = [share_in_others(g) for g in groups]
    return {"others": round(sum(others) / len(others), 4) if others else None,
            "seen": round(share_seen(texts, history), 4) if len(texts) > history else None}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--docs", type=int, default=2000)
    p.add_argument("--history", type=int, default=1700)
    p.add_argument("--vocabulary", choices=tuple(corpus_mod.VOCABULARIES), default="longtail")
    args = p.parse_args()
    suffix = "" if args.vocabulary == "longtail" else f"-{args.vocabulary}"
    out = Path(__file__).resolve().parent / "work" / f"corpus-{args.docs}{suffix}"
    corpus_mod.ensure_corpus(out, args.docs, vocabulary=args.vocabulary)
    texts = [(out / corpus_mod.relative_path(i)).read_text("utf-8") for i in range(args.docs)]
    print(json.dumps({"samples": measure(sample_texts(), 1) | {"seen": None},
                      "samples_each_to_the_others": round(share_in_others(sample_texts()), 4),
                      "corpus": measure(texts, min(args.history, args.docs - 1)),
                      "vocabulary": args.vocabulary, "docs": args.docs}, ensure_ascii=False))


if __name__ == "__main__":
    main()
