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
from tests.sync.helpers import ThreadHub


@pytest.fixture
def hub(tmp_path):
    server = ThreadHub(f"sqlite:///{tmp_path / 'hub.sqlite3'}").start()
    yield server
    server.stop()


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
