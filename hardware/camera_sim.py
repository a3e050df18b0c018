"""Simulated cameras: real backends for a laptop without a camera, demos and tests.

They deliver frames at their frame rate like a device does (Pacer), so the preview,
the analysis thread and the frame budget behave as with a real camera.
"""
from __future__ import annotations

import logging
import math
from pathlib import Path

import cv2
import numpy as np

from app.errors import MadoguchiError
from hardware.camera import Camera, CameraConfig, CameraLost, Pacer, register_camera

log = logging.getLogger("madoguchi.hardware.camera")
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp"}


@register_camera("video")
class VideoFileCamera(Camera):
    """A video file, looped. Its own frame rate unless the configuration sets one."""

    def __init__(self, config: CameraConfig) -> None:
        super().__init__(config)
        self._cap = None
        self._pacer: Pacer | None = None

    @property
    def name(self) -> str:
        return Path(self.config.path).name or "video"

    def open(self) -> None:
        path = Path(self.config.path)
        if not path.is_file():
            raise MadoguchiError("CAMERA_SOURCE_MISSING", path=str(path))
        cap = cv2.VideoCapture(str(path))
        if not cap.isOpened():
            cap.release()
            raise MadoguchiError("CAMERA_OPEN_FAILED", name=self.name)
        native = cap.get(cv2.CAP_PROP_FPS)
        if not (self.config.fps and self.config.fps > 0) and native and native > 0:
            self.fps = float(native)
        self._cap = cap
        self._pacer = Pacer(self.fps)

    def read(self) -> np.ndarray:
        if self._cap is None or self._pacer is None:
            raise CameraLost(self.name)
        self._pacer.wait()
        ok, frame = self._cap.read()
        if not ok:  # end of the file: play it again
            self._cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = self._cap.read()
        if not ok or frame is None:
            raise CameraLost(self.name)
        return frame

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


@register_camera("stills")
class StillFolderCamera(Camera):
    """The images of a folder in name order, each shown for `hold` frames."""

    hold = 15

    def __init__(self, config: CameraConfig) -> None:
        super().__init__(config)
        self._images: list[np.ndarray] = []
        self._i = 0
        self._pacer: Pacer | None = None

    @property
    def name(self) -> str:
        return Path(self.config.path).name or "stills"

    def open(self) -> None:
        folder = Path(self.config.path)
        if not folder.is_dir():
            raise MadoguchiError("CAMERA_SOURCE_MISSING", path=str(folder))
        images = []
        for p in sorted(folder.iterdir()):
            if p.suffix.lower() in IMAGE_SUFFIXES:
                img = cv2.imdecode(np.fromfile(str(p), np.uint8), cv2.IMREAD_COLOR)
                if img is not None:
                    images.append(img)
        if not images:
            raise MadoguchiError("CAMERA_OPEN_FAILED", name=self.name)
        self._images, self._i = images, 0
        self._pacer = Pacer(self.fps)

    def read(self) -> np.ndarray:
        if not self._images or self._pacer is None:
            raise CameraLost(self.name)
        self._pacer.wait()
        frame = self._images[(self._i // self.hold) % len(self._images)].copy()
        self._i += 1
        return frame

    def close(self) -> None:
        for img in self._images:
            img.fill(0)
        self._images = []


@register_camera("synthetic")
class SyntheticCamera(Camera):
    """A drawn picture: a light backdrop, a head-and-shoulders silhouette swaying a
    little, a frame counter. Shows the preview and guides work without any camera."""

    def __init__(self, config: CameraConfig) -> None:
        super().__init__(config)
        self._n = 0
        self._pacer: Pacer | None = None
        self._backdrop: np.ndarray | None = None

    @property
    def name(self) -> str:
        return "synthetic"

    def open(self) -> None:
        w, h = self.config.width or 1280, self.config.height or 720
        ramp = np.linspace(236, 224, h, dtype=np.float32)[:, None, None]
        self._backdrop = np.broadcast_to(ramp, (h, w, 3)).astype(np.uint8).copy()
        self._pacer = Pacer(self.fps)
        self._n = 0

    def read(self) -> np.ndarray:
        if self._backdrop is None or self._pacer is None:
            raise CameraLost(self.name)
        self._pacer.wait()
        frame = self._backdrop.copy()
        h, w = frame.shape[:2]
        sway = int(0.03 * w * math.sin(self._n / 30.0))
        cx, head = w // 2 + sway, int(h * 0.62)
        cv2.ellipse(frame, (cx, int(h * 0.95)), (int(head * 0.75), int(head * 0.35)), 0, 180, 360, (90, 70, 60), -1)
        cv2.ellipse(frame, (cx, int(h * 0.12) + head // 2), (int(head * 0.38), head // 2), 0, 0, 360, (150, 170, 200), -1)
        cv2.ellipse(frame, (cx, int(h * 0.12) + head // 3), (int(head * 0.40), head // 3), 0, 180, 360, (40, 45, 60), -1)
        cv2.putText(frame, f"SYNTHETIC {self._n:05d}", (16, h - 16), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (90, 90, 90), 2)
        self._n += 1
        return frame

    def close(self) -> None:
        self._backdrop = None
