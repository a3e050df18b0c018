"""Report fixtures: seeded stores built once per session and copied per test, so
every test gets its own real SQLite file without paying for the seeding again."""
from __future__ import annotations

import random
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from app.paths import DB_NAME
from app.store import Store
from tests.conftest import profile_for_spec
from tests.reports.seed import JST, copy_rows, open_at, seed_month

NOW = datetime(2024, 12, 2, 10, 0, tzinfo=JST)   # a Monday, after November's openings


def _build(folder: Path, build) -> Path:
    with Store.open(folder, now=NOW) as store:
        build(store)
    return folder


@pytest.fixture(scope="session")
def template_003(tmp_path_factory) -> Path:
    """Spec 003: 8 openings in November 2024, 5 in October, 1 planned in December."""
    p = profile_for_spec("003")

    def build(store):
        rng = random.Random(3)
        seed_month(store, p, date(2024, 10, 1), 5, rng)
        seed_month(store, p, date(2024, 11, 1), 8, rng)
        open_at(store, p, date(2024, 12, 5), venue="塩竈市民交流センター", municipality="塩竈市")
    return _build(tmp_path_factory.mktemp("t003"), build)


@pytest.fixture(scope="session")
def template_002(tmp_path_factory) -> Path:
    p = profile_for_spec("002")
    return _build(tmp_path_factory.mktemp("t002"),
                  lambda store: seed_month(store, p, date(2023, 11, 1), 4, random.Random(2)))


@pytest.fixture(scope="session")
def template_001(tmp_path_factory) -> Path:
    p = profile_for_spec("001")
    return _build(tmp_path_factory.mktemp("t001"),
                  lambda store: seed_month(store, p, date(2024, 9, 1), 6, random.Random(1)))


@pytest.fixture(scope="session")
def template_merged(tmp_path_factory, template_003) -> Path:
    """The office's view: laptop A's rows (template_003) plus laptop B's own openings."""
    p = profile_for_spec("003")
    b = _build(tmp_path_factory.mktemp("laptop_b"),
               lambda store: seed_month(store, p, date(2024, 11, 2), 3, random.Random(7)))
    merged = tmp_path_factory.mktemp("merged")
    _build(merged, lambda store: None)  # an empty store: schema plus the office's own device
    copy_rows(template_003 / DB_NAME, merged / DB_NAME)
    copy_rows(b / DB_NAME, merged / DB_NAME)
    return merged


def _copy(template: Path, dest: Path) -> Path:
    dest.mkdir(parents=True)
    shutil.copy2(template / DB_NAME, dest / DB_NAME)
    return dest


@pytest.fixture
def dir_003(template_003, tmp_path) -> Path:
    return _copy(template_003, tmp_path / "d003")


@pytest.fixture
def store_003(dir_003):
    with Store.open(dir_003, now=NOW) as store:
        yield store


@pytest.fixture
def store_002(template_002, tmp_path):
    with Store.open(_copy(template_002, tmp_path / "d002"), now=NOW) as store:
        yield store


@pytest.fixture
def store_001(template_001, tmp_path):
    with Store.open(_copy(template_001, tmp_path / "d001"), now=NOW) as store:
        yield store


@pytest.fixture
def merged_dir(template_merged, tmp_path) -> Path:
    return _copy(template_merged, tmp_path / "merged")


@pytest.fixture
def merged_store(merged_dir):
    with Store.open(merged_dir, read_only=True, now=NOW) as store:
        yield store


@pytest.fixture
def hub(tmp_path):
    """A real hub (sync's app under uvicorn) on a free loopback port."""
    from tests.sync.helpers import ThreadHub

    server = ThreadHub(f"sqlite:///{tmp_path / 'hub.sqlite3'}").start()
    yield server
    server.stop()
