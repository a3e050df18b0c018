"""Text typed at the booth never turns into a formula in Excel: a venue starting with
"=" stays text in the XLSX (a string cell, with Excel's quote prefix), reasons such as
"-1件取消" or "+追加" open as text from the CSV (leading apostrophe, OWASP's CSV
injection advice), and counts stay numbers — the amendment's −1 included."""
from __future__ import annotations

import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from app import tallies as tl
from app.openings import close_opening
from app.reports import export as ex
from tests.conftest import profile_for_spec
from tests.reports.readback import csv_rows, pdf_text, section
from tests.reports.seed import at, open_at

VENUE = '=HYPERLINK("http://evil.example/","クリック")'
DAY = date(2024, 11, 1)


@pytest.fixture
def hostile(store):
    """An opening whose venue and amendment reasons look like formulas."""
    o = open_at(store, profile_for_spec("003"), DAY, venue=VENUE, municipality="名取市")
    taps = [tl.tap(store, o.id, "visitors", now=at(DAY, 10, i)) for i in range(3)]
    close_opening(store, o.id, now=at(DAY, 17), confirmed_by="@佐藤")
    tl.undo(store, taps[0].id, reason="-1件取消", now=at(date(2024, 11, 2), 9))
    tl.tap(store, o.id, "photo", now=at(date(2024, 11, 2), 9, 5), reason="+追加")
    return o


def _write(store, o, fmt, tmp_path):
    out = tmp_path / f"daily.{fmt}"
    ex.write_atomic(out, ex.render(ex.daily_report(store, o.id, now=at(date(2024, 11, 5), 9)).document, fmt))
    return out


def test_xlsx_keeps_typed_text_as_text_and_counts_as_numbers(store, hostile, tmp_path):
    out = _write(store, hostile, "xlsx", tmp_path)
    with zipfile.ZipFile(out) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)  # no formula anywhere
    wb = load_workbook(out)
    try:
        ws = wb.worksheets[0]
        cells = {c.value: c for row in ws.iter_rows() for c in row if c.value is not None}
        venue = cells[VENUE]
        assert venue.data_type == "s" and venue.quotePrefix
        for text in ("-1件取消", "+追加", "@佐藤"):
            assert cells[text].data_type == "s" and cells[text].quotePrefix
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        _, body = section(rows, "締め後の修正")
        changes = {r[3]: r[2] for r in body}
        assert changes == {"-1件取消": -1, "+追加": 1}           # numbers, not the text "+1"
        assert all(type(v) is int for v in changes.values())
        title_row = next(c.row for c in ws["A"] if c.value == "締め後の修正")
        delta_cells = [ws.cell(row=title_row + 2 + i, column=3) for i in range(len(body))]
        assert [c.value for c in delta_cells] == [-1, 1]
        assert all(c.number_format == "+#,##0;-#,##0;0" for c in delta_cells)  # shown as −1 / +1
        summary = {r[0]: r[1] for r in section(rows, "集計")[1]}
        profile = profile_for_spec("003")
        assert summary == {c.label(): tl.totals(store, hostile.id)[c.key]["total"] for c in profile.counters}
        assert summary[profile.counter("visitors").label()] == 2
        assert all(type(v) is int for v in summary.values())
    finally:
        wb.close()


def test_csv_prefixes_formula_like_text_and_leaves_numbers_alone(store, hostile, tmp_path):
    rows = csv_rows(_write(store, hostile, "csv", tmp_path))
    facts = {r[0]: r[1] for r in rows if len(r) == 2}
    assert facts["会場"] == "'" + VENUE
    assert facts["確認者"] == "'@佐藤"
    header, body = section(rows, "締め後の修正")
    reason, delta = header.index("理由"), header.index("増減")
    assert [(r[reason], r[delta]) for r in body] == [("'-1件取消", "-1"), ("'+追加", "1")]
    _, summary = section(rows, "集計")
    assert all(r[1].isdigit() for r in summary)   # counts untouched: no apostrophe


def test_pdf_shows_the_text_and_signed_changes(store, hostile, tmp_path):
    text = pdf_text(_write(store, hostile, "pdf", tmp_path))
    assert "HYPERLINK" in text and "-1件取消" in text and "+追加" in text
    line = next(ln for ln in text.splitlines() if "-1件取消" in ln)
    assert "令和6年11月2日 09:00" in line and " -1 " in f" {line} "
