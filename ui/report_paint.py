"""Painting reports with QPainter: the laid-out pages (app.reports.layout) for the
preview, and the report charts for the preview and the office dashboard.

Why not rasterise the PDF itself: QtPdf (QPdfDocument) is in PySide6-Addons, which
the app does not ship; reportlab's renderPM needs rlPyCairo, which is not installed;
pdftoppm is not on booth laptops. The preview instead paints the very same page
layout the PDF is made from, with the same TrueType font, so it matches the PDF.
Painting goes to a QImage, which is safe off the UI thread."""
from __future__ import annotations

import math
from datetime import date

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetricsF, QImage, QPainter, QPen

from app.errors import MadoguchiError
from app.reports.charts import axis
from app.reports.document import BarChart, ProgressChart
from app.reports.fonts import find_font
from app.reports.layout import Box, ChartBox, Line, Page, Text

SERIES = ("#1e88e5", "#fb8c00", "#43a047", "#8e24aa", "#e53935")
TARGET = "#c62828"
DOTS_PER_METER_72DPI = round(72 / 0.0254)

_family: str | None = None


def report_font_family() -> str:
    """The family of the report's TrueType font, loaded into Qt once (call on the UI
    thread first; afterwards the family can be used from any thread)."""
    global _family
    if _family is None:
        try:
            fid = QFontDatabase.addApplicationFont(str(find_font()))
        except MadoguchiError:  # no Japanese TrueType font: exporting a PDF says so
            fid = -1
        families = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
        _family = families[0] if families else "IPAexGothic"
    return _family


def _font(size: float, bold: bool = False) -> QFont:
    f = QFont(report_font_family())
    f.setPointSizeF(max(1.0, size))
    f.setBold(bold)
    f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)  # widths as in the PDF
    return f


def _text(p: QPainter, x: float, y: float, text: str, size: float, *, align: str = "left",
          bold: bool = False, color: str = "#000000") -> None:
    """Draw with `y` as the baseline, `x` as the left edge, right edge or centre."""
    font = _font(size, bold)
    p.setFont(font)
    p.setPen(QColor(color))
    w = QFontMetricsF(font).horizontalAdvance(text)
    left = {"left": x, "right": x - w, "center": x - w / 2}[align]
    p.drawText(QPointF(left, y), text)


# ------------------------------------------------------------------ pages

def paint_page(p: QPainter, page: Page) -> None:
    """Paint one page in page units (points, y down), white background included."""
    h = page.height
    p.fillRect(QRectF(0, 0, page.width, page.height), QColor("white"))
    for item in page.items:
        if isinstance(item, Box):
            rect = QRectF(item.x, h - item.y - item.h, item.w, item.h)
            if item.fill:
                p.fillRect(rect, QColor(item.fill))
            if item.stroke:
                p.setPen(QPen(QColor(item.stroke), item.width))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(rect)
        elif isinstance(item, Line):
            p.setPen(QPen(QColor(item.color), item.width))
            p.drawLine(QPointF(item.x1, h - item.y1), QPointF(item.x2, h - item.y2))
        elif isinstance(item, Text):
            _text(p, item.x, h - item.y, item.text, item.size, align=item.align, bold=item.bold,
                  color=item.color)
        elif isinstance(item, ChartBox):
            paint_chart(p, QRectF(item.x, h - item.y - item.h, item.w, item.h), item.chart)


def page_image(page: Page, width_px: int) -> QImage:
    """The page as an image `width_px` wide (for the preview)."""
    scale = width_px / page.width
    img = QImage(int(width_px), int(math.ceil(page.height * scale)), QImage.Format.Format_RGB32)
    img.setDotsPerMeterX(DOTS_PER_METER_72DPI)  # 1 pt of font size = 1 unit before scaling
    img.setDotsPerMeterY(DOTS_PER_METER_72DPI)
    img.fill(QColor("white"))
    p = QPainter(img)
    try:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        p.scale(scale, scale)
        paint_page(p, page)
    finally:
        p.end()
    return img


# ------------------------------------------------------------------ charts

def _fit_size(texts: list[str], width: float, size: float, floor: float = 5.0) -> float:
    while size > floor and any(QFontMetricsF(_font(size)).horizontalAdvance(t) > width for t in texts):
        size -= 0.5
    return size


def _frame(p: QPainter, rect: QRectF, title: str, scale: float) -> QRectF:
    p.fillRect(rect, QColor("white"))
    p.setPen(QPen(QColor("#b0bec5"), 0.5))
    p.drawRect(rect)
    size = _fit_size([title], rect.width() - 12, 9.0 * scale)
    _text(p, rect.center().x(), rect.top() + size + 4, title, size, align="center", color="#17324d")
    return rect.adjusted(36 * scale, size + 12, -18 * scale, -22 * scale)


def _value_axis(p: QPainter, plot: QRectF, top: int, step: int, size: float) -> None:
    p.setPen(QPen(QColor("#90a4ae"), 0.6))
    for v in range(0, top + 1, step):
        y = plot.bottom() - plot.height() * v / top
        p.drawLine(QPointF(plot.left() - 3, y), QPointF(plot.left(), y))
        _text(p, plot.left() - 4, y + size * 0.35, f"{v:,}", size, align="right", color="#37474f")
    p.setPen(QPen(QColor("#37474f"), 0.8))
    p.drawLine(plot.bottomLeft(), plot.bottomRight())
    p.drawLine(plot.bottomLeft(), plot.topLeft())


def paint_bar_chart(p: QPainter, rect: QRectF, chart: BarChart, scale: float = 1.0) -> None:
    plot = _frame(p, rect, chart.title, scale)
    label = 7.0 * scale
    if len(chart.series) > 1:  # legend on one line under the title
        x = plot.left()
        for i, (name, _) in enumerate(chart.series):
            p.fillRect(QRectF(x, plot.top(), label, label), QColor(SERIES[i % len(SERIES)]))
            _text(p, x + label + 3, plot.top() + label * 0.9, name, label, color="#263238")
            x += label + 8 + QFontMetricsF(_font(label)).horizontalAdvance(name) + 12
        plot.setTop(plot.top() + label + 6)
    peak = max([0, *[v for _, vs in chart.series for v in vs]])
    top, step = axis(peak)
    _value_axis(p, plot, top, step, label)
    n = max(1, len(chart.categories))
    slot = plot.width() / n
    groups = max(1, len(chart.series))
    bar = slot * 0.72 / groups
    cat_size = _fit_size(chart.categories, slot - 2, label, 4.5 * scale)
    for c, name in enumerate(chart.categories):
        x0 = plot.left() + c * slot + slot * 0.14
        for s, (_, values) in enumerate(chart.series):
            v = values[c]
            h = plot.height() * v / top
            r = QRectF(x0 + s * bar, plot.bottom() - h, bar * 0.92, h)
            p.fillRect(r, QColor(SERIES[s % len(SERIES)]))
            if v:
                _text(p, r.center().x(), r.top() - 2, f"{v:,}", 6 * scale, align="center", color="#263238")
        _text(p, plot.left() + (c + 0.5) * slot, plot.bottom() + cat_size + 3, name, cat_size,
              align="center", color="#263238")


def paint_progress_chart(p: QPainter, rect: QRectF, chart: ProgressChart, scale: float = 1.0) -> None:
    plot = _frame(p, rect, chart.title, scale)
    label = 7.0 * scale
    points = chart.points
    first = points[0][0].toordinal() if points else date.today().toordinal()
    last = points[-1][0].toordinal() if points else first
    if last == first:
        first, last = first - 1, last + 1
    top, step = axis(max([chart.target, *[n for _, n in points]]))
    _value_axis(p, plot, top, step, label)

    def pos(day: int, n: int) -> QPointF:
        return QPointF(plot.left() + plot.width() * (day - first) / (last - first),
                       plot.bottom() - plot.height() * n / top)
    for i in range(6):  # date ticks
        day = first + round((last - first) * i / 5)
        d = date.fromordinal(day)
        _text(p, pos(day, 0).x(), plot.bottom() + label + 3, f"{d.month}/{d.day}", label, align="center",
              color="#37474f")
    target_y = pos(first, chart.target).y()
    pen = QPen(QColor(TARGET), 1.0 * scale, Qt.PenStyle.DashLine)
    p.setPen(pen)
    p.drawLine(QPointF(plot.left(), target_y), QPointF(plot.right(), target_y))
    _text(p, plot.left() + 4, target_y - 3, chart.target_label, label, color=TARGET)
    if points:
        p.setPen(QPen(QColor(SERIES[0]), 1.8 * scale))
        line = [pos(d.toordinal(), n) for d, n in points]
        for a, b in zip(line, line[1:]):
            p.drawLine(a, b)
        end = line[-1]
        _text(p, min(end.x(), plot.right() - 2), end.y() - 4, f"{points[-1][1]:,}", label, align="right",
              color=SERIES[0])


def paint_chart(p: QPainter, rect: QRectF, chart, scale: float = 1.0) -> None:
    p.save()
    try:
        if isinstance(chart, BarChart):
            paint_bar_chart(p, rect, chart, scale)
        else:
            paint_progress_chart(p, rect, chart, scale)
    finally:
        p.restore()
