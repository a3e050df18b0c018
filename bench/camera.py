"""Frame budget of the photo preview, printed as JSON: for each camera size, the time
one frame costs the app — drawing it with the guides (the real PreviewWidget, rendered
offscreen at a 960×540 window size) plus analysing it (on one core) — next to the
camera's frame interval, measured in the same run. The preview keeps the camera's rate
when draw + analysis fit in the interval (they run on different threads, so the draw
alone must fit; analysis may drop frames, never the preview).

    python bench/camera.py [--frames N] [--fps F]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2  # noqa: E402

from app.photo.analysis import analyse  # noqa: E402
from app.photo.crop import DEFAULT_SPEC  # noqa: E402
from tests.photo.faces import compose  # noqa: E402


def median_ms(fn, n: int) -> float:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(out), 2)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--frames", type=int, default=150)
    p.add_argument("--fps", type=float, default=30.0)
    a = p.parse_args(argv)
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    from ui.app import setup_application
    from ui.photo_preview import PreviewWidget

    app = QApplication.instance() or QApplication([])
    setup_application(app, "ja")
    cv2.setNumThreads(1)
    interval = 1000 / a.fps
    results = {"camera_fps": a.fps, "frame_interval_ms": round(interval, 2), "sizes": {}}
    for w, h, head, crown in ((1280, 720, 460, 110), (1920, 1080, 690, 165)):
        frame, _ = compose(head, (w // 2, crown), size=(w, h))
        analysis = analyse(frame)
        widget = PreviewWidget(DEFAULT_SPEC)
        widget.resize(960, 540)
        canvas = QImage(960, 540, QImage.Format.Format_RGB32)

        def draw() -> None:
            widget.show_frame(frame)
            widget.set_guides(analysis.crop, analysis.ok, smooth=False)
            widget.render(canvas)
        draw_ms = median_ms(draw, a.frames)
        analysis_ms = median_ms(lambda: analyse(frame), a.frames)
        results["sizes"][f"{w}x{h}"] = {
            "draw_ms": draw_ms, "analysis_ms": analysis_ms, "draw_plus_analysis_ms": round(draw_ms + analysis_ms, 2),
            "share_of_interval": round((draw_ms + analysis_ms) / interval, 2),
            "preview_keeps_rate": draw_ms < interval}
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
