"""Helpers for the QR board UI tests: a laptop = data folder + StoreWorker + board."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QWidget

from app.openings import open_opening
from app.qrcodes.decode import decode_texts
from app.store import Store
from tests.conftest import at
from tests.qr.conftest import POINT_PROFILE
from ui.worker import StoreWorker

WAIT_MS = 15_000


def pixmap_to_gray(pixmap: QPixmap | QImage) -> np.ndarray:
    image = (pixmap.toImage() if isinstance(pixmap, QPixmap) else pixmap).convertToFormat(
        QImage.Format.Format_Grayscale8)
    w, h, bpl = image.width(), image.height(), image.bytesPerLine()
    return np.frombuffer(image.constBits(), dtype=np.uint8).reshape(h, bpl)[:, :w].copy()


def decode_widget(widget: QWidget) -> str:
    """What a phone would read off the widget as it is drawn now (QWidget.grab).
    OpenCV's plain detector misses about 3 % of crisp, correctly drawn codes at
    8–10 px per module (measured over 1,800 random join codes), which a phone reads
    at once; the app's own reader (a few cleaned-up versions of the same pixels)
    reads them all, so it is the second try rather than a flaky test."""
    gray = pixmap_to_gray(widget.grab())
    text, _points, _ = cv2.QRCodeDetector().detectAndDecode(gray)
    if not text:
        found = decode_texts(gray)
        text = found[0] if found else ""
    return text


def decode_screen(window: QWidget) -> str:
    """What a phone reads off the window on its screen (QScreen.grabWindow)."""
    pixmap = window.screen().grabWindow(window.winId())
    if pixmap.isNull():  # not on screen (yet)
        return ""
    text, _points, _ = cv2.QRCodeDetector().detectAndDecode(pixmap_to_gray(pixmap))
    return text


@dataclass
class BoothLaptop:
    data_dir: Path
    worker: StoreWorker
    opening_id: str


def start_laptop(qtbot, folder: Path, name: str) -> BoothLaptop:
    data_dir = folder / name
    with Store.open(data_dir, now=at(8)) as store:
        opening = open_opening(store, profile=POINT_PROFILE, kind="event_venue", venue="夢メッセみやぎ",
                               municipality="仙台市", date="2026-11-26", large=True, staff=4, now=at(9))
    worker = StoreWorker(data_dir)  # kept alive by the BoothLaptop; stopped by the fixture
    with qtbot.waitSignal(worker.opened, timeout=WAIT_MS):
        worker.start()
    return BoothLaptop(data_dir, worker, opening.id)


def fixed_clock(hour: int = 10, minute: int = 0):
    return lambda: at(hour, minute)


DOCS = Path(__file__).resolve().parents[2] / "docs"


def shots_dir(tmp_path: Path) -> Path:
    """docs/ when MADOGUCHI_SCREENSHOTS=1 (refreshing the documentation's pictures),
    else the test's own folder: an ordinary test run leaves the repository alone."""
    import os

    return DOCS if os.environ.get("MADOGUCHI_SCREENSHOTS") == "1" else tmp_path


def saved_codes(path: Path) -> list[str]:
    """What a phone reads off a saved screenshot ([] when it shows no code)."""
    from app.errors import MadoguchiError
    from app.qrcodes.decode import decode_image_file

    try:
        return decode_image_file(path)
    except MadoguchiError as exc:
        if exc.code == "QR_NOT_FOUND":
            return []
        raise
