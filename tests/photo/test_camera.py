"""Camera backends: every source delivers frames through the same interface; an
unplugged device is reported as lost and can be reopened."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from app.errors import MadoguchiError
from hardware.camera import CAMERA_BACKENDS, CameraConfig, CameraLost, Pacer, list_cameras, make_camera
from hardware.camera_opencv import OpenCVDeviceCamera
from tests.photo.faces import compose
from tests.photo.unplug import Socket


def test_registry_has_all_backends():
    make_camera(CameraConfig("synthetic"))
    assert {"device", "video", "stills", "synthetic"} <= set(CAMERA_BACKENDS)
    with pytest.raises(MadoguchiError) as err:
        make_camera(CameraConfig("webcam3000"))
    assert err.value.code == "CAMERA_BACKEND_UNKNOWN"


def test_video_file_loops(face_video):
    cam = make_camera(CameraConfig("video", path=str(face_video), fps=240))
    with cam:
        frames = [cam.read() for _ in range(35)]  # the file has 30: it starts again
    assert all(f.shape == (720, 1280, 3) for f in frames)
    assert cam.fps == 240


def test_video_uses_its_own_frame_rate(face_video):
    cam = make_camera(CameraConfig("video", path=str(face_video), fps=0))
    with cam:
        cam.read()
    assert cam.fps == pytest.approx(30)


def test_stills_folder(tmp_path):
    for i, x in enumerate((500, 700)):
        cv2.imwrite(str(tmp_path / f"{i}.png"), compose(450, (x, 100))[0])
    (tmp_path / "notes.txt").write_text("not an image")
    cam = make_camera(CameraConfig("stills", path=str(tmp_path), fps=1000))
    with cam:
        first = cam.read()
        for _ in range(cam.hold - 1):
            cam.read()
        second = cam.read()
    assert first.shape == second.shape == (720, 1280, 3)
    assert not np.array_equal(first, second)


def test_missing_sources_are_reported(tmp_path):
    for backend in ("video", "stills"):
        with pytest.raises(MadoguchiError) as err:
            make_camera(CameraConfig(backend, path=str(tmp_path / "nothing"))).open()
        assert err.value.code == "CAMERA_SOURCE_MISSING"


def test_synthetic_needs_no_camera():
    cam = make_camera(CameraConfig("synthetic", width=640, height=360, fps=1000))
    with cam:
        a, b = cam.read(), cam.read()
    assert a.shape == (360, 640, 3) and not np.array_equal(a, b)
    assert any(c.config.backend == "synthetic" for c in list_cameras())


def test_device_unplugged_and_back(face_video):
    socket = Socket(face_video)
    cam = OpenCVDeviceCamera(CameraConfig("device", index=0), capture_factory=socket.factory)
    cam.open()
    assert cam.read().shape == (720, 1280, 3)
    socket.unplugged.set()
    with pytest.raises(CameraLost) as err:
        cam.read()
    assert "接続が切れました" in err.value.message("ja")
    cam.close()
    with pytest.raises(MadoguchiError) as err:
        cam.open()
    assert err.value.code == "CAMERA_OPEN_FAILED"
    socket.unplugged.clear()
    cam.open()
    assert cam.read().shape == (720, 1280, 3)
    cam.close()


def test_pacer_keeps_the_rate_without_bursts():
    t = [0.0]
    slept = []

    def sleep(s):
        slept.append(s)
        t[0] += s
    pacer = Pacer(10, clock=lambda: t[0], sleep=sleep)
    pacer.wait()            # first frame at once
    pacer.wait()            # the next one a tenth of a second later
    assert slept == [pytest.approx(0.1)]
    t[0] += 1.0             # the reader was busy for a second
    pacer.wait()
    assert len(slept) == 1  # a late frame is delivered at once
    pacer.wait()            # and the next one waits a full interval: no burst
    assert len(slept) == 2 and slept[-1] == pytest.approx(0.1)


def test_first_run_default_is_automatic(tmp_path):
    from app.photo.settings import load_photo_settings

    assert CameraConfig.from_settings(load_photo_settings(tmp_path / "fresh")).backend == "auto"


def test_automatic_without_a_camera_shows_the_test_picture(face_video):
    from hardware.camera_auto import AutoCamera

    socket = Socket(face_video)
    socket.unplugged.set()  # no camera on this laptop
    cam = AutoCamera(CameraConfig("auto", fps=1000), capture_factory=socket.factory)
    cam.open()
    assert cam.fallback is not None and cam.fallback.code == "CAMERA_OPEN_FAILED"
    assert cam.name == "synthetic" and cam.read().shape == (720, 1280, 3)
    cam.close()


def test_automatic_with_a_camera_uses_it_and_never_swaps_it_for_the_test_picture(face_video):
    """Once the device opened, an unplug is a loss to report (and wait out), not a
    reason to show the test picture."""
    from hardware.camera_auto import AutoCamera

    socket = Socket(face_video)
    cam = AutoCamera(CameraConfig("auto", index=0), capture_factory=socket.factory)
    cam.open()
    assert cam.fallback is None and cam.name == "camera 0"
    assert cam.read().shape == (720, 1280, 3)
    socket.unplugged.set()
    with pytest.raises(CameraLost):
        cam.read()
    cam.close()
    with pytest.raises(MadoguchiError) as err:  # reopening fails: no test picture now
        cam.open()
    assert err.value.code == "CAMERA_OPEN_FAILED" and cam.fallback is None
    socket.unplugged.clear()
    cam.open()
    assert cam.name == "camera 0" and cam.read().shape == (720, 1280, 3)
    cam.close()


def test_a_chosen_device_is_never_replaced(face_video):
    socket = Socket(face_video)
    socket.unplugged.set()
    with pytest.raises(MadoguchiError) as err:
        OpenCVDeviceCamera(CameraConfig("device", index=0), capture_factory=socket.factory).open()
    assert err.value.code == "CAMERA_OPEN_FAILED"


def test_settings_list_offers_automatic_first():
    choices = list_cameras(CameraConfig("stills", path="/somewhere"))
    assert choices[0].config.backend == "auto" and choices[0].label() == "自動（カメラがなければテスト画像）"
    assert [c.config.backend for c in choices][-2:] == ["stills", "synthetic"]
