"""Due dates and deadline states on real calendar dates: weekends, national holidays
(振替休日 included) and the 12/29–1/3 year-end closure."""
from __future__ import annotations

from datetime import date

import pytest

from app import tallies as tl
from app.reports import deadlines as dl
from app.reports import export as ex
from app.jcalendar import next_business_day
from app.reports.gather import daily_due, monthly_due
from app.reports.sections import long_date
from tests.conftest import profile_for_spec
from tests.reports.conftest import NOW
from tests.reports.seed import at, open_at


@pytest.mark.parametrize("spec, held, due", [
    # 003: within 3 business days. Fri 27 Dec: 12/30–1/3 closed, 4–5 Jan weekend -> 6, 7, 8 Jan.
    ("003", date(2024, 12, 27), date(2025, 1, 8)),
    # 003: Fri 1 Nov 2024; Mon 4 Nov is 振替休日 (文化の日 fell on Sunday) -> 5, 6, 7 Nov.
    ("003", date(2024, 11, 1), date(2024, 11, 7)),
    # 002: by the 2nd office day after. Fri 3 May 2024 (憲法記念日); Mon 6 May is 振替休日.
    ("002", date(2024, 5, 3), date(2024, 5, 8)),
    # 002: Thu 26 Dec 2024 -> Fri 27 Dec, then nothing until Mon 6 Jan.
    ("002", date(2024, 12, 26), date(2025, 1, 6)),
    # 002: a Saturday opening counts from the next office days, Mon 16 Sep 2024 is 敬老の日.
    ("002", date(2024, 9, 14), date(2024, 9, 18)),
    # 001 has no "daily" rule: its inquiry counts are due the next business day.
    ("001", date(2024, 12, 27), date(2025, 1, 6)),
    ("001", date(2024, 9, 13), date(2024, 9, 17)),    # Mon 16 Sep 2024 is 敬老の日
])
def test_daily_due_dates_on_the_government_calendar(spec, held, due):
    assert daily_due(profile_for_spec(spec), held) == due


@pytest.mark.parametrize("spec, month, due", [
    ("002", date(2023, 11, 1), date(2023, 12, 10)),   # a Sunday: written as a date, not moved
    ("003", date(2024, 12, 1), date(2025, 1, 10)),
    ("003", date(2025, 1, 1), date(2025, 2, 10)),
])
def test_monthly_due_is_the_10th_of_the_next_month(spec, month, due):
    assert monthly_due(profile_for_spec(spec), month) == due


def test_profiles_without_a_rule_have_no_deadline():
    assert daily_due(profile_for_spec("000"), date(2025, 9, 2)) is None     # no report rules at all
    # 004's inquiry log is monthly: a rule counted from the month, not from each opening.
    assert daily_due(profile_for_spec("004"), date(2025, 9, 2)) is None
    assert monthly_due(profile_for_spec("000"), date(2025, 9, 1)) is None


def test_spec_001_openings_are_due_by_the_inquiry_rule(store_001):
    """Spec 001: 問合せ件数は翌営業日に報告. The deadline list and the daily report (which
    carries the inquiry counts by type) both use the profile's inquiry rule."""
    items = dl.daily_deadlines(store_001, NOW.date())
    assert items and all(d.rule.key == "inquiry" and d.state == "overdue" for d in items)
    for d in items:
        assert d.due == next_business_day(d.opening.date)
    report = ex.daily_report(store_001, items[0].opening.id, now=NOW)
    facts = dict(report.document.blocks[0].items)
    assert facts["提出期限"].endswith("問合せ件数の報告（翌営業日）")
    assert facts["提出期限"].startswith(long_date(items[0].due, "ja"))


@pytest.fixture
def year_end(store):
    """A 003 opening on Fri 27 Dec 2024 (due Wed 8 Jan 2025) and a future one."""
    p = profile_for_spec("003")
    o = open_at(store, p, date(2024, 12, 27), venue="イオンモール名取", municipality="名取市")
    tl.tap(store, o.id, "visitors", now=at(o.date, 10))
    open_at(store, p, date(2025, 2, 1), venue="予定", municipality="仙台市")
    return o


@pytest.mark.parametrize("today, state, days_left", [
    (date(2024, 12, 28), "pending", 3),     # Saturday
    (date(2024, 12, 31), "pending", 3),     # inside the closure: no office day has passed
    (date(2025, 1, 6), "pending", 2),
    (date(2025, 1, 7), "due_soon", 1),
    (date(2025, 1, 8), "due_today", 0),
    (date(2025, 1, 9), "overdue", -1),
    (date(2025, 1, 14), "overdue", -3),     # Mon 13 Jan 2025 is 成人の日
])
def test_deadline_states_through_the_year_end(store, year_end, today, state, days_left):
    [d] = dl.daily_deadlines(store, today)  # the February opening is not due yet
    assert d.opening.id == year_end.id
    assert (d.due, d.state, d.days_left) == (date(2025, 1, 8), state, days_left)
    assert d.outstanding


def test_export_clears_the_deadline_and_a_later_amendment_reopens_it(store, year_end, tmp_path):
    today = date(2025, 1, 7)
    report = ex.daily_report(store, year_end.id, now=at(today, 9))
    ex.save(report, "pdf", tmp_path / "d.pdf", record_in=store, now=at(today, 9))
    [d] = dl.daily_deadlines(store, today)
    assert d.state == "exported" and not d.outstanding and d.exported_at.startswith("2025-01-07T09:00")
    assert dl.outstanding(dl.daily_deadlines(store, today)) == []

    from app.openings import close_opening
    close_opening(store, year_end.id, now=at(today, 10))
    tl.tap(store, year_end.id, "photo", now=at(today, 11), reason="写真の数え漏れ")
    [d] = dl.daily_deadlines(store, today)
    assert d.state == "stale" and d.outstanding
    assert d.state_label("ja") == "提出後に修正あり・再出力が必要"

    ex.save(ex.daily_report(store, year_end.id, now=at(today, 12)), "csv", tmp_path / "d.csv",
            record_in=store, now=at(today, 12))
    assert dl.daily_deadlines(store, today)[0].state == "exported"


def test_monthly_deadlines_for_finished_months_only(store_003, tmp_path):
    items = dl.monthly_deadlines(store_003, NOW.date())   # 2 Dec 2024
    assert [(d.month, d.due, d.state) for d in items] == [
        (date(2024, 10, 1), date(2024, 11, 10), "overdue"),
        (date(2024, 11, 1), date(2024, 12, 10), "pending")]
    report = ex.monthly_report(store_003, "2024-11", now=NOW)
    ex.save(report, "xlsx", tmp_path / "m.xlsx", record_in=store_003, now=NOW)
    items = dl.monthly_deadlines(store_003, NOW.date())
    assert [d.state for d in items] == ["overdue", "exported"]
    assert [d.state for d in dl.monthly_deadlines(store_003, date(2024, 12, 9))] == ["overdue", "exported"]


def _apps_by_age(store, opening_id):
    return tl.totals(store, opening_id)["application"]["by_dimension"]["age_band"]


def test_a_count_moved_between_age_bands_makes_the_export_stale(store, year_end, tmp_path):
    """Totals alone would miss it: undo a 40代 card and record a 60代 one after the
    export — every counter total is the same, the age table is not."""
    from app.openings import close_opening
    day = year_end.date
    first = tl.record_card(store, year_end.id, {"age_band": "40s", "method": "paper"}, [], now=at(day, 11))
    close_opening(store, year_end.id, now=at(day, 17))
    today = date(2025, 1, 7)
    ex.save(ex.daily_report(store, year_end.id, now=at(today, 9)), "pdf", tmp_path / "d.pdf",
            record_in=store, now=at(today, 9))
    ex.save(ex.monthly_report(store, "2024-12", now=at(today, 9)), "xlsx", tmp_path / "m.xlsx",
            record_in=store, now=at(today, 9))
    assert [d.state for d in dl.daily_deadlines(store, today)] == ["exported"]
    assert [d.state for d in dl.monthly_deadlines(store, today)] == ["exported"]
    before = {k: v["total"] for k, v in tl.totals(store, year_end.id).items()}

    for row in first:
        tl.undo(store, row.id, reason="年代の押し間違い", now=at(today, 10))
    tl.record_card(store, year_end.id, {"age_band": "60s", "method": "paper"}, [], now=at(today, 10),
                   reason="年代の押し間違い（60代に訂正）")
    assert {k: v["total"] for k, v in tl.totals(store, year_end.id).items()} == before
    assert _apps_by_age(store, year_end.id) == {"60s": 1}

    [daily] = dl.daily_deadlines(store, today)
    [monthly] = dl.monthly_deadlines(store, today)
    assert (daily.state, monthly.state) == ("stale", "stale")
    assert daily.state_label("ja") == "提出後に修正あり・再出力が必要" and daily.outstanding
    # Exported again — in English this time: the fingerprint is of the numbers, not the words.
    ex.save(ex.daily_report(store, year_end.id, now=at(today, 11), lang="en"), "csv", tmp_path / "d.csv",
            record_in=store, now=at(today, 11))
    assert [d.state for d in dl.daily_deadlines(store, today)] == ["exported"]


def test_the_export_row_keeps_the_fingerprint_and_older_rows_compare_totals(store, year_end, tmp_path):
    from app.reports.exports import latest_daily, record_export

    today = date(2025, 1, 7)
    rec = ex.save(ex.daily_report(store, year_end.id, now=at(today, 9)), "pdf", tmp_path / "d.pdf",
                  record_in=store, now=at(today, 9))
    assert rec.fingerprint.startswith("sha256:") and rec.totals["visitors"] == 1
    # A row written before fingerprints existed holds only the totals it showed.
    record_export(store, report="daily", profile=year_end.profile, fmt="pdf", now=at(today, 10),
                  summary=dict(rec.totals), opening_id=year_end.id)
    assert latest_daily(store)[year_end.id].fingerprint is None
    assert dl.daily_deadlines(store, today)[0].state == "exported"
    tl.tap(store, year_end.id, "visitors", now=at(today, 11))
    assert dl.daily_deadlines(store, today)[0].state == "stale"
