"""Generate a deterministic synthetic corpus of 法治政府建设 reports, with the truth about each.

``python -m bench.corpus --docs 10000 --out bench/work/corpus-10000`` writes::

    OUT/000/000000.txt …     1,000 reports per folder (a folder of 100,000 files is slow to list)
    OUT/truth.jsonl          one line per report: path (relative to OUT), title or null, province,
                             city, county, level, year, issuer, script, chrome, chrome_style, chars
    OUT/corpus.json          seed, size and generator version; a corpus is reused only if it matches

Each report is drawn from its own ``random.Random(f"{seed}-{i}")``, so report *i* is the same
whatever N is, and files are written one at a time: memory does not grow with N. Reports are
3,000–15,000 characters (median about 7,000), recombined from the sample reports' sentences:

* issuer: a province (20%), city (40%) or county (40%) government or office, years 2015–2025;
* title: ``{issuer}{year}年度法治政府建设情况报告`` and variants; 12% have no title line (the
  opening sentence names the issuer) and 10% a title split over two lines;
* 20% carry page chrome of the kinds found on real report pages (``sources.page_chrome``):
  breadcrumbs and a 时间/来源 line; a hosting site's date banner, accessibility bar and
  navigation run; a breadcrumb naming another region and a channel tag before the title
  (【工作动态】); the 信息公开 table (索引号, 发文字号, 成文日期, 发布日期, 标题); a greeting of another
  region's site with an unlabelled date under the title; a mirror's advertising line and spam
  prefix glued to the title; an AQI widget and a publication stamp above the title; a cover
  letter (发文字号, addressee, sender, date) above it; a portal's summary bullets (an unlabelled
  索引号, a 公文生成日期) under a column heading that repeats the last crumb, a [权威发布] tag and
  来源…时间 under the title; IPv6 badges with a 【年度报告】 tag and a 时间 glued to 来源; a 信息公开 table with empty cells and no 标题 row; the page's
  heading, spaced where the title wrapped, and a 浏览/时间 counter line above the report's own
  title; a 发文字号 glued before the title, an office and a bare date under it; a portal's list
  (名称, 成文日期, 发文日期: the page's date is the second). The truth records the
  date and 发文字号 the page states (a cover letter's date is the report's);
* 10% are converted to traditional script with OpenCC ``s2t`` (cached per sentence: converting
  whole reports runs at about 80,000 characters/s and would dominate generation time).
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import random
import time
from pathlib import Path

from bench import sources
from bench import vocabulary as vocab
from bench.sources import Place

GENERATOR_VERSION = 11         # of the "samples" vocabulary (the corpus as it was)
#: Vocabularies: ``longtail`` (default) replaces content words with jieba-dictionary words
#: (``bench.vocabulary``); ``samples`` recombines the sample sentences unchanged (old mode).
VOCABULARIES = {"longtail": 12, "samples": GENERATOR_VERSION}
MIN_CHARS, MAX_CHARS = 3000, 15000
YEARS = (2015, 2025)
PER_FOLDER = 1000

_TITLES = ("{issuer}{year}年度法治政府建设情况报告", "{issuer}关于{year}年度法治政府建设工作情况的报告",
           "{issuer}{year}年法治政府建设年度报告", "{issuer}{year}年度法治政府建设工作报告",
           "{issuer}{year}年度推进法治政府建设情况的报告")
_OPENINGS = (
    "{year}年，{issuer}坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，"
    "全面落实法治政府建设各项任务。现将{year}年度法治政府建设工作情况报告如下。",
    "{year}年以来，{issuer}在上级党委、政府的坚强领导下，认真贯彻落实《法治政府建设实施纲要（2021－2025年）》，"
    "扎实推进依法行政，法治政府建设取得新成效。",
    "{year}年，{issuer}紧紧围绕中心工作，全面推进严格规范公正文明执法，持续优化法治化营商环境，"
    "现将有关情况报告如下。",
)


@functools.lru_cache(maxsize=200_000)
def to_traditional(text: str) -> str:
    """OpenCC ``s2t`` of one piece of text, cached: pieces repeat across reports."""
    return _s2t().convert(text)


@functools.lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def choose_issuer(rng: random.Random) -> tuple[Place, str, bool]:
    """Return ``(place, issuer, is_government)`` for one report."""
    table = sources.places()
    level = rng.choices(("province", "city", "county"), weights=(20, 40, 40))[0]
    place = rng.choice(table[level])
    if rng.random() < 0.5:
        return place, sources.government(place), True
    return place, sources.office(place, rng.choice(sources.offices())), False


def compose(i: int, seed: int, vocabulary: str = "longtail") -> tuple[str, dict]:
    """Return the text of report ``i`` and its truth record (without the path).

    ``vocabulary``: ``longtail`` rewrites the body's content words (``bench.vocabulary``),
    ``samples`` recombines the sample sentences as they are.
    """
    rng = random.Random(f"{seed}-{i}")
    pool = sources.sentence_pool()
    place, issuer, is_gov = choose_issuer(rng)
    year = rng.randint(max(YEARS[0], place.start), YEARS[1])
    traditional, chrome = rng.random() < 0.10, rng.random() < 0.20
    title_style = rng.choices(("line", "none", "split"), weights=(78, 12, 10))[0]
    # A government's report often names only the place: 忻府区2022年度法治政府建设工作报告.
    named = place.qualified if is_gov and title_style != "none" and rng.random() < 0.3 else issuer
    title = rng.choice(_TITLES).format(issuer=named, year=year)
    title_lines = {"line": [title], "none": []}.get(title_style)
    if title_lines is None:
        cut = title.index(str(year)) if rng.random() < 0.5 else title.index("法治")
        title_lines = [title[:cut], title[cut:]]
    page = sources.page_chrome(rng, place, rng.choice(sources.places()[rng.choice(
        ("province", "city", "county"))]), year, title if title_lines else "") if chrome else None
    if chrome and page["style"] in sources.ONE_LINE_STYLES and title_lines:
        title_lines = [title]
    pieces: list[str] = list(page["head"]) if chrome else []
    first_title = len(pieces)
    pieces += title_lines
    if chrome and page["prefix"] and title_lines:
        pieces[first_title] = page["prefix"] + pieces[first_title]
    if chrome and page["meta"]:
        pieces.append(page["meta"])
    pieces.append(rng.choice(_OPENINGS).format(year=year, issuer=issuer))
    if chrome:
        foot = _chrome_foot(rng, place)
    if traditional:
        pieces = [to_traditional(p) for p in pieces]
    budget = _target_chars(rng) - sum(map(len, pieces)) - (100 if chrome else 0)
    pieces += _body(rng, pool, budget, to_traditional if traditional else None,
                    longtail=vocabulary == "longtail")
    if chrome:
        pieces += [to_traditional(p) for p in foot] if traditional else foot
    sep = "\n\n" if chrome else "\n"
    text = sep.join(pieces) + "\n"
    shown_title = "".join(pieces[first_title:first_title + len(title_lines)])
    if chrome and page["prefix"]:
        shown_title = shown_title[len(to_traditional(page["prefix"]) if traditional
                                      else page["prefix"]):]
    truth = {"title": shown_title or None, "province": place.province,
             "city": place.city, "county": place.name if place.level == "county" else None,
             "level": place.level, "year": year, "issuer": issuer, "code": place.code,
             "script": "traditional" if traditional else "simplified", "chrome": chrome,
             "chrome_style": page["style"] if chrome else None,
             "published": page["published"] if chrome else None,
             "doc_number": (to_traditional(page["doc_number"]) if traditional
                            else page["doc_number"]) if chrome else None,
             "chars": len(text)}
    return text, truth


def _target_chars(rng: random.Random) -> int:
    return int(min(MAX_CHARS - 250, max(MIN_CHARS, rng.lognormvariate(8.85, 0.42))))


def _body(rng: random.Random, pool: sources.SentencePool, budget: int,
          convert=None, longtail: bool = False) -> list[str]:
    """Headings and paragraphs of 2–8 sample sentences until ``budget`` characters are used.

    ``convert`` (the cached ``to_traditional``) is applied per sentence, where caching works
    (per word when ``longtail`` rewrites the sentences).
    """
    if longtail:
        headings, sentences = vocab.tagged(pool.headings), vocab.tagged(pool.sentences)

        def pick(items):
            return vocab.rewrite(rng, rng.choice(items), convert)
    else:
        headings, sentences = pool.headings, pool.sentences
        plain = convert or (lambda s: s)

        def pick(items):
            return plain(rng.choice(items))
    out, used = [], 0
    while used < budget:
        if rng.random() < 0.18:
            piece = pick(headings)
        else:
            piece = "".join(pick(sentences) for _ in range(rng.randint(2, 8)))
            if rng.random() < 0.3:
                piece = "\u3000\u3000" + piece
        if out and used + len(piece) > budget + 200:
            continue                                   # too long for what is left: draw again
        out.append(piece)
        used += len(piece) + 1
    return out


def _chrome_foot(rng: random.Random, place: Place) -> list[str]:
    return ["关闭本页", "扫一扫在手机打开当前页", "打印本页 | 关闭窗口",
            f"主办单位：{place.province}人民政府办公厅  网站标识码：{place.code}{rng.randint(0, 9999):04d}",
            f"ICP备{rng.randint(10**7, 10**8 - 1)}号"]


def relative_path(i: int) -> str:
    """Where report ``i`` lives inside the corpus folder."""
    return f"{i // PER_FOLDER:03d}/{i:06d}.txt"


def _compose_chunk(args: tuple[int, int, int, str]) -> list[tuple[str, str, dict]]:
    """Reports ``start`` … ``stop - 1`` as ``(relative path, text, truth)``: a worker's share."""
    start, stop, seed, vocabulary = args
    return [(relative_path(i), *compose(i, seed, vocabulary)) for i in range(start, stop)]


CHUNK = 500


def generate(out: Path, docs: int, seed: int = 1, progress=None,
             vocabulary: str = "longtail", jobs: int = 1) -> dict:
    """Write ``docs`` reports and ``truth.jsonl`` into ``out``; return the manifest.

    Streaming: one report (with ``jobs`` > 1, a few chunks of ``CHUNK`` reports) is in memory at
    a time. Report *i* depends only on ``seed`` and *i*, so ``jobs`` processes write the same
    files and the same ``truth.jsonl`` as one (100,000 reports: about 2 minutes on one core).
    """
    out.mkdir(parents=True, exist_ok=True)
    started, chars = time.perf_counter(), 0
    chunks = [(a, min(a + CHUNK, docs), seed, vocabulary) for a in range(0, docs, CHUNK)]
    pool = None
    if jobs > 1 and len(chunks) > 1:
        import multiprocessing

        pool = multiprocessing.get_context("spawn").Pool(min(jobs, len(chunks)))
        made = pool.imap(_compose_chunk, chunks)
    else:
        made = map(_compose_chunk, chunks)
    done, folder = 0, None
    try:
        with open(out / "truth.jsonl.tmp", "w", encoding="utf-8") as truth_file:
            for reports in made:
                for rel, text, truth in reports:
                    path = out / rel
                    if path.parent != folder:
                        folder = path.parent
                        folder.mkdir(exist_ok=True)
                    path.write_text(text, encoding="utf-8")
                    chars += len(text)
                    truth_file.write(json.dumps({"path": rel, **truth}, ensure_ascii=False) + "\n")
                    done += 1
                    if progress and done % 1000 == 0:
                        progress(done)
    finally:
        if pool is not None:
            pool.terminate()
    os.replace(out / "truth.jsonl.tmp", out / "truth.jsonl")
    manifest = {"docs": docs, "seed": seed, "version": VOCABULARIES[vocabulary],
                "vocabulary": vocabulary, "chars": chars,
                "seconds": round(time.perf_counter() - started, 2)}
    (out / "corpus.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def ensure_corpus(out: Path, docs: int, seed: int = 1, progress=None,
                  vocabulary: str = "longtail") -> tuple[dict, bool]:
    """Reuse the corpus at ``out`` if it was generated with these parameters, else generate it.

    :returns: ``(manifest, generated)``.
    """
    try:
        manifest = json.loads((out / "corpus.json").read_text(encoding="utf-8"))
        if (manifest.get("docs"), manifest.get("seed"), manifest.get("version"),
                manifest.get("vocabulary", "samples")) == (
                docs, seed, VOCABULARIES[vocabulary], vocabulary) and not (out / "DIRTY").exists():
            return manifest, False
    except (OSError, ValueError):
        pass
    if out.exists():
        import shutil

        shutil.rmtree(out)
    return generate(out, docs, seed, progress, vocabulary), True


def read_truth(out: Path) -> list[dict]:
    """Return the truth records of a corpus, paths made absolute."""
    with open(out / "truth.jsonl", encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    root = out.resolve()
    for r in records:
        r["path"] = str(root / r["path"])
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description="Generate a synthetic report corpus.")
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=1,
                        help="processes composing reports (the files are the same for any value)")
    parser.add_argument("--vocabulary", choices=tuple(VOCABULARIES), default="longtail",
                        help="longtail: dictionary words replace content words; samples: the "
                             "sample sentences as they are (the old corpus)")
    args = parser.parse_args()
    manifest = generate(args.out, args.docs, args.seed,
                        lambda n: print(f"  {n} reports", flush=True), args.vocabulary,
                        args.jobs)
    print(json.dumps(manifest))


if __name__ == "__main__":
    main()
