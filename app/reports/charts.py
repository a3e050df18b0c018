"""Chart data for the final report and the office dashboard: by region, by age band,
and cumulative progress against each contract target. Pure data; pdf_charts.py draws
it with reportlab.graphics and the UI paints the same data with QPainter."""
from __future__ import annotations

import math
from collections.abc import Sequence

from app import refdata
from app.profiles import Counter, Profile
from app.reports import cells as cl
from app.reports.document import BarChart, Charts, ProgressChart
from app.reports.gather import OpeningRow
from app.reports.messages import word
from app.reports.targets import cumulative


def axis(peak: int, ticks: int = 5) -> tuple[int, int]:
    """(top, step) of a chart's value axis a little above `peak`, on round whole
    numbers (0, 20, 40, 60 rather than 0, 12, 24, 36); the PDF and the UI share it."""
    want = max(peak * 1.08, ticks)
    mag = 10 ** max(0, math.floor(math.log10(want / ticks)))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag * ticks >= want)
    return int(math.ceil(want / step) * step), int(step)


def key_counter(profile: Profile) -> Counter:
    """The counter a campaign is judged by: its first counter target, else what the
    applicant card records, else its first counter."""
    for t in profile.targets:
        if t.kind == "counter":
            return profile.counter(t.counter)
    if profile.card is not None:
        return profile.counter(profile.card.counters[0])
    return profile.counters[0]


def age_counter(profile: Profile) -> tuple[Counter, str] | None:
    """(counter, its age-band dimension) for the age chart, preferring the key counter."""
    ages = [k for k, d in profile.dimensions.items() if d.ref == "age_bands"]
    for c in (key_counter(profile), *profile.counters):
        for d in c.dimensions:
            if d in ages:
                return c, d
    return None


def region_charts(profile: Profile, rows: Sequence[OpeningRow], lang: str) -> list[BarChart]:
    regions = refdata.regions()
    counter = key_counter(profile)
    held = [sum(1 for r in rows if r.opening.region.key == g.key) for g in regions]
    counts = [sum(cl.total(r.cells, counter.key) for r in rows if r.opening.region.key == g.key)
              for g in regions]
    names = [g.label(lang) for g in regions]
    return [
        BarChart("chart_region_openings", f"{word('chart_region', lang)}　{word('openings_count', lang)}",
                 names, [(word("openings_count", lang), held)]),
        BarChart("chart_region_counter", f"{word('chart_region', lang)}　{counter.label(lang)}",
                 names, [(counter.label(lang), counts)]),
    ]


def age_chart(profile: Profile, cells: cl.Cells, lang: str) -> BarChart | None:
    found = age_counter(profile)
    if found is None:
        return None
    counter, dim = found
    bands = profile.dimension(dim).values
    split = counter.dimensions[-1] if len(counter.dimensions) >= 2 and counter.dimensions[-1] != dim else None
    if split:
        grid = cl.crossed(cells, counter.key, dim, split)
        series = [(v.label(lang), [grid.get((b.key, v.key), 0) for b in bands])
                  for v in profile.dimension(split).values]
    else:
        by_band = cl.marginal(cells, counter.key, dim)
        series = [(counter.label(lang), [by_band.get(b.key, 0) for b in bands])]
    return BarChart("chart_age", f"{word('chart_age', lang)}　{counter.label(lang)}",
                    [b.label(lang) for b in bands], series)


def progress_charts(profile: Profile, rows: Sequence[OpeningRow], lang: str) -> list[ProgressChart]:
    out = []
    for t in profile.targets:
        if t.per != "contract":
            continue
        out.append(ProgressChart(f"chart_progress_{t.key}", t.label(lang), cumulative(t, rows), t.value,
                                 f"{word('target_line', lang)} {t.value:,}"))
    return out


def final_charts(profile: Profile, rows: Sequence[OpeningRow], cells: cl.Cells, lang: str) -> list[Charts]:
    blocks = [Charts("charts_region", word("chart_region", lang), region_charts(profile, rows, lang))]
    age = age_chart(profile, cells, lang)
    if age is not None:
        blocks.append(Charts("charts_age", word("chart_age", lang), [age]))
    progress = progress_charts(profile, rows, lang)
    if progress:
        blocks.append(Charts("charts_progress", word("chart_progress", lang), progress))
    return blocks
