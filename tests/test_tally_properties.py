"""Property tests: any sequence of taps, cards, undos and corrections gives the totals of
a simple model and verifies; any edit or deletion behind the app's back is caught."""
from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import MadoguchiError
from app.openings import close_opening, open_opening
from app.store import Store
from app.tallies import correct, record_card, tap, totals, undo, undo_last
from app.verify import verify
from tests.conftest import at, profile_for_spec

AGES = ["under10", "20s", "30s", "70s", "80plus"]
METHODS = ["paper", "online"]

dims_st = st.fixed_dictionaries({"age_band": st.sampled_from(AGES), "method": st.sampled_from(METHODS)})
action_st = st.one_of(
    st.tuples(st.just("tap"), st.sampled_from(["visitors", "smartphone_help"]), st.just({})),
    st.tuples(st.just("tap"), st.just("application"), dims_st),
    st.tuples(st.just("card"), dims_st, st.sets(st.sampled_from(["insurance_link", "kouhi_account"]))),
    st.tuples(st.just("undo_last")),
    st.tuples(st.just("undo"), st.integers(0, 50)),
    st.tuples(st.just("correct"), st.integers(0, 50), dims_st),
    st.tuples(st.just("close")),
)


class Model:
    """Live taps as (id, counter, dims, group), in the order they were written."""

    def __init__(self) -> None:
        self.live: list[tuple[str, str, dict, str]] = []
        self.closed = False

    def add(self, rows) -> None:
        for r in rows:
            if r.kind == "undo":
                self.live = [e for e in self.live if e[0] != r.ref_id]
            else:
                self.live.append((r.id, r.counter, r.dims, r.group_id))

    def totals(self) -> dict:
        out: dict[str, Counter] = {}
        for _, counter, dims, _ in self.live:
            out.setdefault(counter, Counter())[tuple(sorted(dims.items()))] += 1
        return out


def _open(store: Store):
    p = profile_for_spec("003")
    return open_opening(store, profile=p, kind=p.opening_kinds[0].key, venue="会場",
                        municipality="仙台市", date="2026-11-26", large=False, staff=2, now=at(9))


def _run(store: Store, opening_id: str, actions, model: Model) -> None:
    for i, action in enumerate(actions):
        now = at(10 + i // 60, i % 60)
        reason = "修正" if model.closed else None
        kind = action[0]
        if kind == "tap":
            model.add([tap(store, opening_id, action[1], action[2], now=now, reason=reason)])
        elif kind == "card":
            card_dims = action[1]
            model.add(record_card(store, opening_id, card_dims, sorted(action[2]), now=now, reason=reason))
        elif kind == "undo_last":
            if not model.live:
                continue
            expected_group = model.live[-1][3]
            rows = undo_last(store, opening_id, now=now, reason=reason)
            assert {r.ref_id for r in rows} == {e[0] for e in model.live if e[3] == expected_group}
            model.add(rows)
        elif kind in ("undo", "correct"):
            if not model.live:
                continue
            target = model.live[action[1] % len(model.live)]
            if kind == "undo":
                model.add(undo(store, target[0], reason="押し間違い", now=now))
            else:
                try:
                    model.add(correct(store, target[0], dims=action[2], reason="訂正", now=now))
                except MadoguchiError as exc:  # same values, or a counter without these dims
                    assert exc.code in {"CORRECTION_UNCHANGED"}
        elif kind == "close" and not model.closed:
            close_opening(store, opening_id, now=now)
            model.closed = True


def _store_totals(store: Store, opening_id: str) -> dict:
    rows = store.query("SELECT counter, dims, SUM(delta) AS n FROM tally WHERE opening_id = ? "
                       "GROUP BY counter, dims HAVING n != 0", (opening_id,))
    import json
    out: dict[str, Counter] = {}
    for r in rows:
        out.setdefault(r["counter"], Counter())[tuple(sorted(json.loads(r["dims"]).items()))] = r["n"]
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(action_st, max_size=40))
def test_any_sequence_matches_the_model_and_verifies(actions):
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp)) as store:
        opening = _open(store)
        model = Model()
        _run(store, opening.id, actions, model)
        assert _store_totals(store, opening.id) == model.totals()
        t = totals(store, opening.id)
        for counter, by_dims in model.totals().items():
            assert t[counter]["total"] == sum(by_dims.values())
        assert verify(store).ok


TAMPER_COLUMNS = {
    "tally": ["counter", "dims", "delta", "reason", "device_time", "opening_id", "seq", "kind"],
    "opening": ["venue", "municipality", "date", "staff", "large"],
    "closing": ["closed_at", "summary", "confirmed_by"],
    "device": ["head_seq", "head_hash"],
}


def _changed(column: str, value):
    """A different value that the table's CHECK constraints still accept."""
    special = {"kind": lambda v: "tap" if v != "tap" else "correction",
               "delta": lambda v: -v, "large": lambda v: 1 - v, "staff": lambda v: v + 1,
               "seq": lambda v: v + 1000, "head_seq": lambda v: v - 1}
    if column in special:
        return special[column](value)
    return (value or "") + "x"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(action_st, min_size=1, max_size=25), st.data())
def test_any_edit_or_deletion_behind_the_apps_back_fails_verify(actions, data):
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp)) as store:
        opening = _open(store)
        _run(store, opening.id, actions, Model())
        assert verify(store).ok
        candidates = [(t, r["id"]) for t in TAMPER_COLUMNS
                      for r in store.query(f"SELECT id FROM {t}")]
        table, row_id = data.draw(st.sampled_from(candidates))
        conn = store.conn
        for trigger in ("no_update", "no_delete"):  # what someone editing the file would do
            conn.execute(f"DROP TRIGGER IF EXISTS {table}_{trigger}")
        conn.execute("PRAGMA foreign_keys = OFF")
        if data.draw(st.booleans(), label="delete"):
            conn.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))
        else:
            column = data.draw(st.sampled_from(TAMPER_COLUMNS[table]))
            old = conn.execute(f"SELECT {column} FROM {table} WHERE id = ?", (row_id,)).fetchone()[0]
            new = _changed(column, old)
            conn.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", (new, row_id))
        report = verify(store)
        assert not report.ok
        assert report.first_bad is not None
