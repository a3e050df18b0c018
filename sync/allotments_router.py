"""Hub side of point-distribution allotments (issue 6): the hub's reserve of one
distribution day, from which laptops that are online draw blocks of grants.

The lead laptop's join code may set aside part of the venue-day cap as the hub's
reserve (`reserve`). The first draw for a day creates its pool with that reserve;
later requests must name the same reserve. The hub never hands out more than the
pool holds:

    remaining = reserve − Σ draws + Σ releases ≥ 0

Every request carries a client-made `request_id`: a retried request returns the
stored answer instead of drawing again, so a lost answer never counts twice. The
laptop records a draw only after the hub answered, and lowers its own allotment
before it sends a release, so an interrupted exchange can lose grants, never add.

Storage is one small SQLite file of its own (two tables), independent of the
hub's row store. The lead includes the router into the hub app:

    from sync.allotments_router import build_allotments_router
    app.include_router(build_allotments_router(data_dir / "allotments.sqlite3",
                                               device_auth=<dependency returning the device id>))

Endpoints (JSON):
    GET  /v1/allotments/{venue_day}           the pool: reserve, drawn, released, remaining, per device
    POST /v1/allotments/{venue_day}/draw      {device_id, request_id, count, reserve, day} -> {granted, remaining}
    POST /v1/allotments/{venue_day}/release   {device_id, request_id, count, reserve, day} -> {released, remaining}
"""
from __future__ import annotations

import contextlib
import re
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field

VENUE_DAY_RE = re.compile(r"^[0-9a-f]{16}$")
MAX_COUNT = 65535

_SCHEMA = """
CREATE TABLE IF NOT EXISTS allot_pool (
    venue_day TEXT PRIMARY KEY,
    reserve INTEGER NOT NULL CHECK (reserve >= 0),
    day TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS allot_move (
    request_id TEXT PRIMARY KEY,
    venue_day TEXT NOT NULL REFERENCES allot_pool(venue_day),
    device_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('draw', 'release')),
    asked INTEGER NOT NULL,
    amount INTEGER NOT NULL CHECK (amount >= 0),
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS allot_move_day ON allot_move (venue_day);
"""


class Move(BaseModel):
    device_id: str = Field(min_length=1, max_length=64)
    request_id: str = Field(min_length=8, max_length=64, pattern=r"^[0-9A-Za-z._:-]+$")
    count: int = Field(ge=1, le=MAX_COUNT)
    reserve: int = Field(ge=0, le=MAX_COUNT)
    day: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")


class AllotmentStore:
    """The pools and moves, in one SQLite file. One writer at a time (BEGIN IMMEDIATE)."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode = WAL")
            for statement in _SCHEMA.strip().split(";"):
                if statement.strip():
                    conn.execute(statement)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=10)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA synchronous = FULL")
        try:
            yield conn
        finally:
            conn.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    @staticmethod
    def summary(conn: sqlite3.Connection, venue_day: str) -> dict | None:
        pool = conn.execute("SELECT * FROM allot_pool WHERE venue_day = ?", (venue_day,)).fetchone()
        if pool is None:
            return None
        sums = {r["kind"]: r["n"] for r in conn.execute(
            "SELECT kind, SUM(amount) AS n FROM allot_move WHERE venue_day = ? GROUP BY kind", (venue_day,))}
        devices = {r["device_id"]: r["n"] for r in conn.execute(
            "SELECT device_id, SUM(CASE kind WHEN 'draw' THEN amount ELSE -amount END) AS n"
            " FROM allot_move WHERE venue_day = ? GROUP BY device_id ORDER BY device_id", (venue_day,))}
        drawn, released = sums.get("draw", 0), sums.get("release", 0)
        return {"venue_day": venue_day, "day": pool["day"], "reserve": pool["reserve"],
                "drawn": drawn, "released": released,
                "remaining": pool["reserve"] - drawn + released, "devices": devices}

    def move(self, venue_day: str, kind: str, m: Move, now: datetime) -> dict:
        with self.transaction() as conn:
            done = conn.execute("SELECT * FROM allot_move WHERE request_id = ?", (m.request_id,)).fetchone()
            if done is not None:  # a retry: the stored answer, nothing drawn again
                if (done["venue_day"], done["device_id"], done["kind"], done["asked"]) != \
                        (venue_day, m.device_id, kind, m.count):
                    raise HTTPException(409, {"reason": "request_id_reused"})
                return {"request_id": m.request_id, "amount": done["amount"], "repeated": True,
                        **self.summary(conn, venue_day)}
            pool = conn.execute("SELECT * FROM allot_pool WHERE venue_day = ?", (venue_day,)).fetchone()
            if pool is None:
                conn.execute("INSERT INTO allot_pool (venue_day, reserve, day, created_at) VALUES (?, ?, ?, ?)",
                             (venue_day, m.reserve, m.day, now.isoformat(timespec="seconds")))
            elif (pool["reserve"], pool["day"]) != (m.reserve, m.day):
                raise HTTPException(409, {"reason": "reserve_mismatch", "reserve": pool["reserve"],
                                          "day": pool["day"]})
            remaining = self.summary(conn, venue_day)["remaining"]
            amount = min(m.count, remaining) if kind == "draw" else m.count
            conn.execute(
                "INSERT INTO allot_move (request_id, venue_day, device_id, kind, asked, amount, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (m.request_id, venue_day, m.device_id, kind, m.count, amount, now.isoformat(timespec="seconds")))
            return {"request_id": m.request_id, "amount": amount, "repeated": False,
                    **self.summary(conn, venue_day)}

    def get(self, venue_day: str) -> dict | None:
        with self._connect() as conn:
            return self.summary(conn, venue_day)


def _no_auth() -> None:
    return None


def build_allotments_router(path: Path | str, *, device_auth: Callable[..., str | None] | None = None,
                            clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> APIRouter:
    """An APIRouter over the pool file at `path`. `device_auth` is a FastAPI
    dependency returning the authenticated device id (the hub's device token
    check); the body's device_id must then match it."""
    store = AllotmentStore(path)
    auth = device_auth or _no_auth
    router = APIRouter(prefix="/v1/allotments", tags=["allotments"])

    def _day(venue_day: str) -> str:
        if not VENUE_DAY_RE.match(venue_day):
            raise HTTPException(422, {"reason": "venue_day_invalid"})
        return venue_day

    def _check_device(m: Move, device: str | None) -> None:
        if device is not None and device != m.device_id:
            raise HTTPException(403, {"reason": "device_mismatch"})

    @router.get("/{venue_day}")
    def get_pool(venue_day: str, _device: str | None = Depends(auth)) -> dict:
        found = store.get(_day(venue_day))
        if found is None:
            raise HTTPException(404, {"reason": "venue_day_unknown"})
        return found

    @router.post("/{venue_day}/draw")
    def draw(venue_day: str, m: Move, device: str | None = Depends(auth)) -> dict:
        _check_device(m, device)
        out = store.move(_day(venue_day), "draw", m, clock())
        out["granted"] = out.pop("amount")
        return out

    @router.post("/{venue_day}/release")
    def release(venue_day: str, m: Move, device: str | None = Depends(auth)) -> dict:
        _check_device(m, device)
        out = store.move(_day(venue_day), "release", m, clock())
        out["released"] = out.pop("amount")
        return out

    router.allotment_store = store  # for tests and the office's status page
    return router
