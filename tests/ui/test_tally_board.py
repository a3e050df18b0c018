"""Tapping: the applicant card, plain taps, the chooser, shortcuts and undo."""
from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.helpers import (click, count_on_screen, open_day, store_history, store_totals,
                              wait_count, wait_dialog, wait_idle)
from ui.dialogs import DimensionChooser


def _record_card(qtbot, window, age="30s", method="online", optional=("insurance_link",)):
    card = window.board.card
    click(qtbot, card.picker.button("age_band", age))
    click(qtbot, card.picker.button("method", method))
    for key in optional:
        click(qtbot, card.optional_buttons[key])
    click(qtbot, card.record_button)


def test_applicant_card_records_in_a_few_taps(qtbot, launch, data_dir):
    window = launch(data_dir)
    open_day(qtbot, window)
    card = window.board.card
    assert not card.record_button.isEnabled()  # nothing chosen yet
    assert "年代" in card.missing_label.text() and "申請方法" in card.missing_label.text()

    _record_card(qtbot, window)
    wait_count(qtbot, window, "application", "1")
    assert count_on_screen(window, "insurance_link") == "1"
    assert count_on_screen(window, "kouhi_account") == "0"
    assert window.statusBar().currentMessage().startswith("記録しました：")
    # Ready for the next applicant only now that the rows are committed.
    assert card.picker.values() == {} and card.ticked_optional() == []

    totals = store_totals(data_dir, window.board.state.opening.id)
    assert totals["application"]["total"] == 1
    assert totals["application"]["by_dimension"] == {"age_band": {"30s": 1}, "method": {"online": 1}}
    assert totals["insurance_link"]["by_dimension"] == {"age_band": {"30s": 1}}
    assert totals["kouhi_account"]["total"] == 0


def test_plain_tap_chooser_and_keyboard_shortcut(qtbot, launch, data_dir):
    window = launch(data_dir)
    open_day(qtbot, window)
    board = window.board

    click(qtbot, board.pad.buttons["visitors"])
    wait_count(qtbot, window, "visitors", "1")

    # A counter with a dimension asks for it first: one tap per dimension.
    click(qtbot, board.pad.buttons["survey"])
    chooser = wait_dialog(qtbot, window, DimensionChooser)
    assert count_on_screen(window, "survey") == "0"
    click(qtbot, chooser.picker.button("age_band", "60s"))
    wait_count(qtbot, window, "survey", "1")

    # Shortcut "4" is visitors in the 003 profile.
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(board, Qt.Key.Key_4)
    wait_count(qtbot, window, "visitors", "2")
    # Still a tap while the history list has the keyboard focus.
    board.history.table.setFocus()
    qtbot.keyClick(board.history.table, Qt.Key.Key_4)
    wait_count(qtbot, window, "visitors", "3")

    totals = store_totals(data_dir, board.state.opening.id)
    assert totals["visitors"]["total"] == 3
    assert totals["survey"]["by_dimension"] == {"age_band": {"60s": 1}}


def test_undo_last_takes_back_the_whole_card(qtbot, launch, data_dir):
    window = launch(data_dir)
    open_day(qtbot, window)
    click(qtbot, window.board.pad.buttons["visitors"])
    wait_count(qtbot, window, "visitors", "1")
    _record_card(qtbot, window)
    wait_count(qtbot, window, "application", "1")

    click(qtbot, window.board.undo_last_button)
    wait_count(qtbot, window, "application", "0")
    assert count_on_screen(window, "insurance_link") == "0"
    assert count_on_screen(window, "visitors") == "1"  # only the last touch
    assert window.statusBar().currentMessage().startswith("取り消しました：")
    totals = store_totals(data_dir, window.board.state.opening.id)
    assert totals["application"]["total"] == 0 and totals["visitors"]["total"] == 1

    click(qtbot, window.board.undo_last_button)
    wait_count(qtbot, window, "visitors", "0")


def test_nothing_to_undo_is_said_plainly(qtbot, launch, data_dir):
    window = launch(data_dir)
    open_day(qtbot, window)
    click(qtbot, window.board.undo_last_button)
    qtbot.waitUntil(lambda: window.banner.isVisible())
    assert window.banner.text() == "取り消せる記録がありません。"


def test_history_lists_taps_newest_first(qtbot, launch, data_dir):
    window = launch(data_dir)
    open_day(qtbot, window)
    click(qtbot, window.board.pad.buttons["smartphone_help"])
    wait_count(qtbot, window, "smartphone_help", "1")
    click(qtbot, window.board.pad.buttons["visitors"])
    wait_count(qtbot, window, "visitors", "1")
    wait_idle(qtbot, window)
    table = window.board.history.table
    assert table.rowCount() == 2
    assert table.item(0, 1).text() == "来場者数（動員数）"
    assert table.item(1, 1).text() == "スマホ相談会（マイナポータル等の利用方法）"
    assert [t.counter for t in store_history(data_dir, window.board.state.opening.id)] == ["visitors", "smartphone_help"]
