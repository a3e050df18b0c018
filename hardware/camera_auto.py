"""The first-run camera: the booth's camera when one opens, else the test picture.

`auto` is the default of a fresh installation. It tries the OpenCV device (the
configured index); when none opens it shows the synthetic test picture instead and
says so (`fallback` holds why), so the station works on a laptop without a camera.
Once the device has opened, it is the camera of this session: if it is unplugged
later, `read()` raises CameraLost and `open()` keeps failing until it is back — the
screen reports the loss and recovers, it never switches to the test picture then.
A camera chosen in the settings (backend `device`) never falls back at all.
"""
from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any, Callable

import numpy as np

from app.errors import MadoguchiError
from hardware.camera import Camera, CameraConfig, register_camera

log = logging.getLogger("madoguchi.hardware.camera")

FALLBACK_SIZE = (1280, 720)   # the test picture: a 720p camera's frame


@register_camera("auto")
class AutoCamera(Camera):
    """`capture_factory` goes to the device backend (tests pass one that can be
    'unplugged')."""

    def __init__(self, config: CameraConfig, capture_factory: Callable[[Any], Any] | None = None) -> None:
        super().__init__(config)
        self._capture_factory = capture_factory
        self._active: Camera | None = None
        self._had_device = False
        self.fallback: MadoguchiError | None = None   # why the test picture is shown

    @property
    def name(self) -> str:
        return self._active.name if self._active is not None else f"camera {self.config.index}"

    def open(self) -> None:
        from hardware.camera_opencv import OpenCVDeviceCamera
        from hardware.camera_sim import SyntheticCamera

        device = OpenCVDeviceCamera(replace(self.config, backend="device"), capture_factory=self._capture_factory)
        try:
            device.open()
        except MadoguchiError as exc:
            if self._had_device:  # the session's camera is away: report, don't replace
                raise
            w, h = FALLBACK_SIZE
            synthetic = SyntheticCamera(replace(self.config, backend="synthetic", width=w, height=h))
            synthetic.open()
            self._active, self.fallback, self.fps = synthetic, exc, synthetic.fps
            log.info("no camera opened (%s): showing the test picture", exc.code)
            return
        self._active, self.fallback, self.fps = device, None, device.fps
        self._had_device = True

    def read(self) -> np.ndarray:
        if self._active is None:
            from hardware.camera import CameraLost

            raise CameraLost(self.name)
        return self._active.read()

    def close(self) -> None:
        if self._active is not None:
            self._active.close()
            self._active = None
