"""Turning stored keys into what people read, and fitting labels onto buttons.

Profile and reference labels come from the profile in the chosen language (never
from Qt translations): a new campaign brings its own words.
"""
from __future__ import annotations

from PySide6.QtGui import QFontMetrics

from app.profiles import Profile

# Characters a line must not start with (Japanese line-breaking rules, 禁則).
_NO_LINE_START = set("、。，．・ー）」』】〉》!?）:;,.)]ぁぃぅぇぉっゃゅょァィゥェォッャュョ")
_BREAK_BEFORE = set("（(「『【")


def counter_label(profile: Profile, key: str, lang: str) -> str:
    return profile.counter(key).label(lang) if profile.has_counter(key) else key


def value_label(profile: Profile, dim: str, value: str, lang: str) -> str:
    try:
        return profile.dimension(dim).value(value).label(lang)
    except KeyError:
        return value


def dims_text(profile: Profile, dims: dict, lang: str) -> str:
    """"30代・オンライン": values only, in the counter's dimension order."""
    return "・".join(value_label(profile, d, v, lang) for d, v in dims.items())


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


def wrap_to_width(text: str, metrics: QFontMetrics, width: int, max_lines: int = 3) -> str:
    """Insert line breaks so each line fits `width` pixels: QPushButton draws
    multi-line text but never wraps by itself."""
    if width <= 0 or metrics.horizontalAdvance(text) <= width:
        return text
    lines: list[str] = []
    line = ""
    for tok in _tokens(text):
        candidate = line + tok
        if line and metrics.horizontalAdvance(candidate.rstrip()) > width:
            # Prefer breaking before an opening bracket; never start with a closer.
            if tok[0] in _NO_LINE_START and len(line) > 1:
                tok, line = line[-1] + tok, line[:-1]
            lines.append(line.rstrip())
            line = tok.lstrip()
        elif tok[0] in _BREAK_BEFORE and line and \
                metrics.horizontalAdvance(line + _rest_until_close(text, line, tok)) > width:
            lines.append(line.rstrip())
            line = tok
        else:
            line = candidate
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines - 1] + ["".join(lines[max_lines - 1:])]
    return "\n".join(lines)


def _rest_until_close(text: str, line: str, tok: str) -> str:
    """The bracketed phrase starting at `tok`, to keep （…） together when it fits."""
    start = len(line.replace("\n", ""))
    rest = text[start:] if text[start:].startswith(tok) else tok
    for closer in "）)」』】":
        idx = rest.find(closer)
        if idx >= 0:
            return rest[:idx + 1]
    return rest
