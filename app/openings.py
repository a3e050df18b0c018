"""Openings (実施回): one booth opening at one venue on one day, and closing the day."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, datetime

from app import refdata
from app.errors import MadoguchiError
from app.ids import uuid7
from app.profiles import Profile, get_profile
from app.reason_screen import screen_confirmed_by
from app.store import Store

log = logging.getLogger("madoguchi.openings")


@dataclass(frozen=True)
class Opening:
    id: str
    device_id: str
    profile: str
    kind: str
    venue: str
    municipality: str
    date: date
    large: bool
    staff: int
    opened_at: str
    closed_at: str | None

    @property
    def region(self) -> refdata.Choice:
        """Derived from the municipality, never typed: reports group by it."""
        return refdata.region_of(self.municipality)

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    def to_dict(self) -> dict:
        return {
            "id": self.id, "device_id": self.device_id, "profile": self.profile,
            "kind": self.kind, "venue": self.venue, "municipality": self.municipality,
            "region": self.region.key, "region_ja": self.region.label_ja,
            "date": self.date.isoformat(), "large": self.large, "staff": self.staff,
            "opened_at": self.opened_at, "closed_at": self.closed_at,
        }


_SELECT = """
    SELECT o.*, (SELECT MIN(c.closed_at) FROM closing c WHERE c.opening_id = o.id) AS closed_at
    FROM opening o
"""


def _from_row(row) -> Opening:
    return Opening(
        id=row["id"], device_id=row["device_id"], profile=row["profile"], kind=row["kind"],
        venue=row["venue"], municipality=row["municipality"],
        date=date.fromisoformat(row["date"]), large=bool(row["large"]), staff=row["staff"],
        opened_at=row["opened_at"], closed_at=row["closed_at"])


def parse_date(value: str | date) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise MadoguchiError("DATE_INVALID", value=value) from None


def open_opening(store: Store, *, profile: str | Profile, kind: str, venue: str,
                 municipality: str, date: str | date, large: bool, staff: int | str,
                 now: datetime, opening_id: str | None = None) -> Opening:
    """Start one opening. Validates everything before writing anything."""
    prof = profile if isinstance(profile, Profile) else get_profile(profile)
    kinds = [k.key for k in prof.opening_kinds]
    if kind not in kinds:
        raise MadoguchiError("OPENING_KIND_UNKNOWN", kind=kind, profile=prof.key,
                             allowed=", ".join(kinds))
    venue = (venue or "").strip()
    if not venue:
        raise MadoguchiError("VENUE_REQUIRED")
    # Store the canonical name (塩釜市 -> 塩竈市) so reports group one town once.
    municipality = refdata.find_municipality(municipality).key
    staff_n = _parse_staff(staff)
    day = parse_date(date)
    oid = opening_id or uuid7()
    with store.transaction():
        store.append("opening", {
            "id": oid, "profile": prof.key, "kind": kind, "venue": venue,
            "municipality": municipality, "date": day.isoformat(), "large": int(bool(large)),
            "staff": staff_n, "opened_at": now.isoformat(timespec="milliseconds"),
        })
    log.info("opened %s profile=%s kind=%s", oid, prof.key, kind)
    return get_opening(store, oid)


def _parse_staff(staff: int | str) -> int:
    text = str(staff).strip()
    if isinstance(staff, bool) or not text.isdigit() or int(text) < 1:
        raise MadoguchiError("STAFF_INVALID", staff=staff)
    return int(text)


def get_opening(store: Store, opening_id: str) -> Opening:
    row = store.query_one(_SELECT + " WHERE o.id = ?", (opening_id,))
    if row is None:
        raise MadoguchiError("OPENING_NOT_FOUND", opening=opening_id)
    return _from_row(row)


def list_openings(store: Store) -> list[Opening]:
    return [_from_row(r) for r in store.query(_SELECT + " ORDER BY o.date, o.opened_at")]


def resumable_openings(store: Store, day: date) -> list[Opening]:
    """This laptop's openings of the day that are not closed yet: after a restart the
    staff pick up where they were without retyping."""
    rows = store.query(_SELECT + " WHERE o.date = ? AND o.device_id = ? ORDER BY o.opened_at DESC",
                       (day.isoformat(), store.device_id))
    return [o for o in map(_from_row, rows) if not o.closed]


def close_opening(store: Store, opening_id: str, *, now: datetime, confirmed_by: str = "") -> Opening:
    """Freeze the day. The summary the supervisor confirmed is kept with the closing,
    so later amendments stay visible against it."""
    from app.tallies import totals  # tallies imports this module

    opening = get_opening(store, opening_id)
    if opening.closed:
        raise MadoguchiError("ALREADY_CLOSED", opening=opening_id)
    # The name syncs and is printed on the daily report: a name, nothing else.
    confirmed_by = screen_confirmed_by(confirmed_by)
    summary = {k: v["total"] for k, v in totals(store, opening_id).items()}
    with store.transaction():
        store.append("closing", {
            "id": uuid7(), "opening_id": opening_id,
            "closed_at": now.isoformat(timespec="milliseconds"),
            "confirmed_by": confirmed_by,
            "summary": json.dumps(summary, sort_keys=True, ensure_ascii=False),
        })
    log.info("closed %s", opening_id)
    return get_opening(store, opening_id)
