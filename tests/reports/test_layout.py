"""Nothing is cut off: every piece of text fits inside its table cell and inside the
printable area, long names wrap, long tables continue with their header repeated."""
from __future__ import annotations

import pytest

from app.errors import MadoguchiError
from app.openings import list_openings, open_opening
from app.reports import export as ex
from app.reports import fonts
from app.reports.fonts import string_width
from app.reports.layout import MARGIN, Box, Text, layout
from app.reports.textfit import wrap
from tests.conftest import profile_for_spec
from tests.reports.conftest import NOW
from tests.reports.seed import at


def _extent(t: Text) -> tuple[float, float]:
    w = string_width(t.text, t.size)
    left = {"left": t.x, "right": t.x - w, "center": t.x - w / 2}[t.align]
    return left, left + w


def _check_pages(pages) -> None:
    for page in pages:
        boxes = [b for b in page.items if isinstance(b, Box)]
        for t in (i for i in page.items if isinstance(i, Text)):
            left, right = _extent(t)
            assert MARGIN - 0.5 <= left and right <= page.width - MARGIN + 0.5, t
            assert 0 < t.y < page.height
            inside = [b for b in boxes if b.x <= t.x <= b.x + b.w and b.y <= t.y <= b.y + b.h]
            if inside:
                cell = min(inside, key=lambda b: b.w * b.h)
                assert cell.x - 0.01 <= left and right <= cell.x + cell.w + 0.01, (t.text, cell)
                assert cell.y <= t.y - t.size * 0.2  # descenders stay inside the cell too


@pytest.mark.parametrize("kind", ["daily", "monthly", "final"])
def test_all_text_fits_its_cell_and_the_page(store_003, kind):
    if kind == "daily":
        report = ex.daily_report(store_003, list_openings(store_003)[5].id, now=NOW)
    elif kind == "monthly":
        report = ex.monthly_report(store_003, "2024-11", now=NOW)
    else:
        report = ex.final_report(store_003, now=NOW)
    _check_pages(layout(report.document))


def test_a_very_long_venue_wraps_inside_its_cell(store_003):
    p = profile_for_spec("003")
    venue = "宮城県仙台市青葉区本町三丁目八番一号宮城県庁行政庁舎一階県民ロビー特設マイナンバーカード申請サポート会場（臨時）"
    o = open_opening(store_003, profile=p, kind="event", venue=venue, municipality="仙台市",
                     date="2024-11-29", large=False, staff=1, now=at(NOW.date(), 9))
    pages = layout(ex.daily_report(store_003, o.id, now=NOW).document)
    _check_pages(pages)
    texts = [t.text for t in pages[0].items if isinstance(t, Text)]
    assert "".join(texts).count(venue) == 2  # in the subtitle and in the venue row, whole
    assert venue not in texts  # ... and on more than one line: it is wider than the page
    monthly = layout(ex.monthly_report(store_003, "2024-11", now=NOW).document)
    _check_pages(monthly)


def test_a_long_table_continues_on_the_next_page_with_its_header(store_003):
    p = profile_for_spec("003")
    for i in range(45):
        open_opening(store_003, profile=p, kind="event", venue=f"追加会場{i}", municipality="仙台市",
                     date=f"2024-11-{1 + i % 28:02d}", large=False, staff=1, now=at(NOW.date(), 9))
    pages = layout(ex.monthly_report(store_003, "2024-11", now=NOW).document)
    _check_pages(pages)
    headers = [pg for pg in pages if any(isinstance(t, Text) and t.text.startswith("実施回一覧") for t in pg.items)]
    assert len(headers) >= 2
    assert any(t.text == "実施回一覧（続き）" for pg in headers for t in pg.items if isinstance(t, Text))
    footer = [t.text for t in pages[-1].items if isinstance(t, Text) and "ページ" in t.text]
    assert footer == [f"{len(pages)} / {len(pages)} ページ"]


def test_wrap_keeps_words_and_japanese_line_rules():
    def measure(text, size):
        return len(text) * size
    assert wrap("申請サポート（商業施設等）", 7 * 10, 10, measure) == ["申請サポート", "（商業施設等）"]
    assert wrap("abc defgh", 6 * 10, 10, measure) == ["abc", "defgh"]
    lines = wrap("あいう、えお", 3 * 10, 10, measure)
    assert not any(line.startswith("、") for line in lines)
    assert "".join(wrap("x" * 25, 10 * 10, 10, measure)) == "x" * 25


def test_missing_japanese_font_is_a_clear_error(monkeypatch, store_003):
    monkeypatch.setattr(fonts, "candidates", lambda: [])
    fonts.find_font.cache_clear()
    fonts.register_pdf_font.cache_clear()
    try:
        with pytest.raises(MadoguchiError) as err:
            ex.render(ex.daily_report(store_003, list_openings(store_003)[0].id, now=NOW).document, "pdf")
        assert err.value.code == "REPORT_FONT_MISSING"
        assert "IPAex" in err.value.message("ja") and "IPAexGothic" in err.value.message("en")
    finally:
        fonts.find_font.cache_clear()
        fonts.register_pdf_font.cache_clear()


def test_a_latin_only_or_missing_file_is_not_accepted_as_the_report_font(tmp_path):
    assert not fonts.usable(tmp_path / "nothing.ttf")
    (tmp_path / "bad.ttf").write_bytes(b"not a font")
    assert not fonts.usable(tmp_path / "bad.ttf")
    assert fonts.usable(fonts.find_font())


def test_chart_axes_end_on_round_numbers_above_the_peak():
    from app.reports.charts import axis

    assert axis(0) == (5, 1)
    assert axis(13) == (15, 5)
    assert axis(55) == (60, 20)          # the 55-openings target line stays inside the chart
    assert axis(2000) == (2500, 500)
    for peak in (1, 7, 99, 161, 1999, 2150):
        top, step = axis(peak)
        assert top > peak and top % step == 0 and top // step <= 6
