"""Real hubs on loopback and real booth stores for the sync tests."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests
import uvicorn

from app import openings as op
from app import tallies as tl
from app.store import Store
from sync.hub import Hub, Limits
from sync.pgtemp import free_port
from sync.server import create_app

ROOT = Path(__file__).resolve().parents[2]
JST = timezone(timedelta(hours=9))
PROFILE = "miyagi_mynumber_r6"


def utc() -> datetime:
    return datetime.now(timezone.utc)


class ThreadHub:
    """The hub app served by uvicorn on a thread of the test process."""

    def __init__(self, db_url: str, limits: Limits | None = None) -> None:
        self.db_url = db_url
        self.app = create_app(db_url, limits=limits)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="error",
                                lifespan="on", timeout_graceful_shutdown=2)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.hub: Hub = self.app.state.hub
        self.admin = self.hub.create_admin_token("tests", utc())

    def start(self) -> "ThreadHub":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("hub did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)

    def code(self, name: str = "booth", **kw) -> str:
        return self.hub.create_enrol_code(name, utc(), **kw)

    def admin_get(self, path: str, **params):
        r = requests.get(f"{self.url}/v1/admin/{path}", params=params,
                         headers={"Authorization": f"Bearer {self.admin}"}, timeout=30)
        r.raise_for_status()
        return r.json()

    def row_count(self) -> int:
        return sum(self.hub.stats()["rows"].values())

    def snapshot(self) -> tuple:
        """Everything a request could have changed."""
        with self.hub.pool.conn() as c:
            rows = c.query("SELECT tbl, id, hash FROM hub_row ORDER BY tbl, id")
            conflicts = c.query("SELECT tbl, row_id, incoming_hash FROM hub_conflict ORDER BY 1, 2, 3")
            devices = c.query("SELECT id, token_hash, revoked_at, public_key FROM hub_device ORDER BY id")
            plan = c.query("SELECT id, data FROM hub_plan ORDER BY id")
        return rows, conflicts, devices, plan


class ProcessHub:
    """`python main.py hub` in its own process, for kill -9 and restart."""

    def __init__(self, db_url: str, log_path: Path, port: int | None = None) -> None:
        self.db_url = db_url
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None
        self._log = None

    def start(self) -> "ProcessHub":
        self._log = open(self.log_path, "ab")
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "--data-dir", str(self.log_path.parent / "hubhome"),
             "hub", "--db", self.db_url, "--port", str(self.port), "--max-batch-rows", "500"],
            stdout=self._log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(self.url + "/v1/health", timeout=1).ok:
                    return self
            except requests.RequestException:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"hub process did not start: {self.log_path.read_text()[-2000:]}")
            time.sleep(0.05)

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
            self.proc = None
        if self._log is not None:
            self._log.close()
            self._log = None


def new_store(data_dir: Path) -> None:
    Store.open(data_dir).close()


def open_day(store: Store, *, venue: str = "イオンモール名取", municipality: str = "名取市",
             date: str = "2026-11-26", kind: str = "support_booth", large: bool = False):
    return op.open_opening(store, profile=PROFILE, kind=kind, venue=venue, municipality=municipality,
                           date=date, large=large, staff=2, now=datetime(2026, 11, 26, 9, tzinfo=JST))


def tap_n(store: Store, opening_id: str, n: int, *, age: str = "30s", method: str = "paper") -> None:
    now = datetime(2026, 11, 26, 10, tzinfo=JST)
    for _ in range(n):
        tl.tap(store, opening_id, "application", {"age_band": age, "method": method}, now=now)


def bulk_taps(store: Store, opening_id: str, n: int) -> None:
    """Many real chained tally rows in one transaction (the benchmark's backlog)."""
    import json
    from app.ids import uuid7
    stamp = datetime(2026, 11, 26, 10, tzinfo=JST).isoformat(timespec="milliseconds")
    dims = json.dumps({"age_band": "30s", "method": "paper"}, separators=(",", ":"))
    with store.transaction():
        for _ in range(n):
            store.append("tally", {"id": uuid7(), "opening_id": opening_id, "counter": "application",
                                   "dims": dims, "delta": 1, "kind": "tap", "ref_id": None,
                                   "group_id": uuid7(), "reason": "", "amendment": 0, "device_time": stamp})


def booth_rows(data_dir: Path) -> dict[tuple[str, str], str]:
    """(table, id) -> hash of every chained row in a booth store."""
    from app.store import CHAINED_COLUMNS
    out = {}
    with Store.open(data_dir, read_only=True) as store:
        tables = {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type='table'")}
        for t in CHAINED_COLUMNS:
            if t in tables:
                for r in store.query(f"SELECT id, hash FROM {t}"):
                    out[(t, r[0])] = r[1]
    return out


def hub_rows(hub: Hub) -> list[tuple[str, str, str]]:
    with hub.pool.conn() as c:
        return [tuple(r) for r in c.query("SELECT tbl, id, hash FROM hub_row")]


def booth_totals(data_dir: Path) -> dict:
    with Store.open(data_dir, read_only=True) as store:
        return tl.totals(store)
