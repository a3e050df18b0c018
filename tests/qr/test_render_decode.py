"""Drawing QR codes (quiet zone, error correction, PNG/SVG) and reading organisers'
images back, including photographed-looking ones, with OpenCV."""
from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
import qrcode
from PIL import Image, ImageDraw, ImageFilter

from app.errors import MadoguchiError
from app.qrcodes import (QUIET_ZONE, decode_image_bytes, decode_image_file, decode_texts, make_matrix,
                         to_gray, to_png_bytes, to_svg, write_qr)

URL = "https://www.pref.miyagi.jp/soshiki/jyoho/miyapo.html"


def test_matrix_has_the_chosen_level_and_a_four_module_quiet_zone():
    m = make_matrix(URL)
    assert m.level == "M" and QUIET_ZONE == 4
    gray = to_gray(m, 3)
    assert gray.shape == ((m.size + 8) * 3,) * 2
    border = 4 * 3
    assert (gray[:border] == 255).all() and (gray[-border:] == 255).all()
    assert (gray[:, :border] == 255).all() and (gray[:, -border:] == 255).all()
    assert gray[border, border] == 0  # the finder pattern starts right after it
    assert make_matrix(URL, "h").version > m.version  # more redundancy, more modules


def test_png_and_svg_files_decode_back(tmp_path, qapp):
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    png = tmp_path / "site.png"
    write_qr("みやぎポイント " + URL, png)
    assert decode_image_file(png) == ["みやぎポイント " + URL]
    svg = tmp_path / "site.svg"
    write_qr(URL, svg, level="Q")
    text = svg.read_text(encoding="utf-8")
    assert text.startswith("<?xml") and 'shape-rendering="crispEdges"' in text
    renderer = QSvgRenderer(str(svg))
    assert renderer.isValid()
    image = QImage(400, 400, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    raw = tmp_path / "svg.png"
    image.save(str(raw))
    assert decode_image_file(raw) == [URL]


def test_bad_output_and_text_are_refused_before_writing(tmp_path):
    with pytest.raises(MadoguchiError) as info:
        write_qr(URL, tmp_path / "x.jpg")
    assert info.value.code == "QR_OUTPUT_FORMAT"
    with pytest.raises(MadoguchiError) as info:
        write_qr("   ", tmp_path / "x.png")
    assert info.value.code == "QR_TEXT_EMPTY"
    with pytest.raises(MadoguchiError) as info:
        make_matrix("x" * 3000)
    assert info.value.code == "QR_TEXT_TOO_LONG"
    with pytest.raises(MadoguchiError) as info:
        make_matrix(URL, "Z")
    assert info.value.code == "QR_ERROR_LEVEL"
    assert list(tmp_path.iterdir()) == []


def organiser_png(text: str, box: int = 8, border: int = 4) -> Image.Image:
    """An organiser's code as their tools make it (the qrcode package, default look)."""
    code = qrcode.QRCode(box_size=box, border=border, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    return code.make_image().get_image().convert("RGB")


def photographed(img: Image.Image) -> Image.Image:
    """Printed on a poster, photographed with a phone: on a grey table, slightly
    rotated, soft, scaled down, perspective, JPEG."""
    poster = Image.new("RGB", (img.width + 200, img.height + 260), (235, 232, 225))
    poster.paste(img, (100, 150))
    ImageDraw.Draw(poster).text((100, 40), "Miyagi Point", fill=(40, 40, 40))
    table = Image.new("RGB", (poster.width + 300, poster.height + 300), (110, 105, 100))
    table.paste(poster.rotate(12, expand=True, fillcolor=(110, 105, 100)), (60, 40))
    soft = table.filter(ImageFilter.GaussianBlur(1.6)).resize((table.width * 2 // 3, table.height * 2 // 3))
    arr = np.array(soft)
    h, w = arr.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[w * 0.04, h * 0.02], [w * 0.97, 0], [w, h], [0, h * 0.96]])
    warped = cv2.warpPerspective(arr, cv2.getPerspectiveTransform(src, dst), (w, h),
                                 borderValue=(110, 105, 100))
    noise = np.random.default_rng(6).normal(0, 6, warped.shape)
    return Image.fromarray(np.clip(warped + noise, 0, 255).astype(np.uint8))


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_organiser_image_decodes(tmp_path, fmt):
    path = tmp_path / f"organiser.{fmt.lower()}"
    organiser_png(URL).save(path, fmt, quality=70) if fmt == "JPEG" else organiser_png(URL).save(path, fmt)
    assert decode_image_file(path) == [URL]


def test_photographed_organiser_code_decodes(tmp_path):
    path = tmp_path / "photo.jpg"
    photographed(organiser_png(URL, box=6)).save(path, "JPEG", quality=80)
    assert decode_image_file(path) == [URL]


def test_cropped_and_transparent_screenshots_decode(tmp_path):
    cropped = organiser_png(URL, box=3, border=0)   # no quiet zone, tiny modules
    path = tmp_path / "cropped.png"
    cropped.save(path)
    assert decode_image_file(path) == [URL]
    # A transparent PNG: dark modules on alpha 0 background.
    rgba = np.zeros((*np.array(cropped).shape[:2], 4), dtype=np.uint8)
    rgba[..., 3] = np.where(np.array(cropped.convert("L")) < 128, 255, 0)
    path = tmp_path / "transparent.png"
    Image.fromarray(rgba, "RGBA").save(path)
    assert decode_image_file(path) == [URL]


def test_light_on_dark_code_decodes():
    img = 255 - np.array(organiser_png(URL).convert("L"))
    assert decode_texts(img) == [URL]


def test_image_without_a_qr_code_gets_a_clear_message(tmp_path):
    path = tmp_path / "poster.png"
    poster = Image.new("RGB", (640, 480), "white")
    ImageDraw.Draw(poster).rectangle((100, 100, 300, 300), outline="black", width=8)
    poster.save(path)
    with pytest.raises(MadoguchiError) as info:
        decode_image_file(path)
    assert info.value.code == "QR_NOT_FOUND"
    assert "QR コードを読み取れませんでした" in info.value.message("ja")
    assert str(path) in info.value.message("en")


def test_file_that_is_not_an_image_is_named(tmp_path):
    path = tmp_path / "readme.png"
    path.write_text("not an image", encoding="utf-8")
    for target in (path, tmp_path / "missing.png"):
        with pytest.raises(MadoguchiError) as info:
            decode_image_file(target)
        assert info.value.code == "QR_IMAGE_UNREADABLE"
    with pytest.raises(MadoguchiError) as info:
        decode_image_bytes(b"")
    assert info.value.code == "QR_IMAGE_UNREADABLE"


def test_png_bytes_are_crisp_black_and_white():
    data = to_png_bytes(make_matrix("PT1-ABCDE"), module_px=7)
    with Image.open(io.BytesIO(data)) as opened:
        img = np.array(opened)
    assert set(np.unique(img)) == {0, 255}
    assert to_svg(make_matrix("x")).count("<path") == 1
