"""What a profile file may say, as tables: the names it may use (report rules, target
kinds, periods, stations), the shape and type of every key (`SCHEMA`), references
between sections (`REFS`), parameters that depend on a kind or rule (`NEEDS`) and the
few pairs and limits that go together. validate.py applies them in that order; a new
rule is a new row here, with its wording next to it."""
from __future__ import annotations

import operator

from app.profiles.checks import (F, dict_of, ident, list_of, millimetres, one_of, shortcut,
                                 spec_number, table, text, true_or_false, value_key, whole_number)
from app.profiles.model import PhotoSpec
from app.profiles.wording import T
from app.refdata import REF_NAMES

# Report rules and the parameters each needs (kept in step with app/jcalendar.py's
# DUE_RULES, deliberately not imported from it).
REPORT_RULES: dict[str, tuple[str, ...]] = {
    "business_days_after": ("n",),
    "office_days_after": ("n",),
    "next_business_day": (),
    "day_of_next_month": ("day",),
    "business_days_before": ("n",),
    "end_of_next_month": (),
}
RULE_PARAMS = ("n", "day")

# Target kinds and the parameters each needs.
#   openings        number of openings (optionally of one opening_kind)
#   large_openings  openings flagged as 100-person venues
#   counter         sum of one counter
#   regions         number of distinct regions (圏域) with at least one opening
TARGET_KINDS: dict[str, tuple[str, ...]] = {
    "openings": (),
    "large_openings": (),
    "counter": ("counter",),
    "regions": (),
}
TARGET_PARAMS = ("counter",)

# How each parameter is written, for messages.
PARAM_WORDS = {"n": T("n = <日数>", "n = <number of days>"),
               "day": T("day = <日（1〜31）>", "day = <day of the month>"),
               "counter": T('counter = "<カウンターのキー>"', 'counter = "<counter key>"')}
TARGET_PERIODS = ("contract", "month")

# Stations that record a counter themselves (`recorded_by` on the counter): the
# counter key the station taps (kept in step with app/photo/facts.py's
# PHOTO_COUNTER, deliberately not imported from it) and the profile switch it
# needs. The tally board shows such a counter read-only, so a photo is never
# counted twice (once printed by the station, once by hand).
STATIONS: dict[str, tuple[str, str]] = {
    "photo_station": ("photo", "photo.enabled"),
}


# ------------------------------------------------------------------- shape and types

_LABELS = {"label_ja": F(text), "label_en": F(text)}
_CHOICE = table({"key": F(value_key), **_LABELS})
_VALUES = list_of(_CHOICE, unique=("key",), nonempty=True)

SCHEMA: dict[str, F] = {
    "key": F(ident),
    "spec": F(spec_number),
    "title_ja": F(text),
    "title_en": F(text),
    "daily_cap": F(whole_number(1), required=False),
    "daily_cap_counter": F(ident, required=False),
    "opening_kinds": F(list_of(table({"key": F(ident), **_LABELS}),
                               unique=("key",), nonempty=True)),
    "groups": F(list_of(table({"key": F(ident), **_LABELS}), unique=("key",)),
                required=False, default=[]),
    "dimensions": F(dict_of(table({
        **_LABELS,
        "ref": F(one_of(REF_NAMES, T("参照する一覧", "a reference list")), required=False),
        "values": F(_VALUES, required=False),
        "extra_values": F(_VALUES, required=False),
    })), required=False, default={}),
    "counters": F(list_of(table({
        "key": F(ident), **_LABELS,
        "dimensions": F(list_of(ident, unique=("",)), required=False, default=[]),
        "shortcut": F(shortcut, required=False),
        "group": F(ident, required=False),
        "recorded_by": F(one_of(STATIONS, T("このカウンターを記録するステーション",
                                            "a station that records this counter")),
                         required=False),
    }), unique=("key", "shortcut"), nonempty=True)),
    "card": F(table({
        "label_ja": F(text, required=False, default="申請者カード"),
        "label_en": F(text, required=False, default="Applicant card"),
        "counters": F(list_of(ident, unique=("",), nonempty=True)),
        "optional": F(list_of(ident, unique=("",)), required=False, default=[]),
    }), required=False),
    "targets": F(list_of(table({
        "key": F(ident), **_LABELS,
        "kind": F(one_of(TARGET_KINDS, T("目標の種類", "a target kind"))),
        "value": F(whole_number(1)),
        "counter": F(ident, required=False),
        "opening_kind": F(ident, required=False),
        "per": F(one_of(TARGET_PERIODS, T("期間", "a period")), required=False, default="contract"),
    }), unique=("key",)), required=False, default=[]),
    "photo": F(table({
        "enabled": F(true_or_false),
        **{k: F(millimetres, required=False, default=getattr(PhotoSpec, k)) for k in
           ("width_mm", "height_mm", "head_mm", "head_tol_mm", "crown_margin_mm",
            "crown_tol_mm")},
        "min_dpi": F(whole_number(72, 2400), required=False, default=PhotoSpec.min_dpi),
        "target_dpi": F(whole_number(72, 2400), required=False, default=PhotoSpec.target_dpi),
    }), required=False),
    "reports": F(list_of(table({
        "key": F(ident), **_LABELS,
        "rule": F(one_of(REPORT_RULES, T("報告書の期限ルール", "a report rule"))),
        "n": F(whole_number(1, 60), required=False),
        "day": F(whole_number(1, 31), required=False),
    }), unique=("key",)), required=False, default=[]),
}


# ------------------------------------------------------------------- between keys

# References between sections: (where the reference is, what it must name, in words).
_COUNTER_REF = T("[[counters]] で定義したカウンターのキー", "a counter key from [[counters]]")
REFS: tuple[tuple[str, str, T], ...] = (
    ("counters[*].dimensions[*]", "dimensions",
     T("[dimensions.<キー>] で定義した区分", "a dimension defined as [dimensions.<key>]")),
    ("counters[*].group", "groups", T("[[groups]] で定義したグループのキー", "a group key from [[groups]]")),
    ("card.counters[*]", "counters", _COUNTER_REF),
    ("card.optional[*]", "counters", _COUNTER_REF),
    ("targets[*].counter", "counters", _COUNTER_REF),
    ("targets[*].opening_kind", "opening_kinds",
     T("[[opening_kinds]] で定義した実施形態のキー", "an opening-kind key from [[opening_kinds]]")),
    ("daily_cap_counter", "counters", _COUNTER_REF),
)

# Parameters that depend on another key's value: (list, selector key, table, params).
NEEDS: tuple[tuple[str, str, dict[str, tuple[str, ...]], tuple[str, ...]], ...] = (
    ("targets", "kind", TARGET_KINDS, TARGET_PARAMS),
    ("reports", "rule", REPORT_RULES, RULE_PARAMS),
)

# Photo sizes that must be in order: (key, other key, test, expected in words).
PHOTO_LIMITS = (
    ("head_mm", "height_mm", operator.lt, T("height_mm より小さい値", "less than height_mm")),
    ("min_dpi", "target_dpi", operator.le, T("target_dpi 以下の値", "not more than target_dpi")),
)

# Keys that only make sense together: (a, b, expected when one is missing).
PAIRS: tuple[tuple[str, str, T], ...] = (
    ("daily_cap", "daily_cap_counter",
     T("daily_cap と daily_cap_counter の両方（上限と、上限をかけるカウンター）",
       "daily_cap and daily_cap_counter given together (the cap and the counter it limits)")),
)
