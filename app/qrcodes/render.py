"""Draw QR codes: one matrix, then PNG, SVG or a grey image at a whole number of
pixels per module (never resampled, so edges stay crisp at any size).

Choices, so every code the booth shows scans the same way:
- quiet zone: 4 modules of white on every side (ISO/IEC 18004 minimum; phone
  scanners fail surprisingly often with less, especially on a dark bezel);
- error correction: M (about 15 % of the code can be lost) by default. A screen
  does not get torn or dirty, so more redundancy would only make the modules
  smaller at the same display size, which costs reading distance; Q/H are
  available for printed codes that may be damaged.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import qrcode
import qrcode.constants
from qrcode.exceptions import DataOverflowError

from app.errors import MadoguchiError
from app.qrcodes import errors as _errors  # noqa: F401  (registers QR_* codes)

QUIET_ZONE = 4
DEFAULT_LEVEL = "M"
LEVELS = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}
# Byte capacity of the largest QR code (version 40) per level.
MAX_BYTES = {"L": 2953, "M": 2331, "Q": 1663, "H": 1273}


@dataclass(frozen=True)
class QrMatrix:
    """The dark modules of one code (True = dark), without the quiet zone."""
    text: str
    level: str
    version: int
    modules: np.ndarray

    @property
    def size(self) -> int:
        return int(self.modules.shape[0])

    @property
    def size_with_quiet_zone(self) -> int:
        return self.size + 2 * QUIET_ZONE

    def with_quiet_zone(self) -> np.ndarray:
        return np.pad(self.modules, QUIET_ZONE, constant_values=False)


def _level(level: str) -> str:
    key = (level or DEFAULT_LEVEL).strip().upper()
    if key not in LEVELS:
        raise MadoguchiError("QR_ERROR_LEVEL", level=level)
    return key


def make_matrix(text: str, level: str = DEFAULT_LEVEL) -> QrMatrix:
    """Encode `text` in the smallest QR version that holds it at `level`."""
    if text is None or not str(text).strip():
        raise MadoguchiError("QR_TEXT_EMPTY")
    text = str(text)
    key = _level(level)
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES[key]:
        raise MadoguchiError("QR_TEXT_TOO_LONG", length=size, limit=MAX_BYTES[key])
    code = qrcode.QRCode(error_correction=LEVELS[key], border=0)
    code.add_data(text)
    try:
        code.make(fit=True)
    except (DataOverflowError, ValueError):
        raise MadoguchiError("QR_TEXT_TOO_LONG", length=size, limit=MAX_BYTES[key]) from None
    modules = np.array(code.get_matrix(), dtype=bool)
    return QrMatrix(text=text, level=key, version=int(code.version), modules=modules)


def to_gray(matrix: QrMatrix, module_px: int) -> np.ndarray:
    """8-bit grey image (0 dark, 255 light), quiet zone included, `module_px`
    pixels per module."""
    module_px = max(1, int(module_px))
    light = np.where(matrix.with_quiet_zone(), 0, 255).astype(np.uint8)
    return np.kron(light, np.ones((module_px, module_px), dtype=np.uint8))


def to_png_bytes(matrix: QrMatrix, module_px: int = 10) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(to_gray(matrix, module_px), mode="L").save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def to_svg(matrix: QrMatrix, module_mm: float | None = None) -> str:
    """A standalone SVG: white background, one path of unit squares, sized in
    modules (the viewer scales it; crispEdges keeps module borders sharp).
    With `module_mm` the width/height are given in millimetres for print."""
    full = matrix.size_with_quiet_zone
    parts = []
    for y, row in enumerate(matrix.modules):
        x = 0
        n = len(row)
        while x < n:
            if row[x]:
                start = x
                while x < n and row[x]:
                    x += 1
                parts.append(f"M{start + QUIET_ZONE} {y + QUIET_ZONE}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    size = f'width="{full * module_mm:g}mm" height="{full * module_mm:g}mm" ' if module_mm else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" {size}'
        f'viewBox="0 0 {full} {full}" shape-rendering="crispEdges">\n'
        f'<rect width="{full}" height="{full}" fill="#ffffff"/>\n'
        f'<path fill="#000000" d="{"".join(parts)}"/>\n'
        '</svg>\n'
    )


def write_qr(text: str, out: Path | str, *, level: str = DEFAULT_LEVEL, module_px: int = 10) -> QrMatrix:
    """Write `text` as a QR code to a .png or .svg file (chosen by the suffix).
    Everything is checked before the file is touched; the file is written whole
    (temp file, then rename) so a failure leaves no half-written image."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise MadoguchiError("QR_OUTPUT_FORMAT", path=str(out))
    matrix = make_matrix(text, level)
    data = to_png_bytes(matrix, module_px) if suffix == ".png" else to_svg(matrix).encode("utf-8")
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise MadoguchiError("QR_WRITE_FAILED", path=str(out), reason=exc.strerror or type(exc).__name__) from exc
    return matrix
