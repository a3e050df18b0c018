"""Command-line interface. Same domain functions as the GUI; no Qt here.

Exit codes: 0 done, 1 `verify` found a problem, 2 the input was refused (message on
stderr, nothing written)."""
from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from datetime import datetime
from pathlib import Path

from app import openings as op
from app import profiles as pf
from app import tallies as tl
from app.errors import MadoguchiError
from app.logsetup import setup_logging
from app.paths import ENV_VAR, resolve_data_dir
from app.store import Store
from app.verify import verify

log = logging.getLogger("madoguchi.cli")

# Feature packages add their own subcommands: each module listed here has
# register(subparsers) -> {command: handler(args, data_dir) -> exit code}.
EXTENSIONS: list[str] = ["app.reports.cli", "sync.cli", "app.photo.cli", "app.qrcodes.cli", "app.points.cli"]

DESCRIPTION = """Madoguchi (窓口): booth app for pop-up service booths.
Without a subcommand it opens the booth app (GUI)."""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="main.py", description=DESCRIPTION)
    p.add_argument("--data-dir", metavar="DIR",
                   help=f"data folder (default: ${ENV_VAR}, else the platform data folder)")
    p.add_argument("--lang", choices=["ja", "en"], default=None,
                   help="language (default: ja; the app remembers the language chosen in it)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("open", help="open a booth day (実施回) and print its id")
    s.add_argument("--profile", required=True, help="profile key (see `profiles`)")
    s.add_argument("--kind", required=True, help="opening kind key of the profile")
    s.add_argument("--venue", required=True, help="venue name")
    s.add_argument("--municipality", required=True, help="municipality, e.g. 仙台市")
    s.add_argument("--date", required=True, help="YYYY-MM-DD")
    s.add_argument("--staff", required=True, help="staff on duty (1 or more)")
    s.add_argument("--large", action="store_true", help="100-person venue (100人規模会場)")

    s = sub.add_parser("tally", help="record a tap, or undo one with a reason")
    s.add_argument("--opening", required=True, help="opening id")
    s.add_argument("--counter", help="counter key (required unless --undo)")
    s.add_argument("--dim", action="append", default=[], metavar="KEY=VALUE",
                   help="dimension value, repeatable (e.g. --dim age_band=30s)")
    s.add_argument("--undo", metavar="TALLY_ID", help="undo this earlier tap")
    s.add_argument("--reason", help="reason (required for --undo and after closing)")

    s = sub.add_parser("totals", help="totals of one opening")
    s.add_argument("--opening", required=True, help="opening id")
    s.add_argument("--json", action="store_true", help="print JSON")

    s = sub.add_parser("close", help="close the day of an opening (freezes it)")
    s.add_argument("--opening", required=True, help="opening id")
    s.add_argument("--confirmed-by", default="", help="supervisor who confirmed the summary")

    s = sub.add_parser("openings", help="list openings")
    s.add_argument("--json", action="store_true", help="print JSON")

    s = sub.add_parser("profiles", help="list the campaign profiles, or check a profile file")
    s.add_argument("--json", action="store_true", help="print JSON")
    psub = s.add_subparsers(dest="profiles_command", metavar="SUBCOMMAND")
    c = psub.add_parser("check", help="validate a profile TOML file")
    c.add_argument("file", metavar="FILE")

    sub.add_parser("verify", help="integrity check plus every device's hash chain (exit 1 on a problem)")
    p.set_defaults(extension_handlers={})
    for module_name in EXTENSIONS:
        handlers = importlib.import_module(module_name).register(sub)
        p.get_default("extension_handlers").update(handlers)
    return p


def _now() -> datetime:
    return datetime.now().astimezone()


def _parse_dims(items: list[str]) -> dict:
    dims = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise MadoguchiError("CLI_DIM_INVALID", value=item)
        dims[key.strip()] = value.strip()
    return dims


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_open(store: Store, a) -> int:
    o = op.open_opening(store, profile=a.profile, kind=a.kind, venue=a.venue,
                        municipality=a.municipality, date=a.date, large=a.large,
                        staff=a.staff, now=_now())
    print(o.id)
    return 0


def cmd_tally(store: Store, a) -> int:
    if a.undo:
        if tl.get_tally(store, a.undo).opening_id != a.opening:
            raise MadoguchiError("TALLY_NOT_IN_OPENING", tally=a.undo, opening=a.opening)
        rows = tl.undo(store, a.undo, reason=a.reason or "", now=_now())
    elif a.counter:
        rows = [tl.tap(store, a.opening, a.counter, _parse_dims(a.dim), now=_now(), reason=a.reason)]
    else:
        raise MadoguchiError("CLI_COUNTER_REQUIRED")
    for row in rows:
        print(row.id)
    return 0


def cmd_totals(store: Store, a) -> int:
    opening = op.get_opening(store, a.opening)
    data = tl.totals(store, a.opening)
    if a.json:
        _print_json(data)
        return 0
    profile = pf.get_profile(opening.profile)
    print(f"{opening.date} {opening.venue} ({opening.municipality})")
    for key, entry in data.items():
        label = profile.counter(key).label(a.lang) if profile.has_counter(key) else key
        print(f"  {label}: {entry['total']}")
        for dim, values in entry["by_dimension"].items():
            if values:
                print(f"      {dim}: " + ", ".join(f"{v}={n}" for v, n in values.items()))
    return 0


def cmd_close(store: Store, a) -> int:
    o = op.close_opening(store, a.opening, now=_now(), confirmed_by=a.confirmed_by)
    print(f"{o.id} closed {o.closed_at}")
    return 0


def cmd_openings(store: Store, a) -> int:
    items = op.list_openings(store)
    if a.json:
        _print_json([o.to_dict() for o in items])
        return 0
    for o in items:
        state = "closed" if o.closed else "open"
        print(f"{o.id}  {o.date}  {o.profile}  {o.kind}  {o.venue}  {o.municipality}"
              f"({o.region.label(a.lang)})  staff={o.staff}  {state}")
    return 0


def cmd_profiles(a) -> int:
    if a.profiles_command == "check":
        prof = pf.load_profile(Path(a.file))
        print(f"OK {a.file}: {prof.key} ({prof.label(a.lang)}), {len(prof.counters)} counters")
        return 0
    items = pf.list_profiles()
    if a.json:
        _print_json([pf.profile_to_dict(p, a.lang) for p in items])
        return 0
    for p in items:
        print(f"{p.key}  [spec {p.spec}]  {p.label(a.lang)}")
        print("    kinds: " + ", ".join(k.key for k in p.opening_kinds))
        for c in p.counters:
            dims = f"  ({' x '.join(c.dimensions)})" if c.dimensions else ""
            print(f"    {c.key}: {c.label(a.lang)}{dims}")
    return 0


def cmd_verify(store: Store, a) -> int:
    report = verify(store)
    if report.ok:
        print(f"OK: integrity ok, {report.rows_checked} rows in {report.devices} device chain(s)")
        return 0
    print(f"FAILED: integrity {report.integrity}")
    bad = report.first_bad
    if bad:
        print(f"first bad row: table={bad.table} id={bad.row_id} seq={bad.seq} "
              f"device={bad.device_id}: {bad.problem}")
    return 1


WRITERS = {"open": cmd_open, "tally": cmd_tally, "close": cmd_close}
READERS = {"totals": cmd_totals, "openings": cmd_openings, "verify": cmd_verify}


def run(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        from ui.app import run_gui  # Qt only when the GUI is wanted
        return run_gui(args)
    args.lang = args.lang or "ja"
    data_dir = resolve_data_dir(args.data_dir)
    setup_logging(data_dir)
    try:
        if args.command == "profiles":
            return cmd_profiles(args)
        if args.command in args.extension_handlers:
            return args.extension_handlers[args.command](args, data_dir)
        read_only = args.command in READERS
        handler = READERS.get(args.command) or WRITERS[args.command]
        with Store.open(data_dir, read_only=read_only) as store:
            return handler(store, args)
    except MadoguchiError as exc:
        log.warning("%s refused: %s", args.command, exc.code)
        print(f"エラー [{exc.code}]: {exc.message(args.lang)}" if args.lang == "ja"
              else f"error [{exc.code}]: {exc.message('en')}", file=sys.stderr)
        return 2
