"""The office's merged data, in the same shape as a booth store.

`load_merged_store(hub_url, token, dest_dir)` downloads every merged row from a
running hub; `load_merged_store_from_db(db_url, dest_dir)` reads a hub database
directly (e.g. one that only ever received USB bundles). Both write the rows into a
Store under dest_dir, created by the store's own migrations, with one device row per
laptop whose head is the newest row the hub holds for it. So the booth code works
unchanged on it: `app.tallies.totals`, `app.openings.list_openings`, `app.verify.verify`
(a gap in what the hub received shows up there as a broken chain).

Run again on the same dest_dir to bring it up to date: merging is a union.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
from pathlib import Path
from typing import Iterable, Iterator

from app.errors import MadoguchiError
from app.store import CHAINED_COLUMNS, Store, genesis_hash
from sync.client import HubClient
from sync.totals import group_totals, opening_attrs
from sync.rows import parse_row

log = logging.getLogger("madoguchi.sync.office")

PAGE = 5000


def load_merged_store(hub_url: str, token: str, dest_dir: Path, *, ca_cert: str | None = None,
                      read_only: bool = True, timeout: float = 60.0) -> Store:
    """Download all merged rows (admin token) into a Store under dest_dir."""
    with HubClient(hub_url, token=token, ca_cert=ca_cert, timeout=timeout) as client:
        devices = client.admin_get("devices").data["devices"]

        def pages() -> Iterator[list[dict]]:
            after_device, after_seq = "", 0
            while True:
                page = client.admin_get("rows", after_device=after_device, after_seq=after_seq,
                                        limit=PAGE).data
                if not page["rows"]:
                    return
                yield page["rows"]
                after_device, after_seq = page["next"]["after_device"], page["next"]["after_seq"]
        write_merged(dest_dir, devices, pages())
    return Store.open(dest_dir, read_only=read_only)


def load_merged_store_from_db(db_url: str, dest_dir: Path, *, read_only: bool = True) -> Store:
    """The same from a hub database (sqlite:///... or postgresql://...; an SQLite
    file that is not there is refused, not created)."""
    from sync.db import require_existing
    from sync.hub import Hub

    require_existing(db_url)
    with Hub(db_url, pool_size=1) as hub:
        devices = hub.devices()

        def pages() -> Iterator[list[dict]]:
            after_device, after_seq = "", 0
            while True:
                rows = hub.rows_page(after_device, after_seq, PAGE)
                if not rows:
                    return
                yield rows
                after_device, after_seq = rows[-1]["device_id"], rows[-1]["seq"]
        write_merged(dest_dir, devices, pages())
    return Store.open(dest_dir, read_only=read_only)


def write_merged(dest_dir: Path, devices: list[dict], pages: Iterable[list[dict]]) -> dict:
    """Union the rows into the store at dest_dir (created if needed). Each row's hash
    is checked again; rows of a table this store does not have are skipped (newer
    hub) and counted."""
    counts = {"stored": 0, "present": 0, "skipped": 0}
    with Store.open(dest_dir) as store:
        conn = store.conn
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        # Rows arrive device by device, not in dependency order across devices: the
        # hub checked them, so the references are not re-checked row by row here.
        conn.execute("PRAGMA foreign_keys = OFF")
        try:
            with store.transaction():
                for d in devices:
                    conn.execute("INSERT OR IGNORE INTO device (id, name, created_at, is_local, head_seq, head_hash)"
                                 " VALUES (?, ?, ?, 0, 0, ?)",
                                 (d["id"], d.get("name") or d["id"], d.get("enrolled_at") or "", genesis_hash(d["id"])))
                for page in pages:
                    for i, item in enumerate(page):
                        row = parse_row(item, f"rows[{i}]")
                        if row.table not in tables:
                            counts["skipped"] += 1
                            continue
                        cols = (*CHAINED_COLUMNS[row.table], "hash")
                        values = row.columns()
                        cur = conn.execute(
                            f"INSERT OR IGNORE INTO {row.table} ({', '.join(cols)})"
                            f" VALUES ({', '.join('?' * len(cols))})", [values[c] for c in cols])
                        counts["stored" if cur.rowcount else "present"] += 1
                        conn.execute("INSERT OR IGNORE INTO device (id, name, created_at, is_local,"
                                     " head_seq, head_hash) VALUES (?, ?, '', 0, 0, ?)",
                                     (row.device_id, row.device_id, genesis_hash(row.device_id)))
                _update_heads(conn, tables)
        finally:
            conn.execute("PRAGMA foreign_keys = ON")
    log.info("merged store updated: %s", counts)
    return counts


def _update_heads(conn, tables: set[str]) -> None:
    """Each merged device's head is its newest row here."""
    present = [t for t in CHAINED_COLUMNS if t in tables]
    for (device_id,) in conn.execute("SELECT id FROM device WHERE is_local = 0").fetchall():
        best = (0, genesis_hash(device_id))
        for t in present:
            row = conn.execute(f"SELECT seq, hash FROM {t} WHERE device_id = ? ORDER BY seq DESC LIMIT 1",
                               (device_id,)).fetchone()
            if row is not None and row[0] > best[0]:
                best = (row[0], row[1])
        conn.execute("UPDATE device SET head_seq = ?, head_hash = ? WHERE id = ?", (*best, device_id))


# ---- totals and exports from a merged store ------------------------------------------

def store_openings(store: Store) -> dict[str, dict]:
    return {r["id"]: dict(r) for r in store.query("SELECT * FROM opening")}


def store_totals(store: Store, by: list[str]) -> list[dict]:
    sums = store.query("SELECT opening_id, counter, dims, SUM(delta) AS n FROM tally"
                       " GROUP BY opening_id, counter, dims")
    return group_totals(store_openings(store), ((r[0], r[1], r[2], r[3]) for r in sums), by)


TALLY_FIELDS = ("id", "device_id", "seq", "opening_id", "counter", "delta", "kind", "ref_id", "group_id",
                "reason", "amendment", "device_time")
OPENING_FIELDS = ("profile", "kind", "venue", "municipality", "region", "date", "large")


def merged_tally_rows(store: Store) -> tuple[list[str], list[list]]:
    """One line per tally row with its opening's attributes and one column per
    dimension (dim_<key>), for CSV/XLSX."""
    openings = store_openings(store)
    rows = store.query("SELECT * FROM tally ORDER BY device_id, seq")
    dims_keys: dict[str, None] = {}
    parsed = []
    for r in rows:
        dims = json.loads(r["dims"] or "{}")
        dims_keys.update(dict.fromkeys(dims))
        parsed.append((r, dims))
    header = [*TALLY_FIELDS[:4], *(f"opening_{f}" for f in OPENING_FIELDS), *TALLY_FIELDS[4:],
              *(f"dim_{k}" for k in dims_keys)]
    out = []
    for r, dims in parsed:
        attrs = opening_attrs(openings.get(r["opening_id"]))
        out.append([r["id"], r["device_id"], r["seq"], r["opening_id"],
                    *(attrs.get(f) for f in OPENING_FIELDS),
                    *(r[f] for f in TALLY_FIELDS[4:]), *(dims.get(k) for k in dims_keys)])
    return header, out


def export_csv(store: Store, out: Path) -> int:
    """UTF-8 with BOM (Excel opens it as Japanese text), CRLF line ends."""
    header, rows = merged_tally_rows(store)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in r] for r in rows])
    _write(out, buf.getvalue().encode("utf-8-sig"))
    return len(rows)


def export_xlsx(store: Store, out: Path, *, by: list[str] | None = None) -> int:
    """Sheets: merged tallies, openings, and totals (by profile/opening/counter)."""
    from openpyxl import Workbook

    header, rows = merged_tally_rows(store)
    wb = Workbook()
    ws = wb.active
    ws.title = "tallies"
    ws.append(header)
    for r in rows:
        ws.append(r)
    ws.freeze_panes = "A2"
    wo = wb.create_sheet("openings")
    cols = ["id", "device_id", "profile", "kind", "venue", "municipality", "region", "date", "large",
            "staff", "opened_at"]
    wo.append(cols)
    for o in store_openings(store).values():
        attrs = opening_attrs(o)
        wo.append([o["id"], o["device_id"], o["profile"], o["kind"], o["venue"], o["municipality"],
                   attrs["region"], o["date"], bool(o["large"]), o["staff"], o["opened_at"]])
    wt = wb.create_sheet("totals")
    keys = by or ["profile", "opening", "counter"]
    totals = store_totals(store, keys)
    tcols = [*dict.fromkeys([*keys, "counter"]), "total"]
    wt.append(tcols)
    for t in totals:
        wt.append([t.get(k) for k in tcols])
    buf = io.BytesIO()
    wb.save(buf)
    _write(out, buf.getvalue())
    return len(rows)


def _write(out: Path, data: bytes) -> None:
    from sync.bundle import write_atomically
    write_atomically(Path(out), data)


@contextlib.contextmanager
def merged_source(*, hub: str | None, token: str | None, db: str | None, work_dir: Path,
                  ca_cert: str | None = None) -> Iterator[Store]:
    """A merged store from whichever source the office gave (for the CLI)."""
    if db:
        store = load_merged_store_from_db(db, work_dir)
    elif hub and token:
        store = load_merged_store(hub, token, work_dir, ca_cert=ca_cert)
    else:
        raise MadoguchiError("SYNC_SOURCE_REQUIRED")
    try:
        yield store
    finally:
        store.close()
