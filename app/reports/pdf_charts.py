"""Report charts drawn with reportlab.graphics (vector, with the embedded font)."""
from __future__ import annotations

from datetime import date

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors

from app.reports.charts import axis
from app.reports.document import BarChart, ProgressChart
from app.reports.fonts import register_pdf_font, string_width

SERIES_COLORS = ("#1e88e5", "#fb8c00", "#43a047", "#8e24aa", "#e53935")
TARGET_COLOR = "#c62828"
TITLE_SIZE = 9.0
LABEL_SIZE = 7.0


def _frame(w: float, h: float, title: str) -> Drawing:
    font = register_pdf_font()
    d = Drawing(w, h, initialFontName=font, initialFontSize=LABEL_SIZE)
    d.add(Rect(0, 0, w, h, fillColor=None, strokeColor=colors.HexColor("#b0bec5"), strokeWidth=0.5))
    size = TITLE_SIZE
    while size > 6 and string_width(title, size) > w - 12:
        size -= 0.5
    d.add(String(w / 2, h - size - 5, title, fontName=font, fontSize=size, textAnchor="middle",
                 fillColor=colors.HexColor("#17324d")))
    return d


def _fitting_label_size(names: list[str], slot: float) -> float:
    size = LABEL_SIZE
    while size > 4.5 and max((string_width(n, size) for n in names), default=0) > slot - 2:
        size -= 0.5
    return size


def bar_drawing(chart: BarChart, w: float, h: float) -> Drawing:
    font = register_pdf_font()
    d = _frame(w, h, chart.title)
    legend_h = 14 if len(chart.series) > 1 else 0
    bc = VerticalBarChart()
    bc.x, bc.y = 34, 26 + legend_h
    bc.width, bc.height = w - 46, h - 52 - legend_h
    bc.data = [tuple(values) for _, values in chart.series] or [(0,)]
    peak = max([0, *[v for _, values in chart.series for v in values]])
    bc.valueAxis.valueMin = 0
    bc.valueAxis.valueMax, bc.valueAxis.valueStep = axis(peak)
    bc.valueAxis.labels.fontName, bc.valueAxis.labels.fontSize = font, LABEL_SIZE
    bc.valueAxis.labelTextFormat = lambda v: f"{int(v):,}"
    bc.categoryAxis.categoryNames = list(chart.categories)
    slot = bc.width / max(1, len(chart.categories))
    bc.categoryAxis.labels.fontName = font
    bc.categoryAxis.labels.fontSize = _fitting_label_size(chart.categories, slot)
    bc.categoryAxis.labels.dy = -2
    bc.barLabelFormat = lambda v: f"{int(v):,}" if v else ""
    bc.barLabels.fontName, bc.barLabels.fontSize = font, 6
    bc.barLabels.nudge = 5
    bc.groupSpacing = max(2, slot * 0.18)
    for i in range(len(bc.data)):
        bc.bars[i].fillColor = colors.HexColor(SERIES_COLORS[i % len(SERIES_COLORS)])
        bc.bars[i].strokeColor = None
    d.add(bc)
    if legend_h:
        lg = Legend()
        lg.x, lg.y = 38, h - TITLE_SIZE - 14
        lg.fontName, lg.fontSize = font, LABEL_SIZE
        lg.alignment = "right"
        lg.columnMaximum = 1
        lg.dx = lg.dy = 6
        lg.deltax = max(string_width(name, LABEL_SIZE) for name, _ in chart.series) + 24
        lg.colorNamePairs = [(colors.HexColor(SERIES_COLORS[i % len(SERIES_COLORS)]), name)
                             for i, (name, _) in enumerate(chart.series)]
        d.add(lg)
    return d


def progress_drawing(chart: ProgressChart, w: float, h: float) -> Drawing:
    font = register_pdf_font()
    d = _frame(w, h, chart.title)
    lp = LinePlot()
    lp.x, lp.y = 38, 26
    lp.width, lp.height = w - 52, h - 50
    points = [(p.toordinal(), n) for p, n in chart.points]
    if points:
        first, last = points[0][0], points[-1][0]
    else:
        first = last = date.today().toordinal()
    if last == first:
        first, last = first - 1, last + 1
    target_line = [(first, chart.target), (last, chart.target)]
    lp.data = [points or [(first, 0)], target_line]
    lp.lines[0].strokeColor = colors.HexColor(SERIES_COLORS[0])
    lp.lines[0].strokeWidth = 1.6
    lp.lines[1].strokeColor = colors.HexColor(TARGET_COLOR)
    lp.lines[1].strokeWidth = 1
    lp.lines[1].strokeDashArray = (4, 3)
    lp.xValueAxis.valueMin, lp.xValueAxis.valueMax = first, last
    lp.xValueAxis.labels.fontName, lp.xValueAxis.labels.fontSize = font, LABEL_SIZE
    lp.xValueAxis.labelTextFormat = lambda v: f"{date.fromordinal(int(v)).month}/{date.fromordinal(int(v)).day}"
    span = last - first
    lp.xValueAxis.valueStep = max(1, span // 5)
    peak = max([chart.target, *[n for _, n in points]])
    lp.yValueAxis.valueMin = 0
    lp.yValueAxis.valueMax, lp.yValueAxis.valueStep = axis(peak)
    lp.yValueAxis.labels.fontName, lp.yValueAxis.labels.fontSize = font, LABEL_SIZE
    lp.yValueAxis.labelTextFormat = lambda v: f"{int(v):,}"
    d.add(lp)
    target_y = lp.y + lp.height * chart.target / lp.yValueAxis.valueMax
    d.add(String(lp.x + 4, target_y + 3, chart.target_label, fontName=font, fontSize=LABEL_SIZE,
                 fillColor=colors.HexColor(TARGET_COLOR)))
    if points:
        n = points[-1][1]
        px = lp.x + lp.width * (points[-1][0] - first) / (last - first)
        py = lp.y + lp.height * n / lp.yValueAxis.valueMax
        d.add(String(min(px, lp.x + lp.width - 4), py + 4, f"{n:,}", fontName=font, fontSize=LABEL_SIZE,
                     textAnchor="end", fillColor=colors.HexColor(SERIES_COLORS[0])))
    return d


def drawing_for(chart, w: float, h: float) -> Drawing:
    if isinstance(chart, BarChart):
        return bar_drawing(chart, w, h)
    return progress_drawing(chart, w, h)
