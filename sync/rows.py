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
from dataclasses import dataclass

from app.errors import MadoguchiError
from app.store import CHAINED_COLUMNS
import sync.errors  # noqa: F401  (registers the SYNC_* codes)

HEX64 = re.compile(r"^[0-9a-f]{64}$")
ID_RE = re.compile(r"^[0-9A-Za-z._:-]{1,64}$")
MAX_TEXT = 10_000          # characters of one column value
MAX_INT = 2**63 - 1


@dataclass(frozen=True)
class WireRow:
    """One validated row: key fields pulled out, `data` the canonical JSON text the
    hash was computed over (it also carries the table name)."""
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


def canonical_text(table: str, row: dict) -> str:
    """Exactly the text app.store.row_hash hashes (kept in step by a test)."""
    payload = {"table": table, **{c: row[c] for c in CHAINED_COLUMNS[table]}}
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def to_wire(table: str, row) -> dict:
    """A store row (sqlite3.Row or dict) as it is sent."""
    return {"table": table, **{c: row[c] for c in CHAINED_COLUMNS[table]}, "hash": row["hash"]}


def _bad(where: str, problem: str) -> MadoguchiError:
    return MadoguchiError("SYNC_MALFORMED", where=where, problem=problem)


def _scalar_ok(value) -> bool:
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, int):
        return -MAX_INT <= value <= MAX_INT
    if isinstance(value, float):
        return value == value and abs(value) != float("inf")
    if isinstance(value, str):  # PostgreSQL text cannot hold NUL
        return len(value) <= MAX_TEXT and "\x00" not in value
    return False


def parse_row(obj, where: str) -> WireRow:
    """Validate one wire row. Raises SYNC_MALFORMED / SYNC_ROW_HASH_MISMATCH with the
    place (`rows[3].seq`) so the sender can see what is wrong."""
    if not isinstance(obj, dict):
        raise _bad(where, "expected an object")
    table = obj.get("table")
    if not isinstance(table, str) or table not in CHAINED_COLUMNS:
        raise _bad(f"{where}.table", f"unknown table; expected one of {', '.join(CHAINED_COLUMNS)}")
    columns = CHAINED_COLUMNS[table]
    expected = {"table", "hash", *columns}
    if set(obj) != expected:
        missing = sorted(expected - set(obj))
        extra = sorted(set(obj) - expected)
        raise _bad(where, f"missing {missing}" if missing else f"unexpected fields {extra[:5]}")
    for name in ("id", "device_id"):
        if not isinstance(obj[name], str) or not ID_RE.match(obj[name]):
            raise _bad(f"{where}.{name}", "expected an id of 1-64 letters, digits or ._:-")
    seq = obj["seq"]
    if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq <= MAX_INT:
        raise _bad(f"{where}.seq", "expected a whole number of 1 or more")
    for name in ("prev_hash", "hash"):
        if not isinstance(obj[name], str) or not HEX64.match(obj[name]):
            raise _bad(f"{where}.{name}", "expected 64 lowercase hex digits")
    for name in columns:
        if not _scalar_ok(obj[name]):
            raise _bad(f"{where}.{name}", f"expected a number, text (≤{MAX_TEXT} characters, no NUL) or null")
    text = canonical_text(table, obj)
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != obj["hash"]:
        raise MadoguchiError("SYNC_ROW_HASH_MISMATCH", row=f"{table}/{obj['id']}")
    return WireRow(table, obj["id"], obj["device_id"], seq, obj["prev_hash"], obj["hash"], text)


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
