"""The government business calendar and due dates.

Every date here was checked against jpholiday 1.0.3 (year_holidays) before writing it
down; the comment next to each says what the day really is.
"""
from __future__ import annotations

from datetime import date, timedelta

import jpholiday
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.jcalendar import (
    DUE_RULES,
    add_business_days,
    business_days_between,
    due_date,
    era_date,
    era_date_with_weekday,
    era_year_month,
    is_business_day,
    next_business_day,
    weekday_ja,
)


# --- is_business_day ---------------------------------------------------------------

@pytest.mark.parametrize("d, open_", [
    (date(2026, 2, 27), True),    # Fri, ordinary weekday
    (date(2026, 2, 28), False),   # Sat
    (date(2026, 3, 1), False),    # Sun
    (date(2026, 1, 12), False),   # Mon, 成人の日
    (date(2026, 1, 13), True),    # Tue after Coming-of-Age Day
    (date(2025, 12, 26), True),   # Fri, last office day of 2025
    (date(2025, 12, 29), False),  # Mon, year-end closure (not a national holiday)
    (date(2025, 12, 30), False),  # Tue, year-end closure
    (date(2026, 1, 2), False),    # Fri, new-year closure
    (date(2026, 1, 5), True),     # Mon, first office day of 2026
])
def test_is_business_day(d, open_):
    assert is_business_day(d) is open_


def test_year_end_closure_is_not_a_national_holiday():
    # The closure must come from our own rule: jpholiday does not know about it.
    assert not jpholiday.is_holiday(date(2025, 12, 29))
    assert not is_business_day(date(2025, 12, 29))


def test_golden_week_2026():
    # 4/29 Wed 昭和の日; 5/3 Sun 憲法記念日 -> 5/6 Wed 振替休日; 5/4 Mon, 5/5 Tue.
    assert jpholiday.is_holiday_name(date(2026, 5, 6)) == "憲法記念日 振替休日"
    closed = {date(2026, 4, 29), date(2026, 5, 2), date(2026, 5, 3), date(2026, 5, 4),
              date(2026, 5, 5), date(2026, 5, 6)}
    for offset in range(12):  # 4/27 .. 5/8
        d = date(2026, 4, 27) + timedelta(days=offset)
        assert is_business_day(d) is (d not in closed), d
    # Only 4/30 and 5/1 are open between the two holiday blocks.
    assert next_business_day(date(2026, 5, 1)) == date(2026, 5, 7)


def test_silver_week_2026_sandwiched_day_is_closed():
    # 9/22 Tue is 国民の休日 (between 敬老の日 9/21 and 秋分の日 9/23).
    assert not is_business_day(date(2026, 9, 22))
    assert next_business_day(date(2026, 9, 18)) == date(2026, 9, 24)


# --- add_business_days -------------------------------------------------------------

def test_three_business_days_over_new_year():
    # Fri 12/26 -> closure 12/29..1/3, weekend 1/4 -> Mon 1/5, Tue 1/6, Wed 1/7.
    assert add_business_days(date(2025, 12, 26), 3) == date(2026, 1, 7)


def test_monday_holiday_pushes_next_business_day_to_tuesday():
    # Fri 2026-01-09 -> Sat, Sun, Mon 1/12 成人の日 -> Tue 1/13.
    assert next_business_day(date(2026, 1, 9)) == date(2026, 1, 13)


def test_start_day_is_never_counted():
    # An opening on a business day: its report is not due the same day.
    assert add_business_days(date(2026, 2, 26), 1) == date(2026, 2, 27)
    # An opening on a Saturday: the first business day after is Monday.
    assert add_business_days(date(2026, 2, 28), 1) == date(2026, 3, 2)


def test_negative_n_counts_backwards_over_holiday():
    # Wed 1/14 back 3: Tue 1/13, (Mon 1/12 成人の日, weekend), Fri 1/9, Thu 1/8.
    assert add_business_days(date(2026, 1, 14), -3) == date(2026, 1, 8)


def test_zero_is_rejected():
    with pytest.raises(ValueError, match="n != 0"):
        add_business_days(date(2026, 2, 27), 0)


# --- due_date ----------------------------------------------------------------------

def test_spec003_daily_report_three_business_days_after():
    assert due_date("business_days_after", date(2025, 12, 26), n=3) == date(2026, 1, 7)


def test_spec002_yokuyoku_kaichobi_across_weekend():
    # 翌々開庁日: Thu 2/26 -> Fri 2/27 (1st), Mon 3/2 (2nd).
    assert due_date("office_days_after", date(2026, 2, 26), n=2) == date(2026, 3, 2)
    # Fri 2/27 -> Mon 3/2 (1st), Tue 3/3 (2nd).
    assert due_date("office_days_after", date(2026, 2, 27), n=2) == date(2026, 3, 3)


def test_spec001_next_business_day_across_golden_week():
    assert due_date("next_business_day", date(2026, 5, 1)) == date(2026, 5, 7)


def test_spec002_roster_due_three_business_days_before_visit():
    # Visit Fri 5/8: Thu 5/7, (5/2..5/6 closed), Fri 5/1, Thu 4/30.
    assert due_date("business_days_before", date(2026, 5, 8), n=3) == date(2026, 4, 30)
    # Visit Wed 1/14, across 成人の日.
    assert due_date("business_days_before", date(2026, 1, 14), n=3) == date(2026, 1, 8)


def test_spec002_monthly_report_tenth_of_next_month_rolls_into_january():
    due = due_date("day_of_next_month", date(2025, 12, 15), day=10)
    assert due == date(2026, 1, 10)
    # 2026-01-10 is a Saturday: a date-stated deadline stays literal, not moved.
    assert not is_business_day(due)


def test_day_of_next_month_on_a_sunday_is_not_moved():
    assert due_date("day_of_next_month", date(2026, 4, 3), day=10) == date(2026, 5, 10)  # Sun


def test_day_of_next_month_past_month_end_means_last_day():
    assert due_date("day_of_next_month", date(2026, 1, 20), day=31) == date(2026, 2, 28)


@pytest.mark.parametrize("base, due", [
    (date(2026, 1, 31), date(2026, 2, 28)),
    (date(2028, 1, 5), date(2028, 2, 29)),     # leap year
    (date(2026, 12, 1), date(2027, 1, 31)),    # over the year end
])
def test_end_of_next_month(base, due):
    assert due_date("end_of_next_month", base) == due


def test_due_rules_table_matches_due_date():
    assert DUE_RULES == {
        "business_days_after": ("n",),
        "office_days_after": ("n",),
        "next_business_day": (),
        "day_of_next_month": ("day",),
        "business_days_before": ("n",),
        "end_of_next_month": (),
    }
    # Every rule works when given exactly its declared parameters.
    for rule, params in DUE_RULES.items():
        kwargs = {"n": 2} if "n" in params else {}
        kwargs |= {"day": 10} if "day" in params else {}
        assert isinstance(due_date(rule, date(2026, 2, 27), **kwargs), date)


@pytest.mark.parametrize("rule, kwargs, message", [
    ("within_a_week", {}, "unknown due-date rule 'within_a_week'"),
    ("business_days_after", {}, "'business_days_after' needs 'n'"),
    ("day_of_next_month", {}, "'day_of_next_month' needs 'day'"),
    ("business_days_before", {"n": 0}, "n >= 1"),
    ("day_of_next_month", {"day": 32}, "day in 1..31"),
    ("next_business_day", {"n": 1}, "takes no 'n'"),
])
def test_bad_rule_or_parameters_are_rejected_with_the_rule_name(rule, kwargs, message):
    with pytest.raises(ValueError, match=message):
        due_date(rule, date(2026, 2, 27), **kwargs)


# --- business_days_between ---------------------------------------------------------

def test_days_left_until_deadline():
    # From Tue 4/28 to Thu 5/7: 4/30, 5/1, 5/7 are the only office days.
    assert business_days_between(date(2026, 4, 28), date(2026, 5, 7)) == 3
    assert business_days_between(date(2026, 2, 27), date(2026, 2, 27)) == 0


def test_overdue_deadline_is_negative():
    # Deadline Wed 3/4, today Sat 3/7: Thu and Fri have passed since.
    assert business_days_between(date(2026, 3, 7), date(2026, 3, 4)) == -2


# --- era dates ---------------------------------------------------------------------

@pytest.mark.parametrize("d, text", [
    (date(2019, 4, 30), "平成31年4月30日"),
    (date(2019, 5, 1), "令和元年5月1日"),
    (date(2020, 1, 1), "令和2年1月1日"),
    (date(2026, 2, 27), "令和8年2月27日"),
    (date(1989, 1, 8), "平成元年1月8日"),
])
def test_era_date(d, text):
    assert era_date(d) == text


def test_before_heisei_is_rejected():
    with pytest.raises(ValueError, match="平成"):
        era_date(date(1989, 1, 7))


def test_era_year_month_and_weekday():
    assert era_year_month(date(2026, 2, 27)) == "令和8年2月"
    assert era_year_month(date(2019, 5, 31)) == "令和元年5月"
    assert [weekday_ja(date(2026, 2, 23) + timedelta(days=i)) for i in range(7)] == list("月火水木金土日")
    assert era_date_with_weekday(date(2026, 2, 27)) == "令和8年2月27日（金）"


# --- properties --------------------------------------------------------------------

@given(d=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
       n=st.integers(min_value=1, max_value=40))
def test_add_business_days_lands_on_a_business_day_n_office_days_away(d, n):
    after = add_business_days(d, n)
    assert after > d and is_business_day(after)
    assert business_days_between(d, after) == n
    before = add_business_days(d, -n)
    assert before < d and is_business_day(before)
    # (before, d] holds the n-1 office days skipped, plus d itself when d is open.
    assert business_days_between(before, d) == n - 1 + is_business_day(d)
    assert business_days_between(d, before) == -business_days_between(before, d)
