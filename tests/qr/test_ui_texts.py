"""Every text of the QR board has its English version (ui/qr_i18n.py)."""
from __future__ import annotations

import re
from pathlib import Path

from ui.qr_i18n import EN, Tr
from ui.qr_points_dialogs import _KINDS

UI = Path(__file__).resolve().parents[2] / "ui"


def board_texts() -> set[str]:
    found = set()
    for path in sorted(UI.glob("qr_*.py")):
        if path.name == "qr_i18n.py":
            continue
        source = path.read_text(encoding="utf-8")
        # t("…") and t("…" "…") (adjacent literals are one text)
        for m in re.finditer(r'\bt\(((?:\s*"(?:[^"\\]|\\.)*"\s*)+)', source):
            found.add("".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1))))
    for title, explanation, primary, _tag in _KINDS.values():
        found |= {title, explanation, primary}
    return found


def test_every_board_text_has_english():
    texts = board_texts()
    assert len(texts) > 60
    missing = sorted(t for t in texts if t not in EN)
    assert missing == []


def test_fields_survive_translation():
    t = Tr("en")
    assert t("この端末の残り {n} 名", n="1,234") == "This laptop: 1,234 left"
    assert Tr("ja")("この端末の残り {n} 名", n="1,234") == "この端末の残り 1,234 名"
    for ja, en in EN.items():
        assert re.findall(r"{(\w+)}", ja) == re.findall(r"{(\w+)}", en) or \
            sorted(re.findall(r"{(\w+)}", ja)) == sorted(re.findall(r"{(\w+)}", en)), ja
