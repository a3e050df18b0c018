"""What a loaded profile is: frozen data classes, built only by the validator
(app/profiles/validate.py), so code holding a Profile can trust every reference in it."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from app.refdata import Choice

_K = TypeVar("_K", bound="_Keyed | Choice")


class _Labelled:
    """`label(lang)` for the classes that carry label_ja / label_en."""
    label_ja: str
    label_en: str

    def label(self, lang: str = "ja") -> str:
        return self.label_en if lang == "en" else self.label_ja


@dataclass(frozen=True)
class _Keyed(_Labelled):
    """The fields every part a profile refers to by key starts with (a subclass adds
    its own after them, so positional construction keeps this order)."""
    key: str
    label_ja: str
    label_en: str


@dataclass(frozen=True)
class Dimension(_Keyed):
    """A breakdown a counter is tapped by (age band, ward, method …)."""
    values: tuple[Choice, ...]
    ref: str | None = None  # refdata list the values come from, if any

    def value_keys(self) -> tuple[str, ...]:
        return tuple(v.key for v in self.values)

    def value(self, key: str) -> Choice:
        return _by_key(self.values, key)


@dataclass(frozen=True)
class Counter(_Keyed):
    """One thing the booth counts: a button on the tally board."""
    dimensions: tuple[str, ...] = ()
    shortcut: str | None = None  # one keyboard key, "1".."9" or a capital letter
    group: str | None = None     # key of a Group (section on the board)
    recorded_by: str | None = None  # a station that taps it (STATIONS); not tapped by hand


@dataclass(frozen=True)
class Group(_Keyed):
    """A section of the tally board that counters are shown under."""


@dataclass(frozen=True)
class Card(_Labelled):
    """The applicant card: counters recorded together for one applicant."""
    label_ja: str
    label_en: str
    counters: tuple[str, ...]          # always recorded for one applicant
    optional: tuple[str, ...] = ()     # toggled by the staff per applicant


@dataclass(frozen=True)
class OpeningKind(_Keyed):
    """A kind of opening the contract names (support booth, outreach …)."""


@dataclass(frozen=True)
class Target(_Keyed):
    """A number the contract asks for, compared with what was done."""
    kind: str                          # openings | large_openings | counter | regions
    value: int
    counter: str | None = None         # for kind "counter"
    opening_kind: str | None = None    # count only openings of this kind
    per: str = "contract"              # "contract" (whole term) or "month"


@dataclass(frozen=True)
class PhotoSpec:
    """The photo station: on or off, the print size and where the head must sit on it
    (mm, with tolerances), and the resolution a photo needs (dpi)."""
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
class ReportRule(_Keyed):
    """A report the contract asks for and when it is due (a rule of app/jcalendar.py)."""
    rule: str
    n: int | None = None
    day: int | None = None


@dataclass(frozen=True)
class Profile:
    """One campaign, as validated from its file (`path`)."""
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
        return _by_key(self.counters, key)

    def has_counter(self, key: str) -> bool:
        return any(c.key == key for c in self.counters)

    def hand_tapped(self, key: str) -> bool:
        """False for a counter a station records by itself (read-only on the board)."""
        return self.counter(key).recorded_by is None

    def dimension(self, key: str) -> Dimension:
        return self.dimensions[key]

    def kind(self, key: str) -> OpeningKind:
        return _by_key(self.opening_kinds, key)

    def group(self, key: str) -> Group:
        return _by_key(self.groups, key)

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


def _by_key(items: Iterable[_K], key: str) -> _K:
    """The item with this key; KeyError when there is none, as a dict lookup would
    raise (callers that may miss use has_counter / report / target instead)."""
    for item in items:
        if item.key == key:
            return item
    raise KeyError(key)
