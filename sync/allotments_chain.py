"""Queries over the laptops' synced rows (hub_row: one row per chained row) for the
allotments router: which laptop set up a venue's day, and whether a transfer code's
recipient has provably not received it (see sync.allotments_router).
"""
from __future__ import annotations

import json
from datetime import datetime

from app.points.codes import laptop_code, parse_instant
from app.store import genesis_hash
from sync.allotments_models import venue_key
from sync.db import Conn

PAGE = 2000          # chain rows read per query while looking for the witness


def table_exists(c: Conn, name: str) -> bool:
    if c.dialect == "postgresql":
        return c.query_one("SELECT to_regclass(?) IS NOT NULL", (name,))[0]
    return c.query_one("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)) is not None


def rows_of(c: Conn, device_id: str, table: str) -> list[dict]:
    return [json.loads(d) for (d,) in c.query("SELECT data FROM hub_row WHERE device_id = ? AND tbl = ?",
                                              (device_id, table))]


def transfer_out(c: Conn, device_id: str, venue_day: str, code_id: str) -> dict | None:
    """The issuer's own row of the transfer, if it has synced it."""
    return next((r for r in rows_of(c, device_id, "points_allotment")
                 if r.get("kind") == "transfer_out" and r.get("venue_day") == venue_day
                 and r.get("code_id") == code_id), None)


def devices_of_laptop(c: Conn, laptop: str, venue_day: str) -> list[str]:
    """Every device the hub knows that answers to this laptop code: enrolled ones
    and any that synced a join of this day. More than one (a 25-bit code shared
    by chance) is no proof of anything."""
    found = {d for (d,) in c.query("SELECT id FROM hub_device") if laptop_code(d) == laptop}
    for device, data in c.query("SELECT device_id, data FROM hub_row WHERE tbl = 'points_venue_day'"):
        row = json.loads(data)
        if row.get("venue_day") == venue_day and row.get("laptop") == laptop:
            found.add(device)
    return sorted(found)


def recipient_state(c: Conn, device: str, venue_day: str, code_id: str,
                     threshold: datetime) -> tuple[str, int | None, str | None]:
    """('received'|'voided'|'expired_unreceived'|'waiting', witness seq, witness time)."""
    facts = {row.get("kind"): row for row in rows_of(c, device, "points_allotment")
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
            moment = parse_instant(text)
            if moment is not None and moment > threshold:
                return "expired_unreceived", int(seq), text
            expected, prev = int(seq) + 1, row_hash


def venue_day_synced(c: Conn, venue_day: str) -> bool:
    return any(json.loads(d).get("venue_day") == venue_day
               for (d,) in c.query("SELECT data FROM hub_row WHERE tbl = 'points_venue_day'"))


def synced_lead(c: Conn, key: str, day: str, venue_day: str) -> tuple[str, str] | None:
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
