"""`hub`: run the hub, or manage its database — enrolment codes, the admin token,
devices, revocation, conflicts, bundles from USB, the plan. Registered through
sync.cli. What it prints is Japanese by default, English with --lang en; --json
output is the same in both.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from functools import partial
from pathlib import Path

from app.errors import MadoguchiError
from sync.cli_common import (TOKEN_ENV, headers, lang_of, now, office_time, pick, print_json, say, table,
                              word)
from sync.db import require_existing

TEXT: dict[str, tuple[str, str]] = {
    "code": ("登録コード：{code}", "enrolment code: {code}"),
    "code_for": ("端末名：{name}　有効期間：{days} 日", "device: {name}   valid for: {days} day(s)"),
    "qr": ("QR：{uri}", "QR: {uri}"),
    "qr_png": ("QR の画像：{file}", "QR PNG: {file}"),
    "admin_token_once": (
        "この管理トークンは二度と表示されません。安全に保管してください（環境変数 {env} で渡せます）。",
        "This admin token is not shown again. Keep it safe (office tools also read it from {env})."),
    "revoked": ("端末 {device} を失効させました。この端末のトークンはもう使えません。",
                "revoked {device}: its token no longer works"),
    "no_devices": ("登録された端末はありません", "no devices"),
    "no_conflicts": ("受け付けなかった記録はありません", "no conflicts"),
    "imported": ("{file}：端末 {device}（{name}）：新規 {stored} 件、既にあったもの {duplicates} 件、"
                 "受け付けなかったもの {conflicts} 件",
                 "{file}: device {device} ({name}): {stored} new, {duplicates} already present,"
                 " {conflicts} conflict(s)"),
    "accepted_revoked": ("失効した端末の持ち出しファイルを --accept-revoked で取り込みました（ハブのログに記録しました）。",
                         "A revoked device's bundle was merged with --accept-revoked (logged)."),
    "plan_set": ("予定 {n} 件を登録しました", "{n} planned opening(s) set"),
    "no_plan": ("予定はありません", "no planned openings"),
}
_text = partial(say, TEXT)

# Column headers and the words in the columns: (Japanese, English).
DEVICE_COLUMNS = (("端末 ID", "device"), ("端末名", "name"), ("状態", "state"), ("最終送信", "last push"),
                  ("記録", "rows"), ("先頭 seq", "head"), ("欠け", "gaps"), ("断絶", "breaks"),
                  ("鍵の指紋", "key"))
DEVICE_STATES = {"revoked": ("失効", "revoked"), "enrolled": ("登録済み", "enrolled"),
                 "bundle": ("持ち出しファイルで登録", "bundle")}
CONFLICT_COLUMNS = (("受信日時", "received"), ("問題", "problem"), ("記録", "row"), ("端末 ID", "device"),
                    ("seq", "seq"), ("経路", "via"))
PROBLEMS = {"id_conflict": ("同じ ID で内容が違う", "id_conflict"),
            "seq_conflict": ("同じ seq に別の記録", "seq_conflict")}
SOURCES = {"push": ("送信", "push"), "bundle": ("持ち出しファイル", "bundle"),
           "bundle_revoked": ("失効端末の持ち出しファイル", "bundle_revoked")}
PLAN_COLUMNS = (("実施日", "date"), ("業務", "profile"), ("実施形態", "kind"), ("会場", "venue"),
                ("市町村", "municipality"), ("100人規模会場", "large"))
LARGE = ("該当", "large")


def register(sub) -> None:
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
            raise MadoguchiError("SYNC_HUB_DB_REQUIRED")
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

    lang = lang_of(a)
    code = hub.create_enrol_code(a.name, now(), valid_days=a.days, replaces=a.replace)
    uri = su.enrol_uri(code, a.hub_url)
    print(_text(lang, "code", code=code))
    print(_text(lang, "code_for", name=a.name, days=a.days))
    print(_text(lang, "qr", uri=uri))
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
            print(_text(lang, "qr_png", file=a.qr_out))
    return 0


def _hub_admin_token(hub, a) -> int:
    token = hub.create_admin_token(a.name, now())
    print(token)  # alone on stdout, for scripts
    print(_text(lang_of(a), "admin_token_once", env=TOKEN_ENV), file=sys.stderr)
    return 0


def _hub_revoke(hub, a) -> int:
    hub.revoke(a.device, now())
    print(_text(lang_of(a), "revoked", device=a.device))
    return 0


def _hub_devices(hub, a) -> int:
    return _print_list(a, hub.devices(), empty="no_devices", columns=DEVICE_COLUMNS, row=_device_row,
                       right={4, 5, 7})


def _device_row(d: dict, lang: str) -> list:
    return [d["id"], d["name"], word(DEVICE_STATES, "revoked" if d["revoked_at"] else d["source"], lang),
            office_time(d["last_push_at"]), d["rows"], d["head_seq"], ",".join(f"{g[0]}-{g[1]}" for g in d["gaps"]) or None,
            len(d["breaks"]), d["fingerprint"]]


def _hub_conflicts(hub, a) -> int:
    return _print_list(a, hub.conflicts(), empty="no_conflicts", columns=CONFLICT_COLUMNS, right={4},
                       row=lambda c, lang: [office_time(c["received_at"]), word(PROBLEMS, c["problem"], lang),
                                            f"{c['table']}/{c['id']}", c["device_id"], c["seq"],
                                            word(SOURCES, c["source"], lang)])


def _print_list(a, items: list[dict], *, empty: str, columns, row, right: set[int] = frozenset()) -> int:
    """The items as JSON with --json (the same in both languages), else as a table
    with headers in the reader's language."""
    if a.json:
        print_json(items)
        return 0
    lang = lang_of(a)
    if not items:
        print(_text(lang, empty))
    else:
        print(table(headers(columns, lang), [row(item, lang) for item in items], right=right))
    return 0


def _hub_import_bundle(hub, a) -> int:
    from sync.bundle import read_file

    header, result = hub.import_bundle(read_file(Path(a.file)), label=a.file,
                                       trust_fingerprint=a.trust_fingerprint, now=now(),
                                       accept_revoked=a.accept_revoked)
    if a.json:
        print_json({"device_id": header["device_id"], "fingerprint": header.get("fingerprint"),
                    "accepted_revoked": result.revoked_override, **result.to_dict()})
    else:
        lang = lang_of(a)
        print(_text(lang, "imported", file=a.file, device=header["device_id"], name=header.get("device_name"),
                    stored=result.stored, duplicates=result.duplicates, conflicts=len(result.conflicts)))
        if result.revoked_override:
            print(_text(lang, "accepted_revoked"))
    return 1 if result.conflicts else 0


def _hub_plan(hub, a) -> int:
    if a.set:
        n = hub.set_plan(_read_plan(Path(a.set)), now())
        print(_text(lang_of(a), "plan_set", n=n))
        return 0
    return _print_list(a, hub.plan()["openings"], empty="no_plan", columns=PLAN_COLUMNS, row=_plan_row)


def _plan_row(o: dict, lang: str) -> list:
    """A planned opening as the clerk typed it, in words: the campaign's and the
    opening kind's names, the municipality in the reader's language (a key this
    version does not know is shown as it is)."""
    from app import refdata
    from app.profiles import builtin_profiles

    profile = builtin_profiles().get(o["profile"])
    kind = next((k.label(lang) for k in profile.opening_kinds if k.key == o["kind"]), o["kind"]) \
        if profile is not None else o["kind"]
    try:
        place = refdata.find_municipality(o["municipality"]).label(lang)
    except MadoguchiError:  # MUNICIPALITY_UNKNOWN: as typed
        place = o["municipality"]
    return [o["date"], profile.label(lang) if profile is not None else o["profile"], kind, o["venue"], place,
            pick(LARGE, lang) if o["large"] else ""]


def _read_plan(path: Path) -> list[dict]:
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
