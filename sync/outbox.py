"""Reading the outbox: this laptop's chained rows after the acknowledged watermark.

Generic over `app.store.CHAINED_COLUMNS`: every chained table is read by
(device_id, seq), which each of them indexes (UNIQUE (device_id, seq)), and the
tables are merged by seq so rows leave in chain order. Only reads: the caller passes
a read-only Store, so the app's writer thread is never held.
"""
from __future__ import annotations

import heapq
import json
import sqlite3
from math import isfinite
from operator import itemgetter
from typing import NamedTuple

from app.store import CHAINED_COLUMNS, Store
from sync import canonical
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


class Batch(NamedTuple):
    """Rows ready to push: the request body and what acknowledging it records."""
    body: bytes
    count: int
    last_seq: int
    last_hash: str


class _Wire(NamedTuple):
    columns: tuple[str, ...]   # CHAINED_COLUMNS[table] it was made for
    template: str              # %-template of a wire row (Python's way)
    order: tuple[str, ...]     # value columns in canonical (sorted) order
    json_object: str           # the wire row as SQLite's json_object(...) (SQLite's way)


_WIRES: dict[str, _Wire] = {}
_SQL: dict[tuple[str, tuple[str, ...]], str] = {}
_PLAIN = frozenset({str, int, type(None)})


def _wire(table: str) -> _Wire:
    """How to write `table`'s rows. A wire row is the canonical text with the hash
    put in front: {"hash":"…",<the canonical text after its "{">}. Any field order
    is valid JSON; this one the hub checks fastest (sync.pushbody)."""
    columns = CHAINED_COLUMNS[table]
    cached = _WIRES.get(table)
    if cached is None or cached.columns is not columns:
        row_template, order = canonical.template(table, columns)
        pairs = "'hash', hash, " + ", ".join(f"'{k}', " + ("'" + table + "'" if k == "table" else f'"{k}"')
                                             for k in sorted((*columns, "table")))
        cached = _WIRES[table] = _Wire(columns, '{"hash":%s,' + row_template[1:], order, f"json_object({pairs})")
    return cached


def _sqlite_sql(cur, table: str) -> str:
    """SELECT seq, hash, wire text, holds-a-fractional-number. Only columns whose
    declared type lets SQLite keep a REAL are looked at (TEXT columns turn numbers
    into text, and a BLOB makes json_object fail)."""
    declared = {r[1]: (r[2] or "").upper() for r in cur.execute(f'PRAGMA table_info("{table}")')}
    wire = _wire(table)
    maybe_real = tuple(c for c in wire.columns if not _text_affinity(declared.get(c, "")))
    sql = _SQL.get((table, maybe_real))
    if sql is None:
        real = " OR ".join(f"typeof(\"{c}\") = 'real'" for c in maybe_real) or "0"
        sql = _SQL[(table, maybe_real)] = (
            f"SELECT seq, hash, CAST({wire.json_object} AS BLOB), {real}"  # UTF-8 bytes as they go out
            f' FROM "{table}" WHERE device_id = ? AND seq > ? ORDER BY seq LIMIT ?')
    return sql


def _text_affinity(declared: str) -> bool:
    """SQLite's rule: a type with INT is an integer column, else CHAR/CLOB/TEXT text."""
    return "INT" not in declared and any(t in declared for t in ("CHAR", "CLOB", "TEXT"))


def encoded_batch(store: Store, after_seq: int, limit: int) -> Batch | None:
    """The push body of up to `limit` rows with seq > after_seq (None: nothing to send)."""
    with BatchWriter(store) as writer:
        return writer.batch(after_seq, limit)


class BatchWriter:
    """Writes push bodies from a store, batch after batch (one push pass): the same
    rows and values as rows_after, but without a dict per row. SQLite's json_object
    writes text, whole numbers and null exactly as json.dumps(ensure_ascii=False)
    does, so it writes the canonical text itself. Rows holding a fractional number
    (SQLite writes fewer digits) or bytes are written by Python instead
    (sync.canonical). Either way the hub recomputes every hash from the values; a
    different writer could only make it take longer."""

    def __init__(self, store: Store) -> None:
        self.device_id = store.device_id
        self.cur = store.conn.cursor()
        self.cur.row_factory = None  # plain tuples, not sqlite3.Row
        self.tables = [(table, _sqlite_sql(self.cur, table)) for table in chained_tables(store)]

    def __enter__(self) -> "BatchWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.cur.close()

    def batch(self, after_seq: int, limit: int) -> Batch | None:
        per_table = []
        for table, sql in self.tables:
            found = _sqlite_written(self.cur, sql, self.device_id, after_seq, limit)
            if found is None:
                found = _python_written(self.cur, table, self.device_id, after_seq, limit)
            if found:
                per_table.append(found)
        if not per_table:
            return None
        if len(per_table) == 1:
            picked = per_table[0]
        else:  # by seq: chain order
            picked = [row for _, row in zip(range(limit), heapq.merge(*per_table))]
        last_seq, last_hash = picked[-1][:2]
        texts = list(map(itemgetter(2), picked))
        texts[0] = b'{"rows":[' + texts[0]
        texts[-1] = texts[-1] + b"]}"
        return Batch(b",".join(texts), len(picked), last_seq, last_hash)  # one copy of the whole body


def _sqlite_written(cur, sql: str, device_id: str, after_seq: int, limit: int) -> list[tuple] | None:
    """(seq, hash, wire text) rows, or None where Python must write them."""
    try:
        found = cur.execute(sql, (device_id, after_seq, limit)).fetchall()
    except sqlite3.OperationalError:  # an SQLite without JSON functions, or a BLOB value
        return None
    if any(map(itemgetter(3), found)):
        return None
    return found


def _python_written(cur, table: str, device_id: str, after_seq: int, limit: int) -> list[tuple]:
    wire = _wire(table)
    found = cur.execute(f'SELECT seq, hash, {", ".join(wire.order)} FROM "{table}"'
                        f" WHERE device_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                        (device_id, after_seq, limit)).fetchall()
    if not found:
        return found
    columns = list(zip(*found))
    seqs, hashes = columns[0], columns[1]
    encoded = [canonical.encode_column(hashes, {str})]
    for values in columns[2:]:
        kinds = set(map(type, values))
        if not kinds <= _PLAIN and not (kinds <= canonical.SCALARS
                                        and all(map(isfinite, [v for v in values if type(v) is float]))):
            return [(r[0], r[1], _as_json(table, wire.order, r).encode("utf-8")) for r in found]
        encoded.append(canonical.encode_column(values, kinds))
    return list(zip(seqs, hashes, map(str.encode, canonical.texts(wire.template, encoded))))


def _as_json(table: str, order: tuple[str, ...], row: tuple) -> str:
    """The most general way, for values json.dumps alone can write (or refuse)."""
    return json.dumps({"hash": row[1], **dict(zip(order, row[2:])), "table": table},
                      ensure_ascii=False, separators=(",", ":"))
