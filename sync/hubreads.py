"""What the office reads from the hub (conflicts, merged rows page by page, counts,
grouped totals) and the plan of openings it sets for the laptops to pull.
"""
from __future__ import annotations

import json
import logging
from datetime import date, datetime
from typing import TYPE_CHECKING

from app.errors import MadoguchiError
from sync.db import Pool
from sync.hubschema import stamp
from sync.totals import group_totals

if TYPE_CHECKING:
    from sync.hub import Limits

log = logging.getLogger("madoguchi.sync.hub")  # one logger for all of the hub's modules


class HubReads:
    """sync.hub.Hub's reading side and plan (a mixin over the hub's connection pool)."""

    pool: Pool
    limits: Limits

    # ---- reading -------------------------------------------------------------------
    def conflicts(self) -> list[dict]:
        with self.pool.conn() as c:
            rows = c.query("SELECT tbl, row_id, device_id, seq, problem, existing_hash, incoming_hash,"
                           " received_at, source FROM hub_conflict ORDER BY received_at, tbl, row_id")
        keys = ("table", "id", "device_id", "seq", "problem", "existing_hash", "incoming_hash",
                "received_at", "source")
        return [dict(zip(keys, r)) | {"seq": int(r[3])} for r in rows]

    def rows_page(self, after_device: str, after_seq: int, limit: int) -> list[dict]:
        """Merged rows in (device, seq) order: a page ends at a row that is complete
        in the database, so paging while booths push never skips a row."""
        limit = max(1, min(limit, self.limits.max_page_rows))
        with self.pool.conn() as c:
            rows = c.query("SELECT tbl, hash, data FROM hub_row"
                           " WHERE device_id > ? OR (device_id = ? AND seq > ?)"
                           " ORDER BY device_id, seq LIMIT ?", (after_device, after_device, after_seq, limit))
        out = []
        for tbl, h, data in rows:
            values = json.loads(data)
            values["table"] = tbl
            values["hash"] = h
            out.append(values)
        return out

    def stats(self) -> dict:
        with self.pool.conn() as c:
            per_table = {t: int(n) for t, n in c.query("SELECT tbl, COUNT(*) FROM hub_row GROUP BY tbl")}
            conflicts = int(c.query_one("SELECT COUNT(*) FROM hub_conflict")[0])
            devices = int(c.query_one("SELECT COUNT(*) FROM hub_device")[0])
        return {"rows": per_table, "conflicts": conflicts, "devices": devices}

    def totals(self, by: list[str]) -> list[dict]:
        openings, sums = {}, {}
        with self.pool.conn() as c:
            for (data,) in c.query("SELECT data FROM hub_row WHERE tbl = 'opening'"):
                o = json.loads(data)
                openings[o["id"]] = o
            for (data,) in c.query("SELECT data FROM hub_row WHERE tbl = 'tally'"):
                t = json.loads(data)
                key = (t["opening_id"], t["counter"], t["dims"])
                sums[key] = sums.get(key, 0) + int(t["delta"])
        return group_totals(openings, ((*k, n) for k, n in sums.items()), by)

    # ---- the office's plan -----------------------------------------------------------
    def plan(self) -> dict:
        with self.pool.conn() as c:
            rows = c.query("SELECT data, updated_at FROM hub_plan ORDER BY id")
        openings = sorted((json.loads(d) for d, _ in rows), key=lambda o: (o["date"], o["venue"], o["id"]))
        updated = max((u for _, u in rows), default=None)
        return {"openings": openings, "updated_at": updated, "profiles": profiles_payload()}

    def set_plan(self, openings: list[dict], now: datetime) -> int:
        clean = [validate_planned(o, f"openings[{i}]") for i, o in enumerate(openings)]
        ids = [o["id"] for o in clean]
        if len(set(ids)) != len(ids):
            raise MadoguchiError("SYNC_MALFORMED", where="openings", problem="the same id appears twice")
        with self.pool.conn() as c, c.transaction():
            c.execute("DELETE FROM hub_plan")
            c.executemany("INSERT INTO hub_plan (id, data, updated_at) VALUES (?, ?, ?)",
                          [(o["id"], json.dumps(o, ensure_ascii=False, sort_keys=True), stamp(now))
                           for o in clean])
        log.info("plan replaced: %d planned opening(s)", len(clean))
        return len(clean)



def profiles_payload() -> list[dict]:
    """The campaign profiles this hub runs with, as TOML text a laptop can check
    and keep (`sync pull`)."""
    from app.profiles import list_profiles
    import hashlib

    out = []
    for p in list_profiles():
        text = p.path.read_text(encoding="utf-8")
        out.append({"key": p.key, "spec": p.spec, "title_ja": p.title_ja, "title_en": p.title_en,
                    "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "toml": text})
    return out


def validate_planned(obj, where: str) -> dict:
    """One planned opening as the office typed it; canonical municipality, real
    profile and kind, ISO date. Raises SYNC_MALFORMED naming the field."""
    from app import refdata
    from app.ids import uuid7
    from app.profiles import get_profile

    if not isinstance(obj, dict):
        raise MadoguchiError("SYNC_MALFORMED", where=where, problem="expected an object")

    def text(key: str, required: bool = True) -> str:
        value = obj.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()) or len(value) > 200 \
                or "\x00" in value:
            raise MadoguchiError("SYNC_MALFORMED", where=f"{where}.{key}", problem="expected text")
        return value.strip()

    try:
        profile = get_profile(text("profile"))
        kind = text("kind")
        if kind not in {k.key for k in profile.opening_kinds}:
            raise MadoguchiError("SYNC_MALFORMED", where=f"{where}.kind",
                                 problem=f"not a kind of {profile.key}")
        municipality = refdata.find_municipality(text("municipality")).key
        day = date.fromisoformat(text("date")).isoformat()
    except MadoguchiError as exc:
        if exc.code == "SYNC_MALFORMED":
            raise
        raise MadoguchiError("SYNC_MALFORMED", where=where, problem=exc.message("en")) from None
    except ValueError:
        raise MadoguchiError("SYNC_MALFORMED", where=f"{where}.date", problem="expected YYYY-MM-DD") from None
    large = obj.get("large", False)
    staff = obj.get("staff", 1)
    if not isinstance(large, bool) or not isinstance(staff, int) or isinstance(staff, bool) \
            or not 1 <= staff <= 1000:
        raise MadoguchiError("SYNC_MALFORMED", where=where, problem="large must be true/false, staff 1-1000")
    pid = obj.get("id") or uuid7()
    if not isinstance(pid, str) or not 1 <= len(pid) <= 64:
        raise MadoguchiError("SYNC_MALFORMED", where=f"{where}.id", problem="expected an id")
    return {"id": pid, "profile": profile.key, "kind": kind, "venue": text("venue"),
            "municipality": municipality, "date": day, "large": large, "staff": staff,
            "note": text("note", required=False)}
