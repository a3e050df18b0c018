"""The camera picture with the photo guides over it, drawn with QPainter.

Guides (in the crop's own millimetres, so they show exactly what will be printed):
the 45×35 frame, the crown line (crown_margin_mm below the frame's top), the chin band
(where the chin must fall for a head of head_mm ± head_tol_mm) and the centre line.
Green when every check passes, orange otherwise; a grey dashed frame while no face
is found.
"""
from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.photo.crop import Crop, largest_crop
from app.profiles import PhotoSpec

OK_COLOUR = QColor(46, 160, 67)
WARN_COLOUR = QColor(245, 124, 0)
IDLE_COLOUR = QColor(255, 255, 255, 200)
SMOOTHING = 0.45   # weight of a new crop against the shown one (guides don't jitter)


class PreviewWidget(QWidget):
    def __init__(self, spec: PhotoSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photo-preview")
        self.spec = spec
        self.frame: np.ndarray | None = None
        self.crop: Crop | None = None
        self.ok = False
        self.message = ""          # shown over the picture (camera lost, captured …)
        self.mirror = False
        self.painted = 0           # camera frames painted (for the frame-rate readout / bench)
        self._fresh = False
        self._times: list[float] = []
        self.setMinimumSize(480, 300)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    # ---- state -----------------------------------------------------------------
    def show_frame(self, frame: np.ndarray | None) -> None:
        self.frame = frame
        self._fresh = frame is not None
        self.update()

    def set_guides(self, crop: Crop | None, ok: bool, *, smooth: bool = True) -> None:
        if crop is not None and self.crop is not None and smooth:
            a = SMOOTHING
            crop = Crop(*(a * n + (1 - a) * o for n, o in zip((crop.x, crop.y, crop.w, crop.h),
                                                               (self.crop.x, self.crop.y, self.crop.w, self.crop.h))))
        self.crop = crop
        self.ok = ok
        self.update()

    def set_message(self, text: str) -> None:
        self.message = text
        self.update()

    def fps(self) -> float:
        """Frames painted per second over the last two seconds."""
        now = time.monotonic()
        recent = [t for t in self._times if now - t <= 2.0]
        if len(recent) < 2:
            return 0.0
        return (len(recent) - 1) / (recent[-1] - recent[0]) if recent[-1] > recent[0] else 0.0

    # ---- painting -----------------------------------------------------------------
    def _target(self, w: int, h: int) -> QRectF:
        scale = min(self.width() / w, self.height() / h)
        tw, th = w * scale, h * scale
        return QRectF((self.width() - tw) / 2, (self.height() - th) / 2, tw, th)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt naming
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(32, 36, 40))
        frame = self.frame
        if frame is not None:
            h, w = frame.shape[:2]
            target = self._target(w, h)
            image = QImage(frame.data, w, h, frame.strides[0], QImage.Format.Format_BGR888)
            if self.mirror:
                painter.save()
                painter.translate(target.x() + target.width(), target.y())
                painter.scale(-1, 1)
                painter.drawImage(QRectF(0, 0, target.width(), target.height()), image)
                painter.restore()
            else:
                painter.drawImage(target, image)
            self._draw_guides(painter, target, w, h)
            if self._fresh:  # a new camera frame, not a repaint for the guides
                self._fresh = False
                self.painted += 1
                self._times.append(time.monotonic())
                if len(self._times) > 120:
                    del self._times[:60]
        if self.message:
            self._draw_message(painter)
        painter.end()

    def _draw_guides(self, painter: QPainter, target: QRectF, w: int, h: int) -> None:
        s = target.width() / w
        crop = self.crop or largest_crop(w, h, self.spec)
        colour = IDLE_COLOUR if self.crop is None else (OK_COLOUR if self.ok else WARN_COLOUR)
        x = target.x() + (w - crop.x - crop.w if self.mirror else crop.x) * s
        rect = QRectF(x, target.y() + crop.y * s, crop.w * s, crop.h * s)
        mm = rect.height() / self.spec.height_mm
        pen = QPen(colour, 3)
        if self.crop is None:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawRect(rect)
        # chin band: crown line + head ± tolerance
        top = rect.top() + (self.spec.crown_margin_mm + self.spec.head_mm - self.spec.head_tol_mm) * mm
        band = QRectF(rect.left(), top, rect.width(), 2 * self.spec.head_tol_mm * mm)
        fill = QColor(colour)
        fill.setAlpha(60)
        painter.fillRect(band, fill)
        thin = QPen(colour, 2)
        painter.setPen(thin)
        crown_y = rect.top() + self.spec.crown_margin_mm * mm
        painter.drawLine(QPointF(rect.left(), crown_y), QPointF(rect.right(), crown_y))
        painter.drawLine(QPointF(band.left(), band.top()), QPointF(band.right(), band.top()))
        painter.drawLine(QPointF(band.left(), band.bottom()), QPointF(band.right(), band.bottom()))
        centre = QPen(colour, 1, Qt.PenStyle.DashDotLine)
        painter.setPen(centre)
        painter.drawLine(QPointF(rect.center().x(), rect.top()), QPointF(rect.center().x(), rect.bottom()))
        label = QFont(self.font())
        label.setPointSize(9)
        painter.setFont(label)
        painter.setPen(colour)
        painter.drawText(QPointF(rect.right() + 6, crown_y + 4), self.tr("頭頂"))
        painter.drawText(QPointF(rect.right() + 6, band.center().y() + 4), self.tr("あご"))
        painter.drawText(QPointF(rect.left(), rect.top() - 6),
                         f"{self.spec.height_mm:g}×{self.spec.width_mm:g} mm")

    def _draw_message(self, painter: QPainter) -> None:
        font = QFont(self.font())
        font.setPointSize(15)
        font.setBold(True)
        painter.setFont(font)
        box = QRectF(20, self.height() / 2 - 50, self.width() - 40, 100)
        painter.fillRect(box, QColor(0, 0, 0, 170))
        painter.setPen(QColor(255, 255, 255))
        painter.drawText(box.adjusted(12, 6, -12, -6), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                         self.message)
