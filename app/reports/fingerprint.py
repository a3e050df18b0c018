"""What an export remembers of the numbers it showed, so that any later change makes
the export visibly stale ("提出後に修正あり・再出力が必要").

Counter totals alone are not enough: a correction that moves a count from one age
band to another (undo a 40代 tap, add a 60代 one) leaves every total unchanged while
the report's tables have changed. So an export records a fingerprint — a SHA-256 of
everything the report shows as data: the opening(s) with their attributes, every
joint count (counter x dimension values), the amendments with their reasons, the
progress against the targets and the devices the data came from. Words, language,
layout and the time of making are not part of it: exporting the same numbers in
English or as CSV gives the same fingerprint.

Not part of it either: the monthly report's list of planned openings. Plans change
all the time; a report handed in shows the plan as it was known then, and a new plan
is no reason to hand the month in again.

The deadline list computes the same fingerprint from the store now (the same gather
functions as the export), so equal means "the report would show the same"."""
from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from app.reports import cells as cl

if TYPE_CHECKING:  # names for annotations only: this module needs no more than the data
    from app.openings import Opening
    from app.reports.gather import DailyData, FinalData, MonthlyData, OpeningRow
    from app.reports.targets import Progress

PREFIX = "sha256:"


def _digest(obj) -> str:
    text = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _cells(cells: cl.Cells) -> dict:
    """{counter: [[dims pairs, n], ...]} without zero cells, in a stable order."""
    return {counter: sorted([[list(map(list, dims)), n] for dims, n in by_dims.items() if n])
            for counter, by_dims in cells.items() if any(by_dims.values())}


def _opening(o: "Opening") -> list:
    return [o.id, o.profile, o.kind, o.venue, o.municipality, o.date.isoformat(), o.large, o.staff,
            o.opened_at, o.closed_at]


def _rows(rows: "list[OpeningRow]") -> list:
    return [[_opening(r.opening), _cells(r.cells)] for r in rows]


def _progress(progress: "list[Progress]") -> list:
    return [[p.target.key, p.value, p.month.isoformat() if p.month else None, p.actual, p.month_actual]
            for p in progress]


def daily(data: "DailyData") -> str:
    return _digest({
        "report": "daily", "opening": _opening(data.opening), "confirmed_by": data.confirmed_by,
        "cells": _cells(data.cells),
        "amendments": [[a.device_time, a.counter, a.dims, a.delta, a.kind, a.reason, a.device_id]
                       for a in data.amendments],
        "devices": [d.id for d in data.devices]})


def monthly(data: "MonthlyData") -> str:
    return _digest({
        "report": "monthly", "profile": data.profile.key, "month": data.month.isoformat(),
        "rows": _rows(data.rows), "progress": _progress(data.progress),
        "devices": [d.id for d in data.devices]})


def final(data: "FinalData") -> str:
    return _digest({
        "report": "final", "profile": data.profile.key, "as_of": data.as_of.isoformat(),
        "rows": _rows(data.rows), "progress": _progress(data.progress),
        "devices": [d.id for d in data.devices]})


def record(fingerprint: str, totals: dict[str, int]) -> dict:
    """The `summary` an export row keeps: the fingerprint, and the counter totals for
    people reading the row (and for exports recorded before fingerprints)."""
    return {"fingerprint": fingerprint, "totals": dict(totals)}


def unchanged(summary: dict, fingerprint: str, totals: dict[str, int]) -> bool:
    """Does an export's recorded summary still match what the report would show now?
    Rows recorded before fingerprints existed hold the totals only; for them the totals
    are all there is to compare."""
    if isinstance(summary, dict) and "fingerprint" in summary:
        return summary["fingerprint"] == fingerprint
    return summary == totals
