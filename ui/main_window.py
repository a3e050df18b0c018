"""The main window: owns the store worker, switches between the start-of-day page
and the tally board, shows errors and acknowledgements, the menus (本日, 報告書,
設定, language) and, in the status bar, the sync status strip. Features hook in
through small objects of their own (ui/*_menu.py) and a line or two here."""
from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

from PySide6.QtGui import QAction, QActionGroup, QCloseEvent
from PySide6.QtWidgets import (QLabel, QMainWindow, QMenu, QMessageBox, QStackedWidget, QVBoxLayout,
                               QWidget)

from app.errors import MadoguchiError
from app.profiles import list_profiles
from app.settings import Settings, load_settings, save_settings
from ui.banner import ErrorBanner
from ui.board_ops import BoardState, load_board, local_now, open_and_load, resumable
from ui.i18n import install_language
from ui.photo_menu import PhotoStation
from ui.qr_menu import QrPages
from ui.qr_scan import enrol_scan_callable
from ui.report_menu import ReportWindows
from ui.start_day import StartDayPage
from ui.sync_status import SyncStatusWidget
from ui.tally_board import TallyBoard
from ui.worker import StoreWorker

log = logging.getLogger("madoguchi.ui")

STATUS_MS = 8000


class MainWindow(QMainWindow):
    def __init__(self, data_dir: Path, lang: str = "ja", clock: Callable[[], Any] = local_now,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.lang = lang
        self.clock = clock
        self.exit_code = 0
        self.settings: Settings = load_settings(self.data_dir)
        self.start_page: StartDayPage | None = None
        self.board: TallyBoard | None = None
        self.fatal_box: QMessageBox | None = None

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 4, 6, 0)
        self.banner = ErrorBanner(central)
        layout.addWidget(self.banner)
        self.stack = QStackedWidget(central)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.loading = QLabel(central)
        self.stack.addWidget(self.loading)
        self.reports = ReportWindows(self)  # the 報告書 menu's windows
        self.photo = PhotoStation(self)  # 写真撮影… / 写真の設定… and the photo window
        self.qr = QrPages(self)  # 本日 → QR コード・ポイント配布 and the board's button
        # Sync status in the status bar; its worker starts once the store is open
        # (so it never reads a store that is still being created).
        self.sync_strip = SyncStatusWidget(self.data_dir, self.lang, self, autostart=False)
        self.sync_strip.scan = enrol_scan_callable(self, self.data_dir, self.lang)
        self.statusBar().addPermanentWidget(self.sync_strip)
        self._retranslate_chrome()

        self.worker = StoreWorker(self.data_dir, self)
        self.worker.opened.connect(self.sync_strip.loop.start)
        self.worker.opened.connect(self.show_start)
        self.worker.open_failed.connect(self._on_open_failed)
        self.worker.failed.connect(self.show_error)
        self.worker.start()

    # ---- chrome (menus, title) ---------------------------------------------------
    def _retranslate_chrome(self) -> None:
        self.setWindowTitle(self.tr("Madoguchi 窓口"))
        self.loading.setText(self.tr("データを開いています…"))
        bar = self.menuBar()
        bar.clear()  # clear() keeps the old menus alive as children; drop them too
        for old in getattr(self, "_menus", ()):
            old.deleteLater()
        day = bar.addMenu(self.tr("本日"))
        self.action_start = QAction(self.tr("開始画面に戻る"), self)
        self.action_start.triggered.connect(self.show_start)
        day.addAction(self.action_start)
        day.addSeparator()
        self.qr.add_actions(day)
        settings = QMenu(self.tr("設定"), bar)
        settings.setObjectName("menu-settings")
        self.photo.add_actions(day, settings)
        quit_action = QAction(self.tr("終了"), self)
        quit_action.triggered.connect(self.close)
        day.addAction(quit_action)
        reports = self.reports.add_menu(bar)
        self.action_sync_settings = QAction(self.tr("同期の設定…"), settings)
        self.action_sync_settings.setObjectName("menu-sync-settings")
        self.action_sync_settings.triggered.connect(self.sync_strip.open_settings)
        settings.insertAction(settings.actions()[0] if settings.actions() else None, self.action_sync_settings)
        bar.addMenu(settings)
        view = bar.addMenu(self.tr("言語 / Language"))
        group = QActionGroup(self)
        self.lang_actions: dict[str, QAction] = {}
        for code, name in (("ja", "日本語"), ("en", "English")):  # each in its own language
            action = QAction(name, self, checkable=True)
            action.setObjectName(f"lang-{code}")
            action.setChecked(code == self.lang)
            action.triggered.connect(lambda _=False, c=code: self.set_language(c))
            group.addAction(action)
            view.addAction(action)
            self.lang_actions[code] = action
        self._menus = (day, reports, settings, view)

    def set_language(self, lang: str) -> None:
        if lang == self.lang:
            return
        self.lang = lang
        self.settings = self.settings.with_lang(lang)
        try:
            save_settings(self.data_dir, self.settings)
        except OSError as exc:  # a preference is not worth stopping the booth for
            log.warning("could not save settings: %s", type(exc).__name__)
        install_language(lang)
        self._retranslate_chrome()
        self.reports.set_language(lang)
        self.photo.set_language(lang)
        self.qr.set_language(lang)
        self.sync_strip.set_language(lang)
        self.sync_strip.scan = enrol_scan_callable(self, self.data_dir, lang)
        self.banner.hide()
        on_qr = self.qr.is_current()
        if self.board is not None and (self.stack.currentWidget() is self.board or on_qr):
            self.show_board(self.board.state)
            self.refresh_board()
            if on_qr:
                self.qr.open_page()  # the same opening's QR page, re-labelled in place
        elif self.start_page is not None:
            fields = self.start_page.fields()
            self.show_start()
            self.start_page.restore(fields)

    # ---- opening the store --------------------------------------------------------
    def _on_open_failed(self, exc: BaseException) -> None:
        """The store stays untouched; say why in plain words, then leave cleanly."""
        if isinstance(exc, MadoguchiError):
            text = exc.message(self.lang)
        else:
            text = self.tr("データを開けませんでした（{name}）。").format(name=type(exc).__name__)
        self.loading.setText(text)
        box = QMessageBox(QMessageBox.Icon.Critical, self.tr("Madoguchi を開けません"), text,
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("fatal-box")
        box.button(QMessageBox.StandardButton.Ok).setText(self.tr("終了する"))
        box.finished.connect(self._exit_after_fatal)
        self.fatal_box = box
        box.open()

    def _exit_after_fatal(self, _result: int) -> None:
        self.exit_code = 1
        self.close()

    # ---- pages ----------------------------------------------------------------------
    def _replace(self, attr: str, widget: QWidget) -> None:
        old = getattr(self, attr)
        if old is not None:
            old.retired = True  # results still in flight for it are ignored
            self.stack.removeWidget(old)
            old.deleteLater()
        setattr(self, attr, widget)
        self.stack.addWidget(widget)
        self.stack.setCurrentWidget(widget)

    def show_start(self) -> None:
        if self.fatal_box is not None:
            return
        today = self.clock().date()
        try:
            profiles = list_profiles()
        except MadoguchiError as exc:  # a broken profile file: say which, keep running
            self.show_error(exc)
            profiles = []
        page = StartDayPage(self.lang, today, profiles, self.settings.last_profile, self)
        page.open_requested.connect(self.open_opening)
        page.resume_requested.connect(self.resume_opening)
        self._replace("start_page", page)
        self.setWindowTitle(self.tr("Madoguchi 窓口"))
        self.worker.submit(resumable, today, on_done=lambda items, p=page: self._fill_resumable(p, items))

    def _fill_resumable(self, page: StartDayPage, items: list) -> None:
        if not getattr(page, "retired", False):
            page.set_resumable(items)

    def open_opening(self, fields: dict) -> None:
        page = self.start_page
        page.set_busy(True)

        def failed(exc: BaseException) -> None:
            if not getattr(page, "retired", False):
                page.set_busy(False)
            self.show_error(exc)

        def opened(state: BoardState) -> None:
            self.settings = replace(self.settings, last_profile=state.opening.profile)
            try:
                save_settings(self.data_dir, self.settings)
            except OSError as exc:
                log.warning("could not save settings: %s", type(exc).__name__)
            self.show_board(state)
            self.statusBar().showMessage(self.tr("実施回を開始しました"), STATUS_MS)
        self.worker.submit(open_and_load, **fields, now=self.clock(), on_done=opened, on_error=failed)

    def resume_opening(self, opening_id: str) -> None:
        self.worker.submit(load_board, opening_id, on_done=self._resumed, on_error=self.show_error)

    def _resumed(self, state: BoardState) -> None:
        self.show_board(state)
        self.statusBar().showMessage(self.tr("再開しました：{venue}").format(venue=state.opening.venue), STATUS_MS)

    def show_board(self, state: BoardState) -> None:
        try:
            board = TallyBoard(self.worker, state, self.lang, self.clock, self)
        except MadoguchiError as exc:  # e.g. the opening's profile file was removed
            self.show_error(exc)
            return
        self.banner.hide()
        board.acknowledged.connect(self.acknowledge)
        board.failed.connect(self.show_error)
        self._replace("board", board)
        self.setWindowTitle(self.tr("Madoguchi 窓口 — {venue}").format(venue=state.opening.venue))

    def refresh_board(self) -> None:
        """Another window changed the counts (a printed photo, a point grant)."""
        if self.board is not None:
            self.board.reload()  # its errors reach show_error through board.failed

    # ---- feedback -------------------------------------------------------------------
    def acknowledge(self, text: str) -> None:
        self.banner.hide()
        self.statusBar().showMessage(text, STATUS_MS)

    def show_error(self, exc: BaseException) -> None:
        if isinstance(exc, MadoguchiError):
            text = exc.message(self.lang)
        else:
            text = self.tr("予期しないエラーが発生しました（{name}）。この操作は保存されていない可能性があります。").format(
                name=type(exc).__name__)
        self.statusBar().clearMessage()
        self.banner.show_message(text)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt naming
        self.reports.close_all()  # their threads first: a report being written is finished
        self.photo.close_all()  # wipes a photo still held and records the deletion
        self.qr.close_all()  # the visitor window closes with the booth window
        self.sync_strip.shutdown()  # the sync thread's own read-only store connection closes
        self.worker.stop()  # commits what was tapped, closes the store, frees the lock
        event.accept()
