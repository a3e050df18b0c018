"""UI tests: the real window, the real worker thread and a real SQLite store in a
fresh data folder per test. Qt runs offscreen (set before any QApplication exists)."""
from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

HERE = Path(__file__).resolve().parent

# The offscreen platform has no window system: it says so when a window is shown
# (size hints), or a popup (the municipality completer) raises itself and grabs the
# keyboard. These are about the test platform, not the app; nothing else is ignored.
OFFSCREEN_NOISE = (r"^This plugin does not support "
                   r"(propagateSizeHints\(\)|raise\(\)|grabbing the (keyboard|mouse))$")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def booth_app(qapp):
    """Same font, stylesheet and language setup as the real app; Japanese again
    after each test because translators are application-wide."""
    from ui.app import setup_application
    from ui.i18n import install_language

    setup_application(qapp, "ja")
    yield qapp
    install_language("ja")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def launch(qtbot):
    """Open a main window on a data folder, like a booth worker starting the app."""
    from tests.ui.helpers import start_window

    def _launch(data_dir: Path, lang: str = "ja", *, wait_ready: bool = True):
        return start_window(qtbot, data_dir, lang, wait_ready=wait_ready)
    return _launch
