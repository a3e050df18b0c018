"""Randomized fault injection on loopback: a booth keeps tapping and pushing through
a proxy that drops connections, resets them mid-body (request or answer), delays
past the client's timeout and answers 502, while the hub process is killed -9 in the
middle of batches and restarted. Afterwards the hub holds exactly the booth's rows:
none lost, none twice, no conflicts, no chain gaps, equal totals."""
from __future__ import annotations

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


@pytest.mark.slow
@pytest.mark.parametrize("backend, trials, kills", [("sqlite", 140, 5), ("postgresql", 100, 4)])
def test_randomized_faults_lose_nothing_and_duplicate_nothing(backend, trials, kills, tmp_path, request):
    db = (f"sqlite:///{tmp_path / 'hub.sqlite3'}" if backend == "sqlite"
          else request.getfixturevalue("pg").create_database(f"faults_{backend}"))
    rng = random.Random(20261126 + trials)
    hub = Hub(db, pool_size=1)
    proc = ProcessHub(db, tmp_path / "hub.log").start()
    proxy = FaultProxy(proc.port, seed=rng.randint(0, 10**6))
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
            if kill_now:  # make sure there is a batch to kill the hub in the middle of
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
            try:
                booth.push_pending(data, batch_rows=rng.randint(2, 12), timeout=0.4)
                outcomes["ok"] += 1
            except MadoguchiError:
                outcomes["failed"] += 1
            if proc.proc is None:
                proc = ProcessHub(db, tmp_path / "hub.log", port=proc.port).start()
                proxy.on_kill = lambda p=proc: (p.kill(), killed.append(1))

        proxy.choose = lambda method, path: "pass"
        final = booth.push_pending(data, timeout=30)
        assert final.pending == 0 and final.conflicts == []
        assert outcomes["ok"] > 10 and outcomes["failed"] > 10, outcomes
        assert len(killed) == kills
        assert all(proxy.seen[m] > 0 for m in (*FAULTS, "kill")), proxy.seen

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
        hub.close()
