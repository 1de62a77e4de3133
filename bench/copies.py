"""Benchmark of copies (issue 11): does the real indexer group the copies of a report, and only
them?

``python -m bench.copies --bases 800 --jobs 2`` writes a corpus to ``bench/work/copies-N/``:
for each of ``N`` base reports (``bench.corpus.compose``, the main benchmark's generator) two
copies, each with one of the mutations researchers' folders really have, cycled so that every
mutation gets the same share, and one report that must stay apart from it:

copies (the same report)
  ``chrome``      the page as a portal reposts it: another site's chrome above and below
                  (``sources.page_chrome``, date banners and breadcrumbs naming other regions);
  ``gbk``         saved as GBK (GB18030 where a character has no GBK code) with CRLF line ends;
  ``script``      the other script (OpenCC ``s2t``, or ``t2s`` for a traditional base);
  ``wrapped``     the text as a PDF's extraction gives it: hard-wrapped at 36 characters with
                  ``\\r\\n``, a running header and a page number every 30 lines;
  ``edited``      a few sentences edited (a clause replaced, a number changed), a few removed;
  ``excerpt``     cut short at a line end, keeping 50–95% of the report;
  ``pdf``/``docx`` (``--attachments K`` bases) the report printed to PDF by headless Chromium and
                  written as .docx by python-docx, as ``tests/attachment_files.py`` makes them;

apart (another report)
  ``other_year``  the same body's report of another year: the same text with the year changed
                  and a fifth of its paragraphs rewritten (the boilerplate of a body's reports);
  ``other_place`` one template, two places: the same text with the issuer, its region and its
                  parents renamed to another division of the same level;
  ``boilerplate`` another body's report of the same year that shares half its paragraphs.

It indexes the folder with ``indexer.build.build_index`` (the real indexer, ``--jobs``
processes), reads the groups of the live build (``groups.json``) and counts pairs: precision and
recall of "same report" over all pairs of files (targets 99.5% and 98%), recall per mutation,
merges per kind of report that must stay apart, and merges across years (target 0). Results go
to ``bench/results/copies.json`` and ``copies.md``.
"""
from __future__ import annotations

import argparse
import functools
import json
import random
import re
import shutil
import time
from collections import Counter, defaultdict
from pathlib import Path

from bench import sources
from bench.corpus import _body, compose, to_traditional

ROOT = Path(__file__).resolve().parent.parent
MUTATIONS = ("chrome", "gbk", "script", "wrapped", "edited", "excerpt")
APART = ("other_year", "other_place", "boilerplate")
#: Base reports are drawn from this offset of ``compose``'s numbering, apart from the main corpus.
OFFSET = 500_000
_SENTENCE = re.compile(r"(?<=[。！？])")


@functools.lru_cache(maxsize=200_000)
def _to_simplified(text: str) -> str:
    import opencc

    return _t2s().convert(text)


@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def _per_sentence(text: str, convert) -> str:
    """Convert sentence by sentence: sentences repeat across reports, so the cache works."""
    return "".join(convert(s) for s in _SENTENCE.split(text))


@functools.lru_cache(maxsize=1)
def _places_by_code() -> dict[str, sources.Place]:
    return {p.code: p for level in sources.places().values() for p in level}


# --------------------------------------------------------------------------------------------
# Copies

def _opening(lines: list[str], year: int) -> int:
    """Index of the opening sentence (every opening of ``bench.corpus`` starts with the year)."""
    return next(i for i, ln in enumerate(lines)
                if ln.startswith((f"{year}年，", f"{year}年以来", f"{year}年以來")))


def chrome(text: str, truth: dict, rng: random.Random) -> str:
    """The report under another site's chrome; a base with chrome of its own loses its head
    lines and its footer (a repost keeps the original's date line at most)."""
    table = sources.places()
    place = _places_by_code()[truth["code"]]
    other = rng.choice(table[rng.choice(("province", "city", "county"))])
    page = sources.page_chrome(rng, place, other, truth["year"], truth["title"] or "")
    lines = text.strip("\n").split("\n")
    if truth["chrome"]:
        title = truth["title"]
        start = (next(i for i, ln in enumerate(lines) if title[:6] in ln) if title
                 else _opening(lines, truth["year"]))
        lines = [ln for ln in lines[start:] if ln][:-5]        # the old foot: 5 lines
    opening = _opening(lines, truth["year"])
    if page["prefix"] and opening > 0:
        lines[0] = page["prefix"] + lines[0]
    if page["meta"]:
        lines.insert(opening, page["meta"])
    foot = ["【打印本页】【关闭窗口】", "扫一扫在手机打开当前页",
            f"主办单位：{other.province}人民政府办公厅  版权所有  ICP备{rng.randint(10**7, 10**8 - 1)}号"]
    return "\n".join(page["head"] + lines + foot) + "\n"


def gbk(text: str) -> bytes:
    body = text.replace("\n", "\r\n")
    try:
        return body.encode("gbk")
    except UnicodeEncodeError:
        return body.encode("gb18030")


def other_script(text: str, truth: dict) -> str:
    if truth["script"] == "traditional":
        return _per_sentence(text, _to_simplified)
    return _per_sentence(text, to_traditional)


def wrapped(text: str, truth: dict, width: int = 36, per_page: int = 30) -> str:
    header = truth["issuer"]
    out, page = [], 1
    for line in text.split("\n"):
        line = line.strip()
        for start in range(0, len(line), width):
            out.append(line[start:start + width])
            if len(out) % (per_page + 2) == per_page:
                out += [f"— {page} —", header]
                page += 1
    return "\r\n".join(out) + "\r\n"


def edited(text: str, truth: dict, rng: random.Random) -> str:
    """A few body sentences rewritten or left out, two figures changed (the title and opening,
    which name the issuer and the year, stay)."""
    lines = text.split("\n")
    cut = _opening(lines, truth["year"]) + 1
    head, body = "\n".join(lines[:cut]) + "\n", "\n".join(lines[cut:])
    sentences = _SENTENCE.split(body)
    long = [i for i, s in enumerate(sentences) if len(s) > 20]
    picked = rng.sample(long, min(len(long), rng.randint(3, 6)))
    for n, i in enumerate(picked):
        s = sentences[i]
        if n % 2:
            sentences[i] = ""                                     # a sentence left out
        else:                                                     # a clause rewritten
            sentences[i] = s[:len(s) // 2] + rng.choice(("，各项工作取得明显成效。", "，有关工作稳步推进。",
                                                          "，相关制度进一步健全。"))
    out = re.sub(r"\d+(?=[件个项次人])", lambda m: str(int(m.group()) + rng.randint(1, 9)),
                 "".join(sentences), count=2)
    return head + out


def excerpt(text: str, rng: random.Random) -> str:
    share = rng.uniform(0.5, 0.95)
    end = text.find("\n", int(len(text) * share))
    return text[: end if end > 0 else len(text)] + "\n"


# --------------------------------------------------------------------------------------------
# Reports that must stay apart

def other_year(text: str, truth: dict, rng: random.Random) -> tuple[str, int]:
    year = truth["year"]
    new = year + 1 if year < 2025 else year - 1
    lines = text.replace(str(year), str(new)).split("\n")
    return "\n".join(_rewrite(lines, _opening(lines, new) + 1, 0.2, truth, rng)), new


def _rewrite(lines: list[str], start: int, share: float, truth: dict,
             rng: random.Random) -> list[str]:
    """Replace about ``share`` of the paragraphs after ``start`` with new ones (same script)."""
    pool = sources.sentence_pool()
    convert = to_traditional if truth["script"] == "traditional" else None
    out = list(lines)
    for i in range(start, len(out)):
        if len(out[i]) > 40 and rng.random() < share:
            out[i] = "".join(_body(rng, pool, len(out[i]), convert)[:1])
    return out


def _rename(text: str, truth: dict, other: sources.Place) -> str:
    place = _places_by_code()[truth["code"]]
    names = [(truth["issuer"], truth["issuer"].replace(place.qualified, other.qualified)
              .replace(place.name, other.name)), (place.qualified, other.qualified),
             (place.name, other.name)]
    if place.city and other.city:
        names.append((place.city, other.city))
    names.append((place.province, other.province))
    convert = to_traditional if truth["script"] == "traditional" else (lambda x: x)
    for old, new in names:
        old, new = convert(old), convert(new)
        if old and old != new:
            text = text.replace(old, new)
    return text


def _another(rng: random.Random, level: str, not_code: str) -> sources.Place:
    table = sources.places()[level]
    while True:
        other = rng.choice(table)
        if other.code != not_code and other.province != _places_by_code()[not_code].province:
            return other


def other_place(text: str, truth: dict, rng: random.Random) -> str:
    return _rename(text, truth, _another(rng, truth["level"], truth["code"]))


def boilerplate(text: str, truth: dict, rng: random.Random) -> str:
    other = _another(rng, rng.choice(("province", "city", "county")), truth["code"])
    lines = _rename(text, truth, other).split("\n")
    return "\n".join(_rewrite(lines, _opening(lines, truth["year"]) + 1, 0.5, truth, rng))


# --------------------------------------------------------------------------------------------
# The corpus

def generate(out: Path, bases: int, seed: int, attachments: int) -> list[dict]:
    """Write the corpus into ``out``; return the truth: path, report (the true group), year, kind."""
    if out.exists():
        shutil.rmtree(out)
    truth_rows, pdf_jobs = [], []
    for i in range(bases):
        text, truth = compose(OFFSET + i, seed)
        rng = random.Random(f"copies-{seed}-{i}")
        folder = out / f"{i // 500:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        report = f"r{i}"

        def put(kind: str, body, report_key: str, year: int, suffix: str = ".txt") -> Path:
            path = folder / f"{i:06d}-{kind}{suffix}"
            if isinstance(body, bytes):
                path.write_bytes(body)
            elif body is not None:
                path.write_text(body, encoding="utf-8")
            truth_rows.append({"path": str(path.relative_to(out)), "report": report_key,
                               "year": year, "kind": kind, "base": i})
            return path

        put("base", text, report, truth["year"])
        for kind in (MUTATIONS[(2 * i) % 6], MUTATIONS[(2 * i + 1) % 6]):
            body = {"chrome": lambda: chrome(text, truth, rng), "gbk": lambda: gbk(text),
                    "script": lambda: other_script(text, truth),
                    "wrapped": lambda: wrapped(text, truth),
                    "edited": lambda: edited(text, truth, rng), "excerpt": lambda: excerpt(text, rng)}
            put(kind, body[kind](), report, truth["year"])
        kind = APART[i % 3]
        if kind == "other_year":
            body, year = other_year(text, truth, rng)
            put(kind, body, f"{report}-{kind}", year)
        elif kind == "other_place":
            put(kind, other_place(text, truth, rng), f"{report}-{kind}", truth["year"])
        else:
            put(kind, boilerplate(text, truth, rng), f"{report}-{kind}", truth["year"])
        if i < attachments:
            pdf_jobs.append((text, put("pdf", None, report, truth["year"], ".pdf"), "dash"))
            from tests import attachment_files as files

            files.report_docx(text, put("docx", None, report, truth["year"], ".docx"))
    if pdf_jobs:
        from tests import attachment_files as files

        files.print_pdfs(pdf_jobs)
    (out / "truth.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                             for r in truth_rows), encoding="utf-8")
    return truth_rows


# --------------------------------------------------------------------------------------------
# Measuring

def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def score(truth: list[dict], predicted: dict[str, str]) -> dict:
    """Pair counts of the predicted groups (path → group id) against the truth."""
    by_path = {r["path"]: r for r in truth}
    groups = defaultdict(list)
    for path, gid in predicted.items():
        groups[gid].append(by_path[path])
    true_sizes = Counter(r["report"] for r in truth)
    predicted_pairs = sum(_pairs(len(m)) for m in groups.values())
    same = sum(_pairs(n) for m in groups.values()
               for n in Counter(r["report"] for r in m).values())
    true_pairs = sum(_pairs(n) for n in true_sizes.values())
    cross_year = sum(_pairs(len(m)) - sum(_pairs(n) for n in Counter(r["year"] for r in m).values())
                     for m in groups.values())
    gid_of = {r["path"]: predicted[r["path"]] for r in truth}
    base_group = {r["base"]: gid_of[r["path"]] for r in truth if r["kind"] == "base"}
    per_kind = defaultdict(lambda: [0, 0])            # kind → [with its base, files]
    for r in truth:
        if r["kind"] != "base":
            per_kind[r["kind"]][0] += gid_of[r["path"]] == base_group[r["base"]]
            per_kind[r["kind"]][1] += 1
    wrong = [sorted(r["path"] for r in m) for m in groups.values()
             if len({r["report"] for r in m}) > 1]
    missed = sorted(r["path"] for r in truth if r["kind"] in MUTATIONS + ("pdf", "docx")
                    and gid_of[r["path"]] != base_group[r["base"]])
    return {
        "files": len(truth), "reports_true": len(true_sizes), "reports_found": len(groups),
        "pairs_true": true_pairs, "pairs_predicted": predicted_pairs, "pairs_right": same,
        "precision": round(same / predicted_pairs, 5) if predicted_pairs else 1.0,
        "recall": round(same / true_pairs, 5) if true_pairs else 1.0,
        "cross_year_pairs": cross_year,
        "copies_with_their_base": {k: {"share": round(v[0] / v[1], 4), "of": v[1]}
                                   for k, v in sorted(per_kind.items()) if k not in APART},
        "apart_merged_with_base": {k: {"merged": v[0], "of": v[1]}
                                   for k, v in sorted(per_kind.items()) if k in APART},
        "wrong_groups": wrong[:20], "missed_copies": missed[:30],
    }


def predicted_groups(index_dir: Path, corpus: Path) -> dict[str, str]:
    from search import store
    from search.groups import load_groups

    build = store.current_build(index_dir)
    entries = load_groups(build.path)
    root = str(corpus.resolve())
    return {str(Path(e["info"]["path"]).relative_to(root)): e["group"] for e in entries.values()}


def grouping_seconds(index_dir: Path) -> dict:
    """Time ``compute_groups`` alone over the build's recorded sketches."""
    from indexer import copies
    from search import store

    known = copies.load_copies(store.current_build(index_dir).path)
    started = time.perf_counter()
    copies.compute_groups(known)
    return {"reports": len(known), "seconds": round(time.perf_counter() - started, 3)}


def to_markdown(r: dict) -> str:
    s = r["score"]
    lines = [f"# Copies benchmark ({r['when']}, commit {r['commit']})", "",
             f"`python -m bench.copies --bases {r['bases']} --jobs {r['jobs']}`: "
             f"{s['files']} files, {s['reports_true']} reports; indexed in "
             f"{r['index_seconds']} s ({r['files_per_s']} files/s), grouping alone "
             f"{r['grouping']['seconds']} s.", "",
             "| measure | value | target |", "|---|---|---|",
             f"| precision of same report (pairs) | {s['precision']:.2%} "
             f"({s['pairs_right']} of {s['pairs_predicted']}) | ≥ 99.5% |",
             f"| recall of same report (pairs) | {s['recall']:.2%} "
             f"({s['pairs_right']} of {s['pairs_true']}) | ≥ 98% |",
             f"| pairs grouped across years | {s['cross_year_pairs']} | 0 |",
             f"| reports found / true | {s['reports_found']} / {s['reports_true']} | equal |", "",
             "| copy | grouped with its report | files |", "|---|---|---|"]
    lines += [f"| {k} | {v['share']:.2%} | {v['of']} |" for k, v in s["copies_with_their_base"].items()]
    lines += ["", "| must stay apart | merged with the report | files |", "|---|---|---|"]
    lines += [f"| {k} | {v['merged']} | {v['of']} |" for k, v in s["apart_merged_with_base"].items()]
    if s["missed_copies"]:
        lines += ["", "Copies missed (first 30): " + ", ".join(s["missed_copies"])]
    if s["wrong_groups"]:
        lines += ["", "Groups with more than one report (first 20): "
                  + "; ".join(" + ".join(g) for g in s["wrong_groups"])]
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    import subprocess

    from indexer.build import build_index

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bases", type=int, default=800, help="base reports (4 files each)")
    ap.add_argument("--attachments", type=int, default=10,
                    help="bases that also get a real PDF and .docx copy")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "work")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = ap.parse_args(argv)
    corpus = args.work / f"copies-{args.bases}" / "corpus"
    index_dir = args.work / f"copies-{args.bases}" / "index"
    started = time.perf_counter()
    truth = generate(corpus, args.bases, args.seed, args.attachments)
    generated = time.perf_counter() - started
    shutil.rmtree(index_dir, ignore_errors=True)
    started = time.perf_counter()
    build_index([corpus], index_dir, jobs=args.jobs)
    seconds = time.perf_counter() - started
    result = {
        "when": time.strftime("%Y-%m-%dT%H:%M"), "bases": args.bases, "jobs": args.jobs,
        "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                 capture_output=True, text=True).stdout.strip(),
        "generate_seconds": round(generated, 1), "index_seconds": round(seconds, 1),
        "files_per_s": round(len(truth) / seconds, 1), "grouping": grouping_seconds(index_dir),
        "score": score(truth, predicted_groups(index_dir, corpus)),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "copies.json").write_text(json.dumps(result, indent=1, ensure_ascii=False),
                                          encoding="utf-8")
    (args.out / "copies.md").write_text(to_markdown(result), encoding="utf-8")
    print(to_markdown(result))


if __name__ == "__main__":
    main()
