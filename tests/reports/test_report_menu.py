"""The booth window's 「報告書」 menu: a real MainWindow on a real store opens the daily
report view and the progress dashboard, they follow its language switch, and they
are closed (their threads stopped) before the store worker stops."""
from __future__ import annotations

import threading
from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate

from app import tallies as tl
from app.store import Store
from tests.conftest import profile_for_spec
from tests.reports.seed import JST, at, open_at
from tests.ui.conftest import OFFSCREEN_NOISE

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
WAIT = 15_000
TODAY = datetime(2025, 1, 7, 9, 0, tzinfo=JST)   # a Tuesday, after the year-end closure


@pytest.fixture
def data_dir(tmp_path):
    """Fri 27 Dec 2024: a spec 003 opening (daily report within 3 business days: due
    Wed 8 Jan) and a spec 001 opening (inquiry counts the next business day: Mon 6 Jan)."""
    folder = tmp_path / "data"
    day = date(2024, 12, 27)
    with Store.open(folder, now=TODAY) as s:
        o = open_at(s, profile_for_spec("003"), day, venue="イオンモール名取", municipality="名取市")
        tl.record_card(s, o.id, {"age_band": "40s", "method": "online"}, [], now=at(day, 11))
        o = open_at(s, profile_for_spec("001"), day, venue="イオンモール石巻", municipality="石巻市")
        for _ in range(4):
            tl.tap(s, o.id, "install_help", now=at(day, 12))
        tl.tap(s, o.id, "inquiry", {"inquiry_type": "install"}, now=at(day, 13))
    return folder


@pytest.fixture
def window(qtbot, qapp, data_dir):
    from ui.app import setup_application
    from ui.i18n import install_language
    from ui.main_window import MainWindow

    setup_application(qapp, "ja")
    w = MainWindow(data_dir, "ja", lambda: TODAY)
    qtbot.addWidget(w)  # closed at teardown: report windows, then the store worker
    w.resize(1366, 768)
    w.show()
    qtbot.waitUntil(lambda: w.start_page is not None and w.worker.pending == 0, timeout=WAIT)
    yield w
    w.close()
    install_language("ja")  # translators are application-wide


def report_actions(window) -> dict:
    [menu] = [a.menu() for a in window.menuBar().actions() if a.menu().objectName() == "menu-reports"]
    return {a.text(): a for a in menu.actions()}


def open_both(qtbot, window):
    actions = report_actions(window)
    actions["日次報告書…"].trigger()
    actions["進捗ダッシュボード…"].trigger()
    view, dash = window.reports.view, window.reports.dashboard
    qtbot.waitUntil(lambda: view.deadlines.rowCount() == 2 and bool(dash.bars), timeout=WAIT)
    return view, dash


def test_the_report_menu_opens_the_view_and_the_dashboard_over_this_laptops_store(qtbot, window,
                                                                                 monkeypatch):
    import ui.report_dashboard as rd

    threads = []
    real = rd.dashboards
    monkeypatch.setattr(rd, "dashboards", lambda *a: (threads.append(threading.current_thread().name), real(*a))[1])
    assert [a.text() for a in window.menuBar().actions()] == ["本日", "報告書", "設定", "言語 / Language"]
    assert list(report_actions(window)) == ["日次報告書…", "進捗ダッシュボード…", "進捗ダッシュボード（ハブ）…"]
    view, dash = open_both(qtbot, window)

    assert view.isVisible() and (view.width(), view.height()) == (1366, 768)
    assert view.windowTitle() == "日次報告書"
    table = view.deadlines
    rows = {table.item(r, 1).text(): [table.item(r, c).text() for c in range(4)] for r in range(2)}
    # Spec 001's inquiry report is listed with its own rule, not as "no deadline".
    assert rows["イオンモール石巻"][2:] == ["令和7年1月6日（月）", "期限超過（1営業日超過）"]
    assert "問合せ件数の報告（翌営業日）" in table.item(0, 2).toolTip()
    assert rows["イオンモール名取"][2:] == ["令和7年1月8日（水）", "期限間近（あと1営業日）"]

    assert dash.isVisible() and dash.windowTitle() == "進捗ダッシュボード"
    assert dash.status.text().startswith("この端末のデータ")   # the booth holds no admin token
    assert dash.profile_box.count() == 2                       # both campaigns of this store
    assert threads == ["madoguchi-dashboard"]                  # read off the UI thread and the store worker

    # Asking again brings the same windows forward instead of opening more.
    report_actions(window)["日次報告書…"].trigger()
    report_actions(window)["進捗ダッシュボード…"].trigger()
    assert window.reports.view is view and window.reports.dashboard is dash


def test_report_windows_switch_language_with_the_main_window(qtbot, window):
    view, dash = open_both(qtbot, window)
    view.date_edit.setDate(QDate(2024, 12, 27))
    qtbot.waitUntil(lambda: view.report is not None and view.report.document.title == "日次報告書", timeout=WAIT)
    window.lang_actions["en"].trigger()

    assert list(report_actions(window)) == ["Daily report…", "Progress dashboard…", "Progress dashboard (hub)…"]
    assert view.windowTitle() == "Daily report"
    assert view.export_buttons["pdf"].text() == "Export PDF"
    assert view.deadlines.horizontalHeaderItem(2).text() == "Due"
    qtbot.waitUntil(lambda: view.report is not None and view.report.document.title == "Daily report",
                    timeout=WAIT)   # the preview is made again, in English
    assert "イオンモール名取 (Natori City)" in [view.opening_box.itemText(i) for i in range(view.opening_box.count())]
    states = sorted(view.deadlines.item(r, 3).text() for r in range(2))
    assert states == ["due soon (1 business day left)", "overdue (1 business day late)"]
    assert "overdue" in view.deadline_note.text()
    assert dash.windowTitle() == "Progress dashboard"
    qtbot.waitUntil(lambda: dash.status.text().startswith("this laptop's data, as of"), timeout=WAIT)
    qtbot.waitUntil(lambda: dash.profile_box.currentText().startswith("[001] Digital-ID app"), timeout=WAIT)

    # A window closed before the switch is built again, in the new language, on open.
    view.close()
    report_actions(window)["Daily report…"].trigger()
    assert window.reports.view is not view and window.reports.view.windowTitle() == "Daily report"


def test_closing_the_booth_window_closes_the_report_windows_first(qtbot, window):
    view, dash = open_both(qtbot, window)
    window.close()
    assert not view.isVisible() and not dash.isVisible()
    assert not view.jobs.running and not dash.jobs.running
    assert not window.worker.running


@pytest.fixture
def enrolled(hub, data_dir):
    """This laptop enrolled with a real hub (the sync settings hold its URL) and its
    rows pushed, so the hub's merged data has them."""
    import sync.booth as sync_booth

    sync_booth.enrol(data_dir, hub_url=hub.url, code=hub.code("booth-1"))
    sync_booth.push_pending(data_dir)
    return hub


def test_hub_dashboard_asks_for_the_admin_token_and_keeps_it_in_memory_only(qtbot, enrolled, window, data_dir):
    from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

    hub = enrolled
    report_actions(window)["進捗ダッシュボード（ハブ）…"].trigger()
    dialog = window.reports.hub_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
    assert dialog.url_edit.text() == hub.url                        # from the sync settings
    assert dialog.token_edit.text() == "" and dialog.token_edit.echoMode() == QLineEdit.EchoMode.Password
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.click()
    assert dialog.isVisible() and dialog.error.text() == "管理者トークンを入力してください。"

    dialog.token_edit.setText(hub.admin)
    ok.click()
    assert not dialog.isVisible()
    dash = window.reports.hub_dashboard
    qtbot.waitUntil(lambda: bool(dash.bars), timeout=WAIT)
    assert dash.isVisible() and dash.status.text().startswith(f"事務局の統合データ（{hub.url}）")
    assert dash.profile_box.count() == 2                              # both campaigns, merged
    dash.profile_box.setCurrentIndex(dash.profile_box.findData("miyagi_mynumber_r6"))
    assert dash.bars["openings"].value() == 1 and dash.bars["applications"].text().startswith("1 / 2,000")
    assert window.reports.dashboard is None                          # the local one is a window of its own
    on_disk = b"".join(f.read_bytes() for f in data_dir.rglob("*") if f.is_file())
    assert hub.admin.encode() not in on_disk                         # never written, not even in the settings

    # Asked again in this session: the token is remembered (masked), nothing retyped.
    dash.close()
    report_actions(window)["進捗ダッシュボード（ハブ）…"].trigger()
    dialog = window.reports.hub_dialog
    assert dialog.token_edit.text() == hub.admin and dialog.token_edit.echoMode() == QLineEdit.EchoMode.Password
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    again = window.reports.hub_dashboard
    assert again is not dash
    qtbot.waitUntil(lambda: bool(again.bars), timeout=WAIT)

    window.close()   # the hub dashboard closes (its thread stopped) with the booth window
    assert not again.isVisible() and not again.jobs.running
