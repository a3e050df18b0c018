"""Threads of the photo screen: camera feed, frame analysis, one-off background tasks.

The camera thread reads frames at the camera's rate into a small ring of buffers it
owns (so frames do not pile up in freed memory) and hands the newest to the UI; the
analysis thread takes a frame only when it is idle — frames that arrive while it is
busy are dropped, so analysis never slows the preview. Results reach the UI thread
through queued signals.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal

from app.errors import MadoguchiError
from app.photo.analysis import analyse
from app.photo.wipe import wipe
from app.profiles import PhotoSpec
from hardware.camera import Camera, CameraLost

log = logging.getLogger("madoguchi.ui.photo")

RING = 4
RETRY_SECONDS = 0.5


def _emit(signal, *args) -> None:
    """Emit from a worker thread; the receiver may be gone at exit (the object's C++
    side deleted), which must not end the thread with an error."""
    try:
        signal.emit(*args)
    except RuntimeError:  # pragma: no cover - depends on teardown order
        pass


class FrameAnalyser(QObject):
    """Analyses the newest frame whenever it is free. `analysed(result, seq)`;
    `stopped()` once its thread has ended and its buffer is overwritten."""

    analysed = Signal(object, int)
    stopped = Signal()

    def __init__(self, spec: PhotoSpec, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._buffer: np.ndarray | None = None
        self._seq = 0
        self._busy = False
        self._stopped = False
        self.analysed_count = 0
        self.dropped = 0
        self.last_ms = 0.0
        self._thread = threading.Thread(target=self._run, name="madoguchi-photo-analysis", daemon=True)
        self._thread.start()

    def offer(self, frame: np.ndarray, seq: int) -> bool:
        """Called by the camera thread: copy the frame in if idle, else drop it."""
        with self._lock:
            if self._busy or self._stopped:
                self.dropped += 1
                return False
            if self._buffer is None or self._buffer.shape != frame.shape:
                wipe(self._buffer)
                self._buffer = np.empty_like(frame)
            np.copyto(self._buffer, frame)
            self._seq = seq
            self._busy = True
        self._wake.set()
        return True

    def _run(self) -> None:
        try:
            self._loop()
        finally:
            self._wipe()
            _emit(self.stopped)

    def _loop(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._stopped:
                break
            with self._lock:
                frame, seq = self._buffer, self._seq
            if frame is None:
                continue
            started = time.perf_counter()
            try:
                result = analyse(frame, self.spec)
            except Exception as exc:  # a broken frame must not end the preview
                log.warning("frame analysis failed: %s", type(exc).__name__)
                result = None
            self.last_ms = (time.perf_counter() - started) * 1000
            with self._lock:
                self._busy = False
                self.analysed_count += 1
            if result is not None and not self._stopped:
                _emit(self.analysed, result, seq)

    def _wipe(self) -> None:
        with self._lock:
            wipe(self._buffer)
            self._buffer = None

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        """Ask the thread to end; returns at once. The thread overwrites its buffer
        and emits `stopped` (at most one analysis, ~15 ms, later)."""
        self._stopped = True
        self._wake.set()

    def wipe_now(self) -> None:
        """At exit, when the thread did not end in time: overwrite from here."""
        self._stopped = True
        self._wipe()


class CameraFeed(QObject):
    """Reads a camera on its own thread. Signals (all delivered on the UI thread):
    `frame_ready(frame, seq)`, `lost(error)`, `recovered()`, `failed(error)`.

    `substituted(error)` (the `auto` camera shows the test picture because no camera
    opened), `stopped()` (the thread has ended, the camera is closed and the ring of
    frames overwritten).

    `lost` and `failed` carry the MadoguchiError itself, not its text: the screen words
    it in its current language and again after a language switch."""

    frame_ready = Signal(object, int)
    lost = Signal(object)
    recovered = Signal()
    failed = Signal(object)
    substituted = Signal(object)
    stopped = Signal()

    def __init__(self, camera: Camera, analyser: FrameAnalyser | None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.camera = camera
        self.analyser = analyser
        self._ring: list[np.ndarray | None] = [None] * RING
        self._stop = threading.Event()
        self._delivered = threading.Event()
        self._delivered.set()
        self.frames = 0
        self._failed_once = False
        self.fps = camera.fps
        self._thread = threading.Thread(target=self._run, name="madoguchi-camera", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def consumed(self) -> None:
        """The UI took the last frame: the next one may be sent."""
        self._delivered.set()

    def _open_until_ready(self, first: bool) -> bool:
        reported = not first  # after a loss, "disconnected" is already on screen
        while not self._stop.is_set():
            try:
                self.camera.open()
                self.fps = self.camera.fps
                return True
            except MadoguchiError as exc:
                if not reported:
                    _emit(self.failed, exc)
                    reported = self._failed_once = True
            self._stop.wait(RETRY_SECONDS)
        return False

    def _run(self) -> None:
        try:
            self._loop()
        finally:
            try:
                self.camera.close()
            finally:
                self._wipe()
                _emit(self.stopped)

    def _loop(self) -> None:
        seq = 0
        if not self._open_until_ready(first=True):
            return
        if self._failed_once:  # plugged in after the screen opened
            _emit(self.recovered)
        substitute = getattr(self.camera, "fallback", None)
        if substitute is not None:
            _emit(self.substituted, substitute)
        while not self._stop.is_set():
            try:
                frame = self.camera.read()
            except CameraLost as exc:
                self.camera.close()
                if self._stop.is_set():
                    break
                _emit(self.lost, exc)
                if not self._open_until_ready(first=False):
                    break
                _emit(self.recovered)
                continue
            slot = seq % RING
            buf = self._ring[slot]
            if buf is None or buf.shape != frame.shape:
                wipe(buf)
                buf = self._ring[slot] = np.empty_like(frame)
            np.copyto(buf, frame)
            wipe(frame)  # the backend's own buffer of this frame
            if self.analyser is not None:
                self.analyser.offer(buf, seq)
            self.frames += 1
            if self._delivered.is_set() and not self._stop.is_set():  # the UI keeps up: the newest frame
                self._delivered.clear()
                _emit(self.frame_ready, buf, seq)
            seq += 1

    def _wipe(self) -> None:
        for buf in self._ring:
            wipe(buf)
        self._ring = [None] * RING

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        """Ask the thread to end; returns at once (a camera read or a reopening may take
        a while — never on the UI thread). The thread closes the camera, overwrites
        the ring and emits `stopped`."""
        self._stop.set()
        if not self._thread.is_alive() and self._thread.ident is None:  # never started
            self._wipe()
            _emit(self.stopped)

    def wipe_now(self) -> None:
        """At exit, when the thread did not end in time (a driver stuck in a read):
        overwrite the ring from here; the process ends with the thread."""
        self._stop.set()
        self._wipe()


class BackgroundTask(QObject):
    """Run `fn()` on a short-lived thread; `on_done(result)` / `on_error(exc)` run on
    the UI thread. Used for capture, printing and the test print."""

    _finished = Signal(object, object)

    def __init__(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
                 on_error: Callable[[BaseException], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn, self._on_done, self._on_error = fn, on_done, on_error
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.thread = threading.Thread(target=self._run, name="madoguchi-photo-task", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            result, error = self._fn(), None
        except Exception as exc:
            result, error = None, exc
        _emit(self._finished, result, error)

    @property
    def running(self) -> bool:
        return self.thread.is_alive()

    def _deliver(self, result, error) -> None:
        if error is not None:
            self._on_error(error)
        else:
            self._on_done(result)
        self.deleteLater()
