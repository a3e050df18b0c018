"""What the store keeps about photos: facts, never the image.

- consent: the staff went through the J-LIS checkpoints with the applicant;
- printed: a sheet of `copies` photos was printed; the first print of a capture also
  taps the profile's `photo` counter (写真撮影件数), so a reprint is not counted twice;
- deleted: the photo's buffers were overwritten (after printing, or declined, or
  discarded by the staff), with the time and the opening.

Rows are chained through Store.append like tallies (table photo_event).
"""
from __future__ import annotations

import logging
from datetime import datetime

from app import tallies
from app.errors import MadoguchiError
from app.ids import uuid7
from app.openings import get_opening
from app.profiles import get_profile
from app.store import Store

log = logging.getLogger("madoguchi.photo.facts")

PHOTO_COUNTER = "photo"
DELETION_REASONS = ("printed", "declined", "discarded")


def _append(store: Store, opening_id: str, capture_id: str, event: str, now: datetime, *,
            copies: int = 0, sheet: str = "", reason: str = "") -> dict:
    return store.append("photo_event", {
        "id": uuid7(), "opening_id": opening_id, "capture_id": capture_id, "event": event,
        "copies": copies, "sheet": sheet, "reason": reason,
        "device_time": now.isoformat(timespec="milliseconds")})


def _open_opening(store: Store, opening_id: str):
    opening = get_opening(store, opening_id)
    if opening.closed:
        raise MadoguchiError("OPENING_CLOSED", opening=opening_id)
    return opening


def record_consent(store: Store, opening_id: str, capture_id: str, *, now: datetime) -> dict:
    _open_opening(store, opening_id)
    with store.transaction():
        row = _append(store, opening_id, capture_id, "consent", now)
    log.info("photo consent recorded opening=%s", opening_id)
    return row


def record_printed(store: Store, opening_id: str, capture_id: str, *, copies: int, sheet: str,
                   now: datetime) -> dict:
    """A printed sheet. Counts the photo once per capture on the profile's counter."""
    opening = _open_opening(store, opening_id)
    if copies < 1:
        raise ValueError("copies must be at least 1")
    first = store.query_one("SELECT 1 FROM photo_event WHERE capture_id = ? AND event = 'printed'",
                            (capture_id,)) is None
    profile = get_profile(opening.profile)
    with store.transaction():
        row = _append(store, opening_id, capture_id, "printed", now, copies=copies, sheet=sheet)
        if first and profile.has_counter(PHOTO_COUNTER) and not profile.counter(PHOTO_COUNTER).dimensions:
            tallies.tap(store, opening_id, PHOTO_COUNTER, {}, now=now)
    log.info("photo printed opening=%s copies=%d sheet=%s first=%s", opening_id, copies, sheet, first)
    return row


def record_deletion(store: Store, opening_id: str, capture_id: str, *, reason: str, now: datetime) -> dict:
    """Recorded even after the day was closed: the deletion happened either way."""
    if reason not in DELETION_REASONS:
        raise ValueError(f"unknown deletion reason {reason!r}")
    get_opening(store, opening_id)
    with store.transaction():
        row = _append(store, opening_id, capture_id, "deleted", now, reason=reason)
    log.info("photo deleted opening=%s reason=%s", opening_id, reason)
    return row


def photo_counts(store: Store, opening_id: str) -> dict:
    """Consents, printed photos (captures), copies printed and deletions of an opening."""
    row = store.query_one(
        "SELECT"
        " COUNT(DISTINCT CASE WHEN event = 'consent' THEN capture_id END) AS consents,"
        " COUNT(DISTINCT CASE WHEN event = 'printed' THEN capture_id END) AS printed,"
        " COALESCE(SUM(CASE WHEN event = 'printed' THEN copies END), 0) AS copies,"
        " COUNT(DISTINCT CASE WHEN event = 'deleted' THEN capture_id END) AS deleted"
        " FROM photo_event WHERE opening_id = ?", (opening_id,))
    return {"consents": row["consents"], "printed": row["printed"], "copies": row["copies"],
            "deleted": row["deleted"]}


def deletions(store: Store, opening_id: str) -> list[dict]:
    return [dict(r) for r in store.query(
        "SELECT capture_id, reason, device_time FROM photo_event"
        " WHERE opening_id = ? AND event = 'deleted' ORDER BY seq", (opening_id,))]
