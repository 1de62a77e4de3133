"""A page's text lines in reading order, each marked when the layout broke it: one or two columns.

A PDF text layer (``formats.pdf``) and Tesseract's output (``formats.ocr``) both give lines with
their boxes. Most report pages are one column: a line that reaches the column's right edge was
broken by the layout and continues on the next line (:func:`mark_full`). Some are set in two
columns; there the edge is each column's own, and the page reads down the left column, then
down the right one, with lines that span both (a title, a running header, a page number)
between them. :func:`reading_order` finds the gutter — an upright strip that no line crosses,
with lines on both sides of it side by side — and orders the lines by it; a page where no
such strip exists is one column and keeps its lines as they came.

Why not trust the PDF's own order: it is the order the producer drew, which is column by
column for Chromium and Word, but row by row for some layout programs; geometry gives the
same answer for both. Coordinates are in any unit with y growing downwards.
"""
from __future__ import annotations

from dataclasses import dataclass

from indexer.linejoin import display_width

#: A line whose end comes within this many character widths of its column's right edge
#: reached it: the layout broke it there, and it continues on the next line.
FULL_LINE_EMS = 1.2
MIN_LINES_FOR_EDGE = 5
#: A page is two columns when at least this many lines lie on each side of the gutter …
MIN_COLUMN_LINES = 3
#: … far more lines lie beside it than across it …
MAX_CROSSING_SHARE = 0.25
#: … and at least this share of each column's lines reach its right edge (wrapped prose;
#: a table's cells seldom do).
MIN_FULL_SHARE = 0.4
#: The gutter is looked for in the middle of the text's width, between these shares of it.
GUTTER_RANGE = (0.25, 0.75)
#: A line farther than this many character heights from every other line is page furniture
#: (a header, a footer, a page number in a corner): it belongs to no column.
ISOLATED_EMS = 2.5


@dataclass(frozen=True)
class Line:
    text: str
    full: bool          # it reaches the right edge of its column


@dataclass(frozen=True)
class Box:
    """A line of text and where it lies: ``left < right``, ``top < bottom`` (y downwards)."""

    text: str
    left: float
    right: float
    top: float
    bottom: float


def reading_order(boxes: list[Box], page_width: float, em: float,
                  pieces: list[Box] | None = None, gutter: float | None = None) -> list[Line]:
    """Return the page's lines in reading order, each marked when full.

    :param boxes: the lines as the extractor gave them, in its order.
    :param pieces: the same lines cut wherever a wide gap lies inside one (an extractor may run
        the two columns' lines together); used instead of ``boxes`` when the page has columns.
    :param gutter: the gutter the document's other pages have (:func:`document_gutter`): a
        page with too little prose to show columns of its own (the last one) is read by it
        when its lines keep to either side.
    """
    columns = find_columns(pieces or boxes, em)
    if columns is None and gutter is not None and keeps_to(pieces or boxes, gutter, em):
        columns = gutter
    if columns is None:
        return mark_full([b.text for b in boxes], [(b.left, b.right) for b in boxes],
                         page_width, em)
    return _in_columns(pieces or boxes, columns, page_width, em)


def find_columns(boxes: list[Box], em: float) -> float | None:
    """The x of the gutter between two columns, or None for a page of one column."""
    if len(boxes) < 2 * MIN_COLUMN_LINES:
        return None
    middle = (min(b.left for b in boxes) + max(b.right for b in boxes)) / 2
    if sum(b.left < middle < b.right for b in boxes) > len(boxes) / 2:
        return None                     # most lines run across the middle: one column (fast)
    lone = isolated(boxes, em)
    body = [b for i, b in enumerate(boxes) if i not in lone]
    if len(body) < 2 * MIN_COLUMN_LINES:
        return None
    x0, x1 = min(b.left for b in body), max(b.right for b in body)
    low, high = (x0 + (x1 - x0) * share for share in GUTTER_RANGE)
    edges = sorted({b.left for b in body} | {b.right for b in body} | {low, high})
    candidates = [(a + b) / 2 for a, b in zip(edges, edges[1:]) if low <= (a + b) / 2 <= high]
    if not candidates:
        return None
    crossing = {x: sum(b.left < x < b.right for b in body) for x in candidates}
    fewest = min(crossing.values())
    # of the positions crossed by the fewest lines, the middle of the widest empty strip
    gutter = _widest_gap([x for x in candidates if crossing[x] == fewest], body)
    left = [b for b in body if b.right <= gutter]
    right = [b for b in body if b.left >= gutter]
    if (min(len(left), len(right)) < MIN_COLUMN_LINES
            or fewest > MAX_CROSSING_SHARE * (len(left) + len(right))
            or not _side_by_side(left, right)
            or not (_wrapped(left, em) and _wrapped(right, em))):
        return None
    return gutter


def document_gutter(gutters: list[float | None]) -> float | None:
    """The gutter of a document's two-column pages (the median of theirs), or None."""
    found = sorted(g for g in gutters if g is not None)
    return found[len(found) // 2] if found else None


def keeps_to(boxes: list[Box], gutter: float, em: float) -> bool:
    """Lines lie on both sides of ``gutter`` and few run across it."""
    lone = isolated(boxes, em)
    body = [b for i, b in enumerate(boxes) if i not in lone]
    left = sum(b.right <= gutter for b in body)
    right = sum(b.left >= gutter for b in body)
    return min(left, right) >= 1 and len(body) - left - right <= MAX_CROSSING_SHARE * (left + right)


def _widest_gap(xs: list[float], body: list[Box]) -> float:
    """The x among ``xs`` farthest from the nearest line end on either side."""
    def room(x: float) -> float:
        ends = [b.right for b in body if b.right <= x] or [x]
        starts = [b.left for b in body if b.left >= x] or [x]
        return min(x - max(ends), min(starts) - x)
    return max(xs, key=room)


def isolated(boxes: list[Box], em: float) -> set[int]:
    """Indexes of the lines farther than :data:`ISOLATED_EMS` from every other line, up or
    down (a line beside another, in the other column, is near it)."""
    gap = ISOLATED_EMS * em
    order = sorted(range(len(boxes)), key=lambda i: boxes[i].top)
    lone = set()
    for k, i in enumerate(order):
        box = boxes[i]
        near = False
        for j in order[k + 1:]:                     # lines starting lower, nearest first
            if boxes[j].top - gap >= box.bottom:
                break
            near = True
            break
        if not near:
            for j in reversed(order[:k]):           # lines starting higher
                if boxes[j].bottom + gap > box.top:
                    near = True
                    break
                if box.top - boxes[j].top > 50 * gap:   # far enough up: none can reach
                    break
        if not near:
            lone.add(i)
    return lone


def _side_by_side(left: list[Box], right: list[Box]) -> bool:
    """The columns share their height: the shorter one lies mostly beside the other."""
    top = max(min(b.top for b in left), min(b.top for b in right))
    bottom = min(max(b.bottom for b in left), max(b.bottom for b in right))
    shorter = min(max(b.bottom for b in side) - min(b.top for b in side) for side in (left, right))
    return bottom - top >= 0.5 * shorter


def _wrapped(column: list[Box], em: float) -> bool:
    edge = max(b.right for b in column)
    return sum(edge - b.right <= FULL_LINE_EMS * em for b in column) >= MIN_FULL_SHARE * len(column)


def _in_columns(boxes: list[Box], gutter: float, page_width: float, em: float) -> list[Line]:
    """Spanning lines cut the page into bands; each band reads its left column, then its right."""
    lone = {id(boxes[i]) for i in isolated(boxes, em)}

    def side(b: Box) -> int:
        if id(b) in lone:
            return 0
        return 1 if b.right <= gutter else 2 if b.left >= gutter else 0

    margin = min(b.left for b in boxes)
    out: list[Line] = []
    band: dict[int, list[Box]] = {1: [], 2: []}

    def flush() -> None:
        for column in (band[1], band[2]):
            if column:
                column.sort(key=lambda b: (b.top, b.left))
                out.extend(mark_full_in([b.text for b in column],
                                        [(b.left, b.right) for b in column],
                                        min(b.left for b in column),
                                        max(b.right for b in column), em))
                column.clear()

    for box in sorted(boxes, key=lambda b: (b.top, b.left)):
        where = side(box)
        if where:
            band[where].append(box)
            continue
        flush()
        out.extend(mark_full_in([box.text], [(box.left, box.right)], margin,
                                page_width - margin, em))
    flush()
    return out


def mark_full(texts: list[str], boxes: list[tuple[float, float]], page_width: float,
              em: float) -> list[Line]:
    """Mark the lines of a one-column page whose right end reaches the text's right edge.

    The edge is taken as the mirror of the leftmost text (margins are about even), so a page
    of two short lines has no full line; if no line gets near it (a wide right margin), the
    rightmost line end is the edge.
    """
    if not boxes:
        return []
    margin = min(left for left, _ in boxes)
    edge = page_width - margin
    rightmost = max(right for _, right in boxes)
    if rightmost < edge - FULL_LINE_EMS * em and len(boxes) >= MIN_LINES_FOR_EDGE:
        edge = rightmost
    return mark_full_in(texts, boxes, margin, edge, em)


def mark_full_in(texts: list[str], boxes: list[tuple[float, float]], margin: float,
                 edge: float, em: float) -> list[Line]:
    """Mark the lines that end within :data:`FULL_LINE_EMS` of ``edge`` and are not centred.

    A centred line (a heading, a title: as much room left as right) ended on its own however
    near the edge it comes, unless the room left on both sides would not hold one more of its
    characters (the first line of a long title that wraps); an indented first line did not.
    """
    lines = []
    for text, (left, right) in zip(texts, boxes):
        room_left, room_right = left - margin, edge - right
        own = (right - left) / max(1, display_width(text)) * 2      # one of its characters
        centred = (room_left > em / 2 and abs(room_left - room_right) < em / 2
                   and room_left + room_right >= own)
        lines.append(Line(text, room_right <= FULL_LINE_EMS * em and not centred))
    return lines
