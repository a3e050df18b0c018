"""The booth dialogs where a reason or the confirming name is typed: each shows what
must not go in, and a refused text keeps the dialog open with what was typed, the
message under the field and nothing recorded."""
from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest  # noqa: E402

from app.store import Store  # noqa: E402
from tests.ui.conftest import OFFSCREEN_NOISE, booth_app, launch  # noqa: E402,F401 - fixtures
from tests.ui.helpers import (click, open_day, store_history, store_totals, type_text,  # noqa: E402
                              wait_count, wait_dialog, wait_idle)
from ui.close_day import CloseDayDialog  # noqa: E402
from ui.dialogs import CorrectionDialog, DimensionChooser, ReasonDialog  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

HINT = "個人を特定する情報（氏名・番号・連絡先）は書かないでください"
PHONE = "090-1234-5678"


def _tap_survey(qtbot, window, age: str) -> None:
    click(qtbot, window.board.pad.buttons["survey"])
    chooser = wait_dialog(qtbot, window, DimensionChooser)
    click(qtbot, chooser.picker.button("age_band", age))
    qtbot.waitUntil(lambda: window.board.active_dialog is None)


def _chain_head(data_dir) -> tuple:
    with Store.open(data_dir, read_only=True) as store:
        return tuple(store.query_one("SELECT head_seq, head_hash FROM device WHERE is_local = 1"))


def test_a_phone_number_in_a_correction_reason_keeps_the_dialog_open(qtbot, launch, data_dir):
    window = launch(data_dir)
    open_day(qtbot, window)
    _tap_survey(qtbot, window, "20s")
    wait_count(qtbot, window, "survey", "1")
    wait_idle(qtbot, window)
    opening_id = window.board.state.opening.id
    head = _chain_head(data_dir)

    history = window.board.history
    history.table.selectRow(0)
    click(qtbot, history.correct_button)
    dialog = wait_dialog(qtbot, window, CorrectionDialog)
    hint = dialog.screened.hint
    assert hint.isVisible() and hint.text() == HINT
    click(qtbot, dialog.picker.button("age_band", "40s"))
    typed = f"本人 {PHONE} に確認して年代を訂正"
    type_text(qtbot, dialog.reason_edit, typed)
    click(qtbot, dialog.ok_button)

    error = dialog.screened.error
    assert error.isVisible()
    assert error.text().startswith("理由に個人番号・電話番号・メールアドレスのような文字列は書けません（見つかったもの: 電話番号）")
    assert PHONE not in error.text()
    assert window.board.active_dialog is dialog and dialog.isVisible()
    assert dialog.reason_edit.text() == typed                       # nothing to type again
    assert dialog.picker.values()["age_band"] == "40s"              # the choice is kept too
    wait_idle(qtbot, window)
    assert _chain_head(data_dir) == head                            # nothing was submitted
    assert window.banner.text() == ""

    # Rewriting clears the message; a plain reason is recorded.
    dialog.reason_edit.clear()
    type_text(qtbot, dialog.reason_edit, "年代の押し間違い")
    assert not error.isVisible()
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("訂正しました"))
    assert store_totals(data_dir, opening_id)["survey"]["by_dimension"] == {"age_band": {"40s": 1}}
    assert {r.reason for r in store_history(data_dir, opening_id) if r.kind != "tap"} == {"年代の押し間違い"}


def test_close_day_name_and_amendment_reason_are_screened_in_place(qtbot, launch, data_dir):
    window = launch(data_dir)
    open_day(qtbot, window)
    opening_id = window.board.state.opening.id

    click(qtbot, window.board.close_button)
    dialog = wait_dialog(qtbot, window, CloseDayDialog)
    assert dialog.screened.hint.isVisible() and "現場責任者の氏名だけ" in dialog.screened.hint.text()
    type_text(qtbot, dialog.name_edit, "佐藤 sato@example.com")
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible() and dialog.name_edit.text() == "佐藤 sato@example.com"
    assert "見つかったもの: メールアドレス" in dialog.screened.error.text()
    dialog.name_edit.clear()
    type_text(qtbot, dialog.name_edit, "佐藤")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: window.board.closed_frame.isVisible())

    # After closing, a tap asks for an amendment reason: screened the same way.
    click(qtbot, window.board.pad.buttons["visitors"])
    dialog = wait_dialog(qtbot, window, ReasonDialog)
    assert dialog.screened.hint.isVisible() and dialog.screened.hint.text() == HINT
    type_text(qtbot, dialog.edit, "S45.3.2生の方")
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible() and dialog.edit.text() == "S45.3.2生の方"
    assert "見つかったもの: 生年月日" in dialog.screened.error.text()
    wait_idle(qtbot, window)
    assert store_totals(data_dir, opening_id)["visitors"]["total"] == 0
    dialog.edit.clear()
    type_text(qtbot, dialog.edit, "記録漏れ")
    click(qtbot, dialog.ok_button)
    wait_count(qtbot, window, "visitors", "1")
    assert [r.reason for r in store_history(data_dir, opening_id) if r.amendment] == ["記録漏れ"]


def test_the_hint_and_the_refusal_read_in_english(qtbot, launch, data_dir):
    from ui.i18n import install_language

    install_language("en")  # as ui.app does before the window (booth_app resets to ja)
    window = launch(data_dir, "en")
    open_day(qtbot, window)
    click(qtbot, window.board.pad.buttons["visitors"])
    wait_count(qtbot, window, "visitors", "1")
    wait_idle(qtbot, window)
    window.board.history.table.selectRow(0)
    click(qtbot, window.board.history.undo_button)
    dialog = wait_dialog(qtbot, window, ReasonDialog)
    assert dialog.screened.hint.text().startswith("Do not write anything that identifies a person")
    type_text(qtbot, dialog.edit, "call 09012345678")
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible() and dialog.edit.text() == "call 09012345678"
    assert "(found: a phone number)" in dialog.screened.error.text()
