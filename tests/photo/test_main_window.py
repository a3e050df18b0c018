"""The photo station as a booth worker reaches it: from the real main window's 本日
menu (or the board's button) on a photo opening, with the video-file camera and the
PDF printer; the printed photo shows on the board's 写真撮影 count; closing the app
wipes a photo still held; the entry is off for a profile without photos; the checks'
advice follows a switch to English."""
from __future__ import annotations

import os

import cv2
import pytest
from PySide6.QtGui import QAction, QPainter
from PySide6.QtWidgets import QApplication, QPushButton

from app.photo import facts
from app.photo.settings import PhotoSettings, save_photo_settings
from app.store import Store
from tests.photo.faces import compose
from tests.photo.screen_helpers import DOCS, WAIT_MS, camera_index, capture_now, consent, wait_ready
from tests.ui.test_layout_fits import _problems
from tests.ui.helpers import click, count_on_screen, open_day, start_window, wait_count, wait_idle
from ui.i18n import install_language

PROFILE_000 = "miyagi_point_r7"


@pytest.fixture(autouse=True)
def japanese_again():
    """Translators are application-wide: back to Japanese for the next test."""
    yield
    install_language("ja")


@pytest.fixture
def settings(face_video, tmp_path) -> PhotoSettings:
    return PhotoSettings(camera_backend="video", camera_path=str(face_video), camera_fps=30.0,
                         printer_backend="pdf", pdf_path=str(tmp_path / "out" / "sheet.pdf"), sheet="L", count=2)


def day_menu_action(window, name: str) -> QAction:
    """The entry as the worker finds it in the menu bar: 写真撮影… in 本日, 写真の設定…
    in 設定 (next to the sync settings)."""
    where = {"menu-photo-settings": "menu-settings"}.get(name)
    for top in window.menuBar().actions():
        menu = top.menu()
        if where is None and top is window.menuBar().actions()[0] or menu.objectName() == where:
            return next(a for a in menu.actions() if a.objectName() == name)
    raise LookupError(name)


def board_button(window) -> QPushButton | None:
    return window.board.findChild(QPushButton, "open-photo-station")


def shot_folder(tmp_path):
    """docs/ when MADOGUCHI_SCREENSHOTS=1, else the test's folder."""
    return DOCS if os.environ.get("MADOGUCHI_SCREENSHOTS") == "1" else tmp_path


def shot_with_menu_open(window, path) -> None:
    """The window with its 本日 menu dropped down (a popup is its own window, so it is
    grabbed separately and drawn where it opened)."""
    bar = window.menuBar()
    day_action = bar.actions()[0]
    menu = day_action.menu()
    menu.popup(bar.mapToGlobal(bar.actionGeometry(day_action).bottomLeft()))
    QApplication.processEvents()
    picture = window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(window.mapFromGlobal(menu.pos()), menu.grab())
    painter.end()
    menu.hide()
    assert picture.save(str(path))


def photo_facts(data_dir, opening_id):
    with Store.open(data_dir, read_only=True) as store:
        return facts.photo_counts(store, opening_id), [d["reason"] for d in facts.deletions(store, opening_id)]


def test_photo_from_the_menu_is_counted_on_the_board(qtbot, data_dir, settings, tmp_path):
    save_photo_settings(data_dir, settings)
    window = start_window(qtbot, data_dir)
    entry = day_menu_action(window, "menu-photo-station")
    assert entry.text() == "写真撮影…" and not entry.isEnabled()  # no opening on screen yet
    open_day(qtbot, window)
    assert entry.isEnabled() and count_on_screen(window, "photo") == "0"
    assert board_button(window).isVisible() and board_button(window).isEnabled()
    shot_with_menu_open(window, shot_folder(tmp_path) / "photo-menu.png")

    entry.trigger()
    station = window.photo.window
    assert station is not None and station.isVisible()
    screen = station.screen_
    assert screen.opening_id == window.board.state.opening.id
    wait_ready(qtbot, screen)
    click(qtbot, board_button(window))  # the board's button brings up the same window
    assert window.photo.window is station

    capture_now(qtbot, screen)
    frame = screen.photo.frame
    consent(qtbot, screen)
    click(qtbot, screen.print_button)
    qtbot.waitUntil(lambda: screen.photo is None, timeout=WAIT_MS)
    wait_count(qtbot, window, "photo", "1")  # the board re-read its counts
    wait_idle(qtbot, window)
    # Ready for the next applicant: back on the live page, the photo overwritten.
    assert station.isVisible() and screen.pages.currentWidget() is screen.live_page
    assert not frame.any()
    assert (tmp_path / "out" / "sheet.pdf").stat().st_size > 0
    assert "印刷しました" in window.statusBar().currentMessage()

    # A second applicant is captured, then the booth app is closed: the photo window
    # goes first, wiping the photo and recording the deletion before the store closes.
    wait_ready(qtbot, screen)
    capture_now(qtbot, screen)
    held = screen.photo.frame
    window.close()
    assert not station.isVisible() and window.photo.window is None
    assert not held.any()
    counts, reasons = photo_facts(data_dir, screen.opening_id)
    assert counts["printed"] == 1 and reasons == ["printed", "discarded"]


def test_no_photo_entry_for_a_profile_without_photos(qtbot, data_dir, settings):
    save_photo_settings(data_dir, settings)
    window = start_window(qtbot, data_dir)
    open_day(qtbot, window, profile=PROFILE_000)
    entry = day_menu_action(window, "menu-photo-station")
    assert not entry.isEnabled()
    assert board_button(window) is None
    entry.trigger()  # even if it were reached somehow, nothing opens
    assert window.photo.window is None
    # The settings stay reachable (cameras are set up before any photo opening).
    assert day_menu_action(window, "menu-photo-settings").isEnabled()


def test_settings_from_the_menu_and_another_opening(qtbot, data_dir, settings):
    save_photo_settings(data_dir, settings)
    window = start_window(qtbot, data_dir)
    open_day(qtbot, window)
    day_menu_action(window, "menu-photo-station").trigger()
    screen = window.photo.window.screen_
    wait_ready(qtbot, screen)
    day_menu_action(window, "menu-photo-settings").trigger()
    dialog = window.photo.settings_dialog
    qtbot.waitUntil(lambda: dialog.isVisible() and not dialog.searching, timeout=WAIT_MS)
    dialog.camera_box.setCurrentIndex(camera_index(dialog, "synthetic"))
    dialog.accept()
    painted = screen.preview.painted
    qtbot.waitUntil(lambda: screen.feed is not None and screen.feed.camera.name == "synthetic"
                    and screen.preview.painted > painted + 5, timeout=WAIT_MS)

    # Another opening on the board: the station of the first one closes (its photos
    # would be counted for an opening no longer on screen).
    closed = []
    window.photo.window.destroyed.connect(lambda: closed.append(True))
    window.action_start.trigger()
    open_day(qtbot, window, venue="名取市文化会館")
    assert window.photo.window is None
    qtbot.waitUntil(lambda: closed == [True], timeout=WAIT_MS)
    assert day_menu_action(window, "menu-photo-station").isEnabled()


def test_advice_follows_a_switch_to_english(qtbot, data_dir, settings, tmp_path):
    folder = tmp_path / "stills"
    folder.mkdir()
    frame, _ = compose(250, (640, 200))  # a face too small for the spec at this camera
    cv2.imwrite(str(folder / "far.png"), frame)
    save_photo_settings(data_dir, settings.with_(camera_backend="stills", camera_path=str(folder)))
    window = start_window(qtbot, data_dir)
    open_day(qtbot, window)
    day_menu_action(window, "menu-photo-station").trigger()
    screen = window.photo.window.screen_
    qtbot.waitUntil(lambda: screen.analysis is not None, timeout=WAIT_MS)
    assert screen.advice_label.text() == "もう少し近づいてください"
    assert screen.check_labels["size"].text() == "✗ もう少し近づいてください"

    window.lang_actions["en"].trigger()
    qtbot.waitUntil(lambda: board_button(window) is not None, timeout=WAIT_MS)
    assert screen.advice_label.text() == "Come a little closer"
    assert screen.check_labels["size"].text() == "✗ Come a little closer"
    assert screen.check_names["size"].text() == "Head size"
    assert screen.capture_button.text() == "Take photo"
    assert screen.consent.texts["review"].text().startswith("The photo may be rejected in review")
    assert window.photo.window.windowTitle() == "Photo station — Madoguchi"
    assert day_menu_action(window, "menu-photo-station").text() == "Photo station…"
    assert board_button(window).text() == "Photo station…"
    QApplication.processEvents()  # the relaid-out window, as the worker sees it
    assert _problems(window.photo.window) == []  # no English word cut off
    # The next analysed frames keep to English too.
    seen = screen.analyser.analysed_count
    qtbot.waitUntil(lambda: screen.analyser.analysed_count > seen + 2, timeout=WAIT_MS)
    assert screen.advice_label.text() == "Come a little closer"
    if os.environ.get("MADOGUCHI_SCREENSHOTS") == "1":
        qtbot.wait(1500)  # a settled frame-rate readout for the picture
    assert window.photo.window.grab().save(str(shot_folder(tmp_path) / "photo-live-en.png"))
