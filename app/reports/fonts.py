"""The Japanese TrueType font the PDFs embed (and the UI preview paints with).

reportlab embeds TrueType outlines only (not CFF-based .otf), so a candidate is
accepted only when reportlab can load it and it has glyphs for Japanese text. The
search: MADOGUCHI_REPORT_FONT, a font shipped in resources/fonts, the usual install
paths, then fontconfig (`fc-match`, `fc-list :lang=ja`)."""
from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess
from pathlib import Path

from app.errors import MadoguchiError
from app.refdata import RESOURCES_DIR

log = logging.getLogger("madoguchi.reports.fonts")

FONT_NAME = "MadoguchiJP"   # the name the PDF uses for the embedded face
ENV_VAR = "MADOGUCHI_REPORT_FONT"
KNOWN_PATHS = (
    RESOURCES_DIR / "fonts" / "ipaexg.ttf",
    Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
    Path("/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf"),
    Path("/usr/share/fonts/truetype/fonts-japanese-gothic.ttf"),
    Path("/Library/Fonts/ipaexg.ttf"),
    Path("C:/Windows/Fonts/ipaexg.ttf"),
)
FC_PATTERNS = ("IPAexGothic", "IPAexゴシック", "IPAGothic", ":lang=ja")
_PROBE = "日本語報告書令和"


def _fontconfig_candidates() -> list[Path]:
    out: list[Path] = []
    if shutil.which("fc-match"):
        for pattern in FC_PATTERNS:
            result = subprocess.run(["fc-match", "-f", "%{file}", pattern],
                                    capture_output=True, text=True, timeout=10)
            if result.returncode == 0 and result.stdout.strip():
                out.append(Path(result.stdout.strip()))
    if shutil.which("fc-list"):
        result = subprocess.run(["fc-list", ":lang=ja", "file"], capture_output=True,
                                text=True, timeout=10)
        out += sorted(Path(line.rstrip(": ")) for line in result.stdout.splitlines() if line.strip())
    return out


def usable(path: Path) -> bool:
    """reportlab can embed it and it draws Japanese (not a Latin fallback)."""
    if path.suffix.lower() not in (".ttf", ".otf") or not path.is_file():
        return False
    from reportlab.pdfbase.ttfonts import TTFont, TTFError

    try:
        face = TTFont("probe", str(path)).face
    except (TTFError, OSError, ValueError) as exc:
        log.debug("font %s not usable: %s", path, exc)
        return False
    return all(ord(ch) in face.charToGlyph for ch in _PROBE)


def candidates() -> list[Path]:
    env = os.environ.get(ENV_VAR)
    found = [Path(env)] if env else []
    return found + list(KNOWN_PATHS) + _fontconfig_candidates()


@functools.cache
def find_font() -> Path:
    """The first usable Japanese TrueType font; REPORT_FONT_MISSING when none is."""
    tried = []
    for path in candidates():
        if path in tried:
            continue
        tried.append(path)
        if usable(path):
            return path.resolve()
    raise MadoguchiError("REPORT_FONT_MISSING", searched=", ".join(map(str, tried[:6])) or "-")


@functools.cache
def register_pdf_font() -> str:
    """Register the font with reportlab once; returns the name to draw with."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(FONT_NAME, str(find_font())))
    return FONT_NAME


def string_width(text: str, size: float) -> float:
    """Width in points of `text` in the report font, for layout (wrapping, fitting)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, register_pdf_font(), size)
