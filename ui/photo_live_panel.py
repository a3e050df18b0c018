"""First step of the photo station, beside the live preview: the checks.

Each check of the frame analysis with its state and advice, the first thing to fix in
large type (the staff read it out to the applicant), the frame rates, and the buttons
to take the photo and to open the settings. The preview with its guides belongs to
the screen: it shows the picture in every step.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.photo import messages
from app.photo.analysis import CHECK_ORDER, Analysis

ADVICE_STYLE = "font-size:16pt;font-weight:bold;padding:6px;"
NOT_CHECKED = "color:#78909c;"


class LivePanel(QWidget):
    capture_requested = Signal()
    settings_requested = Signal()

    def __init__(self, lang: str = "ja", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        v = QVBoxLayout(self)
        self.advice_label = QLabel(self)
        self.advice_label.setObjectName("photo-advice")
        self.advice_label.setWordWrap(True)
        self.advice_label.setStyleSheet(ADVICE_STYLE)
        v.addWidget(self.advice_label)
        grid = QGridLayout()
        self.check_labels: dict[str, QLabel] = {}
        self.check_names: dict[str, QLabel] = {}
        for row, key in enumerate(CHECK_ORDER):
            name = QLabel(self)
            name.setObjectName(f"check-name-{key}")
            state = QLabel("—", self)
            state.setObjectName(f"check-{key}")
            state.setWordWrap(True)
            grid.addWidget(name, row, 0)
            grid.addWidget(state, row, 1)
            self.check_names[key] = name
            self.check_labels[key] = state
        grid.setColumnStretch(1, 1)
        v.addLayout(grid)
        v.addStretch(1)
        self.fps_label = QLabel(self)
        self.fps_label.setObjectName("photo-fps")
        self.fps_label.setProperty("role", "muted")
        v.addWidget(self.fps_label)
        row = QHBoxLayout()
        self.settings_button = QPushButton(self)
        self.settings_button.setObjectName("photo-settings")
        self.settings_button.clicked.connect(self.settings_requested)
        self.capture_button = QPushButton(self)
        self.capture_button.setObjectName("photo-capture")
        self.capture_button.setProperty("role", "primary")
        self.capture_button.setMinimumHeight(56)
        self.capture_button.clicked.connect(self.capture_requested)
        row.addWidget(self.settings_button)
        row.addWidget(self.capture_button, 1)
        v.addLayout(row)
        self.set_language(lang)

    def set_language(self, lang: str) -> None:
        """The fixed words; the check states are the screen's to show again."""
        self.lang = lang
        for key, name in self.check_names.items():
            name.setText(messages.check_label(key, lang))
        self.settings_button.setText(self.tr("写真の設定…"))
        self.capture_button.setText(self.tr("撮影する"))

    def show_checks(self, result: Analysis) -> None:
        """Each check's state and advice, and the first thing to fix, in self.lang."""
        by_key = {c.key: c for c in result.checks}
        for key, label in self.check_labels.items():
            check = by_key.get(key)
            if check is None:
                label.setText("—")
                label.setStyleSheet(NOT_CHECKED)
            elif check.ok:
                label.setText("✓ OK")
                label.setStyleSheet("color:#2e7d32;font-weight:bold;")
            else:
                label.setText("✗ " + messages.advice_text(check.advice, self.lang) if check.advice else "✗")
                label.setStyleSheet("color:#c62828;font-weight:bold;")
        advice = result.advice(self.lang)
        self.advice_label.setText(advice[0] if advice else self.tr("撮影できます"))
        self.advice_label.setStyleSheet(ADVICE_STYLE + "color:%s;" % ("#c62828" if advice else "#2e7d32"))

    def show_waiting(self) -> None:
        """No camera picture: the checks were about the last one, so they are blanked."""
        for label in self.check_labels.values():
            label.setText("—")
            label.setStyleSheet(NOT_CHECKED)
        self.advice_label.setText(self.tr("カメラを待っています…"))
        self.advice_label.setStyleSheet(ADVICE_STYLE + "color:#c62828;")

    def show_rates(self, preview_fps: float, camera_fps: float | None, analysis_ms: float | None) -> None:
        """The frame-rate readout; `camera_fps` None: no camera running (blank)."""
        if camera_fps is None:
            self.fps_label.setText("")
            return
        text = self.tr("表示 {fps:.0f} fps（カメラ {cam:.0f} fps）").format(fps=preview_fps, cam=camera_fps)
        if analysis_ms is not None:
            text += self.tr("・解析 {ms:.0f} ms").format(ms=analysis_ms)
        self.fps_label.setText(text)
