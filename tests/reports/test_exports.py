"""The report_export fact: chained like every data row, append-only, recorded only
after the file is complete; a failed write leaves no file and no record."""
from __future__ import annotations

import sqlite3

import pytest

from app.errors import MadoguchiError
from app.openings import list_openings
from app.reports import export as ex
from app.reports.exports import exports, record_export
from app.store import CHAINED_COLUMNS, Store
from app.verify import verify
from tests.reports.conftest import NOW


def test_exports_join_the_device_chain_and_verify(store_003, tmp_path):
    o = list_openings(store_003)[0]
    rec = ex.save(ex.daily_report(store_003, o.id, now=NOW), "pdf", tmp_path / "a.pdf",
                  record_in=store_003, now=NOW)
    assert "report_export" in CHAINED_COLUMNS
    assert (rec.report, rec.opening_id, rec.format, rec.device_id) == ("daily", o.id, "pdf", store_003.device_id)
    assert rec.totals["application"] >= 0 and set(rec.totals) == {
        "application", "insurance_link", "kouhi_account", "visitors", "photo", "survey", "other_help",
        "smartphone_help"}
    assert rec.fingerprint.startswith("sha256:") and set(rec.summary) == {"fingerprint", "totals"}
    m = ex.save(ex.monthly_report(store_003, "2024-11", now=NOW), "xlsx", tmp_path / "m.xlsx",
                record_in=store_003, now=NOW)
    assert (m.report, m.month, m.opening_id) == ("monthly", "2024-11", None)
    report = verify(store_003)
    assert report.ok, report.first_bad
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store_003.conn.execute("UPDATE report_export SET format = 'csv'")
    # A changed export row is caught like a changed tally.
    store_003.conn.execute("DROP TRIGGER report_export_no_update")
    store_003.conn.execute("UPDATE report_export SET exported_at = '2024-01-01' WHERE id = ?", (m.id,))
    bad = verify(store_003).first_bad
    assert (bad.table, bad.row_id) == ("report_export", m.id)


def test_a_failed_write_leaves_no_file_and_no_record(store_003, tmp_path):
    o = list_openings(store_003)[0]
    out_dir = tmp_path / "out"
    target = out_dir / "taken"
    target.mkdir(parents=True)  # a folder where the file should go: the rename fails
    with pytest.raises(MadoguchiError) as err:
        ex.save(ex.daily_report(store_003, o.id, now=NOW), "pdf", target, record_in=store_003, now=NOW)
    assert err.value.code == "REPORT_WRITE_FAILED"
    assert list(out_dir.iterdir()) == [target] and list(target.iterdir()) == []
    assert exports(store_003) == []


def test_read_only_stores_and_foreign_openings_are_not_recorded(dir_003, merged_store, tmp_path):
    with Store.open(dir_003, read_only=True) as ro:
        o = list_openings(ro)[0]
        assert ex.save(ex.daily_report(ro, o.id, now=NOW), "csv", tmp_path / "a.csv", record_in=ro, now=NOW) is None
        assert (tmp_path / "a.csv").exists()
    other = next(o for o in list_openings(merged_store) if o.device_id != list_openings(merged_store)[0].device_id)
    with Store.open(tmp_path / "fresh", now=NOW) as fresh:
        report = ex.daily_report(merged_store, other.id, now=NOW)
        assert ex.save(report, "csv", tmp_path / "b.csv", record_in=fresh, now=NOW) is None
        rec = ex.save(ex.final_report(merged_store, now=NOW), "csv", tmp_path / "f.csv", record_in=fresh, now=NOW)
        assert rec.report == "final" and exports(fresh) == [rec]


def test_format_comes_from_the_option_or_the_suffix():
    assert ex.format_for("a/report.XLSX", None) == "xlsx"
    assert ex.format_for("a/report.txt", "csv") == "csv"
    with pytest.raises(MadoguchiError) as err:
        ex.format_for("a/report.txt", None)
    assert err.value.code == "REPORT_FORMAT_UNKNOWN"
    with pytest.raises(MadoguchiError):
        record_export(None, report="daily", profile="p", fmt="docx", now=NOW, summary={})
