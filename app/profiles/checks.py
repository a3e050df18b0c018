"""Building blocks of the table-driven validator: a check takes a value and its dotted
path, returns the value cleaned up, or raises `Invalid(path, T(ja, en))`. Each check
carries the plain words for what it accepts (`.words`), so a missing key is explained
the same way as a wrong one. The tables built from these are in schema.py."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from app.profiles.wording import T, describe, got, hint, not_one_of


class Invalid(Exception):
    """The first problem found: where (dotted path) and what was expected there."""
    def __init__(self, key: str, expected: T) -> None:
        super().__init__(key, expected)
        self.key, self.expected = key, expected


Check = Callable[[Any, str], Any]


class F(NamedTuple):
    """One key of a table: how to check its value, and whether it must be there."""
    check: Check
    required: bool = True
    default: Any = None


def join(path: str, name: str | int) -> str:
    """The dotted path of a key or list index inside `path` (as the user sees it)."""
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
def text(v: Any, p: str, words: T = _TEXT) -> str:
    if not isinstance(v, str):
        raise Invalid(p, words.plus(describe(v)))
    if not v.strip():
        raise Invalid(p, words.plus(_NOT_EMPTY))
    return v


def _pattern(rx: str, words: T) -> Check:
    compiled = re.compile(rx)

    @_words(words)
    def check(v: Any, p: str) -> str:
        v = text(v, p, words)
        if not compiled.fullmatch(v):
            raise Invalid(p, words.plus(got(v)))
        return v
    return check


ident = _pattern(r"[a-z][a-z0-9_]*", _IDENT)
value_key = _pattern(r"[a-z0-9][a-z0-9_]*", _VALUE_KEY)
spec_number = _pattern(r"\d{3}", _SPEC)


@_words(_SHORTCUT)
def shortcut(v: Any, p: str) -> str:
    v = text(v, p, _SHORTCUT)
    if len(v) != 1 or not v.isascii() or not v.isalnum():
        raise Invalid(p, _SHORTCUT.plus(got(v)))
    return v.upper()


def whole_number(lo: int, hi: int | None = None) -> Check:
    words = (T(f"引用符なしの {lo}〜{hi} の整数", f"a whole number from {lo} to {hi}, without quotes")
             if hi is not None else
             T(f"引用符なしの {lo} 以上の整数", f"a whole number {lo} or more, without quotes"))

    @_words(words)
    def check(v: Any, p: str) -> int:
        if isinstance(v, bool) or not isinstance(v, int) or v < lo or (hi is not None and v > hi):
            raise Invalid(p, words.plus(describe(v)))
        return v
    return check


@_words(_MM)
def millimetres(v: Any, p: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0:
        raise Invalid(p, _MM.plus(describe(v)))
    return float(v)


@_words(_BOOL)
def true_or_false(v: Any, p: str) -> bool:
    if not isinstance(v, bool):
        raise Invalid(p, _BOOL.plus(describe(v)))
    return v


def one_of(names: Iterable[str], what: T) -> Check:
    names = tuple(names)
    words = T(f"{what.ja}（{'、'.join(names)} のいずれか）", f"{what.en}: one of {', '.join(names)}")

    @_words(words)
    def check(v: Any, p: str) -> str:
        v = text(v, p, words)
        if v not in names:
            raise Invalid(p, not_one_of(words, v, names))
        return v
    return check


def list_of(item: Check, unique: tuple[str, ...] = (), nonempty: bool = False) -> Check:
    """A list whose items pass `item`; `unique` names item fields (or "" for the
    item itself) that must not repeat."""
    words = T("角かっこ [ ] で囲んだリスト" + ("（1 件以上）" if nonempty else ""),
              "a list in square brackets" + (" with at least one entry" if nonempty else ""))

    @_words(words)
    def check(v: Any, p: str) -> list:
        if not isinstance(v, list) or (nonempty and not v):
            raise Invalid(p, words.plus(describe(v)))
        out = [item(x, join(p, i)) for i, x in enumerate(v)]
        for name in unique:
            _refuse_repeats(out, name, p)
        return out
    return check


def _refuse_repeats(items: list, name: str, p: str) -> None:
    """The second item (in list `p`) whose field `name` repeats an earlier one's."""
    seen: dict[Any, int] = {}
    for i, x in enumerate(items):
        val = x.get(name) if name else x
        if val is None:
            continue
        if val in seen:
            where = join(join(p, i), name) if name else join(p, i)
            first = join(p, seen[val])
            raise Invalid(where, T(f'{p} の中で重複しない値。"{val}" は {first} で使われています',
                                   f'a value not used twice in {p}: "{val}" is '
                                   f"already used by {first}"))
        seen[val] = i


def table(schema: dict[str, F]) -> Check:
    words = T(f"キー {'、'.join(schema)} を持つ表（セクション）",
              f"a table (section) with the keys {', '.join(schema)}")

    @_words(words)
    def check(v: Any, p: str) -> dict:
        if not isinstance(v, dict):
            raise Invalid(p, words.plus(describe(v)))
        for k in v:
            if k not in schema:
                near = hint(k, schema)
                raise Invalid(join(p, k), T(f"ここでは使えないキーです{near.ja}。使えるキー：{'、'.join(schema)}",
                                            f"a known key{near.en}; allowed here: "
                                            f"{', '.join(schema)}"))
        out = {}
        for name, f in schema.items():
            if name in v:
                out[name] = f.check(v[name], join(p, name))
            elif f.required:
                w = f.check.words
                raise Invalid(join(p, name), T(f"{w.ja}。{_REQUIRED.ja}", f"{w.en} ({_REQUIRED.en})"))
            else:
                out[name] = f.default
        return out
    return check


def dict_of(item: Check) -> Check:
    """A table whose own keys are names (e.g. [dimensions.age_band])."""
    words = T("名前を付けた項目の表（例：[dimensions.age_band]）",
              "a table of named entries (e.g. [dimensions.age_band])")

    @_words(words)
    def check(v: Any, p: str) -> dict:
        if not isinstance(v, dict):
            raise Invalid(p, words.plus(describe(v)))
        return {ident(k, join(p, k)): item(x, join(p, k)) for k, x in v.items()}
    return check
