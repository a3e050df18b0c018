"""The photo screen's camera: one CameraFeed and its FrameAnalyser at a time.

Stopping never waits on the UI thread: the threads are asked to end, and each signals
`stopped` once it has closed its camera and overwritten its frames. A new camera
starts only after the old one has let go (a device cannot be opened twice on
Windows). Signals a replaced feed posted before its stop are dropped here, so the
screen only hears about the camera it shows.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal

from app.errors import MadoguchiError
from app.photo.analysis import Analysis
from app.profiles import PhotoSpec
from hardware.camera import Camera, CameraConfig
from ui.photo_threads import CameraFeed, FrameAnalyser

QUEUED = Qt.ConnectionType.QueuedConnection


class CameraSession(QObject):
    """Signals, all on the UI thread and only about the current camera:
    `new_frame(frame)` (a buffer of the feed's ring: read it, do not keep it past the
    next frame), `analysed(result)`, `lost(error)` (disconnected or cannot be opened;
    the feed keeps trying), `recovered()`, `substituted(error | None)` (why the `auto`
    camera shows the test picture; None when a new camera starts) and
    `start_failed(error)` (the camera could not even be made from its settings)."""

    new_frame = Signal(object)
    analysed = Signal(object)
    lost = Signal(object)
    recovered = Signal()
    substituted = Signal(object)
    start_failed = Signal(object)

    def __init__(self, spec: PhotoSpec, camera_factory: Callable[[CameraConfig], Camera],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.spec, self.camera_factory = spec, camera_factory
        self.feed: CameraFeed | None = None
        self.analyser: FrameAnalyser | None = None
        self._stopping: list = []                 # feeds / analysers still ending
        self._pending: CameraConfig | None = None  # to start once they have ended
        self._closed = False

    def start(self, config: CameraConfig) -> None:
        """Start the camera of `config` — at once, or when the previous threads have
        ended. Call stop() first."""
        if self._closed:
            return
        if self._stopping:
            self._pending = config
            return
        self._pending = None
        self.substituted.emit(None)
        try:
            camera = self.camera_factory(config)
        except MadoguchiError as exc:
            self.start_failed.emit(exc)
            return
        # No Qt parent: the threads may outlive the screen by a moment at exit, and
        # their last signals must find their objects alive.
        self.analyser = FrameAnalyser(self.spec)
        self.analyser.analysed.connect(self._analysed, QUEUED)
        self.feed = CameraFeed(camera, self.analyser)
        self.feed.frame_ready.connect(self._frame, QUEUED)
        self.feed.lost.connect(self._lost, QUEUED)
        self.feed.failed.connect(self._lost, QUEUED)
        self.feed.recovered.connect(self._recovered, QUEUED)
        self.feed.substituted.connect(self._substituted, QUEUED)
        self.feed.start()

    def stop(self) -> None:
        """Ask the camera and analysis threads to end; returns at once. Each thread
        closes its camera, overwrites its frames and then signals `stopped`."""
        for worker in (self.feed, self.analyser):
            if worker is None:
                continue
            self._stopping.append(worker)
            worker.stopped.connect(self._thread_stopped, QUEUED)
            worker.stop()
        self.feed = self.analyser = None

    def close(self) -> None:
        """The screen is closing: no camera starts from now on (stop() still to come)."""
        self._closed = True

    @property
    def stopping(self) -> bool:
        """Threads asked to stop whose `stopped` has not arrived yet."""
        return bool(self._stopping)

    def threads_running(self) -> bool:
        return any(w.running for w in self._stopping)

    def wipe_now(self) -> None:
        """At exit, for threads that did not end in time (a driver stuck in a read):
        overwrite their frames from here; the process ends with the threads."""
        for worker in self._stopping:
            worker.wipe_now()

    # ---- from the threads (queued) -------------------------------------------------------
    def _thread_stopped(self) -> None:
        worker = self.sender()
        if worker in self._stopping:
            self._stopping.remove(worker)
        if not self._stopping and self._pending is not None and not self._closed:
            self.start(self._pending)

    def _frame(self, frame: np.ndarray, seq: int) -> None:
        if self.sender() is not self.feed or self.feed is None:  # posted before a stop
            return
        self.feed.consumed()
        self.new_frame.emit(frame)

    def _analysed(self, result: Analysis, seq: int) -> None:
        if self.sender() is not self.analyser or self.analyser is None:  # from a stopped camera
            return
        self.analysed.emit(result)

    def _lost(self, error: MadoguchiError) -> None:
        if self.sender() is self.feed:  # not a camera already switched away from
            self.lost.emit(error)

    def _recovered(self) -> None:
        if self.sender() is self.feed:
            self.recovered.emit()

    def _substituted(self, reason: MadoguchiError) -> None:
        if self.sender() is self.feed:
            self.substituted.emit(reason)
