"""Steps a booth worker takes, driven through the real widgets."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QPushButton

from app import tallies as tl
from app.store import Store
from ui.main_window import MainWindow

PROFILE_003 = "miyagi_mynumber_r6"
WAIT_MS = 10_000


def start_window(qtbot, data_dir: Path, lang: str = "ja", *, wait_ready: bool = True) -> MainWindow:
    window = MainWindow(data_dir, lang)
    qtbot.addWidget(window)  # closed at teardown: the worker stops and frees the lock
    window.resize(1366, 768)
    window.show()
    if wait_ready:
        qtbot.waitUntil(lambda: window.start_page is not None
                        and window.stack.currentWidget() is window.start_page, timeout=WAIT_MS)
        wait_idle(qtbot, window)
    return window


def wait_idle(qtbot, window: MainWindow) -> None:
    """Every job submitted so far has been answered on the UI thread."""
    qtbot.waitUntil(lambda: window.worker.pending == 0, timeout=WAIT_MS)


def click(qtbot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_text(qtbot, edit: QLineEdit, text: str) -> None:
    """Type like a Japanese IME does: QTest can only press ASCII keys, so Japanese
    text arrives as an input-method commit, exactly as on a booth laptop."""
    edit.setFocus()
    if text.isascii():
        qtbot.keyClicks(edit, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(edit, event)


def fill_start_form(qtbot, window: MainWindow, *, venue: str = "イオンモール名取",
                    municipality: str = "名取市", profile: str = PROFILE_003,
                    kind_index: int = 0, large: bool = False, staff: int = 2) -> None:
    page = window.start_page
    page.profile_box.setCurrentIndex(page.profile_box.findData(profile))
    page.kind_box.setCurrentIndex(kind_index)
    type_text(qtbot, page.venue_edit, venue)
    page.muni_box.lineEdit().clear()
    type_text(qtbot, page.muni_box.lineEdit(), municipality)
    if large:
        page.large_check.setChecked(True)
    page.staff_spin.setValue(staff)


def open_day(qtbot, window: MainWindow, **form) -> None:
    fill_start_form(qtbot, window, **form)
    click(qtbot, window.start_page.open_button)
    wait_for_board(qtbot, window)


def wait_for_board(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.board is not None
                    and window.stack.currentWidget() is window.board, timeout=WAIT_MS)


def count_on_screen(window: MainWindow, counter: str) -> str:
    return window.board.pad.buttons[counter].count_label.text()


def wait_count(qtbot, window: MainWindow, counter: str, expected: str) -> None:
    qtbot.waitUntil(lambda: count_on_screen(window, counter) == expected, timeout=WAIT_MS)


def wait_dialog(qtbot, window: MainWindow, cls: type[QDialog]) -> QDialog:
    qtbot.waitUntil(lambda: isinstance(window.board.active_dialog, cls)
                    and window.board.active_dialog.isVisible(), timeout=WAIT_MS)
    return window.board.active_dialog


def store_totals(data_dir: Path, opening_id: str) -> dict:
    """What is really committed, read with a separate read-only connection."""
    with Store.open(data_dir, read_only=True) as store:
        return tl.totals(store, opening_id)


def store_history(data_dir: Path, opening_id: str) -> list[tl.Tally]:
    with Store.open(data_dir, read_only=True) as store:
        return tl.history(store, opening_id)
