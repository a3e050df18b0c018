"""Sheet layouts: photos at true size inside the printable margins, never overlapping,
with cut marks only outside the photos."""
from __future__ import annotations

import pytest

from app.errors import MadoguchiError
from app.photo.crop import DEFAULT_SPEC as SPEC
from app.photo.sheets import SHEETS, capacity, layout


def test_capacities():
    assert {k: capacity(k, SPEC) for k in SHEETS} == {"single": 1, "L": 4, "KG": 6, "postcard": 6, "A4": 25}


@pytest.mark.parametrize("key", list(SHEETS))
def test_full_sheet_geometry(key):
    lay = layout(key, SPEC)
    sheet = lay.sheet
    for s in lay.slots:
        assert (s.w, s.h) == (35.0, 45.0)
        assert sheet.margin_mm - 1e-9 <= s.x and s.x + s.w <= sheet.width_mm - sheet.margin_mm + 1e-9
        assert sheet.margin_mm - 1e-9 <= s.y and s.y + s.h <= sheet.height_mm - sheet.margin_mm + 1e-9
    for a in lay.slots:
        for b in lay.slots:
            if a is not b:
                assert a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y
    for x0, y0, x1, y1 in lay.marks:  # no mark crosses into a photo
        for s in lay.slots:
            inside_x = s.x < min(x0, x1) + 1e-9 and max(x0, x1) < s.x + s.w - 1e-9
            inside_y = s.y < min(y0, y1) + 1e-9 and max(y0, y1) < s.y + s.h - 1e-9
            assert not (inside_x and inside_y)
    if key == "single":
        assert lay.marks == () and lay.slots[0].x == 0 and lay.page_mm == (35.0, 45.0)
    else:
        assert_marks_at_the_corners(lay)


def _near(a: float, b: float, tol: float = 1e-6) -> bool:
    return abs(a - b) <= tol


def _starts_beyond(corner: float, a: float, b: float, away: int) -> bool:
    """The segment a..b lies on the far side of `corner` (direction `away`), its near
    end less than 1 mm from it."""
    near = min(a, b) if away > 0 else max(a, b)
    gap = (near - corner) * away
    return 0 < gap <= 1.0


def assert_marks_at_the_corners(lay) -> None:
    """Cutting along the marks gives the photos: at every corner of every photo a
    vertical mark continues the photo's side edge and a horizontal mark its top or
    bottom edge, each starting just outside the corner (within 1 mm) and pointing
    away from the photo; and every mark lies on the edge line of some photo."""
    vertical = [m for m in lay.marks if _near(m[0], m[2])]
    horizontal = [m for m in lay.marks if _near(m[1], m[3])]
    assert len(vertical) + len(horizontal) == len(lay.marks)  # only straight guides
    for s in lay.slots:
        for cx, cy in ((s.x, s.y), (s.x + s.w, s.y), (s.x, s.y + s.h), (s.x + s.w, s.y + s.h)):
            assert any(_near(x0, cx) and _starts_beyond(cy, y0, y1, away=1 if cy > s.y else -1)
                       for x0, y0, _x1, y1 in vertical), (s, cx, cy, "no vertical mark at this corner")
            assert any(_near(y0, cy) and _starts_beyond(cx, x0, x1, away=1 if cx > s.x else -1)
                       for x0, y0, x1, _y1 in horizontal), (s, cx, cy, "no horizontal mark at this corner")
    xs = {v for s in lay.slots for v in (s.x, s.x + s.w)}
    ys = {v for s in lay.slots for v in (s.y, s.y + s.h)}
    for x0, y0, x1, y1 in vertical:
        assert any(_near(x0, x, 1e-3) for x in xs), ("a vertical mark off every photo edge", x0)
    for x0, y0, x1, y1 in horizontal:
        assert any(_near(y0, y, 1e-3) for y in ys), ("a horizontal mark off every photo edge", y0)


def test_the_corner_check_finds_a_misplaced_mark():
    """The check above fails when a mark is shifted off a photo edge or missing."""
    from dataclasses import replace

    lay = layout("L", SPEC, 1)
    x0, y0, x1, y1 = lay.marks[0]
    with pytest.raises(AssertionError):
        assert_marks_at_the_corners(replace(lay, marks=((x0 + 1.5, y0, x1 + 1.5, y1), *lay.marks[1:])))
    with pytest.raises(AssertionError):
        assert_marks_at_the_corners(replace(lay, marks=lay.marks[1:]))


def test_count_is_selectable_and_checked():
    assert len(layout("A4", SPEC, 3).slots) == 3
    for bad in (0, 26, -1):
        with pytest.raises(MadoguchiError) as err:
            layout("A4", SPEC, bad)
        assert err.value.code == "PHOTO_COUNT_INVALID"
    with pytest.raises(MadoguchiError) as err:
        layout("B5", SPEC)
    assert err.value.code == "PHOTO_SHEET_UNKNOWN"


def test_profile_spec_changes_the_layout():
    from dataclasses import replace

    big = replace(SPEC, width_mm=40.0, height_mm=50.0, head_mm=38.0)
    lay = layout("A4", big)
    assert all((s.w, s.h) == (40.0, 50.0) for s in lay.slots)
    assert capacity("A4", big) < capacity("A4", SPEC)
