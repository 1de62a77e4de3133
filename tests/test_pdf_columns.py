"""Two-column PDF pages read column by column (``indexer.formats.layout``).

Constructed pages pin the rules (a gutter, spanning lines, furniture, lines a text layer ran
across the gutter, one-column pages with short lines and tables that must stay one column);
real PDFs printed by headless Chromium with CSS columns, a running header, page numbers in
the footer and a title across both columns show that the text reads as the report does and
that every phrase the layout broke finds the report in a real index.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.formats import layout, pdf
from indexer.formats.layout import Box, find_columns, reading_order
from indexer.pipeline import inspect_file
from indexer.reader import read_document
from tests import attachment_files as files
from tests.conftest import SAMPLE_DIR

SAMPLES = sorted(SAMPLE_DIR.glob("*.txt"))
EM = 10.0
PAGE = 600.0
LEFT, RIGHT = (50.0, 290.0), (310.0, 550.0)      # two columns, a 20-unit gutter


def row(i: int) -> tuple[float, float]:
    return 100.0 + 15 * i, 110.0 + 15 * i


def box(text: str, x: tuple[float, float], i: int, short: float = 0.0) -> Box:
    top, bottom = row(i)
    return Box(text, x[0], x[1] - short, top, bottom)


def two_column_page(interleaved: bool) -> list[Box]:
    """A title across the page, six lines in each column, a page number in the left corner."""
    left = [box(f"左栏第{i}行文字", LEFT, i) for i in range(1, 7)]
    right = [box(f"右栏第{i}行文字", RIGHT, i) for i in range(1, 7)]
    left[-1] = box("左栏末行。", LEFT, 6, short=120)            # a paragraph ends
    right[-1] = box("右栏末行。", RIGHT, 6, short=150)
    title = Box("某县2023年度法治政府建设情况报告", 150, 450, 70, 82)
    number = Box("- 3 -", 50, 80, 560, 570)
    body = [b for pair in zip(left, right) for b in pair] if interleaved else left + right
    return [title, *body, number]


@pytest.mark.parametrize("interleaved", [False, True], ids=["column order", "row order"])
def test_two_columns_read_down_the_left_then_down_the_right(interleaved):
    lines = reading_order(two_column_page(interleaved), PAGE, EM)
    assert [ln.text for ln in lines] == (
        ["某县2023年度法治政府建设情况报告"] + [f"左栏第{i}行文字" for i in range(1, 6)]
        + ["左栏末行。"] + [f"右栏第{i}行文字" for i in range(1, 6)] + ["右栏末行。", "- 3 -"])
    # each column's own right edge decides which lines the layout broke
    assert [ln.full for ln in lines] == [False] + [True] * 5 + [False] + [True] * 5 + [False] * 2


def test_a_line_run_across_the_gutter_is_cut_there():
    """An extractor that draws row by row may give one line holding both columns' rows."""
    page = two_column_page(interleaved=True)
    merged = [page[0]] + [Box(a.text + " " + b.text, a.left, b.right, a.top, a.bottom)
                          for a, b in zip(page[1::2], page[2::2])] + [page[-1]]
    assert find_columns(merged, EM) is None                 # as given, every line crosses
    lines = reading_order(merged, PAGE, EM, pieces=page)
    assert [ln.text for ln in lines][1:3] == ["左栏第1行文字", "左栏第2行文字"]
    assert [ln.text for ln in lines][7] == "右栏第1行文字"


def test_a_one_column_page_with_short_lines_and_a_signature_stays_one_column():
    full = [box(f"正文第{i}行，这一行一直写到页面右边的边缘为止", (50, 550), i) for i in range(12)]
    short = [box("段落末行。", (50, 550), 12, short=400), box("一、标题", (50, 550), 13, short=420)]
    signature = [box("某县人民政府", (420, 550), 15), box("2024年1月5日", (430, 550), 16)]
    page = full + short + signature
    assert find_columns(page, EM) is None
    assert [ln.text for ln in reading_order(page, PAGE, EM)] == [b.text for b in page]


def test_a_table_of_short_cells_is_not_two_columns():
    cells = ["成文日期", "发布机构", "主题分类", "文号", "索引号", "有效性"]
    values = ["2024-01-02", "某县人民政府", "法治政府", "某政发〔2024〕1号", "000-2024", "有效"]
    page = []
    for i, (cell, value) in enumerate(zip(cells, values)):
        page.append(Box(cell, 50, 50 + 12 * len(cell), *row(i)))
        page.append(Box(value, 310, 310 + 8 * len(value), *row(i)))
    assert find_columns(page, EM) is None


@pytest.mark.parametrize("line, expected", [
    ("贛 公 網 安 備", "贛公網安備"), ("目 录", "目录"), ("时间:2023 大 中 小 来源", "时间:2023 大中小 来源"),
    ("中国政府网 山西省政府 忻州市政府", "中国政府网 山西省政府 忻州市政府"), ("第 3 页", "第 3 页"),
    ("open data", "open data")])
def test_a_spread_out_word_loses_its_spaces_and_words_keep_theirs(line, expected):
    assert pdf.unspace(line) == expected


def test_layout_constants_are_the_documented_ones():
    """The rules' thresholds, named where README's PDF section explains them."""
    assert (layout.MIN_COLUMN_LINES, layout.ISOLATED_EMS, pdf.GAP_EMS) == (3, 2.5, 2.0)


# --- real two-column PDFs printed by Chromium --------------------------------------------------

@pytest.fixture(scope="module")
def two_column(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("columns")
    footers = ("dash", "of", "hyphen", "dash", "of")
    files.print_pdfs([(p.read_text(encoding="utf-8"), folder / f"{p.stem}.pdf", footer)
                      for p, footer in zip(SAMPLES, footers)], columns=2)
    return folder


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def layout_lines(path: Path) -> list[list[Box]]:
    """The text layer's lines of each page, as PDFium gives them (before any layout rule)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        pages = []
        for i in range(len(document)):
            textpage = document[i].get_textpage()
            pages.append([ln for ln in textpage.get_text_range().split("\r\n") if ln.strip()])
            textpage.close()
        return pages
    finally:
        document.close()


def broken_phrases(path: Path, source: str) -> set[str]:
    """Four-character phrases inside a paragraph of the report that the column layout broke
    between two lines."""
    kept = re.sub(r"[^\S\n]+", "", source)           # spaces out, paragraph ends kept
    out = set()
    for lines in layout_lines(path):
        for a, b in zip(lines, lines[1:]):
            phrase = a.strip()[-2:] + b.strip()[:2]
            if re.fullmatch(r"[\u4e00-\u9fff]{4}", phrase) and phrase in kept:
                out.add(phrase)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name[:3])
def test_a_two_column_pdf_reads_as_the_report(two_column, sample):
    path = two_column / f"{sample.stem}.pdf"
    expected, got = inspect_file(sample), inspect_file(path)
    # reading order: the whole text of the source, in order, and nothing else (the running
    # header and the page numbers gone)
    text = read_document(path).text
    assert compact(text) == compact(sample.read_text(encoding="utf-8"))
    for key in ("title", "year", "province", "city", "county", "issuer", "published"):
        assert got[key] == expected[key], key
    # the lines the columns broke are joined again: not one phrase across a break is lost
    phrases = broken_phrases(path, sample.read_text(encoding="utf-8"))
    assert len(phrases) > 30
    assert [p for p in sorted(phrases) if p not in text] == []


@pytest.mark.slow
def test_every_broken_phrase_of_two_column_pdfs_finds_them_in_the_real_index(two_column,
                                                                             tmp_path):
    from indexer.build import build_index
    from search import engine
    from search.store import IndexHandle

    report = build_index([two_column], tmp_path / "ix", jobs=1)
    assert (report.added, report.skipped) == (len(SAMPLES), [])
    handle = IndexHandle(tmp_path / "ix")
    missed = []
    for sample in SAMPLES:
        name = f"{sample.stem}.pdf"
        indexed = inspect_file(sample)["text"]          # page chrome is not indexed
        for phrase in sorted(broken_phrases(two_column / name, indexed)):
            hits = engine.search(handle, engine.SearchRequest(q=f'"{phrase}"', page_size=20,
                                                              copies="all")).hits
            if name not in {Path(h.path).name for h in hits}:
                missed.append((name, phrase))
    assert missed == []
