"""A red strip above the page for refused operations (e.g. disk full).

Non-blocking on purpose: a queue of visitors keeps moving while the message stays in
view; it goes away when dismissed or when the next write succeeds."""
from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class ErrorBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("error-banner")
        self.setProperty("role", "banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel(self)
        self.label.setObjectName("error-banner-text")
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        close = QPushButton(self.tr("閉じる"), self)
        close.setObjectName("error-banner-close")
        close.clicked.connect(self.hide)
        layout.addWidget(close)
        self.hide()

    def show_message(self, text: str) -> None:
        self.label.setText(text)
        self.show()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""
