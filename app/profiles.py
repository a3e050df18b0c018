"""Campaign profiles: one TOML file per campaign under `resources/profiles/`.

A profile says what a booth counts (counters and their dimensions), what kinds of
opening it has, the applicant card, the contract's targets, the photo spec and when
each report is due. A new campaign is a new file, not new code.

`load_profile` validates a file against the tables below (`_SCHEMA` for shape and
types, `_REFS` for references between sections, `_TARGET_KINDS` / `REPORT_RULES`
for what each kind/rule needs) and raises MadoguchiError("PROFILE_INVALID",
file=..., key=<dotted path>, expected=<plain words in Japanese>,
expected_en=<the same in English>) on the first problem found. Every wording lives
next to the rule it describes, as a `T(ja, en)` pair, so the two never drift apart.
"""
from __future__ import annotations

import difflib
import errno
import functools
import operator
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, NamedTuple

from app.errors import MadoguchiError
from app.refdata import REF_NAMES, RESOURCES_DIR, Choice, ref_choices, regions

PROFILES_DIR = RESOURCES_DIR / "profiles"


class T(NamedTuple):
    """A piece of a message: Japanese (what the user reads) and English."""
    ja: str
    en: str

    def plus(self, more: T, ja_sep: str = "。", en_sep: str = ", ") -> T:
        if not more.ja and not more.en:
            return self
        return T(f"{self.ja}{ja_sep}{more.ja}", f"{self.en}{en_sep}{more.en}")


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
_RULE_PARAMS = ("n", "day")

# Target kinds and the parameters each needs.
#   openings        number of openings (optionally of one opening_kind)
#   large_openings  openings flagged as 100-person venues
#   counter         sum of one counter
#   regions         number of distinct regions (圏域) with at least one opening
_TARGET_KINDS: dict[str, tuple[str, ...]] = {
    "openings": (),
    "large_openings": (),
    "counter": ("counter",),
    "regions": (),
}
_TARGET_PARAMS = ("counter",)

# How each parameter is written, for messages.
_PARAM_WORDS = {"n": T("n = <日数>", "n = <number of days>"),
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


# --------------------------------------------------------------------------- model

@dataclass(frozen=True)
class Dimension:
    key: str
    label_ja: str
    label_en: str
    values: tuple[Choice, ...]
    ref: str | None = None  # refdata list the values come from, if any

    def label(self, lang: str = "ja") -> str:
        return self.label_en if lang == "en" else self.label_ja

    def value_keys(self) -> tuple[str, ...]:
        return tuple(v.key for v in self.values)

    def value(self, key: str) -> Choice:
        for v in self.values:
            if v.key == key:
                return v
        raise KeyError(key)


@dataclass(frozen=True)
class Counter:
    key: str
    label_ja: str
    label_en: str
    dimensions: tuple[str, ...] = ()
    shortcut: str | None = None  # one keyboard key, "1".."9" or a capital letter
    group: str | None = None     # key of a Group (section on the board)
    recorded_by: str | None = None  # a station that taps it (STATIONS); not tapped by hand

    def label(self, lang: str = "ja") -> str:
        return self.label_en if lang == "en" else self.label_ja


@dataclass(frozen=True)
class Group:
    key: str
    label_ja: str
    label_en: str

    def label(self, lang: str = "ja") -> str:
        return self.label_en if lang == "en" else self.label_ja


@dataclass(frozen=True)
class Card:
    label_ja: str
    label_en: str
    counters: tuple[str, ...]          # always recorded for one applicant
    optional: tuple[str, ...] = ()     # toggled by the staff per applicant

    def label(self, lang: str = "ja") -> str:
        return self.label_en if lang == "en" else self.label_ja


@dataclass(frozen=True)
class OpeningKind:
    key: str
    label_ja: str
    label_en: str

    def label(self, lang: str = "ja") -> str:
        return self.label_en if lang == "en" else self.label_ja


@dataclass(frozen=True)
class Target:
    key: str
    label_ja: str
    label_en: str
    kind: str                          # openings | large_openings | counter | regions
    value: int
    counter: str | None = None         # for kind "counter"
    opening_kind: str | None = None    # count only openings of this kind
    per: str = "contract"              # "contract" (whole term) or "month"

    def label(self, lang: str = "ja") -> str:
        return self.label_en if lang == "en" else self.label_ja


@dataclass(frozen=True)
class PhotoSpec:
    enabled: bool
    width_mm: float = 35.0
    height_mm: float = 45.0
    head_mm: float = 34.0
    head_tol_mm: float = 2.0
    crown_margin_mm: float = 4.0
    crown_tol_mm: float = 2.0
    min_dpi: int = 300
    target_dpi: int = 600


@dataclass(frozen=True)
class ReportRule:
    key: str
    label_ja: str
    label_en: str
    rule: str
    n: int | None = None
    day: int | None = None

    def label(self, lang: str = "ja") -> str:
        return self.label_en if lang == "en" else self.label_ja


@dataclass(frozen=True)
class Profile:
    key: str
    spec: str
    title_ja: str
    title_en: str
    opening_kinds: tuple[OpeningKind, ...]
    dimensions: dict[str, Dimension]
    counters: tuple[Counter, ...]
    card: Card | None
    targets: tuple[Target, ...]
    photo: PhotoSpec
    reports: tuple[ReportRule, ...]
    daily_cap: int | None
    path: Path
    daily_cap_counter: str | None = None  # the counter daily_cap limits (per opening)
    groups: tuple[Group, ...] = ()

    def label(self, lang: str = "ja") -> str:
        return self.title_en if lang == "en" else self.title_ja

    def counter(self, key: str) -> Counter:
        for c in self.counters:
            if c.key == key:
                return c
        raise KeyError(key)

    def has_counter(self, key: str) -> bool:
        return any(c.key == key for c in self.counters)

    def hand_tapped(self, key: str) -> bool:
        """False for a counter a station records by itself (read-only on the board)."""
        return self.counter(key).recorded_by is None

    def dimension(self, key: str) -> Dimension:
        return self.dimensions[key]

    def kind(self, key: str) -> OpeningKind:
        for k in self.opening_kinds:
            if k.key == key:
                return k
        raise KeyError(key)

    def group(self, key: str) -> Group:
        for g in self.groups:
            if g.key == key:
                return g
        raise KeyError(key)

    def report(self, key: str) -> ReportRule | None:
        return next((r for r in self.reports if r.key == key), None)

    def target(self, key: str) -> Target | None:
        return next((t for t in self.targets if t.key == key), None)

    def counter_dimensions(self, key: str) -> tuple[Dimension, ...]:
        return tuple(self.dimensions[d] for d in self.counter(key).dimensions)

    def card_dimensions(self) -> tuple[str, ...]:
        """Dimension keys the applicant card asks for: the union over its counters
        and optional counters, in first-seen order."""
        if self.card is None:
            return ()
        seen: dict[str, None] = {}
        for c in (*self.card.counters, *self.card.optional):
            seen.update(dict.fromkeys(self.counter(c).dimensions))
        return tuple(seen)

    def counter_for_shortcut(self, key: str) -> Counter | None:
        key = key.upper()
        return next((c for c in self.counters if c.shortcut == key), None)


# ---------------------------------------------------------------- validation core

class _Invalid(Exception):
    def __init__(self, key: str, expected: T) -> None:
        super().__init__(key, expected)
        self.key, self.expected = key, expected


Check = Callable[[Any, str], Any]


class F(NamedTuple):
    """One key of a table: how to check its value, and whether it must be there."""
    check: Check
    required: bool = True
    default: Any = None


def _describe(v: Any) -> T:
    """What the file has instead, in both languages."""
    if isinstance(v, bool):
        return T(f"書かれている値：{str(v).lower()}", f"got {str(v).lower()}")
    if isinstance(v, str):
        return T(f'書かれている値：文字列 "{v}"', f'got text "{v}"')
    if isinstance(v, (int, float)):
        return T(f"書かれている値：数値 {v}", f"got the number {v}")
    if isinstance(v, list):
        return (T("書かれている値：空のリスト", "got an empty list") if not v
                else T("書かれている値：リスト [ ]", "got a list"))
    if isinstance(v, dict):
        return T("書かれている値：表（セクション）", "got a table")
    return T(f"書かれている値：{type(v).__name__}", f"got {type(v).__name__}")


def _got(v: Any) -> T:
    """The value as written (for text already known to be text, or a number)."""
    shown = f'"{v}"' if isinstance(v, str) else str(v)
    return T(f"書かれている値：{shown}", f"got {shown}")


def _hint(value: Any, names: Iterable[str]) -> T:
    """'Did you mean …?' for a near miss of a known name; empty when none is near."""
    near = difflib.get_close_matches(str(value), list(names), n=1)
    if not near:
        return T("", "")
    return T(f"（「{near[0]}」の書き間違いではありませんか？）", f' (did you mean "{near[0]}"?)')


def _join(path: str, name: str | int) -> str:
    if isinstance(name, int):
        return f"{path}[{name}]"
    return f"{path}.{name}" if path else name


def _words(words: T) -> Callable[[Check], Check]:
    """Attach the description of what a checker accepts (used in every message
    about that key, including when it is missing)."""
    def attach(check: Check) -> Check:
        check.words = words  # type: ignore[attr-defined]
        return check
    return attach


# What each kind of value is, in plain words: (Japanese, English).
_TEXT = T('引用符で囲んだ文字（例："来場者数"）', 'text in quotes (e.g. "来場者数")')
_SHORTCUT = T('引用符で囲んだキーボードのキー 1 つ、数字か英字（例："1"、"V"）',
              'a single keyboard key in quotes, a digit or a letter (e.g. "1" or "V")')
_MM = T("引用符なしの 0 より大きいミリメートルの数値（例：35.0）",
        "a size in millimetres greater than 0, without quotes (e.g. 35.0)")
_BOOL = T("引用符なしの true か false", "true or false, without quotes")
_IDENT = T("英小文字で始まり、英小文字・数字・_ だけでできたキー（例：insurance_link）",
           "a key in lower-case letters, digits and _ starting with a letter (e.g. insurance_link)")
_VALUE_KEY = T("英小文字・数字・_ だけでできたキー（例：paper、10s）",
               "a key in lower-case letters, digits and _ (e.g. paper, 10s)")
_SPEC = T('引用符で囲んだ 3 桁の仕様番号（例："003"）', 'the 3-digit spec number in quotes (e.g. "003")')
_NOT_EMPTY = T("空にはできません", "not empty")
_REQUIRED = T("必須のキーですが、ありません", "this key is required and is missing")


@_words(_TEXT)
def _text(v: Any, p: str, words: T = _TEXT) -> str:
    if not isinstance(v, str):
        raise _Invalid(p, words.plus(_describe(v)))
    if not v.strip():
        raise _Invalid(p, words.plus(_NOT_EMPTY))
    return v


def _pattern(rx: str, words: T) -> Check:
    compiled = re.compile(rx)

    @_words(words)
    def check(v: Any, p: str) -> str:
        v = _text(v, p, words)
        if not compiled.fullmatch(v):
            raise _Invalid(p, words.plus(_got(v)))
        return v
    return check


_ident = _pattern(r"[a-z][a-z0-9_]*", _IDENT)
_value_key = _pattern(r"[a-z0-9][a-z0-9_]*", _VALUE_KEY)
_spec = _pattern(r"\d{3}", _SPEC)


@_words(_SHORTCUT)
def _shortcut(v: Any, p: str) -> str:
    v = _text(v, p, _SHORTCUT)
    if len(v) != 1 or not v.isascii() or not v.isalnum():
        raise _Invalid(p, _SHORTCUT.plus(_got(v)))
    return v.upper()


def _int(lo: int, hi: int | None = None) -> Check:
    words = (T(f"引用符なしの {lo}〜{hi} の整数", f"a whole number from {lo} to {hi}, without quotes")
             if hi is not None else
             T(f"引用符なしの {lo} 以上の整数", f"a whole number {lo} or more, without quotes"))

    @_words(words)
    def check(v: Any, p: str) -> int:
        if isinstance(v, bool) or not isinstance(v, int) or v < lo or (hi is not None and v > hi):
            raise _Invalid(p, words.plus(_describe(v)))
        return v
    return check


@_words(_MM)
def _mm(v: Any, p: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0:
        raise _Invalid(p, _MM.plus(_describe(v)))
    return float(v)


@_words(_BOOL)
def _bool(v: Any, p: str) -> bool:
    if not isinstance(v, bool):
        raise _Invalid(p, _BOOL.plus(_describe(v)))
    return v


def _one_of(names: Iterable[str], what: T) -> Check:
    names = tuple(names)
    words = T(f"{what.ja}（{'、'.join(names)} のいずれか）", f"{what.en}: one of {', '.join(names)}")

    @_words(words)
    def check(v: Any, p: str) -> str:
        v = _text(v, p, words)
        if v not in names:
            raise _Invalid(p, words.plus(_got(v), en_sep="; ").plus(_hint(v, names), "", ""))
        return v
    return check


def _list_of(item: Check, unique: tuple[str, ...] = (), nonempty: bool = False) -> Check:
    """A list whose items pass `item`; `unique` names item fields (or "" for the
    item itself) that must not repeat."""
    words = T("角かっこ [ ] で囲んだリスト" + ("（1 件以上）" if nonempty else ""),
              "a list in square brackets" + (" with at least one entry" if nonempty else ""))

    @_words(words)
    def check(v: Any, p: str) -> list:
        if not isinstance(v, list) or (nonempty and not v):
            raise _Invalid(p, words.plus(_describe(v)))
        out = [item(x, _join(p, i)) for i, x in enumerate(v)]
        for name in unique:
            seen: dict[Any, int] = {}
            for i, x in enumerate(out):
                val = x.get(name) if name else x
                if val is None:
                    continue
                if val in seen:
                    where = _join(_join(p, i), name) if name else _join(p, i)
                    first = _join(p, seen[val])
                    raise _Invalid(where, T(f'{p} の中で重複しない値。"{val}" は {first} で使われています',
                                            f'a value not used twice in {p}: "{val}" is '
                                            f"already used by {first}"))
                seen[val] = i
        return out
    return check


def _table(schema: dict[str, F]) -> Check:
    words = T(f"キー {'、'.join(schema)} を持つ表（セクション）",
              f"a table (section) with the keys {', '.join(schema)}")

    @_words(words)
    def check(v: Any, p: str) -> dict:
        if not isinstance(v, dict):
            raise _Invalid(p, words.plus(_describe(v)))
        for k in v:
            if k not in schema:
                hint = _hint(k, schema)
                raise _Invalid(_join(p, k), T(f"ここでは使えないキーです{hint.ja}。使えるキー：{'、'.join(schema)}",
                                              f"a known key{hint.en}; allowed here: "
                                              f"{', '.join(schema)}"))
        out = {}
        for name, f in schema.items():
            if name in v:
                out[name] = f.check(v[name], _join(p, name))
            elif f.required:
                w = f.check.words
                raise _Invalid(_join(p, name), T(f"{w.ja}。{_REQUIRED.ja}", f"{w.en} ({_REQUIRED.en})"))
            else:
                out[name] = f.default
        return out
    return check


def _dict_of(item: Check) -> Check:
    """A table whose own keys are names (e.g. [dimensions.age_band])."""
    words = T("名前を付けた項目の表（例：[dimensions.age_band]）",
              "a table of named entries (e.g. [dimensions.age_band])")

    @_words(words)
    def check(v: Any, p: str) -> dict:
        if not isinstance(v, dict):
            raise _Invalid(p, words.plus(_describe(v)))
        return {_ident(k, _join(p, k)): item(x, _join(p, k)) for k, x in v.items()}
    return check


# ------------------------------------------------------------------- the schema

_LABELS = {"label_ja": F(_text), "label_en": F(_text)}
_CHOICE = _table({"key": F(_value_key), **_LABELS})
_VALUES = _list_of(_CHOICE, unique=("key",), nonempty=True)

_SCHEMA: dict[str, F] = {
    "key": F(_ident),
    "spec": F(_spec),
    "title_ja": F(_text),
    "title_en": F(_text),
    "daily_cap": F(_int(1), required=False),
    "daily_cap_counter": F(_ident, required=False),
    "opening_kinds": F(_list_of(_table({"key": F(_ident), **_LABELS}),
                                unique=("key",), nonempty=True)),
    "groups": F(_list_of(_table({"key": F(_ident), **_LABELS}), unique=("key",)),
                required=False, default=[]),
    "dimensions": F(_dict_of(_table({
        **_LABELS,
        "ref": F(_one_of(REF_NAMES, T("参照する一覧", "a reference list")), required=False),
        "values": F(_VALUES, required=False),
        "extra_values": F(_VALUES, required=False),
    })), required=False, default={}),
    "counters": F(_list_of(_table({
        "key": F(_ident), **_LABELS,
        "dimensions": F(_list_of(_ident, unique=("",)), required=False, default=[]),
        "shortcut": F(_shortcut, required=False),
        "group": F(_ident, required=False),
        "recorded_by": F(_one_of(STATIONS, T("このカウンターを記録するステーション",
                                             "a station that records this counter")),
                         required=False),
    }), unique=("key", "shortcut"), nonempty=True)),
    "card": F(_table({
        "label_ja": F(_text, required=False, default="申請者カード"),
        "label_en": F(_text, required=False, default="Applicant card"),
        "counters": F(_list_of(_ident, unique=("",), nonempty=True)),
        "optional": F(_list_of(_ident, unique=("",)), required=False, default=[]),
    }), required=False),
    "targets": F(_list_of(_table({
        "key": F(_ident), **_LABELS,
        "kind": F(_one_of(_TARGET_KINDS, T("目標の種類", "a target kind"))),
        "value": F(_int(1)),
        "counter": F(_ident, required=False),
        "opening_kind": F(_ident, required=False),
        "per": F(_one_of(TARGET_PERIODS, T("期間", "a period")), required=False, default="contract"),
    }), unique=("key",)), required=False, default=[]),
    "photo": F(_table({
        "enabled": F(_bool),
        **{k: F(_mm, required=False, default=getattr(PhotoSpec, k)) for k in
           ("width_mm", "height_mm", "head_mm", "head_tol_mm", "crown_margin_mm",
            "crown_tol_mm")},
        "min_dpi": F(_int(72, 2400), required=False, default=PhotoSpec.min_dpi),
        "target_dpi": F(_int(72, 2400), required=False, default=PhotoSpec.target_dpi),
    }), required=False),
    "reports": F(_list_of(_table({
        "key": F(_ident), **_LABELS,
        "rule": F(_one_of(REPORT_RULES, T("報告書の期限ルール", "a report rule"))),
        "n": F(_int(1, 60), required=False),
        "day": F(_int(1, 31), required=False),
    }), unique=("key",)), required=False, default=[]),
}

# References between sections: (where the reference is, what it must name, in words).
_COUNTER_REF = T("[[counters]] で定義したカウンターのキー", "a counter key from [[counters]]")
_REFS: tuple[tuple[str, str, T], ...] = (
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
_NEEDS: tuple[tuple[str, str, dict[str, tuple[str, ...]], tuple[str, ...]], ...] = (
    ("targets", "kind", _TARGET_KINDS, _TARGET_PARAMS),
    ("reports", "rule", REPORT_RULES, _RULE_PARAMS),
)

# Photo sizes that must be in order: (key, other key, test, expected in words).
_PHOTO_LIMITS = (
    ("head_mm", "height_mm", operator.lt, T("height_mm より小さい値", "less than height_mm")),
    ("min_dpi", "target_dpi", operator.le, T("target_dpi 以下の値", "not more than target_dpi")),
)

# Keys that only make sense together: (a, b, expected when one is missing).
_PAIRS: tuple[tuple[str, str, T], ...] = (
    ("daily_cap", "daily_cap_counter",
     T("daily_cap と daily_cap_counter の両方（上限と、上限をかけるカウンター）",
       "daily_cap and daily_cap_counter given together (the cap and the counter it limits)")),
)


def _walk(data: Any, pattern: str, path: str = "") -> Iterator[tuple[str, Any]]:
    """Yield (dotted path, value) for every match of a pattern like
    "counters[*].dimensions[*]"; missing or None parts match nothing."""
    if not pattern:
        if data is not None:
            yield path, data
        return
    m = re.match(r"\[\*\]|\.?([a-z_]+)", pattern)
    rest = pattern[m.end():]
    if m.group(1) is None:
        for i, item in enumerate(data if isinstance(data, list) else ()):
            yield from _walk(item, rest, _join(path, i))
    elif isinstance(data, dict) and m.group(1) in data:
        yield from _walk(data[m.group(1)], rest, _join(path, m.group(1)))


def _names(data: dict, section: str) -> tuple[str, ...]:
    value = data[section]
    return tuple(value) if isinstance(value, dict) else tuple(x["key"] for x in value)


def _check_references(d: dict) -> None:
    for pattern, section, words in _REFS:
        names = _names(d, section)
        for p, value in _walk(d, pattern):
            if value not in names:
                known = T("、".join(names) or "定義なし", ", ".join(names) or "none defined")
                raise _Invalid(p, T(f"{words.ja}（{known.ja}）", f"{words.en} ({known.en})")
                               .plus(_got(value), en_sep="; ").plus(_hint(value, names), "", ""))


def _check_needs(d: dict) -> None:
    for section, selector, table, params in _NEEDS:
        for i, item in enumerate(d[section]):
            wanted = table[item[selector]]
            for param in params:
                p = _join(_join(section, i), param)
                words, chosen = _PARAM_WORDS[param], f'{selector} "{item[selector]}"'
                if param in wanted and item[param] is None:
                    raise _Invalid(p, T(f"{words.ja}。{chosen} には必要です",
                                        f"{words.en}: {chosen} needs it"))
                if param not in wanted and item[param] is not None:
                    raise _Invalid(p, T(f"{param} は書けません。{chosen} では使いません",
                                        f"no {param} here: {chosen} does not use it"))


def _check_rest(d: dict) -> None:
    """The few rules that are not references or per-kind parameters."""
    for a, b, words in _PAIRS:
        if (d[a] is None) != (d[b] is None):
            raise _Invalid(b if d[b] is None else a, words)
    for name, dim in d["dimensions"].items():
        p = _join("dimensions", name)
        if (dim["ref"] is None) == (dim["values"] is None):
            raise _Invalid(p, T('ref = "<一覧>" と values = [...] のどちらか一方だけ',
                                'either ref = "<list>" or values = [...], exactly one of them'))
        if dim["extra_values"] is not None:
            if dim["ref"] is None:
                raise _Invalid(_join(p, "extra_values"), T("extra_values は ref と一緒のときだけ",
                                                           "extra_values only together with ref"))
            taken = {c.key for c in ref_choices(dim["ref"])}
            for i, v in enumerate(dim["extra_values"]):
                if v["key"] in taken:
                    raise _Invalid(_join(_join(p, "extra_values"), i) + ".key",
                                   T(f'{dim["ref"]} にまだないキー', f'a key not already in {dim["ref"]}')
                                   .plus(_got(v["key"])))
    _check_stations(d)
    card = d["card"]
    if card:
        for i, c in enumerate(card["optional"]):
            if c in card["counters"]:
                raise _Invalid(f"card.optional[{i}]", T("card.counters にまだないカウンター",
                                                        "a counter not already in card.counters")
                               .plus(_got(c)))
    for i, t in enumerate(d["targets"]):
        if t["kind"] == "regions" and t["value"] > len(regions()):
            n = len(regions())
            raise _Invalid(f"targets[{i}].value", T(f"{n} 以下（宮城県の圏域の数）",
                                                    f"at most {n} (Miyagi's regions)")
                           .plus(_got(t["value"])))
    ph = d["photo"]
    for key, limit, ok, words in _PHOTO_LIMITS:
        if ph is not None and not ok(ph[key], ph[limit]):
            raise _Invalid(f"photo.{key}", T(f"{words.ja}（{ph[limit]}）", f"{words.en} ({ph[limit]})")
                           .plus(_got(ph[key])))


def _check_stations(d: dict) -> None:
    """A counter recorded by a station is the one that station taps, needs the
    station switched on, and is never tapped by hand (no shortcut, not on the card)."""
    card = d["card"] or {"counters": [], "optional": []}
    for i, c in enumerate(d["counters"]):
        station = c["recorded_by"]
        if station is None:
            continue
        p = f"counters[{i}]"
        key, switch = STATIONS[station]
        if c["key"] != key:
            raise _Invalid(f"{p}.recorded_by", T(
                f'recorded_by = "{station}" はカウンター "{key}"（ステーションが記録するもの）にだけ書けます。'
                f'書かれている場所："{c["key"]}"',
                f'recorded_by = "{station}" only on the counter "{key}" '
                f'(the one the station taps), got it on "{c["key"]}"'))
        section, flag = switch.split(".")
        if not (d[section] or {}).get(flag):
            raise _Invalid(f"{p}.recorded_by", T(
                f'[{section}] {flag} = true。recorded_by = "{station}" にはステーションを有効にする必要があります',
                f'[{section}] {flag} = true: recorded_by = "{station}" needs the station switched on'))
        if c["dimensions"]:
            raise _Invalid(f"{p}.dimensions", T(
                f'区分なし（dimensions は書けません）。{station} は "{key}" を区分なしで記録します',
                f'no dimensions: the {station} records "{key}" without them'))
        if c["shortcut"] is not None:
            raise _Invalid(f"{p}.shortcut", T(
                f'ショートカットなし。"{key}" は {station} が記録し、手では押しません',
                f'no shortcut: "{key}" is recorded by the {station}, not tapped by hand'))
        for where in ("counters", "optional"):
            if key in card[where]:
                raise _Invalid(f"card.{where}[{card[where].index(key)}]", T(
                    f'ステーションが記録しないカウンター。"{key}" は {station} が記録します',
                    f'a counter not recorded by a station: "{key}" is recorded by the {station}'))


def _build(d: dict, path: Path) -> Profile:
    dims = {}
    for name, dim in d["dimensions"].items():
        values = (ref_choices(dim["ref"]) if dim["ref"] else ()) + tuple(
            Choice(**v) for v in [*(dim["values"] or ()), *(dim["extra_values"] or ())])
        dims[name] = Dimension(name, dim["label_ja"], dim["label_en"], values, dim["ref"])
    card = d["card"]
    return Profile(
        key=d["key"], spec=d["spec"], title_ja=d["title_ja"], title_en=d["title_en"],
        opening_kinds=tuple(OpeningKind(**k) for k in d["opening_kinds"]),
        dimensions=dims,
        counters=tuple(Counter(**{**c, "dimensions": tuple(c["dimensions"])})
                       for c in d["counters"]),
        card=Card(card["label_ja"], card["label_en"], tuple(card["counters"]),
                  tuple(card["optional"])) if card else None,
        targets=tuple(Target(**t) for t in d["targets"]),
        photo=PhotoSpec(**d["photo"]) if d["photo"] else PhotoSpec(enabled=False),
        reports=tuple(ReportRule(**r) for r in d["reports"]),
        daily_cap=d["daily_cap"], daily_cap_counter=d["daily_cap_counter"],
        groups=tuple(Group(**g) for g in d["groups"]),
        path=path,
    )


def _refused(path: Path | str, key: str, expected: T) -> MadoguchiError:
    return MadoguchiError("PROFILE_INVALID", file=str(path), key=key,
                          expected=expected.ja, expected_en=expected.en)


def profile_from_dict(data: Any, path: Path | str = "<memory>") -> Profile:
    """Validate already-parsed TOML data and build the Profile."""
    path = Path(path)
    try:
        d = _table(_SCHEMA)(data, "")
        _check_references(d)
        _check_needs(d)
        _check_rest(d)
    except _Invalid as bad:
        raise _refused(path, bad.key, bad.expected) from None
    return _build(d, path)


# tomllib's messages (English only), by how they start, in plain Japanese; the
# English message is shown as it is. Longest prefixes first where one starts another.
_TOML_ERRORS: tuple[tuple[str, str], ...] = (
    ("Illegal character '\\n'", '行の途中で文字列が終わっています（引用符 " が閉じていません）'),
    ("Illegal character", "使えない文字があります"),
    ("Found invalid character", "使えない文字があります"),
    ("Unterminated string", '文字列の引用符 " が閉じていません'),
    ("Expected '=' after a key", "キーの後に = がありません"),
    ("Expected ']]'", "[[ ]] の ]] がありません"),
    ("Expected ']'", "[ ] の ] がありません"),
    ("Expected", "必要な記号がありません"),
    ("Cannot declare", "同じセクションが 2 回あります"),
    ("Cannot overwrite a value", "同じキーに値が 2 回書かれています"),
    ("Cannot mutate immutable namespace", "すでに書いた表や値を後から書き足しています"),
    ("Cannot redefine namespace", "すでにある表を定義し直しています"),
    ("Duplicate inline table key", "{ } の中に同じキーが 2 回あります"),
    ("Unclosed array", "[ ] のリストが閉じていません"),
    ("Unclosed inline table", "{ } の表が閉じていません"),
    ("Invalid value", "値の書き方が正しくありません（文字は引用符で囲みます）"),
    ("Invalid date or datetime", "日付・時刻の書き方が正しくありません"),
    ("Invalid initial character for a key part", "キーの書き方が正しくありません"),
    ("Invalid statement", "この行は TOML として読み取れません"),
    ("Invalid hex value", "文字列の中の \\ の書き方が正しくありません"),
    ("Escaped character", "文字列の中の \\ の書き方が正しくありません"),
    ("Unescaped", "文字列の中の \\ の書き方が正しくありません"),
)

# Why a file could not be read, for the usual cases; others by their errno name.
_READ_ERRORS = {errno.EACCES: "読み取りの権限がありません", errno.EISDIR: "ファイルではなくフォルダーです",
                errno.EIO: "ディスクから読み取れません"}


def _toml_problem(e: tomllib.TOMLDecodeError) -> tuple[str, T]:
    """(where, what is wrong) for a TOML syntax error."""
    msg = str(e)
    m = re.search(r"\(at (?:line (\d+), column (\d+)|end of document)\)", msg)
    if m is None:
        where, where_ja = "(TOML syntax)", ""
    elif m.group(1) is None:
        where, where_ja = "end of file", "ファイルの終わり："
    else:
        where, where_ja = f"line {m.group(1)}, column {m.group(2)}", f"{m.group(1)} 行目 {m.group(2)} 文字目："
    reason = next((ja for start, ja in _TOML_ERRORS if msg.startswith(start)), "書き方に誤りがあります")
    return where, T(f"TOML として正しい書き方。{where_ja}{reason}", f"valid TOML syntax ({msg})")


def load_profile(path: Path | str) -> Profile:
    """Read and validate one profile file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise MadoguchiError("PROFILE_NOT_FOUND", profile=str(path)) from None
    except OSError as e:
        why = _READ_ERRORS.get(e.errno, errno.errorcode.get(e.errno or 0, "OSError"))
        raise _refused(path, "(file)", T(f"読み込めるファイル（{why}）",
                                         f"a readable file ({e.strerror})")) from None
    try:
        text = raw.decode("utf-8-sig")  # Notepad may add a BOM
    except UnicodeDecodeError:
        raise _refused(path, "(file)", T("UTF-8 で保存したテキストファイル（メモ帳なら「名前を付けて保存」"
                                         "で文字コード UTF-8 を選びます）",
                                         "a text file saved as UTF-8")) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        where, problem = _toml_problem(e)
        raise _refused(path, where, problem) from None
    return profile_from_dict(data, path)


# ------------------------------------------------------------------- lookup

def _load_dir(directory: Path, into: dict[str, Profile]) -> None:
    for file in sorted(Path(directory).glob("*.toml")):
        p = load_profile(file)
        if p.key in into:
            other = into[p.key].path.name
            raise _refused(file, "key", T(f"「{other}」でまだ使われていないプロファイルキー",
                                          f"a profile key not already used by {other}")
                           .plus(_got(p.key), en_sep="; "))
        into[p.key] = p


@functools.cache
def _builtin() -> dict[str, Profile]:
    found: dict[str, Profile] = {}
    _load_dir(PROFILES_DIR, found)
    return found


def builtin_profiles() -> dict[str, Profile]:
    """All profiles shipped in resources/profiles, keyed by profile key."""
    return dict(_builtin())


def _all(extra_dirs: Iterable[Path]) -> dict[str, Profile]:
    found = builtin_profiles()
    for d in extra_dirs:
        _load_dir(Path(d), found)
    return found


def get_profile(key: str, extra_dirs: Iterable[Path] = ()) -> Profile:
    """A profile by key: built-in first, then *.toml files in extra_dirs."""
    builtin = _builtin()
    if key in builtin:
        return builtin[key]
    found = _all(extra_dirs)
    if key not in found:
        raise MadoguchiError("PROFILE_NOT_FOUND", profile=key)
    return found[key]


def list_profiles(extra_dirs: Iterable[Path] = ()) -> list[Profile]:
    """Built-in and extra profiles, ordered by spec number then key."""
    return sorted(_all(extra_dirs).values(), key=lambda p: (p.spec, p.key))


# ------------------------------------------------------------------- export

def profile_to_dict(p: Profile, lang: str = "ja") -> dict:
    """A JSON-friendly summary (labels in `lang`), as printed by `profiles --json`."""
    def dim(key: str) -> dict:
        d = p.dimensions[key]
        return {"key": key, "label": d.label(lang), "values": list(d.value_keys())}

    return {
        "key": p.key,
        "spec": p.spec,
        "title": p.label(lang),
        "path": str(p.path),
        "opening_kinds": [{"key": k.key, "label": k.label(lang)} for k in p.opening_kinds],
        "dimensions": {k: {"label": d.label(lang), "ref": d.ref,
                           "values": [{"key": v.key, "label": v.label(lang)} for v in d.values]}
                       for k, d in p.dimensions.items()},
        "groups": [{"key": g.key, "label": g.label(lang)} for g in p.groups],
        "counters": [{"key": c.key, "label": c.label(lang), "shortcut": c.shortcut,
                      "group": c.group, "recorded_by": c.recorded_by,
                      "dimensions": [dim(k) for k in c.dimensions]}
                     for c in p.counters],
        "card": None if p.card is None else {
            "label": p.card.label(lang), "counters": list(p.card.counters),
            "optional": list(p.card.optional),
            "dimensions": [dim(k) for k in p.card_dimensions()]},
        "targets": [{"key": t.key, "label": t.label(lang), "kind": t.kind, "value": t.value,
                     "counter": t.counter, "opening_kind": t.opening_kind, "per": t.per}
                    for t in p.targets],
        "photo": asdict(p.photo),
        "reports": [{"key": r.key, "label": r.label(lang), "rule": r.rule, "n": r.n,
                     "day": r.day} for r in p.reports],
        "daily_cap": p.daily_cap,
        "daily_cap_counter": p.daily_cap_counter,
    }
