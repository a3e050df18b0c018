"""Parsed TOML data -> Profile, refused at the first problem found: shape and types
(`SCHEMA`), then references between sections (`REFS`), then what each target kind /
report rule needs (`NEEDS`), then the rest (pairs, photo limits, stations). The
order matters: each step may rely on what the steps before it have checked."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.profiles.checks import Invalid, join, table
from app.profiles.model import (Card, Counter, Dimension, Group, OpeningKind, PhotoSpec, Profile,
                                ReportRule, Target)
from app.profiles.schema import NEEDS, PAIRS, PARAM_WORDS, PHOTO_LIMITS, REFS, SCHEMA, STATIONS
from app.profiles.wording import T, got, not_one_of, refused
from app.refdata import Choice, ref_choices, regions


def profile_from_dict(data: Any, path: Path | str = "<memory>") -> Profile:
    """Validate already-parsed TOML data and build the Profile."""
    path = Path(path)
    try:
        d = table(SCHEMA)(data, "")
        _check_references(d)
        _check_needs(d)
        _check_rest(d)
    except Invalid as bad:
        raise refused(path, bad.key, bad.expected) from None
    return _build(d, path)


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
            yield from _walk(item, rest, join(path, i))
    elif isinstance(data, dict) and m.group(1) in data:
        yield from _walk(data[m.group(1)], rest, join(path, m.group(1)))


def _names(data: dict, section: str) -> tuple[str, ...]:
    value = data[section]
    return tuple(value) if isinstance(value, dict) else tuple(x["key"] for x in value)


def _check_references(d: dict) -> None:
    for pattern, section, words in REFS:
        names = _names(d, section)
        for p, value in _walk(d, pattern):
            if value not in names:
                known = T("、".join(names) or "定義なし", ", ".join(names) or "none defined")
                raise Invalid(p, not_one_of(T(f"{words.ja}（{known.ja}）", f"{words.en} ({known.en})"),
                                            value, names))


def _check_needs(d: dict) -> None:
    for section, selector, kinds, params in NEEDS:
        for i, item in enumerate(d[section]):
            wanted = kinds[item[selector]]
            for param in params:
                p = join(join(section, i), param)
                words, chosen = PARAM_WORDS[param], f'{selector} "{item[selector]}"'
                if param in wanted and item[param] is None:
                    raise Invalid(p, T(f"{words.ja}。{chosen} には必要です",
                                       f"{words.en}: {chosen} needs it"))
                if param not in wanted and item[param] is not None:
                    raise Invalid(p, T(f"{param} は書けません。{chosen} では使いません",
                                       f"no {param} here: {chosen} does not use it"))


def _check_rest(d: dict) -> None:
    """The few rules that are not references or per-kind parameters."""
    for a, b, words in PAIRS:
        if (d[a] is None) != (d[b] is None):
            raise Invalid(b if d[b] is None else a, words)
    for name, dim in d["dimensions"].items():
        _check_dimension(join("dimensions", name), dim)
    _check_stations(d)
    card = d["card"]
    if card:
        for i, c in enumerate(card["optional"]):
            if c in card["counters"]:
                raise Invalid(f"card.optional[{i}]", T("card.counters にまだないカウンター",
                                                       "a counter not already in card.counters")
                              .plus(got(c)))
    for i, t in enumerate(d["targets"]):
        if t["kind"] == "regions" and t["value"] > len(regions()):
            n = len(regions())
            raise Invalid(f"targets[{i}].value", T(f"{n} 以下（宮城県の圏域の数）",
                                                   f"at most {n} (Miyagi's regions)")
                          .plus(got(t["value"])))
    ph = d["photo"]
    for key, limit, ok, words in PHOTO_LIMITS:
        if ph is not None and not ok(ph[key], ph[limit]):
            raise Invalid(f"photo.{key}", T(f"{words.ja}（{ph[limit]}）", f"{words.en} ({ph[limit]})")
                          .plus(got(ph[key])))


def _check_dimension(p: str, dim: dict) -> None:
    """Values come from a refdata list or are written out, never both; extra values
    only add to a refdata list and may not repeat its keys."""
    if (dim["ref"] is None) == (dim["values"] is None):
        raise Invalid(p, T('ref = "<一覧>" と values = [...] のどちらか一方だけ',
                           'either ref = "<list>" or values = [...], exactly one of them'))
    if dim["extra_values"] is not None:
        if dim["ref"] is None:
            raise Invalid(join(p, "extra_values"), T("extra_values は ref と一緒のときだけ",
                                                     "extra_values only together with ref"))
        taken = {c.key for c in ref_choices(dim["ref"])}
        for i, v in enumerate(dim["extra_values"]):
            if v["key"] in taken:
                raise Invalid(join(join(p, "extra_values"), i) + ".key",
                              T(f'{dim["ref"]} にまだないキー', f'a key not already in {dim["ref"]}')
                              .plus(got(v["key"])))


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
            raise Invalid(f"{p}.recorded_by", T(
                f'recorded_by = "{station}" はカウンター "{key}"（ステーションが記録するもの）にだけ書けます。'
                f'書かれている場所："{c["key"]}"',
                f'recorded_by = "{station}" only on the counter "{key}" '
                f'(the one the station taps), got it on "{c["key"]}"'))
        section, flag = switch.split(".")
        if not (d[section] or {}).get(flag):
            raise Invalid(f"{p}.recorded_by", T(
                f'[{section}] {flag} = true。recorded_by = "{station}" にはステーションを有効にする必要があります',
                f'[{section}] {flag} = true: recorded_by = "{station}" needs the station switched on'))
        if c["dimensions"]:
            raise Invalid(f"{p}.dimensions", T(
                f'区分なし（dimensions は書けません）。{station} は "{key}" を区分なしで記録します',
                f'no dimensions: the {station} records "{key}" without them'))
        if c["shortcut"] is not None:
            raise Invalid(f"{p}.shortcut", T(
                f'ショートカットなし。"{key}" は {station} が記録し、手では押しません',
                f'no shortcut: "{key}" is recorded by the {station}, not tapped by hand'))
        for where in ("counters", "optional"):
            if key in card[where]:
                raise Invalid(f"card.{where}[{card[where].index(key)}]", T(
                    f'ステーションが記録しないカウンター。"{key}" は {station} が記録します',
                    f'a counter not recorded by a station: "{key}" is recorded by the {station}'))


def _build(d: dict, path: Path) -> Profile:
    """The Profile from data that has passed every check above."""
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
