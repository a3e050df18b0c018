"""PDF backend: the sheet as a PDF file at the path set in the photo settings.

This writes the photo to disk, so it is for tests, demos and sending a sheet to a
photo shop on purpose; the settings dialog says so next to the choice."""
from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

import numpy as np

from app.errors import MadoguchiError
from app.photo.pdf import sheet_pdf
from app.photo.sheets import Layout
from app.photo.wipe import wipe
from app.profiles import PhotoSpec
from hardware.printer import PrintOutcome, Printer, register_printer

log = logging.getLogger("madoguchi.hardware.printer")


@register_printer("pdf")
class PdfFilePrinter(Printer):
    @property
    def name(self) -> str:
        return Path(self.config.pdf_path).name or "PDF"

    def print_sheet(self, layout: Layout, photo_bgr: np.ndarray, spec: PhotoSpec, *,
                    lang: str = "ja", timeout: float = 120.0) -> PrintOutcome:
        if not self.config.pdf_path:
            raise MadoguchiError("PRINT_FAILED", reason="PDF の保存先が設定されていません" if lang == "ja"
                                 else "no PDF file is set")
        path = Path(self.config.pdf_path)
        data = sheet_pdf(layout, photo_bgr, spec, lang=lang)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            with contextlib.suppress(OSError):
                path.unlink()
            raise MadoguchiError("PRINT_FAILED", reason=type(exc).__name__) from exc
        finally:
            wipe(data)
        log.info("photo sheet written as PDF (%d photos)", len(layout.slots))
        return PrintOutcome(printer=self.name, job=None, state="written", copies=len(layout.slots), purged=True)
