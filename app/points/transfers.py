"""Moving allotment between laptops: transfer codes (offline), return codes, and
blocks drawn from / given back to the hub's reserve (online).

See app/points/ledger.py for the invariant these keep: for every transfer code
either the recipient received it or the issuer got it back, never both.
"""
from __future__ import annotations

import json
import logging
import secrets as _random
from datetime import datetime, timedelta, timezone

from app.errors import MadoguchiError
from app.points import codes
from app.points.ledger import (DEFAULT_VALID_MIN, MAX_VALID_MIN, MIN_VALID_MIN, PointsStatus, _append, _has,
                               _require_venue, _secret, _utc, status)
from app.store import CHAINED_COLUMNS, Store

log = logging.getLogger("madoguchi.points")


def issue_transfer(store: Store, opening_id: str, recipient: str, count: int, *, now: datetime,
                   valid_min: int = DEFAULT_VALID_MIN) -> tuple[str, PointsStatus]:
    """A hands `count` grants to laptop `recipient`: A's allotment drops now; the
    returned code (shown as a QR code) raises B's once when B reads it."""
    to = codes.canonical_laptop(recipient)
    if isinstance(valid_min, bool) or not isinstance(valid_min, int) \
            or not MIN_VALID_MIN <= valid_min <= MAX_VALID_MIN:
        raise MadoguchiError("POINTS_VALID_MIN_INVALID", valid_min=valid_min, low=MIN_VALID_MIN,
                             high=MAX_VALID_MIN)
    with store.transaction():
        st = status(store, opening_id, now)
        if to == st.laptop:
            raise MadoguchiError("POINTS_TRANSFER_TO_SELF")
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= min(st.available, 65535):
            raise MadoguchiError("POINTS_TRANSFER_COUNT_INVALID", count=count, available=max(st.available, 0))
        secret = _secret(store, st.venue_day)
        issued = _utc(now).replace(second=0, microsecond=0)
        while True:  # a fresh code number among this laptop's codes of the day
            number = _random.randbelow(1 << codes.CODE_ID_BITS)
            transfer = codes.Transfer(codes.venue_hint(st.venue_day), number, st.laptop, to, count,
                                      issued, valid_min)
            if not _has(store, st.venue_day, "transfer_out", transfer.code_id):
                break
        _append(store, st.venue_day, "transfer_out", count, transfer.code_id, to, now,
                expires_at=transfer.expires_at.isoformat(),
                detail={"issued_at": issued.isoformat(), "valid_min": valid_min})
    log.info("issued transfer %s of %d to %s", transfer.code_id, count, to)
    return transfer.encode(secret), status(store, opening_id, now)


def transfer_code(store: Store, opening_id: str, code_id: str) -> str:
    """Show an issued (not returned) transfer code again, e.g. after the dialog was closed."""
    v = _require_venue(store, opening_id)
    row = _has(store, v["venue_day"], "transfer_out", code_id)
    if row is None:
        raise MadoguchiError("POINTS_RETURN_UNKNOWN", code_id=code_id)
    detail = json.loads(row["detail"])
    number, _ = codes.b32decode(code_id.split("/")[1])
    t = codes.Transfer(codes.venue_hint(v["venue_day"]), number, v["laptop"], row["peer"], row["amount"],
                       datetime.fromisoformat(detail["issued_at"]), detail["valid_min"])
    return t.encode(_secret(store, v["venue_day"]))


def _check_transfer(store: Store, v, text: str) -> codes.Transfer:
    transfer, _signed, _tag = codes.Transfer.decode(text)
    if transfer.venue_hint != codes.venue_hint(v["venue_day"]):
        raise MadoguchiError("POINTS_CODE_UNKNOWN_DAY")
    transfer = codes.verify_transfer(text, _secret(store, v["venue_day"]))
    if transfer.recipient != v["laptop"]:
        raise MadoguchiError("POINTS_TRANSFER_NOT_FOR_ME", to=transfer.recipient, me=v["laptop"])
    return transfer


def latest_chain_time(store: Store, since: datetime | None = None) -> datetime | None:
    """The latest `device_time` among this laptop's own chained rows (any table):
    the clock this laptop has already shown the world. Its clock may be set back
    since, but these rows stay, and they are what the hub sees of it.

    With `since`, rows that cannot be later than it are skipped in SQL (their
    date, read as text, is more than two days before it: no UTC offset is that
    large); rows not written as YYYY-MM-DD… are always read. The answer is then
    exact for every moment after `since`, which is all receive_transfer asks."""
    present = {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    where, params = "", ()
    if since is not None:
        where = (" AND (substr(device_time, 1, 10) >= ? OR NOT device_time GLOB"
                 " '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*')")
        params = ((since - timedelta(days=2)).date().isoformat(),)
    latest = None
    for table, columns in CHAINED_COLUMNS.items():
        if "device_time" not in columns or table not in present:
            continue
        for (text,) in store.conn.execute(f"SELECT device_time FROM {table} WHERE device_id = ?{where}",
                                          (store.device_id, *params)):
            moment = codes.parse_instant(text)
            if moment is not None and (latest is None or moment > latest):
                latest = moment
    return latest


def receive_transfer(store: Store, opening_id: str, text: str, *, now: datetime) -> PointsStatus:
    """B reads A's transfer code: B's allotment rises by K, once. Refused when
    forged, for another laptop, replayed, voided here, expired by this laptop's
    clock, or issued in this laptop's future by more than the margin.

    Also refused once any row of this laptop's chain is dated after the code's
    expiry, whatever the clock says now: turning the clock back cannot reopen a
    code. This is what lets the hub give an unscanned code's grants back to A
    (sync/allotments_router.py): a row past expiry in B's chain, with no
    `transfer_in` before it, proves B never received and never will."""
    with store.transaction():
        v = _require_venue(store, opening_id)
        transfer = _check_transfer(store, v, text)
        vd, cid = v["venue_day"], transfer.code_id
        if _has(store, vd, "transfer_in", cid):
            raise MadoguchiError("POINTS_TRANSFER_REPLAYED", code_id=cid)
        if _has(store, vd, "transfer_void", cid):
            raise MadoguchiError("POINTS_TRANSFER_VOIDED", code_id=cid)
        moment = _utc(now)
        tz = now.tzinfo or timezone.utc
        if moment > transfer.expires_at:
            raise MadoguchiError("POINTS_TRANSFER_EXPIRED",
                                 expires=transfer.expires_at.astimezone(tz).strftime("%H:%M"))
        latest = latest_chain_time(store, since=transfer.expires_at)
        if latest is not None and latest > transfer.expires_at:
            raise MadoguchiError("POINTS_TRANSFER_EXPIRED_CLOCK",
                                 expires=transfer.expires_at.astimezone(tz).strftime("%H:%M"),
                                 latest=latest.astimezone(tz).strftime("%H:%M"))
        if moment < transfer.issued_at - timedelta(minutes=v["margin_min"]):
            raise MadoguchiError("POINTS_CLOCK_SKEW", minutes=v["margin_min"])
        _append(store, vd, "transfer_in", transfer.count, cid, transfer.sender, now,
                expires_at=transfer.expires_at.isoformat(),
                detail={"issued_at": transfer.issued_at.isoformat(), "valid_min": transfer.valid_min})
    log.info("received transfer %s of %d", cid, transfer.count)
    return status(store, opening_id, now)


def void_transfer(store: Store, opening_id: str, text: str, *, now: datetime) -> tuple[str, PointsStatus]:
    """B declines a transfer code (expired, or not wanted): B records that it will
    never receive it and returns the return code for A. Asking again shows the
    same return code."""
    with store.transaction():
        v = _require_venue(store, opening_id)
        transfer = _check_transfer(store, v, text)
        vd, cid = v["venue_day"], transfer.code_id
        if _has(store, vd, "transfer_in", cid):
            raise MadoguchiError("POINTS_VOID_ALREADY_RECEIVED", code_id=cid)
        if not _has(store, vd, "transfer_void", cid):
            _append(store, vd, "transfer_void", transfer.count, cid, transfer.sender, now,
                    expires_at=transfer.expires_at.isoformat())
        secret = _secret(store, vd)
    ret = codes.Return(transfer.venue_hint, transfer.code, transfer.sender, transfer.recipient, transfer.count)
    log.info("voided transfer %s", cid)
    return ret.encode(secret), status(store, opening_id, now)


def accept_return(store: Store, opening_id: str, text: str, *, now: datetime) -> PointsStatus:
    """A reads B's return code: the K grants of that transfer come back to A, once."""
    with store.transaction():
        v = _require_venue(store, opening_id)
        ret, _signed, _tag = codes.Return.decode(text)
        if ret.venue_hint != codes.venue_hint(v["venue_day"]):
            raise MadoguchiError("POINTS_CODE_UNKNOWN_DAY")
        ret = codes.verify_return(text, _secret(store, v["venue_day"]))
        vd, cid = v["venue_day"], ret.code_id
        out = _has(store, vd, "transfer_out", cid)
        if ret.sender != v["laptop"] or out is None or out["peer"] != ret.recipient \
                or out["amount"] != ret.count:
            raise MadoguchiError("POINTS_RETURN_UNKNOWN", code_id=cid)
        if _has(store, vd, "transfer_returned", cid):
            raise MadoguchiError("POINTS_RETURN_REPLAYED", code_id=cid)
        _append(store, vd, "transfer_returned", ret.count, cid, ret.recipient, now)
    log.info("transfer %s returned", cid)
    return status(store, opening_id, now)


def record_hub_return(store: Store, opening_id: str, confirmation: dict, *, now: datetime) -> PointsStatus:
    """The hub confirmed that the recipient of one of this laptop's transfer codes
    can no longer receive it (its synced chain reaches past expiry + margin
    without receiving it, or it voided the code): the K grants come back, once.
    `confirmation` is the hub's answer (app.points.hub_client.check_takeback);
    it is kept in the row's detail. Asking again after the grants came back (by
    the hub or by a return code) changes nothing."""
    code_id = confirmation.get("code_id") if isinstance(confirmation, dict) else None
    if not isinstance(code_id, str) or confirmation.get("confirmed") is not True:
        raise MadoguchiError("POINTS_TAKEBACK_UNCONFIRMED", code_id=code_id or "?")
    with store.transaction():
        v = _require_venue(store, opening_id)
        vd = v["venue_day"]
        out = _has(store, vd, "transfer_out", code_id)
        if out is None or out["peer"] != confirmation.get("recipient"):
            raise MadoguchiError("POINTS_RETURN_UNKNOWN", code_id=code_id)
        if not _has(store, vd, "transfer_returned", code_id):
            keep = ("state", "recipient_device", "witness_seq", "witness_time", "confirmed_at")
            _append(store, vd, "transfer_returned", out["amount"], code_id, out["peer"], now,
                    detail={"via": "hub", **{k: confirmation.get(k) for k in keep}})
            log.info("transfer %s returned on the hub's confirmation", code_id)
    return status(store, opening_id, now)


# ------------------------------------------------------------------ hub (online)

def record_hub_draw(store: Store, opening_id: str, request_id: str, amount: int, *,
                    now: datetime) -> PointsStatus:
    """The hub committed a draw of `amount` from its reserve for this laptop: raise
    the allotment, once per request id (a retried answer is not counted twice)."""
    with store.transaction():
        v = _require_venue(store, opening_id)
        if amount > 0 and not _has(store, v["venue_day"], "hub_in", request_id):
            _append(store, v["venue_day"], "hub_in", amount, request_id, "hub", now)
    return status(store, opening_id, now)


def record_hub_release(store: Store, opening_id: str, request_id: str, amount: int, *,
                       now: datetime) -> PointsStatus:
    """Give `amount` back to the hub's reserve: lowered here first, then sent (and
    re-sent until the hub confirms; it is idempotent by request id)."""
    with store.transaction():
        st = status(store, opening_id, now)
        if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= st.available:
            raise MadoguchiError("POINTS_TRANSFER_COUNT_INVALID", count=amount, available=max(st.available, 0))
        if not _has(store, st.venue_day, "hub_out", request_id):
            _append(store, st.venue_day, "hub_out", amount, request_id, "hub", now)
    return status(store, opening_id, now)


def hub_releases(store: Store, opening_id: str) -> list[tuple[str, int]]:
    v = _require_venue(store, opening_id)
    return [(r["code_id"], r["amount"]) for r in store.query(
        "SELECT code_id, amount FROM points_allotment WHERE device_id = ? AND venue_day = ?"
        " AND kind = 'hub_out' ORDER BY seq", (store.device_id, v["venue_day"]))]
