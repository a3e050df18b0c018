"""Point-distribution fixtures: several laptops, each a real Store in its own data
folder, each with its own opening of the Miyagi Point profile (spec 000)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from app.openings import Opening, open_opening
from app.store import Store
from tests.conftest import at

POINT_PROFILE = "miyagi_point_r7"
DAY = "2026-11-26"


@dataclass
class Laptop:
    name: str
    store: Store
    opening: Opening

    @property
    def oid(self) -> str:
        return self.opening.id


def make_laptop(folder: Path, name: str, now: datetime | None = None, day: str = DAY) -> Laptop:
    store = Store.open(folder / name, now=now or at(8))
    opening = open_opening(store, profile=POINT_PROFILE, kind="event_venue", venue="夢メッセみやぎ",
                           municipality="仙台市", date=day, large=True, staff=4, now=now or at(9))
    return Laptop(name, store, opening)


@pytest.fixture
def laptops(tmp_path):
    """laptops(n) -> [Laptop, ...]; all stores are closed after the test."""
    made: list[Laptop] = []

    def _make(n: int) -> list[Laptop]:
        for i in range(n):
            made.append(make_laptop(tmp_path, f"laptop{len(made)}"))
        return made[-n:]
    yield _make
    for lap in made:
        lap.store.close()


# ---- UI tests (test_ui_*.py): the real app look, Qt offscreen --------------------
OFFSCREEN_NOISE = (r"^This plugin does not support "
                   r"(propagateSizeHints\(\)|raise\(\)|grabbing the (keyboard|mouse))$")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).name.startswith("test_ui_"):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture
def booth_look(qapp):
    """Same font, stylesheet and language as the booth app."""
    from ui.app import setup_application
    from ui.i18n import install_language

    setup_application(qapp, "ja")
    yield qapp
    install_language("ja")


@pytest.fixture
def booth_laptops(qtbot, tmp_path, booth_look):
    """booth_laptops(n) -> [BoothLaptop]: data folder, running StoreWorker, an opening."""
    from tests.qr.uihelpers import start_laptop

    made = []

    def _make(n: int):
        for _ in range(n):
            made.append(start_laptop(qtbot, tmp_path, f"booth{len(made)}"))
        return made[-n:]
    yield _make
    for lap in made:
        lap.worker.stop()


# ---- the real hub (sync.server, with the allotments router) on loopback ------------------
@pytest.fixture(scope="session")
def qr_pg():
    """A PostgreSQL server for the session (initdb in a temp folder, free port)."""
    import itertools
    import os

    from sync.pgtemp import TempPostgres, find_bin_dir

    bin_dir = find_bin_dir()
    if bin_dir is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL (initdb, pg_ctl) is required under CI=true but is not installed")
        pytest.skip("PostgreSQL binaries not installed")
    server = TempPostgres(bin_dir).start()
    numbers = itertools.count(1)
    yield lambda: server.create_database(f"qrhub{next(numbers)}")
    server.stop()


def start_hub(db_url: str):
    from tests.sync.helpers import ThreadHub

    return ThreadHub(db_url).start()


@pytest.fixture
def real_hub(tmp_path):
    """The hub app (`python main.py hub`) on SQLite, served on 127.0.0.1."""
    server = start_hub(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    yield server
    server.stop()


def data_dir_of(lap: Laptop) -> Path:
    return lap.store.path.parent


def enrol(lap: Laptop, hub, name: str | None = None) -> None:
    """The laptop joins the hub as the office enrols it (sync settings + device token)."""
    from sync import booth

    booth.enrol(data_dir_of(lap), hub_url=hub.url, code=hub.code(name or lap.name))


def push(lap: Laptop) -> None:
    """The laptop syncs: every row not yet at the hub is pushed (sync.booth)."""
    from sync import booth

    booth.push_pending(data_dir_of(lap), store=lap.store)
