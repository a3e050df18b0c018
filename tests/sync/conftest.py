"""Sync fixtures: a real PostgreSQL server for the session (initdb in a temporary
folder, loopback, free port) and a real hub per test on SQLite and on PostgreSQL."""
from __future__ import annotations

import itertools
import os

import pytest

from sync.pgtemp import TempPostgres, find_bin_dir
from tests.sync.helpers import ThreadHub

_db_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def own_data_dir(tmp_path, monkeypatch):
    """Commands run without --data-dir (hub, office) log into a temporary folder,
    never into the user's real data folder."""
    monkeypatch.setenv("MADOGUCHI_DATA_DIR", str(tmp_path / "home"))


@pytest.fixture(scope="session")
def pg():
    bin_dir = find_bin_dir()
    if bin_dir is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL (initdb, pg_ctl) is required under CI=true but is not installed")
        pytest.skip("PostgreSQL binaries not installed")
    server = TempPostgres(bin_dir).start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def hub_db(request, tmp_path):
    """A fresh, empty hub database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    return request.getfixturevalue("pg").create_database(f"hub{next(_db_numbers)}")


@pytest.fixture
def hub(hub_db):
    server = ThreadHub(hub_db).start()
    yield server
    server.stop()
