"""Test faces: scikit-image's astronaut portrait on a plain light background.

The head is cut out with an ellipse drawn just inside the hair outline, so in the
composite the crown is exactly the top of that ellipse and the head's left and right
edges are the ellipse's: the tests know the true crown, chin and centre of every frame
they make. The chin was read off the portrait once (row 187 of the 512×512 image).
These are test fixtures, never photos taken by the app.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# Where the head is in skimage.data.astronaut() (pixels of the 512×512 portrait).
HEAD_CX, HEAD_CY = 227.0, 86.0      # centre of the hair ellipse
HEAD_AX, HEAD_AY = 69.0, 70.0       # its half-width and half-height
CROWN_Y = HEAD_CY - HEAD_AY         # 16: top of the head in the composite
CHIN_Y = 187.0                      # bottom of the chin
FACE_CX = 225.0                     # between the eyes, over the nose and chin
BACKGROUND_BGR = (238, 240, 241)    # a light grey screen behind the applicant

# The neck and shoulders below the head (the suit, cropped well inside the portrait
# so the flag and the shuttle model stay out).
_BODY = np.array([[198, 140], [258, 140], [268, 175], [318, 190], [352, 260], [362, 512],
                  [92, 512], [104, 260], [136, 190], [186, 175]], np.int32)


@dataclass(frozen=True)
class Truth:
    """Where the head really is in a frame made by `compose`."""
    crown_y: float
    chin_y: float
    centre_x: float
    scale: float

    @property
    def head_px(self) -> float:
        return self.chin_y - self.crown_y


def portrait_bgr() -> np.ndarray:
    from skimage import data

    return cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)


def person_mask() -> np.ndarray:
    """Float mask (0..1) of head, neck and shoulders, with a soft 1-pixel edge."""
    mask = np.zeros((512, 512), np.uint8)
    cv2.ellipse(mask, (int(HEAD_CX), int(HEAD_CY)), (int(HEAD_AX), int(HEAD_AY)), 0, 0, 360, 255, -1)
    cv2.fillPoly(mask, [_BODY], 255)
    return cv2.GaussianBlur(mask.astype(np.float32) / 255.0, (3, 3), 0.7)


def compose(head_px: float, crown_at: tuple[float, float], size: tuple[int, int] = (1280, 720), *,
            noise: float = 2.0, seed: int = 1, background=BACKGROUND_BGR,
            clutter: bool = False, extra_face_at: tuple[float, float] | None = None) -> tuple[np.ndarray, Truth]:
    """A frame of `size` (w, h) with the head `head_px` tall (crown to chin) and the
    crown at `crown_at` = (x of the face centre, y of the crown)."""
    w, h = size
    scale = head_px / (CHIN_Y - CROWN_Y)
    src = portrait_bgr().astype(np.float32)
    alpha = person_mask()
    m = np.float32([[scale, 0, crown_at[0] - FACE_CX * scale], [0, scale, crown_at[1] - CROWN_Y * scale]])
    person = cv2.warpAffine(src, m, (w, h), flags=cv2.INTER_CUBIC)
    a = cv2.warpAffine(alpha, m, (w, h), flags=cv2.INTER_LINEAR)[..., None]
    rng = np.random.default_rng(seed)
    bg = np.empty((h, w, 3), np.float32)
    bg[:] = background
    if noise:
        bg += rng.normal(0, noise, (h, w, 1)).astype(np.float32)
    if clutter:  # a poster and a shelf right behind the applicant's head
        cx, cy = crown_at
        cv2.rectangle(bg, (int(cx - 0.95 * head_px), int(cy - 0.05 * head_px)),
                      (int(cx - 0.5 * head_px), int(cy + 0.55 * head_px)), (150, 90, 40), -1)
        cv2.rectangle(bg, (int(cx - 0.85 * head_px), int(cy + 0.05 * head_px)),
                      (int(cx - 0.6 * head_px), int(cy + 0.15 * head_px)), (250, 250, 250), -1)
        cv2.line(bg, (int(cx + 0.45 * head_px), int(cy + 0.25 * head_px)),
                 (int(cx + 1.0 * head_px), int(cy + 0.25 * head_px)), (70, 70, 70), 8)
    out = person * a + bg * (1 - a)
    if extra_face_at is not None:  # a second person looking in
        out_u8 = np.clip(out, 0, 255).astype(np.uint8)
        second, _ = compose(head_px * 0.8, extra_face_at, size, noise=0, background=background)
        mask2 = cv2.warpAffine(alpha, np.float32([[scale * 0.8, 0, extra_face_at[0] - FACE_CX * scale * 0.8],
                                                  [0, scale * 0.8, extra_face_at[1] - CROWN_Y * scale * 0.8]]),
                               (w, h))[..., None]
        out = out_u8 * (1 - mask2) + second * mask2
    frame = np.clip(out, 0, 255).astype(np.uint8)
    truth = Truth(crown_y=crown_at[1], chin_y=crown_at[1] + head_px, centre_x=crown_at[0], scale=scale)
    return frame, truth
