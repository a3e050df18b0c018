"""Turning stored keys into what people read, and fitting labels onto buttons.

Profile and reference labels come from the profile in the chosen language (never
from Qt translations): a new campaign brings its own words.
"""
from __future__ import annotations

import re

from PySide6.QtGui import QFontMetrics

from app import refdata
from app.errors import MadoguchiError
from app.profiles import Profile

# Characters a line must not start with (Japanese line-breaking rules, 禁則).
_NO_LINE_START = set("、。，．・ー）」』】〉》!?）:;,.)]ぁぃぅぇぉっゃゅょァィゥェォッャュョ")
_BREAK_BEFORE = set("（(「『【")


def counter_label(profile: Profile, key: str, lang: str) -> str:
    return profile.counter(key).label(lang) if profile.has_counter(key) else key


def municipality_label(name: str, lang: str) -> str:
    """Stored as the Japanese name; English screens show the romaji name."""
    try:
        return refdata.find_municipality(name).label(lang)
    except MadoguchiError:
        return name


def value_label(profile: Profile, dim: str, value: str, lang: str) -> str:
    try:
        return profile.dimension(dim).value(value).label(lang)
    except KeyError:
        return value


def dims_text(profile: Profile, dims: dict, lang: str) -> str:
    """"30代・オンライン": values only, in the counter's dimension order."""
    return ("・" if lang == "ja" else " / ").join(value_label(profile, d, v, lang) for d, v in dims.items())


def join_list(items, lang: str) -> str:
    return ("、" if lang == "ja" else ", ").join(items)


def paren(text: str, lang: str) -> str:
    """Full-width brackets belong to Japanese text only."""
    return f"（{text}）" if lang == "ja" else f" ({text})"


def with_dims(profile: Profile, counter_key: str, dims: dict, lang: str) -> str:
    """"アンケート回答（30代）": a counter and the values it was tapped with."""
    text = counter_label(profile, counter_key, lang)
    return text + paren(dims_text(profile, dims, lang), lang) if dims else text


def _tokens(text: str) -> list[str]:
    """Words stay whole (English, numbers); Japanese may break between any two
    characters."""
    out: list[str] = []
    for ch in text:
        if out and (ch.isascii() and ch not in " (" and out[-1][-1:].isascii()
                    and out[-1][-1:] not in " "):
            out[-1] += ch
        else:
            out.append(ch)
    return out


# Where a label reads well when broken, best first: at a space or before a
# bracket ("オンライン/（マイナ・アシスト等）"), then also after ・、/.
_NATURAL_BREAKS = (re.compile(r"(?<= )|(?=[（(「])"), re.compile(r"(?<=[・、/ ])|(?=[（(「])"))


def wrap_natural(text: str, metrics: QFontMetrics, width: int, max_lines: int = 2) -> str | None:
    """Break only where a reader expects it ("その他・/回答しない", "オンライン/（…）");
    None when that cannot fit, so the caller can choose a wider button instead of
    printing "宮城野/区"."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    for pattern in _NATURAL_BREAKS:
        lines: list[str] = []
        line = ""
        for seg in (s for s in pattern.split(text) if s):
            if line and metrics.horizontalAdvance((line + seg).rstrip()) > width:
                lines.append(line.rstrip())
                line = seg
            else:
                line += seg
        lines.append(line.rstrip())
        if len(lines) <= max_lines and all(metrics.horizontalAdvance(x) <= width for x in lines):
            return "\n".join(lines)
    return None


def wrap_to_width(text: str, metrics: QFontMetrics, width: int, max_lines: int = 3) -> str:
    """Insert line breaks so each line fits `width` pixels: QPushButton draws
    multi-line text but never wraps by itself. Natural break points first, then
    between any two Japanese characters (never before a closing mark)."""
    if width <= 0 or metrics.horizontalAdvance(text) <= width:
        return text
    natural = wrap_natural(text, metrics, width, max_lines)
    if natural is not None:
        return natural
    toks = _tokens(text)
    lines: list[str] = []
    line = ""
    for i, tok in enumerate(toks):
        if line and tok[0] in _BREAK_BEFORE:
            # Keep a bracketed phrase （…） on one line when it fits on one.
            phrase = _bracket_phrase(toks, i)
            if (metrics.horizontalAdvance(line + phrase) > width
                    and metrics.horizontalAdvance(phrase) <= width):
                lines.append(line.rstrip())
                line = tok
                continue
        candidate = line + tok
        if line and metrics.horizontalAdvance(candidate.rstrip()) > width:
            if tok[0] in _NO_LINE_START and len(line) > 1:  # never start with a closer
                tok, line = line[-1] + tok, line[:-1]
            lines.append(line.rstrip())
            line = tok.lstrip()
        else:
            line = candidate
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines - 1] + ["".join(lines[max_lines - 1:])]
    return "\n".join(lines)


def _bracket_phrase(toks: list[str], start: int) -> str:
    phrase = ""
    for tok in toks[start:]:
        phrase += tok
        if any(c in tok for c in "）)」』】"):
            break
    return phrase
