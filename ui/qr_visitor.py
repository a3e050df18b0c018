"""The visitor-facing window: one large QR code with a Japanese caption, the
number of grants this booth (this laptop) can still give, and, once they are
used up, 「この窓口での配布は終了しました」 with a pointer to the other booths —
or 「本日の配布は終了しました」 when the venue's whole cap is reached (this laptop
held all of it: PointsStatus.cap_reached). A laptop only knows its own
allotment, so it never claims the venue has ended when only it ran out.

It is a second top-level window, shown full screen on the monitor the staff
choose (QGuiApplication.screens()) or as a large window on the same screen.
Several codes rotate on a timer, or the staff pick one.

Language: the visitors are mostly residents of Miyagi, so every text is Japanese
first. With `set_english(True)` — the staff work in English, or ticked
「来場者用画面に英語も表示」 on the QR board — a smaller English line stands
under each text. The English comes from the QR feature's translation file
(resources/i18n/qr_en.qm, context "VisitorDisplay") through a translator of its
own, so it does not depend on the staff's language. A caption the staff typed
themselves has no English (we cannot translate it); the suggested captions do.
"""
from __future__ import annotations

from PySide6.QtCore import QRect, Qt, QTimer, QTranslator, QT_TRANSLATE_NOOP, Signal
from PySide6.QtGui import QFont, QGuiApplication, QResizeEvent, QScreen
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from app.points import PointsStatus
from app.qrcodes.sources import QrSource
from ui.i18n import I18N_DIR
from ui.qr_widget import QrView

CONTEXT = "VisitorDisplay"
ENDED_TEXT = QT_TRANSLATE_NOOP("VisitorDisplay", "本日の配布は終了しました")
ENDED_HERE_TEXT = QT_TRANSLATE_NOOP("VisitorDisplay", "この窓口での配布は終了しました")
ENDED_HERE_NOTE = QT_TRANSLATE_NOOP("VisitorDisplay", "ほかの窓口へお越しください。")
ENDED_HERE_BANNER = QT_TRANSLATE_NOOP("VisitorDisplay", "この窓口での配布は終了しました。ほかの窓口へお越しください")
THANKS = QT_TRANSLATE_NOOP("VisitorDisplay", "ご来場ありがとうございました。")
SCAN_HINT = QT_TRANSLATE_NOOP("VisitorDisplay", "スマートフォンのカメラやアプリで読み取ってください")
POINTS_HINT = QT_TRANSLATE_NOOP("VisitorDisplay", "「みやぎポイント」アプリで読み取ってください")
PREPARING = QT_TRANSLATE_NOOP("VisitorDisplay", "準備中です。しばらくお待ちください。")
REMAINING = QT_TRANSLATE_NOOP("VisitorDisplay", "この窓口の残り　{n} 名様")
# The captions app/qrcodes/sources.py suggests (SUGGESTED_CAPTIONS), so that they
# get their English line too; a caption typed by the staff is shown as typed.
SUGGESTED = (
    QT_TRANSLATE_NOOP("VisitorDisplay", "みやぎポイントを受け取る（1,500ポイント）"),
    QT_TRANSLATE_NOOP("VisitorDisplay", "アプリのダウンロードはこちら"),
    QT_TRANSLATE_NOOP("VisitorDisplay", "アンケートにご協力ください"),
    QT_TRANSLATE_NOOP("VisitorDisplay", "キャンペーンサイト"),
    QT_TRANSLATE_NOOP("VisitorDisplay", "メールマガジンの登録"),
)
DEFAULT_ROTATION_S = 8

_english: QTranslator | None = None


def english(text: str) -> str:
    """The English line for a visitor text ("" when there is none)."""
    global _english
    if not text:
        return ""
    if _english is None:
        _english = QTranslator()
        _english.load(str(I18N_DIR / "qr_en.qm"))
    out = _english.translate(CONTEXT, text)
    return out if out and out != text else ""


def remaining_text(n: int) -> str:
    return REMAINING.format(n=f"{max(n, 0):,}")


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
            "QLabel#visitor-remaining-en { color: #0b5394; }"
            "QLabel#visitor-ended-en { color: #b71c1c; }"
            "QFrame#visitor-ended-banner { background: #b71c1c; border-radius: 10px; }"
            "QFrame#visitor-ended-banner QLabel { color: white; font-weight: bold; }"
            "QLabel#visitor-ended { color: #b71c1c; font-weight: bold; }")
        self.codes: list[QrSource] = []
        self.points: PointsStatus | None = None
        self.index = 0
        self.show_english = False
        self.english_lines: dict[QLabel, QLabel] = {}  # Japanese label -> its English line
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
        self.banner_label.setWordWrap(True)  # the booth's own end is a longer sentence
        banner_layout.addWidget(self.banner_label)
        banner_layout.addWidget(self._english_for(self.banner_label, "visitor-ended-banner-en", self.banner))
        root.addWidget(self.banner)
        self.caption = self._label("visitor-caption", bold=True)
        root.addWidget(self.caption)
        root.addWidget(self._english_for(self.caption, "visitor-caption-en"))
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
        ended_layout.addWidget(self._english_for(self.ended_label, "visitor-ended-en", ended, wrap=False))
        self.ended_note = self._label("visitor-ended-note", parent=ended, wrap=False)
        ended_layout.addWidget(self.ended_note)
        ended_layout.addWidget(self._english_for(self.ended_note, "visitor-ended-note-en", ended, wrap=False))
        ended_layout.addStretch(1)
        self.ended_page = ended
        self.stack.addWidget(ended)
        self.message_page = self._label("visitor-message", wrap=False)
        self.stack.addWidget(self.message_page)
        root.addWidget(self.stack, 1)
        self.hint = self._label("visitor-hint")
        root.addWidget(self.hint)
        root.addWidget(self._english_for(self.hint, "visitor-hint-en"))
        self.remaining = self._label("visitor-remaining", bold=True)
        root.addWidget(self.remaining)
        root.addWidget(self._english_for(self.remaining, "visitor-remaining-en"))
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

    def _english_for(self, label: QLabel, name: str, parent: QWidget | None = None,
                     wrap: bool = True) -> QLabel:
        """The smaller English line under a Japanese label (hidden unless wanted)."""
        line = self._label(name, parent=parent, wrap=wrap)
        line.setProperty("lang", "en")
        line.hide()
        self.english_lines[label] = line
        return line

    def _set(self, label: QLabel, ja: str, en: str | None = None) -> None:
        """Japanese text, and its English line when English is switched on."""
        label.setText(ja)
        line = self.english_lines.get(label)
        if line is not None:
            en = (english(ja) if en is None else en) if self.show_english and ja else ""
            line.setText(en)
            line.setVisible(bool(en))

    def set_english(self, on: bool) -> None:
        """English lines under the Japanese (staff language English, or the QR
        board's 「来場者用画面に英語も表示」)."""
        if on != self.show_english:
            self.show_english = on
            self.refresh()
            self._fit_fonts()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        self._fit_fonts()

    def _fit_fonts(self) -> None:
        h, w = max(self.height(), 300), max(self.width(), 300)
        # With English lines the page has more lines: the Japanese stays large, a
        # little smaller, and the English is about 60 % of it.
        k = 0.85 if self.show_english else 1.0
        # (label, share of the height, longest line in em for unwrapped text)
        sizes = [(self.caption, 0.05 * k, 0), (self.banner_label, 0.045 * k, 0),
                 (self.hint, 0.026 * k, 0), (self.remaining, 0.045 * k, 0),
                 (self.position, 0.02, 0), (self.ended_label, 0.075 * k, max(len(self.ended_label.text()), 8)),
                 (self.ended_note, 0.035 * k, max((len(t) for t in self.ended_note.text().split("\n")),
                                                   default=0) or 8),
                 (self.message_page, 0.045 * k, len(PREPARING))]
        for label, share, chars in list(sizes):
            line = self.english_lines.get(label)
            if line is not None:  # Latin letters are about half an em wide
                sizes.append((line, share * 0.6, 0.55 * max((len(t) for t in line.text().split("\n")),
                                                            default=0) if not line.wordWrap() else 0))
        for label, share, chars in sizes:
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

    @property
    def venue_ended(self) -> bool:
        """The venue's cap is reached (not only this booth's share)."""
        return self.points is not None and self.points.cap_reached

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
            self.position.setText("")
            if self.ended:
                self.stack.setCurrentWidget(self.ended_page)
                self._set(self.ended_label, ENDED_TEXT if self.venue_ended else ENDED_HERE_TEXT)
                notes = [THANKS] if self.venue_ended else [ENDED_HERE_NOTE, THANKS]
                self._set(self.ended_note, "\n".join(notes), "\n".join(english(n) for n in notes))
                self._set(self.remaining, "")
            else:
                self.stack.setCurrentWidget(self.message_page)
                # the message page is the stack's page itself: its English goes underneath in it
                en = english(PREPARING) if self.show_english else ""
                self.message_page.setText(PREPARING + ("\n" + en if en else ""))
                self._set(self.remaining, "")
            self._set(self.caption, "")
            self._set(self.hint, "")
        else:
            self.stack.setCurrentWidget(self.qr)
            self.qr.set_text(code.text)
            self._set(self.caption, code.caption)
            self._set(self.hint, POINTS_HINT if code.purpose == "points" else SCAN_HINT)
            showable = self._showable()
            self.position.setText(f"{showable.index(self.index) + 1} / {len(showable)}"
                                  if len(showable) > 1 else "")
            if code.purpose == "points" and self.points is not None:
                n = f"{max(self.points.available, 0):,}"
                en = english(REMAINING)
                self._set(self.remaining, remaining_text(self.points.available), en.format(n=n) if en else "")
            else:
                self._set(self.remaining, "")
        self._set(self.banner_label, ENDED_TEXT if self.venue_ended else ENDED_HERE_BANNER)
        self.remaining.setVisible(bool(self.remaining.text()))
        self._fit_fonts()  # an English line's length sets its size
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
