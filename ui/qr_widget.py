"""A QR code drawn crisp at any widget size: the largest whole number of device
pixels per module that fits, quiet zone included, nearest-neighbour scaling.
Never a resampled bitmap, so what the phone sees has sharp module edges."""
from __future__ import annotations

import functools

from PySide6.QtCore import QRect, QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.qrcodes.render import DEFAULT_LEVEL, QrMatrix, make_matrix, to_gray


@functools.lru_cache(maxsize=32)
def cached_code(text: str, level: str) -> tuple[QrMatrix, QImage]:
    """Encoding a large code takes tens of ms (the qrcode package is pure Python):
    codes rotating on the visitor display are encoded once."""
    matrix = make_matrix(text, level)
    return matrix, matrix_image(matrix)


def matrix_image(matrix: QrMatrix) -> QImage:
    """One pixel per module (quiet zone included), 8-bit grey."""
    gray = to_gray(matrix, 1)
    h, w = gray.shape
    image = QImage(gray.tobytes(), w, h, w, QImage.Format.Format_Grayscale8)
    return image.copy()  # own the pixels: the numpy buffer goes away


class QrView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("qr-view")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(QSize(120, 120))
        self._matrix: QrMatrix | None = None
        self._image: QImage | None = None

    def set_text(self, text: str | None, level: str = DEFAULT_LEVEL) -> None:
        if text is None:
            self._matrix = self._image = None
        elif self._matrix is None or self._matrix.text != text or self._matrix.level != level:
            self._matrix, self._image = cached_code(text, level)
        self.update()

    def text(self) -> str | None:
        return self._matrix.text if self._matrix else None

    def matrix(self) -> QrMatrix | None:
        return self._matrix

    def _geometry(self) -> tuple[float, float, float]:
        """(x, y, side) in logical pixels, all on whole device pixels, side a whole
        number of device pixels per module."""
        dpr = self.devicePixelRatioF() or 1.0
        n = self._matrix.size_with_quiet_zone
        w, h = int(self.width() * dpr), int(self.height() * dpr)
        side = max(min(w, h) // n, 1) * n
        return ((w - side) // 2) / dpr, ((h - side) // 2) / dpr, side / dpr

    def module_px(self) -> float:
        """Size of one module in logical pixels (a whole number of device pixels)."""
        if self._matrix is None:
            return 0.0
        return self._geometry()[2] / self._matrix.size_with_quiet_zone

    def code_rect(self) -> QRect:
        """Where the code (with its quiet zone) is drawn, in widget coordinates."""
        if self._matrix is None:
            return QRect()
        return QRectF(*self._geometry()[:2], self._geometry()[2], self._geometry()[2]).toAlignedRect()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt naming
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        if self._image is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            x, y, side = self._geometry()
            painter.drawImage(QRectF(x, y, side, side), self._image)
        painter.end()
