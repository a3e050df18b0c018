"""`python main.py qr ...` as the office uses it, in a subprocess."""
from __future__ import annotations

import subprocess
import sys

from PIL import Image

from tests.conftest import ROOT

URL = "https://www.pref.miyagi.jp/soshiki/jyoho/digital-id-app.html"


def run(*args, cwd=None):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, encoding="utf-8", timeout=120, cwd=cwd)


def test_qr_writes_png_and_svg_and_decodes_them(tmp_path):
    data = ["--data-dir", str(tmp_path / "data")]
    png, svg = tmp_path / "app.png", tmp_path / "app.svg"
    r = run(*data, "qr", "--text", URL, "--out", str(png))
    assert r.returncode == 0, r.stderr
    assert "quiet zone 4" in r.stdout
    with Image.open(png) as img:
        assert img.size[0] >= 290
    r = run(*data, "qr", "--text", URL, "--out", str(svg), "--level", "H")
    assert r.returncode == 0 and svg.read_text(encoding="utf-8").startswith("<?xml")
    r = run(*data, "qr", "--decode", str(png))
    assert (r.returncode, r.stdout.strip()) == (0, URL)


def test_qr_refuses_with_code_and_message(tmp_path):
    data = ["--data-dir", str(tmp_path / "data")]
    blank = tmp_path / "blank.png"
    Image.new("RGB", (300, 300), "white").save(blank)
    r = run(*data, "qr", "--decode", str(blank))
    assert r.returncode == 2 and "QR_NOT_FOUND" in r.stderr and "読み取れませんでした" in r.stderr
    r = run(*data, "--lang", "en", "qr", "--text", URL, "--out", str(tmp_path / "x.gif"))
    assert r.returncode == 2 and "QR_OUTPUT_FORMAT" in r.stderr and ".png or .svg" in r.stderr
    assert not (tmp_path / "x.gif").exists()
