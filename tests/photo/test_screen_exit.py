"""Closing during a print waits for it (bounded, with a message), then wipes the photo
and records the facts; stopping a camera never waits on the UI thread."""
from __future__ import annotations

import threading

import numpy as np
from PySide6.QtCore import QTimer

from app.photo import facts
from app.photo.settings import PhotoSettings
from app.store import Store
from app.tallies import totals
from hardware.camera import Camera, CameraConfig, Pacer
from hardware.printer import PrinterConfig, make_printer
from tests.photo.screen_helpers import WAIT_MS, capture_now, click, consent, make_screen, wait_ready
from tests.photo.test_main_window import day_menu_action
from tests.ui.helpers import open_day, start_window, wait_idle


class HeldPrinter:
    """Prints to a PDF file once `release` is set (a slow printer)."""

    def __init__(self, path):
        self.release = threading.Event()
        self.started = threading.Event()
        self.pdf = make_printer(PrinterConfig("pdf", pdf_path=str(path)))

    def __call__(self, config):
        return self

    def print_sheet(self, *args, **kwargs):
        self.started.set()
        assert self.release.wait(30), "the test never released the printer"
        return self.pdf.print_sheet(*args, **kwargs)


def photo_state(data_dir, opening_id):
    with Store.open(data_dir, read_only=True) as store:
        return (facts.photo_counts(store, opening_id), [d["reason"] for d in facts.deletions(store, opening_id)],
                totals(store, opening_id)["photo"]["total"])


def printing(qtbot, screen, printer) -> tuple[np.ndarray, np.ndarray]:
    wait_ready(qtbot, screen)
    capture_now(qtbot, screen)
    consent(qtbot, screen)
    buffers = screen.photo.frame, screen.photo.photo()
    click(qtbot, screen.print_button)
    qtbot.waitUntil(printer.started.is_set, timeout=WAIT_MS)
    assert screen.busy
    return buffers


def test_app_exit_during_a_print_waits_then_wipes_and_records(qtbot, data_dir, face_video, tmp_path):
    """The booth app is closed while the sheet is printing: a message says the close
    waits; when the print ends the photo is counted, wiped and its deletion recorded
    before the store closes."""
    from app.photo.settings import save_photo_settings

    printer = HeldPrinter(tmp_path / "sheet.pdf")
    save_photo_settings(data_dir, PhotoSettings(camera_backend="video", camera_path=str(face_video), sheet="L",
                                                count=2, printer_backend="pdf", pdf_path=str(tmp_path / "x.pdf")))
    window = start_window(qtbot, data_dir)
    open_day(qtbot, window)
    window.photo.open_station()
    screen = window.photo.window.screen_
    screen.printer_factory = printer
    opening_id = screen.opening_id
    frame, pixels = printing(qtbot, screen, printer)
    seen = {}

    def while_waiting():
        dialog = screen.exit_dialog
        seen["text"] = dialog.labelText() if dialog is not None and dialog.isVisible() else None
        seen["photo_held"] = screen.photo is not None and bool(frame.any())
        printer.release.set()
    QTimer.singleShot(300, while_waiting)
    window.close()  # returns once the print has ended and everything is recorded
    assert seen["text"] is not None and seen["text"].startswith("印刷が終わるのを待っています")
    assert seen["photo_held"]  # not wiped under the running print
    assert not frame.any() and not pixels.any()
    assert (tmp_path / "sheet.pdf").stat().st_size > 0
    counts, reasons, tapped = photo_state(data_dir, opening_id)
    assert counts["printed"] == 1 and reasons == ["printed"] and tapped == 1


def test_a_print_that_outlasts_the_wait_is_wiped_anyway(qtbot, data_dir, face_video, tmp_path):
    settings = PhotoSettings(camera_backend="video", camera_path=str(face_video), sheet="L", count=1,
                             printer_backend="pdf", pdf_path=str(tmp_path / "x.pdf"))
    printer = HeldPrinter(tmp_path / "late.pdf")
    screen = make_screen(qtbot, data_dir, settings, printer_factory=printer)
    frame, pixels = printing(qtbot, screen, printer)
    screen.exit_print_wait_s = 0.5
    screen.shutdown()
    assert screen.photo is None and not frame.any() and not pixels.any()
    qtbot.waitUntil(lambda: screen._test_worker.pending == 0, timeout=WAIT_MS)
    counts, reasons, _ = photo_state(data_dir, screen.opening_id)
    assert reasons == ["discarded"] and counts["printed"] == 0
    # The job ends later after all (the window closed, the app still running): the
    # sheet that came out is counted once, nothing else happens to the wiped photo.
    printer.release.set()
    qtbot.waitUntil(lambda: not screen.busy and screen._test_worker.pending == 0
                    and photo_state(data_dir, screen.opening_id)[0]["printed"] == 1, timeout=WAIT_MS)
    counts, reasons, tapped = photo_state(data_dir, screen.opening_id)
    assert reasons == ["discarded"] and tapped == 1
    screen._test_worker.stop()


class StuckCamera(Camera):
    """Delivers frames until `stick` is set; then a read hangs (a driver stuck) until
    `release` is set."""

    def __init__(self, config: CameraConfig) -> None:
        super().__init__(config)
        self.stick, self.release, self.in_read = threading.Event(), threading.Event(), threading.Event()
        self.closed = False
        self._pacer = Pacer(30)

    def open(self) -> None:
        self.closed = False

    def read(self) -> np.ndarray:
        if self.stick.is_set():
            self.in_read.set()
            self.release.wait(30)
        self._pacer.wait()
        return np.full((360, 640, 3), 200, np.uint8)

    def close(self) -> None:
        self.closed = True


def test_stopping_a_stuck_camera_does_not_wait_and_the_next_one_waits_for_it(qtbot, data_dir, tmp_path):
    cameras = []

    def factory(config):
        cameras.append(StuckCamera(config) if config.backend == "device" else None)
        if config.backend != "device":
            from hardware.camera import make_camera

            cameras[-1] = make_camera(config)
        return cameras[-1]
    settings = PhotoSettings(camera_backend="device", printer_backend="pdf", pdf_path=str(tmp_path / "x.pdf"))
    screen = make_screen(qtbot, data_dir, settings, camera_factory=factory)
    qtbot.waitUntil(lambda: screen.preview.painted > 3, timeout=WAIT_MS)
    stuck = cameras[0]
    feed = screen.feed
    stuck.stick.set()
    qtbot.waitUntil(stuck.in_read.is_set, timeout=WAIT_MS)

    # Switching to the test picture: the stuck camera is asked to stop, the UI goes on.
    screen.apply_settings(settings.with_(camera_backend="synthetic"))
    assert screen.camera_stopping and feed.running and not stuck.closed
    assert screen.feed is None and len(cameras) == 1  # the next camera waits for the old one
    stuck.release.set()
    qtbot.waitUntil(lambda: not screen.camera_stopping, timeout=WAIT_MS)
    assert stuck.closed and all(buf is None for buf in feed._ring)
    painted = screen.preview.painted
    qtbot.waitUntil(lambda: screen.feed is not None and screen.preview.painted > painted + 3, timeout=WAIT_MS)
    assert screen.feed.camera.name == "synthetic"
    screen.shutdown()
    screen._test_worker.stop()
