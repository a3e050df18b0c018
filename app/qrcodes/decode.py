"""Read QR codes from images with OpenCV (cv2.QRCodeDetector).

Organisers send their codes as screenshots, PDFs turned into PNGs, or photos taken
with a phone, so one attempt on the raw pixels is not enough. We try a short list
of cleaned-up versions, cheapest first, and stop at the first that decodes:
white padding (screenshots are often cropped to the code, with no quiet zone),
a sensible size, Otsu black/white, a sharpened version for blur, an inverted one
for light-on-dark codes, and finally OpenCV's second detector.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

from app.errors import MadoguchiError
from app.qrcodes import errors as _errors  # noqa: F401  (registers QR_* codes)

log = logging.getLogger("madoguchi.qr.decode")

MAX_SIDE = 1600   # larger photos are scaled down: faster, and the finder patterns stay big
MIN_SIDE = 480    # tiny screenshots are scaled up so each module spans several pixels


def _to_gray(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return image if image.dtype == np.uint8 else cv2.normalize(image, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    if image.dtype != np.uint8:
        image = cv2.normalize(image, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    if image.shape[2] == 4:
        # Transparent PNGs: put the drawing on white, as a viewer shows it. Reading
        # the colour channels alone would turn a transparent background black.
        alpha = image[:, :, 3:4].astype(np.float32) / 255.0
        rgb = image[:, :, :3].astype(np.float32) * alpha + 255.0 * (1.0 - alpha)
        image = rgb.astype(np.uint8)
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def _pad(gray: np.ndarray) -> np.ndarray:
    border = max(8, int(0.08 * max(gray.shape)))
    return cv2.copyMakeBorder(gray, border, border, border, border, cv2.BORDER_CONSTANT, value=255)


def _resized(gray: np.ndarray) -> np.ndarray:
    side = max(gray.shape)
    if side > MAX_SIDE:
        f = MAX_SIDE / side
        return cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    if side < MIN_SIDE:
        f = MIN_SIDE / side
        return cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_NEAREST)
    return gray


def _variants(gray: np.ndarray) -> Iterator[np.ndarray]:
    base = _pad(_resized(gray))
    yield base
    _, otsu = cv2.threshold(base, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    yield otsu
    blurred = cv2.GaussianBlur(base, (0, 0), 2.0)
    sharp = cv2.addWeighted(base, 2.0, blurred, -1.0, 0)
    _, sharp_otsu = cv2.threshold(sharp, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    yield sharp_otsu
    yield _pad(255 - _resized(gray))   # light modules on a dark background
    if max(gray.shape) < MAX_SIDE:     # small, soft codes: more pixels per module
        yield _pad(cv2.resize(_resized(gray), None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC))


def _detect(detector, image: np.ndarray) -> list[str]:
    try:
        ok, texts, _points, _ = detector.detectAndDecodeMulti(image)
    except cv2.error:
        ok, texts = False, ()
    found = [t for t in (texts if ok else ()) if t]
    if not found:
        try:
            text, _points, _ = detector.detectAndDecode(image)
        except cv2.error:
            text = ""
        found = [text] if text else []
    return found


def decode_texts(image: np.ndarray) -> list[str]:
    """Every distinct text found in the image (usually one), or [] if none."""
    gray = _to_gray(image)
    detectors = [cv2.QRCodeDetector()]
    if hasattr(cv2, "QRCodeDetectorAruco"):
        detectors.append(cv2.QRCodeDetectorAruco())
    for detector in detectors:
        for candidate in _variants(gray):
            found = _detect(detector, candidate)
            if found:
                return list(dict.fromkeys(found))
    return []


def _imdecode(data: bytes) -> np.ndarray | None:
    if not data:
        return None
    buf = np.frombuffer(data, dtype=np.uint8)
    return cv2.imdecode(buf, cv2.IMREAD_UNCHANGED)


def decode_image_bytes(data: bytes, name: str = "<image>") -> list[str]:
    """Decode an encoded image (PNG/JPEG/...) held in memory. Raises
    QR_IMAGE_UNREADABLE for bytes that are not an image, QR_NOT_FOUND when no code
    can be read."""
    image = _imdecode(data)
    if image is None:
        raise MadoguchiError("QR_IMAGE_UNREADABLE", path=name)
    texts = decode_texts(image)
    if not texts:
        log.info("no QR code found in %s", Path(name).name)
        raise MadoguchiError("QR_NOT_FOUND", path=name)
    return texts


def decode_image_file(path: Path | str) -> list[str]:
    """Read a PNG/JPEG file (any path, also non-ASCII on Windows) and decode it."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError:
        raise MadoguchiError("QR_IMAGE_UNREADABLE", path=str(path)) from None
    return decode_image_bytes(data, str(path))
