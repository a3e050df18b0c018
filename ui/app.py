"""Entry point of the booth app (GUI): `python main.py` with no subcommand."""
from __future__ import annotations

import logging
import sys

from PySide6.QtWidgets import QApplication

from app.logsetup import setup_logging
from app.paths import resolve_data_dir
from app.settings import load_settings
from ui.fonts import apply_japanese_font
from ui.i18n import install_language
from ui.main_window import MainWindow
from ui.style import STYLESHEET

log = logging.getLogger("madoguchi.ui")


def setup_application(app: QApplication, lang: str) -> None:
    """Font, look and language: shared by run_gui, the tests and the screenshot tool
    so they all show the same thing."""
    app.setApplicationName("Madoguchi")
    apply_japanese_font(app)
    app.setStyleSheet(STYLESHEET)
    install_language(lang)


def choose_language(cli_lang: str | None, saved_lang: str) -> str:
    """`--lang` on the command line wins for this session; otherwise the language
    chosen in the app last time."""
    return cli_lang or saved_lang


def run_gui(args) -> int:
    data_dir = resolve_data_dir(getattr(args, "data_dir", None))
    setup_logging(data_dir)
    lang = choose_language(getattr(args, "lang", None), load_settings(data_dir).lang)
    app = QApplication.instance() or QApplication(sys.argv)
    setup_application(app, lang)
    window = MainWindow(data_dir, lang)
    window.resize(1366, 768)
    window.showMaximized()
    app.exec()
    log.info("booth app exited with %d", window.exit_code)
    return window.exit_code
