"""Shared fixtures: a real SQLite store in a fresh temporary data folder per test."""
from __future__ import annotations

import os
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

# Qt must not look for a display in tests that do not start Xvfb themselves.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.openings import open_opening  # noqa: E402
from app.profiles import list_profiles  # noqa: E402
from app.store import Store  # noqa: E402

JST = timezone(timedelta(hours=9))


def profile_for_spec(spec: str):
    return next(p for p in list_profiles() if p.spec == spec)


def at(hour: int, minute: int = 0, day: int = 26) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=JST)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path):
    s = Store.open(data_dir, now=at(8))
    yield s
    s.close()


@pytest.fixture
def p003():
    return profile_for_spec("003")


@pytest.fixture
def opening(store, p003):
    return open_opening(store, profile=p003, kind=p003.opening_kinds[0].key, venue="イオンモール名取",
                        municipality="名取市", date="2026-11-26", large=True, staff=3, now=at(9))


def require_tool(name: str) -> str | None:
    """A system tool the test needs: under CI its absence is a failure, not a skip."""
    import shutil

    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is required under CI=true but is not installed")
        pytest.skip(f"{name} not installed")
    return path
