"""Booth-side sync commands: `sync enrol|push|status|pull|settings` and
`export-bundle`. They never take the store's writer lock, so they work while the
booth app is running. Registered through sync.cli.
"""
from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

from app.errors import MadoguchiError
from sync.cli_common import lang_of, office_time, print_json, say

# What the booth-side commands print: Japanese by default, English with --lang en.
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



_text = partial(say, TEXT)


def register(sub) -> None:
    _register_sync(sub)
    s = sub.add_parser("export-bundle", help="write this laptop's unsent rows to a signed bundle file (USB)")
    s.add_argument("--out", required=True, metavar="FILE", help="bundle file to write")
    s.add_argument("--all", action="store_true", help="every row of this laptop, not only the unacknowledged")
    s.add_argument("--json", action="store_true")


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

    lang = lang_of(args)
    if args.sync_command == "enrol":
        info = booth.enrol(data_dir, hub_url=args.hub, code=args.code, ca_cert=args.ca_cert,
                           device_name=args.name)
        print(_text(lang, "enrolled", device=info["device_id"], name=info["device_name"], hub=info["hub_url"]))
        print(_text(lang, "fingerprint", fp=info["fingerprint"]))
        return 0
    if args.sync_command == "push":
        report = booth.push_pending(data_dir, batch_rows=args.batch, timeout=args.timeout)
        if args.json:
            print_json(report.to_dict())
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
            print_json(status.to_dict(lang))
            return 0
        print(_text(lang, "hub", hub=status.hub_url or "-",
                    enrolled=_text(lang, "yes" if status.enrolled else "no")))
        print(_text(lang, "device", device=status.device_id or "-", fp=status.fingerprint or "-"))
        print(_text(lang, "pending", pending=status.pending, acked=status.acked_seq, head=status.head_seq))
        print(_text(lang, "last_success", at=office_time(status.last_success_at) or "-"))
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
    lang = lang_of(args)
    if args.json:
        print_json(info)
    else:
        print(_text(lang, "bundle", file=info["file"], rows=info["rows"], device=info["device_id"],
                    first=info["first_seq"], last=info["last_seq"], bytes=info["bytes"]))
        print(_text(lang, "bundle_fp", fp=info["fingerprint"]))
    return 0
