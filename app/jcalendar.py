"""The Japanese government business calendar: office days, report due dates, era dates.

A business (開庁) day is a weekday that is neither a national holiday (jpholiday, which
includes 振替休日 and 国民の休日) nor inside the year-end/new-year closure 12/29–1/3.
Prefectural offices and Sendai city keep the same closure, so one calendar serves
every spec.
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta

import jpholiday

__all__ = [
    "DUE_RULES",
    "add_business_days",
    "business_days_between",
    "due_date",
    "era_date",
    "era_date_with_weekday",
    "era_year_month",
    "is_business_day",
    "next_business_day",
    "weekday_ja",
]

_ONE_DAY = timedelta(days=1)


def _in_year_end_closure(d: date) -> bool:
    return (d.month == 12 and d.day >= 29) or (d.month == 1 and d.day <= 3)


def is_business_day(d: date) -> bool:
    """True when government offices are open on `d`."""
    return d.weekday() < 5 and not _in_year_end_closure(d) and not jpholiday.is_holiday(d)


def add_business_days(d: date, n: int) -> date:
    """The n-th business day after `d` (n >= 1) or the |n|-th before it (n <= -1).

    `d` itself never counts, so a report due "1 business day after" a Friday opening
    is due on Monday (or later), never on the Friday.
    """
    if n == 0:
        raise ValueError("add_business_days needs n != 0: d itself is never counted")
    step = _ONE_DAY if n > 0 else -_ONE_DAY
    remaining = abs(n)
    while remaining:
        d += step
        if is_business_day(d):
            remaining -= 1
    return d


def next_business_day(d: date) -> date:
    return add_business_days(d, 1)


def business_days_between(start: date, end: date) -> int:
    """Business days in (start, end]: how many office days are left until `end`.

    When `end` is before `start` the result is the negative of
    business_days_between(end, start), so an overdue deadline shows as "-2 days"
    rather than silently as 0.
    """
    if end < start:
        return -business_days_between(end, start)
    count = 0
    d = start
    while d < end:
        d += _ONE_DAY
        if is_business_day(d):
            count += 1
    return count


def _first_of_next_month(d: date) -> date:
    return date(d.year + 1, 1, 1) if d.month == 12 else date(d.year, d.month + 1, 1)


# Rule name -> parameters it requires. Profiles name these rules; the profile
# validator checks a profile's parameters against this table.
DUE_RULES: dict[str, tuple[str, ...]] = {
    "business_days_after": ("n",),   # spec 003: daily report within 3 business days
    "office_days_after": ("n",),     # spec 002: 翌々開庁日 (n=2)
    "next_business_day": (),         # spec 001: 翌営業日
    "day_of_next_month": ("day",),   # spec 002: monthly report by the 10th of next month
    "business_days_before": ("n",),  # spec 002: outreach roster 3 business days before
    "end_of_next_month": (),         # 翌月末
}


def due_date(rule: str, base: date, n: int | None = None, day: int | None = None) -> date:
    """The deadline that `rule` gives for `base` (an opening date or an event date).

    Raises ValueError for an unknown rule, a missing or unexpected parameter, or a
    parameter out of range: these are profile mistakes, caught by the validator first.
    """
    if rule not in DUE_RULES:
        raise ValueError(f"unknown due-date rule {rule!r}; known rules: {sorted(DUE_RULES)}")
    required = DUE_RULES[rule]
    given = {"n": n, "day": day}
    for name, value in given.items():
        if name in required and value is None:
            raise ValueError(f"due-date rule {rule!r} needs {name!r} (requires {required})")
        if name not in required and value is not None:
            raise ValueError(f"due-date rule {rule!r} takes no {name!r} (requires {required})")
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
        raise ValueError(f"due-date rule {rule!r} needs n >= 1, got {n!r}")
    if day is not None and (isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 31):
        raise ValueError(f"due-date rule {rule!r} needs day in 1..31, got {day!r}")

    if rule in ("business_days_after", "office_days_after"):
        return add_business_days(base, n)
    if rule == "next_business_day":
        return next_business_day(base)
    if rule == "business_days_before":
        return add_business_days(base, -n)
    first = _first_of_next_month(base)
    last_day = calendar.monthrange(first.year, first.month)[1]
    if rule == "end_of_next_month":
        return first.replace(day=last_day)
    # day_of_next_month: a deadline written as a calendar date ("翌月10日まで") is
    # literal, so it is NOT moved when it falls on a weekend or holiday; the
    # supervisor sees the date exactly as the contract states it. A day past the
    # month's end (31 in a 30-day month) means that month's last day.
    return first.replace(day=min(day, last_day))


# Era start dates, newest first. Before 平成 is out of scope: no campaign date is.
_ERAS: tuple[tuple[date, str], ...] = (
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
)

_WEEKDAYS_JA = "月火水木金土日"


def _era_year(d: date) -> str:
    for start, name in _ERAS:
        if d >= start:
            year = d.year - start.year + 1
            return f"{name}{'元' if year == 1 else year}年"
    raise ValueError(f"era dates before 平成 (1989-01-08) are not supported: {d.isoformat()}")


def era_date(d: date) -> str:
    """2026-02-27 -> "令和8年2月27日"; the first year of an era is written 元年."""
    return f"{_era_year(d)}{d.month}月{d.day}日"


def era_year_month(d: date) -> str:
    """2026-02-27 -> "令和8年2月", for monthly report titles."""
    return f"{_era_year(d)}{d.month}月"


def weekday_ja(d: date) -> str:
    """One-character weekday: "月" for Monday … "日" for Sunday."""
    return _WEEKDAYS_JA[d.weekday()]


def era_date_with_weekday(d: date) -> str:
    """2026-02-27 -> "令和8年2月27日（金）" (full-width parentheses, as on official forms)."""
    return f"{era_date(d)}（{weekday_ja(d)}）"
