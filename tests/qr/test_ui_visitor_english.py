"""The visitor display in both languages: Japanese first, a smaller English line
under each text when the staff work in English or tick 「来場者用画面に英語も表示」.
The QR code stays scannable with the extra lines."""
from __future__ import annotations

import pytest

from tests.qr.test_ui_visitor import APP_URL, POINTS_URL, SOURCES, status
from tests.qr.uihelpers import decode_widget, saved_codes, shots_dir
from ui.qr_visitor import ENDED_TEXT, VisitorDisplay


@pytest.fixture
def display(qtbot, booth_look):
    window = VisitorDisplay()
    qtbot.addWidget(window)
    window.set_codes(SOURCES)
    window.set_points(status(1234))
    window.show_on(None, fullscreen=False)
    window.resize(1280, 800)
    qtbot.waitExposed(window)
    return window


def english_line(display, label) -> str:
    line = display.english_lines[label]
    return line.text() if line.isVisible() else ""


def test_japanese_only_by_default(display):
    assert english_line(display, display.caption) == ""
    assert english_line(display, display.remaining) == ""


def test_english_lines_under_the_japanese(display, qtbot, tmp_path):
    display.set_english(True)
    assert display.caption.text() == "みやぎポイントを受け取る（1,500ポイント）"
    assert english_line(display, display.caption) == "Get Miyagi Points (1,500 points)"
    assert english_line(display, display.hint) == "Scan with the Miyagi Point app"
    assert display.remaining.text() == "この窓口の残り　1,234 名様"
    assert english_line(display, display.remaining) == "1,234 left at this booth"
    # Japanese above, English below, both above the code.
    caption_en = display.english_lines[display.caption]
    assert display.caption.geometry().bottom() <= caption_en.geometry().top()
    assert caption_en.font().pixelSize() < display.caption.font().pixelSize()
    assert decode_widget(display) == POINTS_URL  # still scannable
    shot = shots_dir(tmp_path) / "qr-visitor-bilingual.png"  # docs/qr.md's picture
    display.grab().save(str(shot))
    assert saved_codes(shot) == [POINTS_URL]
    display.set_points(status(0))  # this booth is done, the venue may not be
    assert english_line(display, display.banner_label) == \
        "This booth has finished handing out points. Please go to another booth"
    display.set_points(status(0, cap_reached=True))
    assert display.banner_label.text() == ENDED_TEXT
    assert english_line(display, display.banner_label) == "Today's distribution has ended"
    assert decode_widget(display) == APP_URL
    display.set_codes(SOURCES[:1])
    assert english_line(display, display.ended_label) == "Today's distribution has ended"
    assert "Thank you for coming." in english_line(display, display.ended_note)
    display.set_english(False)
    assert english_line(display, display.ended_label) == ""


def test_a_caption_typed_by_the_staff_has_no_english_line(display):
    from app.qrcodes.sources import QrSource

    display.set_english(True)
    display.set_codes([QrSource("x", "夢メッセ会場限定のご案内", APP_URL, "typed", "info")])
    assert display.caption.text() == "夢メッセ会場限定のご案内"
    assert english_line(display, display.caption) == ""
    assert english_line(display, display.hint) == "Scan with your smartphone camera or app"
