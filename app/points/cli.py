"""`python main.py points ...`: the distribution day from the command line (same
domain functions as the QR board; codes are printed as text to read out/type).

    points status    --opening ID [--json]
    points setup     --opening ID [--laptop CODE=N ...] [--hub-reserve N]   (ONE laptop per venue and date)
    points join      --opening ID --code PV1-...
    points grant     --opening ID [--reason TEXT]
    points give      --opening ID --to CODE --count N [--valid-min M]
    points receive   --opening ID --code PT1-...
    points decline   --opening ID --code PT1-...     (prints the return code)
    points take-back --opening ID [--code PR1-...]   (without --code: ask the hub about expired codes)
    points draw      --opening ID K                  (online: K from the hub's reserve)
    points release   --opening ID [K]                (online: give K back to the hub; resends pending ones)

The online commands use the hub this laptop is enrolled with (`sync enrol`).
Exit codes: 0 done, 2 refused (nothing written), 1 a release recorded here but
not confirmed by the hub yet (it is sent again later).
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

from app import points as pts
from app.errors import MadoguchiError
from app.openings import get_opening
from app.points import hub_requests
from app.points import hub_client
from app.store import Store

ONE_LEAD = {
    "ja": "注意：配布日の設定は、1つの会場・日付につき1台（代表端末）だけで行ってください。"
          "2台で設定すると上限が2倍になります。ほかの端末は、表示された参加コードで points join をします。",
    "en": "Note: only ONE laptop (the lead) may set up a venue and date. Two set-ups would double the cap. "
          "The other laptops join with the join code printed here (points join).",
}
NOT_SET_UP = {
    "ja": "この実施回の配布日はまだ設定されていません。代表端末（会場・日付ごとに1台だけ）で points setup を、"
          "ほかの端末は代表端末の参加コードで points join をしてください。代表端末には上の端末コードを伝えます。",
    "en": "The distribution day of this opening is not set up yet. On the lead laptop (one per venue and date) "
          "run points setup; on the others, points join with the lead's join code. Give the lead the laptop "
          "code above.",
}
HUB_NOT_CHECKED = {
    "ja": "同じ会場・日付の二重設定はハブで確認できませんでした（{why}）。",
    "en": "The hub did not check for a second set-up of this venue and date ({why}).",
}


def register(subparsers) -> dict:
    p = subparsers.add_parser("points", help="point distribution: allotment, grants and transfer codes")
    sub = p.add_subparsers(dest="points_command", metavar="ACTION", required=True)
    for name, text in (("status", "this laptop's code, allotment and grants"),
                       ("setup", "lead laptop (one per venue and date): set up the day, print the join code"),
                       ("join", "join the day with the lead laptop's join code"),
                       ("grant", "one visitor receives points"),
                       ("give", "hand part of the allotment to another laptop (prints a transfer code)"),
                       ("receive", "receive a transfer code"),
                       ("decline", "do not receive a transfer code: print a return code"),
                       ("take-back", "read a return code, or (without --code) ask the hub about expired codes"),
                       ("draw", "online: take K grants from the hub's reserve"),
                       ("release", "online: give K grants back to the hub's reserve (and resend pending ones)")):
        s = sub.add_parser(name, help=text)
        s.add_argument("--opening", required=True, help="opening id")
        if name == "status":
            s.add_argument("--json", action="store_true")
        if name == "setup":
            s.add_argument("--laptop", action="append", default=[], metavar="CODE=N",
                           help="initial allotment of a laptop (default: the whole cap here)")
            s.add_argument("--hub-reserve", type=int, default=0)
        if name in ("join", "receive", "decline"):
            s.add_argument("--code", required=True)
        if name == "take-back":
            s.add_argument("--code", help="the return code (PR1-...); without it, ask the hub")
        if name == "grant":
            s.add_argument("--reason")
        if name == "give":
            s.add_argument("--to", required=True, help="receiving laptop's code")
            s.add_argument("--count", type=int, required=True)
            s.add_argument("--valid-min", type=int, default=pts.ledger.DEFAULT_VALID_MIN,
                           help=f"minutes the code stays valid ({pts.ledger.MIN_VALID_MIN}"
                                f"-{pts.ledger.MAX_VALID_MIN})")
        if name == "draw":
            s.add_argument("count", type=int, metavar="K")
        if name == "release":
            s.add_argument("count", type=int, metavar="K", nargs="?", default=0,
                           help="grants to give back (none: only resend what is pending)")
    return {"points": cmd_points}


def _split(items: list[str]) -> dict[str, int] | None:
    if not items:
        return None
    out = {}
    for item in items:
        code, sep, n = item.partition("=")
        if not sep or not code.strip() or not n.strip().isdigit():
            raise MadoguchiError("POINTS_LAPTOP_ARG_INVALID", item=item)
        out[code.strip()] = int(n)
    return out


def _print_status(st: pts.PointsStatus) -> None:
    print(f"laptop {st.laptop}: {st.available} left (allotment {st.allotment}, granted {st.granted}, "
          f"handed over {st.in_transit}, venue cap {st.cap})")


def _lang(args: argparse.Namespace) -> str:
    return "en" if getattr(args, "lang", None) == "en" else "ja"


def _status(store: Store, oid: str, args: argparse.Namespace, now: datetime) -> int:
    if not pts.is_joined(store, oid):
        get_opening(store, oid)  # OPENING_NOT_FOUND for a wrong id
        if args.json:
            print(json.dumps({"opening_id": oid, "laptop": pts.local_laptop(store), "joined": False},
                             ensure_ascii=False, indent=2))
        else:
            label = "この端末のコード" if _lang(args) == "ja" else "This laptop's code"
            print(f"{label}: {pts.local_laptop(store)}")
            print(NOT_SET_UP[_lang(args)])
        return 0
    st = pts.status(store, oid, now)
    if args.json:
        print(json.dumps(st.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_status(st)
    return 0


def _hub(data_dir: Path) -> hub_client.AllotmentHub | None:
    """The enrolled hub, or None when this laptop has none (offline is normal)."""
    try:
        return hub_client.hub_from_sync_settings(data_dir)
    except MadoguchiError as exc:
        if exc.code in ("SYNC_NOT_CONFIGURED", "SYNC_NOT_ENROLLED"):
            return None
        raise


def _setup(store: Store, oid: str, args: argparse.Namespace, data_dir: Path, now: datetime):
    lang = _lang(args)
    print(ONE_LEAD[lang], file=sys.stderr)
    roster = pts.prepare_day(store, oid, now=now, allotments=_split(args.laptop), hub_reserve=args.hub_reserve)
    hub = _hub(data_dir)
    if hub is not None:
        with hub:
            try:
                hub.register_setup(roster.venue_day, device_id=store.device_id,
                                   opening=get_opening(store, oid))
            except MadoguchiError as exc:
                if exc.code not in hub_client.HUB_NOT_DONE:
                    raise  # POINTS_VENUE_DAY_TAKEN: another laptop is the lead
                print(HUB_NOT_CHECKED[lang].format(why=exc.message(lang)), file=sys.stderr)
    return pts.setup_day(store, oid, now=now, roster=roster)


def _require_hub(data_dir: Path) -> hub_client.AllotmentHub:
    return hub_client.hub_from_sync_settings(data_dir)  # SYNC_NOT_CONFIGURED / SYNC_NOT_ENROLLED


def _take_back_from_hub(store: Store, oid: str, data_dir: Path, now: datetime) -> pts.PointsStatus:
    with _require_hub(data_dir) as hub:
        answers = hub_client.take_back_expired(store, oid, hub, now=now)
    for code, answer in answers:
        word = "returned" if answer.get("confirmed") else "not returned"
        print(f"{code.code_id} to {code.recipient} ({code.count}): {word} - {answer.get('state')}")
    if not answers:
        print("no transfer code past expiry + margin")
    return pts.status(store, oid, now)


def _draw(store: Store, oid: str, count: int, data_dir: Path, now: datetime) -> pts.PointsStatus:
    with _require_hub(data_dir) as hub:
        hub_client.resend_pending(store, oid, hub, now=now)
        req, reused = hub_requests.begin_draw(store, oid, count, now=now)
        if not reused:  # (a pending draw was just resent and answered above)
            granted = hub_client.send_request(hub, pts.status(store, oid, now), req, device_id=store.device_id)
            hub_requests.finish(store, oid, req, granted, now=now)
            print(f"drawn {granted} of {count} from the hub")
    return pts.status(store, oid, now)


def _release(store: Store, oid: str, count: int, data_dir: Path, now: datetime, lang: str) -> int:
    with _require_hub(data_dir) as hub:  # not enrolled: refused before anything is written
        if count:
            hub_requests.begin_release(store, oid, count, now=now)  # lowered here first, then sent
        try:
            done = hub_client.resend_pending(store, oid, hub, now=now)
        except MadoguchiError as exc:
            if exc.code not in hub_client.HUB_NOT_DONE:
                raise
            waiting = sum(r.count for r in hub_requests.pending(store, oid) if r.kind == "release")
            print(MadoguchiError("POINTS_HUB_RELEASE_PENDING", reason=exc.details.get("reason", ""),
                                 count=waiting).message(lang), file=sys.stderr)
            _print_status(pts.status(store, oid, now))
            return 1
    for sent, amount in done:
        print(f"{sent.kind} {sent.request_id}: {amount} of {sent.count} confirmed by the hub")
    _print_status(pts.status(store, oid, now))
    return 0


def cmd_points(args: argparse.Namespace, data_dir: Path) -> int:
    now = datetime.now().astimezone()
    action = args.points_command
    with Store.open(data_dir, read_only=action == "status") as store:
        oid = args.opening
        if action == "status":
            return _status(store, oid, args, now)
        if action == "release":
            return _release(store, oid, args.count, data_dir, now, _lang(args))
        if action == "setup":
            st, code = _setup(store, oid, args, data_dir, now)
            print(code)
        elif action == "join":
            st = pts.join_day(store, oid, args.code, now=now)
        elif action == "grant":
            _row, st = pts.grant(store, oid, now=now, reason=args.reason)
        elif action == "give":
            code, st = pts.issue_transfer(store, oid, args.to, args.count, now=now, valid_min=args.valid_min)
            print(code)
        elif action == "receive":
            st = pts.receive_transfer(store, oid, args.code, now=now)
        elif action == "decline":
            code, st = pts.void_transfer(store, oid, args.code, now=now)
            print(code)
        elif action == "draw":
            st = _draw(store, oid, args.count, data_dir, now)
        elif args.code:
            st = pts.accept_return(store, oid, args.code, now=now)
        else:
            st = _take_back_from_hub(store, oid, data_dir, now)
        _print_status(st)
    return 0
