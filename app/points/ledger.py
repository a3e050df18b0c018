"""Point grants against the venue-day cap, and this laptop's allotment of it.

The invariant (docs/qr.md, "The cap across laptops"):

    available = Σ allotment deltas of this laptop − live grants on its opening ≥ 0

and the allotment deltas of all laptops of one day add up to at most the cap,
because every fact that raises one laptop's allotment is matched by one that
lowered another's (or the hub's reserve) first:

- initial: the lead splits the cap when the day opens (Σ initial + hub reserve ≤ cap);
- transfer_out −K on A when A issues a transfer code for K to laptop B;
- transfer_in +K on B, at most once per code (unique index), only if B has not voided it;
- transfer_void 0 on B: B will never receive that code (it shows A a return code);
- transfer_returned +K on A, only with B's signed return code, at most once;
- hub_in +K after the hub committed a draw, hub_out −K before a release is sent.

So for every transfer code either B got K or A got K back, never both, whatever
the clocks say; grants are only refused, never lost. Every function checks and
writes inside one BEGIN IMMEDIATE transaction. This module: status, setting up
and joining the day, grants; app/points/transfers.py: the moves between laptops.
"""
from __future__ import annotations

import json
import logging
import secrets as _random
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone

from app import tallies as tl
from app.errors import MadoguchiError
from app.ids import uuid7
from app.openings import Opening, get_opening
from app.points import codes
from app.points import errors as _errors  # noqa: F401  (registers POINTS_* codes)
from app.profiles import get_profile
from app.reason_screen import screen_reason
from app.store import Store
from app.tallies import Tally

log = logging.getLogger("madoguchi.points")

DEFAULT_MARGIN_MIN = 10     # clock difference between laptops we tolerate
DEFAULT_VALID_MIN = 15      # a transfer code is scanned on the spot; 15 min is plenty
MIN_VALID_MIN = 1
MAX_VALID_MIN = 240         # fits the code's 8-bit field; longer than a booth's half day is a mistake


def local_laptop(store: Store) -> str:
    return codes.laptop_code(store.device_id)


@dataclass(frozen=True)
class Outstanding:
    """A transfer this laptop issued that has not come back. Whether the recipient
    received it is unknown here (offline); the grants stay counted as given away."""
    code_id: str
    recipient: str
    count: int
    expires_at: str
    expired: bool      # past expiry + margin by this laptop's clock: ask for a return code


@dataclass(frozen=True)
class PointsStatus:
    opening_id: str
    venue_day: str
    laptop: str
    role: str
    day: str
    counter: str
    cap: int
    margin_min: int
    hub_reserve: int
    roster: dict[str, int]
    initial: int
    received: int
    sent: int
    returned: int
    hub_in: int
    hub_out: int
    granted: int
    outstanding: tuple[Outstanding, ...] = field(default=())
    # Codes whose grants came back because the hub saw that the recipient can no
    # longer receive them (sync/allotments_router.py); shown to the staff as such.
    returned_by_hub: tuple[Outstanding, ...] = field(default=())

    @property
    def allotment(self) -> int:
        """Grants this laptop may make in total today (before subtracting grants)."""
        return self.initial + self.received + self.returned + self.hub_in - self.sent - self.hub_out

    @property
    def available(self) -> int:
        return self.allotment - self.granted

    @property
    def ended(self) -> bool:
        return self.available <= 0

    @property
    def whole_cap_here(self) -> bool:
        """This laptop alone holds the venue's whole cap, so its end is the venue's."""
        return (self.roster == {self.laptop: self.cap} and self.hub_reserve == 0
                and self.sent == 0 and self.hub_out == 0)

    @property
    def cap_reached(self) -> bool:
        return self.ended and self.whole_cap_here

    @property
    def in_transit(self) -> int:
        return sum(o.count for o in self.outstanding)

    def to_dict(self) -> dict:
        data = {k: getattr(self, k) for k in self.__dataclass_fields__}
        data["outstanding"] = [o.__dict__ for o in self.outstanding]
        data["returned_by_hub"] = [o.__dict__ for o in self.returned_by_hub]
        data.update(allotment=self.allotment, available=self.available, ended=self.ended,
                    cap_reached=self.cap_reached, in_transit=self.in_transit)
        return data


# ------------------------------------------------------------------ reading

def _stamp(now: datetime) -> str:
    return now.isoformat(timespec="milliseconds")


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:  # domain callers pass aware times; be safe anyway
        moment = moment.astimezone()
    return moment.astimezone(timezone.utc)


def _venue_row(store: Store, opening_id: str):
    return store.query_one(
        "SELECT * FROM points_venue_day WHERE opening_id = ? AND device_id = ?",
        (opening_id, store.device_id))


def _require_venue(store: Store, opening_id: str):
    row = _venue_row(store, opening_id)
    if row is None:
        get_opening(store, opening_id)  # OPENING_NOT_FOUND first, if that is the problem
        raise MadoguchiError("POINTS_NO_VENUE_DAY")
    return row


def _secret(store: Store, venue_day: str) -> bytes:
    row = store.query_one("SELECT secret FROM points_secret WHERE venue_day = ?", (venue_day,))
    if row is None:  # the chained row synced in without its secret: not our day
        raise MadoguchiError("POINTS_CODE_UNKNOWN_DAY")
    return bytes.fromhex(row["secret"])


def is_joined(store: Store, opening_id: str) -> bool:
    return _venue_row(store, opening_id) is not None


def status(store: Store, opening_id: str, now: datetime | None = None) -> PointsStatus:
    """Everything the staff and the visitor display show about the allotment."""
    v = _require_venue(store, opening_id)
    sums = {r["kind"]: r["n"] for r in store.query(
        "SELECT kind, SUM(amount) AS n FROM points_allotment WHERE device_id = ? AND venue_day = ?"
        " GROUP BY kind", (store.device_id, v["venue_day"]))}
    granted = store.query_one(
        "SELECT COALESCE(SUM(delta), 0) AS n FROM tally WHERE opening_id = ? AND counter = ?",
        (opening_id, v["counter"]))["n"]
    outstanding, by_hub = [], []
    margin = timedelta(minutes=v["margin_min"])
    for r in store.query(
            "SELECT o.code_id, o.peer, o.amount, o.expires_at, r.detail AS returned"
            " FROM points_allotment o LEFT JOIN points_allotment r"
            " ON r.device_id = o.device_id AND r.venue_day = o.venue_day"
            " AND r.kind = 'transfer_returned' AND r.code_id = o.code_id"
            " WHERE o.device_id = ? AND o.venue_day = ? AND o.kind = 'transfer_out' ORDER BY o.seq",
            (store.device_id, v["venue_day"])):
        expired = now is not None and _utc(now) > datetime.fromisoformat(r["expires_at"]) + margin
        item = Outstanding(r["code_id"], r["peer"], r["amount"], r["expires_at"], expired)
        if r["returned"] is None:
            outstanding.append(item)
        elif json.loads(r["returned"]).get("via") == "hub":
            by_hub.append(item)
    return PointsStatus(
        opening_id=opening_id, venue_day=v["venue_day"], laptop=v["laptop"], role=v["role"],
        day=v["day"], counter=v["counter"], cap=v["cap"], margin_min=v["margin_min"],
        hub_reserve=v["hub_reserve"], roster=json.loads(v["allotments"]),
        initial=sums.get("initial", 0), received=sums.get("transfer_in", 0),
        sent=sums.get("transfer_out", 0), returned=sums.get("transfer_returned", 0),
        hub_in=sums.get("hub_in", 0), hub_out=sums.get("hub_out", 0), granted=granted,
        outstanding=tuple(outstanding), returned_by_hub=tuple(by_hub))


# ------------------------------------------------------------------ writing

def _append(store: Store, venue_day: str, kind: str, amount: int, code_id: str, peer: str,
            now: datetime, expires_at: str | None = None, detail: dict | None = None) -> dict:
    sign = {"transfer_out": -1, "hub_out": -1, "transfer_void": 0}.get(kind, 1)
    return store.append("points_allotment", {
        "id": uuid7(), "venue_day": venue_day, "kind": kind, "amount": amount,
        "delta": sign * amount, "code_id": code_id, "peer": peer, "expires_at": expires_at,
        "detail": json.dumps(detail or {}, sort_keys=True), "device_time": _stamp(now)})


def _has(store: Store, venue_day: str, kind: str, code_id: str):
    return store.query_one(
        "SELECT * FROM points_allotment WHERE device_id = ? AND venue_day = ? AND kind = ?"
        " AND code_id = ?", (store.device_id, venue_day, kind, code_id))


def _capped(store: Store, opening_id: str) -> tuple[Opening, str, int]:
    opening = get_opening(store, opening_id)
    profile = get_profile(opening.profile)
    if not profile.daily_cap or not profile.daily_cap_counter:
        raise MadoguchiError("POINTS_NO_CAP", profile=profile.key)
    return opening, profile.daily_cap_counter, profile.daily_cap


def _split_error(ja: str, en: str) -> MadoguchiError:
    return MadoguchiError("POINTS_ROSTER_INVALID", problem_ja=ja, problem_en=en)


def _clean_split(allotments: dict[str, int], hub_reserve: int, cap: int) -> dict[str, int]:
    clean: dict[str, int] = {}
    for code, n in allotments.items():
        key = codes.canonical_laptop(code)
        if key in clean:
            raise _split_error(f"端末 {key} が二度入力されています", f"laptop {key} is entered twice")
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise _split_error(f"端末 {key} の数 {n} は 0 以上の整数にしてください",
                               f"the count {n} of laptop {key} must be a whole number of 0 or more")
        clean[key] = n
    if not 1 <= len(clean) <= codes.MAX_LAPTOPS:
        raise _split_error(f"端末は 1〜{codes.MAX_LAPTOPS} 台にしてください", f"use 1 to {codes.MAX_LAPTOPS} laptops")
    if not isinstance(hub_reserve, int) or hub_reserve < 0:
        raise _split_error(f"ハブに預ける数 {hub_reserve} は 0 以上にしてください",
                           f"the hub reserve {hub_reserve} must be 0 or more")
    total = sum(clean.values()) + hub_reserve
    if total > cap:
        raise _split_error(f"合計 {total} 名が上限 {cap} 名を超えています", f"the total {total} is over the cap {cap}")
    return clean


def _join(store: Store, opening: Opening, counter: str, roster: codes.Roster, role: str,
          now: datetime) -> None:
    me = local_laptop(store)
    vd = roster.venue_day
    store.conn.execute("INSERT OR IGNORE INTO points_secret (venue_day, secret, created_at) VALUES (?, ?, ?)",
                       (vd, roster.secret.hex(), _stamp(now)))
    store.append("points_venue_day", {
        "id": uuid7(), "venue_day": vd, "opening_id": opening.id, "counter": counter,
        "cap": roster.cap, "day": roster.day.isoformat(), "laptop": me, "role": role,
        "allotments": json.dumps(roster.allotments),  # roster order: the code re-encodes the same
        "hub_reserve": roster.hub_reserve, "margin_min": roster.margin_min,
        "issued_at": roster.issued_at.isoformat(), "device_time": _stamp(now)})
    _append(store, vd, "initial", roster.allotments.get(me, 0), "initial", "roster", now)


def prepare_day(store: Store, opening_id: str, *, now: datetime,
                allotments: dict[str, int] | None = None, hub_reserve: int = 0,
                margin_min: int = DEFAULT_MARGIN_MIN) -> codes.Roster:
    """Check a set-up of the distribution day and make its roster (a fresh secret,
    the cap split into initial allotments per laptop code; default: all of it
    here). Writes nothing: the caller may first register the day with the hub
    (one venue-day per venue and date), then commit it with `setup_day`."""
    opening, _counter, cap = _capped(store, opening_id)
    existing = _venue_row(store, opening_id)
    if existing is not None:
        raise MadoguchiError("POINTS_ALREADY_JOINED", venue_day=existing["venue_day"])
    me = local_laptop(store)
    split = _clean_split(allotments if allotments is not None else {me: cap - hub_reserve},
                         hub_reserve, cap)
    if not 0 <= margin_min <= 255:
        raise _split_error(f"時計のずれの許容 {margin_min} 分は 0〜255 分にしてください",
                           f"the clock margin {margin_min} min must be 0 to 255")
    issued = _utc(now).replace(second=0, microsecond=0)
    return codes.Roster(secret=_random.token_bytes(codes.SECRET_BYTES), day=opening.date, cap=cap,
                        issued_at=issued, margin_min=margin_min, hub_reserve=hub_reserve,
                        allotments=split)


def setup_day(store: Store, opening_id: str, *, now: datetime,
              allotments: dict[str, int] | None = None, hub_reserve: int = 0,
              margin_min: int = DEFAULT_MARGIN_MIN,
              roster: codes.Roster | None = None) -> tuple[PointsStatus, str]:
    """The lead laptop opens the distribution day: the roster of `prepare_day`
    (made here when not given). Only one laptop may do this per venue and date:
    a second set-up would be a second cap. Returns the status and the join code
    the other laptops scan."""
    opening, counter, cap = _capped(store, opening_id)
    if roster is None:
        roster = prepare_day(store, opening_id, now=now, allotments=allotments,
                             hub_reserve=hub_reserve, margin_min=margin_min)
    elif roster.day != opening.date:
        raise MadoguchiError("POINTS_WRONG_DATE", code_date=roster.day.isoformat(),
                             opening_date=opening.date.isoformat())
    elif roster.cap > cap:
        raise MadoguchiError("POINTS_CAP_MISMATCH", code_cap=roster.cap, cap=cap)
    with store.transaction():
        existing = _venue_row(store, opening_id)
        if existing is not None:
            raise MadoguchiError("POINTS_ALREADY_JOINED", venue_day=existing["venue_day"])
        _join(store, opening, counter, roster, "lead", now)
    log.info("distribution day %s set up on %s (%d laptops)", roster.venue_day, opening_id,
             len(roster.allotments))
    return status(store, opening_id, now), roster.encode()


def join_code(store: Store, opening_id: str) -> str:
    """The join code again (any laptop of the day can show it to a late laptop)."""
    v = _require_venue(store, opening_id)
    roster = codes.Roster(
        secret=_secret(store, v["venue_day"]),
        day=date.fromisoformat(v["day"]),
        cap=v["cap"], issued_at=datetime.fromisoformat(v["issued_at"]), margin_min=v["margin_min"],
        hub_reserve=v["hub_reserve"], allotments=json.loads(v["allotments"]))
    return roster.encode()


def join_day(store: Store, opening_id: str, text: str, *, now: datetime) -> PointsStatus:
    """Another laptop joins with the lead's join code. It takes its initial
    allotment if the roster names it (once), otherwise 0: it can still receive
    transfers. Joining the same day again is harmless."""
    roster = codes.Roster.decode(text)
    opening, counter, cap = _capped(store, opening_id)
    existing = _venue_row(store, opening_id)
    if existing is not None:
        if existing["venue_day"] == roster.venue_day:
            return status(store, opening_id, now)
        raise MadoguchiError("POINTS_ALREADY_JOINED", venue_day=existing["venue_day"])
    if store.query_one("SELECT 1 FROM points_venue_day WHERE device_id = ? AND venue_day = ?",
                       (store.device_id, roster.venue_day)):
        raise MadoguchiError("POINTS_ALREADY_JOINED", venue_day=roster.venue_day)
    if roster.day != opening.date:
        raise MadoguchiError("POINTS_WRONG_DATE", code_date=roster.day.isoformat(),
                             opening_date=opening.date.isoformat())
    if roster.cap > cap:
        raise MadoguchiError("POINTS_CAP_MISMATCH", code_cap=roster.cap, cap=cap)
    if _utc(now) < roster.issued_at - timedelta(minutes=roster.margin_min):
        raise MadoguchiError("POINTS_CLOCK_SKEW", minutes=roster.margin_min)
    with store.transaction():
        _join(store, opening, counter, roster, "member", now)
    log.info("joined distribution day %s on %s", roster.venue_day, opening_id)
    return status(store, opening_id, now)


def check_grants(store: Store, opening_id: str, n: int, now: datetime | None = None) -> PointsStatus:
    """Refuse `n` more grants on the opening's capped counter unless this laptop's
    allotment has room for them. app.tallies calls it, inside the transaction that
    writes the rows, for every write that adds to the capped counter (a tap on the
    tally board or the CLI, a card, a correction, `grant`), so each of them is
    refused with the same message. Returns the status before the grants."""
    st = status(store, opening_id, now)
    if st.available < n:
        if st.cap_reached:
            raise MadoguchiError("POINTS_CAP_REACHED", cap=st.cap)
        raise MadoguchiError("POINTS_ALLOTMENT_EXHAUSTED", allotment=st.allotment)
    return st


def grant(store: Store, opening_id: str, *, now: datetime, reason: str | None = None,
          dims: dict | None = None) -> tuple[Tally, PointsStatus]:
    """One visitor receives points: one committed tally on the capped counter,
    refused when this laptop's allotment is used up (the check is app.tallies'
    own, see check_grants). Returns the row and the status after it."""
    _opening, counter, _cap = _capped(store, opening_id)
    screen_reason(reason)  # a refused reason: the transaction never starts
    with store.transaction():
        st = check_grants(store, opening_id, 1, now)
        row = tl.append_checked_tap(store, opening_id, counter, dims, now=now, reason=reason)
    # The same transaction wrote exactly this one row: no need to read it all again.
    return row, replace(st, granted=st.granted + 1)
