"""Driving the photo screen like booth staff: a real store worker, a real camera
backend (the test video), real threads, offscreen Qt."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.openings import open_opening
from app.photo.settings import PhotoSettings, save_photo_settings
from app.store import Store
from tests.conftest import at, profile_for_spec
from ui.photo_screen import PhotoScreen
from ui.worker import StoreWorker

WAIT_MS = 15_000
DOCS = Path(__file__).resolve().parents[2] / "docs"


def make_opening(data_dir: Path, spec: str = "003") -> str:
    profile = profile_for_spec(spec)
    with Store.open(data_dir, now=at(8)) as store:
        return open_opening(store, profile=profile, kind=profile.opening_kinds[0].key, venue="イオンモール名取",
                            municipality="名取市", date="2026-11-26", large=False, staff=3, now=at(9)).id


def start_worker(qtbot, data_dir: Path) -> StoreWorker:
    worker = StoreWorker(data_dir)
    with qtbot.waitSignal(worker.opened, timeout=WAIT_MS):
        worker.start()
    return worker


def make_screen(qtbot, data_dir: Path, settings: PhotoSettings | None, **kwargs) -> PhotoScreen:
    """`settings` None: a first run (no settings file)."""
    opening_id = make_opening(data_dir)
    if settings is not None:
        save_photo_settings(data_dir, settings)
    worker = start_worker(qtbot, data_dir)
    screen = PhotoScreen(worker, opening_id, profile_for_spec("003").photo, data_dir, "ja",
                         clock=lambda: at(10), **kwargs)
    qtbot.addWidget(screen)
    screen.resize(1280, 720)
    screen.show()
    screen.destroyed.connect(worker.stop)
    screen._test_worker = worker
    return screen


def close_screen(screen: PhotoScreen) -> None:
    screen.shutdown()
    screen._test_worker.stop()


def wait_ready(qtbot, screen: PhotoScreen) -> None:
    """Frames are painted and the checks all pass."""
    qtbot.waitUntil(lambda: screen.preview.painted > 5 and screen.analysis is not None and screen.analysis.ok,
                    timeout=WAIT_MS)


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def capture_now(qtbot, screen: PhotoScreen) -> None:
    click(qtbot, screen.capture_button)
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.adjust_page, timeout=WAIT_MS)


def consent(qtbot, screen: PhotoScreen) -> None:
    click(qtbot, screen.next_button)
    assert not screen.consent.confirm_button.isEnabled()
    screen.consent.tick_all()
    click(qtbot, screen.consent.confirm_button)
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.print_page, timeout=WAIT_MS)


def wait_idle(qtbot, screen: PhotoScreen) -> None:
    qtbot.waitUntil(lambda: screen._test_worker.pending == 0 and not screen.busy, timeout=WAIT_MS)


def camera_index(dialog, backend: str) -> int:
    """Where the settings list the source of this kind (after the search is done)."""
    return next(i for i in range(dialog.camera_box.count())
                if getattr(dialog.camera_box.itemData(i), "backend", None) == backend)
