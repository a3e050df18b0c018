"""QR render time and point-grant tap latency, each next to its baseline measured
in the same run on the same machine/disk.

    python bench/qr.py [--grants N] [--renders N] [--dir DIR]

Prints JSON. Goals: a QR code rendered (encode + draw) in ≤ 50 ms; grant p99
within 2x a raw sqlite3 single-row commit with the same pragmas (WAL,
synchronous=FULL), as for the tally board.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.tally import percentiles, raw_commit  # noqa: E402
from app import points as pts  # noqa: E402
from app.openings import open_opening  # noqa: E402
from app.qrcodes import make_matrix, to_png_bytes  # noqa: E402
from app.store import Store  # noqa: E402
from app.tallies import tap  # noqa: E402

TEXTS = {
    "url": "https://www.pref.miyagi.jp/soshiki/jyoho/miyapo.html",
    "transfer_code": "PT1-R81G7-7Z5ZH-DQ246-M0JR5-TAQG7-G633E-2K8M7-1D2",
    "long_url": "https://miyagi-point.example.jp/r7/event?" + "&".join(f"k{i}=v{i}" for i in range(40)),
}


def render_times(n: int) -> dict:
    from PySide6.QtWidgets import QApplication

    from ui.qr_visitor import VisitorDisplay
    from ui.qr_widget import QrView

    app = QApplication.instance() or QApplication([])
    view = QrView()
    view.resize(1080, 1080)
    display = VisitorDisplay()
    display.resize(1920, 1080)
    out: dict = {}
    for name, text in TEXTS.items():
        encode, png, screen = [], [], []
        for i in range(n):
            variant = f"{text}#{i}"  # a new code each time: no cache helps
            start = time.perf_counter()
            make_matrix(variant)
            encode.append(time.perf_counter() - start)
            start = time.perf_counter()
            to_png_bytes(make_matrix(variant), module_px=10)
            png.append(time.perf_counter() - start)
            start = time.perf_counter()
            view.set_text(variant)
            view.grab()  # encode + paint at 1080x1080, as the visitor display does
            screen.append(time.perf_counter() - start)
        out[name] = {"modules": make_matrix(text).size, "encode": percentiles(encode),
                     "encode_png": percentiles(png), "encode_and_draw_1080px": percentiles(screen)}
    view.close()
    display.close()
    app.processEvents()
    return out


def grant_taps(folder: Path, n: int, grant: bool) -> list[float]:
    with Store.open(folder) as store:
        opening = open_opening(store, profile="miyagi_point_r7", kind="event_venue", venue="bench",
                               municipality="仙台市", date="2026-11-26", large=False, staff=1,
                               now=datetime.now().astimezone())
        pts.setup_day(store, opening.id, now=datetime.now().astimezone())
        out = []
        for _ in range(n):
            now = datetime.now().astimezone()
            start = time.perf_counter()
            if grant:
                pts.grant(store, opening.id, now=now)
            else:
                tap(store, opening.id, "install_help", now=now)
            out.append(time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grants", type=int, default=2000, help="grants (at most 4000: the cap)")
    parser.add_argument("--renders", type=int, default=100)
    parser.add_argument("--dir", help="folder on the disk to measure (default: a temp folder)")
    args = parser.parse_args()
    grants_n = min(args.grants, 4000)
    renders = render_times(args.renders)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp)
        raw, grants, taps = [], [], []
        rounds = 4  # interleaved so disk noise hits all three alike
        for r in range(rounds):
            sub = folder / f"round{r}"
            sub.mkdir()
            raw += raw_commit(sub, grants_n // rounds)
            grants += grant_taps(sub / "g", grants_n // rounds, grant=True)
            taps += grant_taps(sub / "t", grants_n // rounds, grant=False)
    worst_render = max(v["encode_and_draw_1080px"]["p99_ms"] for v in renders.values())
    result = {
        "benchmark": "qr",
        "render": renders,
        "render_worst_p99_ms": worst_render,
        "goal_render_within_50ms": worst_render <= 50.0,
        "raw_sqlite_commit": percentiles(raw),
        "grant": percentiles(grants),
        "tally_tap": percentiles(taps),
    }
    result["grant_p99_over_raw_p99"] = round(result["grant"]["p99_ms"] / result["raw_sqlite_commit"]["p99_ms"], 2)
    result["goal_grant_p99_within_2x_raw"] = result["grant_p99_over_raw_p99"] <= 2.0
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
