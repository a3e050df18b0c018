"""The supervisor's report view and the office dashboard: real widgets offscreen, the
real store worker on a real SQLite store, files really written."""
from __future__ import annotations

import threading
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt

from app import tallies as tl
from app.openings import list_openings
from app.reports.exports import exports
from app.store import Store
from tests.conftest import profile_for_spec
from tests.reports.conftest import NOW
from tests.reports.readback import pdf_text
from tests.reports.seed import JST, at, open_at
from tests.ui.conftest import OFFSCREEN_NOISE

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
WAIT = 15_000


@pytest.fixture(autouse=True)
def booth_look(qapp):
    from ui.app import setup_application
    from ui.i18n import install_language

    setup_application(qapp, "ja")
    yield
    install_language("ja")  # translators are application-wide


@pytest.fixture
def deadline_store(tmp_path) -> Path:
    """Three 003 openings around the 2024 year end, seen on Tue 7 Jan 2025:
    25 Dec (due 6 Jan: overdue), 27 Dec (due 8 Jan: due soon) and 6 Jan (due 9 Jan)."""
    folder = tmp_path / "data"
    p = profile_for_spec("003")
    with Store.open(folder, now=NOW) as s:
        for d, venue in ((date(2024, 12, 25), "仙台駅東口"), (date(2024, 12, 27), "イオンモール名取"),
                         (date(2025, 1, 6), "大崎市役所")):
            o = open_at(s, p, d, venue=venue, municipality="仙台市" if "仙台" in venue else "名取市"
                        if "名取" in venue else "大崎市", large=venue == "イオンモール名取")
            for _ in range(3):
                tl.record_card(s, o.id, {"age_band": "40s", "method": "online"}, ["insurance_link"], now=at(d, 11))
            tl.tap(s, o.id, "visitors", now=at(d, 12))
    return folder


@pytest.fixture
def worker(qtbot, deadline_store):
    from ui.worker import StoreWorker

    w = StoreWorker(deadline_store)
    with qtbot.waitSignal(w.opened, timeout=WAIT):
        w.start()
    yield w
    w.stop()


def _view(qtbot, worker, tmp_path, lang="ja"):
    from ui.report_view import ReportView

    clock = lambda: datetime(2025, 1, 7, 9, 0, tzinfo=JST)  # noqa: E731
    view = ReportView(worker, lang, clock, folder=tmp_path / "reports")
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    qtbot.waitUntil(lambda: view.deadlines.rowCount() == 3, timeout=WAIT)
    return view


def test_report_view_lists_deadlines_with_their_state(qtbot, worker, tmp_path):
    view = _view(qtbot, worker, tmp_path)
    table = view.deadlines
    rows = [[table.item(r, c).text() for c in range(4)] for r in range(table.rowCount())]
    assert rows[0][1] == "仙台駅東口" and rows[0][2] == "令和7年1月6日（月）"
    assert rows[0][3] == "期限超過（1営業日超過）"
    assert rows[1][1] == "イオンモール名取" and rows[1][2] == "令和7年1月8日（水）"
    assert rows[1][3] == "期限間近（あと1営業日）"
    assert rows[2][1] == "大崎市役所" and rows[2][3] == "未提出（あと2営業日）"
    assert table.item(0, 3).background().color().name() == "#ffcdd2"  # overdue stands out
    assert "期限超過 1 件、期限間近 1 件" in view.deadline_note.text()


def test_report_view_in_english(qtbot, worker, tmp_path):
    from ui.i18n import install_language

    install_language("en")  # as the app does before building windows in English
    view = _view(qtbot, worker, tmp_path, lang="en")
    states = [view.deadlines.item(r, 3).text() for r in range(3)]
    assert states == ["overdue (1 business day late)", "due soon (1 business day left)",
                      "not yet exported (2 business days left)"]
    assert view.export_buttons["xlsx"].text() == "Export Excel"
    assert view.preview_status.text() == "No opening on this day."
    view.date_edit.setDate(QDate(2025, 1, 6))
    qtbot.waitUntil(lambda: view.report is not None, timeout=WAIT)
    assert view.report.document.title == "Daily report"


def test_choosing_a_deadline_shows_that_days_report_in_the_preview(qtbot, worker, tmp_path, monkeypatch):
    import ui.report_view as rv

    threads = []
    real = rv.render_preview
    monkeypatch.setattr(rv, "render_preview", lambda *a: (threads.append(threading.current_thread().name), real(*a))[1])
    view = _view(qtbot, worker, tmp_path)
    qtbot.mouseClick(view.deadlines.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.deadlines.visualItemRect(view.deadlines.item(1, 1)).center())
    qtbot.waitUntil(lambda: view.selected_day() == date(2024, 12, 27), timeout=WAIT)
    qtbot.waitUntil(lambda: view.report is not None and view.report.document.subtitle.endswith(
        "令和6年12月27日（金）") and not view.preview.pixmap().isNull(), timeout=WAIT)
    assert view.opening_box.currentText() == "イオンモール名取（名取市）"
    pixmap = view.preview.pixmap()
    assert pixmap.width() >= 420 and pixmap.height() > pixmap.width()  # an A4 portrait page
    assert threads and all(name == "madoguchi-reports" for name in threads)  # painted off the UI thread


def test_export_writes_the_file_on_a_background_thread_and_clears_the_deadline(qtbot, worker, tmp_path,
                                                                             monkeypatch, deadline_store):
    import ui.report_view as rv

    threads = []
    real = rv.write_report
    monkeypatch.setattr(rv, "write_report", lambda *a: (threads.append(threading.current_thread().name), real(*a))[1])
    view = _view(qtbot, worker, tmp_path)
    view.date_edit.setDate(QDate(2024, 12, 27))
    qtbot.waitUntil(lambda: view.report is not None and view.export_buttons["pdf"].isEnabled(), timeout=WAIT)
    asked = []

    def choose(fmt, suggested):
        asked.append(suggested)
        return tmp_path / "out" / f"daily.{fmt}"
    monkeypatch.setattr(view, "choose_path", choose)
    with qtbot.waitSignal(view.exported, timeout=WAIT) as sig:
        qtbot.mouseClick(view.export_buttons["pdf"], Qt.MouseButton.LeftButton)
    out = Path(sig.args[0])
    assert out == tmp_path / "out" / "daily.pdf" and out.exists()
    assert asked[0].name == "日次報告書_2024-12-27_イオンモール名取.pdf"
    assert threads == ["madoguchi-reports"]
    assert "イオンモール名取" in pdf_text(out)
    assert view.status.text() == f"出力しました：{out}"
    qtbot.waitUntil(lambda: view.deadlines.rowCount() == 2, timeout=WAIT)
    assert "イオンモール名取" not in [view.deadlines.item(r, 1).text() for r in range(2)]
    with Store.open(deadline_store, read_only=True) as s:  # recorded by the store worker
        assert [(e.report, e.format, e.exported_at[:16]) for e in exports(s)] == [
            ("daily", "pdf", "2025-01-07T09:00")]


def test_cancelled_save_dialog_writes_nothing(qtbot, worker, tmp_path, monkeypatch):
    view = _view(qtbot, worker, tmp_path)
    view.date_edit.setDate(QDate(2025, 1, 6))
    qtbot.waitUntil(lambda: view.report is not None, timeout=WAIT)
    monkeypatch.setattr(view, "choose_path", lambda fmt, suggested: None)
    qtbot.mouseClick(view.export_buttons["csv"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.busy, timeout=WAIT)
    assert view.deadlines.rowCount() == 3 and not (tmp_path / "reports").exists()


def test_dashboard_progress_bars_show_the_numbers(qtbot, dir_003):
    from ui.report_dashboard import ProgressDashboard, store_loader

    with Store.open(dir_003, read_only=True) as s:
        held = [o for o in list_openings(s) if o.date <= NOW.date()]
        apps = sum(tl.totals(s, o.id)["application"]["total"] for o in held)
        sessions = sum(tl.totals(s, o.id)["smartphone_help"]["total"] for o in held)
    dash = ProgressDashboard(store_loader(dir_003), "ja", lambda: NOW)
    qtbot.addWidget(dash)
    dash.resize(1366, 900)
    dash.show()
    qtbot.waitUntil(lambda: "applications" in dash.bars, timeout=WAIT)
    bars = dash.bars
    assert (bars["openings"].maximum(), bars["openings"].value()) == (55, 13)
    assert bars["openings"].text() == "13 / 55（23.6%）"
    assert bars["large_openings"].maximum() == 15
    assert bars["applications"].text().startswith(f"{apps:,} / 2,000")
    assert bars["applications"].value() == apps
    assert bars["smartphone_sessions"].value() == min(sessions, 15)
    assert bars["smartphone_sessions"].text().startswith(f"{sessions:,} / 15")
    assert [c.objectName() for c in dash.charts] == [
        "chart_region_openings", "chart_region_counter", "chart_age", "chart_progress_openings",
        "chart_progress_large_openings", "chart_progress_applications", "chart_progress_smartphone_sessions"]
    table = dash.outstanding
    kinds = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert kinds.count("日次") == 13 and kinds.count("月次") == 2
    img = dash.charts[1].grab().toImage()
    assert img.width() > 300 and len({img.pixel(x, img.height() // 2) for x in range(0, img.width(), 7)}) > 2


def test_dashboard_over_merged_data_shows_both_laptops_and_switches_profiles(qtbot, merged_dir):
    from ui.report_dashboard import ProgressDashboard, store_loader

    with Store.open(merged_dir, read_only=True) as s:
        held = [o for o in list_openings(s) if o.date <= NOW.date()]
    dash = ProgressDashboard(store_loader(merged_dir), "ja", lambda: NOW)
    qtbot.addWidget(dash)
    dash.show()
    qtbot.waitUntil(lambda: "openings" in dash.bars, timeout=WAIT)
    assert len({o.device_id for o in held}) == 2
    assert dash.bars["openings"].value() == len(held) == 16
    assert dash.profile_box.count() == 1
