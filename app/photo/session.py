"""One applicant's photo from capture to deletion, in memory only.

`capture()` takes a frame (copied: the camera's buffer keeps moving), finds the head at
full resolution and fits the crop; the staff may nudge and zoom it; `sheet_pdf()` lays
the photo out for printing; `discard()` overwrites every buffer. Nothing here touches
the disk.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.errors import MadoguchiError
from app.photo import messages
from app.photo.analysis import Analysis, analyse
from app.photo.crop import DEFAULT_SPEC, Crop, Geometry, adjust, geometry, render_crop
from app.photo.pdf import sheet_pdf
from app.photo.sheets import layout
from app.photo.wipe import wipe
from app.profiles import PhotoSpec

NUDGE_MM = 0.5       # one press of an arrow moves the frame this much (print mm)
ZOOM_STEP = 1.02     # one press of zoom changes the head size by 2 %


def refusal(analysis: Analysis, spec: PhotoSpec, lang: str = "ja", *, strict: bool) -> MadoguchiError | None:
    """Why this frame cannot be printed, or None. `strict` also refuses on the quality
    checks (the CLI has nobody to ask); the screen lets the staff decide on those.
    The message follows the language it is shown in (`lang` is kept for callers)."""
    if analysis.faces == 0:
        return MadoguchiError("PHOTO_NO_FACE")
    if analysis.faces > 1:
        return MadoguchiError("PHOTO_SEVERAL_FACES", count=analysis.faces)
    blocking = analysis.failed if strict else [c for c in analysis.failed if c.key in ("size", "framing")]
    if blocking:
        # Two checks can give the same advice (a head too big fails both size and
        # framing with "move back"): AdviceList says it once, in the message's language.
        return MadoguchiError("PHOTO_SPEC_NOT_MET", height=f"{spec.height_mm:g}", width=f"{spec.width_mm:g}",
                              head=f"{spec.head_mm:g}±{spec.head_tol_mm:g}",
                              advice=messages.AdviceList(c.advice for c in blocking))
    return None


@dataclass
class CapturedPhoto:
    frame: np.ndarray | None
    analysis: Analysis
    spec: PhotoSpec
    crop: Crop
    _photo: np.ndarray | None = None
    consented: bool = False
    printed_copies: int = 0

    # ---- the crop --------------------------------------------------------------
    @property
    def fitted(self) -> Crop:
        return self.analysis.crop  # type: ignore[return-value]

    def nudge(self, dx_steps: int = 0, dy_steps: int = 0) -> None:
        self._set_crop(adjust(self.crop, dx_mm=dx_steps * NUDGE_MM, dy_mm=dy_steps * NUDGE_MM, spec=self.spec))

    def zoom(self, steps: int) -> None:
        self._set_crop(adjust(self.crop, zoom=ZOOM_STEP ** steps, spec=self.spec))

    def reset(self) -> None:
        self._set_crop(self.fitted)

    def _set_crop(self, crop: Crop) -> None:
        wipe(self._photo)
        self._photo = None
        self.crop = crop

    @property
    def geometry(self) -> Geometry:
        head = self.analysis.head
        assert head is not None and self.frame is not None
        crown = head.crown_y if head.crown_y is not None else 0.0
        h, w = self.frame.shape[:2]
        return geometry(self.crop, crown, head.chin_y, head.centre_x, w, h, self.spec)

    # ---- output ------------------------------------------------------------------
    def photo(self) -> np.ndarray:
        """The photo's pixels at the output resolution (kept until the crop changes)."""
        if self.frame is None:
            raise RuntimeError("the photo has been discarded")
        if not self.crop.inside(self.frame.shape[1], self.frame.shape[0]):
            raise MadoguchiError("PHOTO_CROP_OUTSIDE")
        if self._photo is None:
            self._photo = render_crop(self.frame, self.crop, self.geometry.output_dpi, self.spec)
        return self._photo

    def sheet_pdf(self, sheet: str, count: int | None = None, lang: str = "ja") -> bytearray:
        return sheet_pdf(layout(sheet, self.spec, count), self.photo(), self.spec, lang=lang)

    # ---- deletion ------------------------------------------------------------------
    @property
    def discarded(self) -> bool:
        return self.frame is None

    def discard(self) -> int:
        """Overwrite the frame and the photo; returns the bytes overwritten."""
        n = wipe(self.frame, self._photo)
        self.frame = None
        self._photo = None
        return n


def capture(frame: np.ndarray, spec: PhotoSpec = DEFAULT_SPEC, *, strict: bool = False,
            lang: str = "ja") -> CapturedPhoto:
    """Copy the frame and fit the crop at full resolution. Raises MadoguchiError (with
    what to do) when no valid photo can be made from it; the copy is wiped then."""
    own = np.array(frame, copy=True)
    try:
        analysis = analyse(own, spec, fine=True, live=False)
        problem = refusal(analysis, spec, lang, strict=strict)
        if problem is not None:
            raise problem
    except BaseException:
        wipe(own)
        raise
    return CapturedPhoto(frame=own, analysis=analysis, spec=spec, crop=analysis.crop)  # type: ignore[arg-type]
