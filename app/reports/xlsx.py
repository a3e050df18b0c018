"""The Document as an Excel workbook (openpyxl): one sheet with the facts and every
table (counts as numbers, so they can be summed in Excel), and, when the report has
charts, a sheet of native Excel charts drawn from the chart tables."""
from __future__ import annotations

import io
import unicodedata

from openpyxl import Workbook
from openpyxl.chart import BarChart as XLBar
from openpyxl.chart import LineChart as XLLine
from openpyxl.chart import Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from app.reports.document import BarChart, Charts, Document, Facts, Note, Signed, Table, chart_table

_THIN = Side(style="thin", color="7F8C99")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD = PatternFill("solid", fgColor="E3EAF2")
_LABEL = PatternFill("solid", fgColor="F1F4F7")
_TOTAL = PatternFill("solid", fgColor="F6F6EE")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(wrap_text=True, horizontal="center", vertical="center")
MAX_COL_WIDTH = 48


# A change (+1/−1) is a number shown with its sign.
SIGNED_FORMAT = "+#,##0;-#,##0;0"
# A text starting with one of these is a formula to Excel (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _as_text(cell, value: str) -> None:
    """Text stays text: openpyxl turns a str starting with "=" into a live formula
    (a venue typed as "=HYPERLINK(...)" would run in Excel), so the cell is written as a
    string, and one that looks like a formula also gets Excel's quote prefix, so
    editing the cell in Excel keeps it text."""
    cell.data_type = "s"
    if value.startswith(FORMULA_START):
        cell.quotePrefix = True


def _width(text: str) -> float:
    """Columns are measured in Latin characters; a Japanese character is two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


class _Sheet:
    def __init__(self, ws) -> None:
        self.ws = ws
        self.row = 1
        self.widths: dict[int, float] = {}

    def put(self, col: int, value, *, bold=False, fill=None, border=True, align=None) -> None:
        cell = self.ws.cell(row=self.row, column=col, value=value)
        if isinstance(value, str):
            _as_text(cell, value)
        elif isinstance(value, Signed):
            cell.number_format = SIGNED_FORMAT
        elif isinstance(value, int):
            cell.number_format = "#,##0"
        if bold:
            cell.font = _BOLD
        if fill:
            cell.fill = fill
        if border:
            cell.border = _BORDER
        cell.alignment = align or (_WRAP if isinstance(value, str) else Alignment(vertical="top"))
        if isinstance(value, str) or isinstance(value, int):
            self.widths[col] = max(self.widths.get(col, 0), min(MAX_COL_WIDTH, _width(str(value)) + 2))

    def table(self, table: Table) -> tuple[int, int]:
        """Write one table; returns (first body row, last body row)."""
        self.put(1, table.title, bold=True, border=False)
        self.row += 1
        for level in table.header:
            col = 1
            for h in level:
                for i in range(h.span):  # border on every cell of a merged range
                    self.put(col + i, h.text if i == 0 else None, bold=True, fill=_HEAD, align=_CENTER)
                if h.span > 1:
                    self.ws.merge_cells(start_row=self.row, start_column=col, end_row=self.row,
                                        end_column=col + h.span - 1)
                col += h.span
            self.row += 1
        first = self.row
        for r, row in enumerate(table.rows):
            is_total = r >= len(table.rows) - table.total_rows
            for c, value in enumerate(row, start=1):
                self.put(c, value, bold=is_total, fill=_TOTAL if is_total else None)
            self.row += 1
        last = self.row - 1
        if table.note:
            self.put(1, table.note, border=False)
            self.row += 1
        self.row += 1
        return first, last


def _add_chart(ws_charts, data_ws, chart, first: int, last: int, anchor: str) -> None:
    n_series = len(chart.series) if isinstance(chart, BarChart) else 2
    if isinstance(chart, BarChart):
        xc = XLBar()
        xc.type = "col"
    else:
        xc = XLLine()
    xc.title = chart.title
    xc.height, xc.width = 7.5, 16
    data = Reference(data_ws, min_col=2, max_col=1 + n_series, min_row=first - 1, max_row=last)
    cats = Reference(data_ws, min_col=1, min_row=first, max_row=last)
    xc.add_data(data, titles_from_data=True)
    xc.set_categories(cats)
    ws_charts.add_chart(xc, anchor)


def render_xlsx(doc: Document) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = doc.title[:31].replace("/", "・")
    wb.properties.creator = "Madoguchi"
    wb.properties.title = f"{doc.title} {doc.subtitle}"
    sheet = _Sheet(ws)
    sheet.put(1, doc.title, bold=True, border=False)
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    sheet.row += 1
    sheet.put(1, doc.subtitle, border=False)
    sheet.row += 2
    placed = []
    for block in doc.blocks:
        if isinstance(block, Facts):
            for label, value in block.items:
                sheet.put(1, label, bold=True, fill=_LABEL)
                sheet.put(2, value)
                sheet.row += 1
            sheet.row += 1
        elif isinstance(block, Table):
            sheet.table(block)
        elif isinstance(block, Note):
            sheet.put(1, block.text, border=False)
            sheet.row += 2
        elif isinstance(block, Charts):
            for chart in block.charts:
                first, last = sheet.table(chart_table(chart))
                placed.append((chart, first, last))
    sheet.put(1, doc.footer, border=False)
    for col, width in sheet.widths.items():
        ws.column_dimensions[get_column_letter(col)].width = max(8, width)
    ws.column_dimensions["B"].width = max(ws.column_dimensions["B"].width, 14)
    if placed:
        charts_ws = wb.create_sheet("グラフ" if doc.lang == "ja" else "Charts")
        for i, (chart, first, last) in enumerate(placed):
            if last >= first:
                _add_chart(charts_ws, ws, chart, first, last, f"{'A' if i % 2 == 0 else 'K'}{1 + (i // 2) * 16}")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
