"""The Document as CSV for Excel: UTF-8 with a BOM (so Excel opens Japanese text
correctly), CRLF line ends, one section after another separated by a blank line.
Each table has one header row (an upper header and its sub-column joined by ／) and
counts as plain digits."""
from __future__ import annotations

import csv
import io

from app.reports.document import Charts, Document, Facts, Note, Table, chart_table


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
    w = csv.writer(buf, lineterminator="\r\n")
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
