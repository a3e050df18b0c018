"""Faces and eyes with OpenCV's bundled Haar cascades (cv2.data.haarcascades).

Faces are found on a small copy of the frame (about 288 pixels wide), which keeps the
live analysis of a 1280×720 frame to a few milliseconds; eyes are then looked for in
the upper part of each face at a fixed size. A cascade object is not safe to share
between threads, so every thread gets its own.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

WORK_WIDTH = 288          # faces are searched on a copy this wide
EYE_FACE_WIDTH = 100      # eyes are searched with the face scaled to this width
MIN_FACE_PX = 24          # smallest face on the work copy (the cascade's window)
SAME_PERSON_RATIO = 0.4   # faces smaller than this × the largest are far-away noise

_local = threading.local()


def _cascade(name: str) -> cv2.CascadeClassifier:
    cache = getattr(_local, "cascades", None)
    if cache is None:
        cache = _local.cascades = {}
    if name not in cache:
        path = Path(cv2.data.haarcascades) / name
        classifier = cv2.CascadeClassifier(str(path))
        if classifier.empty():  # pragma: no cover - a broken OpenCV install
            raise RuntimeError(f"Haar cascade {name} could not be loaded from {path}")
        cache[name] = classifier
    return cache[name]


@dataclass(frozen=True)
class FaceBox:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2


def to_gray(frame: np.ndarray) -> np.ndarray:
    return frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)


def work_copy(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """The frame scaled down to WORK_WIDTH, and the factor back to frame pixels."""
    h, w = gray.shape[:2]
    factor = max(1.0, w / WORK_WIDTH)
    if factor == 1.0:
        return gray, 1.0
    small = cv2.resize(gray, (round(w / factor), round(h / factor)), interpolation=cv2.INTER_AREA)
    return small, w / small.shape[1]


def find_faces(gray: np.ndarray) -> list[FaceBox]:
    """Frontal faces, largest first; tiny detections far behind the applicant (or
    false hits in the background) are dropped relative to the largest face."""
    small, factor = work_copy(gray)
    # No histogram equalisation: on a light backdrop it multiplies false candidates
    # (slower) and loses faces in a bright room.
    hits = _cascade("haarcascade_frontalface_default.xml").detectMultiScale(
        small, scaleFactor=1.15, minNeighbors=4, minSize=(MIN_FACE_PX, MIN_FACE_PX))
    boxes = sorted((FaceBox(x * factor, y * factor, w * factor, h * factor) for x, y, w, h in hits),
                   key=lambda b: -b.w)
    if not boxes:
        return []
    return [b for b in boxes if b.w >= SAME_PERSON_RATIO * boxes[0].w]


def find_small_faces(gray: np.ndarray) -> list[FaceBox]:
    """Faces too small for find_faces (under MIN_FACE_PX on its work copy, about 107
    pixels in a 1280-wide frame): someone standing far back. Searched on a copy twice
    as wide, only at the small sizes, and only when find_faces found nobody, so a
    frame with the applicant in place never pays for it."""
    h, w = gray.shape[:2]
    factor = max(1.0, w / (2 * WORK_WIDTH))
    small = gray if factor == 1.0 else cv2.resize(gray, (round(w / factor), round(h / factor)),
                                                  interpolation=cv2.INTER_AREA)
    factor = w / small.shape[1]
    largest = round(2 * MIN_FACE_PX * 1.1)  # overlaps the smallest face find_faces sees
    hits = _cascade("haarcascade_frontalface_default.xml").detectMultiScale(
        small, scaleFactor=1.15, minNeighbors=4, minSize=(MIN_FACE_PX, MIN_FACE_PX), maxSize=(largest, largest))
    boxes = sorted((FaceBox(x * factor, y * factor, w_ * factor, h_ * factor) for x, y, w_, h_ in hits),
                   key=lambda b: -b.w)
    return [b for b in boxes if b.w >= SAME_PERSON_RATIO * boxes[0].w] if boxes else []


def find_eyes(gray: np.ndarray, face: FaceBox) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """Centres of the two eyes (left, right in the image) in frame pixels, or None
    when two plausible eyes are not found (closed, covered, glare)."""
    h, w = gray.shape[:2]
    x0, x1 = int(max(0, face.x)), int(min(w, face.x + face.w))
    y0, y1 = int(max(0, face.y + 0.12 * face.h)), int(min(h, face.y + 0.58 * face.h))
    if x1 - x0 < 20 or y1 - y0 < 10:
        return None
    scale = EYE_FACE_WIDTH / (x1 - x0)
    roi = cv2.resize(gray[y0:y1, x0:x1], (EYE_FACE_WIDTH, max(8, round((y1 - y0) * scale))),
                     interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    roi = cv2.equalizeHist(roi)
    for name in ("haarcascade_eye.xml", "haarcascade_eye_tree_eyeglasses.xml"):
        hits = _cascade(name).detectMultiScale(roi, scaleFactor=1.12, minNeighbors=4,
                                               minSize=(11, 11), maxSize=(38, 38))
        pair = _best_pair(hits, EYE_FACE_WIDTH)
        if pair is not None:
            return tuple((x0 + ex / scale, y0 + ey / scale) for ex, ey in pair)  # type: ignore[return-value]
    return None


def _best_pair(hits, width: float):
    """One eye in each half of the face, about level: the pair closest in size."""
    centres = [(x + w / 2, y + h / 2, w) for x, y, w, h in hits]
    left = [c for c in centres if c[0] < width * 0.5]
    right = [c for c in centres if c[0] >= width * 0.5]
    best, best_cost = None, None
    for a in left:
        for b in right:
            gap = b[0] - a[0]
            if not 0.25 * width <= gap <= 0.65 * width or abs(a[1] - b[1]) > 0.2 * width:
                continue
            cost = abs(a[2] - b[2]) + abs(a[1] - b[1])
            if best_cost is None or cost < best_cost:
                best, best_cost = ((a[0], a[1]), (b[0], b[1])), cost
    return best
