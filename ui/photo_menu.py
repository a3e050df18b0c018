"""The booth window's way into the photo station: 「写真撮影…」 and 「写真の設定…」 in the
本日 menu, a 「写真撮影…」 button on the tally board of a photo opening, and the one
photo window (ui/photo_window.py) it opens.

The station works for the opening on the board: it is offered only while a tally
board is shown whose profile has `photo.enabled` and whose day is not closed (the
store refuses photo facts for a closed opening). A printed photo taps the opening's
`photo` counter; the board then re-reads its counts.

The words live here, not in main_window.py, so that they belong to the photo
station's translation file (resources/i18n/photo_en.ts)."""
from __future__ import annotations

import logging

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QBoxLayout, QMainWindow, QMenu, QPushButton

from app.errors import MadoguchiError
from app.photo.crop import DEFAULT_SPEC
from app.photo.settings import PhotoSettings, load_photo_settings, save_photo_settings
from app.profiles import PhotoSpec, get_profile
from hardware.printer import make_printer
from ui.photo_window import PhotoWindow, open_photo_station
from ui.photo_settings import PhotoSettingsDialog

log = logging.getLogger("madoguchi.ui.photo")

BOARD_BUTTON = "open-photo-station"


class PhotoStation(QObject):
    """Owned by the main window, which it reads `worker`, `data_dir`, `lang`, `board`,
    `stack` and `settings` from. Create it after the window's page stack."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.main_window = window
        self.window: PhotoWindow | None = None
        # Closed windows still printing (or holding a photo after a failed print): kept
        # until close_all, so their results still arrive and the photo is wiped.
        self.retired: list[PhotoWindow] = []
        self.settings_dialog: PhotoSettingsDialog | None = None
        self.action_open: QAction | None = None
        self.action_settings: QAction | None = None
        window.stack.currentChanged.connect(self._page_changed)

    def add_actions(self, menu: QMenu, settings_menu: QMenu | None = None) -> None:
        """Add the two entries (and a separator after them) to the 本日 menu, or
        「写真の設定…」 to `settings_menu` (the window's 設定 menu) when given; again
        after every language switch."""
        self.action_open = QAction(self.tr("写真撮影…"), menu)
        self.action_open.setObjectName("menu-photo-station")
        self.action_open.triggered.connect(self.open_station)
        menu.addAction(self.action_open)
        self.action_settings = QAction(self.tr("写真の設定…"), settings_menu or menu)
        self.action_settings.setObjectName("menu-photo-settings")
        self.action_settings.triggered.connect(self.open_settings)
        (settings_menu or menu).addAction(self.action_settings)
        menu.addSeparator()
        menu.aboutToShow.connect(self.update_state)  # the day may have been closed since
        self.update_state()

    # ---- which opening ----------------------------------------------------------------
    def target(self) -> tuple[str, str] | None:
        """(opening id, profile key) of the tally board on screen, if it takes photos."""
        w = self.main_window
        board = w.board
        if board is None or getattr(board, "retired", False) or w.stack.currentWidget() is not board:
            return None
        opening = board.state.opening
        if opening.closed or not board.profile.photo.enabled:
            return None
        return opening.id, opening.profile

    def update_state(self) -> None:
        enabled = self.target() is not None
        if self.action_open is not None:
            self.action_open.setEnabled(enabled)
        board = self.main_window.board
        button = board.findChild(QPushButton, BOARD_BUTTON) if board is not None else None
        if button is not None:
            button.setEnabled(enabled)

    def _page_changed(self, _index: int) -> None:
        board = self.main_window.board
        if board is not None and self.main_window.stack.currentWidget() is board:
            self._add_board_button(board)
            if self.window is not None and self.window.opening_id != board.state.opening.id:
                self.close_window()  # its photos would count for an opening no longer on screen
        self.update_state()

    def _add_board_button(self, board) -> None:
        """A visible way in on a photo opening's board: next to 「直前の記録を取り消す」
        in the board's bottom row, which has room to spare at 1366 px."""
        if not board.profile.photo.enabled or board.findChild(QPushButton, BOARD_BUTTON) is not None:
            return
        row = _row_of(board, board.undo_last_button)
        if row is None:  # the board's layout changed: the menu entry still works
            log.warning("tally board has no bottom row for the photo button")
            return
        button = QPushButton(self.tr("写真撮影…"), board)
        button.setObjectName(BOARD_BUTTON)
        button.setMinimumHeight(48)
        button.setToolTip(self.tr("写真撮影の画面を別のウィンドウで開きます"))
        button.clicked.connect(self.open_station)
        row.insertWidget(row.indexOf(board.undo_last_button) + 1, button)
        button.show()  # the board is on screen already: show it now, not on the next event
        board.acknowledged.connect(lambda _text: self.update_state())  # e.g. the day was closed

    # ---- the photo window ----------------------------------------------------------------
    def open_station(self) -> PhotoWindow | None:
        """The photo window of the board's opening: the open one, or a new one (a
        window of another opening is closed first; it wipes a photo it still holds)."""
        target = self.target()
        if target is None:
            return None
        opening_id, profile_key = target
        if self.window is not None and self.window.isVisible() and self.window.opening_id == opening_id:
            self.window.raise_()
            self.window.activateWindow()
            return self.window
        self.close_window()
        w = self.main_window
        try:
            window = open_photo_station(w, w.worker, opening_id, profile_key, w.data_dir, w.lang)
        except MadoguchiError as exc:
            w.show_error(exc)
            return None
        window.screen_.photo_deleted.connect(self._photo_deleted)
        window.screen_.status.connect(lambda text: w.statusBar().showMessage(text, 8000))
        self.window = window
        return window

    def _photo_deleted(self, reason: str) -> None:
        # The printed fact (and its tap) was submitted before the deletion; the store
        # worker runs jobs in order, so this read sees the new count.
        if reason == "printed":
            self.main_window.refresh_board()

    def close_window(self) -> None:
        window, self.window = self.window, None
        if window is None:
            return
        window.close()  # stops the camera and threads, wipes a photo still held
        if window.screen_.busy or window.screen_.photo is not None:
            self.retired.append(window)
        else:
            window.deleteLater()

    # ---- settings -------------------------------------------------------------------------
    def _spec(self) -> PhotoSpec:
        """Sizes for the test print and the photos per sheet: the board's profile, else
        the last profile used on this laptop, else the national default (45×35)."""
        w = self.main_window
        keys = [w.board.profile.key] if w.board is not None and not getattr(w.board, "retired", False) else []
        keys.append(w.settings.last_profile)
        for key in keys:
            try:
                spec = get_profile(key).photo if key else None
            except MadoguchiError:
                continue
            if spec is not None and spec.enabled:
                return spec
        return DEFAULT_SPEC

    def current_settings(self) -> PhotoSettings:
        if self.window is not None and self.window.isVisible():
            return self.window.screen_.settings
        return load_photo_settings(self.main_window.data_dir)

    def open_settings(self) -> PhotoSettingsDialog:
        """Camera, printer and paper, test print and the spooler warning; usable before
        the day is opened (set the camera up first)."""
        if self.settings_dialog is not None and self.settings_dialog.isVisible():
            self.settings_dialog.raise_()
            return self.settings_dialog
        w = self.main_window
        dialog = PhotoSettingsDialog(self.current_settings(), self._spec(), w.lang, make_printer, w)
        dialog.accepted.connect(lambda: self.apply_settings(dialog.result_settings()))
        self.settings_dialog = dialog
        dialog.open()
        return dialog

    def apply_settings(self, settings: PhotoSettings) -> None:
        if self.window is not None and self.window.isVisible():
            self.window.screen_.apply_settings(settings)  # saves them and switches the camera
            return
        try:
            save_photo_settings(self.main_window.data_dir, settings)
        except OSError as exc:
            log.warning("photo settings not saved: %s", type(exc).__name__)
            self.main_window.statusBar().showMessage(self.tr("写真の設定を保存できませんでした"), 8000)

    # ---- following the main window ----------------------------------------------------------
    def set_language(self, lang: str) -> None:
        """Called after the main window installed the new translators."""
        if self.window is not None and self.window.isVisible():
            self.window.set_language(lang)

    def close_all(self) -> None:
        """Before the store worker stops: the photo window records its deletion first."""
        if self.settings_dialog is not None:
            self.settings_dialog.reject()
        self.close_window()
        for window in self.retired:
            window.close()  # a photo kept after a failed print is wiped now
        self.retired.clear()


def _row_of(board, widget) -> QBoxLayout | None:
    root = board.layout()
    for i in range(root.count()):
        row = root.itemAt(i).layout()
        if isinstance(row, QBoxLayout) and row.indexOf(widget) >= 0:
            return row
    return None
