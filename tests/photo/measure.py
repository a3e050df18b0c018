"""Measuring printed sheets the way a ruler would: render the PDF back to pixels with
pdftoppm at a known resolution (through pipes, no files), find the photos on the
white paper, and measure the head of the astronaut composite in each.

The head is measured from what is visible, using only what tests/photo/faces.py
knows about the composite: the crown is the top of the silhouette; the silhouette is
an ellipse HEAD_AX wide on each side, which gives the scale, and from the scale the
chin (CHIN_Y - CROWN_Y below the crown) and the face centre (FACE_CX - HEAD_CX beside
the ellipse's centre)."""
from __future__ import annotations

import subprocess
from dataclasses import dataclass

import cv2
import numpy as np

from tests.photo import faces

PAPER_WHITE = 250


def render(pdf: bytes, dpi: int, page: int = 1) -> np.ndarray:
    """BGR pixels of one page."""
    out = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", "-"],
                         input=pdf, capture_output=True, check=True, timeout=60).stdout
    image = cv2.imdecode(np.frombuffer(out, np.uint8), cv2.IMREAD_COLOR)
    assert image is not None, "pdftoppm gave no image"
    return image


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    w: int
    h: int


def photo_boxes(page: np.ndarray, dpi: int, min_mm: float = 20.0) -> list[Box]:
    """The photos on the paper: regions that are not paper-white, at least min_mm wide."""
    gray = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    mask = (gray < PAPER_WHITE).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask)
    px = min_mm / 25.4 * dpi
    boxes = [Box(*map(int, s[:4])) for s in stats[1:] if s[2] >= px and s[3] >= px]
    return sorted(boxes, key=lambda b: (b.y, b.x))


@dataclass(frozen=True)
class HeadMeasure:
    head_mm: float
    crown_mm: float
    offset_mm: float


def measure_head(photo: np.ndarray, dpi: int) -> HeadMeasure:
    dpm = dpi / 25.4
    h, w = photo.shape[:2]
    corner = np.concatenate([photo[2:12, 2:12].reshape(-1, 3), photo[2:12, w - 12:w - 2].reshape(-1, 3)])
    bg = np.median(corner, axis=0)
    differs = np.abs(photo.astype(np.int16) - bg.astype(np.int16)).max(axis=2) > 30
    band = differs[:, int(w * 0.4):int(w * 0.6)]
    rows = np.flatnonzero(band.mean(axis=1) > 0.05)
    crown = int(rows[0])
    # The ellipse's widest rows lie between the crown and the neck; take the widest run
    # of "head" pixels per row there.
    reach = int(h * 0.55)
    widths = []
    for y in range(crown, min(h, crown + reach)):
        xs = np.flatnonzero(differs[y])
        if xs.size:
            # the run around the middle (ignore specks)
            mid = w // 2
            left = xs[xs <= mid]
            right = xs[xs >= mid]
            if left.size and right.size:
                widths.append((right.max() - left.min(), left.min(), right.max(), y))
    width, left, right, _ = max(widths)
    k = (width + 1) / (2 * faces.HEAD_AX)          # photo pixels per portrait pixel
    head_px = (faces.CHIN_Y - faces.CROWN_Y) * k
    face_cx = (left + right) / 2 + (faces.FACE_CX - faces.HEAD_CX) * k
    return HeadMeasure(head_mm=head_px / dpm, crown_mm=crown / dpm, offset_mm=(face_cx - w / 2) / dpm)


def crop_box(page: np.ndarray, box: Box, inset: int = 0) -> np.ndarray:
    return page[box.y + inset:box.y + box.h - inset, box.x + inset:box.x + box.w - inset]
