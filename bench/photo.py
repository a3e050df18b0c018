"""Photo station timings, printed as JSON (goals from issue 3):

- analysis of one 1280×720 frame on one core (OpenCV limited to 1 thread):
  goal median ≤ 15 ms, i.e. ≥ 2× headroom on a 30 fps camera (33.3 ms per frame);
- capture → print-ready sheet (full-resolution capture + crop + L-sheet PDF, both the
  reportlab path of the CLI/PDF backend and Qt's painter path of the system printer):
  goal ≤ 300 ms;
- preview frame rate of the real photo screen (offscreen Qt) with live checks on,
  against a 30 fps simulated camera (video file): goal ≥ 29 fps;
- peak memory (max RSS) of the process.
Baselines measured in the same run: the camera's frame interval, and a bare
grey-conversion + resize of the same frame (the least any per-frame work costs).

    python bench/photo.py [--frames N] [--seconds S]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2  # noqa: E402

from app.photo.analysis import analyse  # noqa: E402
from app.photo.session import capture  # noqa: E402
from app.photo.sheets import layout  # noqa: E402
from tests.photo.faces import compose  # noqa: E402 - the test faces (scikit-image's astronaut)

POSITIONS = [(410, (640, 80)), (460, (480, 110)), (520, (800, 70)), (440, (900, 120)), (300, (640, 200))]


def stats(samples: list[float]) -> dict:
    s = sorted(samples)
    return {"median_ms": round(statistics.median(s), 2), "p95_ms": round(s[int(0.95 * (len(s) - 1))], 2),
            "max_ms": round(s[-1], 2), "n": len(s)}


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def bench_analysis(frames: int) -> dict:
    cv2.setNumThreads(1)
    images = [compose(h, p, seed=i)[0] for i, (h, p) in enumerate(POSITIONS)]
    for img in images:
        analyse(img)  # load the cascades
    samples, i = [], 0
    for k in range(frames):
        img = images[k % len(images)]
        t0 = time.perf_counter()
        analyse(img)
        samples.append((time.perf_counter() - t0) * 1000)
        i += 1
    base = timed(lambda: cv2.resize(cv2.cvtColor(images[0], cv2.COLOR_BGR2GRAY), (288, 162),
                                    interpolation=cv2.INTER_AREA), frames)
    result = stats(samples)
    result["headroom_at_30fps"] = round((1000 / 30) / result["median_ms"], 2)
    return {"analysis_1280x720_one_core": result, "baseline_gray_resize": stats(base)}


def bench_capture_to_sheet(n: int) -> dict:
    from PySide6.QtWidgets import QApplication

    from hardware.printer_qt import render_pdf
    from ui.app import setup_application

    app = QApplication.instance() or QApplication([])
    setup_application(app, "ja")
    frame = compose(460, (640, 110))[0]
    rl, qt = [], []
    for _ in range(n):
        t0 = time.perf_counter()
        photo = capture(frame)
        pdf = photo.sheet_pdf("L", 4)
        rl.append((time.perf_counter() - t0) * 1000)
        pdf[:] = bytes(len(pdf))
        photo.discard()
        t0 = time.perf_counter()
        photo = capture(frame)
        pdf = render_pdf(layout("L", photo.spec, 4), photo.photo(), photo.spec)
        qt.append((time.perf_counter() - t0) * 1000)
        pdf[:] = bytes(len(pdf))
        photo.discard()
    return {"capture_to_sheet_reportlab": stats(rl), "capture_to_sheet_qt": stats(qt), "goal_ms": 300}


def bench_preview(seconds: float) -> dict:
    from PySide6.QtCore import QCoreApplication, QElapsedTimer

    from app.photo.settings import PhotoSettings, save_photo_settings
    from app.openings import open_opening
    from app.profiles import get_profile
    from app.store import Store
    from datetime import datetime
    from tests.photo.conftest import write_video
    from ui.photo_screen import PhotoScreen
    from ui.worker import StoreWorker

    with tempfile.TemporaryDirectory(prefix="madoguchi-bench-") as tmp:
        tmp = Path(tmp)
        video = write_video(tmp / "applicant.avi", [compose(460, (620 + 3 * (i % 5), 110), seed=i)[0] for i in range(30)])
        data = tmp / "data"
        now = datetime.now().astimezone()
        profile = get_profile("miyagi_mynumber_r6")
        with Store.open(data) as store:
            opening = open_opening(store, profile=profile, kind=profile.opening_kinds[0].key, venue="bench",
                                   municipality="名取市", date=now.date(), large=False, staff=1, now=now)
        save_photo_settings(data, PhotoSettings(camera_backend="video", camera_path=str(video), camera_fps=30.0))
        worker = StoreWorker(data)
        worker.start()
        screen = PhotoScreen(worker, opening.id, profile.photo, data, "ja")
        screen.resize(1280, 720)
        screen.show()
        timer = QElapsedTimer()
        timer.start()
        while timer.elapsed() < 1000:  # warm up
            QCoreApplication.processEvents()
        painted0, analysed0 = screen.preview.painted, screen.analyser.analysed_count
        frames0, dropped0 = screen.feed.frames, screen.analyser.dropped
        timer.restart()
        while timer.elapsed() < seconds * 1000:
            QCoreApplication.processEvents()
            time.sleep(0.001)
        elapsed = timer.elapsed() / 1000
        result = {"preview_fps": round((screen.preview.painted - painted0) / elapsed, 1),
                  "camera_fps": round((screen.feed.frames - frames0) / elapsed, 1),
                  "analysed_per_s": round((screen.analyser.analysed_count - analysed0) / elapsed, 1),
                  "analysis_dropped_per_s": round((screen.analyser.dropped - dropped0) / elapsed, 1),
                  "seconds": round(elapsed, 1), "goal_fps": 29}
        screen.shutdown()
        worker.stop()
        screen.deleteLater()
        QCoreApplication.processEvents()
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--frames", type=int, default=300)
    p.add_argument("--seconds", type=float, default=5.0)
    a = p.parse_args(argv)
    out = {"baseline_frame_interval_ms_30fps": round(1000 / 30, 2)}
    out.update(bench_analysis(a.frames))
    out.update(bench_capture_to_sheet(15))
    out["preview"] = bench_preview(a.seconds)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
