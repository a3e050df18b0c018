"""Tap-to-commit latency through the domain API, next to a raw sqlite3 single-row
commit with the same pragmas, measured in the same run on the same disk.

    python bench/tally.py [--taps N] [--dir DIR]

Prints JSON. Goal: tap p99 within 2x the raw commit p99. The three measurements are
interleaved in rounds so that disk noise hits them alike; the goal is judged on the
median of the per-round ratios, which one noisy round cannot swing.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.openings import open_opening  # noqa: E402
from app.profiles import list_profiles  # noqa: E402
from app.store import Store  # noqa: E402
from app.tallies import record_card, tap  # noqa: E402


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"p50_ms": round(statistics.median(ordered) * 1000, 3),
            "p99_ms": round(pick(0.99) * 1000, 3), "max_ms": round(ordered[-1] * 1000, 3),
            "n": len(ordered)}


def raw_commit(folder: Path, n: int) -> list[float]:
    conn = sqlite3.connect(folder / "raw.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("CREATE TABLE t (id TEXT PRIMARY KEY, counter TEXT, delta INTEGER, at TEXT)")
    out = []
    for i in range(n):
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t VALUES (?, ?, ?, ?)", (f"id{i}", "visitors", 1, "now"))
        conn.execute("COMMIT")
        out.append(time.perf_counter() - start)
    conn.close()
    return out


def domain_taps(folder: Path, n: int, card: bool) -> list[float]:
    profile = next(p for p in list_profiles() if p.spec == "003")
    with Store.open(folder / "store") as store:
        opening = open_opening(store, profile=profile, kind=profile.opening_kinds[0].key,
                               venue="bench", municipality="仙台市", date="2026-11-26",
                               large=False, staff=1, now=datetime.now().astimezone())
        out = []
        for _ in range(n):
            now = datetime.now().astimezone()
            start = time.perf_counter()
            if card:
                record_card(store, opening.id, {"age_band": "40s", "method": "online"},
                            ["insurance_link"], now=now)
            else:
                tap(store, opening.id, "visitors", now=now)
            out.append(time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taps", type=int, default=4000, help="taps in all (default 4000)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    parser.add_argument("--dir", help="folder on the disk to measure (default: a temp folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp)
        # Interleave the three so disk noise hits them alike.
        raw, taps, cards, ratios = [], [], [], []
        for r in range(args.rounds):
            sub = folder / f"round{r}"
            sub.mkdir()
            round_raw = raw_commit(sub, args.taps // args.rounds)
            round_taps = domain_taps(sub / "t", args.taps // args.rounds, card=False)
            cards += domain_taps(sub / "c", args.taps // args.rounds, card=True)
            raw += round_raw
            taps += round_taps
            ratios.append(percentiles(round_taps)["p99_ms"] / percentiles(round_raw)["p99_ms"])
    result = {
        "benchmark": "tally",
        "raw_sqlite_commit": percentiles(raw),
        "tap": percentiles(taps),
        "applicant_card": percentiles(cards),
    }
    result["tap_p99_over_raw_p99_all"] = round(result["tap"]["p99_ms"] / result["raw_sqlite_commit"]["p99_ms"], 2)
    result["tap_p99_over_raw_p99_per_round"] = [round(x, 2) for x in ratios]
    result["tap_p99_over_raw_p99_median"] = round(statistics.median(ratios), 2)
    result["goal_tap_p99_within_2x_raw"] = result["tap_p99_over_raw_p99_median"] <= 2.0
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
