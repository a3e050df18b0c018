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

Two more questions only the hub can answer, because it holds every laptop's
synced chain (hub_row, through the same DB layer):

- One venue-day per venue and date (`/setup`): the lead laptop registers the
  day it sets up; a second set-up of the same venue and date — another laptop
  thinking it is the lead — would be a second cap, and is refused (409
  `venue_day_exists`), also when the first lead set up offline and has synced
  since (its points_venue_day row names the opening, whose row names the venue).
- Take-back of an expired transfer code (`/takeback`): laptop A asks whether the
  recipient B can still receive code C. B refuses C once any row of its own chain
  is dated after C's expiry (app/points/transfers.py, receive_transfer), whatever
  its clock says later. So if the hub holds B's chain from seq 1 without a gap
  or break up to a row dated after expiry + margin, and no `transfer_in` of C in
  it, B has not received C and never will: A may take the grants back. (Or B
  voided C: also final.) Each confirmation is stored (allot_takeback) and
  answered again the same way. See docs/qr.md, "How grants come back".

Endpoints (JSON):
    GET  /v1/allotments/{venue_day}           the pool: reserve, drawn, released, remaining, per device
    POST /v1/allotments/{venue_day}/draw      {device_id, request_id, count, reserve, day} -> {granted, remaining}
    POST /v1/allotments/{venue_day}/release   {device_id, request_id, count, reserve, day} -> {released, remaining}
    POST /v1/allotments/{venue_day}/setup     {device_id, profile, venue, municipality, day} -> {registered}
    POST /v1/allotments/{venue_day}/takeback  {device_id, code_id, recipient, count, expires_at, margin_min}
                                              -> {confirmed, state, witness_seq, witness_time, ...}
"""
from __future__ import annotations

import json
import re
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from fastapi import APIRouter, Depends, FastAPI, HTTPException
from pydantic import BaseModel, Field, field_validator

from app.points.codes import laptop_code, parse_instant
from app.store import genesis_hash
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
    # One distribution day per venue and date (venue_key: profile|municipality|venue).
    """CREATE TABLE IF NOT EXISTS allot_setup (
        venue_key TEXT NOT NULL,
        day TEXT NOT NULL,
        venue_day TEXT NOT NULL,
        device_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (venue_key, day)
    )""",
    # Take-backs the hub confirmed (for the office, and the same answer again).
    """CREATE TABLE IF NOT EXISTS allot_takeback (
        venue_day TEXT NOT NULL,
        code_id TEXT NOT NULL,
        sender_device TEXT NOT NULL,
        recipient TEXT NOT NULL,
        recipient_device TEXT NOT NULL,
        state TEXT NOT NULL,
        witness_seq BIGINT,
        witness_time TEXT,
        confirmed_at TEXT NOT NULL,
        PRIMARY KEY (venue_day, code_id)
    )""",
)
PAGE = 2000          # chain rows read per query while looking for the witness
LAPTOP_RE = r"^[0-9A-Z]{3}-[0-9A-Z]{3}$"
DAY_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"  # ASCII digits only (a bare \d takes ２０２６ too)


class Move(BaseModel):
    device_id: str = Field(min_length=1, max_length=64)
    request_id: str = Field(min_length=8, max_length=64, pattern=r"^[0-9A-Za-z._:-]+$")
    count: int = Field(ge=1, le=MAX_COUNT)
    reserve: int = Field(ge=0, le=MAX_COUNT)
    day: str = Field(pattern=DAY_RE)


class SetupClaim(BaseModel):
    device_id: str = Field(min_length=1, max_length=64)
    profile: str = Field(min_length=1, max_length=64)
    venue: str = Field(min_length=1, max_length=200)
    municipality: str = Field(min_length=1, max_length=64)
    day: str = Field(pattern=DAY_RE)

    @field_validator("profile", "venue", "municipality")
    @classmethod
    def _printable(cls, value: str) -> str:
        # Stored as text: PostgreSQL refuses NUL (a 500 before), and a name with
        # control characters is no venue anyone typed. (Not isprintable(): that
        # refuses the full-width space of 「夢メッセ　みやぎ」 too.)
        if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
            raise ValueError("control characters are not allowed")
        return value


class TakeBackAsk(BaseModel):
    device_id: str = Field(min_length=1, max_length=64)
    code_id: str = Field(pattern=r"^[0-9A-Z]{3}-[0-9A-Z]{3}/[0-9A-Z]{4}$")
    recipient: str = Field(pattern=LAPTOP_RE)
    count: int = Field(ge=1, le=MAX_COUNT)
    expires_at: str = Field(min_length=16, max_length=40)
    margin_min: int = Field(ge=0, le=255)


def venue_key(profile: str, municipality: str, venue: str) -> str:
    """The same venue however it was typed (full/half width, spaces, case)."""
    def norm(text: str) -> str:
        return "".join(unicodedata.normalize("NFKC", text).casefold().split())
    return f"{norm(profile)}|{norm(municipality)}|{norm(venue)}"


class AllotmentStore:
    """The pools and moves, in the hub's database (or any sync.db URL)."""

    def __init__(self, pool: Pool) -> None:
        self.pool = pool
        with pool.conn() as c, c.transaction():
            for statement in _SCHEMA:
                c.execute(statement)
            # On the hub's own database the laptops' synced rows are next to the pools;
            # a router on a database of its own cannot see any chain.
            self.has_rows = _table_exists(c, "hub_row") and _table_exists(c, "hub_device")

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


    # ---- one venue-day per venue and date --------------------------------------------
    def claim_setup(self, venue_day: str, m: SetupClaim, now: datetime) -> dict:
        key = venue_key(m.profile, m.municipality, m.venue)
        at = now.isoformat(timespec="seconds")
        refused = {"reason": "venue_day_exists", "venue": m.venue, "day": m.day}
        with self.pool.conn() as c, c.transaction():
            if self.has_rows:  # a lead that set up offline and has synced since
                other = _synced_lead(c, key, m.day, venue_day)
                if other is not None:
                    raise HTTPException(409, {**refused, "laptop": laptop_code(other[0]), "since": other[1]})
            new = c.execute("INSERT INTO allot_setup (venue_key, day, venue_day, device_id, created_at)"
                            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (venue_key, day) DO NOTHING",
                            (key, m.day, venue_day, m.device_id, at)).rowcount == 1
            found, device, since = c.query_one("SELECT venue_day, device_id, created_at FROM allot_setup"
                                               " WHERE venue_key = ? AND day = ?", (key, m.day))
            if found == venue_day:
                return {"venue_day": venue_day, "registered": True, "repeated": not new}
            # The same laptop again with a new day that never got used (its set-up
            # failed after registering): the new one replaces it.
            if device == m.device_id and not (self.has_rows and _venue_day_synced(c, found)):
                c.execute("UPDATE allot_setup SET venue_day = ?, created_at = ? WHERE venue_key = ? AND day = ?",
                          (venue_day, at, key, m.day))
                return {"venue_day": venue_day, "registered": True, "repeated": False}
            raise HTTPException(409, {**refused, "laptop": laptop_code(device), "since": since})

    # ---- take-back of an expired transfer code ------------------------------------------
    def take_back(self, venue_day: str, m: TakeBackAsk, now: datetime) -> dict:
        base = {"venue_day": venue_day, "code_id": m.code_id, "recipient": m.recipient, "count": m.count}
        if m.code_id.split("/")[0] != laptop_code(m.device_id):
            raise HTTPException(403, {"reason": "not_the_issuer"})
        expires = _instant(m.expires_at)
        if expires is None or "T" not in m.expires_at:
            raise HTTPException(422, {"reason": "expires_at_invalid"})
        try:
            threshold = expires + timedelta(minutes=m.margin_min)
        except OverflowError:  # past year 9999: no row can be dated after it
            threshold = datetime.max.replace(tzinfo=timezone.utc)
        with self.pool.conn() as c:
            done = c.query_one("SELECT recipient, recipient_device, state, witness_seq, witness_time, confirmed_at"
                               " FROM allot_takeback WHERE venue_day = ? AND code_id = ?", (venue_day, m.code_id))
            if done is not None:
                if done[0] != m.recipient:
                    raise HTTPException(409, {"reason": "transfer_mismatch"})
                return {**base, "confirmed": True, "state": done[2], "recipient_device": done[1],
                        "witness_seq": None if done[3] is None else int(done[3]), "witness_time": done[4],
                        "confirmed_at": done[5], "repeated": True}
            if not self.has_rows:
                return {**base, "confirmed": False, "state": "no_rows"}
            issued = _transfer_out(c, m.device_id, venue_day, m.code_id)
            if issued is not None and (issued.get("peer") != m.recipient or issued.get("amount") != m.count
                                       or _instant(issued.get("expires_at")) != expires):
                raise HTTPException(409, {"reason": "transfer_mismatch"})
            devices = _devices_of_laptop(c, m.recipient, venue_day)
            if len(devices) != 1:
                return {**base, "confirmed": False,
                        "state": "recipient_unknown" if not devices else "recipient_ambiguous"}
            device = devices[0]
            if c.query_one("SELECT 1 FROM hub_conflict WHERE device_id = ?", (device,)) is not None:
                # Two histories for one laptop (a copied or restored data folder): no proof.
                return {**base, "confirmed": False, "state": "recipient_conflicts", "recipient_device": device}
            state, seq, when = _recipient_state(c, device, venue_day, m.code_id, threshold)
        if state not in ("expired_unreceived", "voided"):
            return {**base, "confirmed": False, "state": state, "recipient_device": device}
        at = now.isoformat(timespec="seconds")
        with self.pool.conn() as c, c.transaction():
            c.execute("INSERT INTO allot_takeback (venue_day, code_id, sender_device, recipient, recipient_device,"
                      " state, witness_seq, witness_time, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                      " ON CONFLICT (venue_day, code_id) DO NOTHING",
                      (venue_day, m.code_id, m.device_id, m.recipient, device, state, seq, when, at))
            at = c.query_one("SELECT confirmed_at FROM allot_takeback WHERE venue_day = ? AND code_id = ?",
                             (venue_day, m.code_id))[0]
        return {**base, "confirmed": True, "state": state, "recipient_device": device, "witness_seq": seq,
                "witness_time": when, "confirmed_at": at, "repeated": False}


# ---- queries over the laptops' synced rows (hub_row: one row per chained row) -----------

def _instant(text) -> datetime | None:
    """app.points.codes.parse_instant, and None also for a time that cannot be moved
    to UTC (e.g. 9999-12-31T23:59-23:59, past year 9999): such a text names no
    moment the laptops could have recorded."""
    try:
        return parse_instant(text)
    except OverflowError:
        return None


def _table_exists(c: Conn, name: str) -> bool:
    if c.dialect == "postgresql":
        return c.query_one("SELECT to_regclass(?) IS NOT NULL", (name,))[0]
    return c.query_one("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)) is not None


def _rows_of(c: Conn, device_id: str, table: str) -> list[dict]:
    return [json.loads(d) for (d,) in c.query("SELECT data FROM hub_row WHERE device_id = ? AND tbl = ?",
                                              (device_id, table))]


def _transfer_out(c: Conn, device_id: str, venue_day: str, code_id: str) -> dict | None:
    """The issuer's own row of the transfer, if it has synced it."""
    return next((r for r in _rows_of(c, device_id, "points_allotment")
                 if r.get("kind") == "transfer_out" and r.get("venue_day") == venue_day
                 and r.get("code_id") == code_id), None)


def _devices_of_laptop(c: Conn, laptop: str, venue_day: str) -> list[str]:
    """Every device the hub knows that answers to this laptop code: enrolled ones
    and any that synced a join of this day. More than one (a 25-bit code shared
    by chance) is no proof of anything."""
    found = {d for (d,) in c.query("SELECT id FROM hub_device") if laptop_code(d) == laptop}
    for device, data in c.query("SELECT device_id, data FROM hub_row WHERE tbl = 'points_venue_day'"):
        row = json.loads(data)
        if row.get("venue_day") == venue_day and row.get("laptop") == laptop:
            found.add(device)
    return sorted(found)


def _recipient_state(c: Conn, device: str, venue_day: str, code_id: str,
                     threshold: datetime) -> tuple[str, int | None, str | None]:
    """('received'|'voided'|'expired_unreceived'|'waiting', witness seq, witness time)."""
    facts = {row.get("kind"): row for row in _rows_of(c, device, "points_allotment")
             if row.get("venue_day") == venue_day and row.get("code_id") == code_id}
    if "transfer_in" in facts:
        return "received", None, None
    if "transfer_void" in facts:  # B's decision never to receive it (B checks it has not)
        void = facts["transfer_void"]
        return "voided", int(void["seq"]), void.get("device_time")
    # Walk the chain from its start: every row present and linked, until one is dated
    # past the threshold. A transfer_in before it would have been found above.
    expected, prev = 1, genesis_hash(device)
    while True:
        page = c.query("SELECT seq, prev_hash, hash, data FROM hub_row WHERE device_id = ? AND seq >= ?"
                       " ORDER BY seq LIMIT ?", (device, expected, PAGE))
        if not page:
            return "waiting", None, None
        for seq, prev_hash, row_hash, data in page:
            if int(seq) != expected or prev_hash != prev:
                return "waiting", None, None  # a gap (not synced yet) or a break
            text = json.loads(data).get("device_time")
            moment = _instant(text)
            if moment is not None and moment > threshold:
                return "expired_unreceived", int(seq), text
            expected, prev = int(seq) + 1, row_hash


def _venue_day_synced(c: Conn, venue_day: str) -> bool:
    return any(json.loads(d).get("venue_day") == venue_day
               for (d,) in c.query("SELECT data FROM hub_row WHERE tbl = 'points_venue_day'"))


def _synced_lead(c: Conn, key: str, day: str, venue_day: str) -> tuple[str, str] | None:
    """(device, issued_at) of a lead laptop's synced set-up of another distribution
    day at the same venue and date, if any."""
    for device, data in c.query("SELECT device_id, data FROM hub_row WHERE tbl = 'points_venue_day'"):
        row = json.loads(data)
        if row.get("role") != "lead" or row.get("day") != day or row.get("venue_day") == venue_day:
            continue
        found = c.query_one("SELECT data FROM hub_row WHERE tbl = 'opening' AND id = ?", (row.get("opening_id"),))
        if found is None:
            continue
        opening = json.loads(found[0])
        if venue_key(str(opening.get("profile")), str(opening.get("municipality")),
                     str(opening.get("venue"))) == key:
            return device, str(row.get("issued_at"))
    return None


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
        if not VENUE_DAY_RE.fullmatch(venue_day):  # match() let "…\n" through
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

    @router.post("/{venue_day}/setup")
    def setup(venue_day: str, m: SetupClaim, device: str | None = Depends(auth)) -> dict:
        """Register the distribution day a lead laptop sets up; a second one for the
        same venue and date is refused (409 venue_day_exists)."""
        if device is not None and device != m.device_id:
            raise HTTPException(403, {"reason": "device_mismatch"})
        return store.claim_setup(_day(venue_day), m, clock())

    @router.post("/{venue_day}/takeback")
    def takeback(venue_day: str, m: TakeBackAsk, device: str | None = Depends(auth)) -> dict:
        """May the issuer take an expired transfer code's grants back? `confirmed`
        only with proof from the recipient's synced chain; `state` says why not."""
        if device is not None and device != m.device_id:
            raise HTTPException(403, {"reason": "device_mismatch"})
        return store.take_back(_day(venue_day), m, clock())

    router.allotment_store = store  # for tests and the office's status page
    return router


def mount(app: FastAPI) -> None:
    """`sync.server.EXTENSIONS` entry: the allotments router on the hub, stored in
    the hub's own database and behind its device-token check."""
    hub = getattr(app.state, "hub", None)
    target = hub.pool if hub is not None else app.state.db_url
    app.include_router(build_allotments_router(target, device_auth=app.state.device_auth))
