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


def test_points_commands_move_allotment_between_two_data_folders(tmp_path):
    a, b = ["--data-dir", str(tmp_path / "a")], ["--data-dir", str(tmp_path / "b")]
    opening = ["--profile", "miyagi_point_r7", "--kind", "event_venue", "--venue", "夢メッセみやぎ",
               "--municipality", "仙台市", "--date", "2026-11-26", "--staff", "2"]
    oa = run(*a, "open", *opening).stdout.strip()
    ob = run(*b, "open", *opening).stdout.strip()
    from app.points.codes import laptop_code
    from app.store import Store
    with Store.open(tmp_path / "b", read_only=True) as s:
        code_b = laptop_code(s.device_id)
    # Before the day is set up, status tells B its laptop code (for the lead's roster).
    r = run(*b, "points", "status", "--opening", ob)
    assert r.returncode == 0 and f"この端末のコード: {code_b}" in r.stdout and "まだ設定されていません" in r.stdout
    assert "付与を記録できません" not in r.stdout + r.stderr
    r = run(*b, "--lang", "en", "points", "status", "--opening", ob, "--json")
    assert r.returncode == 0 and '"joined": false' in r.stdout and code_b in r.stdout
    r = run(*a, "points", "setup", "--opening", oa, "--laptop", f"{code_b}=1000", "--laptop", "=0")
    assert r.returncode == 2 and "POINTS_LAPTOP_ARG_INVALID" in r.stderr and "端末コード=人数" in r.stderr
    r = run(*a, "points", "setup", "--opening", oa, "--hub-reserve", "0")
    assert r.returncode == 0, r.stderr
    assert "1台（代表端末）だけ" in r.stderr  # the one-lead warning
    join = r.stdout.splitlines()[0]
    assert "4000 left" in r.stdout
    assert run(*b, "points", "join", "--opening", ob, "--code", join).returncode == 0
    r = run(*a, "points", "give", "--opening", oa, "--to", code_b, "--count", "25", "--valid-min", "999")
    assert r.returncode == 2 and "POINTS_VALID_MIN_INVALID" in r.stderr and "1〜240 分" in r.stderr
    give = run(*a, "points", "give", "--opening", oa, "--to", code_b, "--count", "25")
    assert give.returncode == 0 and "3975 left" in give.stdout
    transfer = give.stdout.splitlines()[0]
    r = run(*b, "points", "receive", "--opening", ob, "--code", transfer)
    assert r.returncode == 0 and "25 left" in r.stdout
    r = run(*b, "points", "receive", "--opening", ob, "--code", transfer)
    assert r.returncode == 2 and "POINTS_TRANSFER_REPLAYED" in r.stderr
    assert "24 left" in run(*b, "points", "grant", "--opening", ob).stdout
    assert run(*b, "verify").returncode == 0
