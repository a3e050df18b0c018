"""The staff's QR board for one opening: the codes shown to visitors (added,
picked, rotated, sent to a second screen) and, for a campaign with a daily cap,
the point-distribution panel (ui/qr_points_panel.py).

Store calls go through the StoreWorker (one thread); camera, image decoding and
the hub run on their own threads (ui/qr_scan.py). Nothing on screen changes
before the worker reports the write committed (ui/qr_board_requests.py: the
write and dialog plumbing the board and the points panel share).

Texts are Qt translations (`self.tr`, resources/i18n/qr_en.ts); `set_language`
re-labels the board in place, so the visitor window stays open through a
language switch. The main window shows the board as a page next to the tally
board (ui/qr_menu.py).
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QGroupBox, QHBoxLayout, QLabel,
                               QListWidget, QListWidgetItem, QSpinBox, QVBoxLayout, QWidget)

from app.points.hub_client import hub_from_sync_settings
from app.qrcodes.sources import add_source, remove_source
from ui.qr_board_requests import BoardRequests
from ui.qr_common import action_button
from ui.qr_dialogs import AddSourceDialog
from ui.qr_ops import QrBoardState, load_qr_board
from ui.qr_points_panel import PointsPanel
from ui.qr_scan import camera_available, camera_config_for
from ui.qr_visitor import DEFAULT_ROTATION_S, VisitorDisplay
from ui.qr_widget import QrView
from ui.worker import StoreWorker

log = logging.getLogger("madoguchi.ui.qr")

REFRESH_MS = 5000   # picks up taps made on the tally board and codes that expired


def local_now() -> datetime:
    return datetime.now().astimezone()


class QrBoard(BoardRequests):
    state_changed = Signal(object)   # QrBoardState after every load

    def __init__(self, worker: StoreWorker, opening_id: str, lang: str = "ja",
                 clock: Callable[[], datetime] = local_now, parent: QWidget | None = None,
                 camera_config: Any = "auto", hub_factory: Callable[[], Any] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("qr-board")
        self.worker, self.opening_id, self.lang, self.clock = worker, opening_id, lang, clock
        if camera_config == "auto":
            camera_config = camera_config_for(worker.data_dir) if camera_available() else None
        self.camera_config = camera_config
        # The hub the laptop is enrolled with (sync settings); tests pass their own.
        self.hub_factory = hub_factory or (lambda: hub_from_sync_settings(worker.data_dir))
        self.state: QrBoardState | None = None
        self.active_dialog: QDialog | None = None
        self.retired = False
        self.visitor = VisitorDisplay(self)
        self.visitor.shown_changed.connect(self._mirror)
        self._build()
        self.set_language(lang)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.reload)
        self.timer.start(REFRESH_MS)
        self.reload()

    # ---- layout ------------------------------------------------------------------
    def _build(self) -> None:
        root = QHBoxLayout(self)
        root.setContentsMargins(8, 4, 8, 4)
        left = QVBoxLayout()
        root.addLayout(left, 3)
        self.codes_box = QGroupBox(self)
        codes_layout = QVBoxLayout(self.codes_box)
        self.source_list = QListWidget(self.codes_box)
        self.source_list.setObjectName("qr-source-list")
        self.source_list.setMinimumHeight(100)
        self.source_list.itemDoubleClicked.connect(lambda _item: self.show_selected())
        codes_layout.addWidget(self.source_list, 1)
        row = QHBoxLayout()
        self.add_button = action_button(self, "qr-add", self.request_add_source, row)
        self.remove_button = action_button(self, "qr-remove", self.request_remove_source, row)
        self.show_button = action_button(self, "qr-show-selected", self.show_selected, row)
        row.addStretch(1)
        codes_layout.addLayout(row)
        row = QHBoxLayout()
        self.rotate_check = QCheckBox(self.codes_box)
        self.rotate_check.setObjectName("qr-rotate")
        self.rotate_check.toggled.connect(self._rotation_changed)
        row.addWidget(self.rotate_check)
        self.rotate_spin = QSpinBox(self.codes_box)
        self.rotate_spin.setObjectName("qr-rotate-seconds")
        self.rotate_spin.setRange(3, 120)
        self.rotate_spin.setValue(DEFAULT_ROTATION_S)
        self.rotate_spin.valueChanged.connect(lambda _v: self._rotation_changed(self.rotate_check.isChecked()))
        row.addWidget(self.rotate_spin)
        row.addStretch(1)
        codes_layout.addLayout(row)
        row = QHBoxLayout()
        self.screen_label = QLabel(self.codes_box)
        row.addWidget(self.screen_label)
        self.screen_box = QComboBox(self.codes_box)
        self.screen_box.setObjectName("qr-screen")
        row.addWidget(self.screen_box, 1)
        self.fullscreen_check = QCheckBox(self.codes_box)
        self.fullscreen_check.setObjectName("qr-fullscreen")
        row.addWidget(self.fullscreen_check)
        codes_layout.addLayout(row)
        # The visitors' language: Japanese always, an English line under each text
        # when the staff work in English or tick this (tourist sites, events).
        self.bilingual_check = QCheckBox(self.codes_box)
        self.bilingual_check.setObjectName("qr-bilingual")
        self.bilingual_chosen = False  # the staff's own tick (kept through language switches)
        self.bilingual_check.toggled.connect(self._bilingual_toggled)
        codes_layout.addWidget(self.bilingual_check)
        row = QHBoxLayout()
        self.open_button = action_button(self, "qr-open-visitor", self.open_visitor, row)
        self.open_button.setProperty("role", "primary")
        self.close_visitor_button = action_button(self, "qr-close-visitor", self.close_visitor, row)
        row.addStretch(1)
        codes_layout.addLayout(row)
        left.addWidget(self.codes_box, 1)
        self.preview_caption = QLabel(self)
        self.preview_caption.setObjectName("qr-preview-caption")
        self.preview_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        left.addWidget(self.preview_caption)
        self.preview = QrView(self)
        self.preview.setObjectName("qr-preview")
        self.preview.setMinimumSize(150, 150)
        left.addWidget(self.preview, 1)
        self.message = QLabel(self)
        self.message.setObjectName("qr-message")
        self.message.setWordWrap(True)
        left.addWidget(self.message)
        self.points_panel = PointsPanel(self)
        root.addWidget(self.points_panel, 2)

    def set_language(self, lang: str) -> None:
        """Re-label the board in place (after ui.i18n.install_language(lang))."""
        self.lang = lang
        self.codes_box.setTitle(self.tr("来場者に見せる QR コード"))
        self.add_button.setText(self.tr("追加…"))
        self.remove_button.setText(self.tr("削除"))
        self.show_button.setText(self.tr("この QR を表示"))
        self.rotate_check.setText(self.tr("自動で切り替える"))
        self.rotate_spin.setSuffix(self.tr(" 秒ごと"))
        self.screen_label.setText(self.tr("表示先"))
        self.fullscreen_check.setText(self.tr("全画面"))
        self.bilingual_check.setText(self.tr("来場者用画面に英語も表示"))
        self.bilingual_check.setToolTip(self.tr("日本語の下に英語を添えます（英語表示のときは常に表示）"))
        self.open_button.setText(self.tr("来場者用画面を開く"))
        self.close_visitor_button.setText(self.tr("来場者用画面を閉じる"))
        self.points_panel.retranslate()
        self._fill_screens()
        self._update_visitor_language()
        if self.state is not None:
            self.apply_state(self.state)
        self._mirror("")

    def _bilingual_toggled(self, on: bool) -> None:
        self.bilingual_chosen = on
        self._update_visitor_language()

    def _update_visitor_language(self) -> None:
        """English lines for the visitors when the staff work in English (ticked and
        fixed then) or ticked the box themselves."""
        english = self.lang == "en" or self.bilingual_chosen
        self.bilingual_check.blockSignals(True)
        self.bilingual_check.setChecked(english)
        self.bilingual_check.setEnabled(self.lang != "en")
        self.bilingual_check.blockSignals(False)
        self.visitor.set_english(english)

    def _fill_screens(self) -> None:
        chosen = self.screen_box.currentData() if self.screen_box.count() else None
        self.screen_box.clear()
        primary = QGuiApplication.primaryScreen()
        for i, screen in enumerate(QGuiApplication.screens()):
            g = screen.geometry()
            mark = self.tr("（この画面）") if screen is primary else ""
            self.screen_box.addItem(f"{i + 1}: {screen.name()} {g.width()}×{g.height()}{mark}", i)
        if chosen is not None and chosen < self.screen_box.count():
            self.screen_box.setCurrentIndex(chosen)  # a language switch keeps the staff's choice
            return
        # A second monitor is the usual visitor screen: choose it, full screen.
        others = [i for i, s in enumerate(QGuiApplication.screens()) if s is not primary]
        self.screen_box.setCurrentIndex(others[0] if others else 0)
        self.fullscreen_check.setChecked(bool(others))

    # ---- state ---------------------------------------------------------------------
    def reload(self) -> None:
        if self.retired:
            return
        self.worker.submit(load_qr_board, self.opening_id, self.clock(), on_done=self.apply_state,
                           on_error=self.show_failure)

    def refresh(self) -> None:
        """Public: call after a write elsewhere (e.g. a tap on the tally board)."""
        self.reload()

    def apply_state(self, state: QrBoardState) -> None:
        if self.retired:
            return
        self.state = state
        selected = self.selected_id()
        self.source_list.clear()
        for source in state.sources:
            tag = self.tr("［ポイント］") if source.purpose == "points" else ""
            origin = self.tr("（画像から）") if source.origin == "image" else ""
            item = QListWidgetItem(f"{tag}{source.caption}{origin}\n    {source.text}")
            item.setData(Qt.ItemDataRole.UserRole, source.id)
            self.source_list.addItem(item)
            if source.id == selected:
                self.source_list.setCurrentItem(item)
        if self.source_list.currentItem() is None and self.source_list.count():
            self.source_list.setCurrentRow(0)
        self.visitor.set_codes(state.sources)
        self.visitor.set_points(state.points)
        self.points_panel.apply_state(state)
        self.state_changed.emit(state)

    def selected_id(self) -> str | None:
        item = self.source_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _mirror(self, _source_id: str) -> None:
        code = self.visitor.current()
        self.preview.set_text(code.text if code else None)
        self.preview_caption.setText(self.tr("来場者用画面：{caption}").format(caption=code.caption) if code
                                     else self.tr("来場者用画面：（QR コードなし）"))

    # ---- visitor display ---------------------------------------------------------------
    def open_visitor(self) -> None:
        screens = QGuiApplication.screens()
        index = self.screen_box.currentData()
        screen = screens[index] if index is not None and index < len(screens) else None
        self.visitor.show_on(screen, self.fullscreen_check.isChecked())
        self._rotation_changed(self.rotate_check.isChecked())

    def close_visitor(self) -> None:
        self.visitor.hide()

    def show_selected(self) -> None:
        source_id = self.selected_id()
        if source_id:
            self.rotate_check.setChecked(False)
            self.visitor.show_code(source_id)

    def _rotation_changed(self, on: bool) -> None:
        self.visitor.set_rotation(self.rotate_spin.value() if on else 0)

    # ---- codes for visitors ------------------------------------------------------------------
    def request_add_source(self) -> None:
        capped = bool(self.state and self.state.capped)
        dialog = AddSourceDialog(self.lang, capped, self)

        def submit(values: dict, fail) -> None:
            def ack(source) -> None:
                self.done(dialog, self.tr("QR コードを追加しました：{caption}").format(caption=source.caption))
            self.write(add_source, self.opening_id, now=self.clock(), **values, ack=ack, fail=fail)
        self.open_form(dialog, submit)

    def request_remove_source(self) -> None:
        source_id = self.selected_id()
        if source_id:
            self.write(remove_source, self.opening_id, source_id, now=self.clock(),
                       ack=lambda _r: self.ack(self.tr("QR コードを削除しました")))

    # ---- lifetime ----------------------------------------------------------------------------
    def retire(self) -> None:
        """The window replaces this board: stop the timer and the visitor window."""
        self.retired = True
        self.timer.stop()
        if self.active_dialog is not None:
            self.active_dialog.reject()
        self.visitor.set_rotation(0)
        self.visitor.hide()


def make_qr_board(worker: StoreWorker, opening_id: str, lang: str = "ja",
                  clock: Callable[[], datetime] = local_now, parent: QWidget | None = None) -> QrBoard:
    """The QR board for the main window (shown as a page next to the tally board)."""
    return QrBoard(worker, opening_id, lang, clock, parent)
