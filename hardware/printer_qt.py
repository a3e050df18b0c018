"""System printers through Qt's print support.

The sheet is painted with QPainter at true size (photos in millimetres of paper):
- on Windows onto a QPrinter, which hands the pages to the Windows spooler directly;
- where CUPS is the print system, onto a QPdfWriter over a QBuffer (memory), and the
  PDF bytes go to CUPS through libcups (hardware/cups.py) — Qt's own CUPS engine
  would write the job to a temporary file first. After the job has completed the app
  purges it from the spooler (CUPS keeps job files for a day by default).
Printers and their paper sizes are listed with QPrinterInfo.
"""
from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

import cv2
import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLineF, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

from app.errors import MadoguchiError
from app.photo.sheets import CAPTION_MM, Layout, caption_text
from app.photo.wipe import wipe
from app.profiles import PhotoSpec
from hardware import cups
from hardware.printer import PWG_MEDIA, PrintOutcome, Printer, register_printer

log = logging.getLogger("madoguchi.hardware.printer")

PDF_DPI = 600
JOB_TITLE = "madoguchi-photo"   # what the spooler shows: never a name


def page_size(layout: Layout) -> QPageSize:
    w, h = layout.page_mm
    return QPageSize(QSizeF(w, h), QPageSize.Unit.Millimeter, f"{w:g}x{h:g}mm",
                     QPageSize.SizeMatchPolicy.ExactMatch)


def photo_qimage(photo_bgr: np.ndarray) -> tuple[QImage, np.ndarray]:
    """A QImage over an RGB copy (returned too, so the caller can wipe it)."""
    rgb = cv2.cvtColor(photo_bgr, cv2.COLOR_BGR2RGB)
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, rgb.strides[0], QImage.Format.Format_RGB888), rgb


def paint_sheet(painter: QPainter, layout: Layout, image: QImage, spec: PhotoSpec, *,
                dots_per_mm: float, lang: str = "ja", font_family: str = "IPAexGothic") -> None:
    """Photos, cut marks and caption; (0, 0) is the paper's top-left corner."""
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    for s in layout.slots:
        painter.drawImage(QRectF(s.x * dots_per_mm, s.y * dots_per_mm, s.w * dots_per_mm, s.h * dots_per_mm), image)
    pen = QPen(QColor(38, 38, 38))
    pen.setWidthF(0.1 * dots_per_mm)
    painter.setPen(pen)
    for x0, y0, x1, y1 in layout.marks:
        painter.drawLine(QLineF(x0 * dots_per_mm, y0 * dots_per_mm, x1 * dots_per_mm, y1 * dots_per_mm))
    if layout.caption is not None:
        x, y, width = layout.caption
        text = caption_text(spec, lang)
        font = QFont(font_family)
        font.setPixelSize(max(1, round(CAPTION_MM * dots_per_mm * 0.8)))
        metrics = QFontMetricsF(font, painter.device())
        advance = metrics.horizontalAdvance(text)
        if advance > width * dots_per_mm:  # shrink to the width of the photo grid
            font.setPixelSize(max(1, int(font.pixelSize() * width * dots_per_mm / advance)))
        painter.setFont(font)
        painter.setPen(QColor(50, 50, 50))
        painter.drawText(QRectF(x * dots_per_mm, (y - CAPTION_MM) * dots_per_mm, width * dots_per_mm,
                                CAPTION_MM * 1.4 * dots_per_mm), text)


def render_pdf(layout: Layout, photo_bgr: np.ndarray, spec: PhotoSpec, *, lang: str = "ja",
               dpi: int = PDF_DPI) -> bytearray:
    """The sheet as PDF bytes, painted by Qt into memory (no file)."""
    store = QByteArray()
    buffer = QBuffer(store)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image, rgb = photo_qimage(photo_bgr)
    try:
        writer = QPdfWriter(buffer)
        writer.setTitle("Madoguchi photo sheet")
        writer.setCreator("Madoguchi")
        writer.setResolution(dpi)
        writer.setPageLayout(QPageLayout(page_size(layout), QPageLayout.Orientation.Portrait,
                                         QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))
        painter = QPainter(writer)
        try:
            paint_sheet(painter, layout, image, spec, dots_per_mm=dpi / 25.4, lang=lang)
        finally:
            painter.end()
        del writer
        buffer.close()
        data = bytearray(store.data())
    finally:
        wipe(rgb)
        store.fill(0)
    return data


@dataclass(frozen=True)
class PrinterInfo:
    name: str
    is_default: bool
    description: str


def list_printers() -> list[PrinterInfo]:
    from PySide6.QtPrintSupport import QPrinterInfo

    default = QPrinterInfo.defaultPrinterName()
    return [PrinterInfo(p.printerName(), p.printerName() == default, p.description() or p.printerName())
            for p in QPrinterInfo.availablePrinters()]


def uses_cups() -> bool:
    return sys.platform != "win32" and cups.available()


@register_printer("system")
class QtSystemPrinter(Printer):
    def _queue(self) -> str:
        from PySide6.QtPrintSupport import QPrinterInfo

        name = self.config.name or QPrinterInfo.defaultPrinterName()
        if not name or QPrinterInfo.printerInfo(name).isNull():
            raise MadoguchiError("PRINTER_NOT_FOUND", name=self.config.name or "(既定のプリンター)")
        return name

    @property
    def name(self) -> str:
        return self.config.name or "default"

    def print_sheet(self, layout: Layout, photo_bgr: np.ndarray, spec: PhotoSpec, *,
                    lang: str = "ja", timeout: float = 120.0) -> PrintOutcome:
        queue = self._queue()
        if uses_cups():
            return self._print_cups(queue, layout, photo_bgr, spec, lang, timeout)
        return self._print_native(queue, layout, photo_bgr, spec, lang)

    # ---- CUPS: from memory, wait, purge ----------------------------------------
    def _print_cups(self, queue: str, layout: Layout, photo_bgr: np.ndarray, spec: PhotoSpec,
                    lang: str, timeout: float) -> PrintOutcome:
        data = render_pdf(layout, photo_bgr, spec, lang=lang)
        options = {"media": PWG_MEDIA.get(layout.sheet.key, "")} if layout.sheet.key in PWG_MEDIA else {}
        options.update({"print-scaling": "none", "fit-to-page": "false", "copies": "1"})
        try:
            job = cups.submit(queue, data, title=JOB_TITLE, options=options)
        except cups.CupsError as exc:
            raise MadoguchiError("PRINT_FAILED", reason=str(exc)) from exc
        finally:
            wipe(data)
        try:
            status = cups.wait(job, timeout)
        except cups.CupsError as exc:
            status = None
            log.warning("job %d status unknown: %s", job, exc)
        purge_error = None
        try:
            cups.purge(job)
        except cups.CupsError as exc:
            purge_error = str(exc)
            log.error("job %d could not be purged: %s", job, exc)
        if status is None:
            raise MadoguchiError("PRINT_FAILED", reason="job status unknown")
        if not status.finished:
            raise MadoguchiError("PRINT_TIMEOUT", seconds=int(timeout))
        if status.state != cups.JOB_COMPLETED:
            raise MadoguchiError("PRINT_FAILED", reason=f"{status.name} {' '.join(status.reasons)}".strip())
        return PrintOutcome(printer=queue, job=f"{queue}-{job}", state="completed", copies=len(layout.slots),
                            purged=purge_error is None, purge_error=purge_error)

    # ---- Windows spooler (and any non-CUPS platform) ---------------------------------
    def _print_native(self, queue: str, layout: Layout, photo_bgr: np.ndarray, spec: PhotoSpec,
                      lang: str) -> PrintOutcome:  # pragma: no cover - exercised on Windows booths
        from PySide6.QtPrintSupport import QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPrinterName(queue)
        printer.setDocName(JOB_TITLE)
        printer.setFullPage(True)
        printer.setPageLayout(QPageLayout(page_size(layout), QPageLayout.Orientation.Portrait,
                                          QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))
        image, rgb = photo_qimage(photo_bgr)
        try:
            painter = QPainter()
            if not painter.begin(printer):
                raise MadoguchiError("PRINT_FAILED", reason="the printer refused the job")
            try:
                paint_sheet(painter, layout, image, spec, dots_per_mm=printer.resolution() / 25.4, lang=lang)
            finally:
                painter.end()
        finally:
            wipe(rgb)
        if printer.printerState() == QPrinter.PrinterState.Error:
            raise MadoguchiError("PRINT_FAILED", reason="printer error")
        # The Windows spooler deletes the spool file once printed unless the queue has
        # "Keep printed documents" on; docs/photo.md tells the admin to keep it off.
        return PrintOutcome(printer=queue, job=None, state="sent", copies=len(layout.slots), purged=True)
