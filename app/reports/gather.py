"""The numbers of a daily, monthly or final report, read from one Store.

The Store may be a booth laptop's own store or the office's merged store (rows of
many devices): nothing here cares which. No formatting happens here; document.py
turns these into titled tables."""
from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app import jcalendar
from app.errors import MadoguchiError
from app.openings import Opening, get_opening, list_openings
from app.profiles import Profile, ReportRule, get_profile
from app.reports import cells as cl
from app.reports.plan import NO_PLAN, Plan, merge_planned
from app.reports.targets import Progress, progress_for_final, progress_for_month
from app.store import Store


@dataclass(frozen=True)
class Device:
    id: str
    name: str

    @property
    def short(self) -> str:
        return f"{self.name} ({self.id[-8:]})"


@dataclass(frozen=True)
class Amendment:
    """A row written after the day was closed, with the reason the supervisor gave."""
    device_time: str
    counter: str
    dims: dict
    delta: int
    kind: str
    reason: str
    device_id: str


@dataclass(frozen=True)
class OpeningRow:
    opening: Opening
    cells: cl.Cells


@dataclass(frozen=True)
class DailyData:
    profile: Profile
    opening: Opening
    confirmed_by: str
    cells: cl.Cells
    amendments: list[Amendment]
    due: date | None
    devices: list[Device]
    generated_at: datetime

    @property
    def totals(self) -> dict[str, int]:
        return cl.counter_totals(self.cells, [c.key for c in self.profile.counters])


@dataclass(frozen=True)
class MonthlyData:
    profile: Profile
    month: date                      # first day of the month
    rows: list[OpeningRow]           # openings of the month held up to as_of
    cells: cl.Cells
    progress: list[Progress]
    planned: list                    # Opening | PlannedOpening: the rest of the month after as_of, and the next month
    due: date | None
    devices: list[Device]
    generated_at: datetime
    as_of: date = date.max           # the report's day: later openings are plans, not results
    plan: Plan = NO_PLAN             # the office's plan merged into `planned`

    @property
    def partial(self) -> bool:
        """Made before the month was over: the rest of the month is still a plan."""
        return self.as_of < month_end(self.month)

    @property
    def totals(self) -> dict[str, int]:
        return cl.counter_totals(self.cells, [c.key for c in self.profile.counters])


@dataclass(frozen=True)
class FinalData:
    profile: Profile
    rows: list[OpeningRow]
    cells: cl.Cells
    progress: list[Progress]
    devices: list[Device]
    generated_at: datetime
    as_of: date

    @property
    def totals(self) -> dict[str, int]:
        return cl.counter_totals(self.cells, [c.key for c in self.profile.counters])

    @property
    def period(self) -> tuple[date, date] | None:
        dates = [r.opening.date for r in self.rows]
        return (min(dates), max(dates)) if dates else None


# ----------------------------------------------------------------- helpers

def parse_month(value: str | date) -> date:
    """"2024-11" -> date(2024, 11, 1)."""
    if isinstance(value, date):
        return value.replace(day=1)
    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", str(value or ""))
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise MadoguchiError("REPORT_MONTH_INVALID", value=value)
    return date(int(m.group(1)), int(m.group(2)), 1)


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def next_month(month: date) -> date:
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


def month_key(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


# Report rules that count forward from an opening's date: something handed in after
# each opening (business_days_before counts back from an event: a roster, not a report).
AFTER_OPENING_RULES = frozenset({"business_days_after", "office_days_after", "next_business_day"})


def rule_due(rule: ReportRule, base: date) -> date:
    return jcalendar.due_date(rule.rule, base, n=rule.n, day=rule.day)


def due_for(profile: Profile, report: str, base: date) -> date | None:
    """The deadline the profile's rule gives, or None when the profile sets none."""
    rule = profile.report(report)
    return None if rule is None else rule_due(rule, base)


def daily_rule(profile: Profile, opening_date: date) -> ReportRule | None:
    """The report rule the daily report (one opening) answers: the profile's "daily"
    rule; without one, whichever of its after-the-opening rules falls due first
    (spec 001's inquiry counts by type, due the next business day: the daily report
    carries those counts). Driven by the rule kind, never by the campaign."""
    rule = profile.report("daily")
    if rule is not None:
        return rule
    after = [r for r in profile.reports if r.rule in AFTER_OPENING_RULES]
    return min(after, key=lambda r: rule_due(r, opening_date), default=None)


def daily_due(profile: Profile, opening_date: date) -> date | None:
    rule = daily_rule(profile, opening_date)
    return None if rule is None else rule_due(rule, opening_date)


def monthly_due(profile: Profile, month: date) -> date | None:
    # The month's last day as the base: "the 10th of the next month" and
    # "n business days after the month" both count from the month's end.
    return due_for(profile, "monthly", month_end(month))


def devices(store: Store, ids: set[str] | None = None) -> list[Device]:
    rows = store.query("SELECT id, name FROM device ORDER BY name, id")
    return [Device(r["id"], r["name"]) for r in rows if ids is None or r["id"] in ids]


def _data_devices(store: Store, openings: list[Opening]) -> list[Device]:
    """Devices that wrote any of these openings or their tallies."""
    ids = {o.device_id for o in openings}
    oids = [o.id for o in openings]
    for start in range(0, len(oids), 500):
        chunk = oids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        ids |= {r[0] for r in store.query(
            f"SELECT DISTINCT device_id FROM tally WHERE opening_id IN ({marks})", chunk)}
    return devices(store, ids)


def choose_profile(store: Store, profile: str | Profile | None,
                   openings: list[Opening] | None = None) -> Profile:
    """The profile asked for, or the only one the store has openings of."""
    if isinstance(profile, Profile):
        return profile
    if profile:
        return get_profile(profile)
    keys = sorted({o.profile for o in (openings if openings is not None else list_openings(store))})
    if not keys:
        raise MadoguchiError("REPORT_NO_DATA", where="")
    if len(keys) > 1:
        raise MadoguchiError("REPORT_PROFILE_AMBIGUOUS", profiles=", ".join(keys))
    return get_profile(keys[0])


def _rows(store: Store, openings: list[Opening],
          cells_of: dict[str, cl.Cells] | None = None) -> list[OpeningRow]:
    if cells_of is not None and all(o.id in cells_of for o in openings):
        return [OpeningRow(o, cells_of[o.id]) for o in openings]
    by_id = cl.cells_by_opening(store, [o.id for o in openings])
    return [OpeningRow(o, by_id[o.id]) for o in openings]


# ----------------------------------------------------------------- the three reports

def daily_data(store: Store, opening_id: str, *, now: datetime) -> DailyData:
    return daily_data_many(store, [get_opening(store, opening_id)], now=now)[opening_id]


def _chunks(ids: list[str]):
    # SQLite caps bound parameters; chunks keep any number of openings safe.
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        yield chunk, ",".join("?" * len(chunk))


def daily_data_many(store: Store, openings: list[Opening], *, now: datetime) -> dict[str, DailyData]:
    """The daily report's numbers for several openings with a few grouped queries
    (the deadline list fingerprints every exported opening); daily_data is this for
    one opening, so both give the same numbers."""
    ids = [o.id for o in openings]
    confirmed: dict[str, str] = {}
    amendments: dict[str, list[Amendment]] = {oid: [] for oid in ids}
    writers: dict[str, set[str]] = {o.id: {o.device_id} for o in openings}
    for chunk, marks in _chunks(ids):
        for r in store.query(f"SELECT opening_id, confirmed_by FROM closing WHERE opening_id IN ({marks})"
                             " ORDER BY closed_at DESC", chunk):
            confirmed[r["opening_id"]] = r["confirmed_by"]   # the first closing wins (written last)
        for r in store.query(f"SELECT * FROM tally WHERE opening_id IN ({marks}) AND amendment = 1"
                             " ORDER BY device_time, device_id, seq", chunk):
            amendments[r["opening_id"]].append(Amendment(r["device_time"], r["counter"], json.loads(r["dims"]),
                                                         r["delta"], r["kind"], r["reason"], r["device_id"]))
        for r in store.query(f"SELECT DISTINCT opening_id, device_id FROM tally WHERE opening_id IN ({marks})",
                             chunk):
            writers[r["opening_id"]].add(r["device_id"])
    cells = cl.cells_by_opening(store, ids)
    every_device = devices(store)
    out = {}
    for o in openings:
        profile = get_profile(o.profile)
        out[o.id] = DailyData(
            profile=profile, opening=o, confirmed_by=confirmed.get(o.id) or "", cells=cells[o.id],
            amendments=amendments[o.id], due=daily_due(profile, o.date),
            devices=[d for d in every_device if d.id in writers[o.id]], generated_at=now)
    return out


def monthly_data(store: Store, month: str | date, *, profile: str | Profile | None = None,
                 now: datetime, as_of: date | None = None, plan: Plan = NO_PLAN,
                 cells_of: dict[str, cl.Cells] | None = None) -> MonthlyData:
    """The month's openings held up to `as_of` (default: the day of `now`), the same
    cut as final_data: an opening dated later in the month is a plan, not a result, so
    it is listed as planned and never counts toward a target. Planned: those, the next
    month's openings and the office's `plan`, each once. `cells_of` lets a caller that
    already read every opening's counts (the deadline list) skip reading them again."""
    first = parse_month(month)
    as_of = as_of or now.date()
    last, following = month_end(first), next_month(first)
    held_until = min(last, as_of)
    everything = list_openings(store)
    in_month = [o for o in everything if first <= o.date <= last]
    prof = choose_profile(store, profile, in_month or everything)
    mine = [o for o in everything if o.profile == prof.key]
    rows = _rows(store, [o for o in mine if first <= o.date <= held_until], cells_of)
    to_date = _rows(store, [o for o in mine if o.date <= held_until], cells_of)
    # Planned: (after, end of next month] — the month's days after as_of (none when the
    # month is over) and the whole next month.
    after = min(max(as_of, first - timedelta(days=1)), last)
    created = [o for o in mine if after < o.date <= month_end(following)]
    return MonthlyData(
        profile=prof, month=first, rows=rows, cells=cl.merge(r.cells for r in rows),
        progress=progress_for_month(prof, to_date, first),
        planned=merge_planned(created, plan.openings, profile=prof.key, after=after,
                              until=month_end(following), known=mine),
        due=monthly_due(prof, first), devices=_data_devices(store, [r.opening for r in rows]),
        generated_at=now, as_of=as_of, plan=plan)


def final_data(store: Store, *, profile: str | Profile | None = None, now: datetime,
               as_of: date | None = None) -> FinalData:
    """Everything up to `as_of` (default: the day of `now`). Openings dated later are
    plans, not results, so they never count toward a target."""
    as_of = as_of or now.date()
    everything = [o for o in list_openings(store) if o.date <= as_of]
    prof = choose_profile(store, profile, everything)
    rows = _rows(store, [o for o in everything if o.profile == prof.key])
    return FinalData(
        profile=prof, rows=rows, cells=cl.merge(r.cells for r in rows),
        progress=progress_for_final(prof, rows), devices=_data_devices(store, [r.opening for r in rows]),
        generated_at=now, as_of=as_of)
