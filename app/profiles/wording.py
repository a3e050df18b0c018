"""How a refused profile is explained. Every message is a `T(ja, en)` pair written
next to the rule it describes, so the Japanese (what the user reads) and the English
never drift apart; the helpers here add what the file has instead and a "did you
mean …?" hint for a near miss."""
from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from app.errors import MadoguchiError


class T(NamedTuple):
    """A piece of a message: Japanese (what the user reads) and English."""
    ja: str
    en: str

    def plus(self, more: T, ja_sep: str = "。", en_sep: str = ", ") -> T:
        if not more.ja and not more.en:
            return self
        return T(f"{self.ja}{ja_sep}{more.ja}", f"{self.en}{en_sep}{more.en}")


def describe(v: Any) -> T:
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


def got(v: Any) -> T:
    """The value as written (for text already known to be text, or a number)."""
    shown = f'"{v}"' if isinstance(v, str) else str(v)
    return T(f"書かれている値：{shown}", f"got {shown}")


def hint(value: Any, names: Iterable[str]) -> T:
    """'Did you mean …?' for a near miss of a known name; empty when none is near."""
    near = difflib.get_close_matches(str(value), list(names), n=1)
    if not near:
        return T("", "")
    return T(f"（「{near[0]}」の書き間違いではありませんか？）", f' (did you mean "{near[0]}"?)')


def not_one_of(words: T, value: Any, names: Iterable[str]) -> T:
    """`words`, then the value written and a hint when it is a near miss of `names`
    (an unknown choice, or a reference to something not defined)."""
    return words.plus(got(value), en_sep="; ").plus(hint(value, names), "", "")


def refused(path: Path | str, key: str, expected: T) -> MadoguchiError:
    """The one error a bad profile raises: the file, the dotted key, what was expected."""
    return MadoguchiError("PROFILE_INVALID", file=str(path), key=key,
                          expected=expected.ja, expected_en=expected.en)
