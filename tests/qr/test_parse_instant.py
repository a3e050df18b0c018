"""Every chained row's device_time is read the same way on the laptop and the hub
(app.points.codes.parse_instant); a time that names no representable moment is
"not a time", never a crash of the expiry check."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from app.points.codes import parse_instant


@pytest.mark.parametrize("text, expected", [
    ("2026-11-26T10:00:00.000+09:00", datetime(2026, 11, 26, 1, tzinfo=timezone.utc)),
    ("2026-11-26T01:00:00", datetime(2026, 11, 26, 1, tzinfo=timezone.utc)),  # no offset: UTC
    ("9999-12-31T23:00:00-05:00", None),  # past datetime.max once moved to UTC
    ("0001-01-01T00:30:00+01:00", None),  # before datetime.min once moved to UTC
    ("yesterday", None),
    (None, None),
    (12345, None),
])
def test_device_times_are_read_or_refused_without_error(text, expected):
    assert parse_instant(text) == expected
