"""The visitor-facing window: one large QR code with a Japanese caption, the
number of grants left today, and "本日の配布は終了しました" once this laptop's
allotment is used up.

It is a second top-level window, shown full screen on the monitor the staff
choose (QGuiApplication.screens()) or as a large window on the same screen.
Several codes rotate on a timer, or the staff pick one. The text is Japanese:
the visitors are residents of Miyagi (the staff panel follows the UI language).
"""
from __future__ import annotations

from PySide6.QtCore import QRect, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication, QResizeEvent, QScreen
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from app.points import PointsStatus
from app.qrcodes.sources import QrSource
from ui.qr_widget import QrView

ENDED_TEXT = "本日の配布は終了しました"
ENDED_HERE_NOTE = "この窓口の配布数に達しました。"
THANKS = "ご来場ありがとうございました。"
SCAN_HINT = "スマートフォンのカメラやアプリで読み取ってください"
POINTS_HINT = "「みやぎポイント」アプリで読み取ってください"
PREPARING = "準備中です。しばらくお待ちください。"
DEFAULT_ROTATION_S = 8


def remaining_text(n: int) -> str:
    return f"本日の残り　{max(n, 0):,} 名様"


class VisitorDisplay(QWidget):
    """Call set_codes / set_points / show_code; the window decides what to show."""

    shown_changed = Signal(str)   # id of the code now on screen ("" for none)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("visitor-display")
        self.setWindowTitle("来場者用表示 — Madoguchi")
        self.setStyleSheet(
            "QWidget#visitor-display { background: white; }"
            "QLabel { color: #102a43; background: transparent; }"
            "QLabel#visitor-remaining { color: #0b5394; font-weight: bold; }"
            "QFrame#visitor-ended-banner { background: #b71c1c; border-radius: 10px; }"
            "QFrame#visitor-ended-banner QLabel { color: white; font-weight: bold; }"
            "QLabel#visitor-ended { color: #b71c1c; font-weight: bold; }")
        self.codes: list[QrSource] = []
        self.points: PointsStatus | None = None
        self.index = 0
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.next_code)
        self._build()
        self.refresh()

    # ---- layout ----------------------------------------------------------------
    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(24, 16, 24, 16)
        root.setSpacing(8)
        self.banner = QFrame(self)
        self.banner.setObjectName("visitor-ended-banner")
        banner_layout = QVBoxLayout(self.banner)
        self.banner_label = QLabel(ENDED_TEXT, self.banner)
        self.banner_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        banner_layout.addWidget(self.banner_label)
        root.addWidget(self.banner)
        self.caption = self._label("visitor-caption", bold=True)
        root.addWidget(self.caption)
        self.stack = QStackedWidget(self)
        self.qr = QrView(self.stack)
        self.stack.addWidget(self.qr)
        ended = QWidget(self.stack)
        ended_layout = QVBoxLayout(ended)
        ended_layout.addStretch(1)
        # Short fixed texts, sized to fit the width in resizeEvent: no word wrap, so
        # the layout always knows their full height.
        self.ended_label = self._label("visitor-ended", parent=ended, bold=True, wrap=False)
        ended_layout.addWidget(self.ended_label)
        self.ended_note = self._label("visitor-ended-note", parent=ended, wrap=False)
        ended_layout.addWidget(self.ended_note)
        ended_layout.addStretch(1)
        self.ended_page = ended
        self.stack.addWidget(ended)
        self.message_page = self._label("visitor-message", wrap=False)
        self.stack.addWidget(self.message_page)
        root.addWidget(self.stack, 1)
        self.hint = self._label("visitor-hint")
        root.addWidget(self.hint)
        self.remaining = self._label("visitor-remaining", bold=True)
        root.addWidget(self.remaining)
        self.position = self._label("visitor-position")
        root.addWidget(self.position)

    def _label(self, name: str, parent: QWidget | None = None, bold: bool = False,
               wrap: bool = True) -> QLabel:
        label = QLabel(parent or self)
        label.setObjectName(name)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(wrap)
        label.setSizePolicy(QSizePolicy.Policy.Preferred,
                            QSizePolicy.Policy.Maximum if wrap else QSizePolicy.Policy.Preferred)
        if bold:
            font = label.font()
            font.setBold(True)
            label.setFont(font)
        return label

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        h, w = max(self.height(), 300), max(self.width(), 300)
        # (label, share of the height, longest line in characters for unwrapped text)
        for label, share, chars in ((self.caption, 0.05, 0), (self.banner_label, 0.045, 0),
                                    (self.hint, 0.026, 0), (self.remaining, 0.045, 0),
                                    (self.position, 0.02, 0), (self.ended_label, 0.075, len(ENDED_TEXT)),
                                    (self.ended_note, 0.035, len(ENDED_HERE_NOTE)),
                                    (self.message_page, 0.045, len(PREPARING))):
            px = int(h * share)
            if chars:  # full-width characters are about one em wide
                px = min(px, int(w * 0.9 / chars))
            font = QFont(label.font())
            font.setPixelSize(max(12, px))
            label.setFont(font)

    # ---- state -------------------------------------------------------------------
    @property
    def ended(self) -> bool:
        return self.points is not None and self.points.ended

    def _showable(self) -> list[int]:
        return [i for i, c in enumerate(self.codes) if not (c.purpose == "points" and self.ended)]

    def set_codes(self, codes: list[QrSource]) -> None:
        current = self.current_id()
        self.codes = list(codes)
        ids = [c.id for c in self.codes]
        self.index = ids.index(current) if current in ids else 0
        self.refresh()

    def set_points(self, points: PointsStatus | None) -> None:
        self.points = points
        self.refresh()

    def show_code(self, source_id: str) -> None:
        """The staff picked this code: show it (the rotation stops)."""
        ids = [c.id for c in self.codes]
        if source_id in ids:
            self.set_rotation(0)
            self.index = ids.index(source_id)
            self.refresh()

    def set_rotation(self, seconds: int) -> None:
        if seconds and len(self.codes) > 1:
            self.timer.start(int(seconds * 1000))
        else:
            self.timer.stop()

    @property
    def rotating(self) -> bool:
        return self.timer.isActive()

    def next_code(self) -> None:
        showable = self._showable()
        if showable:
            later = [i for i in showable if i > self.index]
            self.index = later[0] if later else showable[0]
        self.refresh()

    def current(self) -> QrSource | None:
        showable = self._showable()
        if not showable:
            return None
        if self.index not in showable:
            later = [i for i in showable if i > self.index]
            self.index = later[0] if later else showable[0]
        return self.codes[self.index]

    def current_id(self) -> str:
        code = self.current() if self.codes else None
        return code.id if code else ""

    def refresh(self) -> None:
        code = self.current()
        self.banner.setVisible(self.ended and code is not None)
        if code is None:
            self.qr.set_text(None)
            self.caption.setText("")
            self.hint.setText("")
            self.position.setText("")
            if self.ended:
                self.stack.setCurrentWidget(self.ended_page)
                self.ended_label.setText(ENDED_TEXT)
                self.ended_note.setText(THANKS if self.points.cap_reached else ENDED_HERE_NOTE + "\n" + THANKS)
                self.remaining.setText("")
            else:
                self.stack.setCurrentWidget(self.message_page)
                self.message_page.setText(PREPARING)
                self.remaining.setText("")
        else:
            self.stack.setCurrentWidget(self.qr)
            self.qr.set_text(code.text)
            self.caption.setText(code.caption)
            self.hint.setText(POINTS_HINT if code.purpose == "points" else SCAN_HINT)
            showable = self._showable()
            self.position.setText(f"{showable.index(self.index) + 1} / {len(showable)}"
                                  if len(showable) > 1 else "")
            if code.purpose == "points" and self.points is not None:
                self.remaining.setText(remaining_text(self.points.available))
            else:
                self.remaining.setText("")
        self.remaining.setVisible(bool(self.remaining.text()))
        # Lay the page out now (not at the next event-loop turn) so a grab right
        # after a change shows the new state whole.
        page = self.stack.currentWidget()
        if page.layout() is not None:
            page.layout().activate()
        self.layout().activate()
        self.shown_changed.emit(code.id if code else "")

    # ---- screen ----------------------------------------------------------------
    def show_on(self, screen: QScreen | None, fullscreen: bool) -> None:
        """Full screen on `screen`, or a large window on it (same screen as the staff)."""
        screen = screen or QGuiApplication.primaryScreen()
        if self.isVisible():
            self.hide()
        self.setScreen(screen)
        area: QRect = screen.availableGeometry()
        if fullscreen:
            self.setGeometry(screen.geometry())
            self.showFullScreen()
        else:
            w, h = int(area.width() * 0.55), int(area.height() * 0.85)
            self.setGeometry(area.x() + area.width() - w - 20, area.y() + 20, w, h)
            self.showNormal()
