"""QR codes: draw them crisp (PNG, SVG, screen) and read them back from images."""
from app.qrcodes import errors as _errors  # noqa: F401  (registers QR_* codes)
from app.qrcodes.decode import decode_image_bytes, decode_image_file, decode_texts
from app.qrcodes.render import (DEFAULT_LEVEL, QUIET_ZONE, QrMatrix, make_matrix, to_gray,
                                to_png_bytes, to_svg, write_qr)

__all__ = ["DEFAULT_LEVEL", "QUIET_ZONE", "QrMatrix", "decode_image_bytes", "decode_image_file",
           "decode_texts", "make_matrix", "to_gray", "to_png_bytes", "to_svg", "write_qr"]
