"""What reading attachments costs: PDF, DOCX and OCR throughput, and text/HTML before and after.

    .venv/bin/python -m bench.attachments                       # attachments only
    .venv/bin/python -m bench.attachments --baseline /tmp/base  # plus text/HTML: this tree
                                                                # against a checkout of the old one

Attachments are real files made as the tests make them (``tests/attachment_files.py``): the five
sample reports printed to PDF by headless Chromium (running header, page numbers), the same as
.docx (python-docx), the same printed in two columns (CSS columns), as .doc (LibreOffice, when
installed: each read is a conversion), and a two-page scan of one (Pillow, image-only PDF). Each is read through
``indexer.reader.read_document`` (extraction, furniture removal, line joining; no indexing);
pages/s counts the PDF's pages, and for a .docx the pages of the same report printed as PDF.

With ``--baseline DIR`` (a checkout of an older commit, e.g. ``git worktree add /tmp/base
COMMIT``), ``indexer.pipeline.process_file`` (read, clean, metadata, segmentation: everything
before the index writer) runs over the same synthetic text and HTML reports in both trees,
alternately, in fresh processes, ``--rounds`` times; the medians are compared.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Runs in a fresh process in either tree: only APIs that both have.
_TIMER = """
import json, sys, time
from pathlib import Path
from indexer.pipeline import process_file
paths = [str(p) for p in sorted(Path(sys.argv[1]).rglob("*")) if p.suffix in (".txt", ".html")]
process_file(paths[0])                                    # jieba's dictionary, imports
started = time.perf_counter()
chars = 0
for path in paths:
    record = process_file(path)
    chars += len(record["_stored_content"])
print(json.dumps({"seconds": time.perf_counter() - started, "files": len(paths), "chars": chars}))
"""


_PDF_TIMER = """
import json, sys, time
from pathlib import Path
from indexer.reader import read_document
paths = [p for p in sorted(Path(sys.argv[1]).glob("*.pdf")) if "." not in p.stem and p.stem != "scan"]
read_document(paths[0])
started = time.perf_counter()
for _ in range(int(sys.argv[2])):
    for path in paths:
        read_document(path)
print(json.dumps({"seconds": time.perf_counter() - started, "files": len(paths)}))
"""


def compare_pdf(baseline: Path, folder: Path, rounds: int, copies: int) -> dict:
    """The same one-column PDFs read by both trees, alternately: what the layout rules cost."""
    runs = {"before": [], "after": []}
    for _ in range(rounds):
        for name, tree in (("before", baseline), ("after", ROOT)):
            done = subprocess.run([sys.executable, "-c", _PDF_TIMER, str(folder), str(copies)],
                                  cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)},
                                  capture_output=True, text=True, check=True)
            runs[name].append(json.loads(done.stdout.strip().splitlines()[-1])["seconds"])
    out = {name: {"seconds": round(statistics.median(v), 2), "all_seconds": [round(x, 2) for x in v]}
           for name, v in runs.items()}
    out["after_vs_before"] = round(out["before"]["seconds"] / out["after"]["seconds"], 3)
    return out


def text_corpus(folder: Path, docs: int) -> Path:
    """``docs`` synthetic reports as .txt, and each again as a saved web page (.html)."""
    import html

    from bench import corpus

    corpus.generate(folder / "txt", docs, seed=1)
    pages = folder / "html"
    pages.mkdir()
    for i, path in enumerate(sorted((folder / "txt").rglob("*.txt"))):
        lines = path.read_text(encoding="utf-8").split("\n")
        body = "".join(f"<p>{html.escape(line)}</p>\n" for line in lines if line.strip())
        (pages / f"{i:06d}.html").write_text(
            f"<html><head><meta charset='utf-8'><title>{html.escape(lines[0])}_门户网站</title>"
            f"</head><body><div class='nav'>首页 &gt; 政务公开</div><div class='TRS_Editor'>"
            f"{body}</div><div class='footer'>版权所有</div></body></html>", encoding="utf-8")
    return folder


def time_tree(tree: Path, corpus: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", _TIMER, str(corpus)], cwd=tree,
                          env={**os.environ, "PYTHONPATH": str(tree)}, capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def compare_text(baseline: Path, docs: int, rounds: int, work: Path) -> dict:
    """process_file over text and HTML reports: this tree against ``baseline``, alternately."""
    corpus = text_corpus(work / "text", docs)
    runs = {"before": [], "after": []}
    for _ in range(rounds):
        for name, tree in (("before", baseline), ("after", ROOT)):
            runs[name].append(time_tree(tree, corpus))
    out = {}
    for name, measured in runs.items():
        seconds = statistics.median(m["seconds"] for m in measured)
        out[name] = {"files": measured[0]["files"], "seconds": round(seconds, 2),
                     "files_per_s": round(measured[0]["files"] / seconds, 1),
                     "all_seconds": [round(m["seconds"], 2) for m in measured]}
    out["after_vs_before"] = round(out["before"]["seconds"] / out["after"]["seconds"], 3)
    return out


def attachments(work: Path, copies: int) -> dict:
    """Read PDF, DOCX and scanned-PDF copies of the samples; pages/s of each."""
    import pypdfium2 as pdfium

    from indexer.formats import ocr, office
    from indexer.reader import read_document
    from tests import attachment_files as files

    samples = sorted((ROOT / "data" / "sample").glob("*.txt"))
    folder = work / "attachments"
    folder.mkdir()
    texts = {p.stem: p.read_text(encoding="utf-8") for p in samples}
    files.print_pdfs([(text, folder / f"{stem}.pdf", "of") for stem, text in texts.items()])
    files.print_pdfs([(text, folder / f"{stem}.2col.pdf", "dash") for stem, text in texts.items()],
                     columns=2)
    pages = {}
    for stem, text in texts.items():
        files.report_docx(text, folder / f"{stem}.docx")
        for kind in ("pdf", "2col.pdf"):
            with pdfium.PdfDocument(folder / f"{stem}.{kind}") as pdf:
                pages[stem, kind] = len(pdf)
    kinds = {"pdf": "pdf", "pdf_two_columns": "2col.pdf", "docx": "docx"}
    if office.soffice():
        _to_doc([folder / f"{stem}.docx" for stem in texts], folder)
        kinds["doc"] = "doc"
    out = {}
    for name, suffix in kinds.items():
        rounds = 1 if suffix == "doc" else copies            # LibreOffice: seconds per file
        started = time.perf_counter()
        for _ in range(rounds):
            for stem in texts:
                read_document(folder / f"{stem}.{suffix}")
        seconds = time.perf_counter() - started
        total = rounds * sum(pages[stem, "2col.pdf" if suffix == "2col.pdf" else "pdf"]
                             for stem in texts)
        out[name] = {"files": rounds * len(texts), "pages": total,
                     "seconds": round(seconds, 2), "pages_per_s": round(total / seconds, 1)}
    if ocr.tesseract():
        lines = [ln for ln in texts[samples[3].stem].split("\n") if ln.strip()][2:14]
        count = files.scanned_pdf("\n".join(lines), folder / "scan.pdf")
        started = time.perf_counter()
        doc = read_document(folder / "scan.pdf")
        seconds = time.perf_counter() - started
        out["ocr"] = {"pages": count, "seconds": round(seconds, 2),
                      "pages_per_s": round(count / seconds, 2), "extractor": doc.extractor}
    else:
        out["ocr"] = {"error": "tesseract with chi_sim is not installed"}
    return out


def _to_doc(sources: list[Path], folder: Path) -> None:
    """Word 97 copies of the .docx files, made by LibreOffice (one call, its own profile)."""
    from indexer.formats import office

    subprocess.run([office.soffice(), f"-env:UserInstallation={(folder / 'lo').as_uri()}",
                    "--headless", "--norestore", "--convert-to", "doc", "--outdir", str(folder),
                    *map(str, sources)], check=True, capture_output=True, timeout=600,
                   env={**os.environ, "TMPDIR": str(folder)})


def to_markdown(r: dict) -> str:
    lines = [f"# Attachments benchmark ({r['started']}, {r['cpus']} cores, commit {r['commit']})",
             "", "| format | files | pages | seconds | pages/s |", "|---|---|---|---|---|"]
    for name in ("pdf", "pdf_two_columns", "docx", "doc", "ocr"):
        if name not in r["attachments"]:
            continue
        m = r["attachments"].get(name, {})
        if "error" in m:
            lines.append(f"| {name} | | | | {m['error']} |")
        else:
            lines.append(f"| {name} | {m.get('files', 1)} | {m['pages']} | {m['seconds']} | "
                         f"{m['pages_per_s']} |")
    if "text" in r:
        t = r["text"]
        lines += ["", f"Text and HTML (process_file, {t['before']['files']} files, median of "
                      f"{len(t['before']['all_seconds'])} alternating rounds):", "",
                  "| tree | seconds | files/s | all rounds |", "|---|---|---|---|"]
        for name in ("before", "after"):
            m = t[name]
            lines.append(f"| {name} ({r['baseline_commit'] if name == 'before' else r['commit']})"
                         f" | {m['seconds']} | {m['files_per_s']} | {m['all_seconds']} |")
        lines.append(f"\nAfter ÷ before speed: {t['after_vs_before']}.")
    if "pdf_before_after" in r:
        t = r["pdf_before_after"]
        lines += ["", "One-column PDFs (the five above, read by both trees alternately; seconds, "
                      f"median of {len(t['before']['all_seconds'])}): before "
                      f"{t['before']['seconds']} {t['before']['all_seconds']}, after "
                      f"{t['after']['seconds']} {t['after']['all_seconds']}; after ÷ before "
                      f"speed: {t['after_vs_before']}."]
    return "\n".join(lines) + "\n"


def _commit(tree: Path) -> str:
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=tree, capture_output=True,
                          text=True).stdout.strip() or "?"


def main(argv=None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.attachments", description=__doc__.split("\n")[0])
    p.add_argument("--baseline", type=Path, help="checkout of the commit to compare text/HTML with")
    p.add_argument("--docs", type=int, default=200, help="synthetic text reports (and as many HTML)")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--copies", type=int, default=4, help="times each attachment is read")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = p.parse_args(argv)
    r = {"started": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(),
         "commit": _commit(ROOT)}
    with tempfile.TemporaryDirectory(prefix="bench-attach-") as tmp:
        r["attachments"] = attachments(Path(tmp), args.copies)
        if args.baseline:
            r["baseline_commit"] = _commit(args.baseline) if (args.baseline / ".git").exists() \
                else args.baseline.name
            r["pdf_before_after"] = compare_pdf(args.baseline.resolve(),
                                                Path(tmp) / "attachments", args.rounds,
                                                args.copies)
            r["text"] = compare_text(args.baseline.resolve(), args.docs, args.rounds, Path(tmp))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "attachments.json").write_text(json.dumps(r, ensure_ascii=False, indent=1),
                                               encoding="utf-8")
    (args.out / "attachments.md").write_text(to_markdown(r), encoding="utf-8")
    print(to_markdown(r))


if __name__ == "__main__":
    main()
