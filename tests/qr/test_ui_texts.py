"""The QR UI's English comes from Qt translation (resources/i18n/qr_en.ts): every
text of the ui/qr_*.py files is in it, and the {fields} the code fills in survive
translation (a missing field would raise KeyError at runtime, in English only).
tests/ui/test_language.py checks the same file against lupdate for finished
translations and a .qm that matches its .ts."""
from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.conftest import require_tool

ROOT = Path(__file__).resolve().parents[2]
QR_TS = ROOT / "resources" / "i18n" / "qr_en.ts"


def messages(ts: Path) -> dict[tuple[str, str], str]:
    out = {}
    for context in ET.parse(ts).getroot().iter("context"):
        for msg in context.iter("message"):
            tr = msg.find("translation")
            if tr.get("type") not in ("vanished", "obsolete"):
                out[(context.findtext("name"), msg.findtext("source"))] = tr.text or ""
    return out


def test_qr_texts_are_all_in_the_qr_translation_file(tmp_path):
    lupdate = require_tool(str(Path(sys.executable).parent / "pyside6-lupdate"))
    used = tmp_path / "qr_used.ts"
    sources = sorted(str(p) for p in (ROOT / "ui").glob("qr_*.py"))
    subprocess.run([lupdate, *sources, "-locations", "none", "-ts", str(used)],
                   check=True, capture_output=True)
    wanted = set(messages(used))
    committed = messages(QR_TS)
    assert len(wanted) > 100
    assert sorted(wanted - set(committed)) == []
    assert sorted(set(committed) - wanted) == []  # nothing left over in the QR file


def test_fields_survive_translation():
    for (context, source), english in messages(QR_TS).items():
        assert sorted(re.findall(r"{(\w+)}", source)) == sorted(re.findall(r"{(\w+)}", english)), \
            f"{context}: {source!r}"


def test_the_visitor_display_english_comes_from_the_qr_file(booth_look):
    from ui.qr_visitor import ENDED_HERE_TEXT, ENDED_TEXT, REMAINING, english

    assert english(ENDED_TEXT) == "Today's distribution has ended"
    assert english(ENDED_HERE_TEXT) == "This booth has finished handing out points"
    assert english(REMAINING).format(n="1,234") == "1,234 left at this booth"
    assert english("会場でお配りしている独自のキャプション") == ""  # typed by staff: no English line
