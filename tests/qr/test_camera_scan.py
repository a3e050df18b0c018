"""The camera scanner (ui/qr_scan.CameraScanner) reads a code that OpenCV's plain
detector cannot: a camera on a stand sends the same picture frame after frame,
so a code the one detector misses would never be read. About 2 % of transfer
codes shown on another laptop's screen are such codes (that made the board's
camera test fail now and then); this one, drawn crisp, is one of them."""
from __future__ import annotations

import cv2
import numpy as np

from app.qrcodes.render import make_matrix, to_gray
from hardware.camera import CameraConfig
from tests.qr.uihelpers import WAIT_MS
from ui.qr_scan import CameraScanner

HARD_CODE = "PT1-K80VP-V6P0J-1SR39-R0CG5-TAQG7-WZHWX-EGHTB-VG9"


def test_the_camera_reads_a_code_the_plain_detector_misses(qtbot, tmp_path):
    frame = cv2.copyMakeBorder(to_gray(make_matrix(HARD_CODE), 8), 100, 100, 100, 100,
                               cv2.BORDER_CONSTANT, value=255)
    cv2.imwrite(str(tmp_path / "screen.png"), frame)
    seen = cv2.cvtColor(cv2.imread(str(tmp_path / "screen.png")), cv2.COLOR_BGR2GRAY)
    assert np.array_equal(seen, frame)  # what the stills camera hands the scanner
    # The premise (with the pinned OpenCV): one detector alone never reads it.
    assert cv2.QRCodeDetector().detectAndDecode(frame)[0] == ""
    scanner = CameraScanner(CameraConfig(backend="stills", path=str(tmp_path), width=1280, height=720, fps=15.0),
                            lambda text: text.startswith("PT"))
    try:
        with qtbot.waitSignal(scanner.found, timeout=WAIT_MS) as found:
            scanner.start()
        assert found.args == [HARD_CODE]
    finally:
        scanner.stop()
        scanner.deleteLater()
