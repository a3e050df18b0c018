"""Screening the free text that leaves the laptop: tally reasons and the name of the
supervisor who confirmed a closing.

Both are part of chained rows (app.store.CHAINED_COLUMNS), so they sync to the hub,
go into bundles and are printed on the daily report. The office needs them, but a
visitor's personal data must never travel with them. So a reason that looks like it
holds a My Number, a phone number, an e-mail address, a postal code, a street
address or a date of birth is refused before any transaction starts, and the
supervisor's name must look like a name.

The screen errs towards letting ordinary booth wording through ("2件重複", "10時台の
入力漏れ3件", "受付番号12の取消"): it looks for the shapes of those numbers, not for
any digit. Refusals say what kind of thing was found, never the text itself — the
message, the exception and the log line hold no part of what was typed.
"""
from __future__ import annotations

import logging
import re
import unicodedata

from app.errors import MadoguchiError, register_messages

log = logging.getLogger("madoguchi.reason_screen")

REASON_MAX = 200        # the UI's input fields use the same limits
NAME_MAX = 40
NAME_MAX_DIGITS = 2     # "佐藤（2班）" is a name; "佐藤 0901…" is not

# kind -> (Japanese, English) words for "what was found", in the order they are listed.
KINDS: dict[str, tuple[str, str]] = {
    "email": ("メールアドレス", "an e-mail address"),
    "my_number": ("12桁の数字", "a 12-digit number"),
    "phone": ("電話番号", "a phone number"),
    "postal_code": ("郵便番号", "a postal code"),
    "birth_date": ("生年月日", "a date of birth"),
    "address": ("番地", "a street address"),
    "long_number": ("10桁以上の数字", "a number of 10 or more digits"),
}

MESSAGES = {
    "TALLY_REASON_PERSONAL_DATA": (
        "理由に個人番号・電話番号・メールアドレスのような文字列は書けません（見つかったもの: {found:ja}）。"
        "理由は同期され事務局に届くため、個人を特定する情報（氏名・番号・連絡先）を含めずに書き直してください。"
        "何も記録していません。",
        "The reason cannot contain anything like a My Number, phone number or e-mail address "
        "(found: {found:en}). Reasons are synced to the office, so write it again without anything "
        "that identifies a person (names, numbers, contact details). Nothing was recorded.",
    ),
    "TALLY_REASON_TOO_LONG": (
        "理由は {max} 文字以内で入力してください（{length} 文字）。何も記録していません。",
        "Keep the reason to {max} characters (it has {length}). Nothing was recorded.",
    ),
    "CLOSING_NAME_PERSONAL_DATA": (
        "確認者の欄には現場責任者の氏名だけを書いてください。電話番号・メールアドレス・個人番号のような"
        "文字列は書けません（見つかったもの: {found:ja}）。締めはまだ行っていません。",
        "Write only the supervisor's name. It cannot contain anything like a phone number, e-mail "
        "address or My Number (found: {found:en}). The day has not been closed.",
    ),
    "CLOSING_NAME_NOT_A_NAME": (
        "確認者の欄には現場責任者の氏名を書いてください（{max} 文字以内、数字は {digits} 文字まで）。"
        "締めはまだ行っていません。",
        "Write the supervisor's name ({max} characters at most, no more than {digits} digits). "
        "The day has not been closed.",
    ),
}
register_messages({code: (ja, en) for code, (ja, en) in MESSAGES.items()})


class Findings:
    """The kinds of personal data found, as one message field worded in the language
    of the template that formats it (`{found:ja}` / `{found:en}`), so a message shown
    on screen follows a language switch. Never holds the text that was screened."""

    def __init__(self, kinds) -> None:
        self.kinds = tuple(k for k in KINDS if k in set(kinds))

    def text(self, lang: str = "ja") -> str:
        index = 1 if lang == "en" else 0
        return ("、" if lang != "en" else ", ").join(KINDS[k][index] for k in self.kinds)

    def __format__(self, spec: str) -> str:
        return self.text("en" if spec == "en" else "ja")

    def __str__(self) -> str:
        return self.text("ja")

    def __bool__(self) -> bool:
        return bool(self.kinds)


# ---- the shapes -----------------------------------------------------------------
# After NFKC, full-width digits, letters, ＠ and － are ASCII; the IME's long vowel
# mark ー and dashes typed by Japanese keyboards stay, so they count as hyphens too.
_DASH = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff70"
_SEP = f"[{_DASH} ]"
_DASH_ONLY = f"[{_DASH}]"
_ND = r"(?<!\d)"           # not preceded by a digit
_NA = r"(?!\d)"            # not followed by a digit

# A tally id (UUID) in a reason is ours, not a person's: its hex groups can look like
# digit runs, so ids are taken out before looking.
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_MY_NUMBER = re.compile(rf"{_ND}(?:\d{{12}}|\d{{4}}({_SEP})\d{{4}}\1\d{{4}}){_NA}")
_PHONE_INTL = re.compile(rf"\+81{_SEP}?\(?0?\)?\d{{1,4}}(?:{_SEP}|\)\s?)?\d{{1,4}}{_SEP}?\d{{4}}{_NA}")
_PHONE = re.compile("|".join([
    rf"{_ND}0[2-9]0{_SEP}?\d{{4}}{_SEP}?\d{{4}}{_NA}",                             # 090-1234-5678, 050-…
    rf"{_ND}0\d{{1,4}}(?:{_SEP}|\)\s?)\d{{1,4}}{_SEP}\d{{4}}{_NA}",                # 022-123-4567, 03)1234-5678
    rf"\(0\d{{1,4}}\)\s?\d{{1,4}}{_SEP}?\d{{4}}{_NA}",                              # (022)123-4567
    rf"{_ND}0\d{{1,4}}\(\d{{1,4}}\)\d{{4}}{_NA}",                                   # 022(123)4567
    rf"{_ND}0[1-9]\d{{8}}{_NA}",                                                   # 0223456789
]))
# Numbers of businesses, not of people (free dial, navi dial): not personal data.
_BUSINESS_PREFIXES = ("0120", "0800", "0570", "0990")
_POSTAL = re.compile(rf"〒\s?\d{{3}}(?:{_SEP}?\d{{4}})?{_NA}|{_ND}\d{{3}}{_DASH_ONLY}\d{{4}}{_NA}")
_ADDRESS = re.compile(r"\d+\s?丁目\s?\d+|\d+\s?番地|\d+\s?番\s?\d+\s?号")
_LONG_NUMBER = re.compile(rf"{_ND}\d{{10,}}{_NA}")

_D = r"\s?[./\-年]\s?\d{1,2}\s?[./\-月]\s?\d{1,2}\s?日?"
# Dates only a birth date can be: eras before Reiwa, years of the 1900s.
_OLD_DATE = re.compile(rf"(?:明治|大正|昭和|平成|(?<![A-Za-z0-9])[MTSHmtsh])\s?(?:\d{{1,2}}|元){_D}"
                       rf"|{_ND}19\d{{2}}{_D}")
# Any date, which is a birth date when the text says so (生年月日, 生まれ, "…生").
_ANY_DATE = re.compile(rf"(?:令和|(?<![A-Za-z0-9])[Rr])\s?(?:\d{{1,2}}|元){_D}|{_ND}20\d{{2}}{_D}"
                       rf"|{_ND}\d{{1,2}}[./]\d{{1,2}}[./]\d{{1,2}}{_NA}|{_ND}\d{{1,2}}\s?月\s?\d{{1,2}}\s?日")
_BIRTH_WORD = re.compile(r"生年月日|生まれ|産まれ|誕生|生年")
# "S45.3.2生", but not 生じた / 生活 / 生徒 …
_DATE_THEN_SEI = re.compile(rf"(?:{_ANY_DATE.pattern})\s?生(?![じずぜ活産徒協命涯])")


def normalise(text: str) -> str:
    """NFKC: full-width digits, letters and signs become the ASCII ones."""
    return unicodedata.normalize("NFKC", text or "")


def _is_personal_phone(match: re.Match) -> bool:
    """10 or 11 digits written as a Japanese number (+81 counts as the leading 0),
    and not a business's free-dial or navi-dial number."""
    digits = re.sub(r"\D", "", match.group())
    if match.group().startswith("+81"):
        digits = "0" + digits[2:].lstrip("0")
    return len(digits) in (10, 11) and not digits.startswith(_BUSINESS_PREFIXES)


def find_personal_data(text: str | None) -> Findings:
    """What in `text` looks like a visitor's personal data (kinds only)."""
    work = _UUID.sub(" ", normalise(text))
    found: list[str] = []

    def take(kind: str, pattern: re.Pattern, keep=lambda m: True) -> None:
        nonlocal work
        hits = list(pattern.finditer(work))
        if any(keep(m) for m in hits):
            found.append(kind)
        for m in reversed(hits):  # blank the span so one number is looked at once
            work = work[:m.start()] + " " * (m.end() - m.start()) + work[m.end():]

    take("email", _EMAIL)
    take("phone", _PHONE_INTL, _is_personal_phone)  # +8190… before it reads as 12 digits
    take("my_number", _MY_NUMBER)
    take("phone", _PHONE, _is_personal_phone)
    take("postal_code", _POSTAL)
    take("birth_date", _OLD_DATE)
    if _BIRTH_WORD.search(work):
        take("birth_date", _ANY_DATE)
    take("birth_date", _DATE_THEN_SEI)
    take("address", _ADDRESS)
    take("long_number", _LONG_NUMBER)
    return Findings(found)


def screen_reason(reason: str | None) -> str:
    """The reason as it will be stored (trimmed), or MadoguchiError when it is too long
    or looks like it holds personal data. Empty stays empty: whether a reason is
    required is the caller's rule."""
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise MadoguchiError("TALLY_REASON_TOO_LONG", max=REASON_MAX, length=len(reason))
    found = find_personal_data(reason)
    if found:
        log.info("reason refused: looks like %s", ",".join(found.kinds))
        raise MadoguchiError("TALLY_REASON_PERSONAL_DATA", found=found)
    return reason


def screen_confirmed_by(name: str | None) -> str:
    """The confirming supervisor's name as it will be stored (trimmed). It is printed
    on the daily report, so it may be a name — and nothing else."""
    name = (name or "").strip()
    found = find_personal_data(name)
    if found:
        log.info("closing name refused: looks like %s", ",".join(found.kinds))
        raise MadoguchiError("CLOSING_NAME_PERSONAL_DATA", found=found)
    digits = sum(ch.isdigit() for ch in normalise(name))
    if len(name) > NAME_MAX or digits > NAME_MAX_DIGITS:
        log.info("closing name refused: %d characters, %d digits", len(name), digits)
        raise MadoguchiError("CLOSING_NAME_NOT_A_NAME", max=NAME_MAX, digits=NAME_MAX_DIGITS)
    return name
