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
        # every photo corner has its marks
        assert len(lay.marks) >= 4 * 2 * 1


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
