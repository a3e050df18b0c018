"""The visitor display: the QR code as shown decodes back to its text, codes rotate
or are picked, and the display says when this booth has finished (other booths
may go on) and when the venue's cap is reached (the day has ended)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from app.points import PointsStatus
from app.qrcodes.sources import QrSource
from tests.qr.uihelpers import decode_screen, decode_widget, saved_codes, shots_dir
from ui.qr_visitor import ENDED_HERE_BANNER, ENDED_HERE_TEXT, ENDED_TEXT, VisitorDisplay
POINTS_URL = "https://miyagi-point.example.jp/r7/event/0001?venue=yumemesse"
APP_URL = "https://www.pocketsign.example.jp/app"
SOURCES = [QrSource("p", "みやぎポイントを受け取る（1,500ポイント）", POINTS_URL, "typed", "points"),
           QrSource("a", "アプリのダウンロードはこちら", APP_URL, "image", "info")]


def status(available: int, cap_reached: bool = False) -> PointsStatus:
    base = PointsStatus(opening_id="o", venue_day="v", laptop="AAA-AAA", role="lead", day="2026-11-26",
                        counter="point_grant", cap=4000, margin_min=10, hub_reserve=0,
                        roster={"AAA-AAA": 4000}, initial=4000, received=0, sent=0, returned=0,
                        hub_in=0, hub_out=0, granted=4000 - available)
    return base if cap_reached else replace(base, roster={"AAA-AAA": 2000, "BBB-BBB": 2000}, initial=2000,
                                            granted=2000 - available)


@pytest.fixture
def display(qtbot, booth_look):
    window = VisitorDisplay()
    qtbot.addWidget(window)
    window.set_codes(SOURCES)
    window.set_points(status(1234))
    return window


@pytest.mark.parametrize("size", [(1920, 1080), (1024, 600), (640, 480)])
def test_qr_as_shown_decodes_back_to_its_text(display, qtbot, size):
    display.show_on(None, fullscreen=False)
    display.resize(*size)
    qtbot.waitExposed(display)
    qtbot.waitUntil(lambda: display.qr.module_px() >= 2)
    assert decode_widget(display) == POINTS_URL
    assert decode_widget(display.qr) == POINTS_URL
    assert display.caption.text() == "みやぎポイントを受け取る（1,500ポイント）"
    assert display.remaining.text() == "この窓口の残り　1,234 名様"  # this laptop's share, not the venue's
    # The code is drawn whole with its quiet zone inside the widget, on whole pixels.
    rect = display.qr.code_rect()
    assert display.qr.rect().contains(rect)
    assert display.qr.module_px() == int(display.qr.module_px())


def test_full_screen_on_the_chosen_screen_decodes_from_the_screen(display, qtbot):
    from PySide6.QtGui import QGuiApplication

    screen = QGuiApplication.screens()[-1]
    display.show_on(screen, fullscreen=True)
    qtbot.waitExposed(display)
    qtbot.waitUntil(display.isFullScreen)
    assert display.screen() is screen and display.geometry() == screen.geometry()
    qtbot.waitUntil(lambda: decode_screen(display) == POINTS_URL, timeout=5000)


def test_codes_rotate_on_a_timer_and_staff_can_pick_one(display, qtbot):
    display.show_on(None, fullscreen=False)
    display.resize(900, 700)
    qtbot.waitExposed(display)
    assert display.current_id() == "p" and display.position.text() == "1 / 2"
    display.set_rotation(0.05)
    qtbot.waitUntil(lambda: display.current_id() == "a", timeout=5000)
    assert decode_widget(display) == APP_URL and display.remaining.text() == ""
    qtbot.waitUntil(lambda: display.current_id() == "p", timeout=5000)
    display.show_code("a")
    assert not display.rotating and display.current_id() == "a"
    assert decode_widget(display) == APP_URL


def test_at_the_cap_the_display_says_the_distribution_has_ended(display, qtbot):
    display.show_on(None, fullscreen=False)
    display.resize(1280, 800)
    qtbot.waitExposed(display)
    display.set_points(status(0, cap_reached=True))
    # The points code is gone; the other code stays, under the ended banner.
    assert display.banner.isVisible() and display.banner_label.text() == ENDED_TEXT
    assert display.current_id() == "a" and decode_widget(display) == APP_URL
    display.set_codes(SOURCES[:1])  # only the points code: a full-screen message
    assert display.stack.currentWidget() is display.ended_page
    assert display.ended_label.text() == ENDED_TEXT and decode_widget(display) == ""
    assert "ありがとうございました" in display.ended_note.text()


def test_laptop_out_of_its_share_sends_visitors_to_another_booth(display, qtbot):
    """Only this laptop's allotment is used up: the venue may go on at other booths,
    so the display never says that today's distribution has ended."""
    display.show_on(None, fullscreen=False)
    display.resize(1280, 800)
    qtbot.waitExposed(display)
    display.set_points(status(0))
    assert display.banner.isVisible() and display.banner_label.text() == ENDED_HERE_BANNER
    assert display.current_id() == "a" and decode_widget(display) == APP_URL
    display.set_codes(SOURCES[:1])
    assert display.ended_label.text() == ENDED_HERE_TEXT == "この窓口での配布は終了しました"
    assert "ほかの窓口へお越しください" in display.ended_note.text()
    assert ENDED_TEXT not in display.ended_label.text() + display.ended_note.text() + display.banner_label.text()
    # The long sentence fits the window: not cut off at either side.
    assert display.ended_label.sizeHint().width() <= display.ended_label.width()


def test_nothing_configured_says_preparing(qtbot, booth_look):
    window = VisitorDisplay()
    qtbot.addWidget(window)
    assert window.stack.currentWidget() is window.message_page
    assert "準備中" in window.message_page.text()


def test_screenshots_of_the_visitor_display(display, qtbot, tmp_path):
    """The pictures of docs/qr.md (written there with MADOGUCHI_SCREENSHOTS=1), checked
    as a visitor sees them: the code on them scans, the words are there."""
    display.show_on(None, fullscreen=False)
    display.resize(1280, 800)
    qtbot.waitExposed(display)
    folder = shots_dir(tmp_path)

    def shot(name: str):
        path = folder / name
        display.grab().save(str(path))
        return saved_codes(path)
    assert shot("qr-visitor.png") == [POINTS_URL]
    assert display.caption.isVisible() and display.caption.text().startswith("みやぎポイント")
    assert display.remaining.isVisible() and "この窓口の残り" in display.remaining.text()
    display.set_points(status(0))
    assert shot("qr-visitor-booth-ended.png") == [APP_URL]  # other codes go on under the banner
    assert display.banner.isVisible() and display.banner_label.text() == ENDED_HERE_BANNER
    display.set_points(status(0, cap_reached=True))
    assert shot("qr-visitor-ended-banner.png") == [APP_URL]
    assert display.banner_label.text() == ENDED_TEXT
    display.set_codes(SOURCES[:1])
    assert shot("qr-visitor-ended.png") == []  # the points code is gone
    assert display.ended_label.isVisible() and display.ended_label.text() == ENDED_TEXT
