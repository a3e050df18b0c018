"""A Document laid out on A4 pages as a few drawing primitives (text, lines, boxes,
chart boxes) in PDF points, origin at the bottom left.

The PDF renderer and the UI preview both draw these pages, so the preview shows what
the PDF will look like. Text is measured with the same TrueType font the PDF embeds;
every cell's text is wrapped to its column, so nothing is cut off, and long tables
continue on the next page with their header repeated."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4, landscape

from app.reports.document import BarChart, Charts, Document, Facts, Note, Signed, Table
from app.reports.fonts import string_width
from app.reports.messages import word
from app.reports.textfit import wrap

MARGIN = 36.0
PAD = 3.0
BODY = 8.5          # table text size (pt); shrinks down to MIN_SIZE for wide tables
MIN_SIZE = 6.0
LEADING = 1.28      # line height / font size
ASCENT = 0.86       # baseline below the top of a line, / font size
HEADER_FILL = "#e3eaf2"
LABEL_FILL = "#f1f4f7"
TOTAL_FILL = "#f6f6ee"
GRID = "#7f8c99"
CHART_H = 180.0
_NUMERIC = re.compile(r"^[+\-−]?[\d,]+(\.\d+)?%?$|^—$")


@dataclass(frozen=True)
class Text:
    x: float
    y: float            # baseline
    text: str
    size: float
    bold: bool = False
    align: str = "left"  # left | right | center (x is the left edge, right edge or centre)
    color: str = "#000000"


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.5
    color: str = GRID


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    fill: str | None = None
    stroke: str | None = GRID
    width: float = 0.5


@dataclass(frozen=True)
class ChartBox:
    x: float
    y: float
    w: float
    h: float
    chart: object       # BarChart | ProgressChart


@dataclass
class Page:
    width: float
    height: float
    items: list = field(default_factory=list)


def fmt(cell) -> str:
    if isinstance(cell, Signed):
        return f"{cell:+,}"
    return f"{cell:,}" if isinstance(cell, int) and not isinstance(cell, bool) else str(cell)


def _is_number(cell) -> bool:
    return isinstance(cell, int) or bool(_NUMERIC.match(str(cell)))


class _Pages:
    """The cursor: current page and how far down it is filled."""

    def __init__(self, doc: Document) -> None:
        self.size = landscape(A4) if doc.landscape else A4
        self.lang = doc.lang
        self.pages: list[Page] = []
        self.new()

    def new(self) -> None:
        self.pages.append(Page(*self.size))
        self.y = self.size[1] - MARGIN

    @property
    def page(self) -> Page:
        return self.pages[-1]

    @property
    def left(self) -> float:
        return MARGIN

    @property
    def avail_w(self) -> float:
        return self.size[0] - 2 * MARGIN

    def room(self) -> float:
        return self.y - (MARGIN + 14)  # keep the footer line free

    def need(self, h: float) -> None:
        if h > self.room() and self.y < self.size[1] - MARGIN - 1:
            self.new()

    def add(self, item) -> None:
        self.page.items.append(item)


def _lines(text: str, width: float, size: float) -> list[str]:
    return wrap(text, max(width - 2 * PAD, size), size, string_width)


def _cell(pg: _Pages, x: float, top: float, w: float, h: float, lines: list[str], size: float, *,
          align: str, bold: bool, fill: str | None) -> None:
    pg.add(Box(x, top - h, w, h, fill=fill))
    for i, line in enumerate(lines):
        base = top - PAD - size * ASCENT - i * size * LEADING
        tx = {"left": x + PAD, "right": x + w - PAD, "center": x + w / 2}[align]
        pg.add(Text(tx, base, line, size, bold=bold, align=align))


def _row_height(n_lines: int, size: float) -> float:
    return max(1, n_lines) * size * LEADING + 2 * PAD - size * (LEADING - 1)


def _section_title(pg: _Pages, text: str, following: float) -> None:
    size = 10.5
    pg.need(size * 2 + following)
    pg.y -= size * 0.6
    pg.add(Text(pg.left, pg.y - size * ASCENT, text, size, bold=True, color="#17324d"))
    pg.y -= size * LEADING + 2


# ------------------------------------------------------------------ tables

def _widths(table: Table, avail: float, size: float) -> tuple[list[float], float] | None:
    n = table.width
    natural, numeric = [0.0] * n, [True] * n
    for row in table.rows:
        for i, cell in enumerate(row):
            natural[i] = max(natural[i], string_width(fmt(cell), size))
            numeric[i] = numeric[i] and _is_number(cell)
    head = _header_widths(table, size)
    desired = [max(natural[i], head[i]) + 2 * PAD + 1 for i in range(n)]
    # Numbers and short texts (dates, names of a few characters) never wrap.
    minimum = [(natural[i] if numeric[i] or natural[i] <= size * 8.5 else size * 6) + 2 * PAD + 1
               for i in range(n)]
    minimum = [max(m, size * 2.2 + 2 * PAD) for m in minimum]  # a wrapped header needs 2 chars
    if sum(minimum) > avail:
        return None
    if sum(desired) <= avail:  # everything on one line: share what is left in proportion
        scale = avail / sum(desired)
        return [d * scale for d in desired], size
    spare = avail - sum(minimum)
    want = [desired[i] - minimum[i] for i in range(n)]
    total = sum(want) or 1
    return [minimum[i] + spare * want[i] / total for i in range(n)], size


def _header_widths(table: Table, size: float) -> list[float]:
    """Width each column needs for its header text on one line (a spanning header
    shares its width out over the columns it spans)."""
    out = [0.0] * table.width
    for level in table.header:
        col = 0
        for h in level:
            share = (string_width(h.text, size) + 2 * PAD) / h.span - (2 * PAD if h.span > 1 else 0)
            for i in range(col, col + h.span):
                out[i] = max(out[i], share)
            col += h.span
    return out


def _fit(table: Table, avail: float) -> tuple[list[float], float]:
    size = BODY
    while size >= MIN_SIZE:
        found = _widths(table, avail, size)
        if found:
            return found
        size -= 0.5
    # Still too wide at the smallest size: share the width out; text wraps.
    return [avail / table.width] * table.width, MIN_SIZE


def _header_rows(table: Table, widths: list[float], size: float) -> list[tuple[float, list]]:
    rows = []
    for level in table.header:
        cells, col = [], 0
        for h in level:
            w = sum(widths[col:col + h.span])
            cells.append((col, w, _lines(h.text, w, size)))
            col += h.span
        rows.append((_row_height(max(len(c[2]) for c in cells), size), cells))
    return rows


def _draw_header(pg: _Pages, header, widths: list[float], size: float) -> None:
    for h, cells in header:
        for col, w, lines in cells:
            _cell(pg, pg.left + sum(widths[:col]), pg.y, w, h, lines, size, align="center",
                  bold=True, fill=HEADER_FILL)
        pg.y -= h


def layout_table(pg: _Pages, table: Table) -> None:
    if not table.rows:  # nothing to tabulate: the title and the note say so
        _section_title(pg, table.title, 12)
        _note(pg, table.note or "—")
        pg.y -= 6
        return
    widths, size = _fit(table, pg.avail_w)
    header = _header_rows(table, widths, size)
    header_h = sum(h for h, _ in header)
    body = []
    for r, row in enumerate(table.rows):
        lines = [_lines(fmt(c), widths[i], size) for i, c in enumerate(row)]
        body.append((_row_height(max(len(x) for x in lines), size), lines,
                     r >= len(table.rows) - table.total_rows))
    first = body[0][0] if body else 0
    _section_title(pg, table.title, header_h + first)
    _draw_header(pg, header, widths, size)
    for r, (h, lines, is_total) in enumerate(body):
        if h > pg.room():
            pg.new()
            _section_title(pg, table.title + word("continued", pg.lang), header_h + h)
            _draw_header(pg, header, widths, size)
        x = pg.left
        for i, cell_lines in enumerate(lines):
            align = "right" if _is_number(table.rows[r][i]) else "left"
            _cell(pg, x, pg.y, widths[i], h, cell_lines, size, align=align, bold=is_total,
                  fill=TOTAL_FILL if is_total else None)
            x += widths[i]
        pg.y -= h
    if table.note:
        _note(pg, table.note)
    pg.y -= 6


def layout_facts(pg: _Pages, facts: Facts) -> None:
    size = 9.0
    label_w = min(150.0, max(string_width(k, size) for k, _ in facts.items) + 2 * PAD + 4)
    value_w = pg.avail_w - label_w
    for label, value in facts.items:
        lines = _lines(value, value_w, size)
        h = _row_height(len(lines), size)
        pg.need(h)
        _cell(pg, pg.left, pg.y, label_w, h, _lines(label, label_w, size), size, align="left",
              bold=True, fill=LABEL_FILL)
        _cell(pg, pg.left + label_w, pg.y, value_w, h, lines, size, align="left", bold=False, fill=None)
        pg.y -= h
    pg.y -= 8


def _note(pg: _Pages, text: str) -> None:
    size = 8.5
    for line in _lines(text, pg.avail_w, size):
        pg.need(size * LEADING)
        pg.add(Text(pg.left + PAD, pg.y - size * ASCENT - 2, line, size, color="#37474f"))
        pg.y -= size * LEADING
    pg.y -= 2


def layout_charts(pg: _Pages, block: Charts) -> None:
    wide = [isinstance(c, BarChart) and len(c.categories) * max(1, len(c.series)) > 12
            for c in block.charts]
    per_row = 1 if any(wide) or len(block.charts) == 1 else 2
    w = (pg.avail_w - (per_row - 1) * 12) / per_row
    h = CHART_H
    _section_title(pg, block.title, h)
    for i, chart in enumerate(block.charts):
        col = i % per_row
        if col == 0:
            if i:
                pg.y -= h + 10
            pg.need(h)
        pg.add(ChartBox(pg.left + col * (w + 12), pg.y - h, w, h, chart))
    pg.y -= h + 14


def _title(pg: _Pages, doc: Document) -> None:
    cx = pg.size[0] / 2
    pg.add(Text(cx, pg.y - 16 * ASCENT, doc.title, 16, bold=True, align="center", color="#0d2b45"))
    pg.y -= 16 * LEADING + 2
    for line in _lines(doc.subtitle, pg.avail_w, 10):
        pg.add(Text(cx, pg.y - 10 * ASCENT, line, 10, align="center", color="#263238"))
        pg.y -= 10 * LEADING
    pg.y -= 8


def _footers(doc: Document, pages: list[Page]) -> None:
    for n, page in enumerate(pages, start=1):
        y = MARGIN - 16
        page.items.append(Line(MARGIN, y + 10, page.width - MARGIN, y + 10, 0.4))
        page.items.append(Text(MARGIN, y, doc.footer, 7.5, color="#455a64"))
        page.items.append(Text(page.width / 2, y, doc.title, 7.5, align="center", color="#455a64"))
        page.items.append(Text(page.width - MARGIN, y, word("page", doc.lang, n=n, total=len(pages)), 7.5,
                               align="right", color="#455a64"))


def layout(doc: Document) -> list[Page]:
    pg = _Pages(doc)
    _title(pg, doc)
    for block in doc.blocks:
        if isinstance(block, Facts):
            layout_facts(pg, block)
        elif isinstance(block, Table):
            layout_table(pg, block)
        elif isinstance(block, Charts):
            layout_charts(pg, block)
        elif isinstance(block, Note):
            _note(pg, block.text)
    _footers(doc, pg.pages)
    return pg.pages
