"""Which reports are still to be handed in, and by when.

Daily: every opening up to today, due by the profile's "daily" rule (e.g. 3 business
days, or the 2nd office day after) or, without one, by its first-due rule counted from
the opening's date (spec 001: inquiry counts the next business day). Monthly: every
finished month with openings, due by the "monthly" rule (e.g. the 10th of the next
month). Business days skip weekends, national holidays and the 12/29–1/3 closure
(app.jcalendar).

A report counts as handed in once it has been exported showing what the store holds
now: the export's fingerprint (fingerprint.py) is compared with the fingerprint of the
same report made from the store today. Any correction or amendment after the export —
also one that leaves every total unchanged, such as a count moved from one age band to
another — makes it "stale" (export again)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Callable

from app.jcalendar import business_days_between
from app.openings import Opening, list_openings
from app.profiles import ReportRule, get_profile
from app.reports import cells as cl
from app.reports import exports as ex
from app.reports import fingerprint as fp
from app.reports.gather import daily_data_many, daily_rule, month_end, month_key, monthly_data, monthly_due, rule_due
from app.reports.messages import word
from app.store import Store

DUE_SOON_BUSINESS_DAYS = 1   # due tomorrow (the next office day) counts as "due soon"
OUTSTANDING = ("overdue", "due_today", "due_soon", "stale", "pending", "no_deadline")


@dataclass(frozen=True)
class Deadline:
    report: str                  # daily | monthly
    profile: str
    due: date | None
    state: str                   # exported | stale | overdue | due_today | due_soon | pending | no_deadline
    days_left: int | None        # business days until due; negative when overdue
    exported_at: str | None
    opening: Opening | None = None
    month: date | None = None
    rule: ReportRule | None = None   # the profile's report rule the due date comes from

    @property
    def outstanding(self) -> bool:
        return self.state in OUTSTANDING

    def state_label(self, lang: str = "ja") -> str:
        return word(f"state_{self.state}", lang)

    def key(self) -> str:
        return self.opening.id if self.opening else f"{self.profile}:{month_key(self.month)}"


def _state(due: date | None, today: date, exported: ex.ExportRecord | None,
           current: Callable[[], tuple[str, dict]]) -> tuple[str, int | None]:
    """`current()` gives (fingerprint, totals) of the report made now; it is only
    called for reports that were exported."""
    days = business_days_between(today, due) if due else None
    if exported is not None:
        return ("exported" if fp.unchanged(exported.summary, *current()) else "stale"), days
    if due is None:
        return "no_deadline", None
    if today > due:
        return "overdue", days
    if today == due:
        return "due_today", 0
    if days <= DUE_SOON_BUSINESS_DAYS:
        return "due_soon", days
    return "pending", days


def _moment(today: date) -> datetime:
    return datetime.combine(today, time(12))  # only names the report's making time; not fingerprinted


def daily_deadlines(store: Store, today: date, *, profile: str | None = None,
                    openings: list[Opening] | None = None) -> list[Deadline]:
    """One Deadline per opening held up to today, soonest due first (no due last)."""
    held = [o for o in (openings if openings is not None else list_openings(store))
            if o.date <= today and (profile is None or o.profile == profile)]
    latest = ex.latest_daily(store)
    # The exported ones' reports as they would be made now, read together.
    now_data = daily_data_many(store, [o for o in held if o.id in latest], now=_moment(today))
    out = []
    for o in held:
        rule = daily_rule(get_profile(o.profile), o.date)
        due = rule_due(rule, o.date) if rule else None
        done = latest.get(o.id)

        def current(oid=o.id) -> tuple[str, dict]:
            return fp.daily(now_data[oid]), now_data[oid].totals
        state, days = _state(due, today, done, current)
        out.append(Deadline("daily", o.profile, due, state, days, done.exported_at if done else None, opening=o,
                            rule=rule))
    return sorted(out, key=lambda d: (d.due or date.max, d.opening.date, d.opening.venue))


def monthly_deadlines(store: Store, today: date, *, profile: str | None = None,
                      openings: list[Opening] | None = None) -> list[Deadline]:
    """One Deadline per profile and finished month with openings."""
    held = [o for o in (openings if openings is not None else list_openings(store))
            if month_end(o.date) < today and (profile is None or o.profile == profile)]
    latest = ex.latest_monthly(store)
    months = sorted({(o.profile, o.date.replace(day=1)) for o in held})
    cache: dict = {}

    def current(prof_key: str, month: date) -> tuple[str, dict]:
        if "cells" not in cache:  # every opening's counts, read once for all exported months
            cache["cells"] = cl.cells_by_opening(store, [o.id for o in list_openings(store)])
        data = monthly_data(store, month, profile=prof_key, now=_moment(today), as_of=today,
                            cells_of=cache["cells"])
        return fp.monthly(data), data.totals

    out = []
    for prof_key, month in months:
        prof = get_profile(prof_key)
        due = monthly_due(prof, month)
        done = latest.get((prof_key, month_key(month)))
        state, days = _state(due, today, done, lambda p=prof_key, m=month: current(p, m))
        out.append(Deadline("monthly", prof_key, due, state, days, done.exported_at if done else None,
                            month=month, rule=prof.report("monthly")))
    return sorted(out, key=lambda d: (d.due or date.max, d.month))


def outstanding(deadlines: list[Deadline]) -> list[Deadline]:
    return [d for d in deadlines if d.outstanding]
