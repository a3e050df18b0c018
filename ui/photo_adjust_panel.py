"""Second step of the photo station: adjusting the crop of the captured photo.

The readout (head height, margin above the crown, offset, resolution) against the
spec, the reason when the crop is out of spec, quality warnings of the captured frame,
and the pad: arrows nudge the frame by 0.5 mm, 拡大/縮小 change the head size by 2 %,
元に戻す resets. The panel only asks (signals); the screen moves the crop of the photo
it holds and shows the result here.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.photo import messages
from app.photo.analysis import Analysis
from app.photo.crop import Geometry
from app.profiles import PhotoSpec


class AdjustPanel(QWidget):
    nudge_requested = Signal(int, int)   # dx, dy in 0.5 mm steps
    zoom_requested = Signal(int)         # +1 bigger head, -1 smaller
    reset_requested = Signal()
    retake_requested = Signal()          # the photo is discarded
    next_requested = Signal()            # on to consent

    def __init__(self, spec: PhotoSpec, lang: str = "ja", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec, self.lang = spec, lang
        v = QVBoxLayout(self)
        self.adjust_title = QLabel(self)
        self.adjust_title.setProperty("role", "header")
        v.addWidget(self.adjust_title)
        self.geometry_label = QLabel(self)
        self.geometry_label.setObjectName("photo-geometry")
        self.geometry_label.setWordWrap(True)
        v.addWidget(self.geometry_label)
        self.spec_reason = QLabel(self)
        self.spec_reason.setObjectName("photo-spec-reason")
        self.spec_reason.setWordWrap(True)
        self.spec_reason.setStyleSheet("color:#c62828;font-weight:bold;")
        v.addWidget(self.spec_reason)
        self.quality_label = QLabel(self)
        self.quality_label.setObjectName("photo-quality")
        self.quality_label.setWordWrap(True)
        self.quality_label.setStyleSheet("color:#b45309;font-weight:bold;")
        v.addWidget(self.quality_label)
        v.addLayout(self._pad())
        self.adjust_hint = QLabel(self)
        self.adjust_hint.setProperty("role", "muted")
        self.adjust_hint.setWordWrap(True)
        v.addWidget(self.adjust_hint)
        v.addStretch(1)
        row = QHBoxLayout()
        self.retake_button = QPushButton(self)
        self.retake_button.setObjectName("photo-retake")
        self.retake_button.setProperty("role", "danger")
        self.retake_button.clicked.connect(self.retake_requested)
        self.next_button = QPushButton(self)
        self.next_button.setObjectName("photo-next")
        self.next_button.setProperty("role", "primary")
        self.next_button.clicked.connect(self.next_requested)
        row.addWidget(self.retake_button)
        row.addStretch(1)
        row.addWidget(self.next_button)
        v.addLayout(row)
        self.set_language(lang)

    def _pad(self) -> QGridLayout:
        """Arrows around 元に戻す, zoom on the right: big enough for a touch screen."""
        pad = QGridLayout()
        self.nudge_buttons: dict[str, QPushButton] = {}
        for name, text, r, c, ask in (
                ("up", "↑", 0, 1, lambda: self.nudge_requested.emit(0, -1)),
                ("left", "←", 1, 0, lambda: self.nudge_requested.emit(-1, 0)),
                ("right", "→", 1, 2, lambda: self.nudge_requested.emit(1, 0)),
                ("down", "↓", 2, 1, lambda: self.nudge_requested.emit(0, 1)),
                ("zoom-in", "", 0, 3, lambda: self.zoom_requested.emit(1)),
                ("zoom-out", "", 2, 3, lambda: self.zoom_requested.emit(-1)),
                ("reset", "", 1, 1, lambda: self.reset_requested.emit())):
            b = QPushButton(text, self)
            b.setObjectName(f"photo-{name}")
            b.setMinimumSize(64, 44)
            b.clicked.connect(ask)
            pad.addWidget(b, r, c)
            self.nudge_buttons[name] = b
        return pad

    def set_language(self, lang: str) -> None:
        """The fixed words; the readout is the screen's to show again."""
        self.lang = lang
        self.adjust_title.setText(self.tr("切り抜きの調整"))
        self.nudge_buttons["zoom-in"].setText(self.tr("拡大"))
        self.nudge_buttons["zoom-out"].setText(self.tr("縮小"))
        self.nudge_buttons["reset"].setText(self.tr("元に戻す"))
        self.adjust_hint.setText(self.tr("矢印で枠を 0.5 mm ずつ動かします。拡大・縮小は頭の大きさを 2 % ずつ変えます。"))
        self.retake_button.setText(self.tr("撮り直す（消去）"))
        self.next_button.setText(self.tr("確認へ進む"))

    def show_crop(self, g: Geometry, problems: list[str]) -> None:
        """The crop's geometry `g` against the spec, red when out of it. Out of spec
        (after a nudge or zoom) there is no way on to consent and print, and the staff
        read why and which button brings it back."""
        ok = not problems
        self.geometry_label.setText(self.tr(
            "頭頂〜あご {head:.1f} mm（規格 {spec_head:g}±{tol:g}）\n頭上の余白 {crown:.1f} mm（規格 {spec_crown:g}±{ctol:g}）\n"
            "中心からのずれ {off:+.1f} mm\n解像度 {dpi:.0f} dpi（印刷 {out} dpi）").format(
            head=g.head_mm, spec_head=self.spec.head_mm, tol=self.spec.head_tol_mm, crown=g.crown_margin_mm,
            spec_crown=self.spec.crown_margin_mm, ctol=self.spec.crown_tol_mm, off=g.offset_mm, dpi=g.dpi,
            out=g.output_dpi))
        self.geometry_label.setStyleSheet("color:%s;" % ("#1b2631" if ok else "#c62828"))
        self.spec_reason.setText("\n".join(messages.crop_advice(problems, g, self.spec, self.lang)))
        self.next_button.setEnabled(ok)

    def show_quality(self, analysis: Analysis) -> None:
        """Quality warnings of the captured frame (blur, light, background): the staff
        decide. Size and framing are the crop's business (show_crop)."""
        failed = [c for c in analysis.failed if c.key not in ("size", "framing") and c.advice]
        separator = "、" if self.lang == "ja" else "; "
        self.quality_label.setText(
            self.tr("注意：") + separator.join(messages.advice_text(c.advice, self.lang) for c in failed)
            if failed else "")

    def clear_warnings(self) -> None:
        """The photo is gone: nothing left to warn about."""
        self.quality_label.setText("")
        self.spec_reason.setText("")
