"""The Document as CSV for Excel: UTF-8 with a BOM (so Excel opens Japanese text
correctly), CRLF line ends, one section after another separated by a blank line.
Each table has one header row (an upper header and its sub-column joined by ／) and
counts as plain digits.

Text that Excel would take for a formula (starting with = + - @, a tab or a carriage
return: OWASP's "CSV injection") gets a leading apostrophe, so a venue typed as
"=HYPERLINK(...)" or a reason such as "-1件取消" opens as the text it is. Counts are
never touched: -1 stays the number -1."""
from __future__ import annotations

import csv
import io

from app.reports.document import Charts, Document, Facts, Note, Table, chart_table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(int(value))
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class _Writer:
    """csv.writer whose every row goes through _cell."""

    def __init__(self, buf) -> None:
        self._w = csv.writer(buf, lineterminator="\r\n")

    def writerow(self, row) -> None:
        self._w.writerow([_cell(v) for v in row])


def _table(w, table: Table) -> None:
    w.writerow([table.title])
    w.writerow(table.flat_header())
    for row in table.rows:
        w.writerow(row)
    if table.note:
        w.writerow([table.note])
    w.writerow([])


def render_csv(doc: Document) -> bytes:
    buf = io.StringIO(newline="")
    w = _Writer(buf)
    w.writerow([doc.title])
    w.writerow([doc.subtitle])
    w.writerow([])
    for block in doc.blocks:
        if isinstance(block, Facts):
            for label, value in block.items:
                w.writerow([label, value])
            w.writerow([])
        elif isinstance(block, Table):
            _table(w, block)
        elif isinstance(block, Note):
            w.writerow([block.text])
            w.writerow([])
        elif isinstance(block, Charts):
            for chart in block.charts:
                _table(w, chart_table(chart))
    w.writerow([doc.footer])
    return buf.getvalue().encode("utf-8-sig")
