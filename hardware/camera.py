"""The camera interface and its registry of backends.

A camera gives BGR frames (numpy uint8, H×W×3) at its frame rate: `open()`, then
`read()` blocks until the next frame, `close()`. Backends are chosen by configuration:

- ``auto`` (the default of a fresh installation): the OpenCV device when one opens,
  else the synthetic picture, said so on screen (hardware/camera_auto.py);
- ``device``: a real camera through OpenCV (index, resolution, frame rate), chosen in
  the settings: when it does not open, that is reported — never replaced;
- ``video``: a video file played in a loop at its own rate;
- ``stills``: a folder of still images shown one after another;
- ``synthetic``: a drawn test picture (no camera needed at all).

A camera that stops delivering (unplugged) raises CameraLost from read(); the
caller closes it and retries open() until it comes back.
"""
from __future__ import annotations

import logging
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from app.errors import MadoguchiError
from app.photo import messages  # noqa: F401 - registers the CAMERA_* codes

log = logging.getLogger("madoguchi.hardware.camera")


class CameraLost(MadoguchiError):
    """The camera stopped delivering frames (unplugged, switched off, driver error)."""

    def __init__(self, name: str) -> None:
        super().__init__("CAMERA_LOST", name=name)


@dataclass(frozen=True)
class CameraConfig:
    backend: str = "auto"
    index: int = 0
    width: int = 1920
    height: int = 1080
    fps: float = 30.0
    path: str = ""

    @classmethod
    def from_settings(cls, s) -> "CameraConfig":
        return cls(backend=s.camera_backend, index=s.camera_index, width=s.camera_width,
                   height=s.camera_height, fps=s.camera_fps, path=s.camera_path)


class Camera(ABC):
    """One camera. Not thread-safe: one thread opens, reads and closes it."""

    def __init__(self, config: CameraConfig) -> None:
        self.config = config
        self.fps = float(config.fps) if config.fps and config.fps > 0 else 30.0

    @property
    def name(self) -> str:
        return self.config.backend

    @property
    def frame_interval(self) -> float:
        return 1.0 / self.fps

    @abstractmethod
    def open(self) -> None:
        """Raise MadoguchiError (CAMERA_OPEN_FAILED / CAMERA_SOURCE_MISSING) if it can't."""

    @abstractmethod
    def read(self) -> np.ndarray:
        """The next frame, blocking for up to one frame interval. Raises CameraLost."""

    @abstractmethod
    def close(self) -> None:
        ...

    def __enter__(self) -> "Camera":
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Pacer:
    """Hands out frames of a simulated source at the configured rate, like a real
    camera would: read() sleeps until the next frame is due."""

    def __init__(self, fps: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = 1.0 / fps
        self.clock, self.sleep = clock, sleep
        self.next_due: float | None = None

    def wait(self) -> None:
        now = self.clock()
        if self.next_due is None:
            self.next_due = now
        elif now < self.next_due:
            self.sleep(self.next_due - now)
        else:
            # Late (the reader was busy): this frame now, the next a full interval
            # later — no burst of frames to catch up.
            self.next_due = now
        self.next_due += self.interval


CAMERA_BACKENDS: dict[str, type[Camera]] = {}


def register_camera(key: str):
    def deco(cls: type[Camera]) -> type[Camera]:
        CAMERA_BACKENDS[key] = cls
        return cls
    return deco


def make_camera(config: CameraConfig) -> Camera:
    from hardware import camera_auto, camera_opencv, camera_sim  # noqa: F401 - register the backends

    cls = CAMERA_BACKENDS.get(config.backend)
    if cls is None:
        raise MadoguchiError("CAMERA_BACKEND_UNKNOWN", backend=config.backend,
                             allowed=", ".join(sorted(CAMERA_BACKENDS)))
    return cls(config)


@dataclass(frozen=True)
class CameraChoice:
    label_ja: str
    label_en: str
    config: CameraConfig
    detail: dict = field(default_factory=dict)

    def label(self, lang: str = "ja") -> str:
        return self.label_en if lang == "en" else self.label_ja


def describe(config: CameraConfig) -> CameraChoice:
    """A label for any configured source, without probing (shown while the settings
    are still looking for cameras)."""
    if config.backend == "auto":
        return CameraChoice("自動（カメラがなければテスト画像）", "Automatic (test picture when no camera)", config)
    if config.backend == "device":
        return CameraChoice(f"カメラ {config.index}", f"Camera {config.index}", config)
    if config.backend == "video":
        return CameraChoice(f"動画ファイル：{config.path}", f"Video file: {config.path}", config)
    if config.backend == "stills":
        return CameraChoice(f"静止画フォルダー：{config.path}", f"Still images: {config.path}", config)
    return CameraChoice("テスト画像（カメラなし）", "Test picture (no camera)", config)


def list_cameras(current: CameraConfig | None = None, probe: int = 4) -> list[CameraChoice]:
    """What the settings offer: automatic (first run), the cameras OpenCV can open now
    (indexes 0..probe-1), then the simulated sources (the configured file/folder if
    any). Slow on Windows (each index is opened): call it off the UI thread."""
    from hardware.camera_opencv import probe_devices

    base = current or CameraConfig()
    auto_index = current.index if current is not None and current.backend == "auto" else 0
    choices = [describe(CameraConfig("auto", auto_index, base.width, base.height, base.fps))]
    choices += [CameraChoice(f"カメラ {i}（{name}）", f"Camera {i} ({name})",
                             CameraConfig("device", i, base.width, base.height, base.fps))
                for i, name in probe_devices(probe)]
    if current is not None and current.backend in ("video", "stills") and current.path:
        choices.append(describe(current))
    choices.append(describe(CameraConfig("synthetic", 0, 1280, 720, 30.0)))
    return choices
