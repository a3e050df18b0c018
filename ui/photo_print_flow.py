"""The print step's work: which printer, the PDF file when the laptop has none,
the print task, what a printed or failed sheet does, and waiting for a print in
flight when the screen closes.

Printing is slow (the print system, up to PRINT_TIMEOUT_S), so it runs on a
BackgroundTask while the screen is busy. A printed sheet is recorded once per capture
and the photo wiped; a failed one keeps the photo for もう一度印刷 until the staff
discard it. The sheet reaches the disk only as a PDF file the staff chose (no
printer) or configured (the PDF printer).
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.errors import MadoguchiError
from app.photo import facts
from app.photo.sheets import layout
from hardware.printer import PrinterConfig
from ui.photo_exit import wait_while
from ui.photo_output import falls_back_to_pdf, save_dialog
from ui.photo_print_panel import PrintPanel
from ui.photo_threads import BackgroundTask

if TYPE_CHECKING:
    from ui.photo_screen import PhotoScreen

log = logging.getLogger("madoguchi.ui.photo")

PRINT_TIMEOUT_S = 120.0
# Closing waits this long for a print in flight (its own timeout ends it before).
EXIT_PRINT_WAIT_S = PRINT_TIMEOUT_S + 15.0


class PrintFlow(QObject):
    """Owned by the photo screen, which it reads the photo, the settings, the printer
    factory and lister and the store worker from; it shows its state on `page`.
    `printers_listed` fires when the system's printers are known (whether sheets go
    to a PDF file may have changed)."""

    printers_listed = Signal()

    def __init__(self, screen: PhotoScreen, page: PrintPanel) -> None:
        super().__init__(screen)
        self.screen, self.page = screen, page
        self.printers: list | None = None   # the system's printers (None: not listed yet)
        self.state = ""                     # "" | "printing" | "failed"
        self.pdf_dialog = None
        self._inflight_capture = ""         # the capture whose sheet is printing
        self._closed = False
        page.print_requested.connect(self.print_photo)

    @property
    def pdf_fallback(self) -> bool:
        return falls_back_to_pdf(self.screen.settings, self.printers)

    def show(self) -> None:
        """Where the sheet goes and how the print went, on the print page."""
        self.page.show_output(self.screen.settings, self.pdf_fallback, self.state)

    def set_state(self, state: str) -> None:
        self.state = state
        self.show()

    # ---- which printer ------------------------------------------------------------------
    def list_printers(self) -> None:
        """The system's printers, listed off the UI thread (the print system may be
        slow to answer); decides whether sheets go to a PDF file instead."""
        if self._closed:
            return
        self._printer_task = BackgroundTask(self.screen.printer_lister, self._printers_listed,
                                            self._printers_unknown, self)

    def _printers_listed(self, printers: list) -> None:
        self.printers = list(printers)
        self.show()
        self.printers_listed.emit()

    def _printers_unknown(self, exc: BaseException) -> None:
        log.warning("printers could not be listed: %s", type(exc).__name__)

    # ---- printing ---------------------------------------------------------------------------
    def print_photo(self) -> None:
        screen = self.screen
        photo = screen.photo
        if photo is None or screen.busy:
            return
        if not photo.consented:
            screen.show_error(MadoguchiError("PHOTO_NO_CONSENT"))
            return
        if not screen.capture_flow.crop_ok():  # never a photo out of spec, whatever the path here
            screen.pages.setCurrentWidget(screen.adjust_page)
            return
        if self.pdf_fallback:
            self._ask_pdf_path()
            return
        self._start_print(PrinterConfig.from_settings(screen.settings))

    def _ask_pdf_path(self) -> None:
        """No printer on this laptop: the staff choose the PDF file (not blocking)."""
        if self.pdf_dialog is not None and self.pdf_dialog.isVisible():
            self.pdf_dialog.raise_()
            return
        screen = self.screen
        dialog = save_dialog(screen, screen.settings, screen.clock(), self.tr("写真を PDF に保存"),
                             self.tr("PDF (*.pdf)"))
        dialog.fileSelected.connect(self._pdf_chosen)
        dialog.rejected.connect(self._pdf_cancelled)
        self.pdf_dialog = dialog
        dialog.open()

    def _pdf_cancelled(self) -> None:
        self.pdf_dialog = None
        if self.screen.photo is not None:
            self.screen.status.emit(self.tr("保存しませんでした。写真はまだ消去していません。"))

    def _pdf_chosen(self, path: str) -> None:
        self.pdf_dialog = None
        if not path or self.screen.photo is None:
            return
        # The next save dialog opens in this folder (only the path: no photo in it).
        self.screen.save_settings(self.screen.settings.with_(pdf_path=path))
        self._start_print(PrinterConfig("pdf", pdf_path=path), saved_to=path)

    def _start_print(self, config: PrinterConfig, saved_to: str | None = None) -> None:
        screen = self.screen
        photo = screen.photo
        if photo is None or screen.busy:
            return
        sheet, count = self.page.sheet, self.page.count
        spec, lang = screen.spec, screen.lang
        try:
            printer = screen.printer_factory(config)
            lay = layout(sheet, spec, count)
            pixels = photo.photo()  # rendered here: the print thread only reads it
        except MadoguchiError as exc:
            screen.show_error(exc)
            return
        self._inflight_capture = screen.capture_id
        screen.set_busy(True)
        self.set_state("printing")
        self._task = BackgroundTask(
            lambda: printer.print_sheet(lay, pixels, spec, lang=lang, timeout=PRINT_TIMEOUT_S),
            lambda outcome: self._printed(outcome, sheet, saved_to), self._print_failed, self)

    def _printed(self, outcome, sheet: str, saved_to: str | None = None) -> None:
        """Counted once per capture (facts.record_printed); the photo is wiped. Also
        when the screen gave up waiting at close: the sheet that came out counts."""
        screen = self.screen
        screen.set_busy(False)
        capture_id, self._inflight_capture = self._inflight_capture or screen.capture_id, ""
        photo = screen.photo
        if photo is not None:
            photo.printed_copies += outcome.copies
        screen.worker.submit(facts.record_printed, screen.opening_id, capture_id, copies=outcome.copies,
                             sheet=sheet, now=screen.clock(), on_error=screen.store_failed)
        screen.discard("printed")
        if outcome.purge_error:
            screen.show_error(MadoguchiError("PRINT_PURGE_FAILED", job=outcome.job, reason=outcome.purge_error))
        if saved_to:
            screen.status.emit(self.tr("PDF に保存しました（{path}）。写真データは消去しました。").format(path=saved_to))
        else:
            screen.status.emit(self.tr("印刷しました。写真データは消去しました。"))

    def _print_failed(self, exc: BaseException) -> None:
        """The photo stays for もう一度印刷 (or 写真を破棄)."""
        screen = self.screen
        screen.set_busy(False)
        self._inflight_capture = ""
        self.set_state("failed")
        screen.show_error(exc)
        if isinstance(exc, MadoguchiError) and exc.code == "PRINTER_NOT_FOUND" and not screen.settings.printer_name:
            self.list_printers()  # the default printer is gone: maybe no printer at all now

    # ---- closing ------------------------------------------------------------------------------
    def close(self) -> None:
        """The screen is closing: no more printer lists or save dialogs, and a print
        (or capture) in flight is waited for — bounded by the screen's
        `exit_print_wait_s`, with a message — so its result is recorded before the
        screen wipes the photo."""
        self._closed = True
        screen = self.screen
        if self.pdf_dialog is not None:
            self.pdf_dialog.reject()
        if not screen.busy:
            return
        finished = wait_while(lambda: screen.busy, screen.exit_print_wait_s, self._exit_wait_text, screen,
                              title=self.tr("写真撮影"))
        if not finished:
            # The print did not end in time: its thread is left to finish on its own
            # (the spooler job is its business); the screen wipes the photo now.
            log.warning("closing with a photo task still running: photo wiped")
            screen.set_busy(False)

    def _exit_wait_text(self, seconds_left: int) -> str:
        return self.tr("印刷が終わるのを待っています（あと最大 {n} 秒）。終わったら写真を消去して閉じます。").format(
            n=seconds_left)
