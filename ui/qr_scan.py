"""Reading codes off the UI thread: from the camera (hardware/ camera backends,
frames kept in memory only, never written) or from an image file; the dialog
parts every code-reading dialog shares (CodeReaderDialog: the points panel's
ScanCodeDialog, ui/qr_points_scan.py) and a small scan dialog other features use
(the sync settings' enrolment code).

Results reach the UI thread through queued signals; the UI thread never waits
for the camera or the decoder.
"""
from __future__ import annotations

import itertools
import logging
import threading
from pathlib import Path
from typing import Any, Callable

import cv2
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.errors import MadoguchiError
from app.qrcodes.decode import decode_image_file
from ui.qr_common import IMAGE_FILTER, action_button

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

        # The two detectors take turns, frame by frame. OpenCV's plain detector misses
        # about 2 % of crisp codes as another laptop's screen shows them (measured
        # over 1,000 transfer codes in ShowCodeDialog); the Aruco-based one read every
        # one of them. A camera on a stand sends the same picture again and again, so
        # a miss would repeat until the staff move the laptop. Both are fast enough
        # for every frame (10-20 ms at 720p).
        detectors = itertools.cycle([cv2.QRCodeDetector(), cv2.QRCodeDetectorAruco()])
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
                try:
                    text, _points, _ = next(detectors).detectAndDecode(gray)
                except cv2.error:  # a frame that trips the detector: the next one is read
                    text = ""
                del frame, gray  # camera frames stay in memory only, and not for long
                if text and self.accept(text):
                    self._found.emit(text)
                    return
        except MadoguchiError as exc:
            self._failed.emit(exc)
        finally:
            camera.close()


class CodeReaderDialog(QDialog):
    """What every dialog that reads one code shares: a status line, the camera
    (frames read and decoded on the scanner's thread, which stops with the
    dialog) and an image file (decoded off the UI thread). A subclass lays the
    parts out and says what a text read, or a failure, means to it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scanner: CameraScanner | None = None
        self.status = QLabel(self)
        self.status.setWordWrap(True)

    def _image_button(self, name: str, layout: QHBoxLayout) -> QPushButton:
        return action_button(self, name, self.choose_image, layout, text=self.tr("画像ファイルから読み取る…"))

    def _start_scanner(self, config, accept: Callable[[str], bool]) -> None:
        """Look for a code that passes `accept` (the same scanner again after a stop)."""
        if self.scanner is None:
            self.scanner = CameraScanner(config, accept, self)
            self.scanner.found.connect(self._code_seen)
            self.scanner.failed.connect(self._camera_failed)
        self.status.setStyleSheet("")  # a refusal shown before is red
        self.status.setText(self.tr("カメラにコードを向けてください…"))
        self.scanner.start()

    def stop_camera(self) -> None:
        if self.scanner is not None:
            self.scanner.stop()

    def choose_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("コードの画像を選ぶ"), "", IMAGE_FILTER)
        if path:
            self.read_image(path)

    def read_image(self, path: str) -> None:
        self.status.setStyleSheet("")
        self.status.setText(self.tr("画像を読み取っています…"))
        decode_file_in_background(path, self._image_read, self._image_failed, self)

    def done(self, result: int) -> None:  # noqa: D401 - Qt override: stop the camera on close
        self.stop_camera()
        super().done(result)

    # What the subclass does with what was read.
    def _code_seen(self, text: str) -> None:
        raise NotImplementedError

    def _camera_failed(self, exc: BaseException) -> None:
        raise NotImplementedError

    def _image_read(self, texts: list[str]) -> None:
        raise NotImplementedError

    def _image_failed(self, exc: BaseException) -> None:
        raise NotImplementedError


class ScanTextDialog(CodeReaderDialog):
    """Read one QR code for another feature (e.g. the sync settings' enrolment
    code): the camera the photo station is set to, or an image file. Closes by
    itself with the text once a code that passes `accept` is seen."""

    def __init__(self, title: str, prompt: str, camera_config, accept: Callable[[str], bool],
                 lang: str = "ja", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("qr-scan-text")
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.lang, self.accept_text, self.text = lang, accept, ""
        layout = QVBoxLayout(self)
        info = QLabel(prompt, self)
        info.setWordWrap(True)
        layout.addWidget(info)
        self.status.setObjectName("qr-scan-text-status")
        layout.addWidget(self.status)
        row = QHBoxLayout()
        self._image_button("qr-scan-text-image", row)
        row.addStretch(1)
        action_button(self, "qr-scan-text-cancel", self.reject, row, text=self.tr("キャンセル"))
        layout.addLayout(row)
        if camera_config is not None:
            self._start_scanner(camera_config, accept)  # no button: the camera is why it was opened
        else:
            self.status.setText(self.tr("カメラが設定されていません。コードの画像ファイルを選んでください。"))

    def _code_seen(self, text: str) -> None:
        self.text = text
        self.accept()

    def _camera_failed(self, exc: BaseException) -> None:
        message = exc.message(self.lang) if isinstance(exc, MadoguchiError) else type(exc).__name__
        self.status.setText(self.tr("カメラで読み取れません（{reason}）。コードの画像ファイルを選べます。").format(
            reason=message))

    def _image_read(self, texts: list[str]) -> None:
        wanted = [t for t in texts if self.accept_text(t)]
        if wanted:
            self._code_seen(wanted[0])
        else:
            self.status.setText(self.tr("この画像には読み取れるコードがありません。"))

    def _image_failed(self, exc: BaseException) -> None:
        self.status.setText(exc.message(self.lang) if isinstance(exc, MadoguchiError) else type(exc).__name__)


def enrol_scan_callable(parent: QWidget, data_dir: Path, lang: str = "ja") -> Callable[[], str | None]:
    """For ui/sync_settings.py's `scan`: a blocking scan of the office's enrolment
    QR code (`madoguchi://enrol?code=…&hub=…`, or the bare code). Returns the text,
    or None when the staff cancel. Modal: the camera runs on its own thread meanwhile."""
    from sync import secrets_util as su

    def accept(text: str) -> bool:
        return text.strip().startswith(su.ENROL_URI) or len(su.normalize_code(text)) == su.CODE_LENGTH

    def scan() -> str | None:
        config = camera_config_for(data_dir) if camera_available() else None
        dialog = ScanTextDialog(QCoreApplication.translate("ScanTextDialog", "登録コードを読み取る"),
                                QCoreApplication.translate(
                                    "ScanTextDialog", "事務局が発行した登録コードの QR を、カメラに向けてください。"),
                                config, accept, lang, parent)
        try:
            return dialog.text if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
    return scan
