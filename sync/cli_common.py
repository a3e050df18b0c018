"""What the sync commands (sync.cli_booth, sync.cli_hub, sync.cli_office) share: the
admin token's environment variable, the clock, JSON output, and text in two
languages — Japanese by default, English with --lang en. Errors go through
app.errors like every other command's.
"""
from __future__ import annotations

import json
import unicodedata
from datetime import datetime, timedelta, timezone

import sync.errors  # noqa: F401  (registers the SYNC_* messages the commands raise)

TOKEN_ENV = "MADOGUCHI_HUB_TOKEN"
# The hub stores UTC; people in the office read Japan time (no daylight saving).
JST = timezone(timedelta(hours=9), "JST")


def now() -> datetime:
    return datetime.now(timezone.utc)


def print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def lang_of(args) -> str:
    return getattr(args, "lang", None) or "ja"


def pick(pair: tuple[str, str], lang: str) -> str:
    """(Japanese, English): English only with --lang en."""
    return pair[1] if lang == "en" else pair[0]


def say(texts: dict[str, tuple[str, str]], lang: str, key: str, **values) -> str:
    return pick(texts[key], lang).format(**values)


def word(words: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    """A status word in the reader's language; a value this version does not know, as it is."""
    return pick(words[key], lang) if key in words else key


def office_time(text: str | None) -> str | None:
    """A stored UTC time as the office reads it: "2026-11-26 16:32 JST". Anything
    that is not a time is shown as it is."""
    if not text:
        return text
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(JST).strftime("%Y-%m-%d %H:%M %Z")


def headers(columns, lang: str) -> list[str]:
    return [pick(c, lang) for c in columns]


def _width(text: str) -> int:
    """Columns a terminal gives the text: a full-width (Japanese) character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(header: list[str], rows: list[list], *, right: set[int] = frozenset()) -> str:
    """Plain-text columns that line up with Japanese text too; the columns named in
    `right` (numbers) are aligned right. None is shown as "-"."""
    cells = [header, *[["-" if v is None else str(v) for v in row] for row in rows]]
    widths = [max(_width(line[i]) for line in cells) for i in range(len(header))]
    out = []
    for line in cells:
        padded = []
        for i, value in enumerate(line):
            gap = " " * (widths[i] - _width(value))
            padded.append(gap + value if i in right else value + gap)
        out.append("  ".join(padded).rstrip())
    return "\n".join(out)
