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
from functools import partial
from itertools import repeat
from math import isfinite
from operator import eq, itemgetter, methodcaller
from typing import NamedTuple

from app.errors import MadoguchiError
from app.store import CHAINED_COLUMNS
from sync import canonical
import sync.errors  # noqa: F401  (registers the SYNC_* codes)

HEX64 = re.compile(r"^[0-9a-f]{64}$")
HEX_RUN = re.compile(r"[0-9a-f]*")
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


def json_field(body: bytes, name: str):
    """`name` of a JSON object body (the hub's request bodies)."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeError, ValueError, RecursionError):
        raise MadoguchiError("SYNC_MALFORMED", where="body", problem="not UTF-8 JSON") from None
    if not isinstance(data, dict) or name not in data:
        raise MadoguchiError("SYNC_MALFORMED", where="body", problem=f'expected an object with "{name}"')
    return data[name]


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
    try:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    except UnicodeEncodeError:  # a lone surrogate ("\\ud800") is valid JSON but not Unicode text
        raise _bad(where, "text must be valid Unicode (no lone surrogates)") from None
    if digest != claimed:
        raise MadoguchiError("SYNC_ROW_HASH_MISMATCH", row=f"{table}/{row_id}")
    return WireRow(table, row_id, device_id, seq, prev, claimed, text)


def parse_rows(items, *, device_id: str | None, max_rows: int) -> list[WireRow]:
    """A whole batch, all or nothing. With `device_id`, every row must belong to it.

    The batch is first checked column by column (parse_columns); only when that
    finds anything unusual is it checked row by row, which names the problem."""
    if not isinstance(items, list):
        raise _bad("rows", "expected a list")
    if len(items) > max_rows:
        raise MadoguchiError("SYNC_BATCH_TOO_LARGE", limit=max_rows, count=len(items))
    rows = parse_columns(items, device_id)
    return rows if rows is not None else parse_rows_one_by_one(items, device_id)


def parse_rows_one_by_one(items: list, device_id: str | None) -> list[WireRow]:
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


# ---- the same checks, one column of the whole batch at a time ----------------------------

class _Plan(NamedTuple):
    columns: tuple[str, ...]      # CHAINED_COLUMNS[table] it was made for
    keys: frozenset[str]          # the wire row's fields
    template: str                 # canonical text with %s for each value
    order: tuple[str, ...]        # value columns in template order
    values: itemgetter            # obj -> its values in template order
    at: dict[str, int]            # column -> position in `order`


_PLANS: dict[str, _Plan] = {}
_new_row = partial(tuple.__new__, WireRow)
_hexdigest = methodcaller("hexdigest")
_NUL = "\\u0000"


def _plan(table: str) -> _Plan:
    columns = CHAINED_COLUMNS[table]
    plan = _PLANS.get(table)
    if plan is None or plan.columns is not columns:
        row_template, order = canonical.template(table, columns)
        plan = _PLANS[table] = _Plan(columns, _expected(table, columns), row_template, order,
                                     itemgetter(*order), {c: i for i, c in enumerate(order)})
    return plan


def parse_columns(items: list, device_id: str | None) -> list[WireRow] | None:
    """The rows parse_row would return for this batch, checked column by column with
    C-level loops; None if any row is anything but plainly valid (then the row-by-row
    check finds and names the problem). It accepts nothing parse_rows_one_by_one would
    refuse (tests/sync/test_canonical.py)."""
    if not items or set(map(type, items)) != {dict}:
        return None
    tables = list(map(dict.get, items, repeat("table")))
    if set(map(type, tables)) != {str} or not set(tables) <= CHAINED_COLUMNS.keys():
        return None
    if len(set(tables)) == 1:
        rows = _parse_table(tables[0], items, device_id)
    else:  # several tables: check each table's rows together, keep the batch's order
        groups: dict[str, list[int]] = {}
        for i, table in enumerate(tables):
            groups.setdefault(table, []).append(i)
        rows = [None] * len(items)
        for table, where in groups.items():
            parsed = _parse_table(table, [items[i] for i in where], device_id)
            if parsed is None:
                return None
            for i, row in zip(where, parsed):
                rows[i] = row
    if rows is None:
        return None
    devices = {r.device_id for r in rows} if device_id is None else (device_id,)
    chain_places = set(map(itemgetter(3), rows)) if len(devices) == 1 else {(r.device_id, r.seq) for r in rows}
    return rows if len(chain_places) == len(rows) else None


def _parse_table(table: str, objs: list[dict], device_id: str | None) -> list[WireRow] | None:
    plan = _plan(table)
    if not all(map(eq, map(dict.keys, objs), repeat(plan.keys))):
        return None
    claimed = list(map(itemgetter("hash"), objs))
    if set(map(type, claimed)) != {str}:
        return None
    columns = list(zip(*map(plan.values, objs)))
    at = plan.at
    ids, devices, seqs, prevs = (columns[at[c]] for c in ("id", "device_id", "seq", "prev_hash"))
    if set(map(type, ids)) != {str} or not all(map(ID_RE.match, ids)) or len(set(ids)) != len(ids):
        return None
    if set(map(type, devices)) != {str}:
        return None
    device_set = set(devices)
    if not all(map(ID_RE.match, device_set)) or (device_id is not None and device_set != {device_id}):
        return None
    if set(map(type, seqs)) != {int} or min(seqs) < 1:
        return None
    if set(map(type, prevs)) != {str} or set(map(len, prevs)) != {64} \
            or not HEX_RUN.fullmatch("".join(prevs)):
        return None
    encoded = []
    for values in columns:
        kinds = set(map(type, values))
        if not kinds <= canonical.SCALARS:
            return None
        if int in kinds:
            ints = values if len(kinds) == 1 else [v for v in values if type(v) is int]
            if min(ints) < -MAX_INT or max(ints) > MAX_INT:
                return None
        if float in kinds and not all(map(isfinite, [v for v in values if type(v) is float])):
            return None
        encoded.append(canonical.encode_column(values, kinds))
    texts = canonical.texts(plan.template, encoded)
    if max(map(len, texts)) > MAX_ROW_TEXT or any(map(str.__contains__, texts, repeat(_NUL))):
        return None
    try:
        digests = list(map(_hexdigest, map(hashlib.sha256, map(str.encode, texts))))
    except UnicodeEncodeError:
        return None
    if digests != claimed:
        return None
    return list(map(_new_row, zip(repeat(table), ids, devices, seqs, prevs, claimed, texts)))
