import codecs
import errno
import hashlib
import os
import random
from collections import Counter
from pathlib import Path

import pytest

from indexer import reader
from indexer.reader import (
    RawDocument,
    UnreadableDocument,
    decode_bytes,
    html_to_text,
    iter_report_files,
    read_document,
)

SIMPLIFIED = "法治政府建设情况报告\n2023年，市司法局坚持依法行政。\n"
TRADITIONAL = "市行政審批局以習近平新時代中國特色社會主義思想為指導\n"
BINARY = "binary file (NUL bytes / control characters)"
UNDECODABLE = "cannot decode: not UTF-8, GB18030, Big5 or UTF-16"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (SIMPLIFIED.encode("utf-8"), SIMPLIFIED, "utf-8"),
        (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), SIMPLIFIED, "utf-8-sig"),
        (SIMPLIFIED.encode("gbk"), SIMPLIFIED, "gb18030"),
        (SIMPLIFIED.encode("gb18030"), SIMPLIFIED, "gb18030"),
        (TRADITIONAL.encode("big5"), TRADITIONAL, "big5"),
        (TRADITIONAL.encode("utf-8"), TRADITIONAL, "utf-8"),
        (codecs.BOM_UTF16_LE + SIMPLIFIED.encode("utf-16-le"), SIMPLIFIED, "utf-16"),
        (codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), SIMPLIFIED, "utf-16"),
        (SIMPLIFIED.encode("utf-16-le"), SIMPLIFIED, "utf-16"),
        (SIMPLIFIED.encode("utf-16-be"), SIMPLIFIED, "utf-16"),
        (SIMPLIFIED.encode("utf-32"), SIMPLIFIED, "utf-32"),
    ],
    ids=["utf8", "utf8-bom", "gbk", "gb18030", "big5", "utf8-traditional", "utf16le-bom",
         "utf16be-bom", "utf16le", "utf16be", "utf32"],
)
def test_read_document_decodes(tmp_path, data, text, encoding):
    doc = read_document(write(tmp_path, "report.txt", data))
    assert (doc.text, doc.encoding, doc.kind) == (text, encoding, "text")
    assert isinstance(doc.text, str)


def test_read_document_records_size_and_hash(tmp_path):
    data = SIMPLIFIED.encode("gb18030")
    path = write(tmp_path, "report.txt", data)
    assert read_document(path) == RawDocument(
        path=path, text=SIMPLIFIED, encoding="gb18030", kind="text", size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), extractor="decoder")


def test_big5_and_gb18030_both_decodable_picks_the_readable_one():
    # These GB18030 bytes also decode as Big5 (to nonsense): the common-character score decides.
    data = "法治政府建设".encode("gb18030")
    assert data.decode("big5") != "法治政府建设"
    assert decode_bytes(data) == ("法治政府建设", "gb18030")


def test_big5_text_that_also_decodes_as_gb18030_stays_big5():
    data = TRADITIONAL.encode("big5")
    assert data.decode("gb18030") != TRADITIONAL
    assert decode_bytes(data) == (TRADITIONAL, "big5")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (codecs.BOM_UTF8, "empty file"),
        (b" \r\n\t\n  ", "empty file (only whitespace)"),
        ("\u3000\u3000\n".encode("utf-8"), "empty file (only whitespace)"),
        (random.Random(7).randbytes(4096) + b"\x00\x00", BINARY),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)), BINARY),
        (b"text \x01\x02\x03\x04\x05\x06 with control characters", BINARY),
        (b"abc \x80\xff\x80\xff def", UNDECODABLE),
        (codecs.BOM_UTF8 + b"\xff\xfe\xfd", "cannot decode: invalid utf-8-sig after its byte-order mark"),
    ],
    ids=["empty", "bom-only", "whitespace", "ideographic-space", "random-nul", "png",
         "control", "undecodable", "bad-after-bom"],
)
def test_read_document_rejects(tmp_path, data, reason):
    path = write(tmp_path, "bad.txt", data)
    with pytest.raises(UnreadableDocument) as info:
        read_document(path)
    assert info.value.reason == reason
    assert info.value.path == path
    assert str(info.value) == f"{path}: {reason}"


def test_oversized_file_is_rejected_with_the_limit(tmp_path):
    path = write(tmp_path, "big.txt", "法治".encode("utf-8") * 10)
    with pytest.raises(UnreadableDocument) as info:
        read_document(path, max_bytes=10)
    assert info.value.reason == "file too large: 60 bytes > limit 10 bytes (set POLICY_MAX_FILE_BYTES)"
    assert read_document(path, max_bytes=60).size == 60


def test_oversized_message_in_megabytes(tmp_path):
    path = write(tmp_path, "big.txt", b"a" * (2 * 2**20))
    with pytest.raises(UnreadableDocument, match=r"file too large: 2\.0 MB > limit 1\.0 MB"):
        read_document(path, max_bytes=2**20)


def test_default_limit_comes_from_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICY_MAX_FILE_BYTES", "5")
    path = write(tmp_path, "report.txt", b"0123456789")
    with pytest.raises(UnreadableDocument, match="limit 5 bytes"):
        read_document(path)


def test_missing_file_is_unreadable_not_a_crash(tmp_path):
    with pytest.raises(UnreadableDocument) as info:
        read_document(tmp_path / "gone.txt")
    assert info.value.reason == "file vanished while reading"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root reads files whatever their permissions, so chmod 000 proves nothing")
def test_permission_denied(tmp_path):
    path = write(tmp_path, "secret.txt", b"text")
    path.chmod(0)
    try:
        with pytest.raises(UnreadableDocument) as info:
            read_document(path)
        assert info.value.reason == "permission denied"
    finally:
        path.chmod(0o644)


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (PermissionError(errno.EACCES, "Permission denied"), "permission denied"),
        (FileNotFoundError(errno.ENOENT, "No such file"), "file vanished while reading"),
        (IsADirectoryError(errno.EISDIR, "Is a directory"), "is a directory, not a file"),
        (OSError(errno.EIO, "Input/output error"), "cannot read: Input/output error"),
    ],
)
def test_os_errors_become_reasons(tmp_path, monkeypatch, error, reason):
    def failing_open(*args, **kwargs):
        raise error

    monkeypatch.setattr(reader, "open", failing_open, raising=False)
    with pytest.raises(UnreadableDocument) as info:
        read_document(write(tmp_path, "report.txt", b"text"))
    assert info.value.reason == reason


# --- HTML ------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><meta charset="{charset}">
<title>忻府区2022年度法治政府建设工作报告_忻州市人民政府</title>
<style>p {{ color: red }}</style><script>document.write("<p>脚本</p>");</script></head>
<body><div class="top-nav"><a href="/">首页</a> | <a>政务公开</a></div>
<div class="breadcrumb">当前位置：首页 &gt; 政府信息公开</div>
<nav><ul><li>导航</li></ul></nav>
<div id="zoom"><p>一、加强组织领导&nbsp;推动落实。</p><p>区委&amp;区政府高度重视&#65292;统筹推进。<br>二、坚持依法决策。</p></div>
<div class="bdsharebuttonbox">分享到：微信 微博</div>
<footer>版权所有：忻府区人民政府</footer></body></html>"""


def test_html_keeps_article_and_puts_title_first():
    assert html_to_text(PAGE.format(charset="utf-8")) == (
        "忻府区2022年度法治政府建设工作报告\n"
        "一、加强组织领导 推动落实。\n"
        "区委&区政府高度重视，统筹推进。\n"
        "二、坚持依法决策。"
    )


def test_html_file_with_meta_charset_gb2312(tmp_path):
    path = write(tmp_path, "page.HTM", PAGE.format(charset="gb2312").encode("gb2312"))
    doc = read_document(path)
    assert (doc.kind, doc.encoding) == ("html", "gb18030")
    assert doc.text.splitlines()[0] == "忻府区2022年度法治政府建设工作报告"
    assert "脚本" not in doc.text and "导航" not in doc.text and "版权所有" not in doc.text


def test_html_file_with_meta_charset_big5(tmp_path):
    html = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5"></head><body><p>{TRADITIONAL}</p></body></html>'
    doc = read_document(write(tmp_path, "page.html", html.encode("big5")))
    assert (doc.text, doc.encoding) == (TRADITIONAL.strip(), "big5")


def test_valid_utf8_beats_a_wrong_meta_charset(tmp_path):
    doc = read_document(write(tmp_path, "page.html", PAGE.format(charset="gb2312").encode("utf-8")))
    assert doc.encoding == "utf-8"
    assert doc.text.splitlines()[1] == "一、加强组织领导 推动落实。"


def test_txt_file_holding_html_is_treated_as_html(tmp_path):
    doc = read_document(write(tmp_path, "saved.txt", "<html><body><p>正文</p></body></html>".encode()))
    assert (doc.kind, doc.text) == ("html", "正文")


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<h1>报告标题</h1><p>正文一<p>正文二", "报告标题\n正文一\n正文二"),
        ("<p>未闭合<div><span>文字<b>粗体<p>再一段", "未闭合\n文字粗体\n再一段"),
        ("</div></span><p>多余的结束标签</b></p></td>", "多余的结束标签"),
        ("<title>只有标题", "只有标题"),
        ("<title>网页标题</title><h1>正文标题</h1><p>内容</p>", "正文标题\n内容"),
        ("<p>文本&lt;不是标签&gt; &quot;引号&quot; &#x6CD5;&#27835;</p>", '文本<不是标签> "引号" 法治'),
        ("<table><tr><td>事项</td><td>数量</td></tr><tr><td>许可</td><td>589</td></tr></table>",
         "事项 数量\n许可 589"),
        ("<p>第一行\n   第二行</p><pre>保留\n换行</pre>", "第一行第二行\n保留\n换行"),
        ("<div>" * 10_000 + "深层文本" + "</div>" * 10_000, "深层文本"),
        ("<div>" * 10_000 + "<p>未闭合的深层文本", "未闭合的深层文本"),
        ("<ul>" + "<li>无结束标签" * 3 + "</ul>", "无结束标签\n无结束标签\n无结束标签"),
        ("<script>var x = '<p>不是正文</p>';</script><noscript>请启用脚本</noscript><p>正文</p>", "正文"),
    ],
    ids=["h1", "unclosed", "stray-end-tags", "unclosed-title", "h1-beats-title", "entities",
         "table", "whitespace-and-pre", "deep-nesting", "deep-unclosed", "list", "script"],
)
def test_html_to_text(html, text):
    assert html_to_text(html) == text


def test_html_prefers_content_element_holding_most_text():
    body = "依法行政。" * 40
    html = (f"<body><div class='header'><h1>某市人民政府</h1></div><div class='list'>友情链接 政务服务</div>"
            f"<h1>年度报告</h1><div class='TRS_Editor'><p>{body}</p></div>"
            f"<div class='related'>另一篇文章标题</div></body>")
    assert html_to_text(html) == f"年度报告\n{body}"


def test_html_ignores_small_content_element():
    html = "<div class='content'>短</div><p>" + "这才是正文。" * 20 + "</p>"
    assert html_to_text(html) == "短\n" + "这才是正文。" * 20


def test_html_without_text_is_unreadable(tmp_path):
    path = write(tmp_path, "empty.html", b"<html><head><script>var a=1;</script></head><body></body></html>")
    with pytest.raises(UnreadableDocument) as info:
        read_document(path)
    assert info.value.reason == "no text found in HTML"


# --- walking folders -------------------------------------------------------------------------

def make_tree(root: Path, names: list[str]) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("正文", encoding="utf-8")


def test_iter_report_files_is_sorted_and_counts_hidden_and_other_files(tmp_path):
    make_tree(tmp_path, ["b.txt", "a.HTML", "c.htm", "d.pdf", "a.meta.json", ".hidden.txt",
                         ".git/x.txt", "sub/z.TXT", "sub/.cache/y.txt", "sub/deeper/w.html",
                         "notes.txt.bak", "e.DOCX", "f.jpg", "g.jpg", "sub/h.xls", "README"])
    others = Counter()
    found = [p.relative_to(tmp_path).as_posix() for p in iter_report_files([tmp_path], others)]
    assert found == ["a.HTML", "b.txt", "c.htm", "d.pdf", "e.DOCX", "sub/deeper/w.html",
                     "sub/z.TXT"]
    # hidden entries are not walked but counted, never silently dropped; sidecars are neither
    assert others == {".jpg": 2, ".xls": 1, ".bak": 1, "(no extension)": 1,
                      "(hidden file)": 1, "(hidden folder)": 2}


def test_a_file_named_explicitly_is_always_yielded_and_skipped_with_a_reason(tmp_path):
    make_tree(tmp_path, ["table.xls"])
    assert list(iter_report_files([tmp_path / "table.xls"])) == [tmp_path / "table.xls"]
    with pytest.raises(UnreadableDocument) as info:
        read_document(tmp_path / "table.xls")
    assert info.value.reason.startswith("not a report file (.xls); report files are .txt, ")


def test_iter_report_files_accepts_files_and_a_single_path(tmp_path):
    make_tree(tmp_path, ["one.txt", "two.txt", "image.png"])
    assert list(iter_report_files(str(tmp_path / "two.txt"))) == [tmp_path / "two.txt"]
    # A file named explicitly is yielded whatever it is: the reader skips it with a reason.
    assert list(iter_report_files([tmp_path / "one.txt", tmp_path / "image.png"])) == [
        tmp_path / "one.txt", tmp_path / "image.png"]


def test_iter_report_files_survives_symlink_loops(tmp_path):
    make_tree(tmp_path, ["root/a.txt", "root/sub/b.txt", "elsewhere/c.txt"])
    root = tmp_path / "root"
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    (root / "self").symlink_to(root / "self")  # a link to itself: neither file nor folder
    (root / "link.txt").symlink_to(tmp_path / "elsewhere" / "c.txt")
    found = [p.relative_to(root).as_posix() for p in iter_report_files([root])]
    assert found == ["a.txt", "link.txt", "sub/b.txt"]


def test_iter_report_files_yields_each_real_file_once(tmp_path):
    make_tree(tmp_path, ["sub/a.txt"])
    assert list(iter_report_files([tmp_path, tmp_path / "sub"])) == [tmp_path / "sub" / "a.txt"]


def test_iter_report_files_missing_path(tmp_path):
    missing = tmp_path / "nope"
    with pytest.raises(FileNotFoundError, match="No such file or folder: .*nope"):
        list(iter_report_files([missing]))
