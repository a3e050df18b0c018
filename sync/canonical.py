"""The canonical text of chained rows, written one column of a batch at a time.

`app.store.row_hash` hashes json.dumps({"table": T, <T's chained columns>},
sort_keys=True, ensure_ascii=False, separators=(",", ":")). The hub recomputes that
text for every row it receives, which made json.dumps its largest cost. Here the
same text comes from a template and C-level map() calls over whole columns:

- a table's keys are fixed, so their sorted order is fixed: one %-template per table
  with the keys (and the table name) already written in;
- each value is written by the very function json's C encoder uses for its type
  (`encode_basestring` for text with ensure_ascii=False, int.__repr__, float.__repr__,
  true/false/null).

tests/sync/test_canonical.py holds this byte-identical to json.dumps for arbitrary
values (unicode, control characters, big numbers, null).
"""
from __future__ import annotations

from json.encoder import encode_basestring  # json.dumps(ensure_ascii=False)'s writer for str

_NONE = type(None)


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _null(_value: None) -> str:
    return "null"


# Finite floats only: the caller refuses NaN and infinities before encoding.
SCALAR_JSON = {str: encode_basestring, int: int.__repr__, float: float.__repr__, bool: _bool, _NONE: _null}
SCALARS = frozenset(SCALAR_JSON)


def template(table: str, columns: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """(%-template of the row's canonical text, the value columns in template order)."""
    if "table" in columns or len(set(columns)) != len(columns):
        raise ValueError(f"chained columns of {table} must be unique and not named 'table'")
    order = tuple(sorted(columns))

    def part(key: str) -> str:
        value = encode_basestring(table) if key == "table" else None
        name = encode_basestring(key).replace("%", "%%")
        return f"{name}:{value.replace('%', '%%')}" if value is not None else f"{name}:%s"
    return "{" + ",".join(part(k) for k in sorted((*columns, "table"))) + "}", order


def encode_column(values, kinds: set) -> list[str]:
    """JSON text of each value of one column (`kinds`: the set of their types, all in
    SCALARS). One C-level map when the column has one type, as columns usually do."""
    if len(kinds) == 1:
        kind = next(iter(kinds))
        if kind is _NONE:
            return ["null"] * len(values)
        return list(map(SCALAR_JSON[kind], values))
    return [SCALAR_JSON[type(v)](v) for v in values]


def texts(row_template: str, encoded_columns: list[list[str]]) -> list[str]:
    """Every row's canonical text, from its columns' encoded values."""
    return list(map(row_template.__mod__, zip(*encoded_columns)))
