"""UI language: Japanese source strings, English from resources/i18n/*_en.qm.

Each feature keeps its own translation file (madoguchi_en.ts for the booth core,
photo_en.ts, sync_en.ts, report_en.ts, qr_en.ts …) so that features can change their
strings independently; all of them are loaded together.

Source strings in the code are Japanese (`self.tr("…")`), so Japanese needs no
translation file of ours; Qt's own qtbase_ja.qm is still loaded so that standard
buttons (OK, Cancel in message boxes) read in Japanese too.
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger("madoguchi.ui.i18n")

I18N_DIR = Path(__file__).resolve().parent.parent / "resources" / "i18n"
TS_FILE = I18N_DIR / "madoguchi_en.ts"
QM_FILE = I18N_DIR / "madoguchi_en.qm"


def english_files() -> list[Path]:
    return sorted(I18N_DIR.glob("*_en.qm"))

# Installed translators must stay referenced, or Python frees them under Qt's feet.
_installed: list[QTranslator] = []


def _load(path: Path) -> QTranslator | None:
    translator = QTranslator()
    if translator.load(str(path)):
        return translator
    log.warning("translation file could not be loaded: %s", path.name)
    return None


def install_language(lang: str) -> None:
    """Swap the application's translators for `lang` ("ja" or "en"). Widgets built
    afterwards pick the new language up; the main window rebuilds its pages."""
    app = QCoreApplication.instance()
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    wanted = [qt_dir / "qtbase_ja.qm"] if lang == "ja" else english_files()
    for path in wanted:
        if not path.exists():
            log.warning("translation file missing: %s", path.name)
            continue
        translator = _load(path)
        if translator is not None:
            app.installTranslator(translator)
            _installed.append(translator)
    QLocale.setDefault(QLocale(QLocale.Language.Japanese if lang == "ja" else QLocale.Language.English,
                               QLocale.Country.Japan if lang == "ja" else QLocale.Country.UnitedStates))
