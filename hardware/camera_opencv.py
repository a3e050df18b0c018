"""Real cameras through OpenCV's VideoCapture (V4L2 on Linux, Media Foundation /
DirectShow on Windows)."""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any, Callable

import cv2
import numpy as np

from app.errors import MadoguchiError
from hardware.camera import Camera, CameraConfig, CameraLost, register_camera

log = logging.getLogger("madoguchi.hardware.camera")

# A failed read right after a good one is usually a hiccup of the driver; this many
# in a row means the camera is gone.
FAILED_READS_LOST = 3


def _quiet_opencv() -> None:
    """OpenCV prints a warning for every index it cannot open; the settings probe
    indexes that may not exist."""
    try:
        cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)
    except AttributeError:  # pragma: no cover - older OpenCV
        pass


@register_camera("device")
class OpenCVDeviceCamera(Camera):
    """`capture_factory(index)` makes the VideoCapture; tests pass one that can be
    'unplugged'."""

    def __init__(self, config: CameraConfig,
                 capture_factory: Callable[[Any], Any] | None = None) -> None:
        super().__init__(config)
        self._factory = capture_factory or _default_capture
        self._cap = None
        self._failures = 0

    @property
    def name(self) -> str:
        return f"camera {self.config.index}"

    def open(self) -> None:
        _quiet_opencv()
        cap = self._factory(self.config.index)
        if cap is None or not cap.isOpened():
            if cap is not None:
                cap.release()
            raise MadoguchiError("CAMERA_OPEN_FAILED", name=self.name)
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.config.width)
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.config.height)
        cap.set(cv2.CAP_PROP_FPS, self.fps)
        reported = cap.get(cv2.CAP_PROP_FPS)
        if reported and 1 <= reported <= 240:
            self.fps = float(reported)
        self._cap = cap
        self._failures = 0
        log.info("camera %d opened at %.0f fps", self.config.index, self.fps)

    def read(self) -> np.ndarray:
        if self._cap is None:
            raise CameraLost(self.name)
        while True:
            ok, frame = self._cap.read()
            if ok and frame is not None and frame.size:
                self._failures = 0
                return frame
            self._failures += 1
            if self._failures >= FAILED_READS_LOST:
                log.warning("camera %d lost", self.config.index)
                raise CameraLost(self.name)

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


def _default_capture(index):
    if sys.platform == "win32":
        return cv2.VideoCapture(index, cv2.CAP_DSHOW)
    return cv2.VideoCapture(index)


def probe_devices(limit: int = 4) -> list[tuple[int, str]]:
    """(index, name) of the cameras present. On Linux the names come from sysfs and
    nothing is opened; elsewhere each index is tried."""
    sysfs = Path("/sys/class/video4linux")
    if sys.platform.startswith("linux"):
        found = []
        if sysfs.is_dir():
            for node in sorted(sysfs.glob("video*"), key=lambda p: int(p.name[5:] or 0)):
                index = int(node.name[5:] or 0)
                if index >= limit * 4:
                    continue
                name = (node / "name").read_text(encoding="utf-8", errors="replace").strip() \
                    if (node / "name").exists() else node.name
                if os.access(f"/dev/{node.name}", os.R_OK):
                    found.append((index, name))
        return found
    _quiet_opencv()
    found = []
    for index in range(limit):
        cap = _default_capture(index)
        try:
            if cap.isOpened():
                found.append((index, f"#{index}"))
        finally:
            cap.release()
    return found
