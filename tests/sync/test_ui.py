"""The booth's sync strip and settings dialog: real widgets offscreen, a real hub on
loopback, the real background worker."""
from __future__ import annotations

import dataclasses
from datetime import timedelta
from functools import partial

import pytest
from PySide6.QtCore import Qt

from app.store import Store
from sync import booth
from sync.client import utc_now
from sync.loop import SyncLoop
from sync.state import SyncState
from tests.sync.helpers import ThreadHub, open_day, tap_n
from ui.sync_settings import SyncSettingsDialog
from ui.sync_status import SyncStatusWidget

OFFSCREEN_NOISE = (r"^This plugin does not support "
                   r"(propagateSizeHints\(\)|raise\(\)|grabbing the (keyboard|mouse))$")
pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
WAIT_MS = 15_000
FAST = partial(SyncLoop, poll=0.05, base=0.05, cap=0.2, timeout=2, heartbeat=3600)


@pytest.fixture(autouse=True)
def booth_look(qapp):
    from ui.app import setup_application
    from ui.i18n import install_language
    setup_application(qapp, "ja")
    yield
    install_language("ja")


@pytest.fixture
def sqlite_hub(tmp_path):
    server = ThreadHub(f"sqlite:///{tmp_path / 'hub.sqlite3'}").start()
    yield server
    server.stop()


def strip(qtbot, data, **loop_kw) -> SyncStatusWidget:
    widget = SyncStatusWidget(data, "ja", loop_factory=partial(FAST, **loop_kw))
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_not_configured_says_so_and_offers_settings(qtbot, tmp_path):
    data = tmp_path / "booth"
    Store.open(data).close()
    widget = strip(qtbot, data)
    try:
        qtbot.waitUntil(lambda: widget.state_label.text() == "同期：ハブ未設定", timeout=WAIT_MS)
        assert not widget.now_button.isEnabled() and widget.settings_button.isEnabled()
    finally:
        widget.shutdown()


def test_pending_error_then_sync_now(qtbot, tmp_path, sqlite_hub):
    data = tmp_path / "booth"
    with Store.open(data) as store:
        opening = open_day(store)
    booth.enrol(data, hub_url=sqlite_hub.url, code=sqlite_hub.code())
    booth.save_settings(data, hub_url="http://127.0.0.1:9")  # nothing listens there
    widget = strip(qtbot, data)
    try:
        with Store.open(data) as store:
            tap_n(store, opening.id, 4)
            qtbot.waitUntil(lambda: widget.pending_label.text() == "未送信 5 件"
                            and widget.error_label.isVisible(), timeout=WAIT_MS)
            # Japanese message, cut to fit, and the stable code the office asks for, always whole.
            assert widget.error_text().startswith("同期エラー：ハブに接続できません")
            assert widget.error_text().endswith(" (SYNC_HUB_UNREACHABLE)") and widget.code_label.isVisible()
            assert "記録は端末に残っており" in widget.error_label.toolTip()
            assert widget.error_label.toolTip().endswith("（エラーコード：SYNC_HUB_UNREACHABLE）")
            # Between retries the error stands in for the state ("同期：未接続" says less).
            widget.apply_status(dataclasses.replace(widget.status, busy=False))
            assert not widget.state_label.isVisible() and widget.code_label.isVisible()
            widget.apply_status(dataclasses.replace(widget.status, busy=True))
            assert widget.state_label.text() == "同期中…" and widget.state_label.isVisible()
            assert widget.last_label.text() == "最終同期 —"
            booth.save_settings(data, hub_url=sqlite_hub.url)  # the network is back
            qtbot.mouseClick(widget.now_button, Qt.MouseButton.LeftButton)
            # (a retry under way when the button was pressed is followed by one more pass:
            # wait for the strip to settle on "済")
            qtbot.waitUntil(lambda: widget.pending_label.text() == "未送信 0 件"
                            and not widget.error_label.isVisible()
                            and widget.state_label.text() == "同期：済", timeout=WAIT_MS)
            assert widget.state_label.isVisible()
            assert not widget.code_label.isVisible()
            assert widget.last_label.text() != "最終同期 —"
            assert sqlite_hub.row_count() == 5
    finally:
        widget.shutdown()


def test_clock_skew_over_two_minutes_is_flagged(qtbot, tmp_path, sqlite_hub):
    data = tmp_path / "booth"
    with Store.open(data) as store:
        tap_n(store, open_day(store).id, 1)
    booth.enrol(data, hub_url=sqlite_hub.url, code=sqlite_hub.code())
    widget = strip(qtbot, data, clock=lambda: utc_now() + timedelta(minutes=5))
    try:
        qtbot.waitUntil(lambda: widget.skew_label.isVisible(), timeout=WAIT_MS)
        assert widget.skew_label.text() == "時計が 5 分進んでいます"
        assert widget.skew_label.toolTip() == "この端末の時計がハブより 5 分進んでいます。時刻を確認してください。"
    finally:
        widget.shutdown()


@pytest.mark.parametrize("hub_offset, shown", [
    (timedelta(seconds=110), None), (timedelta(seconds=-110), None),  # under 2 minutes: nothing to say
    (timedelta(minutes=5), "時計が 5 分遅れています"), (timedelta(minutes=-5), "時計が 5 分進んでいます")])
def test_the_hubs_date_header_decides_the_clock_warning(qtbot, tmp_path, hub_offset, shown):
    """A real hub whose Date header is off by `hub_offset` (the laptop's clock is
    right): a skew under 2 minutes shows no warning, over 2 minutes it does."""
    server = ThreadHub(f"sqlite:///{tmp_path / 'hub.sqlite3'}", clock_offset=hub_offset).start()
    data = tmp_path / "booth"
    try:
        with Store.open(data) as store:
            tap_n(store, open_day(store).id, 1)
        booth.enrol(data, hub_url=server.url, code=server.code())
        widget = strip(qtbot, data)
        try:
            qtbot.waitUntil(lambda: widget.state_label.text() == "同期：済" and widget.status is not None
                            and widget.status.clock_skew_seconds is not None, timeout=WAIT_MS)
            measured = widget.status.clock_skew_seconds
            assert abs(measured - hub_offset.total_seconds()) <= 2, measured  # the hub's Date was read
            assert widget.skew_label.isVisible() == (shown is not None)
            if shown:
                assert widget.skew_label.text() == shown
            assert not widget.error_label.isVisible()
        finally:
            widget.shutdown()
    finally:
        server.stop()


def test_settings_dialog_enrols_with_a_typed_code(qtbot, tmp_path, sqlite_hub):
    data = tmp_path / "booth"
    Store.open(data).close()
    dialog = SyncSettingsDialog(data, "ja")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.enrolled_label.text() == "未登録"
    qtbot.keyClicks(dialog.url_edit, sqlite_hub.url)
    qtbot.keyClicks(dialog.code_edit, "0000-0000-0000")
    qtbot.mouseClick(dialog.enrol_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "登録コードが正しくない" in dialog.message.text(), timeout=WAIT_MS)
    assert dialog.enrol_button.isEnabled() and SyncState(data).device_token() is None

    dialog.code_edit.clear()
    qtbot.keyClicks(dialog.code_edit, sqlite_hub.code("大崎-3").lower())
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.enrol_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "登録しました（ハブでの端末名：大崎-3）。"
    assert dialog.enrolled_label.text().startswith("登録済み")
    assert SyncState(data).device_token().startswith("mdgd_")


def test_settings_dialog_refuses_a_bad_url_and_a_missing_ca_file(qtbot, tmp_path):
    data = tmp_path / "booth"
    Store.open(data).close()
    dialog = SyncSettingsDialog(data, "ja", scan=lambda: "madoguchi://enrol?code=AAAA-BBBB-CCCC&hub=https%3A%2F%2Fhub.example.jp")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.scan_button, Qt.MouseButton.LeftButton)
    assert dialog.url_edit.text() == "https://hub.example.jp" and "AAAA-BBBB-CCCC" in dialog.code_edit.text()
    dialog.ca_edit.setText(str(tmp_path / "missing.pem"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "CA 証明書ファイル" in dialog.message.text()
    dialog.ca_edit.clear()
    dialog.url_edit.setText("hub.example.jp")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "URL" in dialog.message.text() and "http" in dialog.message.text()
    assert booth.read_status(data).hub_url is None


def test_the_strip_speaks_english_too(qtbot, tmp_path):
    from ui.i18n import install_language
    install_language("en")
    data = tmp_path / "booth"
    Store.open(data).close()
    widget = SyncStatusWidget(data, "en", loop_factory=FAST)
    qtbot.addWidget(widget)
    try:
        assert widget.now_button.text() == "Sync now"
        qtbot.waitUntil(lambda: widget.state_label.text() == "Sync: no hub set", timeout=WAIT_MS)
        assert widget.pending_label.text() == "0 unsent"
    finally:
        widget.shutdown()


def test_language_switch_relabels_the_strip(qtbot, tmp_path):
    from ui.i18n import install_language
    data = tmp_path / "booth"
    Store.open(data).close()
    widget = strip(qtbot, data)
    try:
        qtbot.waitUntil(lambda: widget.state_label.text() == "同期：ハブ未設定", timeout=WAIT_MS)
        install_language("en")
        widget.set_language("en")
        assert (widget.now_button.text(), widget.state_label.text()) == ("Sync now", "Sync: no hub set")
    finally:
        widget.shutdown()


def test_a_lost_key_file_shows_as_the_error(qtbot, tmp_path, sqlite_hub):
    data = tmp_path / "booth"
    Store.open(data).close()
    booth.enrol(data, hub_url=sqlite_hub.url, code=sqlite_hub.code())
    SyncState(data).key_path.unlink()
    widget = strip(qtbot, data)
    try:
        qtbot.waitUntil(lambda: widget.error_label.isVisible(), timeout=WAIT_MS)
        assert "もう一度登録" in widget.error_label.toolTip()
        text = widget.error_text()
        assert text.startswith("同期エラー：保存されている") and "…" in text, text
        assert text.endswith("… (SYNC_SECRET_UNREADABLE)"), text  # the message is cut, the code is not
        from ui.i18n import install_language
        install_language("en")
        widget.set_language("en")
        text = widget.error_text()
        assert text.startswith("Sync error: The stored device key"), text
        assert text.endswith(" (SYNC_SECRET_UNREADABLE)"), text
    finally:
        widget.shutdown()
