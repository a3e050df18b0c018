"""The booth window with the features hooked in: the sync status strip in the status
bar and the sync settings under 設定 (enrolment code typed or scanned), the QR
board as a page next to the tally board (visitor window, grants on either side),
point grants from the tally board's tile through the cap, and the photo count
shown read-only. Real window, real worker thread, real store, offscreen."""
from __future__ import annotations

import qrcode
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QPushButton
from shiboken6 import isValid

from app import points as pts
from app import tallies as tl
from app.photo.settings import PhotoSettings, save_photo_settings
from app.qrcodes.sources import add_source
from app.store import Store
from tests.ui.helpers import (WAIT_MS, click, count_on_screen, open_day, type_text, wait_count, wait_dialog,
                              wait_idle)
from tests.ui.test_layout_fits import CLIENT_H, CLIENT_W, LONG_VENUE, _problems
from ui.dialogs import ReasonDialog
from ui.i18n import install_language
from ui.qr_menu import BOARD_BUTTON
from ui.sync_settings import SyncSettingsDialog

POINT_PROFILE = "miyagi_point_r7"
POINTS_URL = "https://miyagi-point.example.jp/r7/event/0001"


def menu_action(window, name: str):
    for top in window.menuBar().actions():
        for action in top.menu().actions():
            if action.objectName() == name:
                return top.menu(), action
    raise LookupError(name)


def shown(widget) -> bool:
    """On screen (a retired page is deleted soon after: then it is not)."""
    return isValid(widget) and widget.isVisible()


def open_point_day(qtbot, window) -> None:
    open_day(qtbot, window, profile=POINT_PROFILE, venue="夢メッセみやぎ", municipality="仙台市")


def open_qr_page(qtbot, window):
    click(qtbot, window.board.findChild(QPushButton, BOARD_BUTTON))
    qtbot.waitUntil(lambda: window.qr.is_current() and window.qr.board.state is not None, timeout=WAIT_MS)
    return window.qr.board


# ---- sync -------------------------------------------------------------------------------

def test_sync_strip_sits_in_the_status_bar_and_follows_the_language(qtbot, launch, data_dir):
    window = launch(data_dir)
    strip = window.sync_strip
    assert strip.parent() is window.statusBar() and strip.isVisible()
    qtbot.waitUntil(lambda: strip.state_label.text() == "同期：ハブ未設定", timeout=WAIT_MS)
    assert strip.pending_label.text() == "未送信 0 件" and strip.now_button.text() == "今すぐ同期"
    assert strip.loop.running  # started once the store was open
    window.lang_actions["en"].trigger()
    qtbot.waitUntil(lambda: strip.now_button.text() == "Sync now", timeout=WAIT_MS)
    assert strip.state_label.text().startswith("Sync")
    menu, action = menu_action(window, "menu-sync-settings")
    assert menu.title() == "Settings" and action.text() == "Sync settings…"
    window.close()
    assert not strip.loop.running  # shut down with the window, before the store worker


def test_sync_settings_from_the_menu_scan_the_enrolment_code_with_the_camera(qtbot, launch, data_dir, tmp_path):
    stills = tmp_path / "camera"
    stills.mkdir()
    payload = "madoguchi://enrol?code=K7QM-2XVD-9HTR&hub=https%3A%2F%2Fhub.example.jp"
    qrcode.make(payload).save(stills / "enrol.png")
    save_photo_settings(data_dir, PhotoSettings(camera_backend="stills", camera_path=str(stills),
                                                camera_width=1280, camera_height=720, camera_fps=15.0))
    window = launch(data_dir)
    menu, action = menu_action(window, "menu-sync-settings")
    assert menu.title() == "設定" and action.text() == "同期の設定…"
    assert [a.objectName() for a in menu.actions()] == ["menu-sync-settings", "menu-photo-settings"]
    action.trigger()
    qtbot.waitUntil(lambda: isinstance(window.sync_strip.dialog, SyncSettingsDialog)
                    and window.sync_strip.dialog.isVisible(), timeout=WAIT_MS)
    dialog = window.sync_strip.dialog
    assert dialog.scan_button.isEnabled()

    def give_up() -> None:  # never hang the suite if the camera does not deliver
        for w in QApplication.topLevelWidgets():
            if w.objectName() == "qr-scan-text" and w.isVisible():
                w.reject()
    QTimer.singleShot(WAIT_MS, give_up)
    click(qtbot, dialog.scan_button)  # modal: returns once the code was seen
    assert dialog.code_edit.text() == payload
    assert dialog.url_edit.text() == "https://hub.example.jp"
    dialog.reject()


# ---- QR board and points ------------------------------------------------------------------

def test_qr_page_from_the_board_grants_on_both_sides_and_retires_with_the_day(qtbot, launch, data_dir):
    window = launch(data_dir)
    open_point_day(qtbot, window)
    button = window.board.findChild(QPushButton, BOARD_BUTTON)
    assert button.text() == "QR・ポイント配布 ▸"
    _, entry = menu_action(window, "menu-qr-board")
    assert entry.isEnabled()

    # A tap on the point_grant tile before the day is set up: the cap's own message.
    click(qtbot, window.board.pad.buttons["point_grant"])
    qtbot.waitUntil(window.banner.isVisible, timeout=WAIT_MS)
    assert "ポイント配布の設定" in window.banner.text() and "DB_WRITE_FAILED" not in window.banner.text()
    assert count_on_screen(window, "point_grant") == "0"

    qr = open_qr_page(qtbot, window)
    opening_id = window.board.state.opening.id

    def setup(store):
        pts.setup_day(store, opening_id, now=window.clock(), allotments={pts.local_laptop(store): 2})
        add_source(store, opening_id, now=window.clock(), caption="みやぎポイントを受け取る（1,500ポイント）",
                   text=POINTS_URL, origin="typed", purpose="points")
    window.worker.submit(setup)
    qr.refresh()
    qtbot.waitUntil(lambda: qr.state.points is not None and bool(qr.state.sources), timeout=WAIT_MS)
    qr.open_visitor()
    qtbot.waitExposed(qr.visitor)
    assert qr.visitor.remaining.text() == "この窓口の残り　2 名様"

    # A grant on the QR board: the tally board's count follows.
    click(qtbot, qr.points_panel.grant_button)
    qtbot.waitUntil(lambda: qr.state.points.granted == 1, timeout=WAIT_MS)
    click(qtbot, window.qr.page.back_button)
    assert window.stack.currentWidget() is window.board
    wait_count(qtbot, window, "point_grant", "1")
    # A tap on the tile: the QR board and the visitor window follow.
    click(qtbot, window.board.pad.buttons["point_grant"])
    wait_count(qtbot, window, "point_grant", "2")
    qtbot.waitUntil(lambda: qr.visitor.stack.currentWidget() is qr.visitor.ended_page, timeout=WAIT_MS)
    assert qr.visitor.isVisible()  # the visitors keep their screen while staff are on the board
    # The third tap: refused with the allotment message, nothing counted.
    window.banner.hide()
    click(qtbot, window.board.pad.buttons["point_grant"])
    qtbot.waitUntil(window.banner.isVisible, timeout=WAIT_MS)
    assert "使い切りました" in window.banner.text()
    wait_idle(qtbot, window)
    assert count_on_screen(window, "point_grant") == "2"
    with Store.open(data_dir, read_only=True) as store:
        assert tl.totals(store, opening_id)["point_grant"]["total"] == 2

    # Leaving the day retires the page: timer stopped, visitor window closed.
    window.action_start.trigger()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.start_page, timeout=WAIT_MS)
    assert window.qr.page is None and qr.retired
    assert not shown(qr.visitor)


def test_language_switch_on_the_qr_page_keeps_it_and_the_visitor_window(qtbot, launch, data_dir):
    window = launch(data_dir)
    open_point_day(qtbot, window)
    qr = open_qr_page(qtbot, window)
    qr.open_visitor()
    qtbot.waitExposed(qr.visitor)
    assert qr.points_panel.grant_button.text() == "ポイント付与（1名）"
    window.lang_actions["en"].trigger()
    qtbot.waitUntil(lambda: qr.points_panel.grant_button.text() == "Grant points (1 person)", timeout=WAIT_MS)
    assert window.qr.board is qr and window.qr.is_current() and qr.visitor.isVisible()
    assert window.qr.page.back_button.text() == "◂ Back to the tally board"
    assert qr.visitor.show_english  # the staff chose English: English lines for the visitors
    assert window.board.findChild(QPushButton, BOARD_BUTTON).text() == "QR codes & points ▸"
    window.lang_actions["ja"].trigger()
    qtbot.waitUntil(lambda: qr.points_panel.grant_button.text() == "ポイント付与（1名）", timeout=WAIT_MS)
    assert not qr.visitor.show_english


def test_qr_page_of_another_opening_replaces_the_old_one(qtbot, launch, data_dir):
    window = launch(data_dir)
    open_point_day(qtbot, window)
    first = open_qr_page(qtbot, window)
    first.open_visitor()
    qtbot.waitExposed(first.visitor)
    window.action_start.trigger()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.start_page, timeout=WAIT_MS)
    open_day(qtbot, window)  # a My Number opening: codes for visitors, no points panel
    button = window.board.findChild(QPushButton, BOARD_BUTTON)
    assert button.text() == "来場者用 QR コード ▸"
    second = open_qr_page(qtbot, window)
    assert second is not first and first.retired and not shown(first.visitor)
    assert not second.points_panel.isVisible()


def test_qr_page_fits_a_1366x768_laptop(qtbot, launch, data_dir):
    for lang in ("ja", "en"):
        install_language(lang)
        window = launch(data_dir / lang, lang)
        window.resize(CLIENT_W, CLIENT_H)
        open_day(qtbot, window, profile=POINT_PROFILE, venue=LONG_VENUE, municipality="仙台市")
        open_qr_page(qtbot, window)
        QApplication.processEvents()
        assert window.minimumSizeHint().height() <= CLIENT_H
        assert window.minimumSizeHint().width() <= CLIENT_W
        assert window.size().toTuple() == (CLIENT_W, CLIENT_H)
        assert _problems(window.qr.page) == []
        assert _problems(window.statusBar()) == []
        window.close()


# ---- photo count recorded by the photo station -----------------------------------------------

def test_photo_tile_is_read_only_and_its_rows_can_still_be_undone(qtbot, launch, data_dir):
    window = launch(data_dir)
    open_day(qtbot, window)  # spec 003: photo recorded_by = "photo_station"
    tile = window.board.pad.buttons["photo"]
    assert not tile.isEnabled() and tile.shortcut_label.text() == "写真撮影画面で自動記録"
    opening_id = window.board.state.opening.id
    # The photo station taps the counter when a photo is printed (as app/photo/facts.py does).
    window.worker.submit(lambda store: tl.tap(store, opening_id, "photo", now=window.clock()))
    window.refresh_board()
    wait_count(qtbot, window, "photo", "1")
    click(qtbot, window.board.pad.buttons["visitors"])
    wait_count(qtbot, window, "visitors", "1")
    # 「直前の記録を取り消す」 takes back the staff's own touch, not the printed photo.
    click(qtbot, window.board.undo_last_button)
    wait_count(qtbot, window, "visitors", "0")
    click(qtbot, window.board.undo_last_button)
    qtbot.waitUntil(window.banner.isVisible, timeout=WAIT_MS)
    assert count_on_screen(window, "photo") == "1"
    # From the history, with a reason, the photo row can be undone.
    history = window.board.history
    row = next(i for i, t in enumerate(history.rows) if t.counter == "photo" and not t.undone)
    history.table.selectRow(row)
    click(qtbot, history.undo_button)
    dialog = wait_dialog(qtbot, window, ReasonDialog)
    type_text(qtbot, dialog.edit, "試し印刷")
    click(qtbot, dialog.ok_button)
    wait_count(qtbot, window, "photo", "0")


def test_photo_tile_caption_in_english(qtbot, launch, data_dir):
    install_language("en")  # as ui.app.setup_application does for an English start
    window = launch(data_dir, "en")
    open_day(qtbot, window)
    tile = window.board.pad.buttons["photo"]
    assert not tile.isEnabled() and tile.shortcut_label.text() == "Recorded by the photo station"


def test_bilingual_visitor_screen_by_choice_in_japanese(qtbot, launch, data_dir):
    window = launch(data_dir)
    open_point_day(qtbot, window)
    qr = open_qr_page(qtbot, window)
    assert not qr.visitor.show_english and qr.bilingual_check.isEnabled()
    qr.bilingual_check.setChecked(True)  # e.g. a tourist site
    assert qr.visitor.show_english
    window.lang_actions["en"].trigger()
    qtbot.waitUntil(lambda: qr.points_panel.grant_button.text() == "Grant points (1 person)", timeout=WAIT_MS)
    assert qr.bilingual_check.isChecked() and not qr.bilingual_check.isEnabled()
    window.lang_actions["ja"].trigger()
    qtbot.waitUntil(lambda: qr.points_panel.grant_button.text() == "ポイント付与（1名）", timeout=WAIT_MS)
    assert qr.visitor.show_english and qr.bilingual_check.isChecked()  # the staff's own choice stays
