"""Turn a report file into decoded text, or a one-line reason why it cannot be read.

Report folders come from many government sites: UTF-8, GB18030, Big5 and UTF-16 files sit side by
side, some are saved web pages, PDF or Word attachments, some are not reports at all. This module
is the dispatcher: it picks the format that reads a file (``indexer.formats``, by suffix), reads
its bytes once, and accounts for every file it finds. Every failure becomes an
:class:`UnreadableDocument` with a reason a user understands, so one bad file never stops a run.
Only ``str`` leaves this module: jieba silently decodes bytes as GBK and drops what fails.
(Text decoding and the HTML parser still live here; ``formats.text`` and ``formats.html`` use them.)
"""
from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable, Iterator

from search import settings
from indexer import formats
from indexer.formats import REPORT_SUFFIXES, UnreadableDocument  # noqa: F401 (re-exported)


_BOMS = (  # UTF-32 first: its LE BOM starts with the UTF-16 LE one.
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# Bytes below 0x20 never occur inside GB18030, Big5 or UTF-8 sequences: in text they are rare.
_CONTROL_BYTES = bytes(sorted(set(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D} | {0x7F}))
_DROP_CONTROL = dict.fromkeys(_CONTROL_BYTES)
BINARY = "binary file (NUL bytes / control characters)"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_-]+)""", re.I)
_HTML_START = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
                    "utf8": "utf-8", "big5-hkscs": "big5", "x-x-big5": "big5"}


@dataclass(frozen=True)
class RawDocument:
    """A report file's decoded text plus what was learnt reading it."""

    path: Path
    text: str
    encoding: str
    kind: str
    size: int
    sha256: str
    extractor: str = ""
    pages: int | None = None
    ocr: bool = False
    source_url: str = ""        # the page's own address, when the saved file names it
    notes: tuple[str, ...] = ()  # what reading left out (formats.Extracted.notes)


def read_document(path: str | os.PathLike, max_bytes: int | None = None) -> RawDocument:
    """Read ``path`` once with the format its suffix names and return its text.

    :param path: a report file (``formats.REPORT_SUFFIXES``).
    :param max_bytes: size limit; defaults to the ``max_file_bytes`` setting.
    :raises UnreadableDocument: not a report file; empty, binary, undecodable, damaged,
        encrypted, too large or unreadable file (the reason says which).
    """
    path = Path(path)
    limit = int(settings.get("max_file_bytes", max_bytes))
    if path.is_symlink() and not path.exists():
        raise UnreadableDocument(path, _broken_link_reason(path))
    reader = formats.for_path(path)
    if reader is None:
        raise UnreadableDocument(path, formats.not_a_report(path))
    data = _read_bytes(path, limit)
    if not data:
        raise UnreadableDocument(path, "empty file")
    try:
        got = reader.read(path, data)
    except UnreadableDocument:
        raise
    except (Exception, MemoryError) as exc:     # noqa: BLE001 - a third-party extractor failed
        if reader.NAME in ("text", "html"):
            raise                               # our own code: a bug must stay loud
        raise UnreadableDocument(path, f"cannot read this {reader.NAME} file: "
                                       f"{type(exc).__name__}: {exc}"[:300]) from None
    return RawDocument(path, got.text, got.encoding, got.kind, len(data),
                       hashlib.sha256(data).hexdigest(), got.extractor, got.pages, got.ocr,
                       got.source_url, got.notes)


def looks_like_html(text: str) -> bool:
    """True when decoded text starts like a web page (a saved page named ``.txt``)."""
    return bool(_HTML_START.match(text[:1024]))


def _broken_link_reason(path: Path) -> str:
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
    return f"broken symbolic link (its target {os.readlink(path)} does not exist)"


def _read_bytes(path: Path, limit: int) -> bytes:
    """Read at most ``limit + 1`` bytes, so the size check uses what was actually read."""
    try:
        with open(path, "rb") as f:
            data = f.read(limit + 1)
            if len(data) > limit:
                size = max(os.fstat(f.fileno()).st_size, len(data))
                raise UnreadableDocument(path, f"file too large: {_human(size)} > limit "
                                               f"{_human(limit)} (set POLICY_MAX_FILE_BYTES)")
    except PermissionError:
        raise UnreadableDocument(path, "permission denied") from None
    except FileNotFoundError:
        raise UnreadableDocument(path, "file vanished while reading") from None
    except IsADirectoryError:
        raise UnreadableDocument(path, "is a directory, not a file") from None
    except OSError as exc:
        raise UnreadableDocument(path, f"cannot read: {exc.strerror or exc}") from None
    return data


def _human(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 100_000 else f"{n} bytes"


def decode_bytes(data: bytes, html_hint: bool = False) -> tuple[str | None, str]:
    """Return ``(text, encoding)``, or ``(None, reason)`` when ``data`` is not text.

    Order: BOM, NUL bytes (UTF-16 without BOM, else binary), control bytes (binary), strict
    UTF-8, UTF-8 with a few damaged characters, the HTML ``<meta charset>`` hint, then GB18030
    against Big5 by common characters.

    :param data: the raw bytes of a whole file.
    :param html_hint: look for a ``<meta charset>`` even if the bytes do not start with ``<``.
    """
    bom = next((encoding for mark, encoding in _BOMS if data.startswith(mark)), None)
    if bom:
        found, failure = _strict(data, bom), f"cannot decode: invalid {bom} after its byte-order mark"
    elif b"\x00" in data:
        found, failure = _utf16_without_bom(data), BINARY
    elif len(data) - len(data.translate(None, _CONTROL_BYTES)) > len(data) * 0.01:
        return None, BINARY
    else:
        found = (_strict(data, "utf-8") or _utf8_damaged(data) or _hinted(data, html_hint)
                 or _gb18030_or_big5(data))
        failure = "cannot decode: not UTF-8, GB18030, Big5 or UTF-16"
    if found is None:
        return None, failure
    if _control_share(found[0][:100_000]) > 0.01:
        return None, BINARY
    return found


def _utf8_damaged(data: bytes) -> tuple[str, str] | None:
    """UTF-8 with a few damaged characters (a cut download, a bad byte or two).

    GB18030 decodes almost any byte sequence, so such a file would otherwise be read as
    GB18030 mojibake. Real GBK or Big5 text breaks UTF-8 on nearly every character, so a
    handful of errors means UTF-8: keep the text, without the damaged characters.
    """
    text = data.decode("utf-8", errors="replace")
    damaged = text.count("\ufffd")
    if damaged > max(4, len(text) // 100):
        return None
    multibyte = sum(1 for ch in text if ch > "\x7f") - damaged
    return (text.replace("\ufffd", ""), "utf-8") if multibyte >= 10 * damaged else None


def _hinted(data: bytes, html_hint: bool) -> tuple[str, str] | None:
    """Decode with a page's declared charset; only CJK/UTF charsets are trusted."""
    if not (html_hint or data[:1024].lstrip()[:1] == b"<"):
        return None
    match = _META_CHARSET.search(data[:4096])
    hint = match.group(1).decode("ascii").lower() if match else ""
    encoding = _CHARSET_ALIASES.get(hint, hint)
    return _strict(data, encoding) if encoding in ("gb18030", "big5", "utf-8") else None


def _gb18030_or_big5(data: bytes) -> tuple[str, str] | None:
    """Both decode much CJK text; the right one yields common characters, the wrong one rare ones."""
    candidates = [c for c in (_strict(data, "gb18030"), _strict(data, "big5")) if c]
    return max(candidates, key=lambda c: _common_score(c[0]), default=None)


def _strict(data: bytes, encoding: str) -> tuple[str, str] | None:
    try:
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError):
        return None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text has its NULs (the high bytes of ASCII) almost all on one parity."""
    if len(data) % 2:
        return None
    odd = data[1::2].count(0)
    even = data[0::2].count(0)
    encoding = "utf-16-le" if odd > 9 * even else "utf-16-be" if even > 9 * odd else None
    found = _strict(data, encoding) if encoding else None
    return (found[0], "utf-16") if found else None


def _control_share(text: str) -> float:
    return (len(text) - len(text.translate(_DROP_CONTROL))) / max(1, len(text))


def _common_score(text: str) -> int:
    """Count characters a Chinese reader meets daily: GB2312 level 1 or Big5 common."""
    return sum(_is_common(ch) for ch in text[:20_000] if ch >= "\u4e00")


@lru_cache(maxsize=None)
def _is_common(ch: str) -> bool:
    for encoding, first, last in (("gb2312", 0xB0, 0xD7), ("big5", 0xA4, 0xC6)):
        try:
            encoded = ch.encode(encoding)
        except UnicodeEncodeError:
            continue
        if len(encoded) == 2 and first <= encoded[0] <= last:
            return True
    return False


# --- HTML -------------------------------------------------------------------------------------

_SKIP_TAGS = frozenset("script style noscript template nav header footer aside form iframe svg "
                       "select button object".split())
_BLOCK_TAGS = frozenset("p div br li ul ol tr table section article h1 h2 h3 h4 h5 h6 dd dt dl "
                        "blockquote pre hr center main address figure figcaption tbody thead".split())
_VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_SELF_CLOSING = frozenset("p li tr td th option dt dd".split())  # <p>a<p>b: the second closes the first
_CJK_BREAK = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t\r]*\n\s*(?=[\u3000-\u9fff\uff00-\uffef])")
_CHROME_ATTR = re.compile(r"nav|menu|breadcrumb|crumb|footer|header|share|sidebar|copyright", re.I)
_CONTENT_ATTR = re.compile(r"article|content|trs_editor|zoom|main", re.I)


class _TextExtractor(HTMLParser):
    """Collect visible text with an explicit element stack: no recursion, tolerant of bad HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[tuple[str, bool, int]] = []  # (tag, skips its text, content span index)
        self.open_tags: Counter[str] = Counter()
        self.skip_depth = 0
        self.spans: list[list[int]] = []  # [start, end] positions in ``out`` of content elements
        self.capture: list[str] | None = None  # buffer while inside <title> or the first <h1>
        self.capture_tag = ""
        self.title = ""
        self.h1 = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.open_tags["title"]:
            self.handle_endtag("title")  # an unclosed <title> must not swallow the page
        if tag in _SELF_CLOSING and self.stack and self.stack[-1][0] == tag:
            self.handle_endtag(tag)
        if tag in _BLOCK_TAGS or tag in ("td", "th"):
            self.out.append("\n" if tag in _BLOCK_TAGS else " ")
        if tag in _VOID_TAGS:
            return
        marks = " ".join(v or "" for k, v in attrs if k in ("class", "id"))
        skips = tag in _SKIP_TAGS or bool(marks and _CHROME_ATTR.search(marks))
        span = -1
        if marks and _CONTENT_ATTR.search(marks) and not skips:
            span = len(self.spans)
            self.spans.append([len(self.out), -1])
        if self.capture is not None and tag in _BLOCK_TAGS:
            self._end_capture()  # an unclosed <h1> ends where the next block starts
        if (tag == "title" or tag == "h1" and not self.h1) and self.capture is None:
            self.capture, self.capture_tag = [], tag
        self.stack.append((tag, skips, span))
        self.open_tags[tag] += 1
        self.skip_depth += skips

    def handle_endtag(self, tag: str) -> None:
        if not self.open_tags[tag]:
            return  # a stray end tag: ignore it, as browsers do
        while self.stack:
            name, skips, span = self.stack.pop()
            self.open_tags[name] -= 1
            self.skip_depth -= skips
            if span >= 0:
                self.spans[span][1] = len(self.out)
            if name == self.capture_tag and self.capture is not None:
                self._end_capture()
            if name in _BLOCK_TAGS:
                self.out.append("\n")
            if name == tag:
                break

    def _end_capture(self) -> None:
        text = " ".join("".join(self.capture or []).split())
        if self.capture_tag == "title":
            self.title = self.title or text
        elif self.skip_depth == 0:
            self.h1 = text
        self.capture = None

    def close(self) -> None:
        super().close()
        if self.capture is not None:  # <title> or <h1> never closed
            self._end_capture()

    def handle_data(self, data: str) -> None:
        if self.capture is not None:
            self.capture.append(data)
        if self.skip_depth or self.open_tags["title"]:
            return
        if not self.open_tags["pre"]:
            # Source line breaks between two Chinese characters are layout, not a word gap.
            data = _CJK_BREAK.sub("", data)
            data = re.sub(r"[ \t\r\n\f]+", " ", data)
        self.out.append(data)


def html_to_text(html: str) -> str:
    """Return the article text of a web page, one paragraph per line, title first.

    Page chrome (scripts, navigation, headers, footers, share widgets) is dropped. When an
    element marked as the article (``TRS_Editor``, ``zoom``, ``content``…) holds most of the
    text, only its text is kept.

    :param html: the page's markup; may be broken, unclosed or deeply nested.
    """
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    chunks = parser.out
    lengths = [0]
    for chunk in chunks:
        lengths.append(lengths[-1] + len(chunk.strip()))
    total = lengths[-1]
    best = (0, len(chunks))
    for start, end in parser.spans:
        end = len(chunks) if end < 0 else end
        size = lengths[end] - lengths[start]
        if size >= total * 0.5 and size < lengths[best[1]] - lengths[best[0]]:
            best = (start, end)
    lines = [line.strip() for line in "".join(chunks[best[0]:best[1]]).split("\n")]
    lines = [" ".join(line.split()) for line in lines if line.strip()]
    heading = parser.h1 or _title_without_site(parser.title)
    if heading and heading not in lines:
        lines.insert(0, heading)
    return "\n".join(lines)


def _title_without_site(title: str) -> str:
    """``忻府区2022年度报告_忻州市人民政府`` → ``忻府区2022年度报告``."""
    return re.split(r"\s*(?:_|\||｜| - | — | -- )\s*", title, maxsplit=1)[0].strip()


# --- Finding report files ---------------------------------------------------------------------

def iter_report_files(paths: str | os.PathLike | Iterable[str | os.PathLike],
                      others: Counter | None = None) -> Iterator[Path]:
    """Yield the report files (``formats.REPORT_SUFFIXES``) under ``paths``, sorted by name.

    A file named in ``paths`` itself is always yielded, so that one no format reads is skipped
    with a reason; other files found in folders are counted by kind into ``others``
    (``{".jpg": 7}``), never silently dropped.

    Hidden files and folders (names starting with a dot: ``.git``, ``.DS_Store``) are not
    walked, but are counted into ``others`` as ``(hidden file)`` / ``(hidden folder)``, so the
    summary says they were there (``*.meta.json`` sidecars never match). Symbolic links
    are followed, but each real folder is walked once and each real file yielded once, so link
    loops end. Unreadable sub-folders are skipped. Folders are listed with ``os.scandir``, whose
    entries know their type, and only links are resolved: a walk over 100,000 reports costs
    one ``stat`` per folder, not several per file.

    :param paths: files and folders, or a single one.
    :raises FileNotFoundError: a given path does not exist.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    seen_dirs: set[str] = set()
    seen_files: set[str] = set()
    for given in map(Path, paths):
        if not given.exists():
            raise FileNotFoundError(f"No such file or folder: {given}")
        pending = [(given, None, None)]        # (path, its DirEntry, real path if known)
        while pending:
            path, entry, real = pending.pop()
            if entry is not None and entry.is_symlink():
                entry, real = None, None                # resolve links the slow way
            real = real or os.path.realpath(path)
            is_dir = entry.is_dir() if entry is not None else path.is_dir()
            if is_dir:
                if real in seen_dirs:
                    continue
                seen_dirs.add(real)
                children = _visible_children(path, top=path == given, others=others)
                pending.extend((path / e.name, e, os.path.join(real, e.name))
                               for e in reversed(children))
            elif not _is_report(path) and path != given:
                if others is not None and not path.name.lower().endswith(".meta.json"):
                    others[formats.kind_of(path.name)] += 1
                continue
            elif (entry.is_file() if entry is not None else path.is_file()):
                if real not in seen_files:
                    seen_files.add(real)
                    yield path
            elif path.is_symlink() and not path.exists():
                yield path                      # a broken link: reported, not silently dropped


def _visible_children(folder: Path, top: bool, others: Counter | None) -> list[os.DirEntry]:
    """The entries of ``folder`` to walk, sorted; hidden ones are counted into ``others``."""
    try:
        with os.scandir(folder) as entries:
            children = []
            for e in entries:
                if not e.name.startswith("."):
                    children.append(e)
                elif others is not None:
                    others[HIDDEN_FOLDER if _is_dir(e) else HIDDEN_FILE] += 1
    except PermissionError:
        if top:
            raise
        return []
    return sorted(children, key=lambda e: e.name)


#: The kinds hidden entries are counted under in the summary's not-report line.
HIDDEN_FILE, HIDDEN_FOLDER = "(hidden file)", "(hidden folder)"


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_report(path: Path) -> bool:
    return formats.is_report_name(path.name)
