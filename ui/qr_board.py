"""The staff's QR board for one opening: the codes shown to visitors (added,
picked, rotated, sent to a second screen) and, for a campaign with a daily cap,
point grants against this laptop's allotment and the dialogs that move
allotment between laptops.

Store calls go through the StoreWorker (one thread); camera and image decoding
run on their own threads (ui/qr_scan.py). Nothing on screen changes before the
worker reports the write committed.

Hook-in (main window): `make_qr_board(worker, opening_id, lang, clock, parent)`
returns the widget; put it in a tab or a dock next to the tally board.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QGridLayout, QGroupBox, QHBoxLayout,
                               QLabel, QListWidget, QListWidgetItem, QPushButton, QSpinBox,
                               QVBoxLayout, QWidget)
from shiboken6 import isValid

from app import points as pts
from app.errors import MadoguchiError
from app.ids import uuid7
from app.points.hub_client import draw_block, hub_from_sync_settings
from app.qrcodes.sources import add_source, remove_source
from ui.qr_dialogs import AddSourceDialog, ShowCodeDialog, error_text
from ui.qr_i18n import Tr
from ui.qr_ops import QrBoardState, load_qr_board, write_and_load_qr
from ui.qr_points_dialogs import HubDrawDialog, IssueTransferDialog, ScanCodeDialog, SetupDayDialog
from ui.qr_scan import Background, camera_available, camera_config_for
from ui.qr_visitor import DEFAULT_ROTATION_S, VisitorDisplay
from ui.qr_widget import QrView
from ui.worker import StoreWorker

log = logging.getLogger("madoguchi.ui.qr")

REFRESH_MS = 5000   # picks up taps made on the tally board and codes that expired


def local_now() -> datetime:
    return datetime.now().astimezone()


class QrBoard(QWidget):
    acknowledged = Signal(str)
    failed = Signal(object)
    state_changed = Signal(object)   # QrBoardState after every load

    def __init__(self, worker: StoreWorker, opening_id: str, lang: str = "ja",
                 clock: Callable[[], datetime] = local_now, parent: QWidget | None = None,
                 camera_config: Any = "auto", hub_factory: Callable[[], Any] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("qr-board")
        self.worker, self.opening_id, self.lang, self.clock = worker, opening_id, lang, clock
        self.t = Tr(lang)
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
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.reload)
        self.timer.start(REFRESH_MS)
        self.reload()

    # ---- layout ------------------------------------------------------------------
    def _build(self) -> None:
        t = self.t
        root = QHBoxLayout(self)
        left = QVBoxLayout()
        root.addLayout(left, 3)
        codes = QGroupBox(t("来場者に見せる QR コード"), self)
        codes_layout = QVBoxLayout(codes)
        self.source_list = QListWidget(codes)
        self.source_list.setObjectName("qr-source-list")
        self.source_list.setMinimumHeight(120)
        self.source_list.itemDoubleClicked.connect(lambda _item: self.show_selected())
        codes_layout.addWidget(self.source_list)
        row = QHBoxLayout()
        self.add_button = self._button(t("追加…"), "qr-add", self.request_add_source, row)
        self.remove_button = self._button(t("削除"), "qr-remove", self.request_remove_source, row)
        self.show_button = self._button(t("この QR を表示"), "qr-show-selected", self.show_selected, row)
        row.addStretch(1)
        codes_layout.addLayout(row)
        row = QHBoxLayout()
        self.rotate_check = QCheckBox(t("自動で切り替える"), codes)
        self.rotate_check.setObjectName("qr-rotate")
        self.rotate_check.toggled.connect(self._rotation_changed)
        row.addWidget(self.rotate_check)
        self.rotate_spin = QSpinBox(codes)
        self.rotate_spin.setObjectName("qr-rotate-seconds")
        self.rotate_spin.setRange(3, 120)
        self.rotate_spin.setValue(DEFAULT_ROTATION_S)
        self.rotate_spin.setSuffix(t(" 秒ごと"))
        self.rotate_spin.valueChanged.connect(lambda _v: self._rotation_changed(self.rotate_check.isChecked()))
        row.addWidget(self.rotate_spin)
        row.addStretch(1)
        codes_layout.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(QLabel(t("表示先"), codes))
        self.screen_box = QComboBox(codes)
        self.screen_box.setObjectName("qr-screen")
        row.addWidget(self.screen_box, 1)
        self.fullscreen_check = QCheckBox(t("全画面"), codes)
        self.fullscreen_check.setObjectName("qr-fullscreen")
        row.addWidget(self.fullscreen_check)
        codes_layout.addLayout(row)
        row = QHBoxLayout()
        self.open_button = self._button(t("来場者用画面を開く"), "qr-open-visitor", self.open_visitor, row)
        self.open_button.setProperty("role", "primary")
        self.close_visitor_button = self._button(t("来場者用画面を閉じる"), "qr-close-visitor",
                                                 self.close_visitor, row)
        row.addStretch(1)
        codes_layout.addLayout(row)
        left.addWidget(codes, 1)
        self.preview_caption = QLabel(self)
        self.preview_caption.setObjectName("qr-preview-caption")
        self.preview_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        left.addWidget(self.preview_caption)
        self.preview = QrView(self)
        self.preview.setObjectName("qr-preview")
        self.preview.setMinimumSize(180, 180)
        left.addWidget(self.preview, 1)

        self.points_box = QGroupBox(t("ポイント配布"), self)
        self.points_box.setObjectName("qr-points")
        p = QVBoxLayout(self.points_box)
        self.available_label = QLabel(self.points_box)
        self.available_label.setObjectName("qr-available")
        big = QFont(self.available_label.font())
        big.setPointSize(26)
        big.setBold(True)
        self.available_label.setFont(big)
        p.addWidget(self.available_label)
        self.detail_label = QLabel(self.points_box)
        self.detail_label.setObjectName("qr-points-detail")
        self.detail_label.setWordWrap(True)
        p.addWidget(self.detail_label)
        self.laptop_label = QLabel(self.points_box)
        self.laptop_label.setObjectName("qr-laptop-code")
        p.addWidget(self.laptop_label)
        self.grant_button = QPushButton(t("ポイント付与（1名）"), self.points_box)
        self.grant_button.setObjectName("qr-grant")
        self.grant_button.setProperty("role", "primary")
        self.grant_button.setMinimumHeight(72)
        self.grant_button.clicked.connect(self.request_grant)
        p.addWidget(self.grant_button)
        grid = QGridLayout()
        actions = [
            (t("配布日の設定…（代表端末）"), "qr-setup", self.request_setup),
            (t("参加コードを読み取る…"), "qr-join", lambda: self.request_scan("join")),
            (t("配布枠を譲る…"), "qr-transfer-out", self.request_issue),
            (t("譲渡コードを受け取る…"), "qr-transfer-in", lambda: self.request_scan("transfer")),
            (t("返却コードを読み取る…"), "qr-return", lambda: self.request_scan("return")),
            (t("参加コードを表示"), "qr-show-join", self.request_show_join),
            (t("ハブから配布枠を受け取る…"), "qr-hub-draw", self.request_hub_draw),
        ]
        self.action_buttons: dict[str, QPushButton] = {}
        for i, (text, name, slot) in enumerate(actions):
            button = QPushButton(text, self.points_box)
            button.setObjectName(name)
            button.setMinimumHeight(40)
            button.clicked.connect(slot)
            grid.addWidget(button, i // 2, i % 2)
            self.action_buttons[name] = button
        p.addLayout(grid)
        p.addWidget(QLabel(t("譲渡したコード（返却分を除く。ダブルクリックで再表示）"), self.points_box))
        self.outstanding_list = QListWidget(self.points_box)
        self.outstanding_list.setObjectName("qr-outstanding")
        self.outstanding_list.itemDoubleClicked.connect(self._show_outstanding)
        p.addWidget(self.outstanding_list, 1)
        root.addWidget(self.points_box, 2)
        self.message = QLabel(self)
        self.message.setObjectName("qr-message")
        self.message.setWordWrap(True)
        left.addWidget(self.message)
        self._fill_screens()

    def _button(self, text: str, name: str, slot, row: QHBoxLayout) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setMinimumHeight(40)
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    def _fill_screens(self) -> None:
        self.screen_box.clear()
        primary = QGuiApplication.primaryScreen()
        for i, screen in enumerate(QGuiApplication.screens()):
            g = screen.geometry()
            mark = self.t("（この画面）") if screen is primary else ""
            self.screen_box.addItem(f"{i + 1}: {screen.name()} {g.width()}×{g.height()}{mark}", i)
        # A second monitor is the usual visitor screen: choose it, full screen.
        others = [i for i, s in enumerate(QGuiApplication.screens()) if s is not primary]
        self.screen_box.setCurrentIndex(others[0] if others else 0)
        self.fullscreen_check.setChecked(bool(others))

    # ---- state ---------------------------------------------------------------------
    def reload(self) -> None:
        if self.retired:
            return
        self.worker.submit(load_qr_board, self.opening_id, self.clock(), on_done=self.apply_state,
                           on_error=self._failed)

    def refresh(self) -> None:
        """Public: call after a write elsewhere (e.g. a tap on the tally board)."""
        self.reload()

    def apply_state(self, state: QrBoardState) -> None:
        if self.retired:
            return
        self.state = state
        t = self.t
        selected = self.selected_id()
        self.source_list.clear()
        for source in state.sources:
            tag = t("［ポイント］") if source.purpose == "points" else ""
            origin = t("（画像から）") if source.origin == "image" else ""
            item = QListWidgetItem(f"{tag}{source.caption}{origin}\n    {source.text}")
            item.setData(Qt.ItemDataRole.UserRole, source.id)
            self.source_list.addItem(item)
            if source.id == selected:
                self.source_list.setCurrentItem(item)
        if self.source_list.currentItem() is None and self.source_list.count():
            self.source_list.setCurrentRow(0)
        self.visitor.set_codes(state.sources)
        self.visitor.set_points(state.points)
        self._apply_points(state)
        self.state_changed.emit(state)

    def _apply_points(self, state: QrBoardState) -> None:
        t = self.t
        self.points_box.setVisible(state.capped)
        st = state.points
        joined = st is not None
        self.laptop_label.setText(t("この端末のコード：{code}", code=state.laptop))
        for name in ("qr-setup", "qr-join"):
            self.action_buttons[name].setEnabled(not joined)
        for name in ("qr-transfer-out", "qr-transfer-in", "qr-return", "qr-show-join"):
            self.action_buttons[name].setEnabled(joined)
        self.action_buttons["qr-hub-draw"].setEnabled(joined and st.hub_reserve > 0)
        self.outstanding_list.clear()
        if not joined:
            self.available_label.setText(t("配布枠が未設定です"))
            self.detail_label.setText(t("代表端末で「配布日の設定」をしてから、ほかの端末は参加コードを読み取ってください。"
                                        "本日の上限：{cap} 名", cap=f"{state.profile.daily_cap or 0:,}"))
            self.grant_button.setEnabled(False)
            return
        if st.ended:
            self.available_label.setText(t("配布終了（この端末の残り 0 名）"))
            self.available_label.setStyleSheet("color: #b71c1c;")
        else:
            self.available_label.setText(t("この端末の残り {n} 名", n=f"{st.available:,}"))
            self.available_label.setStyleSheet("color: #0b5394;")
        self.detail_label.setText(t(
            "付与済み {granted} 名 ／ この端末の配布枠 {allotment} 名 ／ 譲渡済み {transit} 名 ／ 会場の上限 {cap} 名",
            granted=f"{st.granted:,}", allotment=f"{st.allotment:,}", transit=f"{st.in_transit:,}",
            cap=f"{st.cap:,}"))
        self.grant_button.setEnabled(not st.ended)
        for o in st.outstanding:
            hhmm = datetime.fromisoformat(o.expires_at).astimezone(self.clock().tzinfo).strftime("%H:%M")
            text = t("{to} へ {n} 名（期限 {time}）", to=o.recipient, n=f"{o.count:,}", time=hhmm)
            if o.expired:
                text += t("　期限切れ：受け取り側で返却コードを表示してもらい、読み取ってください")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, o.code_id)
            self.outstanding_list.addItem(item)

    def selected_id(self) -> str | None:
        item = self.source_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _mirror(self, source_id: str) -> None:
        code = self.visitor.current()
        self.preview.set_text(code.text if code else None)
        self.preview_caption.setText(self.t("来場者用画面：{caption}", caption=code.caption) if code
                                     else self.t("来場者用画面：（QR コードなし）"))

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

    # ---- writes ----------------------------------------------------------------------------
    def _write(self, fn: Callable[..., Any], *args: Any, ack: Callable[[Any], None],
               fail: Callable[[BaseException], None] | None = None, **kwargs: Any) -> None:
        now = self.clock()

        def done(result: tuple[Any, QrBoardState]) -> None:
            if self.retired:
                return
            value, state = result
            self.apply_state(state)
            ack(value)

        def error(exc: BaseException) -> None:
            if self.retired:
                return
            (fail or self._failed)(exc)
        self.worker.submit(write_and_load_qr, self.opening_id, now, fn, *args, **kwargs,
                           on_done=done, on_error=error)

    def _ack(self, text: str) -> None:
        self.message.setStyleSheet("color: #1b5e20;")
        self.message.setText(text)
        self.acknowledged.emit(text)

    def _failed(self, exc: BaseException) -> None:
        if self.retired:
            return
        self.message.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.message.setText(error_text(exc, self.lang))
        self.failed.emit(exc)
        if getattr(exc, "code", "") in ("POINTS_CAP_REACHED", "POINTS_ALLOTMENT_EXHAUSTED"):
            self.reload()  # the visitor display changes at once

    def request_grant(self) -> None:
        def ack(result) -> None:
            _row, st = result
            self._ack(self.t("ポイントを付与しました（この端末の残り {n} 名）", n=f"{st.available:,}"))
        self._write(pts.grant, self.opening_id, now=self.clock(), ack=ack)

    def _open_dialog(self, dialog: QDialog) -> None:
        if self.active_dialog is not None:
            self.active_dialog.reject()
        self.active_dialog = dialog

        def finished(_result: int) -> None:
            if self.active_dialog is dialog:
                self.active_dialog = None
            dialog.deleteLater()
        dialog.finished.connect(finished)
        dialog.open()

    def request_add_source(self) -> None:
        capped = bool(self.state and self.state.capped)
        dialog = AddSourceDialog(self.lang, capped, self)
        fail = self._in(dialog, dialog.show_error)

        def submit(values: dict) -> None:
            def ack(source) -> None:
                self._done(dialog, self.t("QR コードを追加しました：{caption}", caption=source.caption))
            self._write(add_source, self.opening_id, now=self.clock(), **values, ack=ack, fail=fail)
        dialog.submitted.connect(submit)
        self._open_dialog(dialog)

    def request_remove_source(self) -> None:
        source_id = self.selected_id()
        if source_id:
            self._write(remove_source, self.opening_id, source_id, now=self.clock(),
                        ack=lambda _r: self._ack(self.t("QR コードを削除しました")))

    def request_setup(self) -> None:
        if self.state is None:
            return
        dialog = SetupDayDialog(self.lang, self.state.profile.daily_cap or 0, self.state.laptop, self)
        fail = self._in(dialog, dialog.show_error)

        def submit(values: dict) -> None:
            def ack(result) -> None:
                _st, join = result
                self._done(dialog, self.t("配布日を設定しました"))
                self.show_code(self.t("参加コード"), join, self.t(
                    "ほかの端末で「参加コードを読み取る」を押し、この QR コードを読み取るか、下の文字を入力してください。"))
            self._write(pts.setup_day, self.opening_id, now=self.clock(), allotments=values["allotments"],
                        hub_reserve=values["hub_reserve"], ack=ack, fail=fail)
        dialog.submitted.connect(submit)
        self._open_dialog(dialog)

    def request_scan(self, kind: str) -> None:
        if self.state is None:
            return
        dialog = ScanCodeDialog(kind, self.lang, self.state.laptop, self.camera_config, self)
        fail = self._in(dialog, dialog.show_error)

        def submit(text: str, action: str) -> None:
            now = self.clock()
            if action == "join":
                self._write(pts.join_day, self.opening_id, text, now=now, fail=fail,
                            ack=lambda st: self._done(dialog, self.t("配布日に参加しました（配布枠 {n} 名）",
                                                                     n=f"{st.allotment:,}")))
            elif action == "transfer":
                self._write(pts.receive_transfer, self.opening_id, text, now=now, fail=fail,
                            ack=lambda st: self._done(dialog, self.t("配布枠を受け取りました（この端末の残り {n} 名）",
                                                                     n=f"{st.available:,}")))
            elif action == "void":
                def voided(result) -> None:
                    ret, _st = result
                    self._done(dialog, self.t("返却コードを表示しました"))
                    self.show_code(self.t("返却コード"), ret, self.t(
                        "譲渡コードを発行した端末で「返却コードを読み取る」を押し、この QR コードを読み取ってください。"
                        "この端末はこの譲渡コードをもう受け取れません。"))
                self._write(pts.void_transfer, self.opening_id, text, now=now, fail=fail, ack=voided)
            else:
                self._write(pts.accept_return, self.opening_id, text, now=now, fail=fail,
                            ack=lambda st: self._done(dialog, self.t("配布枠が戻りました（この端末の残り {n} 名）",
                                                                     n=f"{st.available:,}")))
        dialog.submitted.connect(submit)
        self._open_dialog(dialog)

    def _done(self, dialog: QDialog, text: str) -> None:
        if isValid(dialog):
            dialog.accept()
        self._ack(text)

    def _in(self, dialog: QDialog, show: Callable[[BaseException], None]) -> Callable[[BaseException], None]:
        """Show a refusal in the dialog if it is still open, else on the board (the
        staff closed the dialog while the store or the hub was answering)."""
        def handler(exc: BaseException) -> None:
            if isValid(dialog) and dialog.isVisible():
                show(exc)
            else:
                self._failed(exc)
        return handler

    def request_issue(self) -> None:
        if self.state is None or self.state.points is None:
            return
        dialog = IssueTransferDialog(self.lang, self.state.points, self)
        fail = self._in(dialog, dialog.show_error)

        def submit(values: dict) -> None:
            def ack(result) -> None:
                code, st = result
                self._done(dialog, self.t("譲渡コードを表示しました（この端末の残り {n} 名）", n=f"{st.available:,}"))
                self._show_transfer(code, values["recipient"])
            self._write(pts.issue_transfer, self.opening_id, values["recipient"], values["count"],
                        now=self.clock(), valid_min=values["valid_min"], ack=ack, fail=fail)
        dialog.submitted.connect(submit)
        self._open_dialog(dialog)

    def _show_transfer(self, code: str, recipient: str) -> None:
        self.show_code(self.t("譲渡コード"), code, self.t(
            "端末 {to} で「譲渡コードを受け取る」を押し、この QR コードを読み取るか、下の文字を入力してください。"
            "期限までに受け取られなかったときは、受け取り側で返却コードを表示してもらい、この端末で読み取ると配布枠が戻ります。",
            to=recipient))

    def _show_outstanding(self, item: QListWidgetItem) -> None:
        code_id = item.data(Qt.ItemDataRole.UserRole)
        recipient = next((o.recipient for o in self.state.points.outstanding if o.code_id == code_id), "")
        self.worker.submit(pts.transfer_code, self.opening_id, code_id, on_error=self._failed,
                           on_done=lambda code: self._show_transfer(code, recipient))

    def request_show_join(self) -> None:
        self.worker.submit(pts.join_code, self.opening_id, on_error=self._failed, on_done=lambda code: self.show_code(
            self.t("参加コード"), code, self.t(
                "ほかの端末で「参加コードを読み取る」を押し、この QR コードを読み取るか、下の文字を入力してください。")))

    def request_hub_draw(self) -> None:
        """Online: take a block from the hub's reserve. The network call runs on its
        own thread; the allotment rises only after the hub answered (once per
        request id, so a repeated answer is not counted twice)."""
        if self.state is None or self.state.points is None:
            return
        dialog = HubDrawDialog(self.lang, self.state.points, self)
        fail = self._in(dialog, dialog.show_error)
        st, device_id = self.state.points, self.state.device_id

        def submit(count: int) -> None:
            request_id = uuid7()

            def network() -> int:
                hub = self.hub_factory()
                try:
                    return draw_block(hub, st, device_id=device_id, request_id=request_id, count=count)
                finally:
                    hub.close()

            def answered(granted: int) -> None:
                if self.retired:
                    return
                if granted <= 0:
                    fail(MadoguchiError("POINTS_HUB_RESERVE_EMPTY"))
                    return
                self._write(pts.record_hub_draw, self.opening_id, request_id, granted, now=self.clock(),
                            fail=fail, ack=lambda new: self._done(dialog, self.t(
                                "ハブから {n} 名分を受け取りました（この端末の残り {left} 名）",
                                n=f"{granted:,}", left=f"{new.available:,}")))
            Background(network, answered, fail, self)
        dialog.submitted.connect(submit)
        self._open_dialog(dialog)

    def show_code(self, title: str, code: str, explanation: str) -> ShowCodeDialog:
        dialog = ShowCodeDialog(title, code, explanation, self.lang, self)
        self._open_dialog(dialog)
        return dialog

    # ---- lifetime ----------------------------------------------------------------------------
    def retire(self) -> None:
        """The window replaces this board: stop the timer and the visitor window."""
        self.retired = True
        self.timer.stop()
        self.visitor.set_rotation(0)
        self.visitor.hide()


def make_qr_board(worker: StoreWorker, opening_id: str, lang: str = "ja",
                  clock: Callable[[], datetime] = local_now, parent: QWidget | None = None) -> QrBoard:
    """The QR board for the main window (a tab or dock next to the tally board)."""
    return QrBoard(worker, opening_id, lang, clock, parent)
