"""`report daily|monthly|final|deadlines|dashboard`: the same report code as the app.

    python main.py report daily --opening ID --format pdf --out FILE
    python main.py report monthly --month 2024-11 [--profile P] [--as-of D] --format xlsx --out FILE
    python main.py report final [--profile P] --format pdf --out FILE
    python main.py report deadlines [--json]
    python main.py report dashboard [--hub URL --token T]      (opens the dashboard window)

With --hub URL --token T the numbers come from the office's merged data instead of
this laptop's store. An export is recorded in this laptop's store (report_export).
The monthly report's planned openings include the office's plan (app/reports/plan.py).
Qt is imported only by the dashboard command, when it runs."""
from __future__ import annotations

import contextlib
import json
import logging
import sys
from datetime import datetime
from pathlib import Path

from app.errors import MadoguchiError
from app.reports import deadlines as dl
from app.reports import export as ex
from app.reports.exports import FORMATS
from app.reports.gather import parse_month
from app.reports.messages import word
from app.reports.plan import load_plan
from app.reports.source import merged_store
from app.store import Store

log = logging.getLogger("madoguchi.reports.cli")


def _now() -> datetime:
    return datetime.now().astimezone()


def register(subparsers) -> dict:
    p = subparsers.add_parser("report", help="make a daily, monthly or final report (PDF, XLSX, CSV)")
    sub = p.add_subparsers(dest="report_command", metavar="REPORT", required=True)

    def common(s) -> None:
        s.add_argument("--format", choices=FORMATS, help="pdf, xlsx or csv (default: from --out's suffix)")
        s.add_argument("--out", required=True, metavar="FILE", help="file to write")
        s.add_argument("--hub", metavar="URL", help="read the office's merged data from this hub")
        s.add_argument("--token", metavar="T", help="office token for --hub")

    s = sub.add_parser("daily", help="daily report (日次報告書) of one opening")
    s.add_argument("--opening", required=True, help="opening id")
    common(s)
    s = sub.add_parser("monthly", help="monthly report (月次報告書)")
    s.add_argument("--month", required=True, metavar="YYYY-MM")
    s.add_argument("--profile", help="profile key (needed when the store has several)")
    s.add_argument("--as-of", metavar="YYYY-MM-DD",
                   help="count openings up to this day; later ones are listed as planned (default: today)")
    common(s)
    s = sub.add_parser("final", help="final report (最終報告書) against the contract's targets")
    s.add_argument("--profile", help="profile key (needed when the store has several)")
    s.add_argument("--as-of", metavar="YYYY-MM-DD", help="count openings up to this day (default: today)")
    common(s)
    s = sub.add_parser("deadlines", help="reports still to be exported, with their due dates")
    s.add_argument("--all", action="store_true", help="also list reports already exported")
    s.add_argument("--json", action="store_true", help="print JSON")
    s.add_argument("--hub", metavar="URL", help="read the office's merged data from this hub")
    s.add_argument("--token", metavar="T", help="office token for --hub")
    s = sub.add_parser("dashboard", help="open the progress dashboard window (over the hub's merged data with --hub)")
    s.add_argument("--hub", metavar="URL", help="read the office's merged data from this hub")
    s.add_argument("--token", metavar="T", help="office (admin) token for --hub")
    return {"report": run}


@contextlib.contextmanager
def _local(data_dir: Path, lang: str):
    """Writable, so the export can be recorded; read-only when the booth app has the
    folder open (the file is still made, and the user is told it was not recorded)."""
    try:
        store = Store.open(data_dir)
    except MadoguchiError as exc:
        if exc.code != "DATA_DIR_LOCKED":
            raise
        print(("注意：" if lang == "ja" else "note: ") + exc.message(lang) +
              (" 出力は記録されません。" if lang == "ja" else " The export is not recorded."), file=sys.stderr)
        store = Store.open(data_dir, read_only=True)
    try:
        yield store
    finally:
        store.close()


def run(args, data_dir: Path) -> int:
    now = _now()
    if (args.hub is None) != (getattr(args, "token", None) is None):
        raise MadoguchiError("REPORT_HUB_TOKEN_REQUIRED")
    if args.report_command == "dashboard":
        return _dashboard(args, data_dir)
    if args.report_command != "deadlines":
        # Refused before any work (and before the hub is asked): a folder, no format,
        # a month or day that is not one.
        ex.format_for(ex.check_out(args.out, args.report_command), args.format)
        if args.report_command == "monthly":
            parse_month(args.month)
        _as_of(args)
    with _local(data_dir, args.lang) as local:
        if args.hub:
            with merged_store(args.hub, args.token) as merged:
                return _dispatch(args, merged, local, word("merged", args.lang), now, data_dir)
        return _dispatch(args, local, local, "", now, data_dir)


def _dashboard(args, data_dir: Path) -> int:
    """The office's progress dashboard as a window of its own. Qt is imported here,
    when the window is wanted, never when app/ is imported (as app/cli.py does for the
    booth app)."""
    from ui.report_dashboard import run_dashboard

    return run_dashboard(data_dir=data_dir, hub_url=args.hub, token=args.token, lang=args.lang)


def _as_of(args):
    from app.openings import parse_date

    return parse_date(args.as_of) if getattr(args, "as_of", None) else None


def _dispatch(args, source: Store, local: Store, source_name: str, now: datetime, data_dir: Path) -> int:
    lang = args.lang
    if args.report_command == "deadlines":
        return _deadlines(args, source, now)
    fmt = ex.format_for(ex.check_out(args.out, args.report_command), args.format)
    if args.report_command == "daily":
        report = ex.daily_report(source, args.opening, now=now, lang=lang, source=source_name)
    elif args.report_command == "monthly":
        plan = load_plan(data_dir, hub_url=args.hub, token=args.token)
        report = ex.monthly_report(source, args.month, now=now, profile=args.profile, lang=lang,
                                   source=source_name, as_of=_as_of(args), plan=plan)
    else:
        report = ex.final_report(source, now=now, profile=args.profile, lang=lang, source=source_name,
                                 as_of=_as_of(args))
    record = ex.save(report, fmt, Path(args.out), record_in=local, now=now)
    print(str(Path(args.out)))
    if record is None:
        log.info("export of %s not recorded", report.kind)
    return 0


def _deadlines(args, store: Store, now: datetime) -> int:
    today = now.date()
    items = dl.daily_deadlines(store, today) + dl.monthly_deadlines(store, today)
    if not args.all:
        items = dl.outstanding(items)
    if args.json:
        print(json.dumps([{
            "report": d.report, "profile": d.profile, "opening": d.opening.id if d.opening else None,
            "date": d.opening.date.isoformat() if d.opening else None,
            "venue": d.opening.venue if d.opening else None,
            "month": d.month.isoformat()[:7] if d.month else None,
            "due": d.due.isoformat() if d.due else None, "state": d.state, "business_days_left": d.days_left,
            "rule": d.rule.key if d.rule else None,
            "exported_at": d.exported_at} for d in items], ensure_ascii=False, indent=2))
        return 0
    for d in items:
        what = (f"{d.opening.date} {d.opening.venue} ({d.opening.id})" if d.opening
                else f"{d.month.isoformat()[:7]} {d.profile}")
        due = d.due.isoformat() if d.due else "-"
        print(f"{d.report:8} {due:10}  {d.state_label(args.lang)}  {what}")
    return 0
