"""The printer interface and its registry of backends.

- ``system``: the system's printers through Qt's print support (CUPS on Linux/macOS,
  the Windows spooler on booth laptops), printed from memory, job purged afterwards;
- ``pdf``: writes the sheet as a PDF file the staff chose (tests, demos, or a shop
  print) — the one place a photo goes to disk, on explicit request.

`print_sheet()` blocks until the job has finished (run it on a worker thread, never
the UI thread). It raises MadoguchiError when printing failed; the caller keeps the
photo for a retry then.
"""
from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np

from app.errors import MadoguchiError
from app.photo import messages  # noqa: F401 - registers the PRINT_* codes
from app.photo.sheets import Layout
from app.profiles import PhotoSpec

log = logging.getLogger("madoguchi.hardware.printer")

# Paper names for the print system (PWG 5101.1 self-describing names).
PWG_MEDIA = {
    "single": "custom_photo_35x45mm",
    "L": "oe_photo-l_3.5x5in",
    "KG": "na_index-4x6_4x6in",
    "postcard": "jpn_hagaki_100x148mm",
    "A4": "iso_a4_210x297mm",
}


@dataclass(frozen=True)
class PrinterConfig:
    backend: str = "system"
    name: str = ""          # "" = the system's default printer
    pdf_path: str = ""

    @classmethod
    def from_settings(cls, s) -> "PrinterConfig":
        return cls(backend=s.printer_backend, name=s.printer_name, pdf_path=s.pdf_path)


@dataclass(frozen=True)
class PrintOutcome:
    printer: str
    job: str | None            # spooler job id, when there is a spooler
    state: str                 # completed | written | sent
    copies: int
    purged: bool               # the spooler no longer has the job's files
    purge_error: str | None = None


class Printer(ABC):
    def __init__(self, config: PrinterConfig) -> None:
        self.config = config

    @property
    def name(self) -> str:
        return self.config.name or self.config.backend

    @abstractmethod
    def print_sheet(self, layout: Layout, photo_bgr: np.ndarray, spec: PhotoSpec, *,
                    lang: str = "ja", timeout: float = 120.0) -> PrintOutcome:
        ...


PRINTER_BACKENDS: dict[str, type[Printer]] = {}


def register_printer(key: str):
    def deco(cls: type[Printer]) -> type[Printer]:
        PRINTER_BACKENDS[key] = cls
        return cls
    return deco


def make_printer(config: PrinterConfig) -> Printer:
    from hardware import printer_pdf, printer_qt  # noqa: F401 - register the backends

    cls = PRINTER_BACKENDS.get(config.backend)
    if cls is None:
        raise MadoguchiError("PRINTER_BACKEND_UNKNOWN", backend=config.backend,
                             allowed=", ".join(sorted(PRINTER_BACKENDS)))
    return cls(config)
