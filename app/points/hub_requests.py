"""Draws from and releases to the hub's reserve, kept on this laptop until the hub
answered them (tables points_hub_request / points_hub_answer, local only).

Why: the hub is idempotent by request id, but only if a retry uses the same id.
The id is therefore written here *before* the request goes out:

- a draw: `begin_draw` writes the request (or returns the pending one: a retry
  reuses it), the network call runs elsewhere, `finish_draw` records the hub's
  answer — the `hub_in` fact and the answer in one transaction. An answer lost on
  the way, a board closed meanwhile or a restart leaves the request pending; it
  is sent again with the same id and the hub answers with what it committed.
- a release: `begin_release` lowers the allotment (`hub_out`) and writes the
  request in one transaction; it is sent, and re-sent until `finish_release`.

So a lost message can lose grants for a while (the venue undershoots its cap),
never add any. The network part is app/points/hub_client.py (`send_request`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.errors import MadoguchiError
from app.ids import uuid7
from app.points.ledger import PointsStatus, _has, _require_venue, _stamp, status
from app.points.transfers import record_hub_draw, record_hub_release
from app.store import Store


@dataclass(frozen=True)
class HubRequest:
    request_id: str
    kind: str        # "draw" | "release"
    count: int
    asked_at: str


def pending(store: Store, opening_id: str) -> list[HubRequest]:
    """Requests of the opening's distribution day the hub has not answered yet."""
    if store.query_one("SELECT 1 FROM sqlite_master WHERE name = 'points_hub_request'") is None:
        return []  # a read-only store of an older version: nothing was ever asked
    return [HubRequest(r["request_id"], r["kind"], r["count"], r["asked_at"]) for r in store.query(
        "SELECT q.* FROM points_hub_request q WHERE q.opening_id = ? AND NOT EXISTS"
        " (SELECT 1 FROM points_hub_answer a WHERE a.request_id = q.request_id) ORDER BY q.asked_at, q.rowid",
        (opening_id,))]


def _insert(store: Store, venue_day: str, opening_id: str, kind: str, count: int, now: datetime) -> HubRequest:
    req = HubRequest(uuid7(), kind, count, _stamp(now))
    store.conn.execute(
        "INSERT INTO points_hub_request (request_id, venue_day, opening_id, kind, count, asked_at)"
        " VALUES (?, ?, ?, ?, ?, ?)", (req.request_id, venue_day, opening_id, kind, count, req.asked_at))
    return req


def _answer(store: Store, request_id: str, amount: int, now: datetime) -> None:
    store.conn.execute("INSERT OR IGNORE INTO points_hub_answer (request_id, amount, answered_at)"
                       " VALUES (?, ?, ?)", (request_id, amount, _stamp(now)))


def _request(store: Store, opening_id: str, request_id: str, kind: str):
    row = store.query_one("SELECT * FROM points_hub_request WHERE request_id = ? AND opening_id = ?"
                          " AND kind = ?", (request_id, opening_id, kind))
    if row is None:
        raise MadoguchiError("POINTS_HUB_REQUEST_UNKNOWN", request_id=request_id)
    return row


def begin_draw(store: Store, opening_id: str, count: int, *, now: datetime) -> tuple[HubRequest, bool]:
    """The request to send for a draw of `count`, and whether it is an earlier one
    still waiting for its answer (then that one is sent again, with its own id and
    count: the hub may have committed it already)."""
    with store.transaction():
        v = _require_venue(store, opening_id)
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= max(1, v["hub_reserve"]):
            raise MadoguchiError("POINTS_HUB_COUNT_INVALID", count=count, reserve=v["hub_reserve"])
        waiting = [r for r in pending(store, opening_id) if r.kind == "draw"]
        if waiting:
            return waiting[0], True
        return _insert(store, v["venue_day"], opening_id, "draw", count, now), False


def finish_draw(store: Store, opening_id: str, request_id: str, granted: int, *,
                now: datetime) -> PointsStatus:
    """The hub's answer to a draw: the allotment rises by `granted` (once per
    request id, however often the answer arrives)."""
    with store.transaction():
        _request(store, opening_id, request_id, "draw")
        st = record_hub_draw(store, opening_id, request_id, granted, now=now)
        _answer(store, request_id, granted, now)
    return st


def begin_release(store: Store, opening_id: str, count: int, *,
                  now: datetime) -> tuple[HubRequest, PointsStatus]:
    """Give `count` grants back to the hub's reserve: lowered here at once (so they
    can never be granted here and drawn elsewhere), then sent."""
    with store.transaction():
        v = _require_venue(store, opening_id)
        req = _insert(store, v["venue_day"], opening_id, "release", count, now)
        st = record_hub_release(store, opening_id, req.request_id, count, now=now)
    return req, st


def finish_release(store: Store, opening_id: str, request_id: str, released: int, *,
                   now: datetime) -> PointsStatus:
    with store.transaction():
        req = _request(store, opening_id, request_id, "release")
        if not _has(store, req["venue_day"], "hub_out", request_id):
            raise MadoguchiError("POINTS_HUB_REQUEST_UNKNOWN", request_id=request_id)
        _answer(store, request_id, released, now)
    return status(store, opening_id, now)


def finish(store: Store, opening_id: str, req: HubRequest, amount: int, *, now: datetime) -> PointsStatus:
    """Record the hub's answer to either kind of request."""
    fn = finish_draw if req.kind == "draw" else finish_release
    return fn(store, opening_id, req.request_id, amount, now=now)
