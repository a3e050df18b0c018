"""The captured photo's life on the photo screen, short of printing: taking it (off
the UI thread), nudging and zooming its crop, recording the applicant's consent, and
deleting it — buffers overwritten, deletion recorded — when it is printed, declined
or discarded.

The photo lives only in memory (the screen's CapturedPhoto); the store gets the facts
(consent, deletion), never the image.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject

from app.ids import uuid7
from app.photo import facts
from app.photo.crop import crop_problems
from app.photo.session import CapturedPhoto, capture
from app.photo.wipe import wipe
from ui.photo_threads import BackgroundTask

if TYPE_CHECKING:
    from ui.photo_screen import PhotoScreen


class CaptureFlow(QObject):
    """Owned by the photo screen, whose photo, busy state, preview and pages it works
    on; the adjust and consent panels' requests come here."""

    def __init__(self, screen: PhotoScreen) -> None:
        super().__init__(screen)
        self.screen = screen

    # ---- capture ------------------------------------------------------------------------
    def take_photo(self) -> None:
        screen = self.screen
        if screen.busy or screen.latest is None or screen.photo is not None:
            return
        # A copy of our own: the camera thread reuses its ring buffer for later frames.
        snapshot = np.array(screen.latest, copy=True)
        spec, lang = screen.spec, screen.lang
        screen.set_busy(True)

        def work() -> CapturedPhoto:
            try:
                return capture(snapshot, spec, strict=False, lang=lang)
            finally:
                wipe(snapshot)
        self._task = BackgroundTask(work, self._captured, self._capture_failed, self)

    def _captured(self, photo: CapturedPhoto) -> None:
        screen = self.screen
        screen.set_busy(False)
        screen.hide_banner()
        screen.photo = photo
        screen.capture_id = uuid7()
        screen.preview.show_frame(photo.frame)
        screen.preview.set_message("")
        self.refresh_crop()
        screen.adjust_page.show_quality(photo.analysis)
        screen.pages.setCurrentWidget(screen.adjust_page)
        screen.status.emit(self.tr("撮影しました"))

    def _capture_failed(self, exc: BaseException) -> None:
        self.screen.set_busy(False)
        self.screen.show_error(exc)

    # ---- crop ---------------------------------------------------------------------------
    def refresh_crop(self) -> None:
        """The crop on the preview and its readout, green or red against the spec."""
        photo = self.screen.photo
        if photo is None or photo.frame is None:
            return
        problems = crop_problems(photo.geometry, self.screen.spec)
        self.screen.preview.set_guides(photo.crop, not problems, smooth=False)
        self.screen.adjust_page.show_crop(photo.geometry, problems)

    def crop_ok(self) -> bool:
        photo = self.screen.photo
        return photo is not None and photo.frame is not None and not crop_problems(photo.geometry, self.screen.spec)

    def _adjustable(self) -> CapturedPhoto | None:
        """The photo, unless none is held or a task is using it."""
        return None if self.screen.busy else self.screen.photo

    def nudge(self, dx: int, dy: int) -> None:
        if (photo := self._adjustable()) is not None:
            photo.nudge(dx, dy)
            self.refresh_crop()

    def zoom(self, steps: int) -> None:
        if (photo := self._adjustable()) is not None:
            photo.zoom(steps)
            self.refresh_crop()

    def reset_crop(self) -> None:
        if (photo := self._adjustable()) is not None:
            photo.reset()
            self.refresh_crop()

    # ---- consent ------------------------------------------------------------------------
    def go_consent(self) -> None:
        """On to the checkpoints, never with a crop out of spec (nor by a shortcut)."""
        if self.screen.photo is None or not self.crop_ok():
            return
        self.screen.consent.reset()
        self.screen.pages.setCurrentWidget(self.screen.consent)

    def confirm_consent(self) -> None:
        screen = self.screen
        photo = screen.photo
        if photo is None:
            return
        screen.set_busy(True)

        def done(_row) -> None:
            screen.set_busy(False)
            photo.consented = True
            screen.print_flow.set_state("")
            screen.pages.setCurrentWidget(screen.print_page)
        screen.worker.submit(facts.record_consent, screen.opening_id, screen.capture_id, now=screen.clock(),
                             on_done=done, on_error=screen.store_failed)

    # ---- deletion -----------------------------------------------------------------------
    def discard(self, reason: str) -> None:
        """Overwrite the photo's buffers and record the deletion (time, opening);
        `reason`: printed | declined | discarded. Back to the live picture."""
        screen = self.screen
        photo = screen.photo
        if photo is None or screen.busy:
            return
        photo.discard()
        screen.photo = None
        capture_id, screen.capture_id = screen.capture_id, ""
        screen.worker.submit(facts.record_deletion, screen.opening_id, capture_id, reason=reason,
                             now=screen.clock(), on_error=screen.store_failed)
        screen.print_flow.set_state("")
        screen.adjust_page.clear_warnings()
        screen.preview.show_frame(screen.latest)
        screen.preview.set_guides(None, False, smooth=False)
        screen.pages.setCurrentWidget(screen.live_page)
        screen.photo_deleted.emit(reason)
        if reason != "printed":
            screen.status.emit(self.tr("写真データを消去しました"))
