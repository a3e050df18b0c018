"""A print sheet as a PDF, built in memory (reportlab; no Qt in app/).

Used by the CLI and the PDF printer backend. The photo is embedded once (JPEG,
quality 95, no chroma subsampling) and placed in every slot at exactly 35×45 mm, so
any viewer or printer at "actual size" reproduces it true to size. Nothing is written
to disk here: the caller decides where the bytes go, and wipes them afterwards.
"""
from __future__ import annotations

import io
import logging
from pathlib import Path

import cv2
import numpy as np

from app.photo.sheets import CAPTION_MM, Layout, caption_text
from app.profiles import PhotoSpec

log = logging.getLogger("madoguchi.photo.pdf")

FONT_NAME = "IPAexGothic"
FONT_FILES = (
    Path(__file__).resolve().parents[2] / "resources" / "fonts" / "ipaexg.ttf",
    Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
    Path("/usr/share/fonts/truetype/fonts-japanese-gothic.ttf"),
    Path("C:/Windows/Fonts/ipaexg.ttf"),
)
JPEG_QUALITY = 95
MARK_WIDTH_MM = 0.1


def _font() -> str | None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return FONT_NAME
    for path in FONT_FILES:
        if path.exists():
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(path)))
            return FONT_NAME
    log.warning("no Japanese TrueType font found; the sheet caption is left out")
    return None


def encode_jpeg(photo_bgr: np.ndarray) -> np.ndarray:
    """JPEG bytes in a numpy buffer (so they can be wiped, unlike a bytes object)."""
    ok, buf = cv2.imencode(".jpg", photo_bgr, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY,
                                               cv2.IMWRITE_JPEG_SAMPLING_FACTOR, cv2.IMWRITE_JPEG_SAMPLING_FACTOR_444])
    if not ok:  # pragma: no cover - OpenCV always encodes a valid uint8 image
        raise RuntimeError("JPEG encoding failed")
    return buf


def sheet_pdf(layout: Layout, photo_bgr: np.ndarray, spec: PhotoSpec, *, lang: str = "ja") -> bytearray:
    """The whole sheet as PDF bytes (a bytearray the caller wipes after use)."""
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    page_w, page_h = layout.page_mm
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(page_w * mm, page_h * mm), pageCompression=1)
    c.setTitle("Madoguchi photo sheet")
    c.setAuthor("Madoguchi")
    c.setCreator("Madoguchi")
    jpeg = encode_jpeg(photo_bgr)
    try:
        reader = ImageReader(io.BytesIO(jpeg.data))
        for slot in layout.slots:
            c.drawImage(reader, slot.x * mm, (page_h - slot.y - slot.h) * mm, slot.w * mm, slot.h * mm)
    finally:
        jpeg.fill(0)
    c.setLineWidth(MARK_WIDTH_MM * mm)
    c.setStrokeColorRGB(0.15, 0.15, 0.15)
    for x0, y0, x1, y1 in layout.marks:
        c.line(x0 * mm, (page_h - y0) * mm, x1 * mm, (page_h - y1) * mm)
    if layout.caption is not None:
        font = _font()
        if font is not None:
            from reportlab.pdfbase.pdfmetrics import stringWidth

            x, y, width = layout.caption
            text = caption_text(spec, lang)
            size = CAPTION_MM / 25.4 * 72
            size = min(size, size * width * mm / stringWidth(text, font, size))  # shrink to fit
            c.setFillColorRGB(0.2, 0.2, 0.2)
            c.setFont(font, size)
            c.drawString(x * mm, (page_h - y) * mm, text)
    c.showPage()
    c.save()
    with out.getbuffer() as view:
        data = bytearray(view)
        view[:] = bytes(len(view))  # the BytesIO's own copy
    out.close()
    return data
