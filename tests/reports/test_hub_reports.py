"""End to end with a real hub on loopback: two laptops push their rows (exports
included), and the office's reports and dashboard read the merged data with
--hub URL --token T."""
from __future__ import annotations

import json
import random
import subprocess
import sys
from datetime import date

import pytest

from app import tallies as tl
from app.openings import list_openings
from app.reports import export as ex
from app.store import Store
from tests.conftest import ROOT, profile_for_spec
from tests.reports.conftest import NOW
from tests.reports.readback import pdf_text, section, xlsx_rows
from tests.reports.seed import seed_month
from tests.ui.conftest import OFFSCREEN_NOISE

import sync.booth as sync_booth


@pytest.fixture
def two_laptops(hub, dir_003, tmp_path):
    """Laptop A: the seeded 003 store with one daily report exported; laptop B: three
    openings of its own. Both enrolled and pushed."""
    b = tmp_path / "laptop_b"
    with Store.open(b, now=NOW) as store:
        seed_month(store, profile_for_spec("003"), date(2024, 11, 2), 3, random.Random(9))
    with Store.open(dir_003, now=NOW) as store:
        first = list_openings(store)[0]
        ex.save(ex.daily_report(store, first.id, now=NOW), "pdf", tmp_path / "a.pdf", record_in=store, now=NOW)
    for folder, name in ((dir_003, "laptop-a"), (b, "laptop-b")):
        sync_booth.enrol(folder, hub_url=hub.url, code=hub.code(name))
        sync_booth.push_pending(folder)
    expected = {}
    for folder in (dir_003, b):
        with Store.open(folder, read_only=True) as store:
            for counter, entry in tl.totals(store).items():
                expected[counter] = expected.get(counter, 0) + entry["total"]
    return dir_003, b, first, expected


def _cli(data_dir, *args):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir), *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_final_and_monthly_reports_from_the_hub_count_both_laptops(hub, two_laptops, tmp_path):
    _a, _b, _first, expected = two_laptops
    office = tmp_path / "office"
    r = _cli(office, "report", "final", "--hub", hub.url, "--token", hub.admin, "--as-of", "2024-12-02",
             "--out", tmp_path / "final.xlsx")
    assert r.returncode == 0, r.stderr
    rows = xlsx_rows(tmp_path / "final.xlsx")
    summary = dict((row[0], row[1]) for row in section(rows, "集計")[1])
    assert summary["申請サポート件数（カード申請対応者数）"] == expected["application"]
    assert summary["スマホ相談会（マイナポータル等の利用方法）"] == expected["smartphone_help"]
    facts = {row[0]: row[1] for row in rows[3:12] if row and row[0]}
    assert facts["実施回数"] == "16回" and facts["集計元"] == "事務局の統合データ"
    assert "laptop-a" in facts["データの出所（端末）"] and "laptop-b" in facts["データの出所（端末）"]

    r = _cli(office, "report", "monthly", "--month", "2024-11", "--hub", hub.url, "--token", hub.admin,
             "--format", "pdf", "--out", tmp_path / "monthly.pdf")
    assert r.returncode == 0, r.stderr
    assert "11回" in pdf_text(tmp_path / "monthly.pdf")  # 8 from laptop A + 3 from laptop B


def test_deadlines_from_the_hub_know_what_each_laptop_exported(hub, two_laptops, tmp_path):
    _a, _b, first, _expected = two_laptops
    r = _cli(tmp_path / "office", "report", "deadlines", "--all", "--json", "--hub", hub.url, "--token", hub.admin)
    assert r.returncode == 0, r.stderr
    items = {i["opening"]: i for i in json.loads(r.stdout) if i["report"] == "daily"}
    assert items[first.id]["state"] == "exported"
    # Every opening of both laptops is in the past by now (the December plan included).
    assert len(items) == 17 and sum(i["state"] == "exported" for i in items.values()) == 1


def test_a_wrong_token_is_refused_with_a_clear_code(hub, two_laptops, tmp_path):
    r = _cli(tmp_path / "office", "report", "final", "--hub", hub.url, "--token", "mdga_wrong",
             "--out", tmp_path / "f.pdf")
    assert r.returncode == 2 and "SYNC_" in r.stderr
    assert not (tmp_path / "f.pdf").exists()


@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
def test_dashboard_over_the_hub(qtbot, hub, two_laptops):
    from ui.report_dashboard import make_progress_dashboard

    _a, _b, _first, expected = two_laptops
    dash = make_progress_dashboard(None, hub_url=hub.url, token=hub.admin, lang="ja", clock=lambda: NOW)
    qtbot.addWidget(dash)
    dash.show()
    qtbot.waitUntil(lambda: "applications" in dash.bars, timeout=30_000)
    assert dash.bars["applications"].text().startswith(f"{expected['application']:,} / 2,000")
    assert dash.bars["openings"].value() == 16
    assert hub.url in dash.status.text()


def _set_plan(hub, openings):
    import requests

    r = requests.put(f"{hub.url}/v1/admin/plan", json={"openings": openings},
                     headers={"Authorization": f"Bearer {hub.admin}"}, timeout=30)
    r.raise_for_status()


def _planned(path):
    from tests.reports.readback import csv_rows

    header, body = section(csv_rows(path), "翌月の実施予定")
    rows = [r for r in body if len(r) > 1]
    note = body[-1][0] if body and len(body[-1]) == 1 else ""   # the table's note, under its rows
    return header, [(r[0], r[1]) for r in rows], {r[1]: r[-1] for r in rows}, note


PLAN = [
    # the December opening laptop A already created: same day, town (塩釜市 = 塩竈市) and
    # venue (typed with a full-width space), another id
    {"id": "plan-shiogama", "profile": "miyagi_mynumber_r6", "kind": "support_booth",
     "venue": "塩竈市民　交流センター", "municipality": "塩釜市", "date": "2024-12-05", "staff": 3},
    # an opening made from this plan entry keeps its id
    {"id": "plan-osaki", "profile": "miyagi_mynumber_r6", "kind": "event", "venue": "大崎市役所",
     "municipality": "大崎市", "date": "2024-12-12", "staff": 2},
    {"id": "plan-tome", "profile": "miyagi_mynumber_r6", "kind": "support_booth", "venue": "登米市役所",
     "municipality": "登米市", "date": "2024-12-20", "staff": 2, "note": "雨天中止あり"},
    {"id": "plan-jan", "profile": "miyagi_mynumber_r6", "kind": "support_booth", "venue": "栗原市役所",
     "municipality": "栗原市", "date": "2025-01-10", "staff": 2},            # not next month
    {"id": "plan-001", "profile": "digital_id_app_r6", "kind": "campaign_event", "venue": "石巻",
     "municipality": "石巻市", "date": "2024-12-15", "staff": 2},            # another campaign
]


def test_monthly_planned_list_merges_the_office_plan_once(hub, dir_003, tmp_path):
    from app.openings import open_opening

    with Store.open(dir_003, now=NOW) as store:
        open_opening(store, profile="miyagi_mynumber_r6", kind="event", venue="大崎市役所", municipality="大崎市",
                     date="2024-12-12", large=False, staff=2, now=NOW, opening_id="plan-osaki")
    sync_booth.enrol(dir_003, hub_url=hub.url, code=hub.code("laptop-a"))
    sync_booth.push_pending(dir_003)
    _set_plan(hub, PLAN)
    sync_booth.pull_plan(dir_003)   # `sync pull`: hub_plan.json in the data folder

    # This laptop's store + the plan `sync pull` saved.
    r = _cli(dir_003, "report", "monthly", "--month", "2024-11", "--out", tmp_path / "local.csv")
    assert r.returncode == 0, r.stderr
    header, rows, notes, note = _planned(tmp_path / "local.csv")
    assert rows == [("12/5（木）", "塩竈市民交流センター"), ("12/12（木）", "大崎市役所"), ("12/20（金）", "登米市役所")]
    assert header[-1] == "備考" and notes["登米市役所"] == "雨天中止あり"
    assert note.startswith("事務局の計画（sync pull で保存したもの")

    # Over the hub: the plan as the office has it now (a change since the pull shows).
    _set_plan(hub, [*PLAN, {"id": "plan-new", "profile": "miyagi_mynumber_r6", "kind": "support_booth",
                            "venue": "白石市文化体育活動センター", "municipality": "白石市", "date": "2024-12-25"}])
    r = _cli(dir_003, "report", "monthly", "--month", "2024-11", "--hub", hub.url, "--token", hub.admin,
             "--out", tmp_path / "hub.csv")
    assert r.returncode == 0, r.stderr
    _header, rows, _notes, note = _planned(tmp_path / "hub.csv")
    assert [v for _, v in rows] == ["塩竈市民交流センター", "大崎市役所", "登米市役所", "白石市文化体育活動センター"]
    assert note.startswith("事務局の計画（ハブから取得")

    # An office folder not enrolled with the hub: the hub lets device tokens read the
    # plan, not admin tokens, and no plan was pulled here — the report says so.
    r = _cli(tmp_path / "office", "report", "monthly", "--month", "2024-11", "--hub", hub.url,
             "--token", hub.admin, "--out", tmp_path / "office.csv")
    assert r.returncode == 0, r.stderr
    _header, rows, _notes, note = _planned(tmp_path / "office.csv")
    assert [v for _, v in rows] == ["塩竈市民交流センター", "大崎市役所"]      # the merged store's openings
    assert note.startswith("事務局の計画は読み込めませんでした（SYNC_DEVICE_TOKEN_REQUIRED") and "sync pull" in note


@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
def test_report_dashboard_command_opens_the_window_over_the_hub(qtbot, qapp, hub, two_laptops, tmp_path,
                                                                monkeypatch):
    """`python main.py report dashboard --hub URL --token T`, run in this process
    with the Qt event loop replaced by a wait for the numbers."""
    from PySide6.QtWidgets import QApplication

    from app.cli import run
    from ui.i18n import install_language

    _a, _b, _first, expected = two_laptops
    seen = {}

    def exec_until_loaded(_app=None) -> int:
        [dash] = [w for w in QApplication.topLevelWidgets() if w.objectName() == "progress-dashboard"
                  and w.isVisible()]
        qtbot.waitUntil(lambda: "applications" in dash.bars, timeout=30_000)
        seen.update(title=dash.windowTitle(), status=dash.status.text(), size=(dash.width(), dash.height()),
                    apps=dash.bars["applications"].text(), openings=dash.bars["openings"].value())
        return 0

    monkeypatch.setattr(QApplication, "exec", exec_until_loaded)
    try:
        code = run(["--data-dir", str(tmp_path / "office"), "report", "dashboard", "--hub", hub.url,
                    "--token", hub.admin])
    finally:
        install_language("ja")
    assert code == 0
    assert seen["title"] == "進捗ダッシュボード" and hub.url in seen["status"]
    assert seen["apps"].startswith(f"{expected['application']:,} / 2,000") and seen["openings"] == 17  # today: December's opening is held too
    assert not [w for w in QApplication.topLevelWidgets() if w.objectName() == "progress-dashboard"
                and w.isVisible()]   # closed when the loop ends


def test_report_dashboard_needs_hub_and_token_together_and_app_imports_no_qt(tmp_path):
    r = _cli(tmp_path / "office", "report", "dashboard", "--hub", "http://127.0.0.1:9")
    assert r.returncode == 2 and "REPORT_HUB_TOKEN_REQUIRED" in r.stderr
    # Every module of app/reports imported and the `report` commands registered: no Qt.
    code = ("import argparse, importlib, pkgutil, sys, app.reports as r\n"
            "for m in pkgutil.iter_modules(r.__path__): importlib.import_module('app.reports.' + m.name)\n"
            "sys.modules['app.reports.cli'].register(argparse.ArgumentParser().add_subparsers())\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'PySide6', 'ui'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stderr
