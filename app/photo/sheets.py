"""Print sheets: where each photo goes on the paper, at true size, with cut guides.

All positions are millimetres from the top-left corner of the page. Photos sit on a
grid with a gap between them; the cut guides are short marks in the gaps and margins
that line up with the photo edges, so cutting along them gives exactly 45×35 mm and
no guide is printed over a photo.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.errors import MadoguchiError
from app.photo import messages  # noqa: F401 - registers the PHOTO_* codes
from app.profiles import PhotoSpec

GAP_MM = 3.0           # between photos: room for the cut marks and the blade
MARK_MM = 2.0          # length of a cut mark
MARK_OFFSET_MM = 0.6   # marks start this far from the photo edge
CAPTION_MM = 2.6       # text height of the caption under the photos


@dataclass(frozen=True)
class Sheet:
    key: str
    label_ja: str
    label_en: str
    width_mm: float
    height_mm: float
    margin_mm: float     # nothing printed closer to the paper edge (printer margins)

    def label(self, lang: str = "ja") -> str:
        return self.label_en if lang == "en" else self.label_ja


SHEETS: dict[str, Sheet] = {s.key: s for s in (
    Sheet("single", "写真 1 枚（45×35 mm）", "Single photo (45×35 mm)", 35.0, 45.0, 0.0),
    Sheet("L", "L 判（89×127 mm）", "L (89×127 mm)", 89.0, 127.0, 3.0),
    Sheet("KG", "KG 判（102×152 mm）", "KG (102×152 mm)", 102.0, 152.0, 3.0),
    Sheet("postcard", "はがき（100×148 mm）", "Postcard (100×148 mm)", 100.0, 148.0, 3.0),
    Sheet("A4", "A4（210×297 mm）", "A4 (210×297 mm)", 210.0, 297.0, 8.0),
)}


@dataclass(frozen=True)
class Slot:
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Layout:
    sheet: Sheet
    slots: tuple[Slot, ...]
    marks: tuple[tuple[float, float, float, float], ...]   # line segments x0, y0, x1, y1
    caption: tuple[float, float, float] | None               # caption baseline x, y and width

    @property
    def page_mm(self) -> tuple[float, float]:
        return self.sheet.width_mm, self.sheet.height_mm


def get_sheet(key: str) -> Sheet:
    sheet = SHEETS.get(key)
    if sheet is None:
        raise MadoguchiError("PHOTO_SHEET_UNKNOWN", sheet=key, allowed=", ".join(SHEETS))
    return sheet


def grid(sheet: Sheet, spec: PhotoSpec) -> tuple[int, int]:
    """Columns and rows of photos that fit inside the margins."""
    if sheet.key == "single":
        return 1, 1
    usable_w = sheet.width_mm - 2 * sheet.margin_mm
    usable_h = sheet.height_mm - 2 * sheet.margin_mm
    cols = int((usable_w + GAP_MM) // (spec.width_mm + GAP_MM))
    rows = int((usable_h + GAP_MM) // (spec.height_mm + GAP_MM))
    return max(cols, 0), max(rows, 0)


def capacity(sheet: Sheet | str, spec: PhotoSpec) -> int:
    sheet = get_sheet(sheet) if isinstance(sheet, str) else sheet
    cols, rows = grid(sheet, spec)
    return cols * rows


def layout(sheet: Sheet | str, spec: PhotoSpec, count: int | None = None) -> Layout:
    """`count` photos (default: as many as fit) filled row by row, the grid centred
    on the page with the caption under it."""
    sheet = get_sheet(sheet) if isinstance(sheet, str) else sheet
    cols, rows = grid(sheet, spec)
    cap = cols * rows
    n = cap if count is None else count
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= cap:
        raise MadoguchiError("PHOTO_COUNT_INVALID", count=count, capacity=cap, sheet=sheet.key)
    if sheet.key == "single":  # the page is the photo: its edges are the cut
        return Layout(sheet, (Slot(0.0, 0.0, spec.width_mm, spec.height_mm),), (), None)
    used_cols = min(n, cols)
    used_rows = -(-n // cols)
    grid_w = used_cols * spec.width_mm + (used_cols - 1) * GAP_MM
    grid_h = used_rows * spec.height_mm + (used_rows - 1) * GAP_MM
    room = sheet.height_mm - 2 * sheet.margin_mm - grid_h
    below = MARK_OFFSET_MM + MARK_MM + CAPTION_MM + 0.5   # clear of the cut marks
    with_caption = room >= below  # the caption only where it fits
    block_h = grid_h + (below if with_caption else 0.0)
    x0 = (sheet.width_mm - grid_w) / 2
    y0 = max(sheet.margin_mm, (sheet.height_mm - block_h) / 2)
    slots = []
    for i in range(n):
        r, c = divmod(i, cols)
        slots.append(Slot(x0 + c * (spec.width_mm + GAP_MM), y0 + r * (spec.height_mm + GAP_MM),
                          spec.width_mm, spec.height_mm))
    caption = (x0, y0 + grid_h + MARK_OFFSET_MM + MARK_MM + CAPTION_MM * 0.9, grid_w) if with_caption else None
    return Layout(sheet, tuple(slots), tuple(_cut_marks(slots)), caption)


def _cut_marks(slots: list[Slot]) -> list[tuple[float, float, float, float]]:
    """Two marks at every corner, pointing away from the photo along its edges."""
    marks = set()
    o, m = MARK_OFFSET_MM, MARK_MM
    for s in slots:
        for cx, sx in ((s.x, -1), (s.x + s.w, 1)):
            for cy, sy in ((s.y, -1), (s.y + s.h, 1)):
                marks.add((round(cx, 3), round(cy + sy * o, 3), round(cx, 3), round(cy + sy * (o + m), 3)))
                marks.add((round(cx + sx * o, 3), round(cy, 3), round(cx + sx * (o + m), 3), round(cy, 3)))
    return sorted(marks)


def caption_text(spec: PhotoSpec, lang: str = "ja") -> str:
    h, w = spec.height_mm / 10, spec.width_mm / 10
    if lang == "en":
        return f"Application photo {h:g} cm × {w:g} cm — cut along the marks"
    return f"申請書貼付用写真　縦{h:g}cm×横{w:g}cm　印に沿って切り取ってください"
