"""Progress against a profile's targets (Target.kind / value / counter /
opening_kind / per).

    openings        openings held (of one opening_kind, when given)
    large_openings  of those, at 100-person venues
    counter         sum of one counter over those openings
    regions         distinct regions (圏域) with at least one of those openings

A target with per = "month" is a number for each month; per = "contract" is for the
whole contract term, counted cumulatively."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from app.profiles import Profile, Target
from app.reports import cells as cl

if TYPE_CHECKING:  # gather imports this module
    from app.reports.gather import OpeningRow


@dataclass(frozen=True)
class Progress:
    target: Target
    actual: int
    month: date | None = None        # the month a per-month target is measured in
    month_actual: int | None = None  # this month's part of a contract target

    @property
    def value(self) -> int:
        return self.target.value

    @property
    def rate(self) -> float:
        return self.actual / self.value if self.value else 0.0

    @property
    def met(self) -> bool:
        return self.actual >= self.value

    @property
    def remaining(self) -> int:
        return max(0, self.value - self.actual)


def _relevant(target: Target, rows: Sequence["OpeningRow"]) -> list["OpeningRow"]:
    if target.opening_kind is None:
        return list(rows)
    return [r for r in rows if r.opening.kind == target.opening_kind]


def actual(target: Target, rows: Sequence["OpeningRow"]) -> int:
    rows = _relevant(target, rows)
    if target.kind == "openings":
        return len(rows)
    if target.kind == "large_openings":
        return sum(1 for r in rows if r.opening.large)
    if target.kind == "counter":
        return sum(cl.total(r.cells, target.counter) for r in rows)
    if target.kind == "regions":
        return len({r.opening.region.key for r in rows})
    raise ValueError(f"unknown target kind {target.kind!r}")  # the validator stops this


def _in_month(rows: Sequence["OpeningRow"], month: date) -> list["OpeningRow"]:
    return [r for r in rows if (r.opening.date.year, r.opening.date.month) == (month.year, month.month)]


def progress_for_month(profile: Profile, rows_to_date: Sequence["OpeningRow"],
                       month: date) -> list[Progress]:
    """For a monthly report: per-month targets against that month; contract targets
    cumulatively to the month's end, with the month's own part alongside."""
    month_rows = _in_month(rows_to_date, month)
    out = []
    for t in profile.targets:
        if t.per == "month":
            out.append(Progress(t, actual(t, month_rows), month=month))
        else:
            out.append(Progress(t, actual(t, rows_to_date), month_actual=actual(t, month_rows)))
    return out


def months_of(rows: Sequence["OpeningRow"]) -> list[date]:
    return sorted({r.opening.date.replace(day=1) for r in rows})


def progress_for_final(profile: Profile, rows: Sequence["OpeningRow"]) -> list[Progress]:
    """Contract targets once; per-month targets once for every month with openings."""
    out = []
    for t in profile.targets:
        if t.per == "month":
            out += [Progress(t, actual(t, _in_month(rows, m)), month=m) for m in months_of(rows)]
        else:
            out.append(Progress(t, actual(t, rows)))
    return out


def cumulative(target: Target, rows: Sequence["OpeningRow"]) -> list[tuple[date, int]]:
    """(date, cumulative actual) at every date with an opening: the progress line."""
    ordered = sorted(rows, key=lambda r: r.opening.date)
    points: list[tuple[date, int]] = []
    for i, r in enumerate(ordered):
        if i + 1 < len(ordered) and ordered[i + 1].opening.date == r.opening.date:
            continue  # one point per day, after all of that day's openings
        points.append((r.opening.date, actual(target, ordered[:i + 1])))
    return points
