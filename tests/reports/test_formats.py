"""Every format shows the store's numbers: the PDF read back with pdftotext, the
workbook with openpyxl, the CSV with the csv module (and its BOM). PDFs embed their
fonts and render to pages."""
from __future__ import annotations

import subprocess

import pytest
from openpyxl import load_workbook
from PIL import Image

from app import tallies as tl
from app.openings import list_openings
from app.profiles import get_profile
from app.reports import export as ex
from tests.conftest import require_tool
from tests.reports.conftest import NOW
from tests.reports.readback import (BOM, csv_rows, last_number, pdf_fonts, pdf_line, pdf_text, section,
                                    xlsx_rows)


def _save(report, fmt, tmp_path):
    out = tmp_path / f"{report.kind}.{fmt}"
    ex.write_atomic(out, ex.render(report.document, fmt))
    return out


def _november(store):
    return [o for o in list_openings(store) if o.date.month == 11]


def test_daily_numbers_are_the_same_in_pdf_xlsx_and_csv(store_003, tmp_path):
    o = _november(store_003)[2]
    report = ex.daily_report(store_003, o.id, now=NOW)
    profile = get_profile(o.profile)
    expected = {c.label(): tl.totals(store_003, o.id)[c.key]["total"] for c in profile.counters}

    text = pdf_text(_save(report, "pdf", tmp_path))
    assert "日次報告書" in text and o.venue in text
    assert {label: last_number(pdf_line(text, label, after="集計")) for label in expected} == expected

    _, body = section(xlsx_rows(_save(report, "xlsx", tmp_path)), "集計")
    assert {r[0]: r[1] for r in body} == expected
    assert all(isinstance(r[1], int) for r in body)  # numbers, so Excel can sum them

    header, body = section(csv_rows(_save(report, "csv", tmp_path)), "集計")
    assert header == ["項目", "件数"]
    assert {r[0]: int(r[1]) for r in body} == expected


def test_daily_cross_table_total_row_in_every_format(store_003, tmp_path):
    o = _november(store_003)[1]
    report = ex.daily_report(store_003, o.id, now=NOW)
    totals = tl.totals(store_003, o.id)
    by_method = totals["application"]["by_dimension"]["method"]
    want = [by_method.get("paper", 0), by_method.get("online", 0), totals["application"]["total"],
            totals["insurance_link"]["total"], totals["kouhi_account"]["total"], totals["survey"]["total"]]

    text = pdf_text(_save(report, "pdf", tmp_path))
    line = pdf_line(text, "合計", after="年代別")
    assert [int(x) for x in line.split()[1:]] == want

    _, body = section(xlsx_rows(_save(report, "xlsx", tmp_path)), "年代別", header_rows=2)
    assert body[-1][0] == "合計" and body[-1][1:7] == want

    header, body = section(csv_rows(_save(report, "csv", tmp_path)), "年代別")
    assert header[1] == "申請サポート件数（カード申請対応者数）／紙"
    assert [int(x) for x in body[-1][1:7]] == want


def test_monthly_openings_and_progress_in_every_format(store_003, tmp_path):
    report = ex.monthly_report(store_003, "2024-11", now=NOW)
    nov = _november(store_003)
    apps = sum(tl.totals(store_003, o.id)["application"]["total"] for o in nov)
    staff = sum(o.staff for o in nov)

    text = pdf_text(_save(report, "pdf", tmp_path))
    assert "令和6年11月" in text and "提出期限" in text and "令和6年12月10日（火）" in text
    line = pdf_line(text, "合計", after="実施回一覧")
    numbers = [int(x.replace(",", "")) for x in line.split()[2:]]
    assert numbers[1] == staff and numbers[2] == apps
    assert "塩竈市民交流センター" in text  # planned for December

    _, body = section(xlsx_rows(_save(report, "xlsx", tmp_path)), "実施回一覧")
    assert len(body) == len(nov) + 1
    assert body[-1][6] == staff and body[-1][7] == apps
    _, progress = section(xlsx_rows(tmp_path / "monthly.xlsx"), "目標に対する進捗")
    assert progress[0][1:4] == [55, 8, 13]

    header, body = section(csv_rows(_save(report, "csv", tmp_path)), "実施回一覧")
    assert header[7] == "申請サポート件数（カード申請対応者数）"
    assert int(body[-1][7]) == apps


def test_final_report_targets_and_chart_data_in_every_format(store_003, tmp_path):
    report = ex.final_report(store_003, now=NOW)
    held = [o for o in list_openings(store_003) if o.date <= NOW.date()]
    apps = sum(tl.totals(store_003, o.id)["application"]["total"] for o in held)

    text = pdf_text(_save(report, "pdf", tmp_path))
    line = pdf_line(text, "申請支援人数（2,000人以上）", after="目標に対する進捗")
    assert "2,000" in line and f"{apps:,}" in line and "未達" in line
    assert "累計の推移と目標" in text and "目標 2,000" in text

    xlsx = _save(report, "xlsx", tmp_path)
    _, progress = section(xlsx_rows(xlsx), "目標に対する進捗")
    assert {r[0]: r[3] for r in progress}["申請支援人数（2,000人以上）"] == apps
    wb = load_workbook(xlsx)
    try:
        assert wb.sheetnames[1] == "グラフ"
    finally:
        wb.close()
    rows = xlsx_rows(xlsx)
    _, region = section(rows, "圏域別　実施回数")
    assert sum(r[1] for r in region) == len(held)

    _, ages = section(csv_rows(_save(report, "csv", tmp_path)), "年代別　申請サポート件数（カード申請対応者数）")
    assert sum(int(r[1]) + int(r[2]) for r in ages) == apps


def test_csv_is_utf8_with_bom_and_crlf(store_003, tmp_path):
    report = ex.daily_report(store_003, _november(store_003)[0].id, now=NOW)
    raw = _save(report, "csv", tmp_path).read_bytes()
    assert raw.startswith(BOM)
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert "日次報告書" in raw[len(BOM):].decode("utf-8")


@pytest.mark.parametrize("kind", ["daily", "monthly", "final"])
def test_pdf_embeds_every_font_and_renders_pages(store_003, tmp_path, kind):
    if kind == "daily":
        report = ex.daily_report(store_003, _november(store_003)[0].id, now=NOW)
    elif kind == "monthly":
        report = ex.monthly_report(store_003, "2024-11", now=NOW)
    else:
        report = ex.final_report(store_003, now=NOW)
    pdf = _save(report, "pdf", tmp_path)
    fonts = pdf_fonts(pdf)
    assert fonts and all(f["emb"] == "yes" for f in fonts), fonts
    assert any("IPAex" in f["name"] for f in fonts)
    tool = require_tool("pdftoppm")
    subprocess.run([tool, "-r", "40", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "page")],
                   check=True, capture_output=True)
    with Image.open(next(tmp_path.glob("page*.png"))) as im:
        gray = im.convert("L")
        lo, hi = gray.getextrema()
        assert hi - lo > 100  # something is drawn (not a blank page)
        w, h = im.size
        assert (w > h) == (kind != "daily")  # daily portrait; monthly and final landscape A4


def test_english_report(store_003, tmp_path):
    o = _november(store_003)[0]
    report = ex.daily_report(store_003, o.id, now=NOW, lang="en")
    text = pdf_text(_save(report, "pdf", tmp_path))
    assert "Daily report" in text and "Card applications supported" in text
    assert "Natori City" in text
