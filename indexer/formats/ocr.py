"""Scanned PDFs (no text layer): each page rendered with pypdfium2 and read by Tesseract.

Optional: it needs the ``tesseract`` program with its simplified-Chinese model (Debian:
``apt-get install tesseract-ocr tesseract-ocr-chi-sim``); without them a scan is skipped with a
reason that names those packages, and nothing else changes. Tesseract's Chinese model puts
spaces between characters; they are removed between CJK characters. The result is marked
``ocr=True`` (it has recognition errors) and goes through the same page-furniture removal and
line joining as a text layer (``formats.pdf.assemble``). OCR is per page: a PDF whose other
pages have a text layer gets only its scanned pages read. Limits: ``max_ocr_pages`` pages per
file (the first ones; a note on the report says how many were left out), and
:data:`PAGE_TIMEOUT` seconds per page.
"""
from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from search import settings
from indexer.formats import Extracted, UnreadableDocument

LANGUAGE = "chi_sim"
PACKAGES = "tesseract-ocr tesseract-ocr-chi-sim"
DPI = 300
#: A page is rendered with at most this many pixels (an A4 page at 300 dpi has 8.7 million), so
#: a PDF page of absurd size cannot exhaust memory.
MAX_PIXELS = 40_000_000
PAGE_TIMEOUT = 120
_CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=\S)|(?<=\S)[ \t]+(?=[{_CJK}])")


@functools.lru_cache(maxsize=1)
def tesseract() -> tuple[str, str] | None:
    """``(program, version)`` when Tesseract with the Chinese model is installed, else None."""
    program = shutil.which("tesseract")
    if not program:
        return None
    try:
        langs = subprocess.run([program, "--list-langs"], capture_output=True, text=True,
                               timeout=30).stdout.split()
        version = subprocess.run([program, "--version"], capture_output=True, text=True,
                                 timeout=30).stdout.split("\n")[0].split()[-1:]
    except (OSError, subprocess.SubprocessError):
        return None
    return (program, (version or ["?"])[0]) if LANGUAGE in langs else None


def read_pages(path: Path, pdf, scanned: list[int], pages: int,
               whole: bool) -> tuple[dict, str, list[str]]:
    """OCR the ``scanned`` pages (indexes) of an open PDF of ``pages`` pages.

    Returns ``(lines by page index, extractor, notes)``: at most ``max_ocr_pages`` pages are
    read, and the notes say how many were left out and why. Raises only when none could be
    read and the file is a scan (``whole``: no page has a text layer).
    """
    found = tesseract()
    if found is None:
        if whole:
            raise UnreadableDocument(path, "PDF has no text layer (a scan?): install "
                                           f"{PACKAGES} to read it with OCR")
        return {}, "", [f"{len(scanned)} scanned pages not read: install {PACKAGES}"]
    limit = int(settings.get("max_ocr_pages"))
    if whole and limit < 1:
        raise UnreadableDocument(path, f"scanned PDF of {pages} pages, and OCR is off "
                                       "(POLICY_MAX_OCR_PAGES is 0)")
    notes = []
    if len(scanned) > limit:
        notes.append(f"OCR read {limit} of {len(scanned)} scanned pages (limit "
                     "POLICY_MAX_OCR_PAGES)")
        scanned = scanned[:limit]
    with tempfile.TemporaryDirectory(prefix="policy-ocr-") as tmp:
        lines = {i: ocr_page(path, pdf[i], found[0], Path(tmp)) for i in scanned}
    extractor = f"tesseract {found[1]} {LANGUAGE} (OCR" + (
        "" if len(scanned) == pages else f" of {len(scanned)} of {pages} pages") + ")"
    return lines, extractor, notes


def ocr_page(path: Path, page, program: str, tmp: Path) -> list:
    """Render one page at :data:`DPI` (at most :data:`MAX_PIXELS`) and return Tesseract's
    lines, each marked when full."""
    try:
        width, height = page.get_size()
        scale = min(DPI / 72, (MAX_PIXELS / max(1.0, width * height)) ** 0.5)
        pixels = page.render(scale=scale, grayscale=True).to_numpy()
    finally:
        page.close()
    image = tmp / "page.pgm"              # Tesseract (Leptonica) reads PGM: no imaging library
    image.write_bytes(b"P5\n%d %d\n255\n" % (pixels.shape[1], pixels.shape[0])
                      + pixels.reshape(pixels.shape[0], -1)[:, :pixels.shape[1]].tobytes())
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}   # one core per worker, as jieba has
    try:
        done = subprocess.run([program, str(image), "stdout", "-l", LANGUAGE, "tsv"], env=env,
                              capture_output=True, timeout=PAGE_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise UnreadableDocument(path, f"OCR of a page took more than {PAGE_TIMEOUT} s") from None
    if done.returncode:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise UnreadableDocument(path, "OCR failed: "
                                 + (tail[0] if tail else f"exit {done.returncode}"))
    return tsv_lines(done.stdout.decode("utf-8", "replace"), pixels.shape[1])


def tsv_lines(tsv: str, page_width: int) -> list:
    """Tesseract's TSV (one row per word, with its box) → the page's lines, marked when they
    reach the right edge of the text, as ``formats.pdf`` marks a text layer's lines."""
    from indexer.formats.layout import mark_full

    lines: dict[tuple, list] = {}
    for row in tsv.split("\n")[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        left, width, height = int(cols[6]), int(cols[8]), int(cols[9])
        words = lines.setdefault((int(cols[2]), int(cols[3]), int(cols[4])), [])
        words.append((cols[11].strip(), left, left + width, height))
    heights = sorted(w[3] for words in lines.values() for w in words)
    em = heights[len(heights) // 2] if heights else 1
    texts = [remove_cjk_spaces(" ".join(w[0] for w in words)) for words in lines.values()]
    boxes = [(min(w[1] for w in words), max(w[2] for w in words)) for words in lines.values()]
    return mark_full(texts, boxes, page_width, em)


def remove_cjk_spaces(text: str) -> str:
    """``法 治 政 府 , 2022 年`` → ``法治政府,2022年``: no space next to a Chinese character or
    mark survives (Tesseract's Chinese model spaces them); spaces between Latin words stay."""
    return _CJK_GAP.sub("", text)
