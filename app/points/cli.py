"""`python main.py points ...`: the distribution day from the command line (same
domain functions as the QR board; codes are printed as text to read out/type).

    points status  --opening ID [--json]
    points setup   --opening ID [--laptop CODE=N ...] [--hub-reserve N]
    points join    --opening ID --code PV1-...
    points grant   --opening ID [--reason TEXT]
    points give    --opening ID --to CODE --count N [--valid-min M]
    points receive --opening ID --code PT1-...
    points decline --opening ID --code PT1-...     (prints the return code)
    points take-back --opening ID --code PR1-...
"""
from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path

from app import points as pts
from app.store import Store


def register(subparsers) -> dict:
    p = subparsers.add_parser("points", help="point distribution: allotment, grants and transfer codes")
    sub = p.add_subparsers(dest="points_command", metavar="ACTION", required=True)
    for name, text in (("status", "this laptop's allotment and grants"),
                       ("setup", "lead laptop: set up the day, print the join code"),
                       ("join", "join the day with the lead laptop's join code"),
                       ("grant", "one visitor receives points"),
                       ("give", "hand part of the allotment to another laptop (prints a transfer code)"),
                       ("receive", "receive a transfer code"),
                       ("decline", "do not receive a transfer code: print a return code"),
                       ("take-back", "read a return code: the grants come back")):
        s = sub.add_parser(name, help=text)
        s.add_argument("--opening", required=True, help="opening id")
        if name == "status":
            s.add_argument("--json", action="store_true")
        if name == "setup":
            s.add_argument("--laptop", action="append", default=[], metavar="CODE=N",
                           help="initial allotment of a laptop (default: the whole cap here)")
            s.add_argument("--hub-reserve", type=int, default=0)
        if name in ("join", "receive", "decline", "take-back"):
            s.add_argument("--code", required=True)
        if name == "grant":
            s.add_argument("--reason")
        if name == "give":
            s.add_argument("--to", required=True, help="receiving laptop's code")
            s.add_argument("--count", type=int, required=True)
            s.add_argument("--valid-min", type=int, default=pts.ledger.DEFAULT_VALID_MIN)
    return {"points": cmd_points}


def _split(items: list[str]) -> dict[str, int] | None:
    if not items:
        return None
    out = {}
    for item in items:
        code, sep, n = item.partition("=")
        if not sep or not n.strip().isdigit():
            raise SystemExit(f"--laptop expects CODE=N, got {item!r}")
        out[code.strip()] = int(n)
    return out


def _print_status(st: pts.PointsStatus) -> None:
    print(f"laptop {st.laptop}: {st.available} left (allotment {st.allotment}, granted {st.granted}, "
          f"handed over {st.in_transit}, venue cap {st.cap})")


def cmd_points(args: argparse.Namespace, data_dir: Path) -> int:
    now = datetime.now().astimezone()
    action = args.points_command
    with Store.open(data_dir, read_only=action == "status") as store:
        oid = args.opening
        if action == "status":
            st = pts.status(store, oid, now)
            if args.json:
                print(json.dumps(st.to_dict(), ensure_ascii=False, indent=2))
            else:
                _print_status(st)
            return 0
        if action == "setup":
            st, code = pts.setup_day(store, oid, now=now, allotments=_split(args.laptop),
                                     hub_reserve=args.hub_reserve)
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
        else:
            st = pts.accept_return(store, oid, args.code, now=now)
        _print_status(st)
    return 0
