"""When the store refuses: a second instance, a damaged file, a full disk."""
from __future__ import annotations

import hashlib
from datetime import datetime

from app import tallies as tl
from app.errors import MadoguchiError
from app.paths import DB_NAME
from app.store import Store
from tests.ui.helpers import (click, count_on_screen, open_day, store_totals, wait_count,
                              wait_idle)

LOCKED_JA = "このデータフォルダは別の Madoguchi が使用中です"


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _wait_fatal(qtbot, window):
    qtbot.waitUntil(lambda: window.fatal_box is not None and window.fatal_box.isVisible())
    return window.fatal_box


def test_second_instance_gets_a_clear_message_and_no_writer(qtbot, launch, data_dir):
    with Store.open(data_dir) as first:  # the booth app already running on this folder
        before = _digest(data_dir / DB_NAME)
        window = launch(data_dir, wait_ready=False)
        box = _wait_fatal(qtbot, window)
        assert box.text().startswith(LOCKED_JA)
        assert str(data_dir) in box.text()
        assert window.start_page is None and window.board is None  # nothing to tap on

        click(qtbot, box.button(box.StandardButton.Ok))
        qtbot.waitUntil(lambda: not window.isVisible())
        assert window.exit_code == 1
        assert _digest(data_dir / DB_NAME) == before
        # The first instance is still the only writer and keeps working.
        first.conn.execute("SELECT 1")
        assert first.query_one("SELECT COUNT(*) AS n FROM device")["n"] == 1


def test_damaged_database_is_reported_and_left_untouched(qtbot, launch, data_dir):
    data_dir.mkdir(parents=True)
    db = data_dir / DB_NAME
    db.write_bytes(b"this is not a database, but someone's data" * 100)
    before = _digest(db)
    window = launch(data_dir, wait_ready=False)
    box = _wait_fatal(qtbot, window)
    assert "データベースファイルが壊れているか" in box.text()
    assert "そのまま残してあります" in box.text()
    click(qtbot, box.button(box.StandardButton.Ok))
    qtbot.waitUntil(lambda: not window.isVisible())
    assert _digest(db) == before


def _fill_the_disk(qtbot, window) -> int:
    """Cap the worker's database at its current size, then use up the free space
    inside its pages, so the very next row cannot be written (SQLITE_FULL)."""
    opening_id = window.board.state.opening.id
    result = {}

    def fill(store: Store) -> int:
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")
        for _ in range(10_000):
            try:
                tl.tap(store, opening_id, "visitors", now=datetime.now().astimezone())
            except MadoguchiError as exc:
                assert exc.code == "DISK_FULL"
                break
        return tl.totals(store, opening_id)["visitors"]["total"]
    window.worker.submit(fill, on_done=lambda n: result.setdefault("n", n))
    qtbot.waitUntil(lambda: "n" in result)
    window.refresh_board()
    wait_count(qtbot, window, "visitors", f"{result['n']:,}")
    return result["n"]


def test_tap_on_a_full_disk_is_not_acknowledged(qtbot, launch, data_dir):
    window = launch(data_dir)
    open_day(qtbot, window)
    click(qtbot, window.board.pad.buttons["smartphone_help"])
    wait_count(qtbot, window, "smartphone_help", "1")
    visitors = _fill_the_disk(qtbot, window)
    window.statusBar().clearMessage()

    click(qtbot, window.board.pad.buttons["smartphone_help"])
    qtbot.waitUntil(lambda: window.banner.isVisible())
    assert window.banner.text().startswith("ディスクの空きがないため記録できませんでした。")
    wait_idle(qtbot, window)
    assert count_on_screen(window, "smartphone_help") == "1"
    assert not window.statusBar().currentMessage().startswith("記録しました")
    totals = store_totals(data_dir, window.board.state.opening.id)
    assert totals["smartphone_help"]["total"] == 1 and totals["visitors"]["total"] == visitors


def test_card_on_a_full_disk_keeps_the_choices_for_a_retry(qtbot, launch, data_dir):
    window = launch(data_dir)
    open_day(qtbot, window)
    _fill_the_disk(qtbot, window)
    card = window.board.card
    click(qtbot, card.picker.button("age_band", "70s"))
    click(qtbot, card.picker.button("method", "paper"))
    click(qtbot, card.record_button)
    qtbot.waitUntil(lambda: window.banner.isVisible())
    assert "ディスクの空きがない" in window.banner.text()
    wait_idle(qtbot, window)
    assert count_on_screen(window, "application") == "0"
    assert card.picker.values() == {"age_band": "70s", "method": "paper"}
    assert card.record_button.isEnabled()  # the worker can press again once space is freed
    assert store_totals(data_dir, window.board.state.opening.id)["application"]["total"] == 0
