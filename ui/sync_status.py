"""The sync status strip for the booth window's status bar.

At a glance: rows waiting to be sent, the last successful sync, the last error in
plain Japanese, a warning when this laptop's clock is more than 2 minutes off the
hub's, and a "今すぐ同期" button. The pushing runs on the sync worker's own thread
(sync.loop.SyncLoop) with its own read-only store connection, never on the UI
thread and never on the StoreWorker; its status arrives here through a queued signal.
"""
from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from sync.booth import SyncStatus
from sync.loop import SyncLoop

log = logging.getLogger("madoguchi.ui.sync")

ERROR_CHARS = 40  # the strip stays one line; the whole message is in the tooltip
# In the booth window's status bar the strip shares one line with the tally board's
# acknowledgements (記録しました：…); on a 1366 px laptop the error gets at most this.
# Its stable code sits next to it in a smaller label, in the room of the state label
# ("同期：未接続"), which the error replaces while it is shown.
ERROR_PX = 258


class _Bridge(QObject):
    """Carries statuses from the sync thread to the UI thread."""
    status = Signal(object)


def _local_time(iso: str | None) -> str:
    if not iso:
        return "—"
    try:
        moment = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso
    today = datetime.now().astimezone().date()
    if moment.date() == today:
        return moment.strftime("%H:%M")
    return moment.strftime("%m/%d %H:%M")


def _first_sentence(text: str) -> str:
    """The strip shows the first sentence (the tooltip has all of it)."""
    for mark in ("。", ". "):
        if mark in text:
            text = text.split(mark, 1)[0] + mark.strip()
            break
    return text if len(text) <= ERROR_CHARS else text[:ERROR_CHARS - 1] + "…"


class SyncStatusWidget(QWidget):
    """`SyncStatusWidget(data_dir, lang, parent)` starts the background worker at once;
    call `shutdown()` when the window closes (also done on application quit)."""

    settings_changed = Signal()

    def __init__(self, data_dir: Path, lang: str = "ja", parent: QWidget | None = None, *,
                 loop_factory: Callable[..., SyncLoop] = SyncLoop, autostart: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("sync-status")
        self.data_dir = Path(data_dir)
        self.lang = lang
        self.status: SyncStatus | None = None
        self.dialog = None
        # A QR scanner for the enrolment code (ui/qr_scan.enrol_scan_callable), set
        # by the window that has a camera feature; the dialog's "QR を読み取る".
        self.scan: Callable[[], str | None] | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(10)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("sync-state")
        self.pending_label = QLabel(self)
        self.pending_label.setObjectName("sync-pending")
        self.last_label = QLabel(self)
        self.last_label.setObjectName("sync-last")
        self.error_label = QLabel(self)
        self.error_label.setObjectName("sync-error")
        self.error_label.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.code_label = QLabel(self)  # the error's stable code, e.g. (SYNC_HUB_UNREACHABLE)
        self.code_label.setObjectName("sync-error-code")
        self.code_label.setStyleSheet("color: #b71c1c;")
        small = QFont(self.code_label.font())
        small.setPointSizeF(small.pointSizeF() * 0.85)
        self.code_label.setFont(small)
        self.skew_label = QLabel(self)
        self.skew_label.setObjectName("sync-skew")
        self.skew_label.setStyleSheet("color: #8a4b00; background: #fff3e0; padding: 1px 4px;")
        self.now_button = QPushButton(self)
        self.now_button.setObjectName("sync-now")
        self.now_button.clicked.connect(self.sync_now)
        self.settings_button = QPushButton(self)
        self.settings_button.setObjectName("sync-settings")
        self.settings_button.clicked.connect(self.open_settings)
        for w in (self.state_label, self.pending_label, self.last_label, self.error_label, self.code_label,
                  self.skew_label):
            layout.addWidget(w)
        layout.addWidget(self.now_button)
        layout.addWidget(self.settings_button)
        self.error_label.hide()
        self.code_label.hide()
        self.skew_label.hide()

        self._bridge = _Bridge(self)
        self._bridge.status.connect(self.apply_status, Qt.ConnectionType.QueuedConnection)
        self.loop = loop_factory(self.data_dir, self._bridge.status.emit)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        self.set_language(lang)
        if autostart:
            self.loop.start()

    def set_language(self, lang: str) -> None:
        """Call after ui.i18n.install_language(lang) when the window switches language."""
        self.lang = lang
        self.now_button.setText(self.tr("今すぐ同期"))
        self.settings_button.setText(self.tr("同期の設定…"))
        self.apply_status(self.status)

    # ---- actions ----------------------------------------------------------------------
    def sync_now(self) -> None:
        self.state_label.setText(self.tr("同期中…"))
        self.loop.sync_now()

    def open_settings(self) -> None:
        from ui.sync_settings import SyncSettingsDialog
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return
        self.dialog = SyncSettingsDialog(self.data_dir, self.lang, self.window(), scan=self.scan)
        self.dialog.saved.connect(self._after_settings)
        self.dialog.open()

    def _after_settings(self) -> None:
        self.settings_changed.emit()
        self.sync_now()

    def shutdown(self) -> None:
        """Stop the worker (waits at most for the request in flight)."""
        self.loop.stop()

    # ---- showing the state ----------------------------------------------------------------
    def apply_status(self, status: SyncStatus | None) -> None:
        self.status = status
        if status is None:
            self.state_label.setText(self.tr("同期：確認中…"))
            self.pending_label.setText("")
            self.last_label.setText("")
            return
        if not status.configured:
            state = self.tr("同期：ハブ未設定")
        elif not status.enrolled:
            state = self.tr("同期：端末未登録")
        elif status.busy:
            state = self.tr("同期中…")
        elif status.last_error:
            state = self.tr("同期：未接続")
        elif status.pending:
            state = self.tr("同期：送信待ち")
        else:
            state = self.tr("同期：済")
        self.state_label.setText(state)
        self.pending_label.setText(self.tr("未送信 {n} 件").format(n=f"{status.pending:,}"))
        self.last_label.setText(self.tr("最終同期 {time}").format(time=_local_time(status.last_success_at)))
        error = status.error_message(self.lang)
        code = (status.last_error or {}).get("code") if error else None
        if status.conflicts and not error:
            error = self.tr("ハブが受け付けなかった記録 {n} 件（事務局に連絡）").format(n=status.conflicts)
            code = "SYNC_ROWS_CONFLICT"
        if error:
            self._show_error(error, code or "?")
        else:
            self.error_label.hide()
            self.code_label.hide()
        # The error says what the state label would ("未接続"), and more; while pushing
        # again the state says so.
        self.state_label.setVisible(not error or status.busy)
        if status.skew_warning:
            minutes = round(abs(status.clock_skew_seconds) / 60)
            ahead = status.clock_skew_seconds < 0
            self.skew_label.setText((self.tr("時計が {m} 分進んでいます") if ahead
                                     else self.tr("時計が {m} 分遅れています")).format(m=minutes))
            self.skew_label.setToolTip((
                self.tr("この端末の時計がハブより {m} 分進んでいます。時刻を確認してください。") if ahead else
                self.tr("この端末の時計がハブより {m} 分遅れています。時刻を確認してください。")).format(m=minutes))
            self.skew_label.show()
        else:
            self.skew_label.hide()
        self.now_button.setEnabled(status.configured and status.enrolled and not status.busy)

    def _show_error(self, error: str, code: str) -> None:
        """「同期エラー：<first sentence>」 cut to fit, then the stable code, always
        whole (what the office asks for on the phone); the tooltip has it all."""
        bold = QFont(self.error_label.font())
        bold.setBold(True)  # as the style sheet draws it
        template = self.tr("同期エラー：{message}")
        self.error_label.setText(QFontMetrics(bold).elidedText(
            template.format(message=_first_sentence(error)), Qt.TextElideMode.ElideRight, ERROR_PX))
        tip = self.tr("{message}（エラーコード：{code}）").format(message=error, code=code)
        self.error_label.setToolTip(tip)
        self.code_label.setText(f"({code})")
        self.code_label.setToolTip(tip)
        self.error_label.show()
        self.code_label.show()

    def error_text(self) -> str:
        """What the strip shows of the error, as one line (message, then code)."""
        if not self.error_label.isVisible():
            return ""
        return f"{self.error_label.text()} {self.code_label.text()}"


def make_sync_status_widget(parent: QWidget, data_dir: Path, lang: str = "ja") -> SyncStatusWidget:
    """What main_window adds to its status bar (see docs/sync.md, "Hooking into the window")."""
    return SyncStatusWidget(data_dir, lang, parent)
