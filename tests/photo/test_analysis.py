"""Analysis of camera frames: the head is found, the crop meets the spec, and each
failed check says what the applicant should do."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from app.photo.analysis import analyse
from app.photo.crop import DEFAULT_SPEC as SPEC
from app.photo.crop import Crop, adjust, fit_crop, geometry, output_dpi, render_crop
from app.photo.session import capture
from app.errors import MadoguchiError
from tests.photo.faces import BACKGROUND_BGR, compose

# (head height px, (face centre x, crown y)) inside 1280×720 frames, all printable
GOOD = [(410, (640, 80)), (460, (480, 110)), (520, (800, 70)), (440, (900, 120)), (480, (380, 90))]


def true_geometry(truth, crop: Crop):
    ppm = crop.px_per_mm(SPEC)
    return ((truth.chin_y - truth.crown_y) / ppm, (truth.crown_y - crop.y) / ppm, (truth.centre_x - crop.cx) / ppm)


@pytest.mark.parametrize("head,where", GOOD)
def test_crop_meets_spec_for_the_real_head(head, where):
    frame, truth = compose(head, where)
    result = analyse(frame, fine=True, live=False)
    assert result.ok, [c.to_dict() for c in result.failed]
    head_mm, crown_mm, offset_mm = true_geometry(truth, result.crop)
    assert abs(head_mm - 34) <= 1.5
    assert abs(crown_mm - 4) <= 0.5
    assert abs(offset_mm) <= 0.5
    assert result.geometry.dpi >= SPEC.min_dpi


def test_too_far_asks_to_come_closer():
    frame, _ = compose(300, (640, 200))
    result = analyse(frame, fine=True, live=False)
    assert result.check("size").advice == "too_far"
    assert "近づいて" in result.advice("ja")[0]
    assert not result.printable


def test_too_close_asks_to_step_back():
    frame, _ = compose(600, (640, 60))
    result = analyse(frame, live=False)
    assert result.check("size").advice == "too_close"
    assert "離れて" in result.advice("ja")[0]


def test_cut_off_at_the_side_says_which_way_to_move():
    frame, _ = compose(430, (200, 100))
    result = analyse(frame, live=False)
    assert result.check("framing").advice == "move_right"
    frame, _ = compose(430, (1100, 100))
    assert analyse(frame, live=False).check("framing").advice == "move_left"


def test_head_cut_at_the_top():
    frame, _ = compose(460, (640, -20))
    result = analyse(frame, live=False)
    assert result.check("framing").advice == "crown_cut"


def test_several_faces_and_no_face():
    two, _ = compose(440, (800, 100), extra_face_at=(250, 200))
    result = analyse(two)
    assert result.faces == 2 and result.check("face").advice == "several_faces"
    empty = np.full((720, 1280, 3), BACKGROUND_BGR, np.uint8)
    result = analyse(empty)
    assert result.faces == 0 and result.check("face").advice == "no_face"
    assert "顔が見つかりません" in result.advice("ja")[0]


def test_quality_checks_fail_with_advice():
    frame, _ = compose(460, (640, 110))
    blurred = analyse(cv2.GaussianBlur(frame, (0, 0), 4), live=False)
    assert blurred.check("sharpness").advice == "blurred"
    dark = analyse((frame * 0.3).astype(np.uint8), live=False)
    assert dark.check("exposure").advice == "too_dark"
    bright = analyse(np.clip(frame.astype(np.int16) * 13 // 10, 0, 255).astype(np.uint8), live=False)
    assert bright.check("exposure").advice == "too_bright"
    busy = analyse(compose(460, (640, 110), clutter=True)[0], live=False)
    assert busy.check("background").advice == "background_busy"
    assert busy.advice("ja")[0].startswith("背景に物が写っています")
    rotated = cv2.warpAffine(frame, cv2.getRotationMatrix2D((640, 330), 12, 1), (1280, 720),
                             borderValue=BACKGROUND_BGR)
    assert analyse(rotated, live=False).check("tilt").advice == "tilted"


def test_off_centre_applicant_is_told_to_move_live_only():
    frame, _ = compose(430, (960, 100))
    live = analyse(frame, live=True)
    assert live.check("centred").advice == "move_left"
    assert analyse(frame, live=False).check("centred").ok  # the crop itself is centred


def test_output_resolution_never_invented():
    assert output_dpi(900) == 600
    assert output_dpi(600) == 600
    assert output_dpi(341.7) == 341


def test_nudge_and_zoom_change_the_geometry():
    crop = fit_crop(100, 500, 640, SPEC)
    g0 = geometry(crop, 100, 500, 640, 1280, 720)
    assert g0.head_mm == pytest.approx(34) and g0.crown_margin_mm == pytest.approx(4)
    moved = adjust(crop, dx_mm=1.0, dy_mm=-0.5, spec=SPEC)
    g1 = geometry(moved, 100, 500, 640, 1280, 720)
    assert g1.offset_mm == pytest.approx(-1.0) and g1.crown_margin_mm == pytest.approx(4.5)  # frame moved up
    zoomed = adjust(crop, zoom=1.05, spec=SPEC)
    assert geometry(zoomed, 100, 500, 640, 1280, 720).head_mm == pytest.approx(34 * 1.05)


def test_rendered_photo_has_the_crop_pixels():
    frame, _ = compose(460, (640, 110))
    crop = analyse(frame, fine=True, live=False).crop
    dpi = output_dpi(crop.dpi(SPEC))
    photo = render_crop(frame, crop, dpi)
    assert photo.shape[1::-1] == (round(35 / 25.4 * dpi), round(45 / 25.4 * dpi))
    # top-left corner of the photo is backdrop, the middle is the face
    assert np.abs(photo[5, 5].astype(int) - BACKGROUND_BGR).max() < 12
    assert np.abs(photo[photo.shape[0] // 2, photo.shape[1] // 2].astype(int) - BACKGROUND_BGR).max() > 30


def test_4k_camera_gives_600_dpi():
    frame, _ = compose(1100, (1920, 200), size=(3840, 2160))
    photo = capture(frame)
    assert photo.geometry.dpi > 600 and photo.geometry.output_dpi == 600
    assert photo.photo().shape[:2] == (1063, 827)
    photo.discard()


def test_capture_refuses_and_wipes_its_copy():
    frame, _ = compose(300, (640, 200))
    with pytest.raises(MadoguchiError) as err:
        capture(frame, strict=False)
    assert err.value.code == "PHOTO_SPEC_NOT_MET"
    assert "近づいて" in err.value.message("ja")


def test_discard_overwrites_buffers():
    frame, _ = compose(460, (640, 110))
    photo = capture(frame)
    buffers = [photo.frame, photo.photo()]
    assert photo.discard() > 0
    assert all(not b.any() for b in buffers)
    assert photo.discarded


def test_too_close_advice_is_said_once():
    """Size and framing both fail with "move back" for a head too big: the refusal
    and the live advice say it once."""
    frame, _ = compose(600, (640, 60))
    result = analyse(frame, live=False)
    assert result.check("size").advice == result.check("framing").advice == "too_close"
    assert result.advice("ja").count("少し離れてください") == 1
    with pytest.raises(MadoguchiError) as err:
        capture(frame, strict=False)
    message = err.value.message("ja")
    assert message.count("少し離れてください") == 1 and message.endswith("：少し離れてください")
    assert err.value.message("en").count("Move back a little") == 1


@pytest.mark.parametrize("head", [100, 150, 180])
def test_a_face_far_away_is_asked_to_come_closer_not_missing(head):
    """Faces under ~107 px (the smallest the live cascade sees on its 288-px copy) are
    found by the small-face pass: the advice is to come closer."""
    frame, truth = compose(head, (640, 250))
    result = analyse(frame, live=False)
    assert result.faces == 1 and result.check("face").ok
    assert result.check("size").advice == "too_far"
    assert result.advice("ja")[0] == "もう少し近づいてください"
    with pytest.raises(MadoguchiError) as err:
        capture(frame, strict=True)
    assert err.value.code == "PHOTO_SPEC_NOT_MET" and "近づいて" in err.value.message("ja")


def test_two_people_far_away_are_two_faces():
    frame, _ = compose(150, (900, 250), extra_face_at=(350, 260))
    result = analyse(frame, live=False)
    assert result.faces == 2 and result.check("face").advice == "several_faces"


def test_crop_problems_name_what_is_out_of_spec():
    from app.photo.crop import crop_problems

    crop = fit_crop(150, 660, 960, SPEC)  # a 1080p frame, 381 dpi

    def problems(c, w=1920, h=1080):
        return crop_problems(geometry(c, 150, 660, 960, w, h), SPEC)
    assert problems(crop) == []
    assert problems(adjust(crop, zoom=1.07, spec=SPEC)) == ["head_too_big"]
    assert problems(adjust(crop, zoom=0.93, spec=SPEC)) == ["head_too_small"]
    assert problems(adjust(crop, dy_mm=2.5, spec=SPEC)) == ["crown_margin_small"]
    assert problems(adjust(crop, dy_mm=-2.5, spec=SPEC)) == ["crown_margin_big"]
    assert problems(adjust(crop, dx_mm=2.5, spec=SPEC)) == ["face_left"]
    assert problems(adjust(crop, dx_mm=-2.5, spec=SPEC)) == ["face_right"]
    assert problems(crop, w=400) == ["crop_outside"]
    assert crop_problems(geometry(fit_crop(150, 450, 960, SPEC), 150, 450, 960, 1920, 1080), SPEC) == ["crop_low_dpi"]
