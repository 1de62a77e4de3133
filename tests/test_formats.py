"""Every file in a report folder is read or accounted for: PDF, scanned PDF, Word (issue 10).

The files are real: PDFs printed by headless Chromium with a running header and page numbers,
scans drawn by Pillow and OCR-read by Tesseract, .docx files written by python-docx, and broken
copies of each.
"""
from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import cli
from indexer.formats import UnreadableDocument, docx as docx_format, ocr, office, pdf
from indexer.formats.pdf import Line, assemble, is_page_number
from indexer.pipeline import inspect_file
from indexer.reader import read_document
from tests import attachment_files as files
from tests.conftest import SAMPLE_DIR

SAMPLES = sorted(SAMPLE_DIR.glob("*.txt"))
META = ("title", "display_title", "year", "year_source", "published", "province", "city",
        "county", "level", "issuer", "script")
FOOTERS = ("dash", "hyphen", "of", "dash", "of")


def metadata(info: dict) -> dict:
    return {key: info[key] for key in META}


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- page furniture and line joining, on constructed pages -----------------------------------

@pytest.mark.parametrize("line", ["3", "- 3 -", "-3-", "— 3 —", "－3－", "~ 12 ~", "第3页",
                                  "第 3 页 共 12 页", "第3页，共12页", "共12页 第3页", "3/12",
                                  "Page 3 of 12"])
def test_page_number_lines(line):
    assert is_page_number(line)


@pytest.mark.parametrize("line", ["2023年", "一、加强组织领导", "3个乡镇", "第3条", "（3）",
                                  "2024-01-02"])
def test_lines_that_are_not_page_numbers(line):
    assert not is_page_number(line)


def test_running_header_footer_and_page_numbers_go_and_a_paragraph_joins_across_pages():
    pages = [
        [Line("某县人民政府文件", False), Line("某县2023年度法治政府建设情况报告", False),
         Line("2023年，我县全面推进依法行政，三是全面", True), Line("— 1 —", False)],
        [Line("某县人民政府文件", False), Line("落实行政执法责任制，取得实效。", False),
         Line("二、存在的不足", False), Line("— 2 —", False)],
        [Line("某县人民政府文件", False), Line("一是制度建设有待加强。", False),
         Line("第3页 共3页", False)],
    ]
    assert assemble(pages) == ("某县2023年度法治政府建设情况报告\n"
                               "2023年，我县全面推进依法行政，三是全面落实行政执法责任制，取得实效。\n"
                               "二、存在的不足\n一是制度建设有待加强。")


def test_a_line_that_occurs_on_one_page_only_stays():
    pages = [[Line("报告标题", False), Line("正文第一页。", False)],
             [Line("另一行", False), Line("正文第二页。", False)]]
    assert assemble(pages) == "报告标题\n正文第一页。\n另一行\n正文第二页。"


def test_ocr_spacing_between_chinese_characters_goes():
    assert ocr.remove_cjk_spaces("法 治 政 府 建 设 , 2022 年度 open data") == \
        "法治政府建设, 2022年度open data"


def test_ocr_lines_from_tesseract_tsv_are_marked_full_by_their_right_edge():
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [(1, 1, 1, 200, 2060, "全面推进依法行政"), (1, 1, 2, 200, 1100, "取得实效。"),
            (1, 2, 1, 200, 1300, "二、存在的不足")]
    tsv = "\n".join([header] + [f"5\t1\t{b}\t{p}\t{ln}\t1\t{left}\t0\t{w}\t48\t90\t{t}"
                                for b, p, ln, left, w, t in rows])
    lines = ocr.tsv_lines(tsv, 2480)
    assert [(ln.text, ln.full) for ln in lines] == [
        ("全面推进依法行政", True), ("取得实效。", False), ("二、存在的不足", False)]


# --- Word ------------------------------------------------------------------------------------

def test_docx_reads_body_and_table_in_order_without_header_footer_or_comment(tmp_path):
    path = tmp_path / "report.docx"
    text = SAMPLES[4].read_text(encoding="utf-8")
    files.report_docx(text, path, table=[["成文日期", "2024-01-02"], ["发布机构", "苏州市行政审批局"]])
    doc = read_document(path)
    assert (doc.kind, doc.extractor.split()[0]) == ("docx", "python-docx")
    lines = doc.text.split("\n")
    first = [ln.strip() for ln in text.split("\n") if ln.strip()]
    assert lines[:4] == [first[0], first[1], "成文日期 2024-01-02", "发布机构 苏州市行政审批局"]
    for furniture in (files.RUNNING_HEADER, "页脚文字", "批注文字"):
        assert furniture not in doc.text


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def broken_docx() -> dict[str, tuple[bytes, str]]:
    good = files.docx_bytes("报告标题\n正文。")
    return {
        "truncated.docx": (good[: len(good) // 2], "damaged or truncated .docx"),
        "not_a_zip.docx": (b"PK\x03\x04 this is not really a zip archive" * 10,
                           "damaged or truncated .docx"),
        "encrypted.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
                           "encrypted (password-protected) or old-format Word file"),
        "no_document.docx": (zipped({"hello.txt": b"hi"}), "not a Word document"),
        "bomb.docx": (zipped({"word/document.xml": b" " * (12 * 2**20),
                              "[Content_Types].xml": b"<x/>"}),
                      "the .docx would unpack to 12 MB, more than 4 MB (a decompression bomb?)"),
        "bad_xml.docx": (zipped({"word/document.xml": b"<w:document", "[Content_Types].xml":
                                 b"<Types/>"}), "damaged .docx"),
    }


@pytest.mark.parametrize("name", sorted(broken_docx()))
def test_broken_docx_is_skipped_with_its_own_reason(tmp_path, monkeypatch, name):
    monkeypatch.setenv("POLICY_MAX_FILE_BYTES", str(2**20))      # unpacked limit: 4 MB
    data, reason = broken_docx()[name]
    (tmp_path / name).write_bytes(data)
    with pytest.raises(UnreadableDocument) as info:
        read_document(tmp_path / name)
    assert info.value.reason.startswith(reason)
    assert len(data) < 2**20                     # the bomb is small on disk


# --- broken PDFs -----------------------------------------------------------------------------

def broken_pdfs(good: bytes) -> dict[str, tuple[bytes, str]]:
    return {
        "encrypted.pdf": (files.encrypted_pdf(), "encrypted PDF: it needs a password to open"),
        "damaged.pdf": (b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n",
                        "damaged or truncated PDF (PDFium cannot parse it)"),
        "truncated.pdf": (good[: len(good) // 2],
                          "truncated PDF (it ends before its end-of-file marker)"),
        "not_a_pdf.pdf": (b"<html>a web page saved as .pdf</html>",
                          "not a PDF file (no %PDF header)"),
        "5000_pages.pdf": (files.many_pages_pdf(5000),
                           "PDF has 5000 pages, more than the limit of 2000 (set POLICY_MAX_PAGES)"),
    }


@pytest.mark.parametrize("name", sorted(broken_pdfs(b"")))
def test_broken_pdf_is_skipped_with_its_own_reason(tmp_path, name):
    good = files.minimal_pdf()
    data, reason = broken_pdfs(good)[name]
    (tmp_path / name).write_bytes(data)
    with pytest.raises(UnreadableDocument) as info:
        read_document(tmp_path / name)
    assert info.value.reason == reason


def test_a_scan_without_tesseract_names_the_packages_to_install(tmp_path, monkeypatch):
    files.scanned_pdf("报告标题\n正文。", tmp_path / "scan.pdf")
    monkeypatch.setenv("PATH", str(tmp_path))              # no tesseract on this PATH
    ocr.tesseract.cache_clear()
    try:
        with pytest.raises(UnreadableDocument) as info:
            read_document(tmp_path / "scan.pdf")
    finally:
        ocr.tesseract.cache_clear()
    assert info.value.reason == ("PDF has no text layer (a scan?): install tesseract-ocr "
                                 "tesseract-ocr-chi-sim to read it with OCR")


@pytest.mark.parametrize("suffix", [".doc", ".wps", ".rtf"])
def test_old_word_formats_without_libreoffice_name_it(tmp_path, monkeypatch, suffix):
    path = tmp_path / f"report{suffix}"
    path.write_bytes(b"{\\rtf1 \\u27861? report}" if suffix == ".rtf"
                     else b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(UnreadableDocument) as info:
        read_document(path)
    assert info.value.reason == (f"{suffix} files need LibreOffice to be read: install "
                                 "libreoffice-writer-nogui (soffice was not found)")


@pytest.mark.parametrize("suffix", [".doc", ".wps", ".rtf"])
def test_an_old_word_name_on_something_else_is_a_skip_without_libreoffice(tmp_path, suffix):
    path = tmp_path / f"report{suffix}"
    path.write_bytes("只是一段文字，不是文档".encode("gb18030") * 20)
    with pytest.raises(UnreadableDocument) as info:
        read_document(path)
    assert info.value.reason == (f"not a Word document: this {suffix} file is neither a "
                                 "Word/WPS compound file nor RTF")


def test_a_docx_or_web_page_saved_under_an_old_word_name_is_read_as_what_it_is(tmp_path):
    (tmp_path / "a.doc").write_bytes(files.docx_bytes("某县2023年度法治政府建设情况报告\n正文。"))
    (tmp_path / "b.doc").write_bytes("<html><body><h1>某县报告</h1><p>正文。</p></body></html>"
                                     .encode("utf-8"))
    a, b = read_document(tmp_path / "a.doc"), read_document(tmp_path / "b.doc")
    assert (a.kind, a.extractor.endswith("(a .docx archive)")) == ("doc", True)
    assert (b.kind, b.extractor) == ("doc", "html.parser (a web page)")
    assert "正文。" in a.text and "正文。" in b.text


@pytest.mark.skipif(office.soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_rtf_converted_by_libreoffice(tmp_path):
    path = tmp_path / "report.rtf"
    path.write_text(r"{\rtf1\ansi{\fonttbl{\f0 SimSun;}}\f0 \u27861?\u27835?\u25919?\u24220?"
                    r"\par}", encoding="ascii")
    doc = read_document(path)
    assert (doc.kind, "法治政府" in doc.text) == ("rtf", True)
    assert doc.extractor.startswith("LibreOffice")


# --- the CLI accounts for every file ---------------------------------------------------------

def test_index_counts_files_that_are_not_reports_and_skips_bad_attachments(tmp_path):
    corpus = tmp_path / "reports"
    shutil.copytree(SAMPLE_DIR, corpus)
    for name in ("a.jpg", "b.jpg", "c.JPG", "table.xls", "notes"):
        (corpus / name).write_bytes(b"\xff\xd8 not a report")
    (corpus / ".DS_Store").write_bytes(b"\0")
    (corpus / ".git").mkdir()
    (corpus / ".git" / "report.txt").write_text("隐藏文件夹里的文字", encoding="utf-8")
    (corpus / "locked.pdf").write_bytes(files.encrypted_pdf())
    (corpus / "report.docx").write_bytes(files.docx_bytes(SAMPLES[0].read_text(encoding="utf-8")))
    runner = CliRunner()
    result = runner.invoke(cli, ["index", str(corpus), "--index-dir", str(tmp_path / "ix"),
                                 "--jobs", "1"])
    assert result.exit_code == 3, result.output
    assert "6 added, 0 updated, 0 removed, 0 unchanged, 1 skipped" in result.output
    assert f"  skipped {corpus / 'locked.pdf'}: encrypted PDF: it needs a password to open" \
        in result.output
    assert "  .jpg 3, (no extension) 1, .xls 1: not report files" in result.output
    assert "  1 file and 1 folder with a name starting with a dot: hidden, not read" \
        in result.output
    again = runner.invoke(cli, ["index", str(corpus), "--index-dir", str(tmp_path / "ix"),
                                "--json"])
    report = json.loads(again.output)
    assert report["not_reports"] == {".jpg": 3, "(hidden file)": 1, "(hidden folder)": 1,
                                     "(no extension)": 1, ".xls": 1}
    assert report["skipped"] == [{"path": str(corpus / "locked.pdf"),
                                  "reason": "encrypted PDF: it needs a password to open"}]


def test_a_file_named_on_the_command_line_that_is_not_a_report_is_a_skip(tmp_path):
    (tmp_path / "table.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    result = CliRunner().invoke(cli, ["index", str(tmp_path / "table.xls"), "--index-dir",
                                      str(tmp_path / "ix")])
    assert result.exit_code == 3, result.output
    assert (f"skipped {tmp_path / 'table.xls'}: not a report file (.xls); report files are "
            ".txt, .html, .htm, .pdf, .docx, .doc, .wps, .rtf") in result.output


def test_inspect_shows_which_reader_read_a_file(tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(files.docx_bytes(SAMPLES[3].read_text(encoding="utf-8")))
    result = CliRunner().invoke(cli, ["inspect", str(path), str(SAMPLES[3])])
    assert result.exit_code == 0, result.output
    assert re.search(r"kind: +docx\n  read by: +python-docx \d", result.output)
    assert re.search(r"kind: +text\n  read by: +decoder", result.output)
    [record] = json.loads(CliRunner().invoke(cli, ["inspect", str(path), "--json"]).output)
    assert record["reader"]["kind"] == "docx" and record["reader"]["ocr"] is False


# --- copies of the samples: same metadata, every phrase finds them (slow: Chromium, OCR) -----

@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> Path:
    """PDF (Chromium) and .docx copies of every sample report, and a scan of one."""
    folder = tmp_path_factory.mktemp("copies")
    jobs = [(path.read_text(encoding="utf-8"), folder / f"{path.stem}.pdf", footer)
            for path, footer in zip(SAMPLES, FOOTERS)]
    files.print_pdfs(jobs)
    for path in SAMPLES:
        files.report_docx(path.read_text(encoding="utf-8"), folder / f"{path.stem}.docx")
    return folder


def scan_source() -> str:
    """The head of sample 003: its title, date line and first paragraphs."""
    lines = [ln for ln in SAMPLES[3].read_text(encoding="utf-8").split("\n") if ln.strip()]
    return "\n".join(lines[2:8])


def crossing_phrases(lines: list[str]) -> list[str]:
    """The phrases (2 + 2 characters) that a layout broke between two lines."""
    out = []
    for a, b in zip(lines, lines[1:]):
        phrase = a.strip()[-2:] + b.strip()[:2]
        if len(phrase) == 4 and re.fullmatch(r"[\u4e00-\u9fff]{4}", phrase):
            out.append(phrase)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name[:3])
def test_a_copy_gives_the_metadata_and_text_of_the_sample(copies, sample, suffix):
    expected = inspect_file(sample)
    got = inspect_file(copies / (sample.stem + suffix))
    assert metadata(got) == metadata(expected)
    assert compact(got["text"]) == compact(expected["text"])
    assert got["reader"]["kind"] == suffix[1:]


@pytest.mark.slow
def test_pdf_furniture_is_gone(copies):
    for path in copies.glob("*.pdf"):
        text = read_document(path).text
        assert files.RUNNING_HEADER not in text
        assert not re.search(r"^(?:— \d+ —|-\d+-|第\d+页 共\d+页)$", text, re.M), path.name


@pytest.mark.slow
def test_every_phrase_of_the_copies_finds_them_in_the_real_index(copies, tmp_path):
    import pypdfium2 as pdfium

    from indexer.build import build_index
    from search import engine
    from search.store import IndexHandle

    report = build_index([copies], tmp_path / "ix", jobs=2)
    assert (report.added, report.skipped) == (10, [])
    handle = IndexHandle(tmp_path / "ix")
    wanted: dict[str, set[str]] = {}
    for sample in SAMPLES:
        kept = compact(inspect_file(sample)["text"])
        document = pdfium.PdfDocument(copies / (sample.stem + ".pdf"))
        layout = [ln.text for i in range(len(document)) for ln in pdf.page_lines(document[i])]
        document.close()
        spans = {p for p in crossing_phrases(layout) if p in kept}
        assert len(spans) > 50, sample.name           # the layout broke many lines
        every_40th = {kept[i:i + 4] for i in range(0, len(kept) - 4, 40)}
        every_40th = {p for p in every_40th if re.fullmatch(r"[\u4e00-\u9fff]{4}", p)}
        wanted[sample.stem] = spans | every_40th
    missed = []
    for stem, phrases in wanted.items():
        for phrase in sorted(phrases):
            results = engine.search(handle, engine.SearchRequest(q=f'"{phrase}"', page_size=20,
                                                                 copies="all"))
            names = {Path(h.path).name for h in results.hits}
            missed += [(name, phrase) for name in (stem + ".pdf", stem + ".docx")
                       if name not in names]
    assert not missed


@pytest.mark.slow
@pytest.mark.skipif(ocr.tesseract() is None, reason="tesseract-ocr tesseract-ocr-chi-sim needed")
def test_a_scanned_report_is_ocr_read_with_its_metadata(tmp_path):
    source = scan_source()
    (tmp_path / "scan.txt").write_text(source, encoding="utf-8")
    pages = files.scanned_pdf(source, tmp_path / "scan.pdf")
    got = inspect_file(tmp_path / "scan.pdf")
    expected = inspect_file(tmp_path / "scan.txt")
    assert got["reader"] == {"kind": "pdf", "extractor": got["reader"]["extractor"],
                             "pages": pages, "ocr": True}
    assert got["reader"]["extractor"].startswith("tesseract ")
    assert {k: got[k] for k in ("title", "year", "province", "city", "county", "issuer")} == \
        {k: expected[k] for k in ("title", "year", "province", "city", "county", "issuer")}
    text, kept = compact(got["text"]), compact(expected["text"])
    phrases = {kept[i:i + 4] for i in range(0, len(kept) - 4, 7)}
    found = sum(p in text for p in phrases)
    assert found >= 0.9 * len(phrases)          # recognition errors cost a few, no more
    assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", got["text"])


def test_a_docx_without_its_package_relationships_is_a_skip(tmp_path):
    """python-docx raises KeyError on it: the error becomes the skip reason, not a crash."""
    body = (b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>\xe6\xad\xa3\xe6\x96\x87</w:t>'
            b'</w:r></w:p></w:body></w:document>')
    content_types = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                     b'package/2006/content-types"><Default Extension="xml" ContentType='
                     b'"application/xml"/></Types>')
    path = tmp_path / "odd.docx"
    path.write_bytes(zipped({"[Content_Types].xml": content_types, "word/document.xml": body}))
    with pytest.raises(UnreadableDocument) as info:
        read_document(path)
    assert info.value.reason.startswith("damaged .docx (")
