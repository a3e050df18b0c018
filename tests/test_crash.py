"""Kill a tapping process with SIGKILL at random moments: every tap it acknowledged is
in the store afterwards and the hash chains still verify."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time

import pytest

from app.openings import open_opening
from app.store import Store
from app.verify import verify
from tests.conftest import ROOT, at, profile_for_spec

RUNS = 20


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_acknowledged_taps_survive_sigkill(data_dir):
    p = profile_for_spec("003")
    with Store.open(data_dir) as store:
        opening = open_opening(store, profile=p, kind=p.opening_kinds[0].key, venue="会場",
                               municipality="仙台市", date="2026-11-26", large=False, staff=2, now=at(9))
    rng = random.Random(20261126)
    acknowledged: list[str] = []
    for run in range(RUNS):
        child = subprocess.Popen(
            [sys.executable, str(ROOT / "tests/helpers/crash_tapper.py"), str(data_dir), opening.id],
            stdout=subprocess.PIPE, text=True, cwd=ROOT)
        assert child.stdout.readline().strip() == "ready"
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(child.stdout), daemon=True)
        reader.start()
        time.sleep(rng.uniform(0.02, 0.6))
        child.send_signal(signal.SIGKILL)
        child.wait()
        reader.join()
        child.stdout.close()
        # A line cut off by the kill was never fully acknowledged.
        complete = [ln for ln in lines if ln.endswith("\n")]
        acknowledged += [i for ln in complete for i in ln.split()]
    assert len(acknowledged) > RUNS  # the kills really landed mid-stream
    with Store.open(data_dir) as store:
        stored = {r["id"] for r in store.query("SELECT id FROM tally")}
        missing = [i for i in acknowledged if i not in stored]
        assert missing == []
        report = verify(store)
        assert report.ok, report.problems
