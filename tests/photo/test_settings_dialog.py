"""The photo settings open at once while cameras and printers are looked for in the
background (「探しています…」), keep the current choice, and warn when the chosen
printer keeps printed jobs — CUPS (see test_screen) or Windows ("Keep printed
documents", from a fake probe here)."""
from __future__ import annotations

import threading

from app.photo.crop import DEFAULT_SPEC
from app.photo.settings import PhotoSettings
from hardware.camera import CameraChoice, CameraConfig, list_cameras
from hardware.printer import make_printer
from hardware.printer_qt import JobRetention, PrinterInfo
from tests.photo.screen_helpers import WAIT_MS
from ui.photo_settings import SEARCHING, PhotoSettingsDialog


class SlowLister:
    """A search that takes as long as the test wants (a Windows probe of camera
    indexes, a print server slow to answer)."""

    def __init__(self, result):
        self.result = result
        self.release = threading.Event()
        self.called = threading.Event()

    def __call__(self, *args):
        self.called.set()
        assert self.release.wait(30)
        return self.result(*args) if callable(self.result) else self.result


def items(box):
    return [(box.itemText(i), box.itemData(i)) for i in range(box.count())]


def test_dialog_opens_at_once_and_fills_the_lists_when_found(qtbot):
    cameras = SlowLister(lambda current: [*list_cameras(current)[:1], CameraChoice(
        "カメラ 0（USB Camera）", "Camera 0 (USB Camera)", CameraConfig("device", 0)), *list_cameras(current)[1:]])
    printers = SlowLister([PrinterInfo("Booth-Photo", True, "Photo printer")])
    settings = PhotoSettings(camera_backend="device", camera_index=0, printer_name="Booth-Photo")
    dialog = PhotoSettingsDialog(settings, DEFAULT_SPEC, "ja", make_printer, camera_lister=cameras,
                                 printer_lister=printers, retention_probe=lambda queue: None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert cameras.called.wait(5) and printers.called.wait(5)
    # Open, searching: the current choice is there and chosen; the search says so.
    assert dialog.searching and dialog.search_label.isVisible()
    assert dialog.search_label.text() == "カメラとプリンターを探しています…"
    assert items(dialog.camera_box)[-1] == ("探しています…", SEARCHING)
    assert dialog.camera_box.currentText() == "カメラ 0" and dialog.printer_box.currentText() == "Booth-Photo"
    assert dialog.result_settings() == settings  # OK now changes nothing
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT_MS):
        cameras.release.set()
        printers.release.set()
    assert not dialog.searching and not dialog.search_label.isVisible()
    labels = [t for t, _ in items(dialog.camera_box)]
    assert labels[:2] == ["自動（カメラがなければテスト画像）", "カメラ 0（USB Camera）"] and "探しています…" not in labels
    assert dialog.camera_box.currentText() == "カメラ 0（USB Camera）"
    assert [t for t, _ in items(dialog.printer_box)] == ["既定のプリンター", "Booth-Photo（既定）", "PDF ファイル（テスト用）"]
    assert dialog.printer_box.currentData() == "Booth-Photo" and not dialog.no_printer_note.isVisible()


def test_a_file_chosen_while_searching_stays_chosen(qtbot, tmp_path):
    cameras = SlowLister(list_cameras)
    dialog = PhotoSettingsDialog(PhotoSettings(), DEFAULT_SPEC, "ja", make_printer, camera_lister=cameras,
                                 printer_lister=lambda: [], retention_probe=lambda queue: None)
    qtbot.addWidget(dialog)
    dialog.set_source("stills", str(tmp_path))
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT_MS):
        cameras.release.set()
    assert dialog.camera_box.currentData().backend == "stills"
    assert dialog.result_settings().camera_path == str(tmp_path)
    # No printer at all: the dialog says what printing will do.
    assert dialog.no_printer_note.isVisibleTo(dialog) and "PDF" in dialog.no_printer_note.text()


def test_windows_printer_keeping_printed_documents_is_warned_about(qtbot):
    asked = []

    def probe(queue):
        asked.append(queue)
        return JobRetention("windows", queue == "Booth-Photo", queue)
    printers = [PrinterInfo("Booth-Photo", True, ""), PrinterInfo("Office", False, "")]
    dialog = PhotoSettingsDialog(PhotoSettings(printer_name="Office"), DEFAULT_SPEC, "ja", make_printer,
                                 camera_lister=lambda current: list_cameras(current), printer_lister=lambda: printers,
                                 retention_probe=probe)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.searching and dialog.retention is not None
                    and dialog.retention.value == "Office", timeout=WAIT_MS)
    assert not dialog.cups_warning.isVisible()  # Office does not keep them
    dialog.printer_box.setCurrentIndex(dialog.printer_box.findData("Booth-Photo"))
    qtbot.waitUntil(dialog.cups_warning.isVisible, timeout=WAIT_MS)
    text = dialog.cups_warning.text()
    assert "Booth-Photo" in text and "印刷後ドキュメントを残す" in text and "外してください" in text
    dialog.printer_box.setCurrentIndex(dialog.printer_box.findData("__pdf__"))
    assert not dialog.cups_warning.isVisible()  # a PDF file has no spooler
