"""Merging rows into the hub: a union by the row's permanent key (table, id).

A row seen before with the same hash is a no-op, with another hash a conflict
(refused, recorded for the office, listed once however often it is resent). A row
whose place in its device's chain (device_id, seq) is taken by another row is a
conflict too. merge_rows runs inside the caller's transaction (sync.hub: one per
push or bundle, or one per group commit on SQLite): a batch is all of it or nothing.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable

from sync.db import Conn, IntegrityError
from sync.hubschema import stamp
from sync.rows import WireRow

log = logging.getLogger("madoguchi.sync.hub")  # one logger for all of the hub's modules

CHUNK = 500  # ids per IN (...) query
# A WireRow's fields in their order, then the two every row of a batch shares.
HUB_ROW_COLUMNS = ("tbl", "id", "device_id", "seq", "prev_hash", "hash", "data", "received_at", "source")


@dataclass
class MergeResult:
    stored: int = 0
    duplicates: int = 0
    conflicts: list[dict] = field(default_factory=list)
    revoked_override: bool = False  # a revoked device's bundle, merged by --accept-revoked

    def to_dict(self) -> dict:
        return {"stored": self.stored, "duplicates": self.duplicates, "conflicts": self.conflicts}


def _chunks(items: list, n: int = CHUNK) -> Iterable[list]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def merge_rows(c: Conn, rows: list[WireRow], *, source: str, now: datetime) -> MergeResult:
    """Union `rows` into hub_row. Caller holds the transaction and the device lock.

    Usually every row is new, so the batch is first inserted at once:
    - SQLite: INSERT … ON CONFLICT DO NOTHING; if fewer rows went in than were
      sent, the others are sorted out afterwards (no savepoint: on SQLite one costs
      a copy of every page the insert touches);
    - PostgreSQL: COPY under a savepoint; a key already taken rolls the attempt back
      whole and the rows are sorted out one by one before inserting the new ones."""
    result = MergeResult()
    if not rows:
        return result
    at = stamp(now)
    if c.dialect == "sqlite":
        stored = c.insert_rows("hub_row", HUB_ROW_COLUMNS, rows, (at, source), skip_taken=True)
        if stored < len(rows):
            _record_conflicts(c, _sqlite_refused(c, rows), result, at, source)
            result.duplicates = len(rows) - stored - len(result.conflicts)
        result.stored = stored
        return result
    c.execute("SAVEPOINT merge_new_rows")
    try:
        c.insert_rows("hub_row", HUB_ROW_COLUMNS, rows, (at, source))
    except IntegrityError:
        c.execute("ROLLBACK TO SAVEPOINT merge_new_rows")
        c.execute("RELEASE SAVEPOINT merge_new_rows")
    else:
        c.execute("RELEASE SAVEPOINT merge_new_rows")
        result.stored = len(rows)
        return result
    existing = _stored_hashes(c, rows)
    taken: set[tuple[str, int]] = set()
    by_device: dict[str, list[int]] = {}
    for r in rows:
        by_device.setdefault(r.device_id, []).append(r.seq)
    for device_id, seqs in by_device.items():
        for (seq,) in c.query("SELECT seq FROM hub_row WHERE device_id = ? AND seq BETWEEN ? AND ?",
                              (device_id, min(seqs), max(seqs))):
            taken.add((device_id, int(seq)))
    inserts, refused = [], []
    for r in rows:
        old = existing.get((r.table, r.id))
        if old == r.hash:
            result.duplicates += 1
        elif old is not None:
            refused.append((r, "id_conflict", old))
        elif (r.device_id, r.seq) in taken:
            refused.append((r, "seq_conflict", None))
        else:
            inserts.append(r)
    c.insert_rows("hub_row", HUB_ROW_COLUMNS, inserts, (at, source))
    result.stored = len(inserts)
    _record_conflicts(c, refused, result, at, source)
    return result


def _stored_hashes(c: Conn, rows: list[WireRow]) -> dict[tuple[str, str], str]:
    """(table, id) -> hash of the rows with these ids already in hub_row."""
    existing: dict[tuple[str, str], str] = {}
    for chunk in _chunks([r.id for r in rows]):
        marks = ",".join("?" * len(chunk))
        for tbl, rid, h in c.query(f"SELECT tbl, id, hash FROM hub_row WHERE id IN ({marks})", chunk):
            existing[(tbl, rid)] = h
    return existing


def _sqlite_refused(c: Conn, rows: list[WireRow]) -> list[tuple[WireRow, str, str | None]]:
    """After INSERT … DO NOTHING: a row whose id now holds another hash met an
    id_conflict; one whose id is not there at all found its chain place (device,
    seq) taken. The rest are in: stored just now, or identical duplicates."""
    existing = _stored_hashes(c, rows)
    refused = []
    for r in rows:
        old = existing.get((r.table, r.id))
        if old is None:
            refused.append((r, "seq_conflict", None))
        elif old != r.hash:
            refused.append((r, "id_conflict", old))
    return refused


def _record_conflicts(c: Conn, refused: list, result: MergeResult, at: str, source: str) -> None:
    """List refused rows for the office (once each, however often they are resent)."""
    if not refused:
        return
    c.executemany("INSERT INTO hub_conflict (tbl, row_id, incoming_hash, device_id, seq, problem,"
                  " existing_hash, incoming_data, received_at, source)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                  [(r.table, r.id, r.hash, r.device_id, r.seq, problem, old, r.data, at, source)
                   for r, problem, old in refused])
    result.conflicts = [{"table": r.table, "id": r.id, "seq": r.seq, "problem": problem} for r, problem, _ in refused]
    log.warning("%d conflicting row(s) refused (source=%s)", len(refused), source)
