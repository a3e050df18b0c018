"""Tallies: one append-only row per tap. Counts are sums of deltas.

Undo and corrections are compensating rows that point at the row they cancel
(`ref_id`). Rows written together (an applicant card, an undo of a card, a correction)
share a `group_id`, so "undo the last tap" cancels exactly what one touch recorded.
After the day is closed every change needs a reason and is flagged as an amendment.
Reasons sync to the office, so each is screened for visitor personal data
(app.reason_screen) before anything is written.

A profile's capped counter (`daily_cap_counter`, e.g. point_grant of spec 000) is a
point grant whichever way it is written — `tap`, a card, a correction, the tally
board, the CLI or `app.points.grant`: every write that adds to it is checked
against this laptop's allotment by app.points (`check_grants`) in the same
transaction, and refused with the points feature's own message and code
(POINTS_NO_VENUE_DAY, POINTS_ALLOTMENT_EXHAUSTED, POINTS_CAP_REACHED).
"""
from __future__ import annotations

import json
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from app.errors import MadoguchiError
from app.ids import uuid7
from app.openings import Opening, get_opening
from app.profiles import Profile, get_profile
from app.reason_screen import screen_reason
from app.store import Store

log = logging.getLogger("madoguchi.tallies")


@dataclass(frozen=True)
class Tally:
    id: str
    seq: int
    device_id: str
    opening_id: str
    counter: str
    dims: dict
    delta: int
    kind: str
    ref_id: str | None
    group_id: str
    reason: str
    amendment: bool
    device_time: str
    undone: bool = False

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def canonical_dims(dims: dict) -> str:
    return json.dumps(dict(sorted(dims.items())), ensure_ascii=False, separators=(",", ":"))


def _from_row(row) -> Tally:
    keys = row.keys()
    return Tally(
        id=row["id"], seq=row["seq"], device_id=row["device_id"], opening_id=row["opening_id"],
        counter=row["counter"], dims=json.loads(row["dims"]), delta=row["delta"],
        kind=row["kind"], ref_id=row["ref_id"], group_id=row["group_id"], reason=row["reason"],
        amendment=bool(row["amendment"]), device_time=row["device_time"],
        undone=bool(row["undone"]) if "undone" in keys else False)


def validate_dims(profile: Profile, counter: str, dims: dict) -> dict:
    """Every dimension of the counter must be given, with one of its allowed values."""
    if not profile.has_counter(counter):
        raise MadoguchiError("COUNTER_UNKNOWN", counter=counter, profile=profile.key)
    spec = profile.counter(counter)
    for name in dims:
        if name not in spec.dimensions:
            raise MadoguchiError("DIMENSION_UNKNOWN", counter=counter, dimension=name,
                                 allowed=", ".join(spec.dimensions) or "-")
    clean = {}
    for name in spec.dimensions:
        if name not in dims or dims[name] in (None, ""):
            raise MadoguchiError("DIMENSION_MISSING", counter=counter, dimension=name)
        allowed = [v.key for v in profile.dimension(name).values]
        value = str(dims[name])
        if value not in allowed:
            raise MadoguchiError("DIMENSION_VALUE_INVALID", dimension=name, value=value,
                                 allowed=", ".join(allowed))
        clean[name] = value
    return clean


def _context(store: Store, opening_id: str) -> tuple[Opening, Profile]:
    opening = get_opening(store, opening_id)
    return opening, get_profile(opening.profile)


def _reason_for(opening: Opening, reason: str | None, *, required: bool) -> str:
    # Reasons sync and reach the office: screened for visitor personal data before
    # any transaction starts (app.reason_screen).
    reason = screen_reason(reason)
    if opening.closed and not reason:
        raise MadoguchiError("OPENING_CLOSED", opening=opening.id)
    if required and not reason:
        raise MadoguchiError("REASON_REQUIRED")
    return reason


def capped_counter(profile: Profile) -> str | None:
    """The counter the profile's daily cap limits (a point grant), if any."""
    return profile.daily_cap_counter if profile.daily_cap else None


def _check_cap(store: Store, opening: Opening, rows: list[dict], now: datetime) -> None:
    """Rows that add grants on the capped counter go through the points feature's
    own check (inside the caller's transaction, so nothing can slip in between)."""
    counter = capped_counter(get_profile(opening.profile))
    added = sum(r["delta"] for r in rows if r["counter"] == counter) if counter else 0
    if added > 0:
        from app.points.ledger import check_grants  # app.points builds on this module
        check_grants(store, opening.id, added, now)


def _append_tallies(store: Store, opening: Opening, rows: list[dict], now: datetime,
                    reason: str, *, cap_checked: bool = False) -> list[Tally]:
    group = uuid7()
    stamp = now.isoformat(timespec="milliseconds")
    written = []
    with store.transaction():
        if not cap_checked:
            _check_cap(store, opening, rows, now)
        for fields in rows:
            tally_id = uuid7()
            written.append(store.append("tally", {
                "id": tally_id, "opening_id": opening.id, "group_id": group,
                "reason": reason, "amendment": int(opening.closed), "device_time": stamp,
                "ref_id": None, **fields,
            }))
    return [_from_row(r) for r in written]


def tap(store: Store, opening_id: str, counter: str, dims: dict | None = None, *,
        now: datetime, reason: str | None = None) -> Tally:
    """One tap: +1 on a counter. Returns after the row is committed. On the capped
    counter this is a point grant, refused when this laptop has no allotment left
    (see the module docstring; `app.points.grant` also returns the new status)."""
    return _tap(store, opening_id, counter, dims, now=now, reason=reason)


def append_checked_tap(store: Store, opening_id: str, counter: str, dims: dict | None = None, *,
                       now: datetime, reason: str | None = None) -> Tally:
    """A tap on the capped counter whose allotment check the caller has just made
    in its own open transaction (app.points.grant): the same write as `tap`
    without checking twice. Anything else calls `tap`."""
    assert store.conn.in_transaction, "append_checked_tap() outside the caller's transaction"
    return _tap(store, opening_id, counter, dims, now=now, reason=reason, cap_checked=True)


def _tap(store: Store, opening_id: str, counter: str, dims: dict | None, *, now: datetime,
         reason: str | None, cap_checked: bool = False) -> Tally:
    opening, profile = _context(store, opening_id)
    clean = validate_dims(profile, counter, dims or {})
    reason = _reason_for(opening, reason, required=False)
    [row] = _append_tallies(store, opening, [
        {"counter": counter, "dims": canonical_dims(clean), "delta": 1, "kind": "tap"}],
        now, reason, cap_checked=cap_checked)
    return row


def record_card(store: Store, opening_id: str, dims: dict, optional: list[str] | tuple = (), *,
                now: datetime, reason: str | None = None) -> list[Tally]:
    """One applicant: the card's counters plus the optional ones the staff ticked, each
    with the dimensions it declares, committed together."""
    opening, profile = _context(store, opening_id)
    if profile.card is None:
        raise MadoguchiError("NO_CARD", profile=profile.key)
    for key in optional:
        if key not in profile.card.optional:
            raise MadoguchiError("COUNTER_UNKNOWN", counter=key, profile=profile.key)
    rows = []
    for counter in (*profile.card.counters, *[c for c in profile.card.optional if c in optional]):
        wanted = {k: v for k, v in dims.items() if k in profile.counter(counter).dimensions}
        rows.append({"counter": counter, "dims": canonical_dims(validate_dims(profile, counter, wanted)),
                     "delta": 1, "kind": "tap"})
    reason = _reason_for(opening, reason, required=False)
    return _append_tallies(store, opening, rows, now, reason)


_LIVE = """
    SELECT t.* FROM tally t
    WHERE t.kind IN ('tap', 'correction')
      AND NOT EXISTS (SELECT 1 FROM tally u WHERE u.ref_id = t.id AND u.kind = 'undo')
"""


def _undo_rows(targets: list[Tally]) -> list[dict]:
    return [{"counter": t.counter, "dims": canonical_dims(t.dims), "delta": -t.delta,
             "kind": "undo", "ref_id": t.id} for t in targets]


def undo_last(store: Store, opening_id: str, *, now: datetime, reason: str | None = None) -> list[Tally]:
    """Cancel the newest live touch of this laptop on this opening (a tap or a whole
    card). Pressing it again cancels the one before. Counts a station recorded by
    itself (`recorded_by`, e.g. a printed photo) are not the staff's touches: they
    are skipped here and undone from the history instead."""
    opening, profile = _context(store, opening_id)
    by_station = [c.key for c in profile.counters if c.recorded_by]
    skip = f" AND t.counter NOT IN ({', '.join('?' * len(by_station))})" if by_station else ""
    last = store.query_one(_LIVE + " AND t.opening_id = ? AND t.device_id = ?" + skip
                           + " ORDER BY t.seq DESC LIMIT 1", (opening_id, store.device_id, *by_station))
    if last is None:
        raise MadoguchiError("NOTHING_TO_UNDO")
    targets = [_from_row(r) for r in store.query(
        _LIVE + " AND t.group_id = ? ORDER BY t.seq", (last["group_id"],))]
    reason = _reason_for(opening, reason, required=False)
    return _append_tallies(store, opening, _undo_rows(targets), now, reason)


def get_tally(store: Store, tally_id: str) -> Tally:
    row = store.query_one(
        "SELECT t.*, EXISTS (SELECT 1 FROM tally u WHERE u.ref_id = t.id AND u.kind = 'undo') AS undone"
        " FROM tally t WHERE t.id = ?", (tally_id,))
    if row is None:
        raise MadoguchiError("TALLY_NOT_FOUND", tally=tally_id)
    return _from_row(row)


def _undoable(store: Store, tally_id: str) -> tuple[Tally, Opening]:
    target = get_tally(store, tally_id)
    if target.kind == "undo":
        raise MadoguchiError("TALLY_NOT_UNDOABLE", tally=tally_id)
    if target.undone:
        raise MadoguchiError("ALREADY_UNDONE", tally=tally_id)
    return target, get_opening(store, target.opening_id)


def undo(store: Store, tally_id: str, *, reason: str, now: datetime) -> list[Tally]:
    """Cancel one earlier tap, with a reason."""
    target, opening = _undoable(store, tally_id)
    reason = _reason_for(opening, reason, required=True)
    return _append_tallies(store, opening, _undo_rows([target]), now, reason)


def correct(store: Store, tally_id: str, *, counter: str | None = None, dims: dict | None = None,
            reason: str, now: datetime) -> list[Tally]:
    """Replace one earlier tap by a tap on another counter and/or with other
    dimension values: an undo row and a correction row, committed together."""
    target, opening = _undoable(store, tally_id)
    profile = get_profile(opening.profile)
    new_counter = counter or target.counter
    base = dims if dims is not None else target.dims
    clean = validate_dims(profile, new_counter, {
        k: v for k, v in base.items() if k in profile.counter(new_counter).dimensions})
    if new_counter == target.counter and clean == target.dims:
        raise MadoguchiError("CORRECTION_UNCHANGED")
    reason = _reason_for(opening, reason, required=True)
    return _append_tallies(store, opening, [
        *_undo_rows([target]),
        {"counter": new_counter, "dims": canonical_dims(clean), "delta": 1,
         "kind": "correction", "ref_id": target.id},
    ], now, reason)


def totals(store: Store, opening_id: str | None = None) -> dict:
    """{counter: {"total": n, "by_dimension": {dim: {value: n}}}} for every counter of
    the profile (zeros included), for one opening or, with None, for all."""
    where, params = ("WHERE opening_id = ?", (opening_id,)) if opening_id else ("", ())
    rows = store.query(f"SELECT counter, dims, SUM(delta) AS n FROM tally {where} "
                       "GROUP BY counter, dims", params)
    result: dict[str, dict] = {}
    if opening_id:
        profile = get_profile(get_opening(store, opening_id).profile)
        for c in profile.counters:
            result[c.key] = {"total": 0, "by_dimension": {d: {} for d in c.dimensions}}
    for row in rows:
        entry = result.setdefault(row["counter"], {"total": 0, "by_dimension": {}})
        entry["total"] += row["n"]
        for dim, value in json.loads(row["dims"]).items():
            by_value = entry["by_dimension"].setdefault(dim, {})
            by_value[value] = by_value.get(value, 0) + row["n"]
    for entry in result.values():  # drop values whose taps were all undone
        for dim, by_value in entry["by_dimension"].items():
            entry["by_dimension"][dim] = {v: n for v, n in sorted(by_value.items()) if n}
    return result


def hourly(store: Store, opening_id: str) -> dict[int, dict[str, int]]:
    """{hour: {counter: n}} by the device's local hour of each row, undos included
    where they happened, so the chart matches the totals."""
    out: dict[int, dict[str, int]] = defaultdict(dict)
    rows = store.query(
        "SELECT CAST(substr(device_time, 12, 2) AS INTEGER) AS hour, counter, SUM(delta) AS n"
        " FROM tally WHERE opening_id = ? GROUP BY hour, counter", (opening_id,))
    for row in rows:
        out[row["hour"]][row["counter"]] = row["n"]
    return dict(out)


def history(store: Store, opening_id: str, limit: int = 100, *, hour: int | None = None,
            counter: str | None = None) -> list[Tally]:
    """Newest first, with whether each row has been undone, for the history list.
    `hour` (of the laptop's local device time, as in hourly()) and `counter` narrow
    it down: on a busy day the newest `limit` rows cover only the last minutes, and a
    supervisor correcting a morning tap must still find it."""
    where, params = ["t.opening_id = ?"], [opening_id]
    if hour is not None:
        where.append("substr(t.device_time, 12, 2) = ?")
        params.append(f"{int(hour):02d}")
    if counter is not None:
        where.append("t.counter = ?")
        params.append(counter)
    rows = store.query(
        "SELECT t.*, EXISTS (SELECT 1 FROM tally u WHERE u.ref_id = t.id AND u.kind = 'undo') AS undone"
        f" FROM tally t WHERE {' AND '.join(where)} ORDER BY t.device_id = ? DESC, t.seq DESC LIMIT ?",
        (*params, store.device_id, limit))
    return [_from_row(r) for r in rows]
