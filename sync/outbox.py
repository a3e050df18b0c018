"""Reading the outbox: this laptop's chained rows after the acknowledged watermark.

Generic over `app.store.CHAINED_COLUMNS`: every chained table is read by
(device_id, seq), which each of them indexes (UNIQUE (device_id, seq)), and the
tables are merged by seq so rows leave in chain order. Only reads: the caller passes
a read-only Store, so the app's writer thread is never held.
"""
from __future__ import annotations

import heapq

from app.store import CHAINED_COLUMNS, Store
from sync.rows import to_wire


def chained_tables(store: Store) -> list[str]:
    """Chained tables present in this store (an older store may lack a newer one)."""
    present = {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return [t for t in CHAINED_COLUMNS if t in present]


def local_head(store: Store) -> tuple[int, str]:
    row = store.query_one("SELECT head_seq, head_hash FROM device WHERE id = ?", (store.device_id,))
    return int(row[0]), row[1]


def rows_after(store: Store, after_seq: int, limit: int, *, device_id: str | None = None) -> list[dict]:
    """Up to `limit` wire rows of the device with seq > after_seq, in seq order."""
    device = device_id or store.device_id
    per_table = []
    for table in chained_tables(store):
        cols = ", ".join((*CHAINED_COLUMNS[table], "hash"))
        rows = store.query(f"SELECT {cols} FROM {table} WHERE device_id = ? AND seq > ?"
                           f" ORDER BY seq LIMIT ?", (device, after_seq, limit))
        per_table.append([to_wire(table, r) for r in rows])
    merged = heapq.merge(*per_table, key=lambda r: r["seq"])
    return [row for _, row in zip(range(limit), merged)]


def hash_at(store: Store, seq: int) -> str | None:
    """The hash of this laptop's row number `seq`, or None if there is none."""
    for table in chained_tables(store):
        row = store.query_one(f"SELECT hash FROM {table} WHERE device_id = ? AND seq = ?",
                              (store.device_id, seq))
        if row is not None:
            return row[0]
    return None
