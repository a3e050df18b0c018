"""Gathered numbers -> Document, for the daily, monthly and final reports."""
from __future__ import annotations

from datetime import datetime

from app.jcalendar import era_date
from app.profiles import Profile, ReportRule
from app.reports import sections as sx
from app.reports.charts import final_charts
from app.reports.document import Document, Facts, Signed, Table, simple_header
from app.reports.gather import DailyData, Device, FinalData, MonthlyData, daily_rule
from app.reports.messages import word


def _time(stamp: str | None) -> str:
    return datetime.fromisoformat(stamp).strftime("%H:%M") if stamp else ""


def _stamp(dt: datetime, lang: str) -> str:
    return f"{sx.long_date(dt.date(), lang)} {dt.strftime('%H:%M')}"


def _devices(devices: list[Device], lang: str) -> str:
    return ("、" if lang == "ja" else ", ").join(d.short for d in devices) or word("none", lang)


def _due(rule: ReportRule | None, due, lang: str) -> str:
    if due is None or rule is None:
        return word("no_due", lang)
    return f"{sx.long_date(due, lang)}　{rule.label(lang)}"


def _change(profile: Profile, counter: str, dims: dict, lang: str) -> str:
    label = profile.counter(counter).label(lang) if profile.has_counter(counter) else counter
    values = []
    for dim, value in dims.items():
        try:
            values.append(profile.dimension(dim).value(value).label(lang))
        except KeyError:
            values.append(value)
    return label + (f"（{'・'.join(values)}）" if values else "")


def daily_document(data: DailyData, lang: str = "ja", source: str = "") -> Document:
    p, o = data.profile, data.opening
    hours = f"{word('opened', lang)} {_time(o.opened_at)}　／　" + (
        f"{word('closed', lang)} {_time(o.closed_at)}" if o.closed else word("not_closed", lang))
    items = [
        (word("profile", lang), p.label(lang)),
        (word("date", lang), sx.long_date(o.date, lang)),
        (word("time", lang), hours),
        (word("venue", lang), o.venue),
        (word("municipality", lang), sx.opening_cells(o, p, lang, with_year=False)[2]),
        (word("region", lang), o.region.label(lang)),
        (word("kind", lang), sx.opening_cells(o, p, lang, with_year=False)[4]),
        (word("large", lang), word("yes" if o.large else "no", lang)),
        (word("staff", lang), word("persons", lang, n=o.staff)),
    ]
    if data.confirmed_by:
        items.append((word("confirmed_by", lang), data.confirmed_by))
    items += [(word("due", lang), _due(daily_rule(p, o.date), data.due, lang)),
              (word("devices", lang), _devices(data.devices, lang))]
    if source:
        items.append((word("source", lang), source))
    doc = Document("daily", f"{word('daily_title', lang)}", f"{p.label(lang)}　{o.venue}　"
                   f"{sx.long_date(o.date, lang)}", landscape=False, generated_at=data.generated_at,
                   lang=lang, footer=f"{word('generated', lang)} {_stamp(data.generated_at, lang)}")
    doc.blocks.append(Facts("facts", word("daily_title", lang), items))
    doc.blocks.append(sx.summary_table(p, data.cells, lang))
    doc.blocks += sx.dimension_tables(p, data.cells, lang)
    doc.blocks.append(_amendments(data, lang))
    return doc


def _amendments(data: DailyData, lang: str) -> Table:
    names = {d.id: d.name for d in data.devices}
    rows = [[_time_full(a.device_time, lang), _change(data.profile, a.counter, a.dims, lang),
             Signed(a.delta), a.reason, names.get(a.device_id, a.device_id[-8:])]
            for a in data.amendments]
    return Table("amendments", word("amendments", lang),
                 simple_header(word("am_time", lang), word("am_change", lang), word("am_delta", lang),
                               word("am_reason", lang), word("am_device", lang)),
                 rows, note="" if rows else word("no_amendments", lang))


def _time_full(stamp: str, lang: str) -> str:
    """An amendment's time with its full date: amendments may come days (or a year
    end) after the opening. 令和 on Japanese reports, ISO in English; the device's own
    wall-clock time, as the supervisor saw it."""
    dt = datetime.fromisoformat(stamp)
    day = era_date(dt.date()) if lang == "ja" else dt.date().isoformat()
    return f"{day} {dt.strftime('%H:%M')}"


def monthly_document(data: MonthlyData, lang: str = "ja", source: str = "") -> Document:
    p = data.profile
    month = sx.month_label(data.month, lang)
    items = [(word("profile", lang), p.label(lang)), (word("month", lang), month),
             (word("openings_count", lang), word("n_openings", lang, n=len(data.rows))),
             (word("due", lang), _due(p.report("monthly"), data.due, lang)),
             (word("devices", lang), _devices(data.devices, lang))]
    if data.partial:
        items.insert(2, (word("as_of", lang), word("as_of_partial", lang, date=sx.long_date(data.as_of, lang))))
    if source:
        items.append((word("source", lang), source))
    doc = Document("monthly", word("monthly_title", lang), f"{p.label(lang)}　{month}", landscape=True,
                   generated_at=data.generated_at, lang=lang,
                   footer=f"{word('generated', lang)} {_stamp(data.generated_at, lang)}")
    doc.blocks.append(Facts("facts", word("monthly_title", lang), items))
    if data.progress:
        doc.blocks.append(sx.monthly_progress_table(data.progress, lang))
    doc.blocks.append(sx.openings_table(p, data.rows, lang, with_year=False))
    doc.blocks.append(sx.summary_table(p, data.cells, lang))
    doc.blocks += sx.dimension_tables(p, data.cells, lang)
    doc.blocks.append(sx.planned_table(p, data.planned, lang, rest_of_month=data.partial,
                                       note=_plan_note(data.plan, lang)))
    return doc


def _plan_note(plan, lang: str) -> str:
    """Where the office's plan in the planned list came from."""
    if plan.problem == "SYNC_DEVICE_TOKEN_REQUIRED":
        return word("plan_admin_only", lang)
    if plan.problem:
        return word("plan_missing", lang, code=plan.problem)
    if plan.origin == "none":
        return ""
    updated = word("none", lang)
    if plan.updated_at:
        try:
            updated = datetime.fromisoformat(plan.updated_at).astimezone().strftime("%Y-%m-%d %H:%M")
        except ValueError:
            updated = plan.updated_at
    return word(f"plan_from_{plan.origin}", lang, updated=updated)


def final_document(data: FinalData, lang: str = "ja", source: str = "") -> Document:
    p = data.profile
    period = data.period
    period_text = (f"{sx.long_date(period[0], lang)} – {sx.long_date(period[1], lang)}"
                   if period else word("none", lang))
    regions = sorted({r.opening.region for r in data.rows}, key=_region_order)
    items = [(word("profile", lang), p.label(lang)), (word("period", lang), period_text),
             (word("openings_count", lang), word("n_openings", lang, n=len(data.rows))),
             (word("regions_covered", lang),
              ("、" if lang == "ja" else ", ").join(r.label(lang) for r in regions) or word("none", lang)),
             (word("devices", lang), _devices(data.devices, lang))]
    if source:
        items.append((word("source", lang), source))
    doc = Document("final", word("final_title", lang), p.label(lang), landscape=True,
                   generated_at=data.generated_at, lang=lang,
                   footer=f"{word('generated', lang)} {_stamp(data.generated_at, lang)}")
    doc.blocks.append(Facts("facts", word("final_title", lang), items))
    if data.progress:
        doc.blocks.append(sx.final_progress_table(data.progress, lang))
    doc.blocks += final_charts(p, data.rows, data.cells, lang)
    doc.blocks.append(sx.openings_table(p, data.rows, lang, with_year=True))
    doc.blocks.append(sx.summary_table(p, data.cells, lang))
    doc.blocks += sx.dimension_tables(p, data.cells, lang)
    return doc


def _region_order(region) -> int:
    from app.refdata import regions

    return [r.key for r in regions()].index(region.key)


