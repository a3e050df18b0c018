"""Command line of the sync feature: `hub`, `sync`, `export-bundle`, `office`.

Registered through app.cli.EXTENSIONS. None of these takes the store's writer lock:
they work while the booth app is running.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from app.errors import MadoguchiError
from sync.db import require_existing
import sync.errors  # noqa: F401

TOKEN_ENV = "MADOGUCHI_HUB_TOKEN"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


# What the booth-side commands (sync …, export-bundle) print: Japanese by default,
# English with --lang en. Errors go through app.errors like every other command's.
TEXT: dict[str, tuple[str, str]] = {
    "enrolled": ("登録しました：端末 {device}（ハブでの端末名 {name}）、ハブ {hub}",
                 "enrolled: device {device} ({name}) at {hub}"),
    "fingerprint": ("この端末の鍵の指紋：{fp}", "key fingerprint: {fp}"),
    "pushed": ("{pushed} 件を送信しました：新規 {stored} 件、ハブに既にあったもの {duplicates} 件、"
               "受け付けられなかったもの {refused} 件。未送信 {pending} 件",
               "sent {pushed} row(s): {stored} new, {duplicates} already at the hub, {refused} refused;"
               " {pending} pending"),
    "hub": ("ハブ：{hub}  登録：{enrolled}", "hub: {hub}  enrolled: {enrolled}"),
    "yes": ("済み", "yes"),
    "no": ("未登録", "no"),
    "device": ("端末：{device}  鍵の指紋：{fp}", "device: {device}  key fingerprint: {fp}"),
    "pending": ("未送信の記録：{pending} 件（ハブが受け取り済み：{head} 件中 {acked} 件まで）",
                "pending rows: {pending}  (acknowledged up to {acked} of {head})"),
    "last_success": ("最終同期：{at}", "last successful sync: {at}"),
    "last_error": ("最後のエラー [{code}]：{message}", "last error [{code}]: {message}"),
    "skew": ("ハブとの時計のずれ：{seconds} 秒", "clock skew vs hub: {seconds} s"),
    "skew_warning": ("  警告：2 分を超えています。この端末の時刻を確認してください",
                     "  WARNING: more than 2 minutes; check this laptop's clock"),
    "conflicts": ("ハブが受け付けなかった記録：{n} 件（事務局に連絡してください）",
                  "rows refused by the hub: {n} (contact the office)"),
    "pulled": ("予定 {openings} 件とプロファイル {profiles} 件を {folder} に保存しました",
               "{openings} planned opening(s), {profiles} profile(s) saved in {folder}"),
    "saved": ("保存しました", "saved"),
    "bundle": ("{file}：端末 {device} の記録 {rows} 件（seq {first}〜{last}）、{bytes} バイト",
               "{file}: {rows} row(s) of device {device} (seq {first}–{last}), {bytes} bytes"),
    "bundle_fp": ("鍵の指紋：{fp}（未登録の端末のときは、事務局がこの指紋を確認します）",
                  "key fingerprint: {fp}  (the office confirms this when the laptop is not enrolled)"),
}


def _text(lang: str, key: str, **values) -> str:
    ja, en = TEXT[key]
    return (en if lang == "en" else ja).format(**values)


def register(sub) -> dict:
    _register_hub(sub)
    _register_sync(sub)
    s = sub.add_parser("export-bundle", help="write this laptop's unsent rows to a signed bundle file (USB)")
    s.add_argument("--out", required=True, metavar="FILE", help="bundle file to write")
    s.add_argument("--all", action="store_true", help="every row of this laptop, not only the unacknowledged")
    s.add_argument("--json", action="store_true")
    _register_office(sub)
    return {"hub": cmd_hub, "sync": cmd_sync, "export-bundle": cmd_export_bundle, "office": cmd_office}


# ---- hub -----------------------------------------------------------------------------

def _register_hub(sub) -> None:
    h = sub.add_parser("hub", help="run the hub, or manage it (enrolment codes, tokens, devices, bundles)",
                       description="Without a subcommand: serve the hub API (FastAPI/uvicorn).")
    h.add_argument("--db", dest="serve_db", metavar="DB", help="sqlite:///PATH or postgresql://...")
    h.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    h.add_argument("--port", type=int, default=8765)
    h.add_argument("--ssl-certfile", metavar="PEM", help="TLS certificate (uvicorn)")
    h.add_argument("--ssl-keyfile", metavar="PEM", help="TLS private key (uvicorn)")
    h.add_argument("--max-batch-rows", type=int, default=2000, help="rows per push (default 2000)")
    h.add_argument("--max-body-bytes", type=int, default=8 * 1024 * 1024, help="bytes per request")
    hs = h.add_subparsers(dest="hub_command", metavar="SUBCOMMAND")

    def with_db(name: str, text: str) -> argparse.ArgumentParser:
        p = hs.add_parser(name, help=text)
        p.add_argument("--db", required=True, metavar="DB", help="sqlite:///PATH or postgresql://...")
        return p

    p = with_db("enrol-code", "create a one-time enrolment code for a laptop (text and QR)")
    p.add_argument("--name", required=True, help="name of the laptop, e.g. 名取-1")
    p.add_argument("--days", type=int, default=7, help="valid for this many days (default 7)")
    p.add_argument("--hub-url", help="hub URL to put into the QR code (the laptop then needs only the scan)")
    p.add_argument("--replace", metavar="DEVICE_ID", help="allow this code to take over an enrolled device id")
    p.add_argument("--qr-out", metavar="PNG", help="also save the QR code as a PNG image")
    p.add_argument("--no-qr", action="store_true", help="do not print the QR code in the terminal")
    p = with_db("admin-token", "create an admin token for office tools (printed once)")
    p.add_argument("--name", default="office", help="who the token is for")
    p = with_db("revoke", "revoke a device: its token stops working at once")
    p.add_argument("device", metavar="DEVICE_ID")
    p = with_db("devices", "list devices with last push, rows, chain gaps")
    p.add_argument("--json", action="store_true")
    p = with_db("conflicts", "list rows refused because the same id holds other content")
    p.add_argument("--json", action="store_true")
    p = with_db("import-bundle", "verify and merge an offline bundle file")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--trust-fingerprint", metavar="FP",
                   help="key fingerprint of a laptop that never enrolled, as confirmed with the laptop")
    p.add_argument("--accept-revoked", action="store_true",
                   help="merge a REVOKED device's bundle anyway, when the office knows the file was handed in"
                        " before the revocation (logged; see docs/sync.md)")
    p.add_argument("--json", action="store_true")
    p = with_db("plan", "show, or replace with --set, the planned openings laptops pull")
    p.add_argument("--set", metavar="FILE", help="JSON list or CSV (profile,kind,venue,municipality,date,large,staff,note)")
    p.add_argument("--json", action="store_true")


def cmd_hub(args, data_dir: Path) -> int:
    from sync.hub import Hub, Limits

    if args.hub_command is None:
        if not args.serve_db:
            raise SystemExit("hub: give --db sqlite:///PATH or --db postgresql://...")
        from sync.server import serve
        limits = Limits(max_batch_rows=args.max_batch_rows, max_body_bytes=args.max_body_bytes)
        serve(args.serve_db, host=args.host, port=args.port, ssl_certfile=args.ssl_certfile,
              ssl_keyfile=args.ssl_keyfile, limits=limits)
        return 0
    if args.hub_command not in CREATES_DB:
        require_existing(args.db)
    with Hub(args.db, pool_size=1) as hub:
        return HUB_COMMANDS[args.hub_command](hub, args)


def _hub_enrol_code(hub, a) -> int:
    from sync import secrets_util as su

    code = hub.create_enrol_code(a.name, _now(), valid_days=a.days, replaces=a.replace)
    uri = su.enrol_uri(code, a.hub_url)
    print(f"登録コード / enrolment code: {code}")
    print(f"端末名 / device: {a.name}   有効期限 / valid for: {a.days} day(s)")
    print(f"QR: {uri}")
    if a.qr_out or not a.no_qr:
        import qrcode
        qr = qrcode.QRCode(border=4)  # the quiet zone scanners expect
        qr.add_data(uri)
        qr.make(fit=True)
        if not a.no_qr:
            buf = io.StringIO()
            qr.print_ascii(out=buf, invert=True)
            print(buf.getvalue(), end="")
        if a.qr_out:
            qr.make_image().save(a.qr_out)
            print(f"QR PNG: {a.qr_out}")
    return 0


def _hub_admin_token(hub, a) -> int:
    token = hub.create_admin_token(a.name, _now())
    print(token)
    print(f"この管理トークンは二度と表示されません。安全に保管してください（環境変数 {TOKEN_ENV} で渡せます）。",
          file=sys.stderr)
    return 0


def _hub_revoke(hub, a) -> int:
    hub.revoke(a.device, _now())
    print(f"revoked {a.device}")
    return 0


def _hub_devices(hub, a) -> int:
    items = hub.devices()
    if a.json:
        _print_json(items)
        return 0
    for d in items:
        state = "revoked" if d["revoked_at"] else d["source"]
        gaps = ",".join(f"{g[0]}-{g[1]}" for g in d["gaps"]) or "-"
        print(f"{d['id']}  {d['name']}  [{state}]  last push {d['last_push_at'] or '-'}  rows {d['rows']}"
              f"  head {d['head_seq']}  gaps {gaps}  breaks {len(d['breaks'])}  key {d['fingerprint'] or '-'}")
    if not items:
        print("no devices")
    return 0


def _hub_conflicts(hub, a) -> int:
    items = hub.conflicts()
    if a.json:
        _print_json(items)
        return 0
    for c in items:
        print(f"{c['received_at']}  {c['problem']}  {c['table']}/{c['id']}  device {c['device_id']}"
              f" seq {c['seq']}  ({c['source']})")
    if not items:
        print("no conflicts")
    return 0


def _hub_import_bundle(hub, a) -> int:
    from sync.bundle import read_file

    header, result = hub.import_bundle(read_file(Path(a.file)), label=a.file,
                                       trust_fingerprint=a.trust_fingerprint, now=_now(),
                                       accept_revoked=a.accept_revoked)
    if a.json:
        _print_json({"device_id": header["device_id"], "fingerprint": header.get("fingerprint"),
                     "accepted_revoked": result.revoked_override, **result.to_dict()})
    else:
        print(f"{a.file}: device {header['device_id']} ({header.get('device_name')}):"
              f" {result.stored} new, {result.duplicates} already present, {len(result.conflicts)} conflict(s)")
        if result.revoked_override:
            print("失効した端末の持ち出しファイルを --accept-revoked で取り込みました（ハブのログに記録しました）。"
                  if a.lang != "en" else "A revoked device's bundle was merged with --accept-revoked (logged).")
    return 1 if result.conflicts else 0


def _hub_plan(hub, a) -> int:
    if a.set:
        n = hub.set_plan(_read_plan(Path(a.set)), _now())
        print(f"{n} planned opening(s) set")
        return 0
    plan = hub.plan()
    if a.json:
        _print_json(plan["openings"])
    else:
        for o in plan["openings"]:
            print(f"{o['date']}  {o['profile']}  {o['kind']}  {o['venue']}  {o['municipality']}"
                  f"{'  large' if o['large'] else ''}")
    return 0


def _read_plan(path: Path) -> list[dict]:
    import csv

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeError) as exc:
        raise MadoguchiError("SYNC_FILE_UNREADABLE", file=str(path), reason=type(exc).__name__) from exc
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise MadoguchiError("SYNC_PLAN_INVALID", file=str(path), line=exc.lineno, problem="not JSON") from None
        if not isinstance(data, list):
            raise MadoguchiError("SYNC_PLAN_INVALID", file=str(path), line=1, problem="expected a JSON list")
        return data
    items = []
    for i, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            large = str(row.get("large") or "").strip().lower() in ("1", "true", "yes", "○", "はい")
            items.append({**{k: (v or "").strip() for k, v in row.items() if k},
                          "large": large, "staff": int(row.get("staff") or 1)})
        except ValueError:
            raise MadoguchiError("SYNC_PLAN_INVALID", file=str(path), line=i, problem="staff is not a number") from None
    return items


# Only these may start a new hub database (an office PC without a server imports
# its first bundle into a new file); the others refuse a path that is not there.
CREATES_DB = {"import-bundle"}
HUB_COMMANDS = {"enrol-code": _hub_enrol_code, "admin-token": _hub_admin_token, "revoke": _hub_revoke,
                "devices": _hub_devices, "conflicts": _hub_conflicts, "import-bundle": _hub_import_bundle,
                "plan": _hub_plan}


# ---- sync (booth side) -----------------------------------------------------------------

def _register_sync(sub) -> None:
    s = sub.add_parser("sync", help="send this laptop's records to the hub (enrol, push, status, pull)")
    ss = s.add_subparsers(dest="sync_command", metavar="SUBCOMMAND", required=True)
    p = ss.add_parser("enrol", help="enrol this laptop with the hub using the office's code")
    p.add_argument("--hub", help="hub URL, e.g. https://hub.example.jp (optional if the code is a scanned QR payload)")
    p.add_argument("--code", required=True, help="enrolment code (or the QR payload)")
    p.add_argument("--ca-cert", metavar="PEM", help="CA certificate file for a hub with its own CA")
    p.add_argument("--name", help="device name to show at the office (default: the laptop's)")
    p = ss.add_parser("push", help="one pass: send all unacknowledged rows (exit 0 only if all acknowledged)")
    p.add_argument("--batch", type=int, default=1000, help="rows per request (default 1000)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per request (default 30)")
    p.add_argument("--json", action="store_true")
    p = ss.add_parser("status", help="pending rows, last sync, last error, clock skew")
    p.add_argument("--json", action="store_true")
    ss.add_parser("pull", help="fetch the office's profiles and planned openings")
    p = ss.add_parser("settings", help="change the hub URL or CA certificate")
    p.add_argument("--hub", help="hub URL")
    p.add_argument("--ca-cert", metavar="PEM", help='CA certificate file ("" to clear)')


def cmd_sync(args, data_dir: Path) -> int:
    from sync import booth

    lang = getattr(args, "lang", "ja")
    if args.sync_command == "enrol":
        info = booth.enrol(data_dir, hub_url=args.hub, code=args.code, ca_cert=args.ca_cert,
                           device_name=args.name)
        print(_text(lang, "enrolled", device=info["device_id"], name=info["device_name"], hub=info["hub_url"]))
        print(_text(lang, "fingerprint", fp=info["fingerprint"]))
        return 0
    if args.sync_command == "push":
        report = booth.push_pending(data_dir, batch_rows=args.batch, timeout=args.timeout)
        if args.json:
            _print_json(report.to_dict())
        else:
            print(_text(lang, "pushed", pushed=report.pushed, stored=report.stored, duplicates=report.duplicates,
                        refused=len(report.conflicts), pending=report.pending))
        if report.conflicts:
            print(MadoguchiError("SYNC_ROWS_CONFLICT", count=len(report.conflicts)).message(lang), file=sys.stderr)
            return 1
        if report.pending:
            print(MadoguchiError("SYNC_PENDING_LEFT", pending=report.pending).message(lang), file=sys.stderr)
            return 1
        return 0
    if args.sync_command == "status":
        status = booth.read_status(data_dir)
        if args.json:
            _print_json(status.to_dict(lang))
            return 0
        print(_text(lang, "hub", hub=status.hub_url or "-",
                    enrolled=_text(lang, "yes" if status.enrolled else "no")))
        print(_text(lang, "device", device=status.device_id or "-", fp=status.fingerprint or "-"))
        print(_text(lang, "pending", pending=status.pending, acked=status.acked_seq, head=status.head_seq))
        print(_text(lang, "last_success", at=status.last_success_at or "-"))
        if status.last_error:
            print(_text(lang, "last_error", code=status.last_error.get("code", "?"),
                        message=status.error_message(lang)))
        if status.clock_skew_seconds is not None:
            warn = _text(lang, "skew_warning") if status.skew_warning else ""
            print(_text(lang, "skew", seconds=f"{status.clock_skew_seconds:+.0f}") + warn)
        if status.conflicts:
            print(_text(lang, "conflicts", n=status.conflicts))
        return 0
    if args.sync_command == "pull":
        plan = booth.pull_plan(data_dir)
        print(_text(lang, "pulled", openings=len(plan["openings"]), profiles=len(plan["profiles"]), folder=data_dir))
        return 0
    booth.save_settings(data_dir, hub_url=args.hub, ca_cert=args.ca_cert)
    print(_text(lang, "saved"))
    return 0


def cmd_export_bundle(args, data_dir: Path) -> int:
    from sync.booth import export_bundle

    info = export_bundle(data_dir, Path(args.out), everything=args.all)
    lang = getattr(args, "lang", "ja")
    if args.json:
        _print_json(info)
    else:
        print(_text(lang, "bundle", file=info["file"], rows=info["rows"], device=info["device_id"],
                    first=info["first_seq"], last=info["last_seq"], bytes=info["bytes"]))
        print(_text(lang, "bundle_fp", fp=info["fingerprint"]))
    return 0


# ---- office ----------------------------------------------------------------------------

def _register_office(sub) -> None:
    o = sub.add_parser("office", help="office tools on the merged data: totals, CSV/XLSX export, merged store")
    os_ = o.add_subparsers(dest="office_command", metavar="SUBCOMMAND", required=True)

    def with_source(name: str, text: str) -> argparse.ArgumentParser:
        p = os_.add_parser(name, help=text)
        p.add_argument("--hub", metavar="URL", help="hub URL (with --token)")
        p.add_argument("--token", help=f"admin token (or set {TOKEN_ENV})")
        p.add_argument("--ca-cert", metavar="PEM", help="CA certificate for the hub")
        p.add_argument("--db", metavar="DB", help="read a hub database directly instead")
        return p

    p = with_source("totals", "totals by profile, opening, date, municipality, region or any dimension")
    p.add_argument("--by", default="profile", help="comma-separated grouping (default: profile)")
    p.add_argument("--json", action="store_true")
    p = with_source("export", "export merged rows as CSV (UTF-8 with BOM) or XLSX")
    p.add_argument("--format", choices=["csv", "xlsx"], required=True)
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--by", default="profile,opening,counter", help="grouping of the XLSX totals sheet")
    p = with_source("merge", "write the merged data into a store folder (same shape as a booth's)")
    p.add_argument("--out", required=True, metavar="DIR")


def cmd_office(args, data_dir: Path) -> int:
    from sync import office
    from sync.client import HubClient
    from sync.hub import Hub

    token = args.token or os.environ.get(TOKEN_ENV)
    by = [b for b in getattr(args, "by", "").split(",") if b.strip()]
    if args.office_command == "totals":
        if args.hub and token:
            with HubClient(args.hub, token=token, ca_cert=args.ca_cert, timeout=120) as client:
                data = client.admin_get("totals", by=",".join(by)).data
            totals = data["totals"]
        elif args.db:
            require_existing(args.db)
            with Hub(args.db, pool_size=1) as hub:
                totals = hub.totals(by)
        else:
            raise MadoguchiError("SYNC_SOURCE_REQUIRED")
        _print_totals(totals, by, args)
        return 0
    if args.office_command == "merge":
        store = (office.load_merged_store_from_db(args.db, Path(args.out)) if args.db
                 else office.load_merged_store(args.hub, token, Path(args.out), ca_cert=args.ca_cert)
                 if args.hub and token else None)
        if store is None:
            raise MadoguchiError("SYNC_SOURCE_REQUIRED")
        with store:
            n = store.query_one("SELECT COUNT(*) FROM tally")[0]
        print(f"merged store in {args.out}: {n} tally row(s)")
        return 0
    with tempfile.TemporaryDirectory(prefix="madoguchi-office-") as work:
        with office.merged_source(hub=args.hub, token=token, db=args.db, work_dir=Path(work),
                                  ca_cert=args.ca_cert) as store:
            n = (office.export_csv(store, Path(args.out)) if args.format == "csv"
                 else office.export_xlsx(store, Path(args.out), by=by))
    print(f"{args.out}: {n} row(s)")
    return 0


def _print_totals(totals: list[dict], by: list[str], args) -> None:
    if args.json:
        _print_json(totals)
        return
    from app import refdata
    from app.profiles import builtin_profiles

    profiles = builtin_profiles()
    regions = {r.key: r for r in refdata.regions()}
    keys = [*dict.fromkeys([*by, "counter"])]
    for t in totals:
        parts = []
        for k in keys:
            v = t.get(k)
            if k == "region" and v in regions:
                v = regions[v].label(args.lang)
            elif k == "profile" and v in profiles:
                v = profiles[v].label(args.lang)
            elif k == "counter" and t.get("profile") in profiles and profiles[t["profile"]].has_counter(v):
                v = profiles[t["profile"]].counter(v).label(args.lang)
            parts.append(f"{k}={'-' if v is None else v}")
        print("  ".join(parts) + f"  total={t['total']}")
    if not totals:
        print("no tallies")
