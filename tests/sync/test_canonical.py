"""The fast ways of writing and checking rows give exactly what the plain ways give.

- sync.canonical writes the text app.store.row_hash hashes, byte for byte
  (json.dumps(sort_keys=True, ensure_ascii=False, separators=(",", ":"))).
- The hub's column-by-column check (parse_columns) and its whole-body check of
  canonical bodies (pushbody.read_canonical) return the very rows the row-by-row
  check returns, or step aside (None) — never accept what it refuses.
- The laptop's writer (outbox.encoded_batch, SQLite's json_object or Python) sends
  the same rows and values as rows_after, in the layout the hub checks fastest.
"""
from __future__ import annotations

import copy
import hashlib
import json
import math
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import MadoguchiError
from app.store import CHAINED_COLUMNS, Store
from sync import canonical
from sync.outbox import encoded_batch, rows_after
from sync.pushbody import read_canonical
from sync.rows import json_field, parse_columns, parse_rows, parse_rows_one_by_one

PROPERTY = settings(max_examples=300, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Every kind of character, lone surrogates included; the characters JSON escapes.
texts = st.text(st.characters(codec=None, exclude_categories=()), max_size=12) | st.sampled_from(
    ["", "\x00", "\x1f", "\x7f", "\u2028", '"', "\\", "\\u0000", "\\n", "名取市", "😀", "a/b", "\x08\x0c\n\r\t"])
values = (st.none() | st.booleans() | st.integers() | st.integers(min_value=-2**80, max_value=2**80)
          | st.floats(allow_nan=False, allow_infinity=False) | texts)
TABLES = sorted(CHAINED_COLUMNS)
DEVICE = "01a2161b-4916-7229-9926-4f511270ac6f"


def dumps_canonical(table: str, row: dict) -> str:
    """The reference: what app.store.row_hash hashes."""
    payload = {"table": table, **{c: row[c] for c in CHAINED_COLUMNS[table]}}
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@PROPERTY
@given(table=st.sampled_from(TABLES), data=st.data())
def test_column_writer_is_byte_identical_to_json_dumps(table, data):
    columns = CHAINED_COLUMNS[table]
    rows = data.draw(st.lists(st.fixed_dictionaries({c: values for c in columns}), min_size=1, max_size=4))
    template, order = canonical.template(table, columns)
    encoded = [canonical.encode_column(col, set(map(type, col))) for col in
               ([row[c] for row in rows] for c in order)]
    assert canonical.texts(template, encoded) == [dumps_canonical(table, row) for row in rows]


# ---- the hub's checks ------------------------------------------------------------------

def valid_row(table: str, values_of: dict, seq: int, *, device: str = DEVICE) -> dict:
    row = {c: values_of.get(c) for c in CHAINED_COLUMNS[table]}
    row.update(id=f"row-{table}-{seq}", device_id=device, seq=seq, prev_hash=hashlib.sha256(b"%d" % seq).hexdigest())
    row["table"] = table
    try:
        row["hash"] = hashlib.sha256(dumps_canonical(table, row).encode()).hexdigest()
    except UnicodeEncodeError:  # a lone surrogate: no hash can be made; the hub must refuse it
        row["hash"] = "0" * 64
    return row


# What the fast way reads (text, null, true/false, whole numbers of up to 18 digits).
readable = (st.none() | st.booleans() | st.integers(-10**17, 10**17)
            | st.text(st.characters(codec="utf-8"), max_size=12)
            | st.sampled_from(["", "\x00", "\\u0000", "\x1f", "\x7f", "\u2028", '"', "\\", "\\n", "名取市", "😀",
                               "a/b", "\x08\x0c\n\r\t"]))


@st.composite
def batches(draw, *, scalars=values) -> list[dict]:
    rows = []
    for seq in range(1, draw(st.integers(1, 5)) + 1):
        table = draw(st.sampled_from(TABLES))
        rows.append(valid_row(table, draw(st.fixed_dictionaries({c: scalars for c in CHAINED_COLUMNS[table]})), seq))
    return rows


MUTATIONS = [
    lambda row, v: {**row, "hash": v},
    lambda row, v: {**row, "seq": v},
    lambda row, v: {**row, "id": v},
    lambda row, v: {**row, "device_id": v},
    lambda row, v: {**row, "prev_hash": v},
    lambda row, v: {**row, "table": v},
    lambda row, v: {**row, "extra": v},
    lambda row, v: {k: w for k, w in row.items() if k != "id"},
    lambda row, v: {**row, next(iter(CHAINED_COLUMNS.get(row.get("table"), ("x",)))): v},
]


def general(items, device=DEVICE):
    try:
        return parse_rows_one_by_one(copy.deepcopy(items), device)
    except MadoguchiError as exc:
        return exc.code


@PROPERTY
@given(rows=batches(), mutate=st.lists(st.tuples(st.integers(0, 4), st.sampled_from(MUTATIONS), values
                                                  | st.sampled_from(["", "f" * 64, 0, -1, 2**63, [1], {}])),
                                        max_size=2),
       repeat_row=st.booleans(), device=st.sampled_from([DEVICE, "other-device", None]))
def test_column_check_returns_what_the_row_check_returns(rows, mutate, repeat_row, device):
    for at, change, value in mutate:
        rows[at % len(rows)] = change(rows[at % len(rows)], value)
    if repeat_row:
        rows.append(copy.deepcopy(rows[0]))
    expected = general(rows, device)
    fast = parse_columns(copy.deepcopy(rows), device)
    if isinstance(expected, str):
        assert fast is None, expected
    else:
        assert fast is None or fast == expected
        if not mutate and not repeat_row and device != "other-device":
            assert fast == expected  # valid rows take the fast way


def wire_row(row: dict, edit=None) -> str:
    """A row as the laptop writes it: its canonical text with the hash in front. With
    `edit`, the canonical text is edited first and the hash made to fit the edited
    text (a writer that is not canonical, or one that tries to cheat)."""
    text = dumps_canonical(row["table"], row)
    claimed = row["hash"]
    if edit is not None:
        text = edit(text)
        claimed = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return '{"hash":' + json.dumps(claimed) + "," + text[1:]


def wire_body(rows: list[dict], edits_by_row: dict | None = None) -> str:
    return '{"rows":[' + ",".join(wire_row(row, (edits_by_row or {}).get(i)) for i, row in enumerate(rows)) + "]}"


def plain(rows: list[dict]) -> bool:
    """Rows the fast way takes: no fractional numbers, whole numbers of at most 18
    digits, and nothing the hub refuses anyway (a NUL, a lone surrogate)."""
    for row in rows:
        for v in row.values():
            if type(v) is float or (type(v) is int and abs(v) >= 10**18) or (type(v) is str and (
                    "\x00" in v or "\\u0000" in v or any(0xD800 <= ord(c) < 0xE000 for c in v))):
                return False
    return True


TEXT_EDITS = [
    lambda s, r: s.replace(",", ", ", 1 + r % 3),
    lambda s, r: s.replace(":", ": ", 1),
    lambda s, r: s.replace("\\n", "\\u000a", 1),
    lambda s, r: s.replace("\\u001f", "\\u001F", 1),
    lambda s, r: s.replace("/", "\\/", 1),
    lambda s, r: s.replace("\\\\", "\\u005c", 1),
    lambda s, r: s.replace('"a', '"\\u0061', 1),
    lambda s, r: s.replace(":1,", ":1.0,", 1),
    lambda s, r: s.replace(":0,", ":-0,", 1),
    lambda s, r: s.replace(":0,", ":00,", 1),
    lambda s, r: s[:r % len(s)] + s[r % len(s) + 1:],
    lambda s, r: s[:r % len(s)] + "x" + s[r % len(s):],
    lambda s, r: s[:r % len(s)],
    lambda s, r: "\ufeff" + s,
    lambda s, r: s.replace("]}", ',{"hash":"' + "0" * 64 + '"}]}'),
    lambda s, r: s.replace('{"rows":[', '{"rows":[],"rows":[', 1),
    lambda s, r: s.replace('"hash":"', '"hash":"' + "0", 1).replace('",', '",', 1),
    lambda s, r: s.replace("},{", "},\n{", 1),
    lambda s, r: s.replace('"table":', '"table" :', 1),
    lambda s, r: s.replace('"id":"', '"id":"a/', 1),
    lambda s, r: s.replace('"device_id":"', '"device_id":"x', 1),
    lambda s, r: s.replace('"seq":', '"seq":-', 1),
    lambda s, r: s.replace('"prev_hash":"', '"prev_hash":"A', 1),
    lambda s, r: s.replace('},{"hash"', '}[{"hash"', 1),
    lambda s, r: re.sub(r'"id":"row-(\w+)-\d+"', r'"id":"row-\1-1"', s, count=1),  # the id of another row
]


def general_body(body: bytes, device=DEVICE, max_rows=10):
    try:
        return parse_rows(json_field(body, "rows"), device_id=device, max_rows=max_rows)
    except MadoguchiError as exc:
        return exc.code


def check_body(text: str, device, max_rows: int, *, must_be_fast: bool = False) -> None:
    body = text.encode("utf-8", "surrogatepass")
    expected = general_body(body, device, max_rows)
    fast = read_canonical(body, device, max_rows)
    if isinstance(expected, str):
        assert fast is None, expected
    else:
        assert fast is None or fast == expected
        if must_be_fast:
            assert fast == expected  # what the laptop writes takes the fast way


@settings(PROPERTY, max_examples=150)
@given(rows=batches(scalars=readable), device=st.sampled_from([DEVICE, "other-device", None]),
       max_rows=st.sampled_from([10, 2]), shuffle=st.randoms(use_true_random=False), r=st.integers(0, 10**6))
def test_canonical_body_check_returns_what_the_general_check_returns(rows, device, max_rows, shuffle, r):
    shuffle.shuffle(rows)
    check_body(wire_body(rows), device, max_rows,
               must_be_fast=device != "other-device" and len(rows) <= max_rows and plain(rows))
    for edit in TEXT_EDITS:
        check_body(edit(wire_body(rows), r), device, max_rows)  # the body changed on its way
        # a row's text changed, and a hash made to fit it (a writer that cheats)
        check_body(wire_body(rows, {r % len(rows): lambda t: edit(t, r)}), device, max_rows)


_COMMON = ["a/b", "x\ny", "\x1f", "\x08", "\\", '"', "a", "名", "", 0, 1, -5, 10**17, None, True]
_OUT_OF_REACH = [10**18, 2**63 - 1, 2**63, -(2**63), 10**19 + 1]  # 19 digits and more: general way only
tricky = st.sampled_from(_COMMON * 20 + _OUT_OF_REACH)  # mostly values the fast way reads


@settings(PROPERTY, max_examples=120)
@given(table=st.sampled_from(TABLES), data=st.data(), r=st.integers(0, 10**6))
def test_text_that_is_not_canonical_never_passes_even_with_a_fitting_hash(table, data, r):
    rows = [valid_row(table, data.draw(st.fixed_dictionaries({c: tricky for c in CHAINED_COLUMNS[table]})), seq)
            for seq in range(1, 4)]
    for edit in TEXT_EDITS:  # every edit on every row: a writer that is not canonical, or cheats
        for target in range(3):
            body = wire_body(rows, {target: lambda t: edit(t, r)}).encode("utf-8")
            expected = general_body(body)
            fast = read_canonical(body, DEVICE, 10)
            assert fast is None if isinstance(expected, str) else fast in (None, expected)


def test_a_lone_surrogate_is_malformed_not_a_crash():
    row = valid_row("tally", {c: "x" for c in CHAINED_COLUMNS["tally"]} | {"reason": "\ud800"}, 1)
    body = json.dumps({"rows": [row]}).encode()  # \ud800 as an escape: valid JSON
    assert general_body(body) == "SYNC_MALFORMED"
    assert read_canonical(body, DEVICE, 10) is None


# ---- the laptop's writer ------------------------------------------------------------

PROBE = ("id", "device_id", "seq", "label", "note", "number", "maybe", "prev_hash")


@pytest.fixture
def probe_store(tmp_path, monkeypatch):
    """A real store with a chained table whose columns take any value SQLite keeps
    as given (no type affinity), so every kind of value reaches the writer."""
    monkeypatch.setitem(CHAINED_COLUMNS, "probe", PROBE)
    store = Store.open(tmp_path / "booth")
    store.conn.execute("CREATE TABLE probe (id TEXT PRIMARY KEY, device_id TEXT, seq INTEGER, label, note,"
                       " number, maybe, prev_hash TEXT, hash TEXT, UNIQUE (device_id, seq))")
    yield store
    store.close()


stored_values = (st.none() | st.integers(min_value=-(2**63 - 1), max_value=2**63 - 1)  # the hub's range
                 | st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: math.copysign(1, f) > 0 or f)
                 | st.text(st.characters(codec="utf-8"), max_size=12)
                 | st.sampled_from(["\x00", "\x7f", "\u2028", '"\\', "名取市", "😀"]))


def test_laptop_writer_sends_the_rows_of_the_store(probe_store):
    store = probe_store
    counter = iter(range(10**6))

    @PROPERTY
    @given(rows=st.lists(st.fixed_dictionaries({c: stored_values for c in ("label", "note", "number", "maybe")}),
                         min_size=1, max_size=4), limit=st.integers(1, 5))
    def run(rows, limit):
        head = store.query_one("SELECT head_seq FROM device WHERE id = ?", (store.device_id,))[0]
        with store.transaction():
            for values_of in rows:
                store.append("probe", {"id": f"p{next(counter)}", **values_of})
        batch = encoded_batch(store, head, limit)
        expected = rows_after(store, head, limit)
        assert json.loads(batch.body)["rows"] == expected
        assert (batch.count, batch.last_seq, batch.last_hash) == (len(expected), expected[-1]["seq"],
                                                                  expected[-1]["hash"])
        checked = general_body(batch.body, store.device_id, 10)
        assert not isinstance(checked, str) or checked == "SYNC_MALFORMED" and "\\u0000" in batch.body.decode()
        fast = read_canonical(batch.body, store.device_id, 10)
        if not plain(expected) or isinstance(checked, str):
            assert fast is None or fast == checked
        else:
            assert fast == checked  # SQLite wrote the canonical text itself
    run()


def test_laptop_writer_mixes_tables_in_chain_order(tmp_path):
    from tests.sync.helpers import open_day, tap_n
    with Store.open(tmp_path / "booth") as store:
        opening = open_day(store)
        tap_n(store, opening.id, 3)
        open_day(store, venue="二つ目の会場")
        tap_n(store, opening.id, 2)
        expected = rows_after(store, 0, 100)
        for after, limit in [(0, 100), (0, 2), (3, 3), (5, 100)]:
            batch = encoded_batch(store, after, limit)
            want = [r for r in expected if r["seq"] > after][:limit]
            assert json.loads(batch.body)["rows"] == want
            assert read_canonical(batch.body, store.device_id, 100) == general_body(batch.body, store.device_id, 100)
        assert encoded_batch(store, 100, 10) is None
    assert [r["table"] for r in expected] == ["opening", "tally", "tally", "tally", "opening", "tally", "tally"]
