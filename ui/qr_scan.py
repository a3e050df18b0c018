"""Reading codes off the UI thread: from the camera (hardware/ camera backends,
frames kept in memory only, never written) or from an image file.

Results reach the UI thread through queued signals; the UI thread never waits
for the camera or the decoder.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any, Callable

import cv2
from PySide6.QtCore import QObject, Qt, Signal

from app.errors import MadoguchiError
from app.qrcodes.decode import decode_image_file

log = logging.getLogger("madoguchi.ui.qr")


class Background(QObject):
    """Run one slow function on its own thread; `done`/`failed` arrive on the UI thread."""

    _finished = Signal(object, object)

    def __init__(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
                 on_error: Callable[[BaseException], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_done, self._on_error = on_done, on_error
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.thread = threading.Thread(target=self._run, args=(fn,), name="madoguchi-qr-bg", daemon=True)
        self.thread.start()

    def _run(self, fn: Callable[[], Any]) -> None:
        try:
            self._finished.emit(fn(), None)
        except Exception as exc:  # delivered to the UI, which shows it
            self._finished.emit(None, exc)

    def _deliver(self, result: Any, error: BaseException | None) -> None:
        if error is not None:
            self._on_error(error)
        else:
            self._on_done(result)
        self.deleteLater()


def decode_file_in_background(path: str | Path, on_done: Callable[[list[str]], None],
                              on_error: Callable[[BaseException], None], parent: QObject) -> Background:
    return Background(lambda: decode_image_file(path), on_done, on_error, parent)


def camera_available() -> bool:
    try:
        import hardware.camera  # noqa: F401
    except ImportError:
        return False
    return True


def camera_config_for(data_dir: Path):
    """The camera the photo station is set to (settings of the data folder)."""
    from app.photo.settings import load_photo_settings
    from hardware.camera import CameraConfig

    return CameraConfig.from_settings(load_photo_settings(data_dir))


class CameraScanner(QObject):
    """Reads frames until one holds a QR code whose text passes `accept`, then
    emits `found(text)` once and stops. `failed(exc)` when the camera can't open."""

    found = Signal(str)
    failed = Signal(object)
    _found = Signal(str)
    _failed = Signal(object)

    def __init__(self, config, accept: Callable[[str], bool] = lambda _t: True,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.config = config
        self.accept = accept
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._found.connect(self._on_found, Qt.ConnectionType.QueuedConnection)
        self._failed.connect(self.failed.emit, Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="madoguchi-qr-camera", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _on_found(self, text: str) -> None:
        if not self._stop.is_set():
            self._stop.set()
            self.found.emit(text)

    def _run(self) -> None:
        from hardware.camera import make_camera

        detector = cv2.QRCodeDetector()
        try:
            camera = make_camera(self.config)
            camera.open()
        except MadoguchiError as exc:
            self._failed.emit(exc)
            return
        try:
            while not self._stop.is_set():
                frame = camera.read()
                gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if frame.ndim == 3 else frame
                if max(gray.shape) > 1280:  # big frames: faster, and still plenty of pixels per module
                    f = 1280 / max(gray.shape)
                    gray = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
                text, _points, _ = detector.detectAndDecode(gray)
                del frame, gray  # camera frames stay in memory only, and not for long
                if text and self.accept(text):
                    self._found.emit(text)
                    return
        except MadoguchiError as exc:
            self._failed.emit(exc)
        finally:
            camera.close()
