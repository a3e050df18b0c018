"""`python main.py photo`: the output PDF, rendered back to pixels, has true-size
photos with the head at 34±2 mm, the crown 4±2 mm below the top and the face centred
within 2 mm; refusals exit 2 with a message and write nothing."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from app.cli import run
from app.photo.sheets import SHEETS, capacity, layout
from app.photo.crop import DEFAULT_SPEC as SPEC
from tests.conftest import require_tool
from tests.photo.faces import BACKGROUND_BGR, compose
from tests.photo.measure import crop_box, measure_head, photo_boxes, render

ROOT = Path(__file__).resolve().parents[2]
DPI = 300


@pytest.fixture(autouse=True)
def _tools():
    require_tool("pdftoppm")


def still(tmp_path: Path, name: str, frame: np.ndarray) -> Path:
    path = tmp_path / name
    cv2.imwrite(str(path), frame)
    return path


def assert_true_size(pdf: bytes, sheet: str, count: int) -> list:
    """Photos of 35×45 mm where the layout puts them, each with the head in spec as a
    ruler would measure it; returns those measurements."""
    page = render(pdf, DPI)
    lay = layout(sheet, SPEC, count)
    assert page.shape[1] == pytest.approx(lay.sheet.width_mm / 25.4 * DPI, abs=2)
    assert page.shape[0] == pytest.approx(lay.sheet.height_mm / 25.4 * DPI, abs=2)
    boxes = photo_boxes(page, DPI)
    assert len(boxes) == count
    heads = []
    for box, slot in zip(boxes, lay.slots):
        assert box.w / DPI * 25.4 == pytest.approx(35, abs=0.3)
        assert box.h / DPI * 25.4 == pytest.approx(45, abs=0.3)
        assert box.x / DPI * 25.4 == pytest.approx(slot.x, abs=0.3)
        head = measure_head(crop_box(page, box), DPI)
        assert abs(head.head_mm - 34) <= 2.0, head
        assert abs(head.crown_mm - 4) <= 2.0, head
        assert abs(head.offset_mm) <= 2.0, head
        heads.append(head)
    return heads


@pytest.mark.parametrize("sheet,head,where", [
    ("single", 430, (640, 100)),
    ("L", 470, (450, 120)),
    ("KG", 410, (860, 90)),
    ("postcard", 500, (700, 80)),
    ("A4", 450, (560, 130)),
])
def test_sheet_pdf_has_true_size_photos_with_the_head_in_spec(tmp_path, capsys, sheet, head, where):
    frame, truth = compose(head, where)
    image = still(tmp_path, "applicant.png", frame)
    out = tmp_path / "sheet.pdf"
    count = min(3, capacity(sheet, SPEC))
    code = run(["--data-dir", str(tmp_path / "data"), "photo", "--input", str(image), "--sheet", sheet,
                "--count", str(count), "--out", str(out), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["ok"] and report["failed_checks"] == []
    # The reported geometry is measured again on the rendered photo (not the crop's
    # plan, which is 34/4/0 by construction): in spec, and within 1 mm of where the
    # composite's head truly is in the printed crop.
    assert report["geometry_source"] == "measured_on_output"
    g = report["geometry"]
    assert abs(g["head_height_mm"] - 34) <= 2 and abs(g["margin_above_crown_mm"] - 4) <= 2
    assert abs(g["horizontal_offset_mm"]) <= 2 and g["dpi"] >= 300
    x, y, w, h = report["crop"]
    ppm = h / SPEC.height_mm
    assert g["head_height_mm"] == pytest.approx(truth.head_px / ppm, abs=1.0)
    assert g["margin_above_crown_mm"] == pytest.approx((truth.crown_y - y) / ppm, abs=1.0)
    assert g["horizontal_offset_mm"] == pytest.approx((truth.centre_x - x - w / 2) / ppm, abs=1.0)
    assert report["fitted"]["head_height_mm"] == 34.0  # the plan, for comparison
    assert_true_size(out.read_bytes(), sheet, count)  # and a ruler on the PDF agrees


def test_a_photo_that_renders_off_spec_is_refused(tmp_path, capsys, monkeypatch):
    """If the pixels that would be printed miss the spec (here the rendering is made
    to slip 3 mm sideways), the re-measurement catches it: exit 2, no file."""
    from app.photo import session

    real = session.render_crop

    def slipped(frame, crop, dpi, spec):
        return real(frame, session.adjust(crop, dx_mm=3.0, spec=spec), dpi, spec)
    monkeypatch.setattr(session, "render_crop", slipped)
    image = still(tmp_path, "a.png", compose(450, (640, 100))[0])
    out = tmp_path / "o.pdf"
    assert run(["photo", "--input", str(image), "--sheet", "L", "--out", str(out), "--json"]) == 2
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["ok"] is False and "output_check" in report["failed_checks"]
    assert report["geometry"]["horizontal_offset_mm"] == pytest.approx(-3.0, abs=0.8)
    assert report["fitted"]["horizontal_offset_mm"] == 0.0  # the plan alone would have passed
    assert "PHOTO_OUTPUT_CHECK_FAILED" in captured.err and "測り直す" in captured.err
    assert not out.exists()


def test_default_count_fills_the_sheet(tmp_path, capsys):
    image = still(tmp_path, "a.png", compose(450, (640, 100))[0])
    out = tmp_path / "l.pdf"
    assert run(["photo", "--input", str(image), "--sheet", "L", "--out", str(out)]) == 0
    assert "L 判" in capsys.readouterr().out
    assert len(photo_boxes(render(out.read_bytes(), 100), 100)) == capacity("L", SPEC)


@pytest.mark.parametrize("case,code,words", [
    ("no_face", "PHOTO_NO_FACE", "顔が見つかりません"),
    ("two_faces", "PHOTO_SEVERAL_FACES", "2 人分"),
    ("too_far", "PHOTO_SPEC_NOT_MET", "もう少し近づいてください"),
    ("cut_off", "PHOTO_SPEC_NOT_MET", "画面の右へ"),
    ("blurred", "PHOTO_SPEC_NOT_MET", "ぼやけています"),
])
def test_refusals_exit_2_with_a_message_and_no_file(tmp_path, capsys, case, code, words):
    frames = {
        "no_face": np.full((720, 1280, 3), BACKGROUND_BGR, np.uint8),
        "two_faces": compose(440, (800, 100), extra_face_at=(250, 200))[0],
        "too_far": compose(300, (640, 200))[0],
        "cut_off": compose(430, (200, 100))[0],
        "blurred": cv2.GaussianBlur(compose(460, (640, 110))[0], (0, 0), 4),
    }
    image = still(tmp_path, f"{case}.png", frames[case])
    out = tmp_path / "out.pdf"
    assert run(["photo", "--input", str(image), "--sheet", "L", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert code in err and words in err
    assert not out.exists()


def test_json_on_refusal_lists_the_failed_checks(tmp_path, capsys):
    image = still(tmp_path, "far.png", compose(300, (640, 200))[0])
    out = tmp_path / "out.pdf"
    assert run(["--lang", "en", "photo", "--input", str(image), "--sheet", "A4", "--out", str(out), "--json"]) == 2
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["ok"] is False and report["output"] is None
    assert "size" in report["failed_checks"]
    assert report["geometry"]["dpi"] < 300
    assert "Come a little closer" in captured.err
    assert not out.exists()


def test_bad_arguments_are_refused_before_any_work(tmp_path, capsys):
    image = still(tmp_path, "a.png", compose(450, (640, 100))[0])
    out = tmp_path / "o.pdf"
    assert run(["photo", "--input", str(image), "--sheet", "B5", "--out", str(out)]) == 2
    assert "PHOTO_SHEET_UNKNOWN" in capsys.readouterr().err
    assert run(["photo", "--input", str(image), "--sheet", "L", "--count", "5", "--out", str(out)]) == 2
    assert "PHOTO_COUNT_INVALID" in capsys.readouterr().err
    assert run(["photo", "--input", str(tmp_path / "missing.png"), "--sheet", "L", "--out", str(out)]) == 2
    assert "PHOTO_INPUT_UNREADABLE" in capsys.readouterr().err
    assert not out.exists()


def test_main_py_entry_point(tmp_path):
    """The real command line, as a user runs it."""
    image = still(tmp_path, "a.png", compose(450, (640, 100))[0])
    out = tmp_path / "single.pdf"
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", str(tmp_path / "d"), "photo",
                           "--input", str(image), "--sheet", "single", "--out", str(out), "--json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["sheet"] == "single"
    assert_true_size(out.read_bytes(), "single", 1)
    far = still(tmp_path, "far.png", compose(300, (640, 200))[0])
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", str(tmp_path / "d"), "photo",
                           "--input", str(far), "--sheet", "single", "--out", str(tmp_path / "no.pdf")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "近づいて" in done.stderr
    assert not (tmp_path / "no.pdf").exists()


def test_every_sheet_is_known():
    assert set(SHEETS) == {"single", "L", "KG", "postcard", "A4"}
