"""Randomized fault injection on loopback: a booth keeps tapping and pushing through
a proxy that drops connections, resets them mid-body (request or answer), delays
past the client's timeout and answers 502, while the hub process is killed -9 in the
middle of batches and restarted. Afterwards the hub holds exactly the booth's rows:
none lost, none twice, no conflicts, no chain gaps, equal totals.

"In the middle of a batch" is checked, not hoped for: the proxy forwards the whole
push and watches the hub from outside (tests/sync/txprobe.py: SQLite's write lock in
/proc/locks, PostgreSQL's pg_stat_activity) until it is inside the write
transaction, then kills it. Every kill is recorded; the test asserts that most
landed inside a transaction before any answer, that some cut a transaction before
its commit (the batch's new rows were not there after the restart), and that every
killed batch was kept whole or not at all."""
from __future__ import annotations

import json
import random

import pytest

from app import tallies as tl
from app.errors import MadoguchiError
from app.store import Store
from sync import booth
from sync.hub import Hub
from sync.office import store_totals
from tests.sync.faultproxy import FaultProxy
from tests.sync.helpers import ProcessHub, booth_rows, hub_rows, open_day, utc
from tests.sync.txprobe import PostgresWriteProbe, SqliteWriteProbe, require_linux_locks

AGES = ("10s", "20s", "30s", "40s", "50s", "60s", "70s")
FAULTS = ("drop", "reset_request", "reset_response", "delay", "bad_gateway")


def _work(store: Store, opening_id: str, rng: random.Random) -> None:
    """What a booth does between two sync attempts: taps, cards, an undo now and then."""
    from datetime import datetime, timedelta, timezone
    now = datetime(2026, 11, 26, 10, tzinfo=timezone(timedelta(hours=9)))
    for _ in range(rng.randint(0, 8)):
        r = rng.random()
        if r < 0.75:
            tl.tap(store, opening_id, "application",
                   {"age_band": rng.choice(AGES), "method": rng.choice(("paper", "online"))}, now=now)
        elif r < 0.9:
            tl.tap(store, opening_id, "visitors", {}, now=now)
        else:
            try:
                tl.undo_last(store, opening_id, now=now)
            except MadoguchiError:
                pass


def _batch_keys(body: bytes) -> list[tuple[str, str]]:
    return [(r["table"], r["id"]) for r in json.loads(body)["rows"]]


def _present(hub: Hub, keys: list[tuple[str, str]]) -> int:
    """How many of these rows the hub's database holds (committed)."""
    held = {(t, i) for t, i, _ in hub_rows(hub)}
    return sum(k in held for k in keys)


@pytest.mark.slow
@pytest.mark.parametrize("backend, trials, kills", [("sqlite", 140, 6), ("postgresql", 100, 5)])
def test_randomized_faults_lose_nothing_and_duplicate_nothing(backend, trials, kills, tmp_path, request):
    if backend == "sqlite":
        require_linux_locks()
    db = (f"sqlite:///{tmp_path / 'hub.sqlite3'}" if backend == "sqlite"
          else request.getfixturevalue("pg").create_database(f"faults_{backend}"))
    rng = random.Random(20261126 + trials)
    hub = Hub(db, pool_size=1)
    proc = ProcessHub(db, tmp_path / "hub.log").start()
    proxy = FaultProxy(proc.port, seed=rng.randint(0, 10**6))
    probe = (SqliteWriteProbe(tmp_path / "hub.sqlite3", lambda: proc.proc.pid if proc.proc else None)
             if backend == "sqlite" else PostgresWriteProbe(db))
    proxy.in_transaction = probe
    proxy.before_kill = lambda body: _present(hub, _batch_keys(body))
    data = tmp_path / "booth"
    app_store = Store.open(data)  # the booth app holds the writer all along
    try:
        opening = open_day(app_store)
        booth.enrol(data, hub_url=proxy.url, code=hub.create_enrol_code("faults", utc()))
        kill_at = set(rng.sample(range(5, trials), kills))
        killed = []
        proxy.on_kill = lambda: (proc.kill(), killed.append(1))
        outcomes = {"ok": 0, "failed": 0}
        for trial in range(trials):
            kill_now = trial in kill_at
            _work(app_store, opening.id, rng)
            if kill_now:  # make sure there is a batch of new rows to kill the hub in the middle of
                with app_store.transaction():
                    for _ in range(rng.randint(20, 60)):
                        tl.tap(app_store, opening.id, "visitors", {}, now=utc())
            pushes = iter(range(10**6))

            def choose(method: str, path: str, kill_now=kill_now, pushes=pushes) -> str:
                if path.startswith("/v1/push"):
                    n = next(pushes)
                    if kill_now:
                        return "kill" if n == 0 else "pass"
                    return rng.choice(FAULTS) if rng.random() < 0.45 else "pass"
                return rng.choice(FAULTS) if rng.random() < 0.1 and not kill_now else "pass"
            proxy.choose = choose
            proxy.delay = rng.choice((0.05, 0.6))  # under or over the client's timeout
            try:  # a kill trial sends its pending rows as one batch (after the restart: all or none)
                booth.push_pending(data, batch_rows=200 if kill_now else rng.randint(2, 12), timeout=0.4)
                outcomes["ok"] += 1
            except MadoguchiError:
                outcomes["failed"] += 1
            if proc.proc is None:
                proc = ProcessHub(db, tmp_path / "hub.log", port=proc.port).start()
                proxy.on_kill = lambda p=proc: (p.kill(), killed.append(1))
                record = proxy.kills[-1]
                keys = _batch_keys(record["body"])
                record.update(rows=len(keys), after=_present(hub, keys))

        proxy.choose = lambda method, path: "pass"
        final = booth.push_pending(data, timeout=30)
        assert final.pending == 0 and final.conflicts == []
        assert outcomes["ok"] > 10 and outcomes["failed"] > 10, outcomes
        assert len(killed) == kills == len(proxy.kills)
        assert all(proxy.seen[m] > 0 for m in (*FAULTS, "kill")), proxy.seen
        report = [{k: v for k, v in r.items() if k != "body"} for r in proxy.kills]
        # Each killed batch: all of it or none of it (rows already there before stay).
        assert all(r["after"] in (r["before"], r["rows"]) for r in report), report
        # Where the kills landed: inside the write transaction, before any answer ...
        inside = [r for r in report if r["in_transaction"] and not r["answered"]]
        assert len(inside) >= (kills + 1) // 2, report  # typically all but one or two
        # ... and some cut the transaction before its commit: its new rows were not kept.
        assert any(r["after"] == r["before"] < r["rows"] for r in inside), report

        on_hub = hub_rows(hub)
        assert len(on_hub) == len({(t, i) for t, i, _ in on_hub})            # nothing twice
        assert {(t, i): h for t, i, h in on_hub} == booth_rows(data)         # nothing lost or changed
        assert hub.conflicts() == []
        [device] = hub.devices()
        assert device["gaps"] == [] and device["breaks"] == []
        by = ["opening", "counter", "age_band", "method"]
        assert hub.totals(by) == store_totals(app_store, by)
        hub_application = sum(t["total"] for t in hub.totals(["counter"]) if t["counter"] == "application")
        assert hub_application == tl.totals(app_store)["application"]["total"]
    finally:
        app_store.close()
        proxy.close()
        proc.kill()
        probe.close()
        hub.close()
