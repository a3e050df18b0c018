"""The booth's outbox: acknowledgements survive restarts, pushing works while the app
holds the store, the CLI's exit codes, a restored store, and the background worker's
backoff."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta

import pytest

from app.errors import MadoguchiError
from app.store import Store
from sync import booth
from sync.loop import SyncLoop, full_jitter
from sync.pgtemp import free_port
from tests.sync.helpers import ROOT, ThreadHub, booth_rows, hub_rows, open_day, tap_n


def cli(data, *args: str) -> subprocess.CompletedProcess:
    """`python main.py` in its own process, as a script on the laptop would run it."""
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", str(data), *args],
                          capture_output=True, text=True, encoding="utf-8", timeout=120, cwd=ROOT)


@pytest.fixture
def sqlite_hub(tmp_path):
    server = ThreadHub(f"sqlite:///{tmp_path / 'hub.sqlite3'}").start()
    yield server
    server.stop()


def test_push_from_the_cli_while_the_app_holds_the_store(sqlite_hub, tmp_path):
    data = tmp_path / "booth"
    with Store.open(data) as app_store:  # the booth app is running and tapping
        opening = open_day(app_store)
        tap_n(app_store, opening.id, 3)
        code = sqlite_hub.code("岩沼-1")
        enrolled = cli(data, "sync", "enrol", "--hub", sqlite_hub.url, "--code", code)
        assert enrolled.returncode == 0, enrolled.stderr
        pushed = cli(data, "sync", "push", "--json")
        assert pushed.returncode == 0, pushed.stderr
        assert json.loads(pushed.stdout)["stored"] == 4
        tap_n(app_store, opening.id, 2)
        status = json.loads(cli(data, "sync", "status", "--json").stdout)
        assert status["pending"] == 2 and status["last_success_at"] and status["enrolled"]
        assert cli(data, "sync", "push").returncode == 0
    assert {(t, i): h for t, i, h in hub_rows(sqlite_hub.hub)} == booth_rows(data)


def test_acknowledgements_survive_a_restart(sqlite_hub, tmp_path):
    data = tmp_path / "booth"
    with Store.open(data) as store:
        tap_n(store, open_day(store).id, 4)
    booth.enrol(data, hub_url=sqlite_hub.url, code=sqlite_hub.code())
    assert booth.push_pending(data).stored == 5
    # A new process knows nothing was left: status from disk, and a push sends nothing.
    status = json.loads(cli(data, "sync", "status", "--json").stdout)
    assert (status["pending"], status["acked_seq"], status["head_seq"]) == (0, 5, 5)
    again = json.loads(cli(data, "sync", "push", "--json").stdout)
    assert again["pushed"] == 0


def test_push_exit_codes_and_japanese_errors(tmp_path):
    data = tmp_path / "booth"
    with Store.open(data) as store:
        tap_n(store, open_day(store).id, 1)
    not_set = cli(data, "sync", "push")
    assert not_set.returncode == 2 and "SYNC_NOT_CONFIGURED" in not_set.stderr and "ハブ" in not_set.stderr
    dead = f"http://127.0.0.1:{free_port()}"
    booth.save_settings(data, hub_url=dead)
    assert cli(data, "sync", "push").returncode == 2  # configured, not enrolled
    bad_url = cli(data, "sync", "enrol", "--hub", "ftp://x", "--code", "ABCD-EFGH-JKMN")
    assert bad_url.returncode == 2 and "SYNC_URL_INVALID" in bad_url.stderr
    unreachable = cli(data, "sync", "enrol", "--hub", dead, "--code", "ABCD-EFGH-JKMN")
    assert unreachable.returncode == 2 and "SYNC_HUB_UNREACHABLE" in unreachable.stderr
    status = cli(data, "--lang", "en", "sync", "status")
    assert "pending rows: 2" in status.stdout


def test_unreachable_hub_is_recorded_for_the_status(sqlite_hub, tmp_path):
    data = tmp_path / "booth"
    with Store.open(data) as store:
        tap_n(store, open_day(store).id, 1)
    booth.enrol(data, hub_url=sqlite_hub.url, code=sqlite_hub.code())
    booth.save_settings(data, hub_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(MadoguchiError) as exc:
        booth.push_pending(data, timeout=2)
    status = booth.read_status(data)
    assert status.pending == 2 and status.last_success_at is None
    assert status.last_error["code"] == "SYNC_HUB_UNREACHABLE" == exc.value.code
    assert "ハブに接続できません" in status.error_message("ja")
    booth.save_settings(data, hub_url=sqlite_hub.url)
    booth.push_pending(data)
    assert booth.read_status(data).last_error is None


def test_a_store_restored_from_backup_is_sent_again_and_clashes_are_reported(sqlite_hub, tmp_path):
    data = tmp_path / "booth"
    with Store.open(data) as store:
        opening = open_day(store)
        tap_n(store, opening.id, 4)
    shutil.copytree(data, tmp_path / "backup", ignore=shutil.ignore_patterns("sync.*", "*.lock"))
    booth.enrol(data, hub_url=sqlite_hub.url, code=sqlite_hub.code())
    with Store.open(data) as store:
        tap_n(store, opening.id, 3)
    assert booth.push_pending(data).stored == 8
    # The laptop's disk is restored from the backup and the booth records again:
    # seqs 6-8 now hold other rows than the hub has.
    (data / "madoguchi.sqlite3").unlink()
    shutil.copy(tmp_path / "backup" / "madoguchi.sqlite3", data / "madoguchi.sqlite3")
    with Store.open(data) as store:
        tap_n(store, opening.id, 3, age="60s")
    result = cli(data, "sync", "push", "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["duplicates"] == 5 and [c["problem"] for c in report["conflicts"]] == ["seq_conflict"] * 3
    assert "受け付けられませんでした" in result.stderr
    assert len(sqlite_hub.hub.conflicts()) == 3
    assert booth.read_status(data).conflicts == 3


def test_full_jitter_stays_within_the_cap():
    assert full_jitter(1, 2, 180, rand=lambda: 1.0) == 2
    assert full_jitter(4, 2, 180, rand=lambda: 1.0) == 16
    assert full_jitter(30, 2, 180, rand=lambda: 1.0) == 180
    assert full_jitter(5, 2, 180, rand=lambda: 0.0) == 0


def test_background_worker_backs_off_then_catches_up(tmp_path):
    hub_db = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    server = ThreadHub(hub_db).start()
    data = tmp_path / "booth"
    with Store.open(data) as store:
        opening = open_day(store)
    booth.enrol(data, hub_url=server.url, code=server.code())
    port = server.port
    server.stop()  # the hub goes away
    statuses = []
    loop = SyncLoop(data, statuses.append, poll=0.05, base=0.05, cap=0.2, timeout=1, heartbeat=3600)
    loop.start()
    try:
        with Store.open(data) as store:
            tap_n(store, opening.id, 5)
            deadline = time.monotonic() + 20
            while len(loop.delays) < 4 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert len(loop.delays) >= 4 and all(0 <= d <= 0.2 for d in loop.delays)
            assert statuses[-1].pending == 6 and statuses[-1].last_error["code"] == "SYNC_HUB_UNREACHABLE"
            # The hub is back on the same address; "sync now" does not wait for the backoff.
            again = ThreadHub(hub_db)
            again.port, again.url = port, f"http://127.0.0.1:{port}"
            again.server.config.port = port
            again.start()
            try:
                loop.sync_now()
                deadline = time.monotonic() + 20
                while not (statuses and statuses[-1].pending == 0 and statuses[-1].last_error is None):
                    assert time.monotonic() < deadline
                    time.sleep(0.05)
                tap_n(store, opening.id, 1)  # new taps go out on their own
                deadline = time.monotonic() + 20
                while len(hub_rows(again.hub)) < 7:
                    assert time.monotonic() < deadline
                    time.sleep(0.05)
            finally:
                loop.stop()
                again.stop()
    finally:
        loop.stop()
    assert loop.attempt == 0


def test_tls_hub_with_a_private_ca(tmp_path):
    """The hub on HTTPS (uvicorn's certificate options); the laptop trusts it only
    through the CA file set in the sync settings."""
    from tests.sync.helpers import make_tls
    ca, cert, key = make_tls(tmp_path / "tls")
    server = ThreadHub(f"sqlite:///{tmp_path / 'hub.sqlite3'}", tls=(cert, key)).start()
    try:
        data = tmp_path / "booth"
        with Store.open(data) as store:
            tap_n(store, open_day(store).id, 2)
        with pytest.raises(MadoguchiError) as exc:
            booth.enrol(data, hub_url=server.url, code=server.code())
        assert exc.value.code == "SYNC_TLS_FAILED"
        booth.enrol(data, hub_url=server.url, code=server.code(), ca_cert=str(ca))
        assert booth.push_pending(data).stored == 3
        assert booth.read_status(data).ca_cert == str(ca)
    finally:
        server.stop()


def test_pipelined_batches_are_acknowledged_only_in_order(sqlite_hub, tmp_path, monkeypatch):
    """Several batches are under way at once; when one fails, the watermark stays
    before it even if later ones were stored, and the next pass sends the rest
    (the hub takes the already-stored ones as no-ops)."""
    from sync.hub import Hub
    from sync.state import SyncState

    data = tmp_path / "booth"
    with Store.open(data) as store:
        tap_n(store, open_day(store).id, 11)  # 12 rows: six batches of two
    booth.enrol(data, hub_url=sqlite_hub.url, code=sqlite_hub.code())
    real = Hub.push_body
    stored_later = []

    def second_fails(hub, device_id, body, now):
        if b'"seq":3,' in body:  # the second batch (rows 3 and 4)
            time.sleep(0.3)  # the batches after it overtake it
            raise MadoguchiError("SYNC_BUSY")
        stored_later.append(b'"seq":5,' in body)
        return real(hub, device_id, body, now)
    monkeypatch.setattr(Hub, "push_body", second_fails)
    with pytest.raises(MadoguchiError) as failed:
        booth.push_pending(data, batch_rows=2)
    assert failed.value.code == "SYNC_BUSY"
    with Store.open(data, read_only=True) as store:
        assert SyncState(data).watermark(store.device_id)[0] == 2  # only the first batch counts
    assert any(stored_later)  # rows 5 and 6 reached the hub all the same
    monkeypatch.setattr(Hub, "push_body", real)
    again = booth.push_pending(data, batch_rows=2)
    assert again.pending == 0 and again.pushed == 10 and again.duplicates >= 2 and again.conflicts == []
    assert {(t, i): h for t, i, h in hub_rows(sqlite_hub.hub)} == booth_rows(data)


def test_a_hub_that_refuses_the_batch_size_gets_smaller_batches(sqlite_hub, tmp_path, monkeypatch):
    from sync.hub import Hub

    data = tmp_path / "booth"
    with Store.open(data) as store:
        tap_n(store, open_day(store).id, 9)
    booth.enrol(data, hub_url=sqlite_hub.url, code=sqlite_hub.code())
    real = Hub.push_body

    def at_most_three(hub, device_id, body, now):
        if body.count(b'"hash":') > 3:  # limits lowered after the laptop read /v1/health
            raise MadoguchiError("SYNC_BATCH_TOO_LARGE", limit=3, count=body.count(b'"hash":'))
        return real(hub, device_id, body, now)
    monkeypatch.setattr(Hub, "push_body", at_most_three)
    report = booth.push_pending(data, batch_rows=8)
    assert report.pending == 0 and report.stored + report.duplicates == 10 and report.conflicts == []
    assert {(t, i): h for t, i, h in hub_rows(sqlite_hub.hub)} == booth_rows(data)


@pytest.mark.parametrize("seconds, warned", [(110, False), (-110, False), (300, True), (-300, True)])
def test_sync_status_warns_about_the_clock_only_past_two_minutes(tmp_path, capsys, seconds, warned):
    """A real hub whose Date header is off by `seconds`; `sync status` (text and JSON)
    warns only when the laptop's clock is more than 2 minutes off."""
    from datetime import timedelta

    from app.cli import run
    server = ThreadHub(f"sqlite:///{tmp_path / 'hub.sqlite3'}", clock_offset=timedelta(seconds=seconds)).start()
    data = tmp_path / "booth"
    try:
        with Store.open(data) as store:
            tap_n(store, open_day(store).id, 1)
        booth.enrol(data, hub_url=server.url, code=server.code())
        assert run(["--data-dir", str(data), "sync", "push"]) == 0
    finally:
        server.stop()
    capsys.readouterr()
    assert run(["--data-dir", str(data), "sync", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert abs(status["clock_skew_seconds"] - seconds) <= 2 and status["skew_warning"] is warned
    assert run(["--data-dir", str(data), "sync", "status"]) == 0
    text = capsys.readouterr().out
    shown = re.search(r"ハブとの時計のずれ：([+-]\d+) 秒", text)
    assert shown and abs(int(shown.group(1)) - seconds) <= 2, text
    assert ("警告" in text) is warned
    assert run(["--data-dir", str(data), "--lang", "en", "sync", "status"]) == 0
    english = capsys.readouterr().out
    assert "clock skew vs hub:" in english and ("WARNING" in english) is warned


def test_booth_commands_speak_japanese_unless_asked_for_english(sqlite_hub, tmp_path, capsys):
    from app.cli import run
    data = tmp_path / "booth"
    with Store.open(data) as store:
        tap_n(store, open_day(store).id, 2)

    def out(*args: str) -> str:
        capsys.readouterr()
        assert run(["--data-dir", str(data), *args]) == 0
        return capsys.readouterr().out
    enrolled = out("sync", "enrol", "--hub", sqlite_hub.url, "--code", sqlite_hub.code("岩沼-1"))
    assert enrolled.startswith("登録しました：端末 ") and "（ハブでの端末名 岩沼-1）" in enrolled
    assert "この端末の鍵の指紋：" in enrolled
    assert out("sync", "push") == "3 件を送信しました：新規 3 件、ハブに既にあったもの 0 件、受け付けられなかったもの 0 件。未送信 0 件\n"
    status = out("sync", "status")
    assert "登録：済み" in status and "未送信の記録：0 件" in status
    synced = booth.read_status(data).last_success_at  # stored in UTC; read in Japan time
    shown = (datetime.fromisoformat(synced) + timedelta(hours=9)).strftime("%Y-%m-%d %H:%M JST")
    assert f"最終同期：{shown}" in status
    assert "ハブとの時計のずれ：" in status and "警告" not in status
    assert out("--lang", "en", "sync", "push") == "sent 0 row(s): 0 new, 0 already at the hub, 0 refused; 0 pending\n"
    english = out("--lang", "en", "sync", "status")
    assert "enrolled: yes" in english and "pending rows: 0" in english and "last successful sync:" in english
    assert out("sync", "settings", "--hub", sqlite_hub.url) == "保存しました\n"
    bundle = out("export-bundle", "--out", str(tmp_path / "b.mdgb"), "--all")
    assert "端末" in bundle and "記録 3 件" in bundle and "鍵の指紋：" in bundle
    # An error is shown with its code, in Japanese.
    booth.save_settings(data, hub_url=f"http://127.0.0.1:{free_port()}")
    capsys.readouterr()
    assert run(["--data-dir", str(data), "sync", "push"]) == 2
    assert run(["--data-dir", str(data), "sync", "status"]) == 0
    assert "最後のエラー [SYNC_HUB_UNREACHABLE]：ハブに接続できません" in capsys.readouterr().out
