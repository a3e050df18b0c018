"""The printed photo measured again, from its own pixels.

After the crop is rendered at the print resolution, the head is looked for afresh in
that image — face and eyes by the cascades, the chin from the eyes, the crown as the
first row (from the photo's top edge down) that differs from the backdrop seen in the
photo's top corners — and measured in millimetres of print. This checks the whole way from
the camera frame to the print pixels (crop, scaling, resampling), not only the crop's
own plan: a wrong offset or scale in rendering shows up here. It uses the same kind
of detectors, so it shares their limits (the chin is an average ratio); the tests
compare it with a ruler-style measurement of the rendered PDF.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import cv2

from app.photo.analysis import locate_head
from app.photo.crop import MM_PER_INCH
from app.photo.detect import find_faces, to_gray
from app.profiles import PhotoSpec


@dataclass(frozen=True)
class Measured:
    head_mm: float
    crown_margin_mm: float
    offset_mm: float

    def within_spec(self, spec: PhotoSpec) -> bool:
        return bool(abs(self.head_mm - spec.head_mm) <= spec.head_tol_mm + 1e-6
                and abs(self.crown_margin_mm - spec.crown_margin_mm) <= spec.crown_tol_mm + 1e-6
                and abs(self.offset_mm) <= 2.0)

    def to_dict(self) -> dict:
        return {"head_height_mm": round(self.head_mm, 2), "margin_above_crown_mm": round(self.crown_margin_mm, 2),
                "horizontal_offset_mm": round(self.offset_mm, 2)}


def measure_photo(photo_bgr: np.ndarray, dpi: int) -> Measured | None:
    """The head in a rendered photo of `dpi` pixels per inch, or None when one face
    with a visible crown is not found again."""
    gray = to_gray(photo_bgr)
    faces = find_faces(gray)
    if len(faces) != 1:
        return None
    head = locate_head(photo_bgr, gray, faces[0], fine=True)
    ppm = dpi / MM_PER_INCH
    crown = crown_from_top(photo_bgr, head.centre_x, faces[0].w, corner_px=max(4, round(3 * ppm)))
    if crown is None:
        return None
    width = photo_bgr.shape[1]
    return Measured(head_mm=float((head.chin_y - crown) / ppm), crown_margin_mm=float(crown / ppm),
                    offset_mm=float((head.centre_x - width / 2) / ppm))


def crown_from_top(photo: np.ndarray, centre_x: float, face_w: float, corner_px: int) -> float | None:
    """First row, from the top, where the middle of the head's width stops being the
    backdrop of the photo's top corners (three rows in a row, as find_crown does).
    None when the top rows are not plain (the head touches the top edge)."""
    h, w = photo.shape[:2]
    corners = np.concatenate([photo[:corner_px, :corner_px].reshape(-1, 3),
                              photo[:corner_px, w - corner_px:].reshape(-1, 3)]).astype(np.int16)
    colour = np.median(corners, axis=0)
    spread = float(np.median(np.abs(corners - colour).max(axis=1))) * 1.48
    thr = max(22.0, 4.0 * spread)
    x0, x1 = int(max(0, centre_x - 0.3 * face_w)), int(min(w, centre_x + 0.3 * face_w))
    if x1 - x0 < 3:
        return None
    band = cv2.GaussianBlur(photo[:, x0:x1], (3, 3), 0).astype(np.int16)
    differs = (np.abs(band - colour.astype(np.int16)).max(axis=2) > thr).mean(axis=1) > 0.03
    run = 3
    window = np.convolve(differs.astype(np.int8), np.ones(run, np.int8), mode="valid") == run
    hits = np.flatnonzero(window)
    if hits.size == 0 or hits[0] == 0:
        return None
    return float(hits[0])
