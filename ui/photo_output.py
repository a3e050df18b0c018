"""Where a photo goes when the laptop has no printer: a PDF file the staff choose.

A fresh installation prints to the system's default printer. When the system has no
printer at all (and none was chosen in the settings), the station saves the sheet as
a PDF instead and says so: at every print the staff pick the file in a save dialog,
which starts in the folder they used last. That PDF is the output they asked for —
the one way a photo reaches the disk, as with the PDF printer of the settings.
A printer chosen by name that is missing is still an error (PRINTER_NOT_FOUND), not
a silent PDF.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from app.photo.settings import PhotoSettings


def falls_back_to_pdf(settings: PhotoSettings, printers: list | None) -> bool:
    """True when printing should go to a PDF file: the system printer with no name
    (the default one) and the system lists no printer at all. `printers` None: not
    known yet (still being listed)."""
    return settings.printer_backend == "system" and not settings.printer_name and printers is not None \
        and len(printers) == 0


def start_folder(settings: PhotoSettings) -> str:
    """The folder of the last PDF saved, else the user's documents folder."""
    if settings.pdf_path:
        folder = Path(settings.pdf_path).parent
        if folder.is_dir():
            return str(folder)
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())


def suggested_name(now: datetime) -> str:
    """A new name per sheet (no applicant's name: the staff may type one)."""
    return f"photo-{now:%Y%m%d-%H%M%S}.pdf"


def save_dialog(parent: QWidget, settings: PhotoSettings, now: datetime, title: str, filter_text: str) -> QFileDialog:
    """A save dialog for the sheet, not yet shown (the caller connects fileSelected
    and calls open(): it does not block the screen)."""
    dialog = QFileDialog(parent, title, str(Path(start_folder(settings)) / suggested_name(now)), filter_text)
    dialog.setObjectName("photo-pdf-save")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setDefaultSuffix("pdf")
    return dialog
