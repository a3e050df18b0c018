"""Breaking report text into lines that fit a width: Japanese may break between any
two characters (except before closing punctuation, 禁則), Latin words and numbers
stay whole unless a single word is wider than the line."""
from __future__ import annotations

from collections.abc import Callable

Measure = Callable[[str, float], float]

# Characters a line must not start with.
_NO_LINE_START = set("、。，．・ー）」』】〉》！？：；,.)]!?%％ぁぃぅぇぉっゃゅょァィゥェォッャュョ")

# Characters a line must not end with.
_NO_LINE_END = set("（「『【〈《([")


def tokens(text: str) -> list[str]:
    out: list[str] = []
    for ch in text:
        joinable = ch.isascii() and not ch.isspace()
        if out and joinable and out[-1].isascii() and not out[-1][-1].isspace():
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _split_long(token: str, width: float, size: float, measure: Measure) -> list[str]:
    parts, cur = [], ""
    for ch in token:
        if cur and measure(cur + ch, size) > width:
            parts.append(cur)
            cur = ch
        else:
            cur += ch
    return parts + ([cur] if cur else [])


def wrap(text: str, width: float, size: float, measure: Measure) -> list[str]:
    """Lines of `text` each at most `width` wide (a single character wider than the
    width still gets its own line rather than being dropped)."""
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        line = ""
        for tok in tokens(paragraph):
            if measure(line + tok, size) <= width or not line.strip():
                if not line.strip() and measure(tok, size) > width:
                    pieces = _split_long(tok, width, size, measure)
                    lines += pieces[:-1]
                    line = pieces[-1]
                else:
                    line += tok
                continue
            if tok[0] in _NO_LINE_START and len(line) > 1:
                tok, line = line[-1] + tok, line[:-1]  # carry one char over: no closer first
            while len(line) > 1 and line[-1] in _NO_LINE_END:  # and no opener last
                tok, line = line[-1] + tok, line[:-1]
            lines.append(line.rstrip())
            tok = tok.lstrip()
            if measure(tok, size) > width:
                pieces = _split_long(tok, width, size, measure)
                lines += pieces[:-1]
                tok = pieces[-1]
            line = tok
        lines.append(line.rstrip())
    return lines
