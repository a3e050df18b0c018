"""The office's progress dashboard, as data: for each campaign in the (merged) store,
every target with its numbers, the final report's charts, and the reports still
outstanding. The UI only draws this."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.openings import list_openings
from app.profiles import Profile, get_profile
from app.reports import gather
from app.reports.charts import final_charts
from app.reports.deadlines import Deadline, daily_deadlines, monthly_deadlines, outstanding
from app.reports.document import Charts
from app.reports.gather import Device
from app.reports.targets import Progress, progress_for_month
from app.store import Store


@dataclass(frozen=True)
class Dashboard:
    profile: Profile
    as_of: date
    openings: int
    progress: list[Progress]        # contract targets to date, per-month targets for this month
    charts: list[Charts]
    outstanding: list[Deadline]     # daily and monthly reports not (or no longer) exported
    devices: list[Device]


def dashboards(store: Store, now: datetime, lang: str = "ja") -> dict[str, Dashboard]:
    """One Dashboard per profile with openings, in spec order."""
    today = now.date()
    everything = list_openings(store)
    out = {}
    for key in sorted({o.profile for o in everything}, key=lambda k: (get_profile(k).spec, k)):
        final = gather.final_data(store, profile=key, now=now, as_of=today)
        mine = [o for o in everything if o.profile == key]
        due = daily_deadlines(store, today, openings=mine) + monthly_deadlines(store, today, openings=mine)
        out[key] = Dashboard(
            profile=final.profile, as_of=today, openings=len(final.rows),
            progress=progress_for_month(final.profile, final.rows, today.replace(day=1)),
            charts=final_charts(final.profile, final.rows, final.cells, lang),
            outstanding=sorted(outstanding(due), key=lambda d: (d.due or date.max, d.report)),
            devices=final.devices)
    return out
