"""A font that shows Japanese on any booth laptop.

IPAexGothic is preferred (also what the PDFs embed); Windows laptops without it get
Yu Gothic UI / Meiryo. Setting a family list (not one family) lets Qt fall back per
glyph instead of drawing tofu boxes.
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

log = logging.getLogger("madoguchi.ui.fonts")

PREFERRED = ["IPAexGothic", "IPAexゴシック", "Yu Gothic UI", "Meiryo UI", "Meiryo",
             "Noto Sans CJK JP", "Noto Sans JP", "MS UI Gothic"]
_FONT_FILES = [
    Path(__file__).resolve().parent.parent / "resources" / "fonts" / "ipaexg.ttf",
    Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
    Path("/usr/share/fonts/truetype/fonts-japanese-gothic.ttf"),
    Path("C:/Windows/Fonts/ipaexg.ttf"),
]
BASE_POINT_SIZE = 11


def apply_japanese_font(app: QApplication) -> QFont:
    families = set(QFontDatabase.families())
    if "IPAexGothic" not in families:
        for path in _FONT_FILES:
            if path.exists() and QFontDatabase.addApplicationFont(str(path)) >= 0:
                families = set(QFontDatabase.families())
                break
    chosen = [f for f in PREFERRED if f in families]
    if not chosen:
        log.warning("no Japanese font found; text may show as boxes")
    font = QFont(app.font())
    font.setFamilies(chosen or [font.family()])
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(font)
    return font
