"""Waiting, at close, for work that must finish before the photo is wiped.

Closing the photo window (or the whole app) while a sheet is printing must not drop
the photo un-wiped, nor cut the job off unrecorded: the close waits for the print
task — bounded, with a message on screen — and only then wipes and records. The wait
runs a local event loop, so the task's result (a queued signal) is delivered and
handled as usual; the message box is application-modal, so nothing else can be
clicked meanwhile.
"""
from __future__ import annotations

import math
import time
from typing import Callable

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

POLL_MS = 50


def wait_while(busy: Callable[[], bool], seconds: float, text: Callable[[int], str], parent: QWidget, *,
               show_after: float = 0.0, title: str = "") -> bool:
    """Run events until `busy()` is false or `seconds` have passed; True when it
    finished. A progress message `text(seconds_left)` shows once `show_after`
    seconds have gone by (0: at once). `parent.exit_dialog` is the message while
    it is up (tests read it)."""
    if not busy():
        return True
    started = time.monotonic()
    deadline = started + seconds
    loop = QEventLoop()
    dialog: list[QProgressDialog] = []

    def left() -> int:
        return max(0, math.ceil(deadline - time.monotonic()))

    def show() -> None:
        box = QProgressDialog(parent)
        box.setObjectName("photo-exit-wait")
        box.setWindowTitle(title)
        box.setCancelButton(None)
        box.setRange(0, 0)  # no known fraction: a busy indicator
        box.setMinimumDuration(0)
        box.setAutoClose(False)
        box.setAutoReset(False)
        box.setWindowModality(Qt.WindowModality.ApplicationModal)
        box.setLabelText(text(left()))
        box.show()
        dialog.append(box)
        parent.exit_dialog = box

    def tick() -> None:
        now = time.monotonic()
        if not busy() or now >= deadline:
            loop.quit()
            return
        if not dialog and now - started >= show_after:
            show()
        elif dialog:
            dialog[0].setLabelText(text(left()))

    timer = QTimer()
    timer.setInterval(POLL_MS)
    timer.timeout.connect(tick)
    timer.start()
    tick()
    if busy() and time.monotonic() < deadline:
        loop.exec()
    timer.stop()
    if dialog:
        dialog[0].close()
        dialog[0].deleteLater()
        parent.exit_dialog = None
    return not busy()
