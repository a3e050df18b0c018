"""The hub's allotment pools (sync.allotments_router): the reserve of each
distribution day, the draws and releases against it, which laptop set up which day,
and the take-backs the hub confirmed. Tables in the hub's own database.

    remaining = reserve − Σ draws + Σ releases ≥ 0
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from fastapi import HTTPException

from app.points.codes import laptop_code, parse_instant
from sync.allotments_chain import (devices_of_laptop, recipient_state, synced_lead, table_exists,
                                   transfer_out, venue_day_synced)
from sync.allotments_models import Move, SetupClaim, TakeBackAsk, venue_key
from sync.db import Conn, Pool

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


class AllotmentStore:
    """The pools and moves, in the hub's database (or any sync.db URL)."""

    def __init__(self, pool: Pool) -> None:
        self.pool = pool
        with pool.conn() as c, c.transaction():
            for statement in _SCHEMA:
                c.execute(statement)
            # On the hub's own database the laptops' synced rows are next to the pools;
            # a router on a database of its own cannot see any chain.
            self.has_rows = table_exists(c, "hub_row") and table_exists(c, "hub_device")

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
                other = synced_lead(c, key, m.day, venue_day)
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
            if device == m.device_id and not (self.has_rows and venue_day_synced(c, found)):
                c.execute("UPDATE allot_setup SET venue_day = ?, created_at = ? WHERE venue_key = ? AND day = ?",
                          (venue_day, at, key, m.day))
                return {"venue_day": venue_day, "registered": True, "repeated": False}
            raise HTTPException(409, {**refused, "laptop": laptop_code(device), "since": since})

    # ---- take-back of an expired transfer code ------------------------------------------
    def take_back(self, venue_day: str, m: TakeBackAsk, now: datetime) -> dict:
        base = {"venue_day": venue_day, "code_id": m.code_id, "recipient": m.recipient, "count": m.count}
        if m.code_id.split("/")[0] != laptop_code(m.device_id):
            raise HTTPException(403, {"reason": "not_the_issuer"})
        expires = parse_instant(m.expires_at)
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
            issued = transfer_out(c, m.device_id, venue_day, m.code_id)
            if issued is not None and (issued.get("peer") != m.recipient or issued.get("amount") != m.count
                                       or parse_instant(issued.get("expires_at")) != expires):
                raise HTTPException(409, {"reason": "transfer_mismatch"})
            devices = devices_of_laptop(c, m.recipient, venue_day)
            if len(devices) != 1:
                return {**base, "confirmed": False,
                        "state": "recipient_unknown" if not devices else "recipient_ambiguous"}
            device = devices[0]
            if c.query_one("SELECT 1 FROM hub_conflict WHERE device_id = ?", (device,)) is not None:
                # Two histories for one laptop (a copied or restored data folder): no proof.
                return {**base, "confirmed": False, "state": "recipient_conflicts", "recipient_device": device}
            state, seq, when = recipient_state(c, device, venue_day, m.code_id, threshold)
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
