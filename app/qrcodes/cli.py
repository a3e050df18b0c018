"""`python main.py qr --text TEXT --out FILE.png|.svg` and `qr --decode IMAGE`."""
from __future__ import annotations

import argparse
from pathlib import Path

from app.qrcodes.decode import decode_image_file
from app.qrcodes.render import DEFAULT_LEVEL, LEVELS, QUIET_ZONE, write_qr


def register(subparsers) -> dict:
    p = subparsers.add_parser(
        "qr", help="draw a QR code to PNG/SVG, or read the text of a QR code in an image",
        description="Draw a QR code (quiet zone of 4 modules, error correction M by default) "
                    "or decode the QR code(s) in a PNG/JPEG image.")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--text", help="text or URL to encode (use with --out)")
    what.add_argument("--decode", metavar="IMAGE", help="image file to read; prints each text found")
    p.add_argument("--out", metavar="FILE", help="output file ending in .png or .svg")
    p.add_argument("--level", default=DEFAULT_LEVEL, choices=list(LEVELS),
                   help=f"error-correction level (default {DEFAULT_LEVEL})")
    p.add_argument("--module-px", type=int, default=10,
                   help="PNG pixels per module (default 10)")
    return {"qr": cmd_qr}


def cmd_qr(args: argparse.Namespace, data_dir: Path) -> int:
    if args.decode:
        for text in decode_image_file(args.decode):
            print(text)
        return 0
    if not args.out:
        raise SystemExit("qr: --text needs --out FILE.png or FILE.svg")
    matrix = write_qr(args.text, args.out, level=args.level, module_px=args.module_px)
    print(f"{args.out}: QR version {matrix.version}, level {matrix.level}, "
          f"{matrix.size}x{matrix.size} modules + quiet zone {QUIET_ZONE}")
    return 0
