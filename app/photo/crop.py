"""The crop: where the 45×35 mm photo sits in the camera frame, and what it yields.

A crop is a rectangle in frame pixels with the photo's aspect ratio. It is fitted so
that the head (crown to chin) is `head_mm` tall, `crown_margin_mm` is left above the
crown and the face is centred; the staff may then nudge and zoom it. Its pixel density
decides the print resolution: 600 dpi when the camera has the pixels for it, never
less than `min_dpi` (300).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

import cv2
import numpy as np

from app.profiles import PhotoSpec

MM_PER_INCH = 25.4
DEFAULT_SPEC = PhotoSpec(enabled=True)


@dataclass(frozen=True)
class Crop:
    """x, y: top-left corner; w, h: size; all in frame pixels (floats)."""
    x: float
    y: float
    w: float
    h: float

    def px_per_mm(self, spec: PhotoSpec) -> float:
        return self.h / spec.height_mm

    def dpi(self, spec: PhotoSpec) -> float:
        return self.px_per_mm(spec) * MM_PER_INCH

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    def inside(self, frame_w: int, frame_h: int, slack: float = 0.5) -> bool:
        return (self.x >= -slack and self.y >= -slack and self.x + self.w <= frame_w + slack
                and self.y + self.h <= frame_h + slack)


@dataclass(frozen=True)
class Geometry:
    """What the printed photo will measure, from the head found in the frame."""
    head_mm: float
    crown_margin_mm: float
    offset_mm: float       # face centre right (+) or left (-) of the photo's centre
    dpi: float             # pixels of the camera per inch of print
    output_dpi: int        # resolution the photo is printed at
    inside: bool           # the crop lies inside the frame

    def within_spec(self, spec: PhotoSpec) -> dict[str, bool]:
        return {
            "head": abs(self.head_mm - spec.head_mm) <= spec.head_tol_mm + 1e-6,
            "crown": abs(self.crown_margin_mm - spec.crown_margin_mm) <= spec.crown_tol_mm + 1e-6,
            "centre": abs(self.offset_mm) <= 2.0,
            "dpi": self.dpi >= spec.min_dpi - 1e-6,
            "inside": self.inside,
        }

    def to_dict(self) -> dict:
        return {"head_height_mm": round(self.head_mm, 2),
                "margin_above_crown_mm": round(self.crown_margin_mm, 2),
                "horizontal_offset_mm": round(self.offset_mm, 2),
                "dpi": round(self.dpi, 1), "output_dpi": self.output_dpi, "inside_frame": self.inside}


def crop_problems(geo: Geometry, spec: PhotoSpec) -> list[str]:
    """Why a (nudged or zoomed) crop may not be printed, most basic first, as codes of
    messages.CROP_ADVICE; empty when it meets the spec. The photo goes to consent and
    print only with none left."""
    problems = []
    if not geo.inside:
        problems.append("crop_outside")
    if geo.dpi < spec.min_dpi - 1e-6:
        problems.append("crop_low_dpi")
    if geo.head_mm > spec.head_mm + spec.head_tol_mm + 1e-6:
        problems.append("head_too_big")
    elif geo.head_mm < spec.head_mm - spec.head_tol_mm - 1e-6:
        problems.append("head_too_small")
    if geo.crown_margin_mm < spec.crown_margin_mm - spec.crown_tol_mm - 1e-6:
        problems.append("crown_margin_small")
    elif geo.crown_margin_mm > spec.crown_margin_mm + spec.crown_tol_mm + 1e-6:
        problems.append("crown_margin_big")
    if geo.offset_mm > 2.0 + 1e-6:
        problems.append("face_right")
    elif geo.offset_mm < -2.0 - 1e-6:
        problems.append("face_left")
    return problems


def fit_crop(crown_y: float, chin_y: float, centre_x: float, spec: PhotoSpec = DEFAULT_SPEC) -> Crop:
    ppm = (chin_y - crown_y) / spec.head_mm
    h = spec.height_mm * ppm
    w = spec.width_mm * ppm
    return Crop(x=centre_x - w / 2, y=crown_y - spec.crown_margin_mm * ppm, w=w, h=h)


def largest_crop(frame_w: int, frame_h: int, spec: PhotoSpec = DEFAULT_SPEC, fill: float = 0.96) -> Crop:
    """The biggest crop centred in the frame: the guide shown before a face is found."""
    h = min(frame_h * fill, frame_w * fill * spec.height_mm / spec.width_mm)
    w = h * spec.width_mm / spec.height_mm
    return Crop(x=(frame_w - w) / 2, y=(frame_h - h) / 2, w=w, h=h)


def adjust(crop: Crop, *, dx_mm: float = 0.0, dy_mm: float = 0.0, zoom: float = 1.0,
           spec: PhotoSpec = DEFAULT_SPEC) -> Crop:
    """Move the frame by (dx_mm, dy_mm) of print and zoom the picture inside it:
    zoom > 1 makes the head bigger in the photo (the frame shrinks around its centre)."""
    ppm = crop.px_per_mm(spec)
    w, h = crop.w / zoom, crop.h / zoom
    cx = crop.x + crop.w / 2 + dx_mm * ppm
    cy = crop.y + crop.h / 2 + dy_mm * ppm
    return replace(crop, x=cx - w / 2, y=cy - h / 2, w=w, h=h)


def output_dpi(dpi: float, spec: PhotoSpec = DEFAULT_SPEC) -> int:
    """Print at target_dpi when the camera has the pixels; otherwise at what it has
    (never invented by upscaling), which is at least min_dpi for a valid crop."""
    if dpi >= spec.target_dpi:
        return spec.target_dpi
    return max(1, int(math.floor(dpi)))


def geometry(crop: Crop, crown_y: float, chin_y: float, centre_x: float, frame_w: int, frame_h: int,
             spec: PhotoSpec = DEFAULT_SPEC) -> Geometry:
    ppm = crop.px_per_mm(spec)
    dpi = ppm * MM_PER_INCH
    return Geometry(head_mm=float((chin_y - crown_y) / ppm), crown_margin_mm=float((crown_y - crop.y) / ppm),
                    offset_mm=float((centre_x - crop.cx) / ppm), dpi=float(dpi),
                    output_dpi=output_dpi(dpi, spec), inside=bool(crop.inside(frame_w, frame_h)))


def output_size(spec: PhotoSpec, dpi: int) -> tuple[int, int]:
    """Pixels (w, h) of the photo printed at `dpi`."""
    return (round(spec.width_mm / MM_PER_INCH * dpi), round(spec.height_mm / MM_PER_INCH * dpi))


def render_crop(frame: np.ndarray, crop: Crop, dpi: int, spec: PhotoSpec = DEFAULT_SPEC) -> np.ndarray:
    """The photo's pixels (a new buffer, BGR) at `dpi`: the crop resampled with an
    affine map, so fractional positions after a nudge are kept exactly."""
    out_w, out_h = output_size(spec, dpi)
    sx, sy = out_w / crop.w, out_h / crop.h
    shrink = sx < 1.0
    source = frame
    if shrink and sx < 0.67:
        # Area-average first when the camera has far more pixels than the print
        # needs (a 4K camera): plain interpolation would alias.
        k = 1.0 / sx
        x0, y0 = max(0, int(crop.x)), max(0, int(crop.y))
        x1, y1 = min(frame.shape[1], int(math.ceil(crop.x + crop.w))), min(frame.shape[0], int(math.ceil(crop.y + crop.h)))
        roi = frame[y0:y1, x0:x1]
        small_w, small_h = max(1, round((x1 - x0) / k * 1.5)), max(1, round((y1 - y0) / k * 1.5))
        source = cv2.resize(roi, (small_w, small_h), interpolation=cv2.INTER_AREA)
        fx, fy = small_w / (x1 - x0), small_h / (y1 - y0)
        crop = Crop((crop.x - x0) * fx, (crop.y - y0) * fy, crop.w * fx, crop.h * fy)
        sx, sy = out_w / crop.w, out_h / crop.h
    m = np.float32([[sx, 0, -crop.x * sx], [0, sy, -crop.y * sy]])
    out = cv2.warpAffine(source, m, (out_w, out_h), flags=cv2.INTER_LINEAR if shrink else cv2.INTER_CUBIC,
                         borderMode=cv2.BORDER_REPLICATE)
    if source is not frame:
        source.fill(0)  # an intermediate copy of the photo: wiped before it is dropped
    return out
