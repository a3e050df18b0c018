"""The photo station as its own top-level window, so the booth app keeps its tally
board in view while photos are taken.

Hook-in: `PhotoWindow(worker, opening_id, spec, data_dir, lang)`;
`open_photo_station(parent, worker, opening_id, profile_key, data_dir, lang)` makes and
shows one. The booth window reaches it through ui/photo_menu.py (PhotoStation).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from app.errors import MadoguchiError
from app.profiles import PhotoSpec, get_profile
from ui.photo_screen import PhotoScreen


class PhotoWindow(QWidget):
    """The screen (`screen_`) and a status line for its acknowledgements."""

    def __init__(self, worker, opening_id: str, spec: PhotoSpec, data_dir: Path, lang: str = "ja",
                 **kwargs: Any) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setObjectName("photo-window")
        self.setWindowTitle(self.tr("写真撮影 — Madoguchi"))
        layout_ = QVBoxLayout(self)
        layout_.setContentsMargins(6, 6, 6, 6)
        self.screen_ = PhotoScreen(worker, opening_id, spec, data_dir, lang, parent=self, **kwargs)
        layout_.addWidget(self.screen_)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("photo-status")
        self.status_label.setFrameShape(QFrame.Shape.NoFrame)
        layout_.addWidget(self.status_label)
        self.screen_.status.connect(self.status_label.setText)

    @property
    def opening_id(self) -> str:
        return self.screen_.opening_id

    def set_language(self, lang: str) -> None:
        """Called by the booth window after it installed the new translators."""
        self.setWindowTitle(self.tr("写真撮影 — Madoguchi"))
        self.status_label.clear()  # a passing acknowledgement, not worth rewording
        self.screen_.set_language(lang)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt naming
        # Waits (bounded) for a print in flight, wipes the photo, stops the camera.
        self.screen_.shutdown()
        event.accept()


def open_photo_station(parent: QWidget | None, worker, opening_id: str, profile_key: str, data_dir: Path,
                       lang: str = "ja") -> PhotoWindow:
    profile = get_profile(profile_key)
    if not profile.photo.enabled:
        raise MadoguchiError("PHOTO_DISABLED", profile=profile_key)
    window = PhotoWindow(worker, opening_id, profile.photo, data_dir, lang)
    window.resize(1280, 760)
    window.show()
    return window
