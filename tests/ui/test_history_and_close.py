"""Correcting earlier taps from the history, and closing the day."""
from __future__ import annotations

from app import openings as op
from app.store import Store
from tests.ui.helpers import (click, count_on_screen, open_day, store_history, store_totals,
                              type_text, wait_count, wait_dialog, wait_idle)
from ui.close_day import CloseDayDialog
from ui.dialogs import CorrectionDialog, DimensionChooser, ReasonDialog


def _tap_survey(qtbot, window, age: str) -> None:
    click(qtbot, window.board.pad.buttons["survey"])
    chooser = wait_dialog(qtbot, window, DimensionChooser)
    click(qtbot, chooser.picker.button("age_band", age))
    qtbot.waitUntil(lambda: window.board.active_dialog is None)


def _history_row(window, text: str) -> int:
    table = window.board.history.table
    rows = [r for r in range(table.rowCount()) if table.item(r, 1).text().startswith(text)]
    assert rows, f"{text!r} not in history"
    return rows[0]


def test_undo_and_correct_an_earlier_tap_with_a_reason(qtbot, launch, data_dir):
    window = launch(data_dir)
    open_day(qtbot, window)
    _tap_survey(qtbot, window, "20s")
    wait_count(qtbot, window, "survey", "1")
    _tap_survey(qtbot, window, "30s")
    wait_count(qtbot, window, "survey", "2")
    click(qtbot, window.board.pad.buttons["visitors"])
    wait_count(qtbot, window, "visitors", "1")
    wait_idle(qtbot, window)
    history = window.board.history
    opening_id = window.board.state.opening.id

    # Correct the earliest survey tap: it was a 40s visitor, not 20s.
    history.table.selectRow(_history_row(window, "アンケート回答（20代）"))
    click(qtbot, history.correct_button)
    dialog = wait_dialog(qtbot, window, CorrectionDialog)
    click(qtbot, dialog.picker.button("age_band", "40s"))
    assert not dialog.ok_button.isEnabled()  # a reason is required
    type_text(qtbot, dialog.reason_edit, "年代の押し間違い")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("訂正しました"))
    assert count_on_screen(window, "survey") == "2"
    totals = store_totals(data_dir, opening_id)
    assert totals["survey"]["by_dimension"] == {"age_band": {"30s": 1, "40s": 1}}

    # Undo the visitors tap from the history, with a reason.
    history = window.board.history
    history.table.selectRow(_history_row(window, "来場者数（動員数）"))
    click(qtbot, history.undo_button)
    dialog = wait_dialog(qtbot, window, ReasonDialog)
    assert not dialog.ok_button.isEnabled()
    type_text(qtbot, dialog.edit, "二重に押した")
    click(qtbot, dialog.ok_button)
    wait_count(qtbot, window, "visitors", "0")
    assert store_totals(data_dir, opening_id)["visitors"]["total"] == 0

    # The history shows what happened and why; undone rows cannot be undone again.
    wait_idle(qtbot, window)
    table = window.board.history.table
    texts = [table.item(r, 1).text() for r in range(table.rowCount())]
    assert any(t.startswith("取消：来場者数") and "理由：二重に押した" in t for t in texts)
    assert any(t.startswith("訂正後：アンケート回答（40代）") and "理由：年代の押し間違い" in t for t in texts)
    assert any(t.startswith("アンケート回答（20代）［取消済み］") for t in texts)
    table.selectRow(_history_row(window, "アンケート回答（20代）［取消済み］"))
    assert not window.board.history.undo_button.isEnabled()
    rows = store_history(data_dir, opening_id)
    assert {r.reason for r in rows if r.kind != "tap"} == {"年代の押し間違い", "二重に押した"}


def test_close_day_with_summary_then_changes_need_a_reason(qtbot, launch, data_dir):
    window = launch(data_dir)
    open_day(qtbot, window)
    click(qtbot, window.board.pad.buttons["visitors"])
    wait_count(qtbot, window, "visitors", "1")
    click(qtbot, window.board.pad.buttons["visitors"])
    wait_count(qtbot, window, "visitors", "2")
    opening_id = window.board.state.opening.id

    click(qtbot, window.board.close_button)
    dialog = wait_dialog(qtbot, window, CloseDayDialog)
    table = dialog.table
    summary = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert summary["来場者数（動員数）"] == "2"
    assert summary["申請サポート件数（カード申請対応者数）"] == "0"
    assert not dialog.ok_button.isEnabled()  # the supervisor must say who checked
    type_text(qtbot, dialog.name_edit, "佐藤")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: window.board.closed_frame.isVisible())
    assert "締め済み" in window.board.closed_label.text()
    assert not window.board.close_button.isEnabled()
    with Store.open(data_dir, read_only=True) as store:
        assert op.get_opening(store, opening_id).closed
        assert store.query_one("SELECT confirmed_by FROM closing")["confirmed_by"] == "佐藤"

    # The board stays usable, but a further tap is an amendment and asks why.
    click(qtbot, window.board.pad.buttons["visitors"])
    dialog = wait_dialog(qtbot, window, ReasonDialog)
    assert count_on_screen(window, "visitors") == "2"
    type_text(qtbot, dialog.edit, "記録漏れ")
    click(qtbot, dialog.ok_button)
    wait_count(qtbot, window, "visitors", "3")
    # A counter with a dimension: the chooser first, then the reason.
    click(qtbot, window.board.pad.buttons["survey"])
    chooser = wait_dialog(qtbot, window, DimensionChooser)
    click(qtbot, chooser.picker.button("age_band", "50s"))
    dialog = wait_dialog(qtbot, window, ReasonDialog)
    type_text(qtbot, dialog.edit, "アンケート回収漏れ")
    click(qtbot, dialog.ok_button)
    wait_count(qtbot, window, "survey", "1")
    amended = {(r.counter, r.reason, tuple(r.dims.items()))
               for r in store_history(data_dir, opening_id) if r.amendment}
    assert amended == {("visitors", "記録漏れ", ()),
                       ("survey", "アンケート回収漏れ", (("age_band", "50s"),))}


def test_cancelled_amendment_records_nothing(qtbot, launch, data_dir):
    window = launch(data_dir)
    open_day(qtbot, window)
    click(qtbot, window.board.close_button)
    dialog = wait_dialog(qtbot, window, CloseDayDialog)
    type_text(qtbot, dialog.name_edit, "佐藤")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: window.board.closed_frame.isVisible())

    click(qtbot, window.board.pad.buttons["smartphone_help"])
    dialog = wait_dialog(qtbot, window, ReasonDialog)
    click(qtbot, dialog.findChild(type(dialog.ok_button), "dialog-cancel"))
    qtbot.waitUntil(lambda: window.board.active_dialog is None)
    wait_idle(qtbot, window)
    assert count_on_screen(window, "smartphone_help") == "0"
    assert store_totals(data_dir, window.board.state.opening.id)["smartphone_help"]["total"] == 0


def test_an_early_tap_of_a_busy_day_is_found_by_hour_and_counter_and_corrected(qtbot, launch, data_dir):
    """The list holds the newest 200 rows; a morning tap is found by narrowing it."""
    from datetime import datetime

    from app import tallies as tl
    from ui.board_ops import HISTORY_LIMIT

    first = launch(data_dir)
    open_day(qtbot, first)
    opening_id = first.board.state.opening.id
    first.close()
    now = datetime.now().astimezone()
    early, busy = (now.hour + 8) % 24, (now.hour + 16) % 24  # neither is the hour of a tap made now
    with Store.open(data_dir) as store:
        tl.tap(store, opening_id, "survey", {"age_band": "20s"}, now=now.replace(hour=early, minute=5))
        for i in range(HISTORY_LIMIT + 5):
            tl.tap(store, opening_id, "visitors", {}, now=now.replace(hour=busy, minute=i % 60, second=i % 50))

    window = launch(data_dir)
    qtbot.waitUntil(lambda: opening_id in window.start_page.resume_buttons)
    click(qtbot, window.start_page.resume_buttons[opening_id])
    qtbot.waitUntil(lambda: window.board is not None and window.board.state is not None)
    history = window.board.history
    assert history.table.rowCount() == HISTORY_LIMIT
    assert not any(history.table.item(r, 1).text().startswith("アンケート回答") for r in range(HISTORY_LIMIT))

    # Narrow to the early hour: only its tap is listed, and it can be corrected.
    assert [history.hour_box.itemText(i) for i in range(history.hour_box.count())] == \
        ["すべての時間", *[f"{h}時台" for h in sorted({early, busy})]]
    history.hour_box.setCurrentIndex(history.hour_box.findData(early))
    qtbot.waitUntil(lambda: history.table.rowCount() == 1)
    assert history.table.item(0, 1).text() == "アンケート回答（20代）"
    history.table.selectRow(0)
    click(qtbot, history.correct_button)
    dialog = wait_dialog(qtbot, window, CorrectionDialog)
    click(qtbot, dialog.picker.button("age_band", "40s"))
    type_text(qtbot, dialog.reason_edit, "年代の押し間違い")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("訂正しました"))
    assert store_totals(data_dir, opening_id)["survey"]["by_dimension"] == {"age_band": {"40s": 1}}
    # The filter stays on after the write: the corrected row and its cancellation only
    # if they fall in that hour (they are made now, so they are not listed).
    assert history.table.rowCount() == 1 and "［取消済み］" in history.table.item(0, 1).text()

    # A tap made now does not appear under another hour; a counter narrows further.
    click(qtbot, window.board.pad.buttons["visitors"])
    wait_count(qtbot, window, "visitors", str(HISTORY_LIMIT + 6))
    wait_idle(qtbot, window)
    assert history.table.rowCount() == 1
    history.hour_box.setCurrentIndex(history.hour_box.findData(busy))
    history.counter_box.setCurrentIndex(history.counter_box.findData("survey"))
    qtbot.waitUntil(lambda: history.empty_label.isVisible())
    assert history.table.rowCount() == 0 and history.empty_label.text() == "該当する記録はありません"
    history.hour_box.setCurrentIndex(0)
    qtbot.waitUntil(lambda: history.table.rowCount() == 3)  # the survey tap, its undo and the corrected one
    assert not history.empty_label.isVisible()
