"""The office's view: merged store in the booth's shape, totals by any grouping,
CSV (UTF-8 BOM) and XLSX exports."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import openpyxl
import pytest

from app import openings as op
from app import tallies as tl
from app.cli import run
from app.store import Store
from app.verify import verify
from sync import booth
from sync.office import load_merged_store, load_merged_store_from_db
from tests.sync.helpers import JST, open_day, tap_n


@pytest.fixture
def two_booths(tmp_path, hub):
    """Two laptops at two venues, both synced: 名取 (仙台圏) and 石巻 (石巻圏)."""
    dirs = []
    for name, venue, town, taps in (("名取-1", "イオンモール名取", "名取市", [("30s", "paper", 3), ("60s", "online", 2)]),
                                    ("石巻-1", "石巻市役所", "石巻市", [("30s", "online", 4)])):
        data = tmp_path / name
        with Store.open(data) as store:
            opening = open_day(store, venue=venue, municipality=town)
            for age, method, n in taps:
                tap_n(store, opening.id, n, age=age, method=method)
            tl.tap(store, opening.id, "visitors", {}, now=datetime(2026, 11, 26, 11, tzinfo=JST))
            tl.undo_last(store, opening.id, now=datetime(2026, 11, 26, 11, 1, tzinfo=JST))
        booth.enrol(data, hub_url=hub.url, code=hub.code(name))
        booth.push_pending(data)
        dirs.append(data)
    return dirs


def test_merged_store_works_with_the_booth_code(hub, two_booths, tmp_path):
    with load_merged_store(hub.url, hub.admin, tmp_path / "merged") as merged:
        assert tl.totals(merged)["application"]["total"] == 9
        assert tl.totals(merged)["application"]["by_dimension"]["method"] == {"online": 6, "paper": 3}
        assert tl.totals(merged).get("visitors", {"total": 0})["total"] == 0
        assert sorted(o.venue for o in op.list_openings(merged)) == ["イオンモール名取", "石巻市役所"]
        report = verify(merged)
        assert report.ok and report.devices == 3  # two laptops + the office's own identity
    # Run again after more taps: the union brings it up to date.
    with Store.open(two_booths[1]) as store:
        tap_n(store, op.list_openings(store)[0].id, 2)
    booth.push_pending(two_booths[1])
    with load_merged_store(hub.url, hub.admin, tmp_path / "merged") as merged:
        assert tl.totals(merged)["application"]["total"] == 11 and verify(merged).ok
    with load_merged_store_from_db(hub.db_url, tmp_path / "from-db") as merged:
        assert tl.totals(merged)["application"]["total"] == 11 and verify(merged).ok


def test_a_gap_at_the_hub_shows_in_verify(hub, tmp_path):
    from tests.sync.test_hub import push, token_of, wire_rows
    data = tmp_path / "b"
    with Store.open(data) as store:
        tap_n(store, open_day(store).id, 4)
    booth.enrol(data, hub_url=hub.url, code=hub.code())
    rows = wire_rows(data)
    push(hub, token_of(data), rows[:2] + rows[3:])
    with load_merged_store(hub.url, hub.admin, tmp_path / "merged") as merged:
        report = verify(merged)
    assert not report.ok and "sequence jumps" in report.first_bad.problem


def totals_json(capsys, *args) -> list[dict]:
    capsys.readouterr()
    assert run(["office", "totals", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_office_totals_by_any_grouping(hub, two_booths, capsys):
    src = ["--hub", hub.url, "--token", hub.admin]
    by_region = totals_json(capsys, *src, "--by", "region,counter")
    assert {(t["region"], t["counter"]): t["total"] for t in by_region} == {
        ("sendai", "application"): 5, ("ishinomaki", "application"): 4,
        ("sendai", "visitors"): 0, ("ishinomaki", "visitors"): 0}
    by_age = totals_json(capsys, *src, "--by", "profile,age_band")
    assert {(t["age_band"], t["counter"]): t["total"] for t in by_age if t["counter"] == "application"} == {
        ("30s", "application"): 7, ("60s", "application"): 2}
    by_town_date = totals_json(capsys, *src, "--by", "municipality,date,method")
    assert {(t["municipality"], t["method"]): t["total"] for t in by_town_date if t["counter"] == "application"} == {
        ("名取市", "paper"): 3, ("名取市", "online"): 2, ("石巻市", "online"): 4}
    by_opening = totals_json(capsys, *src, "--by", "opening")
    assert sorted(t["total"] for t in by_opening if t["counter"] == "application") == [4, 5]
    # The same numbers straight from the hub database.
    assert totals_json(capsys, "--db", hub.db_url, "--by", "region,counter") == by_region
    assert run(["office", "totals", *src]) == 0
    header, *lines = capsys.readouterr().out.splitlines()
    assert header.split() == ["業務", "項目", "合計"]
    assert any(line.startswith("令和６年度マイナンバーカード普及促進業務") and "申請サポート件数" in line
               and line.endswith(" 9") for line in lines)
    assert run(["office", "totals", *src, "--by", "shoe_size"]) == 2
    assert "SYNC_GROUP_UNKNOWN" in capsys.readouterr().err
    assert run(["office", "totals"]) == 2


def test_csv_and_xlsx_exports_of_the_merged_rows(hub, two_booths, tmp_path):
    out_csv, out_xlsx = tmp_path / "merged.csv", tmp_path / "merged.xlsx"
    assert run(["office", "export", "--format", "csv", "--out", str(out_csv), "--hub", hub.url,
                "--token", hub.admin]) == 0
    raw = out_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 13  # 9 applications, 2 visitors, 2 undos
    assert sum(int(r["delta"]) for r in rows if r["counter"] == "application") == 9
    assert {r["opening_venue"] for r in rows} == {"イオンモール名取", "石巻市役所"}
    assert {r["dim_age_band"] for r in rows if r["counter"] == "application"} == {"30s", "60s"}

    assert run(["office", "export", "--format", "xlsx", "--out", str(out_xlsx), "--db", hub.db_url,
                "--by", "region,counter"]) == 0
    wb = openpyxl.load_workbook(out_xlsx)
    try:
        assert wb.sheetnames == ["tallies", "openings", "totals"]
        assert wb["tallies"].max_row == 14 and wb["openings"].max_row == 3
        totals = {(r[0], r[1]): r[2] for r in wb["totals"].iter_rows(min_row=2, values_only=True)}
        assert totals[("ishinomaki", "application")] == 4
    finally:
        wb.close()


def test_office_merge_cli_writes_a_store_folder(hub, two_booths, tmp_path, capsys):
    out = tmp_path / "office-store"
    assert run(["office", "merge", "--out", str(out), "--hub", hub.url, "--token", hub.admin]) == 0
    assert "集計の記録 13 件" in capsys.readouterr().out
    assert run(["--data-dir", str(out), "verify"]) == 0
