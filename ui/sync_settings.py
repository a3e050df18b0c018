"""Sync settings: the hub's URL, enrolling this laptop with the office's code (typed,
or the QR payload from a scanner), and a custom CA certificate for a hub with its own
certificate authority. Enrolling talks to the hub, so it runs on a background thread.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (QDialog, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QVBoxLayout, QWidget)

from app.errors import MadoguchiError
from sync import booth
from sync import secrets_util as su


class _Result(QObject):
    done = Signal(object)
    failed = Signal(object)


def run_in_background(fn: Callable[[], Any], on_done: Callable[[Any], None],
                      on_error: Callable[[BaseException], None], parent: QObject) -> threading.Thread:
    """Run `fn` on its own thread; the callbacks run on the UI thread."""
    relay = _Result(parent)
    relay.done.connect(on_done, Qt.ConnectionType.QueuedConnection)
    relay.failed.connect(on_error, Qt.ConnectionType.QueuedConnection)

    def work() -> None:
        try:
            result = fn()
        except Exception as exc:  # shown to the user as a message
            relay.failed.emit(exc)
        else:
            relay.done.emit(result)
    thread = threading.Thread(target=work, name="madoguchi-sync-settings", daemon=True)
    thread.start()
    return thread


class SyncSettingsDialog(QDialog):
    """`scan` (optional) returns a scanned QR payload or None; the QR/camera feature
    can pass its scanner here. Emits `saved` after settings changed or enrolment."""

    saved = Signal()

    def __init__(self, data_dir: Path, lang: str = "ja", parent: QWidget | None = None, *,
                 scan: Callable[[], str | None] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync-settings-dialog")
        self.setWindowTitle(self.tr("同期の設定"))
        self.setMinimumWidth(700)
        self.data_dir = Path(data_dir)
        self.lang = lang
        self.scan = scan
        self.busy = False
        status = booth.read_status(self.data_dir)

        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("記録をハブ（集約サーバー）へ送るための設定です。登録コードは事務局が発行します。"), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.url_edit = QLineEdit(status.hub_url or "", self)
        self.url_edit.setObjectName("sync-hub-url")
        self.url_edit.setPlaceholderText("https://hub.example.jp")
        form.addRow(self.tr("ハブの URL"), self.url_edit)

        code_row = QHBoxLayout()
        self.code_edit = QLineEdit(self)
        self.code_edit.setObjectName("sync-code")
        self.code_edit.setPlaceholderText("XXXX-XXXX-XXXX")
        code_row.addWidget(self.code_edit, 1)
        self.scan_button = QPushButton(self.tr("QR を読み取る"), self)
        self.scan_button.setObjectName("sync-scan")
        self.scan_button.setEnabled(scan is not None)
        self.scan_button.clicked.connect(self._scan)
        code_row.addWidget(self.scan_button)
        form.addRow(self.tr("登録コード"), code_row)

        ca_row = QHBoxLayout()
        self.ca_edit = QLineEdit(status.ca_cert or "", self)
        self.ca_edit.setObjectName("sync-ca")
        self.ca_edit.setPlaceholderText(self.tr("（通常は空欄）"))
        ca_row.addWidget(self.ca_edit, 1)
        browse = QPushButton(self.tr("参照…"), self)
        browse.setObjectName("sync-ca-browse")
        browse.clicked.connect(self._browse)
        ca_row.addWidget(browse)
        form.addRow(self.tr("CA 証明書"), ca_row)
        layout.addLayout(form)

        enrolled = (self.tr("登録済み（端末 ID {device}）").format(device=status.device_id)
                    if status.enrolled else self.tr("未登録"))
        self.enrolled_label = QLabel(enrolled, self)
        self.enrolled_label.setObjectName("sync-enrolled")
        layout.addWidget(self.enrolled_label)
        self.fingerprint_label = QLabel(self.tr("この端末の鍵の指紋：{fp}").format(fp=status.fingerprint or "—"), self)
        self.fingerprint_label.setObjectName("sync-fingerprint")
        self.fingerprint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.fingerprint_label)
        self.message = QLabel(self)
        self.message.setObjectName("sync-message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.enrol_button = QPushButton(self.tr("登録する"), self)
        self.enrol_button.setObjectName("sync-enrol")
        self.enrol_button.setProperty("role", "primary")
        self.enrol_button.clicked.connect(self.enrol)
        self.save_button = QPushButton(self.tr("保存"), self)
        self.save_button.setObjectName("sync-save")
        self.save_button.clicked.connect(self.save)
        close = QPushButton(self.tr("閉じる"), self)
        close.setObjectName("sync-close")
        close.clicked.connect(self.reject)
        for b in (self.enrol_button, self.save_button, close):
            buttons.addWidget(b)
        layout.addLayout(buttons)

    # ---- helpers ------------------------------------------------------------------------
    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b71c1c; font-weight: bold;" if error else "color: #1b5e20;")
        self.message.setText(text)

    def _error(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, MadoguchiError):
            self._say(exc.message(self.lang), error=True)
        else:
            self._say(self.tr("予期しないエラーが発生しました（{name}）。").format(name=type(exc).__name__), error=True)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for w in (self.enrol_button, self.save_button, self.url_edit, self.code_edit, self.ca_edit):
            w.setEnabled(not busy)

    def _scan(self) -> None:
        payload = self.scan() if self.scan else None
        if payload:
            self.code_edit.setText(payload)
            hub = su.hub_from_uri(payload)
            if hub and not self.url_edit.text().strip():
                self.url_edit.setText(hub)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("CA 証明書を選ぶ"), "",
                                              self.tr("証明書 (*.pem *.crt *.cer);;すべてのファイル (*)"))
        if path:
            self.ca_edit.setText(path)

    # ---- actions ------------------------------------------------------------------------
    def save(self) -> None:
        try:
            booth.save_settings(self.data_dir, hub_url=self.url_edit.text().strip() or None,
                                ca_cert=self.ca_edit.text().strip())
        except MadoguchiError as exc:
            self._error(exc)
            return
        self._say(self.tr("保存しました。"))
        self.saved.emit()

    def enrol(self) -> None:
        url = self.url_edit.text().strip() or None
        code = self.code_edit.text().strip()
        ca = self.ca_edit.text().strip() or None
        if not code:
            self._say(self.tr("登録コードを入力してください。"), error=True)
            return
        self._set_busy(True)
        self._say(self.tr("ハブに登録しています…"))
        run_in_background(lambda: booth.enrol(self.data_dir, hub_url=url, code=code, ca_cert=ca),
                          self._enrolled, self._error, self)

    def _enrolled(self, info: dict) -> None:
        self._set_busy(False)
        self.code_edit.clear()
        self.url_edit.setText(info["hub_url"])
        self.enrolled_label.setText(self.tr("登録済み（端末 ID {device}）").format(device=info["device_id"]))
        self.fingerprint_label.setText(self.tr("この端末の鍵の指紋：{fp}").format(fp=info["fingerprint"]))
        self._say(self.tr("登録しました（ハブでの端末名：{name}）。").format(name=info["device_name"]))
        self.saved.emit()
