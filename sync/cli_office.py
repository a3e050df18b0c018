"""`office`: the office's tools on the merged data — totals, CSV/XLSX export, a
merged store folder — from a running hub (admin token) or a hub database.
Registered through sync.cli. What it prints is Japanese by default, English with
--lang en; --json output and the exported files are the same in both.
"""
from __future__ import annotations

import argparse
import os
import tempfile
from functools import partial
from pathlib import Path

from app.errors import MadoguchiError
from sync.cli_common import TOKEN_ENV, lang_of, pick, print_json, say, table
from sync.db import require_existing

TEXT: dict[str, tuple[str, str]] = {
    "merged": ("統合したデータを {out} に書き出しました（集計の記録 {n} 件）", "merged store in {out}: {n} tally row(s)"),
    "exported": ("{out}：{n} 行", "{out}: {n} row(s)"),
    "no_tallies": ("集計する記録はありません", "no tallies"),
}
_text = partial(say, TEXT)

# Column headers of `office totals`: the --by keys (English shows them as typed).
TOTALS_COLUMNS = {"profile": "業務", "opening": "実施回", "date": "実施日", "month": "対象月",
                  "municipality": "市町村", "region": "圏域", "kind": "実施形態", "venue": "会場",
                  "large": "100人規模会場", "device": "端末", "counter": "項目", "total": "合計"}
YES_NO = (("該当", "yes"), ("非該当", "no"))


def register(sub) -> None:
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
        out = Path(args.out).resolve()  # the store opens read-only by file URI, which must be absolute
        store = (office.load_merged_store_from_db(args.db, out) if args.db
                 else office.load_merged_store(args.hub, token, out, ca_cert=args.ca_cert)
                 if args.hub and token else None)
        if store is None:
            raise MadoguchiError("SYNC_SOURCE_REQUIRED")
        with store:
            n = store.query_one("SELECT COUNT(*) FROM tally")[0]
        print(_text(lang_of(args), "merged", out=args.out, n=n))
        return 0
    with tempfile.TemporaryDirectory(prefix="madoguchi-office-") as work:
        with office.merged_source(hub=args.hub, token=token, db=args.db, work_dir=Path(work),
                                  ca_cert=args.ca_cert) as store:
            n = (office.export_csv(store, Path(args.out)) if args.format == "csv"
                 else office.export_xlsx(store, Path(args.out), by=by))
    print(_text(lang_of(args), "exported", out=args.out, n=n))
    return 0


def _print_totals(totals: list[dict], by: list[str], args) -> None:
    if args.json:
        print_json(totals)
        return
    lang = lang_of(args)
    if not totals:
        print(_text(lang, "no_tallies"))
        return
    from app import refdata
    from app.profiles import builtin_profiles

    profiles = builtin_profiles()
    regions = {r.key: r for r in refdata.regions()}
    keys = [*dict.fromkeys([*by, "counter"])]
    rows = []
    for t in totals:
        # The row's own profile names its counters and dimension values; without a
        # profile column, a label every profile that knows the key agrees on.
        known = [profiles[t["profile"]]] if t.get("profile") in profiles else list(profiles.values())
        row = []
        for k in keys:
            v = t.get(k)
            if v is None:
                pass
            elif k == "region" and v in regions:
                v = regions[v].label(lang)
            elif k == "profile" and v in profiles:
                v = profiles[v].label(lang)
            elif k == "counter":
                v = _agreed(known, v, lambda p: p.counter(v).label(lang) if p.has_counter(v) else None)
            elif k == "kind":
                v = _agreed(known, v, lambda p: next((o.label(lang) for o in p.opening_kinds if o.key == v), None))
            elif k == "large":
                v = pick(YES_NO[0 if v else 1], lang)
            elif k not in TOTALS_COLUMNS:
                v = _agreed(known, v, lambda p: _choice_label(p, k, v, lang))
            row.append(v)
        rows.append([*row, t["total"]])
    header = [k if lang == "en" else TOTALS_COLUMNS.get(k) or _agreed(profiles.values(), k, _dimension_label(k))
              for k in [*keys, "total"]]
    print(table(header, rows, right={len(keys)}))


def _agreed(profiles, key: str, label_in) -> str:
    """The one label the profiles that know `key` give it; the key itself when none
    knows it or they disagree (two campaigns may use one key for different things)."""
    labels = {label_in(p) for p in profiles} - {None}
    return labels.pop() if len(labels) == 1 else key


def _dimension_label(key: str):
    return lambda p: p.dimension(key).label("ja") if key in p.dimensions else None


def _choice_label(profile, key: str, value, lang: str) -> str | None:
    if key not in profile.dimensions:
        return None
    try:
        return profile.dimension(key).value(value).label(lang)
    except KeyError:  # a value this profile version does not know
        return None
