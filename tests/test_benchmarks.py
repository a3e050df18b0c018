"""Every benchmark the README lists still runs and prints JSON holding its baseline.

Small sizes only: this checks that bench/*.py work after a change (a moved function,
a renamed key), not how fast anything is — the numbers themselves are read by
people, next to the baseline measured in the same run (no timing assertions here).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# script, small arguments, the path to the baseline measured in the same run
BENCHMARKS = [
    ("tally.py", ["--taps", "40", "--rounds", "1"], ["raw_sqlite_commit"]),
    ("qr.py", ["--grants", "20", "--renders", "5"], ["raw_sqlite_commit"]),
    ("camera.py", ["--frames", "10"], ["frame_interval_ms"]),
    ("photo.py", ["--frames", "20", "--seconds", "1"], ["baseline_frame_interval_ms_30fps"]),
    ("reports.py", ["--openings", "2", "--tallies", "50", "--repeat", "1"], ["monthly", "baseline_raw_sql_sum"]),
    ("sync.py", ["--quick", "--no-postgres"], ["sqlite", "twenty_clients", "raw_executemany_rows_per_s"]),
]


def test_the_readme_lists_every_benchmark():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    scripts = sorted(p.name for p in (ROOT / "bench").glob("*.py"))
    assert scripts == sorted(name for name, _, _ in BENCHMARKS)
    assert all(f"`bench/{name}`" in readme for name in scripts)


@pytest.mark.slow
@pytest.mark.parametrize("script, args, baseline", BENCHMARKS, ids=[b[0] for b in BENCHMARKS])
def test_benchmark_runs_and_reports_its_baseline(script, args, baseline, tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    for key in baseline:
        assert key in result, f"{script}: no {key!r} in {sorted(result)}"
        result = result[key]
    assert result, f"{script}: empty baseline"
