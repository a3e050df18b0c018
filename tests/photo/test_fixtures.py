"""The CUPS fixture's own rule: under CI=true a missing precondition fails the run
instead of skipping the real print tests."""
from __future__ import annotations

import pytest

from tests.photo import conftest


def test_not_root_fails_under_ci(monkeypatch):
    monkeypatch.setattr(conftest.os, "geteuid", lambda: 1000)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="as root"):
        conftest.require_root()


def test_not_root_skips_outside_ci(monkeypatch):
    monkeypatch.setattr(conftest.os, "geteuid", lambda: 1000)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        conftest.require_root()


def test_root_goes_ahead(monkeypatch):
    monkeypatch.setattr(conftest.os, "geteuid", lambda: 0)
    monkeypatch.setenv("CI", "true")
    conftest.require_root()  # neither fails nor skips
