"""Report timings, each next to a baseline measured in the same run.

    python bench/reports.py [--openings 60] [--tallies 3000] [--repeat 15] [--dir DIR]

Prints JSON:
- daily_pdf: gather + lay out + render one opening's daily report as PDF (warm; the
  first call, which loads the font, is reported as cold_ms). Baseline: a one-line
  reportlab page with the same embedded font. Goal: <= 500 ms.
- monthly: a month of `--openings` openings x `--tallies` tally rows each: gather +
  build + render, per format. Baseline: the raw SQL sum over the same rows
  (SELECT opening_id, counter, SUM(delta) ... GROUP BY). Goal: <= 2 s.
"""
from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.ids import uuid7  # noqa: E402
from app.openings import open_opening  # noqa: E402
from app.profiles import list_profiles  # noqa: E402
from app.reports import export as ex  # noqa: E402
from app.reports.fonts import register_pdf_font  # noqa: E402
from app.store import Store  # noqa: E402
from app.tallies import canonical_dims  # noqa: E402

JST = timezone(timedelta(hours=9))
MONTH = date(2024, 11, 1)
NOW = datetime(2024, 12, 2, 10, tzinfo=JST)
VENUES = [("イオンモール名取", "名取市"), ("仙台駅東口", "仙台市"), ("大崎市役所", "大崎市"),
          ("イオン石巻", "石巻市"), ("気仙沼市民会館", "気仙沼市"), ("登米市役所", "登米市")]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def stats(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"median_ms": ms(statistics.median(ordered)), "p90_ms": ms(ordered[int(0.9 * (len(ordered) - 1))]),
            "max_ms": ms(ordered[-1]), "n": len(ordered)}


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def seed(store: Store, openings: int, tallies: int) -> list[str]:
    """Real chained rows (Store.append), one transaction per opening."""
    profile = next(p for p in list_profiles() if p.spec == "003")
    rng = random.Random(5)
    dims_for = {c.key: c.dimensions for c in profile.counters}
    ids = []
    for i in range(openings):
        day = MONTH + timedelta(days=i % 30)
        venue, muni = VENUES[i % len(VENUES)]
        with store.transaction():
            o = open_opening(store, profile=profile, kind=profile.opening_kinds[i % 4].key, venue=venue,
                             municipality=muni, date=day, large=i % 4 == 0, staff=3,
                             now=datetime(day.year, day.month, day.day, 9, tzinfo=JST))
            stamp = datetime(day.year, day.month, day.day, 13, tzinfo=JST).isoformat(timespec="milliseconds")
            for _ in range(tallies):
                counter = rng.choice(profile.counters).key
                dims = {d: rng.choice(profile.dimension(d).values).key for d in dims_for[counter]}
                store.append("tally", {"id": uuid7(), "opening_id": o.id, "counter": counter,
                                       "dims": canonical_dims(dims), "delta": 1, "kind": "tap", "ref_id": None,
                                       "group_id": uuid7(), "reason": "", "amendment": 0, "device_time": stamp})
        ids.append(o.id)
    return ids


def blank_page() -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    font = register_pdf_font()
    buf = io.BytesIO()
    c = Canvas(buf, initialFontName=font)
    c.setFont(font, 10)
    c.drawString(72, 720, "日次報告書 令和6年11月1日")
    c.showPage()
    c.save()
    return buf.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--openings", type=int, default=60)
    parser.add_argument("--tallies", type=int, default=3000, help="tally rows per opening")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--dir", help="folder on the disk to use (default: a temp folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        start = time.perf_counter()
        with Store.open(Path(tmp) / "store", now=NOW) as store:
            ids = seed(store, args.openings, args.tallies)
        setup = time.perf_counter() - start
        with Store.open(Path(tmp) / "store", read_only=True, now=NOW) as store:
            daily = lambda: ex.render(ex.daily_report(store, ids[0], now=NOW).document, "pdf")  # noqa: E731
            cold = timed(daily, 1)[0]
            daily_runs = timed(daily, args.repeat)
            blank = timed(blank_page, args.repeat)
            monthly = {fmt: timed(lambda f=fmt: ex.render(ex.monthly_report(store, "2024-11", now=NOW).document, f),
                                  max(3, args.repeat // 3)) for fmt in ("pdf", "xlsx", "csv")}
            gather = timed(lambda: ex.monthly_report(store, "2024-11", now=NOW), max(3, args.repeat // 3))
            raw = timed(lambda: store.query("SELECT opening_id, counter, SUM(delta) FROM tally"
                                            " GROUP BY opening_id, counter"), max(3, args.repeat // 3))
            rows = store.query_one("SELECT COUNT(*) FROM tally")[0]
    result = {
        "daily_pdf": {**stats(daily_runs), "cold_ms": ms(cold), "goal_ms": 500,
                      "tally_rows_in_opening": args.tallies,
                      "baseline_one_line_reportlab_page": stats(blank)},
        "monthly": {"openings": args.openings, "tally_rows": rows, "goal_ms": 2000,
                    "gather_and_build": stats(gather),
                    **{f"{fmt}_total": stats(runs) for fmt, runs in monthly.items()},
                    "baseline_raw_sql_sum": stats(raw)},
        "setup_seconds": round(setup, 1),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
