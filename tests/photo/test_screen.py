"""The photo screen with the video-file camera: live preview and checks, capture,
nudge/zoom, consent, print, deletion; print failure keeps the photo for a retry; an
unplugged camera is reported and the preview comes back."""
from __future__ import annotations

import os

import numpy as np
import pytest

from app.errors import MadoguchiError
from app.photo import facts
from app.photo.settings import PhotoSettings, load_photo_settings
from app.store import Store
from app.tallies import totals
from hardware.camera_opencv import OpenCVDeviceCamera
from hardware.printer import PrinterConfig, make_printer
from tests.conftest import require_tool
from tests.photo.measure import crop_box, measure_head, photo_boxes, render
from tests.photo.screen_helpers import (DOCS, WAIT_MS, camera_index, capture_now, click, close_screen, consent, make_screen,
                                        wait_idle, wait_ready)
from tests.photo.unplug import Socket


@pytest.fixture
def settings(face_video, tmp_path) -> PhotoSettings:
    return PhotoSettings(camera_backend="video", camera_path=str(face_video), camera_fps=30.0,
                         printer_backend="pdf", pdf_path=str(tmp_path / "out" / "sheet.pdf"), sheet="L", count=2)


def store_facts(data_dir, opening_id):
    with Store.open(data_dir, read_only=True) as store:
        return facts.photo_counts(store, opening_id), facts.deletions(store, opening_id), \
            totals(store, opening_id)["photo"]["total"]


def shot(widget, name: str, tmp_path) -> None:
    """Screenshots for docs/ when MADOGUCHI_SCREENSHOTS=1, else into the test folder."""
    from PySide6.QtWidgets import QApplication

    folder = DOCS if os.environ.get("MADOGUCHI_SCREENSHOTS") == "1" else tmp_path
    QApplication.processEvents()  # the layout after the last change, as the staff see it
    assert widget.grab().save(str(folder / name))


def test_live_checks_capture_consent_print_and_delete(qtbot, data_dir, settings, tmp_path):
    require_tool("pdftoppm")
    screen = make_screen(qtbot, data_dir, settings)
    wait_ready(qtbot, screen)
    assert screen.advice_label.text() == "撮影できます"
    assert all(label.text() == "✓ OK" for label in screen.check_labels.values())
    assert screen.preview.crop is not None and screen.preview.ok
    shot(screen, "photo-live.png", tmp_path)

    capture_now(qtbot, screen)
    photo = screen.photo
    assert "頭頂〜あご 34.0 mm" in screen.geometry_label.text()
    click(qtbot, screen.nudge_buttons["right"])
    click(qtbot, screen.nudge_buttons["right"])
    assert "中心からのずれ -1.0 mm" in screen.geometry_label.text()
    click(qtbot, screen.nudge_buttons["zoom-in"])
    assert "頭頂〜あご 34.7 mm" in screen.geometry_label.text()
    shot(screen, "photo-adjust.png", tmp_path)
    click(qtbot, screen.nudge_buttons["reset"])
    assert "中心からのずれ +0.0 mm" in screen.geometry_label.text()

    click(qtbot, screen.next_button)
    shot(screen, "photo-consent.png", tmp_path)
    click(qtbot, screen.consent.back_button)
    consent(qtbot, screen)
    assert screen.count_spin.value() == 2
    shot(screen, "photo-print.png", tmp_path)
    frame, pixels = photo.frame, photo.photo()
    click(qtbot, screen.print_button)
    qtbot.waitUntil(lambda: screen.photo is None, timeout=WAIT_MS)
    wait_idle(qtbot, screen)
    assert screen.pages.currentWidget() is screen.live_page
    assert not frame.any() and not pixels.any()  # overwritten, not just dropped
    counts, deleted, tapped = store_facts(data_dir, screen.opening_id)
    assert counts == {"consents": 1, "printed": 1, "copies": 2, "deleted": 1}
    assert [d["reason"] for d in deleted] == ["printed"] and tapped == 1
    page = render((tmp_path / "out" / "sheet.pdf").read_bytes(), 300)
    boxes = photo_boxes(page, 300)
    assert len(boxes) == 2
    head = measure_head(crop_box(page, boxes[0]), 300)
    assert abs(head.head_mm - 34) <= 2 and abs(head.crown_mm - 4) <= 2 and abs(head.offset_mm) <= 2
    close_screen(screen)


def test_declined_photo_is_deleted_and_not_counted(qtbot, data_dir, settings):
    screen = make_screen(qtbot, data_dir, settings)
    wait_ready(qtbot, screen)
    capture_now(qtbot, screen)
    click(qtbot, screen.next_button)
    click(qtbot, screen.consent.decline_button)
    wait_idle(qtbot, screen)
    assert screen.photo is None and screen.pages.currentWidget() is screen.live_page
    counts, deleted, tapped = store_facts(data_dir, screen.opening_id)
    assert counts["printed"] == 0 and tapped == 0
    assert [d["reason"] for d in deleted] == ["declined"]
    close_screen(screen)


class FlakyPrinter:
    """The first job fails (paper jam), the next ones print to PDF."""

    def __init__(self, path):
        self.calls = 0
        self.pdf = make_printer(PrinterConfig("pdf", pdf_path=str(path)))

    def __call__(self, config):
        return self

    def print_sheet(self, *args, **kwargs):
        self.calls += 1
        if self.calls == 1:
            raise MadoguchiError("PRINT_FAILED", reason="紙詰まり")
        return self.pdf.print_sheet(*args, **kwargs)


def test_print_failure_keeps_the_photo_until_retry(qtbot, data_dir, settings, tmp_path):
    printer = FlakyPrinter(tmp_path / "retry.pdf")
    screen = make_screen(qtbot, data_dir, settings, printer_factory=printer)
    wait_ready(qtbot, screen)
    capture_now(qtbot, screen)
    consent(qtbot, screen)
    click(qtbot, screen.print_button)
    qtbot.waitUntil(lambda: screen.banner.isVisible(), timeout=WAIT_MS)
    assert "紙詰まり" in screen.banner.text() and "消去していません" in screen.banner.text()
    assert screen.photo is not None and screen.photo.frame.any()
    assert screen.print_button.text() == "もう一度印刷"
    click(qtbot, screen.print_button)
    qtbot.waitUntil(lambda: screen.photo is None, timeout=WAIT_MS)
    wait_idle(qtbot, screen)
    assert (tmp_path / "retry.pdf").exists()
    counts, deleted, tapped = store_facts(data_dir, screen.opening_id)
    assert counts["printed"] == 1 and tapped == 1 and [d["reason"] for d in deleted] == ["printed"]
    close_screen(screen)


def test_staff_discard_after_failure(qtbot, data_dir, settings, tmp_path):
    class Broken:
        def __call__(self, config):
            return self

        def print_sheet(self, *a, **k):
            raise MadoguchiError("PRINT_FAILED", reason="offline")
    screen = make_screen(qtbot, data_dir, settings, printer_factory=Broken())
    wait_ready(qtbot, screen)
    capture_now(qtbot, screen)
    consent(qtbot, screen)
    click(qtbot, screen.print_button)
    qtbot.waitUntil(lambda: screen.banner.isVisible(), timeout=WAIT_MS)
    frame = screen.photo.frame
    click(qtbot, screen.discard_button)
    wait_idle(qtbot, screen)
    assert screen.photo is None and not frame.any()
    counts, deleted, tapped = store_facts(data_dir, screen.opening_id)
    assert counts["printed"] == 0 and [d["reason"] for d in deleted] == ["discarded"]
    close_screen(screen)


def test_camera_unplugged_and_plugged_back(qtbot, data_dir, settings, face_video, tmp_path):
    socket = Socket(face_video)
    screen = make_screen(qtbot, data_dir, settings.with_(camera_backend="device"),
                         camera_factory=lambda config: OpenCVDeviceCamera(config, capture_factory=socket.factory))
    wait_ready(qtbot, screen)
    socket.unplugged.set()
    qtbot.waitUntil(lambda: screen.banner.isVisible(), timeout=WAIT_MS)
    assert "接続が切れました" in screen.banner.text()
    assert "接続が切れました" in screen.preview.message
    assert not screen.capture_button.isEnabled()
    shot(screen, "photo-camera-lost.png", tmp_path)
    painted = screen.preview.painted
    socket.unplugged.clear()
    qtbot.waitUntil(lambda: not screen.banner.isVisible() and screen.preview.painted > painted + 5, timeout=WAIT_MS)
    assert screen.preview.message == "" and screen.capture_button.isEnabled()
    close_screen(screen)


def test_no_face_says_so(qtbot, data_dir, settings, tmp_path):
    import cv2

    from tests.photo.faces import BACKGROUND_BGR

    folder = tmp_path / "stills"
    folder.mkdir()
    cv2.imwrite(str(folder / "empty.png"), np.full((720, 1280, 3), BACKGROUND_BGR, np.uint8))
    screen = make_screen(qtbot, data_dir, settings.with_(camera_backend="stills", camera_path=str(folder)))
    qtbot.waitUntil(lambda: screen.analysis is not None, timeout=WAIT_MS)
    assert screen.advice_label.text().startswith("顔が見つかりません")
    assert screen.check_labels["size"].text() == "—"
    close_screen(screen)


def test_settings_dialog_switches_camera_and_printer(qtbot, data_dir, settings, tmp_path):
    screen = make_screen(qtbot, data_dir, settings)
    wait_ready(qtbot, screen)
    click(qtbot, screen.settings_button)
    dialog = screen.settings_dialog
    qtbot.waitUntil(lambda: dialog.isVisible() and not dialog.searching, timeout=WAIT_MS)
    labels = [dialog.camera_box.itemText(i) for i in range(dialog.camera_box.count())]
    assert labels[0] == "自動（カメラがなければテスト画像）"
    assert "テスト画像（カメラなし）" in labels and any("動画ファイル" in t for t in labels)
    assert dialog.camera_box.currentData().backend == "video"  # the current choice stays chosen
    shot(dialog, "photo-settings.png", tmp_path)
    dialog.camera_box.setCurrentIndex(camera_index(dialog, "synthetic"))
    dialog.sheet_box.setCurrentIndex(dialog.sheet_box.findData("A4"))
    dialog.count_spin.setValue(10)
    dialog.accept()
    saved = load_photo_settings(data_dir)
    assert (saved.camera_backend, saved.sheet, saved.count) == ("synthetic", "A4", 10)
    painted = screen.preview.painted
    qtbot.waitUntil(lambda: screen.preview.painted > painted + 5, timeout=WAIT_MS)
    assert screen.feed.camera.name == "synthetic"
    assert screen.sheet_box.currentData() == "A4" and screen.count_spin.value() == 10
    close_screen(screen)


def test_settings_warn_when_cups_keeps_job_files(qtbot, data_dir, settings, cups_server, tmp_path):
    screen = make_screen(qtbot, data_dir, settings.with_(printer_backend="system", printer_name=cups_server.queue))
    click(qtbot, screen.settings_button)
    dialog = screen.settings_dialog
    qtbot.waitUntil(lambda: dialog.cups_warning.isVisible(), timeout=WAIT_MS)
    assert "PreserveJobFiles Yes" in dialog.cups_warning.text()
    assert dialog.printer_box.currentData() == cups_server.queue
    click(qtbot, dialog.test_button)
    qtbot.waitUntil(lambda: "テスト印刷が終わりました" in dialog.test_result.text(), timeout=WAIT_MS)
    shot(dialog, "photo-settings-cups.png", tmp_path)
    dialog.reject()
    close_screen(screen)


def test_zoomed_out_of_spec_cannot_go_on_and_says_why(qtbot, data_dir, settings, tmp_path):
    """After manual zoom or nudges that leave the spec (head 34±2 mm, 4±2 mm above the
    crown, centred within 2 mm), 確認へ進む is off and the reason says which button
    brings it back; back in spec, it is on again."""
    screen = make_screen(qtbot, data_dir, settings)
    wait_ready(qtbot, screen)
    capture_now(qtbot, screen)
    assert screen.next_button.isEnabled() and screen.spec_reason.text() == ""
    for _ in range(4):  # 34 mm × 1.02⁴ = 36.8 mm
        click(qtbot, screen.nudge_buttons["zoom-in"])
    assert not screen.next_button.isEnabled()
    assert screen.spec_reason.text() == "頭が大きすぎます（36.8 mm、規格 34±2 mm）。「縮小」で戻してください"
    shot(screen, "photo-adjust-out.png", tmp_path)
    screen.go_consent()  # not by a shortcut either
    assert screen.pages.currentWidget() is screen.adjust_page
    click(qtbot, screen.nudge_buttons["zoom-out"])  # 36.1 mm: still too big
    assert not screen.next_button.isEnabled() and "36.1 mm" in screen.spec_reason.text()
    click(qtbot, screen.nudge_buttons["zoom-out"])  # 35.4 mm
    assert screen.next_button.isEnabled() and screen.spec_reason.text() == ""
    for _ in range(5):  # the frame 2.5 mm to the right: the face sits left of the centre
        click(qtbot, screen.nudge_buttons["right"])
    assert not screen.next_button.isEnabled()
    assert "← で枠を左へ動かしてください" in screen.spec_reason.text()
    screen.set_language("en")
    assert "move the frame left (←)" in screen.spec_reason.text()
    screen.set_language("ja")
    click(qtbot, screen.nudge_buttons["reset"])
    assert screen.next_button.isEnabled()
    click(qtbot, screen.next_button)
    assert screen.pages.currentWidget() is screen.consent
    close_screen(screen)
