"""Check the store: SQLite's own integrity check, then every device's hash chain.

A changed row no longer matches its hash; a removed row leaves a gap in `seq` or a
broken `prev_hash` link; removing the newest row no longer matches the device head.

What a local check cannot catch: someone who rewrites the file deliberately — removes
the newest rows AND rolls the device head back, or recomputes every hash — since the
chain has no secret. That forgery shows against any copy held elsewhere: the hub checks
each pushed row against the chain it already has (docs/sync.md), and a closing keeps
the totals the supervisor confirmed."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from app.store import CHAINED_COLUMNS, Store, genesis_hash, row_hash


@dataclass
class Problem:
    device_id: str
    table: str
    row_id: str
    seq: int | None
    problem: str

    def to_dict(self) -> dict:
        return self.__dict__.copy()


@dataclass
class VerifyReport:
    integrity: str
    rows_checked: int = 0
    devices: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and not self.problems

    @property
    def first_bad(self) -> Problem | None:
        return self.problems[0] if self.problems else None


def verify(store: Store) -> VerifyReport:
    try:
        lines = [r[0] for r in store.query("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        return VerifyReport(integrity=f"error: {exc}")
    report = VerifyReport(integrity="ok" if lines == ["ok"] else "; ".join(lines[:5]))
    devices = store.query("SELECT id, head_seq, head_hash FROM device ORDER BY id")
    known = {d["id"] for d in devices}
    for table in CHAINED_COLUMNS:  # rows of a device the store does not know
        for row in store.query(f"SELECT id, device_id, seq FROM {table}"):
            if row["device_id"] not in known:
                report.problems.append(Problem(row["device_id"], table, row["id"], row["seq"],
                                               "row of an unknown device"))
    for device in devices:
        report.devices += 1
        _check_chain(store, device, report)
    return report


def _check_chain(store: Store, device, report: VerifyReport) -> None:
    rows = []
    for table in CHAINED_COLUMNS:
        rows += [(r["seq"], table, dict(r)) for r in store.query(
            f"SELECT * FROM {table} WHERE device_id = ?", (device["id"],))]
    rows.sort(key=lambda item: item[0])
    expected_seq, prev = 1, genesis_hash(device["id"])
    for seq, table, row in rows:
        report.rows_checked += 1
        bad = None
        if seq != expected_seq:
            bad = f"sequence jumps from {expected_seq - 1} to {seq} (rows missing or reordered)"
        elif row["prev_hash"] != prev:
            bad = "link to the previous row is broken"
        elif row_hash(table, row) != row["hash"]:
            bad = "row content does not match its hash (changed after writing)"
        if bad:
            report.problems.append(Problem(device["id"], table, row["id"], seq, bad))
            return  # later rows of this chain cannot be trusted to report more
        expected_seq, prev = seq + 1, row["hash"]
    if (expected_seq - 1, prev) != (device["head_seq"], device["head_hash"]):
        report.problems.append(Problem(
            device["id"], "device", device["id"], device["head_seq"],
            f"chain ends at row {expected_seq - 1} but the device recorded {device['head_seq']} rows"
            " (newest rows removed)"))
