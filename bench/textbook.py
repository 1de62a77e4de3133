"""The textbook setup every figure is compared with: Whoosh + ``jieba.analyse.ChineseAnalyzer``.

This is what a tutorial builds: one TEXT field analysed by jieba's own analyzer (search mode,
jieba's default dictionary), ID/NUMERIC facet fields with ``sortable=True``, one writer (or
``procs=2``), queries through ``QueryParser`` and facet counts through ``groupedby``. It gets
its metadata for free from ``truth.jsonl``: it does no chrome cleaning, no metadata extraction and
no traditional-script folding, so its indexing is *less* work than ours. Its results pages do no
highlighting (the issue's textbook figures had none either); ours do, so query ratios understate
the difference. Its phrase queries are wrong (see PITFALLS.md): only its speed is compared.

Run as a subprocess to measure indexing with the tree's memory::

    python -m bench.textbook index CORPUS_DIR INDEX_DIR --procs 2
"""
from __future__ import annotations

import argparse
import json
import logging
import shutil
import time
from pathlib import Path

FACETS = ("province", "city", "level", "year")


def textbook_schema():
    """Return the tutorial schema: jieba's ChineseAnalyzer on title and content."""
    from jieba.analyse import ChineseAnalyzer
    from whoosh import fields

    analyzer = ChineseAnalyzer()
    return fields.Schema(
        path=fields.ID(stored=True, unique=True),
        title=fields.TEXT(stored=True, analyzer=analyzer),
        content=fields.TEXT(stored=True, analyzer=analyzer),
        province=fields.ID(stored=True, sortable=True),
        city=fields.ID(stored=True, sortable=True),
        level=fields.ID(stored=True, sortable=True),
        year=fields.NUMERIC(int, stored=True, sortable=True),
    )


def build(corpus: Path, index_dir: Path, procs: int = 1) -> dict:
    """Index every report of ``corpus`` (metadata from its truth.jsonl) with one writer."""
    import jieba
    from whoosh import index

    from bench.corpus import read_truth

    jieba.setLogLevel(logging.WARNING)
    if index_dir.exists():
        shutil.rmtree(index_dir)
    index_dir.mkdir(parents=True)
    started = time.perf_counter()
    ix = index.create_in(str(index_dir), textbook_schema())
    writer = ix.writer(procs=procs, limitmb=256) if procs > 1 else ix.writer(limitmb=256)
    docs = chars = 0
    for truth in read_truth(corpus):
        with open(truth["path"], encoding="utf-8") as fh:
            text = fh.read()
        writer.add_document(path=truth["path"], title=truth["title"] or text.split("\n", 1)[0],
                            content=text, province=truth["province"], city=truth["city"] or "",
                            level=truth["level"], year=truth["year"])
        docs, chars = docs + 1, chars + len(text)
    writer.commit()
    return {"docs": docs, "chars": chars, "seconds": round(time.perf_counter() - started, 2),
            "procs": procs}


class Textbook:
    """A searcher over a textbook index, answering the benchmark's requests as a tutorial app."""

    def __init__(self, index_dir: Path):
        import jieba
        from whoosh import index
        from whoosh.qparser import QueryParser

        jieba.setLogLevel(logging.WARNING)
        self.ix = index.open_dir(str(index_dir))
        self.searcher = self.ix.searcher()
        self.parser = QueryParser("content", self.ix.schema)

    def search(self, q: str = "", province: str | None = None, year: int | None = None,
               page: int = 1, pagelen: int = 10) -> dict:
        """One results page with facet counts: the textbook's equivalent of ``engine.search``."""
        from whoosh import query, sorting

        parsed = self.parser.parse(q) if q.strip() else query.Every()
        terms = ([query.Term("province", province)] if province else []) + (
            [query.Term("year", year)] if year else [])
        facets = {name: sorting.FieldFacet(name, maptype=sorting.Count) for name in FACETS}
        results = self.searcher.search_page(parsed, page, pagelen=pagelen,
                                            filter=query.And(terms) if terms else None,
                                            groupedby=facets)
        return {"total": results.total,
                "hits": [{"path": hit["path"], "title": hit["title"]} for hit in results],
                "facets": {name: results.results.groups(name) for name in FACETS}}

    def contains(self, phrase: str, path: str) -> bool:
        """True when the quoted ``phrase`` finds the report at ``path``."""
        from whoosh import query

        parsed = self.parser.parse(f'"{phrase}"')
        return len(self.searcher.search(parsed, filter=query.Term("path", path), limit=1)) > 0

    def close(self) -> None:
        self.searcher.close()


def main() -> None:
    parser = argparse.ArgumentParser(description="Build the textbook index of a corpus.")
    sub = parser.add_subparsers(dest="command", required=True)
    cmd = sub.add_parser("index")
    cmd.add_argument("corpus", type=Path)
    cmd.add_argument("index_dir", type=Path)
    cmd.add_argument("--procs", type=int, default=1)
    args = parser.parse_args()
    print(json.dumps(build(args.corpus, args.index_dir, args.procs)))


if __name__ == "__main__":
    main()
