"""The government information-disclosure table (信息公开) at the head of a report page: pure.

Pages in a 政府信息公开 catalogue carry a table of the document's own facts above its title:
``索引号 | … | 主题分类 | … | 发文字号 | 金政发〔2025〕33号 | 成文日期 | 2025-06-13 | 发布日期 |
2025-06-30 | 标 题 | … |``. It is not noise: it names the title, the document number, the dates
and the issuing body better than the prose does. Real pages lay it out four ways, all read here:

* cells between ``|`` (``| [ 索引号 ] | 1150…/2026-00028 | [ 发文字号 ] | 无 |``);
* ``label: value`` pairs, several to a line (``索引号: 1144…/2020-00071 分类: 综合政务``);
* one label per line with its value on the next (``发文字号\\n渝府发〔2024〕3号``, bullets too);
* labels with spaces between their characters (``索 引 号``, ``标 题``, ``文  号``);
* labels glued to their values, one to a short line (``发文字号皖交发〔2021〕63号``), read only
  when three such lines stand together (a law-library mirror's layout).

``read_disclosure`` returns the fields found; ``table_lines`` says which lines the table takes,
so that ``indexer.clean`` drops them from the report text (and its title search).
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from search.analysis import normalize

_HEAD_CHARS = 5000          # the table stands above the report: only the page head is read
_MAX_GAP = 3                # non-empty lines allowed between two labels of one table
_VALUE_CHARS = 120

# Field → the labels real pages use for it (longest first where one contains another).
LABELS = {
    "index_number": ("信息索引号", "索引号", "索取号"),
    "topic": ("主题分类", "组配分类", "体裁分类", "信息分类", "内容分类", "公文种类", "主题词", "分类"),
    "doc_number": ("文件发文字号", "发文字号", "文件编号", "备注/文号", "文号"),
    "written": ("文件成文日期", "成文日期", "成文时间", "公文生成日期", "生成日期", "发文日期", "发文时间",
                "印发日期",
                # batch21: a municipal bureau's table dates the paper by when it was made
                "产生日期"),
    "published": ("文件公开发布日期", "公开发布日期", "发布日期", "公布时间", "公开日期", "发布时间"),
    "title": ("文件名称", "信息名称", "标题", "名称"),
    "publisher": ("发布机构", "制发机构", "发文机构", "发文单位", "发文机关", "发布单位", "所属机构",
                  "责任部门", "文件所属单位", "所属单位"),
    "access": ("公开方式", "公开范围", "公开形式", "公开属性", "公开类别"),
    "other": ("统一登记号", "信息时效期", "公文时效", "有效性", "效力状态", "效力级别", "时效性", "施行日期",
              "内容概述", "生效日期", "废止日期", "关键词", "服务对象", "来源",
              # batch15 and earlier pages: 文 号: | 是否有效: | 是; 生效时间: 终止时间: 来源:
              "是否有效", "公开时限", "统一编号", "生效时间", "终止时间",
              # batch16: 发 布 机 构: … 发 文 日 期: … / 内 容 概 述: / 时          效:
              "时效",
              # batch18: a city portal prefixes its labels with 文件 (文件成文日期, 文件废止时间)
              "文件类型", "文件状态", "文件开始实施的时间", "文件废止时间", "文件失效时间"),
}
# Fields that only a disclosure table has: a cluster of labels is a table if it holds one.
_TABLE_FIELDS = frozenset(("index_number", "topic", "doc_number", "written", "title", "publisher",
                           "access"))
_EMPTY = frozenset(("无", "-", "—", "/", "暂无", "空"))
# A document number always has a number in it (某政发〔2025〕33号, 第3号); a 文号 cell that says
# what kind of paper it is (其他文件, 非正式公文) holds none.
_NUMBERED = re.compile(r"[0-9０-９〇一二三四五六七八九十]")


def _label_pattern(label: str) -> str:
    """Short labels may be spaced out to the cell's width (``索 引 号``, ``发 文 日 期``): up to
    three characters across any space, four or five across spaces on one line only."""
    if len(label) <= 3:
        return r"\s*".join(map(re.escape, label))
    if len(label) <= 5:
        return r"[ \t\u3000]*".join(map(re.escape, label))
    return re.escape(label)


_BY_LABEL = {label: name for name, labels in LABELS.items() for label in labels}
_LABEL = re.compile(
    r"(?:^|(?<=[\s|｜\[【\]】•·])|(?<=[0-9]号))[\[【]?\s*(?P<label>"   # …26号发布日期: glued on
    + "|".join(_label_pattern(lb) for lb in sorted(_BY_LABEL, key=len, reverse=True))
    + r")\s*[\]】]?\s*(?:[:：|｜]|(?=\s)|$)", re.M)
# A label glued to its value at the start of a short line: 发文日期2021年12月21日.
_GLUED_LABEL = re.compile(
    r"^\s*(?P<label>" + "|".join(re.escape(lb) for lb in sorted(_BY_LABEL, key=len, reverse=True))
    + r")(?=[^\s:：|｜])")
_GLUED_LINE = 40            # a glued row is short
_GLUED_MIN = 3              # glued rows that make a table
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_CELL_EDGE = " \t|｜:：•·-–—"            # - 温建〔2022〕4号: a value listed after a dash
_STRIP = _CELL_EDGE + "[]【】"
# A column's tag before the title in its cell (a 发文字号 in brackets, [某政发〔2026〕7号], is no tag).
_TITLE_TAG = re.compile(r"^[【\[][\u4e00-\u9fff]{2,8}[】\]]\s*(?=\S)")
_NOT_VALUE = re.compile(r"^[【\[]|打印|字体|字号|分享|浏览次数|访问次数")


@dataclass
class Disclosure:
    """What a disclosure table says; "" where it says nothing."""

    title: str = ""
    doc_number: str = ""
    written: str | None = None       # 成文日期, ISO
    published: str | None = None     # 发布日期, ISO
    publisher: str = ""
    index_number: str = ""
    fields: dict[str, str] = field(default_factory=dict)   # every label read, its value as written
    lines: frozenset[int] = frozenset()                    # line numbers the table takes


def read_disclosure(text: str) -> Disclosure:
    """Read the disclosure table at the head of ``text`` (raw page text); empty when none.

    >>> d = read_disclosure("发文字号 | 金政发〔2025〕33号 | 成文日期 | 2025-06-13 |\\n标 题 | 某通知 |")
    >>> d.doc_number, d.written, d.title
    ('金政发〔2025〕33号', '2025-06-13', '某通知')
    """
    head = text.replace("\r\n", "\n").replace("\r", "\n")[:_HEAD_CHARS]
    cells = _table_cells(head)
    if not cells:
        return Disclosure()
    values: dict[str, str] = {}
    for label, value in cells[0]:
        values.setdefault(label, value)
    by_field: dict[str, str] = {}
    for label, value in values.items():
        if value and _BY_LABEL[label] not in by_field:
            by_field[_BY_LABEL[label]] = value
    return Disclosure(
        title=by_field.get("title", ""),
        doc_number=_numbered(by_field.get("doc_number", "")),
        written=_iso(by_field.get("written", "")),
        published=_iso(by_field.get("published", "")),
        publisher=by_field.get("publisher", ""),
        index_number=by_field.get("index_number", ""),
        fields=values,
        lines=cells[1],
    )


def table_lines(text: str) -> frozenset[int]:
    """The line numbers (0-based, ``\\n``-separated) of the disclosure table in ``text``."""
    cells = _table_cells(text.replace("\r\n", "\n").replace("\r", "\n")[:_HEAD_CHARS])
    return cells[1] if cells else frozenset()


def _table_cells(head: str):
    """``([(label, value), …], line numbers)`` of the first cluster of labels that is a table."""
    lines = head.split("\n")
    folded = normalize(head).split("\n")      # 索引號, 發文字號 read as 索引号, 发文字号
    matches = []        # (line number, match over the folded line; offsets hold for the raw)
    glued = []          # the same for labels glued to their values
    for number, line in enumerate(folded):
        if len(line.strip()) > 200:
            continue    # prose, not a table row
        found = list(_LABEL.finditer(line))
        matches.extend((number, m) for m in found)
        m = None if found or len(line.strip()) > _GLUED_LINE else _GLUED_LABEL.match(line)
        if m:
            glued.append((number, m))
    for cluster, least in [(c, 1) for c in _clusters(matches, lines)] + \
            [(c, _GLUED_MIN) for c in _clusters(glued, lines)]:
        names = {_BY_LABEL[_canonical(m.group("label"))] for _, m in cluster}
        if len(cluster) >= least and len(names) >= 2 and names & _TABLE_FIELDS:
            return _read_cluster(cluster, lines)   # two fields at least, one a table's
    return None


def _clusters(matches, lines):
    """Group label matches whose lines are at most ``_MAX_GAP`` non-empty lines apart."""
    group, last = [], None
    for number, m in matches:
        if last is not None and _gap(lines, last, number) > _MAX_GAP:
            yield group
            group = []
        group.append((number, m))
        last = number
    if group:
        yield group


def _gap(lines, a: int, b: int) -> int:
    return sum(1 for line in lines[a + 1:b] if line.strip())


def _read_cluster(cluster, lines):
    cells, used = [], set()
    for i, (number, m) in enumerate(cluster):
        used.add(number)
        nxt = cluster[i + 1] if i + 1 < len(cluster) else None
        line = lines[number]
        stop = nxt[1].start() if nxt and nxt[0] == number else len(line)
        value = line[m.end():stop]
        if _BY_LABEL[_canonical(m.group("label"))] == "title":   # 名称: | 【工作总结】某局…报告
            value = _TITLE_TAG.sub("", value.lstrip(_CELL_EDGE))
        value = value.strip(_STRIP)
        in_cells = "|" in line[m.end():stop] or "｜" in line[m.end():stop]
        if not value and not in_cells and (nxt is None or nxt[0] != number):  # an empty cell is empty
            value, where = _value_below(lines, number, nxt[0] if nxt else None)
            if where is not None:
                used.add(where)
        value = re.sub(r"\s+", " ", value)[:_VALUE_CHARS]
        cells.append((_canonical(m.group("label")), "" if value in _EMPTY else value))
    return cells, frozenset(used)


def _value_below(lines, number: int, next_label_line: int | None):
    """A label alone on its line: its value is the next line, if that is no label.

    Past a blank line, only an indented line is the value (as in the bulleted layout): an
    unindented one after a blank line is the title or the text.
    """
    blank = False
    for where in range(number + 1, min(len(lines), number + 4)):
        text = lines[where].strip()
        if not text:
            blank = True
            continue
        if blank and not lines[where][:1].isspace():
            return "", None
        folded = normalize(text)
        if (where == next_label_line or _LABEL.match(folded) or len(text) > 60 or "。" in text
                or _NOT_VALUE.search(folded)):
            return "", None
        return text.strip(_STRIP), where
    return "", None


def _numbered(value: str) -> str:
    return value if _NUMBERED.search(value) else ""


def _canonical(label: str) -> str:
    return re.sub(r"\s+", "", label)


def _iso(value: str) -> str | None:
    m = _DATE.search(value)
    if not m:
        return None
    try:
        return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None
