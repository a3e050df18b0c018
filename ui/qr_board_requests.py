"""How the QR board runs what the staff ask for, for its own codes and for the
points panel: one domain write on the store worker followed by a fresh board
state (nothing on screen changes before the write committed), one dialog at a
time collecting the input, a refusal shown in that dialog while it is open (so
a mistyped code can be corrected), and codes shown large for another laptop to
scan. Slow work never runs here: the store on its worker, the rest on threads
of its own (ui/qr_scan.Background)."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QWidget
from shiboken6 import isValid

from ui.qr_common import ERROR_STYLE, error_text
from ui.qr_dialogs import ShowCodeDialog
from ui.qr_ops import QrBoardState, write_and_load_qr

Fail = Callable[[BaseException], None]


class BoardRequests(QWidget):
    """The base of QrBoard (ui/qr_board.py), which provides `worker`,
    `opening_id`, `clock`, `lang`, `message`, `retired`, `active_dialog`,
    `apply_state` and `reload`."""

    acknowledged = Signal(str)
    failed = Signal(object)

    def write(self, fn: Callable[..., Any], *args: Any, ack: Callable[[Any], None],
              fail: Fail | None = None, **kwargs: Any) -> None:
        """One domain write on the store worker, then the fresh board state; `ack`
        gets the write's result once it is committed."""
        now = self.clock()

        def done(result: tuple[Any, QrBoardState]) -> None:
            if self.retired:
                return
            value, state = result
            self.apply_state(state)
            ack(value)

        def error(exc: BaseException) -> None:
            if self.retired:
                return
            (fail or self.show_failure)(exc)
        self.worker.submit(write_and_load_qr, self.opening_id, now, fn, *args, **kwargs,
                           on_done=done, on_error=error)

    def ack(self, text: str) -> None:
        self.message.setStyleSheet("color: #1b5e20;")
        self.message.setText(text)
        self.acknowledged.emit(text)

    def show_failure(self, exc: BaseException) -> None:
        if self.retired:
            return
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(error_text(exc, self.lang))
        self.failed.emit(exc)
        if getattr(exc, "code", "") in ("POINTS_CAP_REACHED", "POINTS_ALLOTMENT_EXHAUSTED"):
            self.reload()  # the visitor display changes at once

    def open_dialog(self, dialog: QDialog) -> None:
        if self.active_dialog is not None:
            self.active_dialog.reject()
        self.active_dialog = dialog

        def finished(_result: int) -> None:
            if self.active_dialog is dialog:
                self.active_dialog = None
            dialog.deleteLater()
        dialog.finished.connect(finished)
        dialog.open()

    def open_form(self, dialog: QDialog, submit: Callable[..., None]) -> None:
        """Open a dialog that emits `submitted(...)` and has `show_error`: each
        submission is handed to `submit(*values, fail)`, where `fail` shows a
        refusal in the dialog (or on the board once the dialog is closed)."""
        fail = self.fail_in(dialog, dialog.show_error)
        dialog.submitted.connect(lambda *values: submit(*values, fail))
        self.open_dialog(dialog)

    def done(self, dialog: QDialog, text: str) -> None:
        """The dialog's request was committed: close it and say so."""
        if isValid(dialog):
            dialog.accept()
        self.ack(text)

    def fail_in(self, dialog: QDialog, show: Fail) -> Fail:
        """Show a refusal in the dialog if it is still open, else on the board (the
        staff closed the dialog while the store or the hub was answering)."""
        def handler(exc: BaseException) -> None:
            if isValid(dialog) and dialog.isVisible():
                show(exc)
            else:
                self.show_failure(exc)
        return handler

    def show_code(self, title: str, code: str, explanation: str, details: str = "") -> ShowCodeDialog:
        dialog = ShowCodeDialog(title, code, explanation, self.lang, self, details=details)
        self.open_dialog(dialog)
        return dialog
