"""The fastest peer of this stack: tantivy-py (Rust) fed with the same jieba words as ours.

Optional (``pip install -e ".[bench]"``): without tantivy the peer is skipped and says so.
Each report is cut by ``search.analysis.segment_spans`` (our jieba, our normalisation: traditional
folded to simplified), and its words are handed to tantivy joined by spaces, with tantivy's
whitespace tokenizer (positions kept, so a query cut into several words is a phrase query). The
metadata (province, city, level, year) comes from ``truth.jsonl`` as the textbook's does, as fast
fields: a request counts the four facets with tantivy's terms aggregations over the matches, so
the peer answers what our results page answers, less the highlighted fragments (it returns the
stored path and title of the page's 10 hits). It finds only what jieba cut the same way in the
report as in the query (no bigrams): sub-word queries (网通 inside 一网通办) find little or nothing.

Build (a subprocess, so its memory is measured like the others)::

    python -m bench.tantivy_peer index CORPUS_DIR INDEX_DIR --jobs 2

The words are cut in a pool of ``--jobs`` processes and tantivy's writer uses as many threads.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import shutil
import time
from pathlib import Path

FACETS = ("province", "city", "level", "year")
_TOKENIZER = "jieba_words"


def available() -> bool:
    try:
        import tantivy  # noqa: F401
    except ImportError:
        return False
    return True


def words(text: str) -> str:
    """The searchable jieba words of ``text`` (as ours index them), joined by spaces."""
    from search.analysis import normalize, segment_spans

    norm = normalize(text)
    return " ".join(norm[s:e] for s, e in segment_spans(norm).tolist())


def _schema():
    import tantivy

    b = tantivy.SchemaBuilder()
    b.add_text_field("path", stored=True, tokenizer_name="raw")
    b.add_text_field("title", stored=True, tokenizer_name=_TOKENIZER)
    b.add_text_field("content", stored=False, tokenizer_name=_TOKENIZER)
    for name in ("province", "city", "level"):
        b.add_text_field(name, stored=False, fast=True, tokenizer_name="raw")
    b.add_integer_field("year", stored=False, fast=True, indexed=True)
    return b.build()


def _register(index) -> None:
    import tantivy

    index.register_tokenizer(_TOKENIZER,
                             tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())


def _prepare(truth: dict) -> dict:
    with open(truth["path"], encoding="utf-8") as fh:
        text = fh.read()
    title = truth["title"] or text.split("\n", 1)[0]
    return {"path": truth["path"], "title": words(title), "content": words(text),
            "province": truth["province"], "city": truth["city"] or "",
            "level": truth["level"], "year": truth["year"], "chars": len(text)}


def build(corpus: Path, index_dir: Path, jobs: int = 1) -> dict:
    """Index every report of ``corpus``: jieba in ``jobs`` processes, tantivy's writer threads."""
    import tantivy

    from bench.corpus import read_truth

    if index_dir.exists():
        shutil.rmtree(index_dir)
    index_dir.mkdir(parents=True)
    started = time.perf_counter()
    index = tantivy.Index(_schema(), path=str(index_dir))
    _register(index)
    writer = index.writer(heap_size=256 * 1024 * 1024, num_threads=jobs)
    truths = read_truth(corpus)
    docs = chars = 0
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(jobs) as pool:
        for doc in pool.imap(_prepare, truths, chunksize=8):
            chars += doc.pop("chars")
            writer.add_document(tantivy.Document(**{k: [v] for k, v in doc.items()}))
            docs += 1
    writer.commit()
    writer.wait_merging_threads()
    return {"docs": docs, "chars": chars, "seconds": round(time.perf_counter() - started, 2),
            "jobs": jobs}


class Peer:
    """A searcher over the tantivy index, answering the benchmark's requests."""

    def __init__(self, index_dir: Path):
        import tantivy

        self.tantivy = tantivy
        self.index = tantivy.Index.open(str(index_dir))
        _register(self.index)
        self.schema = self.index.schema
        self.searcher = self.index.searcher()

    def _text_query(self, q: str):
        t = self.tantivy
        parts = []
        for term in q.replace('"', " ").split():
            cut = words(term).split()
            if not cut:
                continue
            per_field = []
            for field, boost in (("content", 1.0), ("title", 3.0)):
                one = (t.Query.term_query(self.schema, field, cut[0]) if len(cut) == 1 else
                       t.Query.phrase_query(self.schema, field, cut))
                per_field.append((t.Occur.Should, t.Query.boost_query(one, boost)))
            parts.append((t.Occur.Must, t.Query.boolean_query(per_field)))
        return t.Query.boolean_query(parts) if parts else t.Query.all_query()

    def search(self, q: str = "", province: str | None = None, year: int | None = None,
               page: int = 1, pagelen: int = 10) -> dict:
        """One results page with the four facet counts (terms aggregations over the matches)."""
        t = self.tantivy
        query = self._text_query(q) if q.strip() else t.Query.all_query()
        filters = ([(t.Occur.Must, t.Query.term_query(self.schema, "province", province))]
                   if province else []) + (
            [(t.Occur.Must, t.Query.term_query(self.schema, "year", year))] if year else [])
        if filters:
            query = t.Query.boolean_query([(t.Occur.Must, query), *filters])
        result = self.searcher.search(query, limit=pagelen, offset=(page - 1) * pagelen)
        hits = []
        for _, address in result.hits:
            doc = self.searcher.doc(address)
            hits.append({"path": doc["path"][0], "title": doc["title"][0]})
        aggs = self.searcher.aggregate(query, {name: {"terms": {"field": name, "size": 1000}}
                                               for name in FACETS})
        facets = {name: {b["key"]: b["doc_count"] for b in aggs[name]["buckets"]}
                  for name in FACETS}
        return {"total": result.count, "hits": hits, "facets": facets}


def main() -> None:
    parser = argparse.ArgumentParser(description="Build the tantivy peer's index of a corpus.")
    sub = parser.add_subparsers(dest="command", required=True)
    cmd = sub.add_parser("index")
    cmd.add_argument("corpus", type=Path)
    cmd.add_argument("index_dir", type=Path)
    cmd.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    print(json.dumps(build(args.corpus, args.index_dir, args.jobs)))


if __name__ == "__main__":
    main()
