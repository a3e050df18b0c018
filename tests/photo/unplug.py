"""A camera that can be unplugged: a real OpenCV VideoCapture (reading the test video)
whose reads fail — and which cannot be reopened — while `unplugged` is set, like a
USB camera pulled out and plugged back in."""
from __future__ import annotations

import threading

import cv2


class Socket:
    def __init__(self, video_path) -> None:
        self.video_path = str(video_path)
        self.unplugged = threading.Event()
        self.opens = 0

    def factory(self, index):
        self.opens += 1
        return _Capture(self) if not self.unplugged.is_set() else _Dead()


class _Capture:
    def __init__(self, socket: Socket) -> None:
        self.socket = socket
        self.cap = cv2.VideoCapture(socket.video_path)

    def isOpened(self) -> bool:  # noqa: N802 - OpenCV naming
        return self.cap.isOpened()

    def set(self, prop, value) -> bool:
        return True

    def get(self, prop) -> float:
        return 30.0 if prop == cv2.CAP_PROP_FPS else 0.0

    def read(self):
        if self.socket.unplugged.is_set():
            return False, None
        ok, frame = self.cap.read()
        if not ok:
            self.cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = self.cap.read()
        return ok, frame

    def release(self) -> None:
        self.cap.release()


class _Dead:
    def isOpened(self) -> bool:  # noqa: N802
        return False

    def release(self) -> None:
        pass
