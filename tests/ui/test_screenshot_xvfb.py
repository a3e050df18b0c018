"""tools/screenshot.py on a real X server (Xvfb, xcb platform): the app starts,
builds a day and the saved board is a full-size, non-blank 1366×768 picture."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.xvfb


@pytest.fixture
def xvfb_display():
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Xvfb is required on CI (apt-get install xvfb)")
        pytest.skip("Xvfb is not installed")
    # -displayfd: Xvfb picks a free display itself and writes its number once it
    # accepts connections, so there is no guessing and no waiting loop.
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen([xvfb, "-displayfd", str(write_fd), "-screen", "0", "1366x768x24",
                             "-nolisten", "tcp"], pass_fds=(write_fd,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            pytest.fail(f"Xvfb did not start (exit code {proc.poll()})")
        yield f":{number}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_screenshot_of_the_board_on_xvfb(xvfb_display, tmp_path):
    out = tmp_path / "board.png"
    env = {**os.environ, "DISPLAY": xvfb_display, "QT_QPA_PLATFORM": "xcb"}
    env.pop("WAYLAND_DISPLAY", None)
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "screenshot.py"),
                             "--data-dir", str(tmp_path / "data"), "--out", str(out)],
                            env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert not image.isNull()
    assert abs(image.width() - 1366) <= 16 and abs(image.height() - 768) <= 16
    # Not blank: a real board has many colours (text, buttons, bars) all over it.
    small = image.scaled(64, 36)
    colours = {small.pixel(x, y) for x in range(small.width()) for y in range(small.height())}
    assert len(colours) > 40
    assert "QFont" not in result.stderr  # no font substitution trouble
