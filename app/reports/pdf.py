"""Laid-out pages -> PDF bytes (reportlab), with the Japanese TrueType font embedded
(subset) so the report reads the same on any computer."""
from __future__ import annotations

import io

from reportlab.graphics import renderPDF
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from app.reports.document import Document
from app.reports.fonts import register_pdf_font, string_width
from app.reports.layout import Box, ChartBox, Line, Page, Text, layout
from app.reports.pdf_charts import drawing_for


def _text(c: Canvas, item: Text, font: str) -> None:
    width = string_width(item.text, item.size)
    x = {"left": item.x, "right": item.x - width, "center": item.x - width / 2}[item.align]
    c.setFillColor(colors.HexColor(item.color))
    t = c.beginText(x, item.y)
    t.setFont(font, item.size)
    if item.bold:
        # The font has no bold face: fill and stroke the glyphs (text render mode 2).
        c.setStrokeColor(colors.HexColor(item.color))
        c.setLineWidth(item.size * 0.035)
        t.setTextRenderMode(2)
    t.textOut(item.text)
    c.drawText(t)


def draw_page(c: Canvas, page: Page, font: str) -> None:
    for item in page.items:
        if isinstance(item, Box):
            c.setLineWidth(item.width)
            if item.fill:
                c.setFillColor(colors.HexColor(item.fill))
            if item.stroke:
                c.setStrokeColor(colors.HexColor(item.stroke))
            c.rect(item.x, item.y, item.w, item.h, stroke=int(bool(item.stroke)), fill=int(bool(item.fill)))
        elif isinstance(item, Line):
            c.setLineWidth(item.width)
            c.setStrokeColor(colors.HexColor(item.color))
            c.line(item.x1, item.y1, item.x2, item.y2)
        elif isinstance(item, Text):
            c.saveState()
            _text(c, item, font)
            c.restoreState()
        elif isinstance(item, ChartBox):
            renderPDF.draw(drawing_for(item.chart, item.w, item.h), c, item.x, item.y)


def render_pages(doc: Document, pages: list[Page]) -> bytes:
    font = register_pdf_font()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(pages[0].width, pages[0].height), pageCompression=1, initialFontName=font,
               invariant=1)  # same input -> same bytes (no timestamps/ids that vary)
    c.setTitle(f"{doc.title} {doc.subtitle}")
    c.setAuthor("Madoguchi")
    c.setCreator("Madoguchi")
    for page in pages:
        c.setPageSize((page.width, page.height))
        draw_page(c, page, font)
        c.showPage()
    c.save()
    return buf.getvalue()


def render_pdf(doc: Document) -> bytes:
    return render_pages(doc, layout(doc))
