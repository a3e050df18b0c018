"""Tables every report shares, driven only by the profile: its counters, their
dimensions and its targets. A profile without some counter simply has no such row or
table; there is no per-campaign code here.

Dimension tables: one table per dimension (age band, gender, ward, kind of help…),
one column per counter that has it. When a counter has two or more dimensions, its
last one (e.g. paper/online) becomes sub-columns in the other dimensions' tables
("age band x paper/online" as the specs ask) instead of a table of its own."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from app import jcalendar, refdata
from app.openings import Opening
from app.profiles import Counter, Profile
from app.reports import cells as cl
from app.reports.document import Head, Table, simple_header
from app.reports.gather import OpeningRow
from app.reports.messages import word
from app.reports.targets import Progress

_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def weekday(d: date, lang: str) -> str:
    return f"（{jcalendar.weekday_ja(d)}）" if lang == "ja" else f" ({_WEEKDAYS_EN[d.weekday()]})"


def long_date(d: date, lang: str) -> str:
    """Era date on Japanese reports (令和6年11月26日（火）), ISO in English."""
    return jcalendar.era_date_with_weekday(d) if lang == "ja" else d.isoformat() + weekday(d, lang)


def short_date(d: date, lang: str, with_year: bool = False) -> str:
    text = f"{d.year}/{d.month}/{d.day}" if with_year else f"{d.month}/{d.day}"
    return text + weekday(d, lang)


def month_label(month: date, lang: str) -> str:
    return jcalendar.era_year_month(month) if lang == "ja" else month.strftime("%B %Y")


def rate_text(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def cross_dim(counter: Counter) -> str | None:
    return counter.dimensions[-1] if len(counter.dimensions) >= 2 else None


def summary_table(profile: Profile, cells: cl.Cells, lang: str, key: str = "summary") -> Table:
    rows = [[c.label(lang), cl.total(cells, c.key)] for c in profile.counters]
    return Table(key, word("summary", lang), simple_header(word("counter", lang), word("count", lang)), rows)


def dimension_order(profile: Profile) -> list[str]:
    order: list[str] = []
    for c in profile.counters:
        for d in c.dimensions:
            if d != cross_dim(c) and d not in order:
                order.append(d)
    return order


def dimension_table(profile: Profile, cells: cl.Cells, dim: str, lang: str) -> Table:
    dimension = profile.dimension(dim)
    members = [c for c in profile.counters if dim in c.dimensions and dim != cross_dim(c)]
    two_levels = any(cross_dim(c) for c in members)
    top = [Head(dimension.label(lang))]
    bottom = [Head("")]
    getters = []  # one function per column: value key -> count (None = total row)
    for c in members:
        cross = cross_dim(c)
        if cross:
            values = profile.dimension(cross).values
            top.append(Head(c.label(lang), span=len(values) + 1))
            grid = cl.crossed(cells, c.key, dim, cross)
            for v in values:
                bottom.append(Head(v.label(lang)))
                getters.append(lambda rv, g=grid, cv=v.key: g.get((rv, cv), 0))
            bottom.append(Head(word("subtotal", lang)))
        else:
            top.append(Head(c.label(lang)))
            bottom.append(Head(word("count", lang)))
        # The counter's own column (or the sub-columns' total) is the marginal.
        getters.append(lambda rv, m=cl.marginal(cells, c.key, dim): m.get(rv, 0))
    rows: list[list] = [[v.label(lang), *[g(v.key) for g in getters]] for v in dimension.values]
    rows.append([word("total", lang), *[sum(r[i + 1] for r in rows) for i in range(len(getters))]])
    header = [top, bottom] if two_levels else [[Head(dimension.label(lang)), *top[1:]]]
    return Table(f"by_{dim}", word("by", lang, dim=dimension.label(lang)), header, rows, total_rows=1)


def dimension_tables(profile: Profile, cells: cl.Cells, lang: str) -> list[Table]:
    return [dimension_table(profile, cells, d, lang) for d in dimension_order(profile)]


def opening_cells(o: Opening, profile: Profile, lang: str, *, with_year: bool) -> list:
    kind = profile.kind(o.kind).label(lang) if any(k.key == o.kind for k in profile.opening_kinds) else o.kind
    return [short_date(o.date, lang, with_year), o.venue, _municipality(o, lang),
            o.region.label(lang), kind, word("yes", lang) if o.large else "", o.staff]


def _municipality(o: Opening, lang: str) -> str:
    return refdata.find_municipality(o.municipality).label(lang)


def openings_table(profile: Profile, rows: Sequence[OpeningRow], lang: str, *,
                   with_year: bool, key: str = "openings") -> Table:
    names = [word("date", lang), word("venue", lang), word("municipality", lang), word("region", lang),
             word("kind", lang), word("large_short", lang), word("staff_short", lang)]
    body = [[*opening_cells(r.opening, profile, lang, with_year=with_year),
             *[cl.total(r.cells, c.key) for c in profile.counters]] for r in rows]
    total = [word("total", lang), word("n_openings", lang, n=len(rows)), "", "", "",
             sum(1 for r in rows if r.opening.large), sum(r.opening.staff for r in rows),
             *[sum(cl.total(r.cells, c.key) for r in rows) for c in profile.counters]]
    return Table(key, word("openings_table", lang),
                 simple_header(*names, *[c.label(lang) for c in profile.counters]),
                 [*body, total], total_rows=1)


def planned_table(profile: Profile, planned: Sequence, lang: str, *, rest_of_month: bool = False,
                  note: str = "") -> Table:
    """Openings already created for later days and the office's plan (Opening or
    PlannedOpening); a 備考 column when a plan entry carries a note."""
    names = [word("date", lang), word("venue", lang), word("municipality", lang), word("region", lang),
             word("kind", lang), word("large_short", lang), word("staff_short", lang)]
    with_note = any(getattr(o, "note", "") for o in planned)
    rows = [[*opening_cells(o, profile, lang, with_year=False), *([getattr(o, "note", "")] if with_note else [])]
            for o in planned]
    notes = [n for n in (note, "" if planned else word("none_planned", lang)) if n]
    return Table("planned", word("planned_rest" if rest_of_month else "next_month", lang),
                 simple_header(*names, *([word("plan_note", lang)] if with_note else [])),
                 rows, note=(" " if lang == "en" else "").join(notes))


def monthly_progress_table(progress: Sequence[Progress], lang: str) -> Table:
    header = simple_header(word("target", lang), word("target_value", lang), word("this_month", lang),
                           word("to_date", lang), word("rate", lang))
    rows = []
    for p in progress:
        label = p.target.label(lang) + (word("per_month", lang) if p.month else "")
        if p.month:
            rows.append([label, p.value, p.actual, "—", rate_text(p.rate)])
        else:
            rows.append([label, p.value, p.month_actual or 0, p.actual, rate_text(p.rate)])
    return Table("progress", word("progress", lang), header, rows)


def final_progress_table(progress: Sequence[Progress], lang: str) -> Table:
    header = simple_header(word("target", lang), word("period", lang), word("target_value", lang),
                           word("actual", lang), word("rate", lang), "")
    rows = [[p.target.label(lang), month_label(p.month, lang) if p.month else "—", p.value, p.actual,
             rate_text(p.rate), word("achieved" if p.met else "not_achieved", lang)] for p in progress]
    return Table("progress", word("progress", lang), header, rows)
