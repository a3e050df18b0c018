"""Frame budget of the photo preview, printed as JSON: for each camera size, the time
one frame costs the app — drawing it with the guides (the real PreviewWidget, rendered
offscreen at a 960×540 window size) plus analysing it (on one core) — next to the
camera's frame interval, measured in the same run. The preview keeps the camera's rate
when draw + analysis fit in the interval (they run on different threads, so the draw
alone must fit; analysis may drop frames, never the preview). Also the analysis of
frames without the applicant in place (empty booth; a face far back, found by the
small-face pass), which must fit the interval too.

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
    # Frames without an applicant in place cost the small-face pass too (someone far
    # back gets "come closer" instead of "no face"): the empty booth and a face too
    # small for the live cascade, on a 1280×720 frame.
    from tests.photo.faces import BACKGROUND_BGR
    import numpy as np

    others = {"no_face": np.full((720, 1280, 3), BACKGROUND_BGR, np.uint8),
              "small_face_far_back": compose(150, (640, 250))[0]}
    results["without_applicant_1280x720"] = {}
    for name, frame in others.items():
        ms = median_ms(lambda: analyse(frame), a.frames)
        results["without_applicant_1280x720"][name] = {
            "analysis_ms": ms, "advice": analyse(frame).advice("en")[:1],
            "share_of_interval": round(ms / interval, 2), "within_interval": ms < interval}
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
