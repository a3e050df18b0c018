"""`python main.py photo`: the photo pipeline on a still image, for checks and tests.

    photo --input IMAGE --sheet single|L|KG|postcard|A4 [--count N] --out OUT.pdf [--json]

Detect, check, crop to spec, measure the rendered photo again, lay out, write the
PDF. Exit 2 with a message (and no output file) when there is no face, several faces,
or the picture cannot meet the spec — also when the photo, measured again at print
resolution, misses it. The output PDF is the only file written, at the path the user
gave. `--json` reports the geometry measured on the rendered photo (`geometry`) and
the crop's plan (`fitted`).
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path

import cv2
import numpy as np

from app.errors import MadoguchiError
from app.photo.crop import DEFAULT_SPEC
from app.photo.privacy import harden_process
from app.photo.remeasure import Measured, measure_photo
from app.photo.session import capture
from app.photo.sheets import SHEETS, get_sheet, layout
from app.photo.wipe import wipe
from app.profiles import PhotoSpec, get_profile

log = logging.getLogger("madoguchi.photo.cli")


def register(subparsers) -> dict:
    s = subparsers.add_parser(
        "photo", help="make a print sheet (PDF) of an application photo from a still image")
    s.add_argument("--input", required=True, metavar="IMAGE", help="JPEG/PNG image with one face")
    s.add_argument("--sheet", required=True, metavar="|".join(SHEETS), help="paper layout")
    s.add_argument("--count", type=int, metavar="N", help="photos on the sheet (default: as many as fit)")
    s.add_argument("--out", required=True, metavar="OUT.pdf", help="PDF file to write")
    s.add_argument("--profile", help="take the photo spec from this profile (default: 45×35 mm, head 34±2 mm)")
    s.add_argument("--json", action="store_true", help="print the checks and the achieved geometry as JSON")
    return {"photo": cmd_photo}


def _spec(profile: str | None) -> PhotoSpec:
    if not profile:
        return DEFAULT_SPEC
    prof = get_profile(profile)
    if not prof.photo.enabled:
        raise MadoguchiError("PHOTO_DISABLED", profile=prof.key)
    return prof.photo


def read_image(path: Path) -> np.ndarray:
    try:
        data = np.fromfile(str(path), dtype=np.uint8)  # np.fromfile: non-ASCII paths on Windows
    except OSError:
        raise MadoguchiError("PHOTO_INPUT_UNREADABLE", path=str(path)) from None
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    wipe(data)
    if image is None:
        raise MadoguchiError("PHOTO_INPUT_UNREADABLE", path=str(path))
    return image


def _report(args, analysis, spec: PhotoSpec, count: int | None, written: bool) -> dict:
    data = analysis.to_dict(args.lang)
    data["geometry_source"] = "estimated_from_frame" if data.get("geometry") else None
    return {"ok": written, "input": args.input, "sheet": args.sheet, "count": count,
            "output": args.out if written else None,
            "spec": {"height_mm": spec.height_mm, "width_mm": spec.width_mm, "head_mm": spec.head_mm,
                     "head_tol_mm": spec.head_tol_mm, "crown_margin_mm": spec.crown_margin_mm,
                     "crown_tol_mm": spec.crown_tol_mm, "min_dpi": spec.min_dpi, "target_dpi": spec.target_dpi},
            **data}


def _achieved(photo, measured: Measured | None) -> dict:
    """The geometry of the photo as printed: head, crown margin and offset measured
    again on the rendered print pixels (None when the head was not found again), the
    resolution from the crop."""
    g = photo.geometry
    found = measured.to_dict() if measured is not None else dict.fromkeys(
        ("head_height_mm", "margin_above_crown_mm", "horizontal_offset_mm"))
    return {**found, "dpi": round(g.dpi, 1), "output_dpi": g.output_dpi, "inside_frame": g.inside}


def _measured_text(measured: Measured | None, lang: str) -> str:
    if measured is None:
        return "頭を見つけ直せませんでした" if lang == "ja" else "the head was not found again"
    if lang == "ja":
        return (f"頭頂〜あご {measured.head_mm:.1f} mm、頭上の余白 {measured.crown_margin_mm:.1f} mm、"
                f"中心からのずれ {measured.offset_mm:+.1f} mm")
    return (f"head {measured.head_mm:.1f} mm, crown margin {measured.crown_margin_mm:.1f} mm, "
            f"offset {measured.offset_mm:+.1f} mm")


def cmd_photo(args, data_dir: Path) -> int:
    harden_process()  # no core dump with the photo in it
    spec = _spec(args.profile)
    sheet = get_sheet(args.sheet)
    lay = layout(sheet, spec, args.count)  # refuses a bad --count before any work
    out = Path(args.out)
    if out.is_dir():
        raise MadoguchiError("PHOTO_OUTPUT_EXISTS", path=str(out))
    image = read_image(Path(args.input))
    try:
        try:
            photo = capture(image, spec, strict=True, lang=args.lang)
        except MadoguchiError:
            if args.json:
                from app.photo.analysis import analyse
                print(json.dumps(_report(args, analyse(image, spec, fine=True, live=False), spec,
                                         len(lay.slots), False), ensure_ascii=False, indent=2))
            raise
    finally:
        wipe(image)
    try:
        # Check what will be printed, not only the plan: the head measured again in
        # the rendered photo. Nothing is written when it misses the spec.
        measured = measure_photo(photo.photo(), photo.geometry.output_dpi)
        verified = measured is not None and measured.within_spec(spec)
        report = None
        if args.json:
            report = _report(args, photo.analysis, spec, len(lay.slots), verified)
            report["geometry"] = _achieved(photo, measured)
            report["geometry_source"] = "measured_on_output"
            report["fitted"] = photo.geometry.to_dict()
            if not verified:
                report["failed_checks"] = [*report["failed_checks"], "output_check"]
        if not verified:
            if report is not None:
                print(json.dumps(report, ensure_ascii=False, indent=2))
            raise MadoguchiError("PHOTO_OUTPUT_CHECK_FAILED", measured=_measured_text(measured, args.lang))
        pdf = photo.sheet_pdf(sheet.key, len(lay.slots), args.lang)
        try:
            _write(out, pdf)
        finally:
            wipe(pdf)
        log.info("photo sheet written: sheet=%s count=%d dpi=%d", sheet.key, len(lay.slots),
                 photo.geometry.output_dpi)
        if report is not None:
            print(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            g = photo.geometry
            print(f"{out}: {sheet.label(args.lang)} × {len(lay.slots)} — head {measured.head_mm:.1f} mm, "
                  f"crown margin {measured.crown_margin_mm:.1f} mm, offset {measured.offset_mm:+.1f} mm, "
                  f"{g.output_dpi} dpi")
    finally:
        photo.discard()
    return 0


def _write(path: Path, data: bytearray) -> None:
    """Straight to the chosen file (no temp file next to it holding a photo); a
    failed write removes what was started."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        with contextlib.suppress(OSError):
            path.unlink()
        raise MadoguchiError("PHOTO_OUTPUT_FAILED", path=str(path), reason=type(exc).__name__) from exc
