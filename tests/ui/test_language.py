"""Japanese by default, English on request, remembered in the data folder; and the
compiled translations match their source."""
from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import require_tool

from app.settings import load_settings
from tests.ui.helpers import click, open_day, wait_count, wait_for_board
from ui.app import choose_language
from ui.i18n import QM_FILE, TS_FILE

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def test_switching_to_english_relabels_the_board_and_is_remembered(qtbot, launch, data_dir):
    window = launch(data_dir)
    open_day(qtbot, window)
    click(qtbot, window.board.pad.buttons["visitors"])
    wait_count(qtbot, window, "visitors", "1")
    assert window.board.card.record_button.text() == "記録"

    window.lang_actions["en"].trigger()
    qtbot.waitUntil(lambda: window.board.card.record_button.text() == "Record")
    board = window.board
    assert board.pad.buttons["application"].name_label.text() == "Card applications supported"
    assert board.card.picker.button("age_band", "80plus").text().replace("\n", " ") == "80 and over"
    assert board.undo_last_button.text() == "↶ Undo the last record"
    assert board.close_button.text() == "Close the day…"
    assert "Natori City (Sendai)" in board.header.text()
    wait_count(qtbot, window, "visitors", "1")  # same day, same numbers
    assert [a.text() for a in window.menuBar().actions()] == ["Today", "Reports", "Settings", "言語 / Language"]
    assert load_settings(data_dir).lang == "en"

    # The next start comes up in English without asking again.
    window.close()
    again = launch(data_dir, choose_language(None, load_settings(data_dir).lang))
    assert again.start_page.open_button.text() == "Start"
    assert again.start_page.region_label.text().startswith("— (shown once")

    again.lang_actions["ja"].trigger()
    qtbot.waitUntil(lambda: again.start_page.open_button.text() == "開始する")
    assert load_settings(data_dir).lang == "ja"


def test_language_switch_keeps_what_was_typed_on_the_start_form(qtbot, launch, data_dir):
    from tests.ui.helpers import fill_start_form

    window = launch(data_dir)
    fill_start_form(qtbot, window, venue="名取市文化会館", municipality="名取市", staff=4)
    window.lang_actions["en"].trigger()
    qtbot.waitUntil(lambda: window.start_page.open_button.text() == "Start")
    page = window.start_page
    assert page.venue_edit.text() == "名取市文化会館"
    assert page.region_label.text() == "Sendai"
    assert page.staff_spin.value() == 4
    click(qtbot, page.open_button)
    wait_for_board(qtbot, window)
    assert window.board.state.opening.municipality == "名取市"


def _tool(name: str) -> Path:
    path = BIN / name
    if not path.exists():
        path = Path(require_tool(name))  # fails under CI=true, skips elsewhere
    return path


def test_compiled_translations_match_the_ts_files(tmp_path):
    ts_files = sorted(TS_FILE.parent.glob("*_en.ts"))
    assert TS_FILE in ts_files
    for ts in ts_files:
        out = tmp_path / ts.with_suffix(".qm").name
        subprocess.run([str(_tool("pyside6-lrelease")), str(ts), "-qm", str(out)],
                       check=True, capture_output=True)
        committed = ts.with_suffix(".qm")
        assert committed.exists() and out.read_bytes() == committed.read_bytes(), \
            f"{committed.name} is stale: run pyside6-lrelease on {ts.name}"


def _messages(ts: Path) -> dict[tuple[str, str], tuple[str | None, str]]:
    out = {}
    for context in ET.parse(ts).getroot().iter("context"):
        for msg in context.iter("message"):
            tr = msg.find("translation")
            out[(context.findtext("name"), msg.findtext("source"))] = (tr.get("type"), (tr.text or "").strip())
    return out


def test_every_ui_string_has_an_english_translation(tmp_path):
    """lupdate over ui/ into an empty file lists every string the code uses; each needs
    a finished translation in one of the committed *_en.ts files, and no committed
    entry may be left over from a string the code no longer uses."""
    used_ts = tmp_path / "used_en.ts"
    sources = sorted(str(p) for p in (ROOT / "ui").glob("*.py"))
    subprocess.run([str(_tool("pyside6-lupdate")), *sources, "-locations", "none", "-ts", str(used_ts)],
                   check=True, capture_output=True)
    used = set(_messages(used_ts))
    committed: dict[tuple[str, str], tuple[str | None, str]] = {}
    for ts in sorted(TS_FILE.parent.glob("*_en.ts")):
        committed.update({k: v for k, v in _messages(ts).items() if v[0] not in ("vanished", "obsolete")})
    problems = [f"{c}: {s!r} has no English translation" for c, s in sorted(used)
                if (c, s) not in committed or committed[(c, s)][0] == "unfinished" or not committed[(c, s)][1]]
    problems += [f"{c}: {s!r} is translated but no longer used" for c, s in sorted(set(committed) - used)]
    assert not problems, "update resources/i18n/*_en.ts:\n" + "\n".join(problems)
