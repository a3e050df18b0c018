"""Reading a push request body: {"rows": [...]} into checked WireRows.

A laptop writes each row as its canonical text with the hash put in front
(sync.outbox.BatchWriter): {"hash":"…",<the canonical text after its "{">}. Such a
body is checked here without building a dict per row: one regular expression over
the whole body proves that every row is exactly canonical text (keys of its table
in sorted order, strings escaped as json.dumps(ensure_ascii=False) escapes them,
whole numbers as int.__repr__ writes them, no spaces) and picks out id, device id,
seq and prev_hash; what remains per row is the SHA-256. Canonical text is the one
text json.dumps writes for its values, so the row's canonical text is the row's
own characters and the hash check is the same as parse_row's.

Any other body (another field order, spaces, \\u escapes, fractional numbers,
another tool) goes the general way: json.loads and sync.rows.parse_rows. So does
anything at all unusual about a body, including every refused one; the general way
then names the problem. tests/sync/test_canonical.py holds both ways to the same
answer for arbitrary bodies.
"""
from __future__ import annotations

import hashlib
import json
import re
from functools import partial
from itertools import compress, repeat
from operator import itemgetter, methodcaller, not_

from app.store import CHAINED_COLUMNS
from sync.rows import MAX_ROW_TEXT, WireRow, json_field, parse_columns, parse_rows

PREFIX, SUFFIX = '{"rows":[', "]}"
HEAD = len('{"hash":"') + 64 + len('",')  # a wire row's characters before the canonical text's first key
# Canonical strings: any character but the quote, the backslash and control
# characters, which are escaped exactly as json's encoder escapes them. Never the
# text \u0000 (parse_row refuses rows holding it: NUL, or a backslash followed by
# "u0000"). Possessive quantifiers and atomic groups: nothing here ever needs to be
# tried a second way, and not keeping the places to go back to makes the scan a
# third faster.
_STR = r'"[^"\\\x00-\x1f]*+(?:\\(?:\\(?!u0000)|["bfnrt]|u00(?:0[1-7bef]|1[0-9a-f]))[^"\\\x00-\x1f]*+)*+"'
_SCALAR = rf"(?>{_STR}|null|true|false|0|-?[1-9][0-9]{{0,17}}+)"  # 18 digits: always within 64 bits
_ID = r'"([0-9A-Za-z._:-]{1,64}+)"'
_CAPTURED = {"id": _ID, "device_id": _ID, "seq": r"([1-9][0-9]{0,17}+)", "prev_hash": r'"([0-9a-f]{64})"'}
_new_row = partial(tuple.__new__, WireRow)
_hexdigest = methodcaller("hexdigest")
_COMPILED: dict[str, tuple[dict, re.Pattern, list[str]]] = {}


def _row_pattern(table: str, *, capture: bool) -> tuple[str, list[str]]:
    """A canonical wire row of `table`, and (with `capture`) the columns its groups
    capture, in the order they occur (the table's sorted key order)."""
    keys = sorted((*CHAINED_COLUMNS[table], "table"))
    if not set(_CAPTURED) <= set(keys):
        raise ValueError(f"{table} lacks a chain column")
    parts = []
    for key in keys:
        if key == "table":
            value = re.escape(json.dumps(table))
        elif key in _CAPTURED:
            value = _CAPTURED[key] if capture else _CAPTURED[key].replace("(", "(?:")
        else:
            value = _SCALAR
        parts.append(re.escape(json.dumps(key)) + ":" + value)
    return r'\{"hash":"[0-9a-f]{64}",' + ",".join(parts) + r"\}", [k for k in keys if k in _CAPTURED]


def _regex(main: str) -> tuple[re.Pattern, list[str]]:
    """Groups: the separator before the row ("[" or ","), a whole row of `main`, its
    captured columns, then a whole row of any other table (empty for `main`'s)."""
    cached = _COMPILED.get(main)
    if cached is None or cached[0] != CHAINED_COLUMNS:  # features add tables at import time
        pattern, order = _row_pattern(main, capture=True)
        others = "|".join(_row_pattern(t, capture=False)[0] for t in CHAINED_COLUMNS if t != main) or "(?!)"
        regex = re.compile(r"([\[,])" + f"(?:({pattern})|({others}))")
        cached = _COMPILED[main] = (dict(CHAINED_COLUMNS), regex, order)
    return cached[1], cached[2]


def warm_up() -> None:
    """Compile every table's pattern now (tens of ms each) rather than in a push."""
    for table in CHAINED_COLUMNS:
        _regex(table)


def parse_push_body(body: bytes, *, device_id: str, max_rows: int) -> list[WireRow]:
    """The checked rows of a push body; raises as parse_rows does."""
    rows = read_canonical(body, device_id, max_rows)
    if rows is None:
        rows = parse_rows(json_field(body, "rows"), device_id=device_id, max_rows=max_rows)
    return rows


def read_canonical(body: bytes, device_id: str | None, max_rows: int) -> list[WireRow] | None:
    """The rows parse_rows would return for this body, or None to take the general way."""
    try:
        text = body.decode("utf-8")
    except UnicodeError:
        return None
    if not (text.startswith(PREFIX) and text.endswith(SUFFIX)):
        return None
    last = text.rfind('"table":"')
    main = text[last + 9:text.find('"', last + 9)] if last > 0 else ""
    if main not in CHAINED_COLUMNS:
        return None
    regex, order = _regex(main)
    found = regex.findall(text)
    n = len(found)
    if not n or n > max_rows:
        return None
    separators, wholes, *captured, others = map(list, zip(*found))
    # The matches must be the rows and nothing else. Matches do not overlap and
    # cannot reach into '{"rows":' or ']}', so if they add up to everything in
    # between, no character of the body was skipped.
    if separators[0] != "[" or separators.count(",") != n - 1 \
            or sum(map(len, wholes)) + sum(map(len, others)) + n != len(text) - len(PREFIX) - len(SUFFIX) + 1:
        return None
    if max(max(map(len, wholes)), max(map(len, others))) - HEAD + 1 > MAX_ROW_TEXT:
        return None
    fields = dict(zip(order, captured))
    if others.count("") == n:
        rows = _main_rows(main, wholes, fields, device_id)
    else:
        rows = _mixed_rows(main, wholes, fields, others, device_id)
    if rows is None:
        return None
    devices = set(map(itemgetter(2), rows)) if device_id is None else (device_id,)
    places = set(map(itemgetter(3), rows)) if len(devices) == 1 else set(map(itemgetter(2, 3), rows))
    return rows if len(places) == n else None


def _main_rows(table: str, wholes: list[str], fields: dict, device_id: str | None) -> list[WireRow] | None:
    """Rows of one table, checked: one device, each id once, each hash right."""
    ids, devices = fields["id"], fields["device_id"]
    if len(set(ids)) != len(ids) or (device_id is not None and devices.count(device_id) != len(devices)):
        return None
    hashes = list(map(itemgetter(slice(9, 73)), wholes))
    texts = list(map("{".__add__, map(itemgetter(slice(HEAD, None)), wholes)))
    if list(map(_hexdigest, map(hashlib.sha256, map(str.encode, texts)))) != hashes:
        return None
    return list(map(_new_row, zip(repeat(table), ids, devices, map(int, fields["seq"]),
                                  fields["prev_hash"], hashes, texts)))


def _mixed_rows(main: str, wholes: list[str], fields: dict, others: list[str],
                device_id: str | None) -> list[WireRow] | None:
    """Rows of other tables among the main table's (an opening before its tallies):
    those few go through the general per-table check."""
    main_at = list(map(bool, wholes))
    rows = _main_rows(main, list(compress(wholes, main_at)),
                      {k: list(compress(v, main_at)) for k, v in fields.items()}, device_id)
    try:
        other_rows = parse_columns([json.loads(t) for t in compress(others, map(not_, main_at))], device_id)
    except ValueError:
        return None
    if rows is None or other_rows is None:
        return None
    main_iter, other_iter = iter(rows), iter(other_rows)
    return [next(main_iter) if is_main else next(other_iter) for is_main in main_at]
