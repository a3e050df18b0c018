"""System printers through Qt's print support.

The sheet is painted with QPainter at true size (photos in millimetres of paper):
- on Windows onto a QPrinter, which hands the pages to the Windows spooler; the app
  then waits for the job and deletes it from the queue (hardware/winspool.py);
- where CUPS is the print system, onto a QPdfWriter over a QBuffer (memory), and the
  PDF bytes go to CUPS through libcups (hardware/cups.py) — Qt's own CUPS engine
  would write the job to a temporary file first. After the job has completed the app
  purges it from the spooler (CUPS keeps job files for a day by default).
Printers and their paper sizes are listed with QPrinterInfo.
"""
from __future__ import annotations

import logging
import sys
import uuid
from dataclasses import dataclass

import cv2
import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLineF, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

from app.errors import MadoguchiError
from app.photo.sheets import CAPTION_MM, Layout, caption_text
from app.photo.wipe import wipe
from app.profiles import PhotoSpec
from hardware import cups, winspool
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


@dataclass(frozen=True)
class JobRetention:
    """Does the print system keep printed jobs (the photo) after printing?"""
    system: str             # cups | windows
    keeps: bool | None      # None: could not be told
    value: str = ""         # CUPS: the PreserveJobFiles value; Windows: the printer


def job_retention(queue: str) -> JobRetention | None:
    """For the settings' warning; slow (asks the print system): call it off the UI
    thread. CUPS keeps job files server-wide (PreserveJobFiles); Windows per printer
    ("Keep printed documents"). None on a system with neither."""
    if uses_cups():
        value = cups.preserve_job_files()
        return JobRetention("cups", cups.keeps_job_files(value), value or "")
    if sys.platform == "win32":  # pragma: no cover - Windows only
        from PySide6.QtPrintSupport import QPrinterInfo

        name = queue or QPrinterInfo.defaultPrinterName()
        return JobRetention("windows", winspool.keeps_printed_jobs(name) if name else None, name)
    return None


@register_printer("system")
class QtSystemPrinter(Printer):
    def _queue(self) -> str:
        from PySide6.QtPrintSupport import QPrinterInfo

        name = self.config.name or QPrinterInfo.defaultPrinterName()
        if not name and not self.config.name:
            # No default set (common on a fresh CUPS): the one printer there is.
            names = QPrinterInfo.availablePrinterNames()
            name = names[0] if len(names) == 1 else ""
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
        return self._print_native(queue, layout, photo_bgr, spec, lang, timeout)

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
                      lang: str, timeout: float) -> PrintOutcome:  # pragma: no cover - exercised on Windows booths
        """Paint onto a QPrinter (the Windows spooler gets the pages from Qt), then
        follow the job in the queue and delete it (hardware/winspool.py holds that
        logic and is tested with a fake spooler; this glue runs only on Windows)."""
        from PySide6.QtPrintSupport import QPrinter

        document = f"{JOB_TITLE}-{uuid.uuid4().hex[:12]}"  # finds our job in the queue
        spooler = None
        try:
            spooler = winspool.open_spooler(queue)
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setPrinterName(queue)
            printer.setDocName(document)
            printer.setFullPage(True)
            printer.setPageLayout(QPageLayout(page_size(layout), QPageLayout.Orientation.Portrait,
                                              QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))
            image, rgb = photo_qimage(photo_bgr)
            job_id = None
            try:
                painter = QPainter()
                if not painter.begin(printer):  # StartDoc: the job now exists, spooling
                    raise MadoguchiError("PRINT_FAILED", reason="the printer refused the job")
                try:
                    paint_sheet(painter, layout, image, spec, dots_per_mm=printer.resolution() / 25.4, lang=lang)
                    if spooler is not None:  # found while spooling: it cannot have printed yet
                        job_id = winspool.lookup_job(spooler, document)
                finally:
                    painter.end()
            finally:
                wipe(rgb)
            if spooler is None:  # neither CUPS nor Windows: hand-over is all Qt tells
                if printer.printerState() == QPrinter.PrinterState.Error:
                    raise MadoguchiError("PRINT_FAILED", reason="printer error")
                return PrintOutcome(printer=queue, job=None, state="sent", copies=len(layout.slots), purged=False,
                                    purge_error="no spooler access on this system")
            if job_id is None:
                job_id = winspool.lookup_job(spooler, document)
            if printer.printerState() == QPrinter.PrinterState.Error:
                if job_id is not None:
                    winspool.purge_job(spooler, job_id)
                raise MadoguchiError("PRINT_FAILED", reason="printer error")
            result = winspool.follow_job(spooler, job_id, timeout=timeout) if job_id is not None else None
            return winspool.outcome(result, queue=queue, job_id=job_id, document=document,
                                    copies=len(layout.slots), timeout=timeout)
        except winspool.SpoolerError as exc:
            raise MadoguchiError("PRINT_FAILED", reason=str(exc)) from exc
        finally:
            if spooler is not None:
                spooler.close()
