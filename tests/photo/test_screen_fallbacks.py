"""A fresh laptop: no camera → the test picture, said so; no printer → a PDF file the
staff choose, said so. A camera chosen in the settings (or one that was working) that
is missing is reported and waited for, never swapped for the test picture."""
from __future__ import annotations

import pytest

from app.photo import facts
from app.photo.settings import PhotoSettings, load_photo_settings
from app.store import Store
from app.tallies import totals
from hardware.camera_auto import AutoCamera
from hardware.camera_opencv import OpenCVDeviceCamera
from tests.conftest import require_tool
from tests.photo.measure import photo_boxes, render
from tests.photo.screen_helpers import WAIT_MS, capture_now, click, close_screen, consent, make_screen, wait_idle, \
    wait_ready
from tests.photo.test_screen import shot
from tests.photo.unplug import Socket

NO_CAMERA = "カメラが見つからないため、テスト画像を表示しています"
NO_PRINTER = "プリンターが見つからないため、印刷の代わりに PDF ファイルに保存します"


def auto_camera(socket: Socket):
    return lambda config: AutoCamera(config, capture_factory=socket.factory)


def test_first_run_without_a_camera_shows_the_test_picture_and_says_so(qtbot, data_dir, face_video, tmp_path):
    socket = Socket(face_video)
    socket.unplugged.set()
    screen = make_screen(qtbot, data_dir, None, camera_factory=auto_camera(socket), printer_lister=lambda: [])
    qtbot.waitUntil(lambda: screen.preview.painted > 5, timeout=WAIT_MS)
    assert screen.notice.isVisible() and NO_CAMERA in screen.notice.text()
    assert not screen.banner.isVisible()  # not an error: the station works
    assert screen.feed.camera.name == "synthetic"
    qtbot.waitUntil(lambda: screen.analysis is not None, timeout=WAIT_MS)
    assert screen.advice_label.text().startswith("顔が見つかりません")  # a drawn head, not a face
    qtbot.waitUntil(lambda: NO_PRINTER in screen.notice.text(), timeout=WAIT_MS)  # no printer either
    shot(screen, "photo-first-run.png", tmp_path)
    close_screen(screen)


def test_a_configured_camera_missing_at_start_is_reported_not_replaced(qtbot, data_dir, face_video, tmp_path):
    socket = Socket(face_video)
    socket.unplugged.set()
    settings = PhotoSettings(camera_backend="device", camera_index=0, printer_backend="pdf",
                             pdf_path=str(tmp_path / "x.pdf"))
    screen = make_screen(qtbot, data_dir, settings,
                         camera_factory=lambda config: OpenCVDeviceCamera(config, capture_factory=socket.factory))
    qtbot.waitUntil(screen.banner.isVisible, timeout=WAIT_MS)
    assert "開けません" in screen.banner.text() and not screen.notice.isVisible()
    assert screen.preview.painted == 0 and not screen.capture_button.isEnabled()
    socket.unplugged.clear()  # plugged in: the preview starts by itself
    qtbot.waitUntil(lambda: not screen.banner.isVisible() and screen.preview.painted > 5, timeout=WAIT_MS)
    assert screen.feed.camera.name == "camera 0"
    close_screen(screen)


def test_automatic_camera_unplugged_mid_session_is_reported_and_recovers(qtbot, data_dir, face_video, tmp_path):
    socket = Socket(face_video)
    settings = PhotoSettings(printer_backend="pdf", pdf_path=str(tmp_path / "x.pdf"))  # camera: auto
    screen = make_screen(qtbot, data_dir, settings, camera_factory=auto_camera(socket))
    wait_ready(qtbot, screen)
    assert not screen.notice.isVisible()
    socket.unplugged.set()
    qtbot.waitUntil(screen.banner.isVisible, timeout=WAIT_MS)
    assert "接続が切れました" in screen.banner.text()
    qtbot.wait(100)  # a frame read just before the loss may still be painted
    painted = screen.preview.painted
    qtbot.wait(800)  # longer than a reopen attempt: still no test picture
    assert screen.preview.painted == painted and not screen.notice.isVisible()
    assert screen.latest is None and screen.feed.camera.name == "camera 0"  # not "synthetic"
    socket.unplugged.clear()
    qtbot.waitUntil(lambda: not screen.banner.isVisible() and screen.preview.painted > painted + 5, timeout=WAIT_MS)
    assert screen.feed.camera.name == "camera 0"
    close_screen(screen)


@pytest.fixture
def first_run_camera(face_video):
    """The booth camera is there (the test video) but nothing is configured."""
    return auto_camera(Socket(face_video))


def test_no_printer_saves_a_pdf_the_staff_choose(qtbot, data_dir, first_run_camera, tmp_path):
    require_tool("pdftoppm")
    screen = make_screen(qtbot, data_dir, None, camera_factory=first_run_camera, printer_lister=lambda: [])
    qtbot.waitUntil(lambda: NO_PRINTER in screen.notice.text(), timeout=WAIT_MS)
    assert screen.notice.isVisible()
    wait_ready(qtbot, screen)
    capture_now(qtbot, screen)
    frame = screen.photo.frame
    consent(qtbot, screen)
    assert screen.printer_label.text() == "PDF ファイルに保存（プリンターが見つかりません）"
    assert screen.print_button.text() == "PDF に保存する"
    out = tmp_path / "chosen" / "applicant-sheet.pdf"
    out.parent.mkdir()

    # First the staff cancel: nothing written, the photo is still there.
    click(qtbot, screen.print_button)
    qtbot.waitUntil(lambda: screen.pdf_dialog is not None and screen.pdf_dialog.isVisible(), timeout=WAIT_MS)
    screen.pdf_dialog.reject()
    assert screen.photo is not None and frame.any() and not any(out.parent.iterdir())

    click(qtbot, screen.print_button)
    qtbot.waitUntil(lambda: screen.pdf_dialog is not None and screen.pdf_dialog.isVisible(), timeout=WAIT_MS)
    screen.pdf_dialog.selectFile(str(out))
    screen.pdf_dialog.accept()
    qtbot.waitUntil(lambda: screen.photo is None, timeout=WAIT_MS)
    wait_idle(qtbot, screen)
    assert not frame.any()
    page = render(out.read_bytes(), 100)
    assert len(photo_boxes(page, 100)) == screen.count_spin.value() == 4  # L sheet, as many as fit
    with Store.open(data_dir, read_only=True) as store:
        assert facts.photo_counts(store, screen.opening_id)["printed"] == 1
        assert totals(store, screen.opening_id)["photo"]["total"] == 1
    assert load_photo_settings(data_dir).pdf_path == str(out)  # the next dialog starts in that folder
    assert load_photo_settings(data_dir).printer_backend == "system"  # a printer added later is used
    close_screen(screen)


def test_a_named_printer_that_is_missing_is_an_error_not_a_pdf(qtbot, data_dir, first_run_camera):
    screen = make_screen(qtbot, data_dir, PhotoSettings(printer_name="booth-printer"),
                         camera_factory=first_run_camera, printer_lister=lambda: [])
    wait_ready(qtbot, screen)
    assert not screen.notice.isVisible() and screen.printer_label.text() == "booth-printer"
    capture_now(qtbot, screen)
    consent(qtbot, screen)
    click(qtbot, screen.print_button)
    qtbot.waitUntil(screen.banner.isVisible, timeout=WAIT_MS)
    assert "booth-printer" in screen.banner.text() and "見つかりません" in screen.banner.text()
    assert screen.pdf_dialog is None and screen.photo is not None  # kept for a retry
    close_screen(screen)
