"""「進捗ダッシュボード（ハブ）」: asks for the hub URL and the office's admin token, so
the progress dashboard can be opened over the merged data from the booth app.

The hub URL is prefilled from this laptop's sync settings. The admin token is never
written anywhere: the booth's sync settings keep this laptop's device token only
(encrypted), and the admin token typed here lives in memory for the app's session
(ReportWindows keeps it so the next opening does not ask again), shown masked."""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout,
                               QWidget)

log = logging.getLogger("madoguchi.ui.reports")


def sync_hub_settings(data_dir: Path | None) -> tuple[str, str | None]:
    """(hub URL, CA file) from this laptop's sync settings, ("", None) without them.
    Read only when the sync state file exists: reading must not create it."""
    if data_dir is None:
        return "", None
    try:
        from sync.state import STATE_NAME, SyncState
    except ImportError:  # the booth app without the sync feature
        return "", None
    if not (Path(data_dir) / STATE_NAME).exists():
        return "", None
    try:
        settings = SyncState(Path(data_dir)).settings()
    except Exception as exc:  # an unreadable state file: the user types the URL
        log.warning("sync settings could not be read: %s", type(exc).__name__)
        return "", None
    return str(settings.get("hub_url") or ""), settings.get("ca_cert") or None


class HubDashboardDialog(QDialog):
    """Hub URL + admin token. `values()` after it was accepted."""

    def __init__(self, hub_url: str = "", token: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hub-dashboard-dialog")
        self.setWindowTitle(self.tr("進捗ダッシュボード（ハブ）"))
        self.setMinimumWidth(620)
        root = QVBoxLayout(self)
        intro = QLabel(self.tr("事務局のハブから全端末の統合データを読み込み、進捗ダッシュボードを開きます。"
                               "管理者トークンは事務局から受け取ったもの（mdga_ で始まる）を入力してください。"), self)
        intro.setWordWrap(True)
        root.addWidget(intro)
        form = QFormLayout()
        self.url_edit = QLineEdit(hub_url, self)
        self.url_edit.setObjectName("hub-url")
        self.url_edit.setPlaceholderText("https://hub.example.jp")
        form.addRow(self.tr("ハブの URL"), self.url_edit)
        self.token_edit = QLineEdit(token, self)
        self.token_edit.setObjectName("hub-admin-token")
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText("mdga_…")
        form.addRow(self.tr("管理者トークン"), self.token_edit)
        root.addLayout(form)
        note = QLabel(self.tr("管理者トークンはこのアプリを閉じるまでメモリーにだけ保持し、保存しません。"), self)
        note.setWordWrap(True)
        note.setProperty("role", "muted")
        root.addWidget(note)
        self.error = QLabel(self)
        self.error.setObjectName("hub-dialog-error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b71c1c;")
        self.error.hide()
        root.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("開く"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("キャンセル"))
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        root.addWidget(self.buttons)
        (self.token_edit if hub_url and not token else self.url_edit).setFocus()

    def values(self) -> tuple[str, str]:
        return self.url_edit.text().strip().rstrip("/"), self.token_edit.text().strip()

    def _check(self) -> None:
        url, token = self.values()
        if not url.startswith(("http://", "https://")) or len(url) <= len("https://"):
            problem = self.tr("ハブの URL を http:// または https:// から入力してください。")
        elif not token:
            problem = self.tr("管理者トークンを入力してください。")
        else:
            self.accept()
            return
        self.error.setText(problem)
        self.error.show()
