"""Consent step: the J-LIS photo checkpoints, confirmed with the applicant on screen.

Every box must be ticked before printing, including that the photo may still be
rejected in J-LIS's review. The confirmation is recorded as a fact (no image).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

# (key, Japanese, English): the checkpoints of the マイナンバーカード総合サイト's photo
# guidance (申請書に貼る顔写真のチェックポイント), in the order staff go through them.
CHECKPOINTS: tuple[tuple[str, str, str], ...] = (
    ("front", "正面を向き、無帽で、顔が傾いていない", "Facing the camera, no hat, head not tilted"),
    ("size", "縦4.5cm×横3.5cm、頭頂からあごまでが3.4cm±0.2cmで中央にある",
     "45×35 mm, crown to chin 34±2 mm, centred"),
    ("background", "背景が無地で、影や物が写っていない", "Plain background, no shadows or objects"),
    ("eyes", "目を開けていて、前髪が目にかかっていない", "Eyes open, not covered by hair"),
    ("glasses", "眼鏡のフレームが目にかからず、レンズが反射していない（サングラス不可）",
     "Glasses frames clear of the eyes, no glare (no sunglasses)"),
    ("quality", "ピントが合い、明るさが適切で、加工していない", "In focus, well lit, not retouched"),
    ("recent", "本日撮影した写真である（6か月以内の撮影）", "Taken today (within 6 months)"),
    ("back", "貼る前に写真の裏面に氏名・生年月日を記入する", "Name and date of birth go on the back before pasting"),
    ("review", "写真が不適当と審査された場合、申請書が返送され再提出になることがある",
     "The photo may be rejected in review; the form then comes back for a new photo"),
)


class _ClickLabel(QLabel):
    """The checkpoint's text (wrapped, unlike a checkbox's own); a click ticks the box."""

    def __init__(self, text: str, box: QCheckBox, parent: QWidget) -> None:
        super().__init__(text, parent)
        self.box = box
        self.setWordWrap(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt naming
        self.box.toggle()


class ConsentPanel(QWidget):
    confirmed = Signal()
    declined = Signal()
    back = Signal()

    def __init__(self, lang: str = "ja", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photo-consent")
        self.lang = lang
        layout = QVBoxLayout(self)
        self.title = title = QLabel(self)
        title.setProperty("role", "header")
        title.setWordWrap(True)
        layout.addWidget(title)
        self.boxes: dict[str, QCheckBox] = {}
        self.texts: dict[str, _ClickLabel] = {}
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(8)
        for row, (key, _ja, _en) in enumerate(CHECKPOINTS):
            box = QCheckBox(self)
            box.setObjectName(f"consent-{key}")
            box.toggled.connect(self._update)
            grid.addWidget(box, row, 0, Qt.AlignmentFlag.AlignTop)
            self.texts[key] = _ClickLabel("", box, self)
            grid.addWidget(self.texts[key], row, 1)
            self.boxes[key] = box
        layout.addLayout(grid)
        self.note = note = QLabel(self)
        note.setProperty("role", "muted")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addStretch(1)
        row = QHBoxLayout()
        self.back_button = QPushButton(self)
        self.back_button.setObjectName("consent-back")
        self.back_button.clicked.connect(self.back)
        self.decline_button = QPushButton(self)
        self.decline_button.setObjectName("consent-decline")
        self.decline_button.setProperty("role", "danger")
        self.decline_button.clicked.connect(self.declined)
        self.confirm_button = QPushButton(self)
        self.confirm_button.setObjectName("consent-confirm")
        self.confirm_button.setProperty("role", "primary")
        self.confirm_button.clicked.connect(self.confirmed)
        self.confirm_button.setMinimumHeight(48)
        row.addWidget(self.back_button)
        row.addStretch(1)
        row.addWidget(self.decline_button)
        layout.addLayout(row)
        layout.addWidget(self.confirm_button)
        self.set_language(lang)
        self._update()

    def set_language(self, lang: str) -> None:
        """Reword the list and buttons; the ticks stay as they are."""
        self.lang = lang
        self.title.setText(self.tr("写真の確認（申請者と一緒に確認してください）"))
        for key, ja, en in CHECKPOINTS:
            self.texts[key].setText(en if lang == "en" else ja)
        self.note.setText(self.tr("写真データは印刷後ただちに消去され、保存されません。"))
        self.back_button.setText(self.tr("撮影に戻る"))
        self.decline_button.setText(self.tr("申請者が辞退（写真を消去）"))
        self.confirm_button.setText(self.tr("確認しました（印刷へ）"))

    def _update(self) -> None:
        self.confirm_button.setEnabled(all(b.isChecked() for b in self.boxes.values()))

    def reset(self) -> None:
        for box in self.boxes.values():
            box.setChecked(False)

    def tick_all(self) -> None:
        for box in self.boxes.values():
            box.setChecked(True)
