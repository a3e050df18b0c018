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

Storage: two tables (`allot_pool`, `allot_move`) in the hub's own database — the
SQLite file or the PostgreSQL database given with `hub --db` — through the hub's
DB layer (sync/db.py), created with IF NOT EXISTS at start-up. In the hub's
database because a draw must be one transaction against one pool: with
PostgreSQL several hub processes may serve the same database, and a file of its
own next to one of them would split the pool (and the backup). On PostgreSQL a
draw locks its pool row (SELECT … FOR UPDATE); on SQLite BEGIN IMMEDIATE holds
the write lock. The hub mounts it through `sync.server.EXTENSIONS`
("sync.allotments_router:mount"), with the hub's device-token check.

Endpoints (JSON):
    GET  /v1/allotments/{venue_day}           the pool: reserve, drawn, released, remaining, per device
    POST /v1/allotments/{venue_day}/draw      {device_id, request_id, count, reserve, day} -> {granted, remaining}
    POST /v1/allotments/{venue_day}/release   {device_id, request_id, count, reserve, day} -> {released, remaining}
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from fastapi import APIRouter, Depends, FastAPI, HTTPException
from pydantic import BaseModel, Field

from sync.db import Conn, Pool

VENUE_DAY_RE = re.compile(r"^[0-9a-f]{16}$")
MAX_COUNT = 65535

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS allot_pool (
        venue_day TEXT PRIMARY KEY,
        reserve INTEGER NOT NULL CHECK (reserve >= 0),
        day TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS allot_move (
        request_id TEXT PRIMARY KEY,
        venue_day TEXT NOT NULL REFERENCES allot_pool(venue_day),
        device_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('draw', 'release')),
        asked INTEGER NOT NULL,
        amount INTEGER NOT NULL CHECK (amount >= 0),
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS allot_move_day ON allot_move (venue_day)",
)


class Move(BaseModel):
    device_id: str = Field(min_length=1, max_length=64)
    request_id: str = Field(min_length=8, max_length=64, pattern=r"^[0-9A-Za-z._:-]+$")
    count: int = Field(ge=1, le=MAX_COUNT)
    reserve: int = Field(ge=0, le=MAX_COUNT)
    day: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")


class AllotmentStore:
    """The pools and moves, in the hub's database (or any sync.db URL)."""

    def __init__(self, pool: Pool) -> None:
        self.pool = pool
        with pool.conn() as c, c.transaction():
            for statement in _SCHEMA:
                c.execute(statement)

    @staticmethod
    def summary(c: Conn, venue_day: str) -> dict | None:
        pool = c.query_one("SELECT reserve, day FROM allot_pool WHERE venue_day = ?", (venue_day,))
        if pool is None:
            return None
        sums = {kind: int(n) for kind, n in c.query(
            "SELECT kind, SUM(amount) FROM allot_move WHERE venue_day = ? GROUP BY kind", (venue_day,))}
        devices = {device: int(n) for device, n in c.query(
            "SELECT device_id, SUM(CASE kind WHEN 'draw' THEN amount ELSE -amount END)"
            " FROM allot_move WHERE venue_day = ? GROUP BY device_id ORDER BY device_id", (venue_day,))}
        drawn, released = sums.get("draw", 0), sums.get("release", 0)
        reserve = int(pool[0])
        return {"venue_day": venue_day, "day": pool[1], "reserve": reserve,
                "drawn": drawn, "released": released,
                "remaining": reserve - drawn + released, "devices": devices}

    def move(self, venue_day: str, kind: str, m: "Move", now: datetime) -> dict:
        at = now.isoformat(timespec="seconds")
        with self.pool.conn() as c, c.transaction():
            done = c.query_one("SELECT venue_day, device_id, kind, asked, amount FROM allot_move"
                               " WHERE request_id = ?", (m.request_id,))
            if done is not None:  # a retry: the stored answer, nothing drawn again
                if tuple(done[:4]) != (venue_day, m.device_id, kind, m.count):
                    raise HTTPException(409, {"reason": "request_id_reused"})
                return {"request_id": m.request_id, "amount": int(done[4]), "repeated": True,
                        **self.summary(c, venue_day)}
            c.execute("INSERT INTO allot_pool (venue_day, reserve, day, created_at) VALUES (?, ?, ?, ?)"
                      " ON CONFLICT (venue_day) DO NOTHING", (venue_day, m.reserve, m.day, at))
            # One draw at a time per pool: PostgreSQL locks the row; SQLite already
            # holds the database's write lock since BEGIN IMMEDIATE.
            lock = " FOR UPDATE" if c.dialect == "postgresql" else ""
            reserve, day = c.query_one(f"SELECT reserve, day FROM allot_pool WHERE venue_day = ?{lock}",
                                       (venue_day,))
            if (int(reserve), day) != (m.reserve, m.day):
                raise HTTPException(409, {"reason": "reserve_mismatch", "reserve": int(reserve), "day": day})
            remaining = self.summary(c, venue_day)["remaining"]
            amount = min(m.count, remaining) if kind == "draw" else m.count
            c.execute(
                "INSERT INTO allot_move (request_id, venue_day, device_id, kind, asked, amount, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (m.request_id, venue_day, m.device_id, kind, m.count, amount, at))
            return {"request_id": m.request_id, "amount": amount, "repeated": False,
                    **self.summary(c, venue_day)}

    def get(self, venue_day: str) -> dict | None:
        with self.pool.conn() as c:
            return self.summary(c, venue_day)


def _no_auth() -> None:
    return None


def _as_pool(target: Pool | Path | str) -> Pool:
    if isinstance(target, Pool):
        return target
    text = str(target)
    if text.startswith(("sqlite:", "postgresql:", "postgres:")):
        return Pool(text)
    return Pool(f"sqlite:///{Path(text).resolve()}")  # a plain file path: a SQLite file of its own


def build_allotments_router(target: Pool | Path | str, *,
                            device_auth: Callable[..., str | None] | None = None,
                            clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> APIRouter:
    """An APIRouter over the pools in `target`: the hub's connection pool, a
    database URL (sqlite:///… or postgresql://…) or a SQLite file path.
    `device_auth` is a FastAPI dependency returning the authenticated device id
    (the hub's device token check); the body's device_id must then match it."""
    store = AllotmentStore(_as_pool(target))
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
        """The pool of one distribution day: reserve, drawn, released, remaining, per device."""
        found = store.get(_day(venue_day))
        if found is None:
            raise HTTPException(404, {"reason": "venue_day_unknown"})
        return found

    @router.post("/{venue_day}/draw")
    def draw(venue_day: str, m: Move, device: str | None = Depends(auth)) -> dict:
        """Take up to `count` grants from the day's reserve (`granted` may be less, or 0)."""
        _check_device(m, device)
        out = store.move(_day(venue_day), "draw", m, clock())
        out["granted"] = out.pop("amount")
        return out

    @router.post("/{venue_day}/release")
    def release(venue_day: str, m: Move, device: str | None = Depends(auth)) -> dict:
        """Give `count` grants back to the day's reserve."""
        _check_device(m, device)
        out = store.move(_day(venue_day), "release", m, clock())
        out["released"] = out.pop("amount")
        return out

    router.allotment_store = store  # for tests and the office's status page
    return router


def mount(app: FastAPI) -> None:
    """`sync.server.EXTENSIONS` entry: the allotments router on the hub, stored in
    the hub's own database and behind its device-token check."""
    hub = getattr(app.state, "hub", None)
    target = hub.pool if hub is not None else app.state.db_url
    app.include_router(build_allotments_router(target, device_auth=app.state.device_auth))
