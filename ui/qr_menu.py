"""The booth window's way to the QR board: 「QR・ポイント配布」 in the 本日 menu and a
button on the tally board, both showing the QR board of the opening on the
board as a page of the main window (a back button returns to the tally board).

One QR page at a time, for the opening on the tally board. It stays alive while
the staff go back to the tally board — the visitor window keeps showing its
codes — and is retired (timer stopped, visitor window closed) when another
opening's board or the start page replaces the tally board. Writes on either
side refresh the other: a tap on the tally board (e.g. a point grant on the
point_grant tile) reloads the QR board and its visitor display; a grant on the
QR board reloads the tally board's counts.

The words live here, not in main_window.py, so that they belong to the QR
feature's translation file (resources/i18n/qr_en.ts).
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QBoxLayout, QHBoxLayout, QLabel, QMainWindow, QMenu, QPushButton,
                               QVBoxLayout, QWidget)

from app.errors import MadoguchiError
from ui.qr_board import QrBoard, make_qr_board

log = logging.getLogger("madoguchi.ui.qr")

BOARD_BUTTON = "open-qr-board"


class QrPage(QWidget):
    """The QR board with a bar above it: back to the tally board, which opening."""

    def __init__(self, board: QrBoard, venue: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("qr-page")
        self.board = board
        self.venue = venue
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        bar = QHBoxLayout()
        bar.setContentsMargins(8, 0, 8, 0)
        self.back_button = QPushButton(self)
        self.back_button.setObjectName("qr-back")
        self.back_button.setMinimumHeight(40)
        bar.addWidget(self.back_button)
        self.title = QLabel(self)
        self.title.setObjectName("qr-page-title")
        self.title.setProperty("role", "header")
        self.title.setWordWrap(True)  # a long venue name wraps instead of widening the window
        bar.addWidget(self.title, 1)
        layout.addLayout(bar)
        board.setParent(self)
        layout.addWidget(board, 1)
        self.retired = False

    def retranslate(self) -> None:
        self.back_button.setText(self.tr("◂ 集計画面に戻る"))
        self.title.setText(self.tr("QR コード・ポイント配布 — {venue}").format(venue=self.venue))


class QrPages(QObject):
    """Owned by the main window, which it reads `worker`, `lang`, `clock`, `board`,
    `stack`, `acknowledge`, `show_error` and `refresh_board` from. Create it after
    the window's page stack."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.main_window = window
        self.page: QrPage | None = None
        self.action_open: QAction | None = None
        window.stack.currentChanged.connect(self._page_changed)

    @property
    def board(self) -> QrBoard | None:
        return self.page.board if self.page is not None else None

    def add_actions(self, menu: QMenu) -> None:
        """Add 「QR・ポイント配布」 to the 本日 menu (again after every language switch)."""
        self.action_open = QAction(self.tr("QR コード・ポイント配布"), menu)
        self.action_open.setObjectName("menu-qr-board")
        self.action_open.triggered.connect(self.open_page)
        menu.addAction(self.action_open)
        menu.aboutToShow.connect(self.update_state)
        self.update_state()

    # ---- which opening -------------------------------------------------------------------
    def _tally_board(self):
        w = self.main_window
        board = w.board
        if board is None or getattr(board, "retired", False):
            return None
        return board

    def is_current(self) -> bool:
        return self.page is not None and self.main_window.stack.currentWidget() is self.page

    def update_state(self) -> None:
        on_board = self._tally_board() is not None and (
            self.main_window.stack.currentWidget() is self.main_window.board or self.is_current())
        if self.action_open is not None:
            self.action_open.setEnabled(on_board)

    def _page_changed(self, _index: int) -> None:
        w = self.main_window
        current = w.stack.currentWidget()
        board = self._tally_board()
        if board is not None and current is board:
            self._add_board_button(board)
            if self.page is not None and self.page.board.opening_id != board.state.opening.id:
                self.retire()  # another opening: its codes and grants are not this one's
        elif current is not None and current is getattr(w, "start_page", None):
            self.retire()  # the day was left: the visitor window closes with it
        self.update_state()

    def _add_board_button(self, board) -> None:
        """A visible way in, in the tally board's bottom row (room to spare at 1366 px)."""
        if board.findChild(QPushButton, BOARD_BUTTON) is not None:
            return
        row = _row_of(board, board.undo_last_button)
        if row is None:  # the board's layout changed: the menu entry still works
            log.warning("tally board has no bottom row for the QR button")
            return
        capped = bool(board.profile.daily_cap and board.profile.daily_cap_counter)
        button = QPushButton(self.tr("QR・ポイント配布 ▸") if capped else self.tr("来場者用 QR コード ▸"), board)
        button.setObjectName(BOARD_BUTTON)
        button.setMinimumHeight(48)
        button.setToolTip(self.tr("来場者に見せる QR コードと来場者用画面（ポイント配布）"))
        button.clicked.connect(self.open_page)
        # after 「直前の記録を取り消す」 and the photo station's button, before the gap
        gap = next((i for i in range(row.count()) if row.itemAt(i).spacerItem() is not None), row.count())
        row.insertWidget(gap, button)
        button.show()
        # Writes on the tally board change what the QR board shows (grants left).
        board.acknowledged.connect(lambda _text: self.refresh())
        board.failed.connect(lambda _exc: self.refresh())

    # ---- the page ------------------------------------------------------------------------
    def open_page(self) -> QrPage | None:
        """Show the QR page of the opening on the tally board (made on first use)."""
        w = self.main_window
        board = self._tally_board()
        if board is None:
            return None
        opening = board.state.opening
        if self.page is None or self.page.board.opening_id != opening.id:
            self.retire()
            try:
                qr = make_qr_board(w.worker, opening.id, w.lang, w.clock)
            except MadoguchiError as exc:
                w.show_error(exc)
                return None
            qr.acknowledged.connect(w.acknowledge)
            qr.acknowledged.connect(lambda _text: w.refresh_board())  # e.g. a grant: the board's count
            qr.failed.connect(w.show_error)
            self.page = QrPage(qr, opening.venue)
            self.page.back_button.clicked.connect(self.show_board)
            self.page.retranslate()
            w.stack.addWidget(self.page)
        w.banner.hide()
        w.stack.setCurrentWidget(self.page)
        self.page.board.refresh()
        return self.page

    def show_board(self) -> None:
        w = self.main_window
        if w.board is not None:
            w.stack.setCurrentWidget(w.board)

    def refresh(self) -> None:
        if self.page is not None:
            self.page.board.refresh()

    def retire(self) -> None:
        """Stop the QR board (timer, visitor window) and drop its page."""
        page, self.page = self.page, None
        if page is None:
            return
        page.retired = True
        page.board.retire()
        w = self.main_window
        if w.stack.indexOf(page) >= 0:
            w.stack.removeWidget(page)
        page.deleteLater()

    # ---- following the main window ----------------------------------------------------------
    def set_language(self, lang: str) -> None:
        """Called after the main window installed the new translators: the page is
        re-labelled in place, so the visitor window stays open."""
        if self.page is not None:
            self.page.board.set_language(lang)
            self.page.retranslate()

    def close_all(self) -> None:
        self.retire()


def _row_of(board, widget) -> QBoxLayout | None:
    root = board.layout()
    for i in range(root.count()):
        row = root.itemAt(i).layout()
        if isinstance(row, QBoxLayout) and row.indexOf(widget) >= 0:
            return row
    return None
