"""Hub ingest benchmark: prints JSON.

    .venv/bin/python bench/sync.py [--quick] [--no-postgres]

For SQLite and PostgreSQL (a throwaway server, fsync on), with the hub running as
`python main.py hub` in its own process on loopback:

- one client pushing 50,000 tallies, and 20 concurrent clients x 5,000 tallies:
  - "hub_ingest": what the hub takes in (rows/s, p50/p99 request latency). The
    push bodies are written by the laptops' own code (sync.outbox.BatchWriter)
    before the clock starts and sent by real HTTP clients, two requests under way
    per client as the booth does. On a real network each laptop reads and encodes
    its rows on its own CPU; here that work would take the hub's cores.
  - "end_to_end": the whole booth side as well (sync.booth.push_pending from 1 or
    20 booth stores in this process, acknowledgements recorded), on the same
    two cores as the hub;
- a 10,000-row backlog synced by one `push_pending` pass (seconds),

each next to a raw `executemany` insert of the same rows (as the hub stores them)
into a table shaped like the hub's, in the same database, in the same run: one
transaction per batch of the size the clients send. Goals (issue 4): hub ingest >=
half the raw rate; backlog < 3 s.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from app.ids import uuid7  # noqa: E402
from app.openings import open_opening  # noqa: E402
from app.store import Store  # noqa: E402
from sync import booth  # noqa: E402
from sync import client as client_mod  # noqa: E402
from sync.db import connect  # noqa: E402
from sync.hub import Hub  # noqa: E402
from sync.client import HubClient  # noqa: E402
from sync.outbox import BatchWriter, rows_after  # noqa: E402
from sync.state import SyncState  # noqa: E402
from sync.pgtemp import TempPostgres, find_bin_dir, free_port  # noqa: E402
from sync.rows import parse_rows  # noqa: E402

JST = timezone(timedelta(hours=9))
BATCH = 2000
AGES = ("10s", "20s", "30s", "40s", "50s", "60s", "70s")


def make_booth(data_dir: Path, n: int) -> Path:
    """A booth store with one opening and n real chained taps."""
    with Store.open(data_dir) as store:
        o = open_opening(store, profile="miyagi_mynumber_r6", kind="support_booth", venue="ベンチ会場",
                         municipality="名取市", date="2026-11-26", large=False, staff=2,
                         now=datetime(2026, 11, 26, 9, tzinfo=JST))
        stamp = datetime(2026, 11, 26, 10, tzinfo=JST).isoformat(timespec="milliseconds")
        with store.transaction():
            for i in range(n):
                dims = json.dumps({"age_band": AGES[i % 7], "method": ("paper", "online")[i % 2]},
                                  separators=(",", ":"))
                store.append("tally", {"id": uuid7(), "opening_id": o.id, "counter": "application",
                                       "dims": dims, "delta": 1, "kind": "tap", "ref_id": None,
                                       "group_id": uuid7(), "reason": "", "amendment": 0, "device_time": stamp})
    return data_dir


def hub_tuples(data_dir: Path) -> list[tuple]:
    """The booth's rows as the hub stores them (prepared before timing)."""
    with Store.open(data_dir, read_only=True) as store:
        wire = rows_after(store, 0, 10**7)
    at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return [(r.id, r.table, r.device_id, r.seq, r.prev_hash, r.hash, r.data, at, "raw")
            for r in parse_rows(wire, device_id=None, max_rows=10**7)]


RAW_DDL = """CREATE TABLE {name} (
    id TEXT NOT NULL, tbl TEXT NOT NULL, device_id TEXT NOT NULL, seq BIGINT NOT NULL,
    prev_hash TEXT NOT NULL, hash TEXT NOT NULL, data TEXT NOT NULL, received_at TEXT NOT NULL,
    source TEXT NOT NULL, PRIMARY KEY (id, tbl), UNIQUE (device_id, seq))"""


def raw_insert(db_url: str, rows: list[tuple], name: str, batch: int | None) -> float:
    """rows/s of executemany into a fresh table shaped like hub_row (same keys)."""
    c = connect(db_url)
    try:
        c.execute(RAW_DDL.format(name=name))
        sql = f"INSERT INTO {name} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        step = batch or len(rows)
        start = time.perf_counter()
        for i in range(0, len(rows), step):
            with c.transaction():
                c.executemany(sql, rows[i:i + step])
        elapsed = time.perf_counter() - start
        c.execute(f"DROP TABLE {name}")
        return len(rows) / elapsed
    finally:
        c.close()


class HubProcess:
    def __init__(self, db_url: str, home: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(home / "hub.log", "ab")
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "--data-dir", str(home / "hubhome"), "hub", "--db", db_url,
             "--port", str(self.port), "--max-batch-rows", str(BATCH)],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(self.url + "/v1/health", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("hub did not start")
            time.sleep(0.1)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)
        self.log.close()


class Latencies:
    """Times every push request made through sync.client (all threads)."""

    def __init__(self) -> None:
        self.values: list[float] = []
        self._lock = threading.Lock()
        self._orig = client_mod.HubClient.push_body

    def __enter__(self):
        orig, values, lock = self._orig, self.values, self._lock

        def timed(client, body):
            start = time.perf_counter()
            try:
                return orig(client, body)
            finally:
                with lock:
                    values.append(time.perf_counter() - start)
        client_mod.HubClient.push_body = timed
        return self

    def __exit__(self, *exc) -> None:
        client_mod.HubClient.push_body = self._orig


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def prepared_bodies(data_dir: Path, batch: int) -> list[bytes]:
    """The push bodies the booth would send, in order (sync.outbox.BatchWriter)."""
    bodies, after = [], 0
    with Store.open(data_dir, read_only=True) as store, BatchWriter(store) as writer:
        while (ready := writer.batch(after, batch)) is not None:
            bodies.append(ready.body)
            after = ready.last_seq
    return bodies


def send_prepared(url: str, token: str, bodies: list[bytes]) -> int:
    """One client: its bodies in order, two requests under way (as sync.booth)."""
    with HubClient(url, token=token, timeout=300) as client, ThreadPoolExecutor(booth.IN_FLIGHT) as sender:
        return sum(answer.data["stored"] for answer in sender.map(client.push_body, bodies))


def hub_ingest(url: str, stores: list[Path], batch: int) -> dict:
    work = [(SyncState(data).device_token(), prepared_bodies(data, batch)) for data in stores]
    with Latencies() as lat, ThreadPoolExecutor(len(work)) as pool:
        start = time.perf_counter()
        stored = sum(pool.map(lambda w: send_prepared(url, *w), work))
        elapsed = time.perf_counter() - start
    return {"rows": stored, "seconds": round(elapsed, 3), "hub_rows_per_s": round(stored / elapsed),
            "requests": len(lat.values), "p50_request_ms": round(pct(lat.values, 0.5), 1),
            "p99_request_ms": round(pct(lat.values, 0.99), 1)}


def end_to_end(stores: list[Path], batch: int) -> dict:
    with Latencies() as lat, ThreadPoolExecutor(len(stores)) as pool:
        start = time.perf_counter()
        reports = list(pool.map(lambda d: booth.push_pending(d, batch_rows=batch, timeout=300), stores))
        elapsed = time.perf_counter() - start
    stored = sum(r.stored for r in reports)
    return {"rows": stored, "seconds": round(elapsed, 3), "hub_rows_per_s": round(stored / elapsed),
            "requests": len(lat.values), "p50_request_ms": round(pct(lat.values, 0.5), 1),
            "p99_request_ms": round(pct(lat.values, 0.99), 1)}


def compared(db_url: str, name: str, stores: list[Path], e2e_stores: list[Path], url: str, batch: int) -> dict:
    ingest = hub_ingest(url, stores, batch)
    e2e = end_to_end(e2e_stores, batch)
    raw = raw_insert(db_url, [t for data in stores for t in hub_tuples(data)], f"bench_raw_{name}", batch)
    return {"clients": len(stores), "batch_rows": batch, "raw_executemany_rows_per_s": round(raw),
            "hub_ingest": {**ingest, "ratio_to_raw": round(ingest["hub_rows_per_s"] / raw, 3)},
            "end_to_end": {**e2e, "ratio_to_raw": round(e2e["hub_rows_per_s"] / raw, 3)}}


def run_db(db_url: str, work: Path, booths: dict) -> dict:
    hub = HubProcess(db_url, work)
    admin = Hub(db_url, pool_size=1)
    try:
        n = 0
        for group in ("one", "one_e2e", "many", "many_e2e", "backlog"):
            for data in booths[group]:
                n += 1
                booth.enrol(data, hub_url=hub.url, code=admin.create_enrol_code(f"b{n}", datetime.now(timezone.utc)))
        out: dict = {
            "one_client": compared(db_url, "one", booths["one"], booths["one_e2e"], hub.url, BATCH),
            "twenty_clients": compared(db_url, "many", booths["many"], booths["many_e2e"], hub.url, BATCH // 2)}
        start = time.perf_counter()
        report = booth.push_pending(booths["backlog"][0], timeout=300)
        out["backlog_10k"] = {"rows": report.stored, "seconds": round(time.perf_counter() - start, 3)}
        return out
    finally:
        admin.close()
        hub.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a tenth of the rows (smoke test)")
    ap.add_argument("--no-postgres", action="store_true")
    args = ap.parse_args()
    scale = 10 if args.quick else 1
    # Other work on the machine slows the push (the hub and the laptops: two busy
    # processes) more than the raw insert (one): the load average says how busy it was.
    result: dict = {"benchmark": "sync hub ingest", "python": platform.python_version(),
                    "cpus": os.cpu_count(), "batch_rows": BATCH, "scale": 1 / scale,
                    "load_average_before": [round(x, 2) for x in os.getloadavg()]}
    with tempfile.TemporaryDirectory(prefix="madoguchi-bench-") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        booths = {"one": [make_booth(work / "one", 50_000 // scale)],
                  "one_e2e": [make_booth(work / "one_e2e", 50_000 // scale)],
                  "many": [make_booth(work / f"c{i}", 5_000 // scale) for i in range(20)],
                  "many_e2e": [make_booth(work / f"e{i}", 5_000 // scale) for i in range(20)],
                  "backlog": [make_booth(work / "backlog", 10_000 // scale)]}
        result["setup_seconds"] = round(time.perf_counter() - t0, 1)
        (work / "sqlite").mkdir()
        result["sqlite"] = run_db(f"sqlite:///{work / 'sqlite' / 'hub.sqlite3'}", work / "sqlite", booths)
        bin_dir = None if args.no_postgres else find_bin_dir()
        if bin_dir is None:
            result["postgresql"] = {"skipped": "PostgreSQL binaries not found"}
        else:
            pg = TempPostgres(bin_dir, durable=True).start()
            try:
                (work / "pg").mkdir()
                result["postgresql"] = run_db(pg.create_database("bench"), work / "pg", booths)
            finally:
                pg.stop()
    goals = {}
    for db in ("sqlite", "postgresql"):
        r = result.get(db, {})
        if "one_client" in r:
            goals[db] = {"one_client_at_least_half_raw": r["one_client"]["hub_ingest"]["ratio_to_raw"] >= 0.5,
                         "twenty_clients_at_least_half_raw":
                             r["twenty_clients"]["hub_ingest"]["ratio_to_raw"] >= 0.5,
                         "backlog_10k_under_3s": r["backlog_10k"]["seconds"] < 3.0}
    result["goals_met"] = goals
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
