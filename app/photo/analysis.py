"""Analysis of one camera frame: the head, the fitted crop and the spec checks.

- Face and eyes: OpenCV's Haar cascades (detect.py).
- Crown: the first rows above the face that are plain background again. The booth
  uses a plain light backdrop, so the top of the hair is where the backdrop starts.
- Chin: from the eyes. The distance from the eye line to the chin is about 1.86 times
  the distance between the eye centres the cascade finds (an adult average); without
  both eyes, from the face box. The staff see the chin band over the preview and can
  zoom when a face differs from the average.

Pure numpy/OpenCV; no Qt, no I/O. Frames are BGR uint8 arrays and are never kept.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np

from app.photo import messages
from app.photo.crop import DEFAULT_SPEC, Crop, Geometry, fit_crop, geometry
from app.photo.detect import FaceBox, find_eyes, find_faces, find_small_faces, to_gray
from app.profiles import PhotoSpec

CHIN_PER_EYE_GAP = 1.86     # (chin - eye line) / distance between the eyes
CHIN_PER_FACE_BOX = 1.22    # (chin - face box top) / face box height, when eyes are missing
MAX_TILT_DEG = 6.0
CENTRE_TOLERANCE = 0.12     # face centre within ±12 % of the frame width from its middle
DARK_FACE, BRIGHT_FACE = 75.0, 215.0
MIN_SHARPNESS = 2.5         # Laplacian variance / grey variance × 100 of the face at 128 px wide
LIGHT_BACKGROUND = 140.0    # mean grey level of the backdrop
BUSY_STD, BUSY_EDGES = 14.0, 0.03

CHECK_ORDER = ("face", "size", "framing", "centred", "tilt", "exposure", "sharpness", "background")


@dataclass(frozen=True)
class Head:
    box: FaceBox
    eyes: tuple[tuple[float, float], tuple[float, float]] | None
    crown_y: float | None      # None: the head reaches the top of the frame
    chin_y: float
    centre_x: float
    tilt_deg: float | None

    def to_dict(self) -> dict:
        return {"face_box": [round(v, 1) for v in (self.box.x, self.box.y, self.box.w, self.box.h)],
                "eyes": [[round(v, 1) for v in e] for e in self.eyes] if self.eyes else None,
                "crown_y": None if self.crown_y is None else round(self.crown_y, 1),
                "chin_y": round(self.chin_y, 1), "centre_x": round(self.centre_x, 1),
                "tilt_deg": None if self.tilt_deg is None else round(self.tilt_deg, 1)}


@dataclass(frozen=True)
class Check:
    key: str
    ok: bool
    advice: str | None = None   # code in messages.ADVICE when not ok

    def to_dict(self, lang: str = "ja") -> dict:
        return {"check": self.key, "label": messages.check_label(self.key, lang), "ok": self.ok,
                "advice_code": self.advice,
                "advice": messages.advice_text(self.advice, lang) if self.advice else None}


@dataclass(frozen=True)
class Analysis:
    width: int
    height: int
    faces: int
    head: Head | None
    crop: Crop | None
    geometry: Geometry | None
    checks: tuple[Check, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    @property
    def printable(self) -> bool:
        """One face and a crop inside the frame at ≥ min_dpi: a photo can be made.
        The other checks are about quality; the staff decide on those."""
        return (self.faces == 1 and self.crop is not None and self.geometry is not None
                and all(c.ok for c in self.checks if c.key in ("face", "size", "framing")))

    def check(self, key: str) -> Check | None:
        return next((c for c in self.checks if c.key == key), None)

    def advice(self, lang: str = "ja") -> list[str]:
        """What to do, first thing first, each piece of advice once."""
        codes = dict.fromkeys(c.advice for c in self.failed if c.advice)
        return [messages.advice_text(code, lang) for code in codes]

    def to_dict(self, lang: str = "ja") -> dict:
        return {"frame": [self.width, self.height], "faces": self.faces,
                "head": self.head.to_dict() if self.head else None,
                "crop": None if self.crop is None else [round(v, 1) for v in (self.crop.x, self.crop.y, self.crop.w, self.crop.h)],
                "geometry": self.geometry.to_dict() if self.geometry else None,
                "checks": [c.to_dict(lang) for c in self.checks],
                "failed_checks": [c.key for c in self.failed]}


# ---- the head ------------------------------------------------------------------
def _background_colour(img: np.ndarray, box: FaceBox, cx: float, f: float) -> tuple[np.ndarray, float] | None:
    """Median colour and spread of the backdrop beside the head, above the face."""
    h, w = img.shape[:2]
    fw = box.w / f
    y0, y1 = int(max(0, box.y / f - 0.8 * fw)), int(max(1, box.y / f))
    patches = []
    for a, b in ((cx / f - 1.5 * fw, cx / f - 0.95 * fw), (cx / f + 0.95 * fw, cx / f + 1.5 * fw)):
        x0, x1 = int(max(0, a)), int(min(w, b))
        if x1 - x0 >= 2 and y1 - y0 >= 2:
            patches.append(img[y0:y1, x0:x1].reshape(-1, 3))
    if y0 > 2:  # the rows above, across the head's width
        patches.append(img[0:max(1, min(y0, 6)), int(max(0, cx / f - fw)):int(min(w, cx / f + fw))].reshape(-1, 3))
    if not patches:
        return None
    pixels = np.concatenate(patches).astype(np.int16)
    median = np.median(pixels, axis=0)
    spread = float(np.median(np.abs(pixels - median).max(axis=1))) * 1.48
    return median, spread


def find_crown(frame: np.ndarray, box: FaceBox, cx: float, step: int = 1) -> float | None:
    """Row (frame pixels) of the top of the head: scanning up from the face, the first
    rows where the middle of the head's width is backdrop again. None when the head
    reaches the top of the frame (or the backdrop cannot be told)."""
    img = frame[::step, ::step] if step > 1 else frame
    f = float(step)
    bg = _background_colour(img, box, cx, f)
    if bg is None:
        return None
    colour, spread = bg
    thr = max(22.0, 4.0 * spread)
    w = img.shape[1]
    x0, x1 = int(max(0, (cx - 0.3 * box.w) / f)), int(min(w, (cx + 0.3 * box.w) / f))
    start = int(min(img.shape[0] - 1, (box.y + 0.05 * box.h) / f))
    if x1 - x0 < 3 or start < 4:
        return None
    band = img[:start + 1, x0:x1].astype(np.int16)
    differs = (np.abs(band - colour.astype(np.int16)).max(axis=2) > thr).mean(axis=1) > 0.03
    run = 3
    # rows r-run+1..r all backdrop: the crown is the row below that run
    bg_rows = ~differs
    window = np.convolve(bg_rows.astype(np.int8), np.ones(run, np.int8), mode="valid") == run
    hits = np.flatnonzero(window)
    if hits.size == 0:
        return None
    crown_row = hits[-1] + run  # first head row below the last run of backdrop rows
    if crown_row >= start:
        return None
    return crown_row * f


def locate_head(frame: np.ndarray, gray: np.ndarray, box: FaceBox, *, fine: bool) -> Head:
    eyes = find_eyes(gray, box)
    if eyes is not None:
        (lx, ly), (rx, ry) = eyes
        gap = math.hypot(rx - lx, ry - ly)
        eye_y, centre_x = (ly + ry) / 2, (lx + rx) / 2
        chin_y = eye_y + CHIN_PER_EYE_GAP * gap
        tilt = math.degrees(math.atan2(ry - ly, rx - lx))
    else:
        chin_y = box.y + CHIN_PER_FACE_BOX * box.h
        centre_x, tilt = box.cx, None
    crown = find_crown(frame, box, centre_x, step=1 if fine else 2)
    return Head(box=box, eyes=eyes, crown_y=crown, chin_y=chin_y, centre_x=centre_x, tilt_deg=tilt)


# ---- checks --------------------------------------------------------------------
def _face_region(gray: np.ndarray, box: FaceBox) -> np.ndarray:
    h, w = gray.shape[:2]
    x0, x1 = int(max(0, box.x + 0.2 * box.w)), int(min(w, box.x + 0.8 * box.w))
    y0, y1 = int(max(0, box.y + 0.25 * box.h)), int(min(h, box.y + 0.85 * box.h))
    return gray[y0:y1, x0:x1]


def exposure_check(gray: np.ndarray, box: FaceBox) -> Check:
    region = _face_region(gray, box)[::2, ::2]
    if region.size == 0:
        return Check("exposure", True)
    mean = float(region.mean())
    clipped = float((region >= 250).mean())
    if mean < DARK_FACE:
        return Check("exposure", False, "too_dark")
    if mean > BRIGHT_FACE or clipped > 0.15:
        return Check("exposure", False, "too_bright")
    return Check("exposure", True)


def sharpness(gray: np.ndarray, box: FaceBox) -> float:
    """Detail of the face at a fixed size (so big and small faces compare alike),
    relative to its contrast (so a dim face is not called blurred)."""
    region = _face_region(gray, box)
    if region.shape[0] < 8 or region.shape[1] < 8:
        return 0.0
    scale = 128 / region.shape[1]
    small = cv2.resize(region, (128, max(8, round(region.shape[0] * scale))),
                       interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR).astype(np.float32)
    return float(cv2.Laplacian(small, cv2.CV_32F).var()) / max(float(small.var()), 1.0) * 100.0


def background_check(frame: np.ndarray, head: Head, crop: Crop) -> Check:
    """The backdrop inside the photo, around the head: light and plain."""
    f = 4
    img = frame[::f, ::f]
    gray = cv2.cvtColor(np.ascontiguousarray(img), cv2.COLOR_BGR2GRAY)
    h, w = gray.shape
    crown = head.crown_y if head.crown_y is not None else crop.y
    eye_y = (head.eyes[0][1] + head.eyes[1][1]) / 2 if head.eyes else head.box.y + 0.4 * head.box.h
    half = 0.85 * head.box.w
    regions = [
        (crop.x, crop.y, crop.x + crop.w, crown - 0.02 * crop.h),                      # above the crown
        (crop.x, crown + 0.1 * crop.h, head.centre_x - half, eye_y),                     # left of the head
        (head.centre_x + half, crown + 0.1 * crop.h, crop.x + crop.w, eye_y),           # right of the head
    ]
    values, edges = [], []
    gx = cv2.Sobel(gray, cv2.CV_16S, 1, 0)
    gy = cv2.Sobel(gray, cv2.CV_16S, 0, 1)
    magnitude = np.abs(gx).astype(np.int32) + np.abs(gy)
    for x0, y0, x1, y1 in regions:
        a, b = int(max(0, x0 / f)), int(min(w, x1 / f))
        c, d = int(max(0, y0 / f)), int(min(h, y1 / f))
        if b - a >= 2 and d - c >= 2:
            values.append(gray[c:d, a:b].ravel())
            edges.append(magnitude[c + 1:d - 1, a + 1:b - 1].ravel())
    if not values:
        return Check("background", True)
    pixels = np.concatenate(values).astype(np.float32)
    grads = np.concatenate(edges) if edges else np.zeros(1)
    if float(pixels.mean()) < LIGHT_BACKGROUND:
        return Check("background", False, "background_dark")
    busy = float(pixels.std()) > BUSY_STD or (grads.size and float((grads > 160).mean()) > BUSY_EDGES)
    return Check("background", not busy, "background_busy" if busy else None)


def geometry_checks(geo: Geometry, crop: Crop, head: Head, width: int, height: int,
                    spec: PhotoSpec, live: bool) -> list[Check]:
    checks = []
    if geo.dpi < spec.min_dpi - 1e-6:
        checks.append(Check("size", False, "too_far"))
    elif crop.h > height + 0.5:
        checks.append(Check("size", False, "too_close"))
    else:
        checks.append(Check("size", True))
    if head.crown_y is None:
        checks.append(Check("framing", False, "crown_cut"))
    elif crop.x < -0.5:
        checks.append(Check("framing", False, "move_right"))
    elif crop.x + crop.w > width + 0.5:
        checks.append(Check("framing", False, "move_left"))
    elif crop.y < -0.5:
        checks.append(Check("framing", False, "head_high" if crop.h <= height else "too_close"))
    elif crop.y + crop.h > height + 0.5:
        checks.append(Check("framing", False, "chin_cut"))
    else:
        checks.append(Check("framing", True))
    off_frame = head.centre_x - width / 2
    if abs(geo.offset_mm) > 2.0:
        checks.append(Check("centred", False, "move_left" if geo.offset_mm > 0 else "move_right"))
    elif live and abs(off_frame) > CENTRE_TOLERANCE * width:
        checks.append(Check("centred", False, "move_left" if off_frame > 0 else "move_right"))
    else:
        checks.append(Check("centred", True))
    return checks


def analyse(frame: np.ndarray, spec: PhotoSpec = DEFAULT_SPEC, *, crop: Crop | None = None,
            fine: bool = False, live: bool = True) -> Analysis:
    """Everything the screen shows about one frame. `crop` replaces the fitted crop
    (after the staff nudged or zoomed it); `fine` works at full resolution (capture)."""
    height, width = frame.shape[:2]
    gray = to_gray(frame)
    faces = find_faces(gray)
    if not faces:
        # Nobody at the usual distance: someone standing far back still gets "come
        # closer" rather than "no face".
        small = find_small_faces(gray)
        if len(small) == 1:
            return Analysis(width, height, 1, None, None, None, (Check("face", True), Check("size", False, "too_far")))
        faces = small
    if len(faces) != 1:
        check = Check("face", False, "no_face" if not faces else "several_faces")
        return Analysis(width, height, len(faces), None, None, None, (check,))
    head = locate_head(frame, gray, faces[0], fine=fine)
    crown = head.crown_y if head.crown_y is not None else 0.0
    fitted = crop or fit_crop(crown, head.chin_y, head.centre_x, spec)
    geo = geometry(fitted, crown, head.chin_y, head.centre_x, width, height, spec)
    checks = [Check("face", True), *geometry_checks(geo, fitted, head, width, height, spec, live)]
    tilt_ok = head.tilt_deg is not None and abs(head.tilt_deg) <= MAX_TILT_DEG
    checks.append(Check("tilt", tilt_ok, None if tilt_ok else ("eyes_hidden" if head.eyes is None else "tilted")))
    checks.append(exposure_check(gray, head.box))
    sharp = sharpness(gray, head.box) >= MIN_SHARPNESS
    checks.append(Check("sharpness", sharp, None if sharp else "blurred"))
    checks.append(background_check(frame, head, fitted))
    return Analysis(width, height, 1, head, fitted, geo, tuple(checks))
