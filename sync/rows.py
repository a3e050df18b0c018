"""The wire form of a chained row, generic over `app.store.CHAINED_COLUMNS`.

A row travels as one flat JSON object: {"table": T, <every chained column of T>,
"hash": H}. Nothing else. The receiver recomputes the hash with `app.store.row_hash`,
so a row is accepted exactly when its content is what the laptop chained; the
canonical text the hash is computed over is also what the hub keeps (`data`).
"""
from __future__ import annotations

import hashlib
import json
import re
from typing import NamedTuple

from app.errors import MadoguchiError
from app.store import CHAINED_COLUMNS
import sync.errors  # noqa: F401  (registers the SYNC_* codes)

HEX64 = re.compile(r"^[0-9a-f]{64}$")
ID_RE = re.compile(r"^[0-9A-Za-z._:-]{1,64}$")
MAX_ROW_TEXT = 64_000      # characters of one row's canonical JSON
MAX_INT = 2**63 - 1
_INF = float("inf")


class WireRow(NamedTuple):
    """One validated row: key fields pulled out, `data` the canonical JSON text the
    hash was computed over (it also carries the table name). A NamedTuple because
    the hub makes one per pushed row."""
    table: str
    id: str
    device_id: str
    seq: int
    prev_hash: str
    hash: str
    data: str

    def columns(self) -> dict:
        """The row's chained columns plus its hash, as a store row."""
        values = json.loads(self.data)
        values.pop("table", None)
        values["hash"] = self.hash
        return values

    def to_wire(self) -> dict:
        return {"table": self.table, **self.columns()}


_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_text(table: str, row: dict) -> str:
    """Exactly the text app.store.row_hash hashes (kept in step by a test)."""
    return _ENCODER.encode({"table": table, **{c: row[c] for c in CHAINED_COLUMNS[table]}})


def to_wire(table: str, row) -> dict:
    """A store row (sqlite3.Row or dict) as it is sent."""
    return {"table": table, **{c: row[c] for c in CHAINED_COLUMNS[table]}, "hash": row["hash"]}


def _bad(where: str, problem: str) -> MadoguchiError:
    return MadoguchiError("SYNC_MALFORMED", where=where, problem=problem)


_SCALARS = frozenset({str, int, float, bool, type(None)})
_EXPECTED: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {}


def _expected(table: str, columns: tuple[str, ...]) -> frozenset[str]:
    """The field names of a table's wire row, cached while its columns stay the same
    (features add tables to CHAINED_COLUMNS at import time)."""
    cached = _EXPECTED.get(table)
    if cached is None or cached[0] is not columns:
        cached = _EXPECTED[table] = (columns, frozenset({"table", "hash", *columns}))
    return cached[1]


def parse_row(obj, where: str) -> WireRow:
    """Validate one wire row. Raises SYNC_MALFORMED / SYNC_ROW_HASH_MISMATCH with the
    place (`rows[3].seq`) so the sender can see what is wrong.

    It runs for every pushed row, so the checks lean on C-level calls: the value
    types as one set, text limits on the canonical text (json.dumps writes NUL as
    \\u0000), and the hash comparison last."""
    if type(obj) is not dict:
        raise _bad(where, "expected an object")
    table = obj.get("table")
    columns = CHAINED_COLUMNS.get(table) if type(table) is str else None
    if columns is None:
        raise _bad(f"{where}.table", f"unknown table; expected one of {', '.join(CHAINED_COLUMNS)}")
    expected = _expected(table, columns)
    if obj.keys() != expected:
        missing = sorted(expected - set(obj))
        extra = sorted(set(obj) - expected)
        raise _bad(where, f"missing {missing}" if missing else f"unexpected fields {extra[:5]}")
    row_id, device_id, seq, prev, claimed = obj["id"], obj["device_id"], obj["seq"], obj["prev_hash"], obj["hash"]
    if type(row_id) is not str or not ID_RE.match(row_id):
        raise _bad(f"{where}.id", "expected an id of 1-64 letters, digits or ._:-")
    if type(device_id) is not str or not ID_RE.match(device_id):
        raise _bad(f"{where}.device_id", "expected an id of 1-64 letters, digits or ._:-")
    if type(seq) is not int or not 1 <= seq <= MAX_INT:
        raise _bad(f"{where}.seq", "expected a whole number of 1 or more")
    if type(prev) is not str or not HEX64.match(prev):
        raise _bad(f"{where}.prev_hash", "expected 64 lowercase hex digits")
    if type(claimed) is not str:  # no pattern needed: it must equal a hex digest below
        raise _bad(f"{where}.hash", "expected 64 lowercase hex digits")
    values = obj.values()
    kinds = set(map(type, values))
    if not kinds <= _SCALARS:
        raise _bad(where, "every column must be a number, text or null")
    if int in kinds and any(type(v) is int and not -MAX_INT <= v <= MAX_INT for v in values):
        raise _bad(where, "a number is out of range")
    if float in kinds and any(type(v) is float and (v != v or v in (_INF, -_INF)) for v in values):
        raise _bad(where, "a number is not finite")
    del obj["hash"]  # the object minus its hash is exactly the hashed payload
    try:
        text = _ENCODER.encode(obj)
    finally:
        obj["hash"] = claimed
    if len(text) > MAX_ROW_TEXT or "\\u0000" in text:
        raise _bad(where, f"a row may hold at most {MAX_ROW_TEXT} characters and no NUL")
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != claimed:
        raise MadoguchiError("SYNC_ROW_HASH_MISMATCH", row=f"{table}/{row_id}")
    return WireRow(table, row_id, device_id, seq, prev, claimed, text)


def parse_rows(items, *, device_id: str | None, max_rows: int) -> list[WireRow]:
    """A whole batch, all or nothing. With `device_id`, every row must belong to it."""
    if not isinstance(items, list):
        raise _bad("rows", "expected a list")
    if len(items) > max_rows:
        raise MadoguchiError("SYNC_BATCH_TOO_LARGE", limit=max_rows, count=len(items))
    rows = [parse_row(obj, f"rows[{i}]") for i, obj in enumerate(items)]
    seen_ids: set[tuple[str, str]] = set()
    seen_seq: set[tuple[str, int]] = set()
    for i, row in enumerate(rows):
        if device_id is not None and row.device_id != device_id:
            raise MadoguchiError("SYNC_DEVICE_MISMATCH", sent=row.device_id, device=device_id)
        if (row.table, row.id) in seen_ids or (row.device_id, row.seq) in seen_seq:
            raise _bad(f"rows[{i}]", "the same id or seq appears twice in the batch")
        seen_ids.add((row.table, row.id))
        seen_seq.add((row.device_id, row.seq))
    return rows
