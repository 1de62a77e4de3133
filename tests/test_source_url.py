"""The original web page's address is kept when a saved file names it (one case per pattern)."""
from __future__ import annotations

import pytest

from indexer.source_url import from_html, from_text

URL = "http://sft.shanxi.gov.cn/zwgk/fzzfjs/202403/t20240301_1234567.shtml"


@pytest.mark.parametrize("markup", [
    f'<html><head><link rel="canonical" href="{URL}"></head><body>正文</body></html>',
    f"<html><head><LINK HREF='{URL}' REL=canonical /></head></html>",
    f'<html><head><meta property="og:url" content="{URL}"></head></html>',
    f'<!-- saved from url=(0067){URL} -->\n<html><head></head><body>正文</body></html>',
    f'<html><head><link rel="canonical" href="{URL.replace("&", "&amp;")}"></head></html>',
])
def test_saved_html_names_its_address(markup):
    assert from_html(markup) == URL


def test_canonical_wins_over_the_saved_from_comment():
    markup = (f'<!-- saved from url=(0022)http://mirror.example/ -->'
              f'<html><head><link rel="canonical" href="{URL}"></head></html>')
    assert from_html(markup) == URL


@pytest.mark.parametrize("markup", [
    '<html><head><link rel="canonical" href="/zwgk/t1.shtml"></head></html>',   # relative
    '<html><head><link rel="canonical" href="javascript:alert(1)"></head></html>',
    '<html><head><meta property="og:url" content="ftp://x.example/a"></head></html>',
    "<html><head><title>没有地址</title></head></html>",
])
def test_no_usable_address_gives_nothing(markup):
    assert from_html(markup) == ""


@pytest.mark.parametrize("text", [
    f"某市2023年度法治政府建设情况报告\n原文链接：{URL}\n正文……",
    f"某市2023年度法治政府建设情况报告\n网址: {URL}\n",
    f"标题\n  原文地址：{URL}。\n",
])
def test_text_copies_name_it_on_a_labelled_line(text):
    assert from_text(text) == URL


def test_a_url_inside_the_report_text_is_not_the_source():
    assert from_text(f"按照要求，登录 {URL} 办理。\n链接很多") == ""


def test_an_indexed_saved_page_links_to_its_original(tmp_path):
    from indexer.build import build_index
    from web import create_app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "page.html").write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="canonical" href="{URL}">'
        "<title>太原市司法局2023年度法治政府建设情况报告</title></head><body>"
        "<h1>太原市司法局2023年度法治政府建设情况报告</h1>"
        "<p>2023年，太原市司法局深入推进依法行政，全面推行行政执法公示制度。</p>"
        "<p>坚持严格规范公正文明执法，持续优化法治化营商环境。</p></body></html>",
        encoding="utf-8")
    (corpus / "copy.txt").write_text(
        "大同市2023年度法治政府建设情况报告\n原文链接：http://www.dt.gov.cn/a/1.html\n"
        "2023年，大同市坚持依法行政，深化行政复议体制改革。\n", encoding="utf-8")
    index_dir = tmp_path / "ix"
    build_index([corpus], index_dir, jobs=1)
    client = create_app({"TESTING": True, "index_dir": index_dir}).test_client()
    hits = {h["path"]: h for h in client.get("/api/search").get_json()["hits"]}
    assert hits["page.html"]["source_url"] == URL
    assert hits["copy.txt"]["source_url"] == "http://www.dt.gov.cn/a/1.html"
    body = client.get(f"/report/{hits['page.html']['id']}").get_data(as_text=True)
    assert f'<a class="source-url" href="{URL}" rel="noopener noreferrer nofollow external">' \
           "查看原网页</a>" in body
    csv_text = client.get("/export.csv").get_data(as_text=True)
    assert "原文链接" in csv_text.splitlines()[0] and URL in csv_text
