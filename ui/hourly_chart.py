"""Hourly bars of the day for one counter, drawn with QPainter (QtCharts is not part
of PySide6-Essentials). The numbers come from app.tallies.hourly, undos included in
the hour they happened, so the bars add up to the totals."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.profiles import Profile

DAY_START, DAY_END = 9, 17  # always shown, so an empty morning still reads as a day


class HourlyBars(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values: dict[int, int] = {}
        self.empty_text = ""
        self.setMinimumHeight(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_values(self, values: dict[int, int]) -> None:
        self.values = dict(values)
        self.update()

    def hours(self) -> range:
        used = [h for h, n in self.values.items() if n]
        first = min([DAY_START, *used])
        last = max([DAY_END, *used])
        return range(first, last + 1)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt naming
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = p.fontMetrics()
        text_h = metrics.height()
        hours = list(self.hours())
        area = QRectF(self.rect()).adjusted(4, text_h + 2, -4, -(text_h + 4))
        peak = max([1, *self.values.values()])
        slot = area.width() / len(hours)
        bar_w = max(4.0, slot * 0.68)
        p.setPen(QPen(QColor("#90a4ae"), 1))
        p.drawLine(area.bottomLeft(), area.bottomRight())
        if not any(n > 0 for n in self.values.values()):
            p.setPen(QColor("#78909c"))
            p.drawText(area, Qt.AlignmentFlag.AlignCenter, self.empty_text)
        for i, hour in enumerate(hours):
            n = self.values.get(hour, 0)
            x = area.left() + i * slot + (slot - bar_w) / 2
            h = area.height() * max(n, 0) / peak
            if n > 0:
                p.fillRect(QRectF(x, area.bottom() - h, bar_w, h), QColor("#1e88e5"))
                p.setPen(QColor("#0d3c61"))
                p.drawText(QRectF(x - 6, area.bottom() - h - text_h - 1, bar_w + 12, text_h),
                           Qt.AlignmentFlag.AlignCenter, str(n))
            p.setPen(QColor("#455a64"))
            p.drawText(QRectF(area.left() + i * slot, area.bottom() + 2, slot, text_h),
                       Qt.AlignmentFlag.AlignCenter, str(hour))
        p.end()


class HourlyChart(QWidget):
    def __init__(self, profile: Profile, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self._hourly: dict[int, dict[str, int]] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        title = QLabel(self.tr("時間帯別"), self)
        title.setProperty("role", "section")
        top.addWidget(title)
        self.counter_box = QComboBox(self)
        self.counter_box.setObjectName("chart-counter")
        self.counter_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.counter_box.setMinimumContentsLength(12)
        for c in profile.counters:
            self.counter_box.addItem(c.label(lang), c.key)
        if profile.card is not None:
            self.counter_box.setCurrentIndex(self.counter_box.findData(profile.card.counters[0]))
        self.counter_box.currentIndexChanged.connect(self._refresh)
        top.addWidget(self.counter_box, 1)
        layout.addLayout(top)
        self.bars = HourlyBars(self)
        self.bars.setObjectName("hourly-bars")
        self.bars.empty_text = self.tr("まだ記録がありません")
        layout.addWidget(self.bars, 1)

    def set_hourly(self, hourly: dict[int, dict[str, int]]) -> None:
        self._hourly = hourly
        self._refresh()

    def _refresh(self) -> None:
        key = self.counter_box.currentData()
        self.bars.set_values({h: by.get(key, 0) for h, by in self._hourly.items()})
