"""OCR per page (``formats.pdf.scanned_pages``, ``formats.ocr.read_pages``) and how an OCR-read
report is shown: a scanned page among typed ones is read by Tesseract and only it; past
``max_ocr_pages`` the rest are left out with a note on the report; a blank page is no scan;
results and the report page say 「OCR 识别，文字可能有误」.

The PDFs are real: typed pages printed by headless Chromium, scanned pages drawn by Pillow,
joined with PDFium.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.formats import UnreadableDocument, ocr
from indexer.pipeline import inspect_file
from indexer.reader import read_document
from tests import attachment_files as files
from tests.conftest import SAMPLE_DIR

SAMPLES = sorted(SAMPLE_DIR.glob("*.txt"))
needs_tesseract = pytest.mark.skipif(ocr.tesseract() is None,
                                     reason="tesseract-ocr tesseract-ocr-chi-sim needed")
SCANNED = ("二、存在的不足\n一是法治宣传教育的针对性和实效性有待增强。\n"
           "二是行政执法人员的业务能力有待提高。")


def joined(parts: list[Path], out: Path) -> Path:
    """One PDF of the pages of ``parts``, in order (PDFium's page import)."""
    import pypdfium2 as pdfium

    target = pdfium.PdfDocument.new()
    for part in parts:
        source = pdfium.PdfDocument(part)
        target.import_pages(source)
        source.close()
    target.save(out)
    target.close()
    return out


def blank_pdf(out: Path) -> Path:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842).close()
    pdf.save(out)
    pdf.close()
    return out


@pytest.fixture(scope="module")
def parts(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("ocrpages")
    typed = folder / "typed.pdf"
    files.print_pdfs([(SAMPLES[3].read_text(encoding="utf-8"), typed, "dash")])
    scan = folder / "scan.pdf"
    files.scanned_pdf("某县报告\n" + SCANNED, scan, lines_per_page=3)
    return {"typed": typed, "scan": scan, "blank": blank_pdf(folder / "blank.pdf")}


def page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


@pytest.mark.slow
@needs_tesseract
def test_only_the_scanned_page_of_a_typed_pdf_is_ocr_read(parts, tmp_path):
    path = joined([parts["typed"], parts["scan"]], tmp_path / "mixed.pdf")
    typed, scans, total = page_count(parts["typed"]), page_count(parts["scan"]), \
        page_count(path)
    info = inspect_file(path)
    assert info["reader"]["ocr"] is True
    assert info["reader"]["extractor"].startswith("pypdfium2 ")
    assert info["reader"]["extractor"].endswith(f"(OCR of {scans} of {total} pages)")
    text = re.sub(r"\s+", "", read_document(path).text)
    typed_text = re.sub(r"\s+", "", read_document(parts["typed"]).text)
    assert text.startswith(typed_text)                     # the text layer, untouched
    assert typed == total - scans
    assert "行政执法人员的业务能力" in text                   # the scanned page, recognised
    assert info["title"] == inspect_file(SAMPLES[3])["title"]


@pytest.mark.slow
@needs_tesseract
def test_scanned_pages_past_the_ocr_limit_are_left_out_with_a_note(parts, tmp_path,
                                                                   monkeypatch):
    monkeypatch.setenv("POLICY_MAX_OCR_PAGES", "1")
    scans = page_count(parts["scan"])
    assert scans >= 2
    info = inspect_file(parts["scan"])
    assert info["reader"]["ocr"] is True
    assert info["reader"]["extractor"].endswith(f"(OCR of 1 of {scans} pages)")
    assert f"OCR read 1 of {scans} scanned pages (limit POLICY_MAX_OCR_PAGES)" \
        in info["warnings"]
    assert "某县报告" in info["text"] and "业务能力" not in info["text"]
    from click.testing import CliRunner

    from indexer.cli import cli

    shown = CliRunner().invoke(cli, ["inspect", str(parts["scan"])]).output
    assert re.search(rf"read by: +tesseract \S+ chi_sim \(OCR of 1 of {scans} pages\), "
                     rf"{scans} pages \(OCR-read\)", shown), shown
    assert f"warning:      OCR read 1 of {scans} scanned pages" in shown


@pytest.mark.slow
def test_without_tesseract_the_typed_pages_index_and_the_scans_are_named(parts, tmp_path,
                                                                         monkeypatch):
    path = joined([parts["typed"], parts["scan"]], tmp_path / "mixed.pdf")
    monkeypatch.setenv("PATH", str(tmp_path))
    ocr.tesseract.cache_clear()
    try:
        info = inspect_file(path)
    finally:
        ocr.tesseract.cache_clear()
    scans = page_count(parts["scan"])
    assert info["reader"]["ocr"] is False
    assert f"{scans} scanned pages not read: install tesseract-ocr tesseract-ocr-chi-sim" \
        in info["warnings"]
    assert info["title"] == inspect_file(SAMPLES[3])["title"]


@pytest.mark.slow
def test_a_blank_page_in_a_typed_pdf_is_no_scan(parts, tmp_path):
    path = joined([parts["typed"], parts["blank"]], tmp_path / "with_blank.pdf")
    doc = read_document(path)
    assert (doc.ocr, doc.extractor.startswith("pypdfium2 "), "tesseract" in doc.extractor) == \
        (False, True, False)


# --- the web shows an OCR-read report as such ------------------------------------------------

@pytest.mark.slow
@needs_tesseract
def test_results_and_the_report_page_say_a_report_was_ocr_read(parts, tmp_path):
    from indexer.build import build_index
    from web import create_app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    scan_text = "\n".join([ln for ln in SAMPLES[3].read_text(encoding="utf-8").split("\n")
                           if ln.strip()][2:6])
    files.scanned_pdf(scan_text, corpus / "scan.pdf")
    (corpus / "typed.txt").write_text(SAMPLES[0].read_text(encoding="utf-8"), encoding="utf-8")
    report = build_index([corpus], tmp_path / "ix", jobs=1)
    assert (report.added, report.skipped) == (2, [])
    client = create_app({"TESTING": True, "index_dir": tmp_path / "ix"}).test_client()
    page = client.get("/?q=法治政府").get_data(as_text=True)
    hits = re.findall(r'<li class="hit">.*?</li>', page, re.S)
    assert len(hits) == 2
    ocr_hits = [h for h in hits if "OCR 识别，文字可能有误" in h]
    assert len(ocr_hits) == 1 and "忻府区" in ocr_hits[0]
    link = re.search(r'href="(/report/[^"?]+)', ocr_hits[0]).group(1)
    body = client.get(link).get_data(as_text=True)
    assert '<span class="tag tag-ocr">OCR 识别，文字可能有误</span>' in body
    assert '<td class="reader">PDF（OCR 识别，文字可能有误）</td>' in body
    typed = re.search(r'href="(/report/[^"?]+)', next(h for h in hits if h not in ocr_hits))
    other = client.get(typed.group(1)).get_data(as_text=True)
    assert "OCR 识别" not in other and '<td class="reader">文本文件</td>' in other


def test_a_pdf_of_blank_pages_is_a_skip_without_ocr(tmp_path, monkeypatch):
    """Nothing drawn on any page: nothing to OCR (without Tesseract on PATH, a try would have
    asked for it)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(50):
        pdf.new_page(595, 842).close()
    pdf.save(tmp_path / "blank.pdf")
    pdf.close()
    monkeypatch.setenv("PATH", str(tmp_path))
    ocr.tesseract.cache_clear()
    try:
        with pytest.raises(UnreadableDocument) as info:
            read_document(tmp_path / "blank.pdf")
    finally:
        ocr.tesseract.cache_clear()
    assert info.value.reason == "no text found in the PDF"
