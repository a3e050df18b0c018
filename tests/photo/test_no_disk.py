"""No photo on disk: around a whole capture → print → delete cycle on the photo screen
(video camera, real CUPS queue), every file created or changed under the data folder,
the temp folder and the home folder is searched for image data — image file
signatures, PDFs, and raw pixel runs of the captured frame and of the printed photo.
There must be none."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import cv2
import numpy as np

from tests.photo.screen_helpers import WAIT_MS, capture_now, click, close_screen, consent, make_screen, wait_idle, \
    wait_ready
from app.photo.settings import PhotoSettings

SIGNATURES = {
    "jpeg": (b"\xff\xd8\xff\xdb", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1", b"\xff\xd8\xff\xee"),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "pdf": (b"%PDF-",),
    "tiff": (b"II*\x00", b"MM\x00*"),
}


def snapshot(roots: list[Path]) -> dict[Path, tuple[int, int]]:
    state = {}
    for root in roots:
        for dirpath, _dirs, files in os.walk(root):
            for name in files:
                p = Path(dirpath) / name
                try:
                    st = p.stat()
                except OSError:
                    continue
                state[p] = (st.st_mtime_ns, st.st_size)
    return state


def pixel_runs(*images: np.ndarray) -> list[bytes]:
    """48-byte runs from the middle rows of each image, as BGR and as RGB."""
    runs = []
    for img in images:
        h, w = img.shape[:2]
        for fy in (0.35, 0.5, 0.65):
            row = img[int(h * fy), int(w * 0.4):int(w * 0.4) + 16]
            runs += [row.tobytes(), row[:, ::-1].tobytes()]
    return runs


def image_data(path: Path, runs: list[bytes]) -> list[str]:
    data = path.read_bytes()
    found = [kind for kind, sigs in SIGNATURES.items() if any(s in data for s in sigs)]
    if data[:2] == b"BM" and len(data) > 54:
        found.append("bmp")
    if any(r in data for r in runs):
        found.append("raw pixels")
    return found


def test_the_scanner_finds_a_photo_file(tmp_path):
    """The check below can fail: a frame saved as PNG, or as raw bytes, is found."""
    from tests.photo.faces import compose

    frame = compose(460, (640, 110))[0]
    cv2.imwrite(str(tmp_path / "leak.png"), frame)
    (tmp_path / "leak.raw").write_bytes(frame.tobytes())
    runs = pixel_runs(frame)
    assert image_data(tmp_path / "leak.png", runs) == ["png"]
    assert image_data(tmp_path / "leak.raw", runs) == ["raw pixels"]


def test_full_cycle_leaves_no_image_on_disk(qtbot, tmp_path, monkeypatch, face_video, cups_server):
    home, temp, runtime = tmp_path / "home", tmp_path / "tmp", tmp_path / "runtime"
    for d in (home, temp, runtime):
        d.mkdir(mode=0o700)
    data_dir = home / ".local" / "share" / "Madoguchi"
    for var, value in (("HOME", home), ("TMPDIR", temp), ("TEMP", temp), ("TMP", temp),
                       ("XDG_RUNTIME_DIR", runtime), ("XDG_CACHE_HOME", home / ".cache"),
                       ("XDG_CONFIG_HOME", home / ".config"), ("XDG_DATA_HOME", home / ".local" / "share")):
        monkeypatch.setenv(var, str(value))
    monkeypatch.setattr(tempfile, "tempdir", None)  # Python re-reads TMPDIR
    roots = [data_dir, temp, home, runtime]
    before = snapshot(roots)

    settings = PhotoSettings(camera_backend="video", camera_path=str(face_video), camera_fps=30.0,
                             printer_backend="system", printer_name=cups_server.queue, sheet="L", count=4)
    printed_before = {p.name for p in cups_server.printed()}
    screen = make_screen(qtbot, data_dir, settings)
    wait_ready(qtbot, screen)
    capture_now(qtbot, screen)
    photo = screen.photo
    runs = pixel_runs(photo.frame, photo.photo())
    consent(qtbot, screen)
    click(qtbot, screen.print_button)
    qtbot.waitUntil(lambda: screen.photo is None, timeout=WAIT_MS)
    wait_idle(qtbot, screen)
    assert not screen.banner.isVisible(), screen.banner.text()
    close_screen(screen)

    assert {p.name for p in cups_server.printed()} - printed_before, "the sheet was not printed"
    after = snapshot(roots)
    changed = [p for p, st in after.items() if before.get(p) != st]
    assert any(p.name.startswith("madoguchi.sqlite3") for p in changed)  # the facts were written
    leaks = {str(p): kinds for p in changed if (kinds := image_data(p, runs))}
    assert leaks == {}
    assert [f for f in cups_server.job_files() if f.startswith("d")] == []
    assert list(cups_server.pdf_spool.iterdir()) == []
