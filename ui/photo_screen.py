"""The photo station: live preview with guides and checks → capture → nudge/zoom →
consent → print → deletion.

PhotoScreen is the coordinator. It holds the state (the one captured photo, the
settings, busy) and wires the parts together: the preview (ui/photo_preview.py) and
the banners above it (ui/photo_banners.py), the step panels (ui/photo_live_panel.py,
ui/photo_adjust_panel.py, ui/photo_consent.py, ui/photo_print_panel.py), the camera
(ui/photo_camera_session.py), the photo's capture, crop, consent and deletion
(ui/photo_capture_flow.py) and the print (ui/photo_print_flow.py).

Camera reading, frame analysis, capture and printing run on their own threads
(ui/photo_threads.py); store writes go through the StoreWorker. The photo exists only
in memory (CapturedPhoto) and is overwritten as soon as it is printed, declined or
discarded; what the store keeps is the fact (consent, printed, deleted), never the image.

Hook-in: ui/photo_window.py (`PhotoWindow`, `open_photo_station`), reached from the
booth window through ui/photo_menu.py (PhotoStation).
"""
from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Callable

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from app.errors import MadoguchiError
from app.photo.analysis import Analysis
from app.photo.privacy import harden_process
from app.photo.session import CapturedPhoto
from app.photo.settings import PhotoSettings, load_photo_settings, save_photo_settings
from app.profiles import PhotoSpec
from hardware.camera import Camera, CameraConfig, make_camera
from hardware.printer import Printer, PrinterConfig, make_printer
from ui.photo_adjust_panel import AdjustPanel
from ui.photo_banners import ErrorBanner, FallbackNotice
from ui.photo_camera_session import CameraSession
from ui.photo_capture_flow import CaptureFlow
from ui.photo_consent import ConsentPanel
from ui.photo_exit import wait_while
from ui.photo_live_panel import LivePanel
from ui.photo_preview import PreviewWidget
from ui.photo_print_flow import EXIT_PRINT_WAIT_S, PrintFlow
from ui.photo_print_panel import PrintPanel
from ui.photo_settings import system_printers
from ui.photo_threads import CameraFeed, FrameAnalyser

log = logging.getLogger("madoguchi.ui.photo")

# Closing waits this long for the camera and analysis threads to end and wipe their frames.
EXIT_THREAD_WAIT_S = 3.0


def _now() -> datetime:
    return datetime.now().astimezone()


class PhotoScreen(QWidget):
    """`camera_factory(config)` / `printer_factory(config)` default to the hardware
    registries and `printer_lister()` to the system's printers; tests pass their own
    (e.g. an unpluggable camera, a laptop without printers)."""

    status = Signal(str)          # short acknowledgements for a status bar
    photo_deleted = Signal(str)   # reason: printed | declined | discarded

    def __init__(self, worker, opening_id: str, spec: PhotoSpec, data_dir: Path, lang: str = "ja", *,
                 clock: Callable[[], datetime] = _now,
                 camera_factory: Callable[[CameraConfig], Camera] = make_camera,
                 printer_factory: Callable[[PrinterConfig], Printer] = make_printer,
                 printer_lister: Callable[[], list] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photo-screen")
        harden_process()
        self.worker, self.opening_id, self.spec = worker, opening_id, spec
        self.data_dir, self.lang, self.clock = Path(data_dir), lang, clock
        self.printer_factory = printer_factory
        self.printer_lister = printer_lister or system_printers
        self.settings: PhotoSettings = load_photo_settings(self.data_dir)
        self.photo: CapturedPhoto | None = None
        self.capture_id = ""
        self.latest: np.ndarray | None = None   # the newest camera frame (None: no camera picture)
        self.analysis: Analysis | None = None
        self.busy = False
        self._camera_waiting = False   # the camera is lost or cannot be opened
        self._substitute: MadoguchiError | None = None   # why the test picture is shown
        self._shut = False
        self.exit_dialog = None        # the close's wait message while it is up (ui/photo_exit.py)
        self.settings_dialog = None
        self.exit_print_wait_s = EXIT_PRINT_WAIT_S
        self.exit_thread_wait_s = EXIT_THREAD_WAIT_S
        self.camera_session = CameraSession(spec, camera_factory, self)
        self._build()
        self.capture_flow = CaptureFlow(self)
        self.print_flow = PrintFlow(self, self.print_page)
        self._wire()
        self.print_page.choose_paper(self.settings)
        self.print_flow.show()
        self._show_notices()
        self.start_camera()
        self.print_flow.list_printers()
        self._fps_timer = QTimer(self)
        self._fps_timer.timeout.connect(self._show_fps)
        self._fps_timer.start(1000)

    # ---- layout and wiring ---------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.banner = ErrorBanner(self)
        outer.addWidget(self.banner)
        self.notice = FallbackNotice(self)
        outer.addWidget(self.notice)
        body = QHBoxLayout()
        outer.addLayout(body, 1)
        self.preview = PreviewWidget(self.spec, self)
        self.preview.mirror = self.settings.mirror_preview
        body.addWidget(self.preview, 3)
        self.pages = QStackedWidget(self)
        self.pages.setMinimumWidth(420)
        body.addWidget(self.pages, 2)
        self.live_page = LivePanel(self.lang, self)
        self.adjust_page = AdjustPanel(self.spec, self.lang, self)
        self.consent = ConsentPanel(self.lang, self)
        self.print_page = PrintPanel(self.spec, self.lang, self)
        for page in (self.live_page, self.adjust_page, self.consent, self.print_page):
            self.pages.addWidget(page)
        self.pages.setCurrentWidget(self.live_page)
        # The panels own their controls; the screen names them too, as the tests
        # (like the staff) work the station as one screen.
        live, adjust, out = self.live_page, self.adjust_page, self.print_page
        self.advice_label, self.check_labels, self.check_names = live.advice_label, live.check_labels, live.check_names
        self.settings_button, self.capture_button = live.settings_button, live.capture_button
        self.geometry_label, self.spec_reason, self.quality_label = (adjust.geometry_label, adjust.spec_reason,
                                                                     adjust.quality_label)
        self.nudge_buttons, self.next_button = adjust.nudge_buttons, adjust.next_button
        self.sheet_box, self.count_spin, self.printer_label = out.sheet_box, out.count_spin, out.printer_label
        self.print_button, self.discard_button = out.print_button, out.discard_button
        for key, dx, dy in ((Qt.Key.Key_Left, -1, 0), (Qt.Key.Key_Right, 1, 0), (Qt.Key.Key_Up, 0, -1),
                            (Qt.Key.Key_Down, 0, 1)):
            sc = QShortcut(QKeySequence(key), self)
            sc.activated.connect(lambda dx=dx, dy=dy: self._nudge_key(dx, dy))

    def _nudge_key(self, dx: int, dy: int) -> None:
        """The arrow keys move the crop while the adjust step is shown."""
        if self.pages.currentWidget() is self.adjust_page:
            self.capture_flow.nudge(dx, dy)

    def _wire(self) -> None:
        photo = self.capture_flow
        self.live_page.capture_requested.connect(photo.take_photo)
        self.live_page.settings_requested.connect(self.open_settings)
        self.adjust_page.nudge_requested.connect(photo.nudge)
        self.adjust_page.zoom_requested.connect(photo.zoom)
        self.adjust_page.reset_requested.connect(photo.reset_crop)
        self.adjust_page.retake_requested.connect(lambda: self.discard("discarded"))
        self.adjust_page.next_requested.connect(self.go_consent)
        self.consent.confirmed.connect(photo.confirm_consent)
        self.consent.declined.connect(lambda: self.discard("declined"))
        self.consent.back.connect(lambda: self.pages.setCurrentWidget(self.adjust_page))
        self.print_page.discard_requested.connect(lambda: self.discard("discarded"))
        self.print_flow.printers_listed.connect(self._show_notices)
        camera = self.camera_session
        camera.new_frame.connect(self._on_frame)
        camera.analysed.connect(self._on_analysed)
        camera.lost.connect(self._on_camera_lost)
        camera.recovered.connect(self._on_camera_back)
        camera.substituted.connect(self._on_substituted)
        camera.start_failed.connect(self.show_error)

    def set_language(self, lang: str) -> None:
        """Follow the booth app's language switch (its translators are installed
        already): labels, the live checks and their advice, the readouts, the consent
        list and the banner. The photo, its crop and the consent ticks stay."""
        self.lang = lang
        for page in (self.live_page, self.adjust_page, self.consent, self.print_page):
            page.set_language(lang)
        self.print_flow.show()
        self._show_notices()
        if self._camera_waiting:
            self.live_page.show_waiting()
        elif self.analysis is not None and self.photo is None:
            self.live_page.show_checks(self.analysis)
        if self.photo is not None:
            self.capture_flow.refresh_crop()
            self.adjust_page.show_quality(self.photo.analysis)
        self.banner.set_language(lang)
        said = self.banner.text_in(lang)
        if said is not None and self.preview.message and self.photo is None:
            self.preview.set_message(said)  # the camera's loss, over the picture
        self._show_fps()

    def _show_notices(self) -> None:
        self.notice.show_fallbacks(self._substitute is not None, self.print_flow.pdf_fallback)

    # ---- camera --------------------------------------------------------------------------
    @property
    def feed(self) -> CameraFeed | None:
        return self.camera_session.feed

    @property
    def analyser(self) -> FrameAnalyser | None:
        return self.camera_session.analyser

    @property
    def camera_stopping(self) -> bool:
        return self.camera_session.stopping

    def start_camera(self) -> None:
        """(Re)start the feed from the settings' camera (none once closing); while the
        previous camera's threads are still ending, the start waits for them."""
        self.stop_camera()
        self.camera_session.start(CameraConfig.from_settings(self.settings))

    def stop_camera(self) -> None:
        """Ask the camera threads to end (returns at once); the picture goes with them."""
        self.camera_session.stop()
        self.latest = None
        if self.photo is None:
            self.preview.show_frame(None)

    def _on_frame(self, frame: np.ndarray) -> None:
        self.latest = frame
        if self.photo is None:
            self.preview.show_frame(frame)
        if self.preview.message and self.photo is None and not self.banner.isVisible():
            self.preview.set_message("")

    def _on_substituted(self, reason: MadoguchiError | None) -> None:
        self._substitute = reason
        self._show_notices()

    def _on_camera_lost(self, error: MadoguchiError) -> None:
        self.latest = None
        self.analysis = None
        self._camera_waiting = True
        self.show_error(error)
        self.live_page.show_waiting()
        if self.photo is None:
            self.preview.set_message(error.message(self.lang))
        self.capture_button.setEnabled(False)

    def _on_camera_back(self) -> None:
        self._camera_waiting = False
        self.hide_banner()
        self.preview.set_message("")
        self.capture_button.setEnabled(not self.busy)
        self.status.emit(self.tr("カメラが再接続されました"))

    def _on_analysed(self, result: Analysis) -> None:
        if self.photo is not None or self._camera_waiting:  # a result from before the loss
            return
        self.analysis = result
        self.preview.set_guides(result.crop, result.ok, smooth=result.crop is not None)
        if result.crop is None:
            self.preview.crop = None
        self.live_page.show_checks(result)

    def _show_fps(self) -> None:
        feed, analyser = self.feed, self.analyser
        self.live_page.show_rates(self.preview.fps(), feed.fps if feed is not None else None,
                                  analyser.last_ms if analyser is not None else None)

    # ---- the photo (ui/photo_capture_flow.py) ------------------------------------------
    def go_consent(self) -> None:
        self.capture_flow.go_consent()

    def discard(self, reason: str) -> None:
        """Overwrite the photo's buffers and record the deletion (printed | declined | discarded)."""
        self.capture_flow.discard(reason)

    # ---- settings -----------------------------------------------------------------------
    def open_settings(self) -> None:
        from ui.photo_settings import PhotoSettingsDialog

        dialog = PhotoSettingsDialog(self.settings, self.spec, self.lang, self.printer_factory, self,
                                     printer_lister=self.printer_lister)
        self.settings_dialog = dialog
        dialog.accepted.connect(lambda: self.apply_settings(dialog.result_settings()))
        dialog.open()

    def apply_settings(self, settings: PhotoSettings) -> None:
        camera_changed = CameraConfig.from_settings(settings) != CameraConfig.from_settings(self.settings)
        old = self.settings
        self.save_settings(settings)
        self.preview.mirror = settings.mirror_preview
        self.print_page.choose_paper(settings)
        self.print_flow.show()
        self._show_notices()
        if (settings.printer_backend, settings.printer_name) != (old.printer_backend, old.printer_name):
            self.print_flow.list_printers()
        if camera_changed:
            self.hide_banner()
            self._camera_waiting = False
            self.preview.set_message("")
            self.start_camera()

    def save_settings(self, settings: PhotoSettings) -> None:
        """Use `settings` from now on and keep them for the next start (per laptop, no
        personal data); a failed write is logged and the station goes on."""
        self.settings = settings
        try:
            save_photo_settings(self.data_dir, settings)
        except OSError as exc:
            log.warning("photo settings not saved: %s", type(exc).__name__)

    # ---- feedback -----------------------------------------------------------------------
    def set_busy(self, busy: bool) -> None:
        """A capture, store write or print is running: nothing that would start another."""
        self.busy = busy
        self.capture_button.setEnabled(not busy)
        self.print_button.setEnabled(not busy)
        self.discard_button.setEnabled(not busy)
        self.consent.confirm_button.setEnabled(not busy and all(b.isChecked() for b in self.consent.boxes.values()))

    def hide_banner(self) -> None:
        self.banner.clear()

    def show_error(self, exc: BaseException) -> None:
        self.banner.show_error(exc, self.lang)

    def store_failed(self, exc: BaseException) -> None:
        self.set_busy(False)
        self.show_error(exc)

    # ---- closing ------------------------------------------------------------------------
    @property
    def pdf_dialog(self):
        """The PDF save dialog while it is open (no printer on this laptop)."""
        return self.print_flow.pdf_dialog

    def shutdown(self) -> None:
        """Closing: wait for a print (or capture) in flight — bounded, with a message —
        so its result is recorded; then wipe a photo still held and record that; then
        stop the camera threads, which overwrite their frames. No photo buffer of the
        screen is left un-wiped, even when the print does not end in time."""
        if self._shut:
            return
        self._shut = True
        self._fps_timer.stop()
        self.camera_session.close()
        self.print_flow.close()
        if self.photo is not None:
            self.discard("discarded")
        self.stop_camera()
        if not wait_while(self.camera_session.threads_running, self.exit_thread_wait_s,
                          lambda _s: self.tr("カメラを止めています…"), self, show_after=0.5, title=self.tr("写真撮影")):
            self.camera_session.wipe_now()  # a driver stuck in a read: overwrite from here
