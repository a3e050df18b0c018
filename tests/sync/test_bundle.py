"""Offline bundles: export on the laptop, verify and merge at the office; tampered,
truncated or foreign files are refused with a clear message and merge nothing."""
from __future__ import annotations

import json
import struct

import pytest
import requests

from app.cli import run
from app.store import Store
from sync import booth
from sync import secrets_util as su
from sync.bundle import MAGIC, build_bundle
from sync.state import SyncState
from tests.sync.helpers import booth_rows, hub_rows, open_day, tap_n, utc
from tests.sync.test_hub import wire_rows


@pytest.fixture
def laptop(tmp_path):
    """A laptop that never saw the network: one opening, four taps."""
    data = tmp_path / "laptop"
    with Store.open(data) as store:
        tap_n(store, open_day(store, venue="本吉公民館", municipality="南三陸町").id, 4)
    return data


def export(data, out, *extra) -> dict:
    assert run(["--data-dir", str(data), "export-bundle", "--out", str(out), "--json", *extra]) == 0
    return out


def import_cli(hub, path, *extra) -> int:
    return run(["hub", "import-bundle", str(path), "--db", hub.db_url, *extra])


def fingerprint(data) -> str:
    return su.fingerprint(su.public_raw(SyncState(data).signing_key()))


def test_unenrolled_laptop_needs_its_fingerprint_confirmed(hub, laptop, tmp_path, capsys):
    path = export(laptop, tmp_path / "b1.mdgb")
    info = json.loads(capsys.readouterr().out)
    assert info["rows"] == 5 and info["fingerprint"] == fingerprint(laptop)

    assert import_cli(hub, path) == 2
    err = capsys.readouterr().err
    assert "SYNC_BUNDLE_UNTRUSTED" in err and info["fingerprint"] in err
    assert import_cli(hub, path, "--trust-fingerprint", "0000-1111-2222-3333") == 2
    assert "SYNC_BUNDLE_FINGERPRINT_MISMATCH" in capsys.readouterr().err
    assert hub_rows(hub.hub) == []

    typed = info["fingerprint"].lower().replace("-", " ")  # read out over the phone
    assert import_cli(hub, path, "--trust-fingerprint", typed) == 0
    assert "新規 5 件" in capsys.readouterr().out
    assert {(t, i): h for t, i, h in hub_rows(hub.hub)} == booth_rows(laptop)
    [device] = hub.hub.devices()
    assert device["source"] == "bundle" and device["fingerprint"] == info["fingerprint"]

    # From now on the hub knows the key: no fingerprint needed, and twice changes nothing.
    before = hub.snapshot()
    assert import_cli(hub, path) == 0
    assert "新規 0 件、既にあったもの 5 件" in capsys.readouterr().out
    assert hub.snapshot() == before


def test_enrolled_laptop_exports_only_what_the_hub_has_not_acknowledged(hub, laptop, tmp_path):
    booth.enrol(laptop, hub_url=hub.url, code=hub.code())
    booth.push_pending(laptop)
    with Store.open(laptop) as store:
        tap_n(store, wire_rows(laptop)[0]["id"], 3)
    path = export(laptop, tmp_path / "b.mdgb")
    header = json.loads(path.read_bytes()[len(MAGIC) + 4:][: struct.unpack(">I", path.read_bytes()[len(MAGIC):len(MAGIC) + 4])[0]])
    assert (header["rows"], header["first_seq"], header["last_seq"]) == (3, 6, 8)
    assert import_cli(hub, path) == 0  # the key came with the enrolment
    assert len(hub_rows(hub.hub)) == 8
    assert booth.push_pending(laptop).duplicates == 3  # the later online push is a no-op
    everything = export(laptop, tmp_path / "all.mdgb", "--all")
    assert import_cli(hub, everything) == 0 and len(hub_rows(hub.hub)) == 8


def _bundle_parts(data: bytes) -> dict:
    head_len = struct.unpack_from(">I", data, len(MAGIC))[0]
    payload_at = len(MAGIC) + 4 + head_len + 8
    return {"header": len(MAGIC) + 4 + 5, "payload": payload_at + 10, "signature": len(data) - 10}


@pytest.mark.parametrize("where", ["header", "payload", "signature"])
def test_a_changed_byte_anywhere_is_refused(hub, laptop, tmp_path, capsys, where):
    path = export(laptop, tmp_path / "b.mdgb")
    capsys.readouterr()
    data = bytearray(path.read_bytes())
    data[_bundle_parts(bytes(data))[where]] ^= 0x01
    path.write_bytes(bytes(data))
    assert import_cli(hub, path, "--trust-fingerprint", fingerprint(laptop)) == 2
    err = capsys.readouterr().err
    assert "SYNC_BUNDLE_TAMPERED" in err and "何も取り込んでいません" in err
    assert hub.snapshot()["hub_row"] == [] and hub.hub.devices() == []


@pytest.mark.parametrize("keep", [0, 5, len(MAGIC) + 2, 60, 0.5, -1])
def test_a_truncated_copy_is_refused(hub, laptop, tmp_path, capsys, keep):
    path = export(laptop, tmp_path / "b.mdgb")
    data = path.read_bytes()
    cut = int(len(data) * keep) if isinstance(keep, float) else (len(data) + keep if keep < 0 else keep)
    path.write_bytes(data[:cut])
    capsys.readouterr()
    assert import_cli(hub, path, "--trust-fingerprint", fingerprint(laptop)) == 2
    assert "SYNC_BUNDLE_TRUNCATED" in capsys.readouterr().err
    assert hub.snapshot()["hub_row"] == []


def test_a_bundle_signed_by_another_key_is_foreign(hub, laptop, tmp_path, capsys):
    booth.enrol(laptop, hub_url=hub.url, code=hub.code())
    rows = wire_rows(laptop)
    forged = build_bundle(rows, device_id=rows[0]["device_id"], device_name="fake",
                          signing_key=su.new_signing_key(), now=utc(), everything=True)
    path = tmp_path / "forged.mdgb"
    path.write_bytes(forged)
    assert import_cli(hub, path) == 2
    assert "SYNC_BUNDLE_FOREIGN" in capsys.readouterr().err
    assert hub.snapshot()["hub_row"] == []


def test_rows_of_another_device_inside_a_signed_bundle_are_refused(hub, laptop, tmp_path, capsys):
    key = SyncState(laptop).signing_key()
    rows = wire_rows(laptop)
    other = build_bundle(rows, device_id="someone-else", device_name="x", signing_key=key, now=utc(),
                         everything=True)
    path = tmp_path / "mixed.mdgb"
    path.write_bytes(other)
    assert import_cli(hub, path, "--trust-fingerprint", fingerprint(laptop)) == 2
    assert "SYNC_BUNDLE_INVALID_ROWS" in capsys.readouterr().err
    assert hub.snapshot()["hub_row"] == [] and hub.hub.devices() == []


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 a zip file", "持ち出し".encode() * 100])
def test_a_file_that_is_not_a_bundle_is_refused(hub, tmp_path, capsys, content):
    path = tmp_path / "notes.mdgb"
    path.write_bytes(content)
    assert import_cli(hub, path) == 2
    err = capsys.readouterr().err
    assert ("SYNC_BUNDLE_NOT_A_BUNDLE" in err) or (content == b"" and "SYNC_BUNDLE_TRUNCATED" in err)
    assert import_cli(hub, tmp_path / "missing.mdgb") == 2
    assert "SYNC_FILE_UNREADABLE" in capsys.readouterr().err


def test_office_can_upload_a_bundle_to_a_running_hub(hub, laptop, tmp_path, capsys):
    path = export(laptop, tmp_path / "b.mdgb")
    capsys.readouterr()
    url = f"{hub.url}/v1/admin/bundles"
    headers = {"Authorization": f"Bearer {hub.admin}", "Content-Type": "application/octet-stream"}
    r = requests.post(url, data=path.read_bytes(), headers=headers, timeout=30)
    assert r.status_code == 422 and r.json()["error"]["reason"] == "bundle_untrusted"
    r = requests.post(url, data=path.read_bytes(), headers=headers, timeout=30,
                      params={"trust_fingerprint": fingerprint(laptop)})
    assert r.status_code == 200 and r.json()["stored"] == 5


def _hub_log() -> str:
    """The hub commands' log (run() logs into $MADOGUCHI_DATA_DIR, see conftest)."""
    import os
    from pathlib import Path
    folder = Path(os.environ["MADOGUCHI_DATA_DIR"]) / "logs"
    return "".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("madoguchi.log*")))


@pytest.fixture
def stolen(hub, laptop, tmp_path):
    """An enrolled laptop that synced its first five rows, then recorded three more
    that only a bundle holds, and was revoked (stolen). Returns (data, bundle, device)."""
    booth.enrol(laptop, hub_url=hub.url, code=hub.code("南三陸-1"))
    assert booth.push_pending(laptop).stored == 5
    with Store.open(laptop) as store:
        tap_n(store, wire_rows(laptop)[0]["id"], 3)
    path = export(laptop, tmp_path / "stick.mdgb")
    device = wire_rows(laptop)[0]["device_id"]
    assert run(["hub", "revoke", "--db", hub.db_url, device]) == 0
    return laptop, path, device


def test_a_revoked_devices_bundle_is_refused_whole(hub, stolen, capsys):
    _, path, device = stolen
    capsys.readouterr()
    before = hub.snapshot()
    assert import_cli(hub, path) == 2
    err = capsys.readouterr().err
    assert "SYNC_BUNDLE_DEVICE_REVOKED" in err and "何も取り込んでいません" in err
    assert f"--replace {device}" in err and "--accept-revoked" in err  # how the clerk proceeds
    assert "6〜8" in err  # which rows the file holds
    assert hub.snapshot() == before
    # The office-side upload to a running hub refuses it the same way.
    r = requests.post(f"{hub.url}/v1/admin/bundles", data=path.read_bytes(), timeout=30,
                      headers={"Authorization": f"Bearer {hub.admin}", "Content-Type": "application/octet-stream"})
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert (error["code"], error["reason"]) == ("SYNC_BUNDLE_DEVICE_REVOKED", "bundle_device_revoked")
    assert "失効" in error["message"] and "revoked" in error["message_en"]
    assert hub.snapshot() == before
    assert {d["id"]: d["rows"] for d in hub.hub.devices()} == {device: 5}


def test_the_office_may_accept_a_revoked_devices_bundle_explicitly_and_it_is_logged(hub, stolen, capsys):
    data, path, device = stolen
    capsys.readouterr()
    assert import_cli(hub, path, "--accept-revoked", "--json") == 0
    answer = json.loads(capsys.readouterr().out)
    assert (answer["stored"], answer["duplicates"], answer["accepted_revoked"]) == (3, 0, True)
    assert {(t, i): h for t, i, h in hub_rows(hub.hub)} == booth_rows(data)
    with hub.hub.pool.conn() as c:  # the rows the override let in can be found again
        marked = c.query("SELECT seq FROM hub_row WHERE source = 'bundle_revoked' ORDER BY seq")
    assert [int(s) for (s,) in marked] == [6, 7, 8]
    assert f"REVOKED device {device}" in _hub_log() and "accepted by the office's override" in _hub_log()
    [d] = hub.hub.devices()
    assert d["revoked_at"]  # the device stays revoked: its token is still refused
    r = requests.post(f"{hub.url}/v1/push", json={"rows": []}, timeout=10,
                      headers={"Authorization": f"Bearer {SyncState(data).device_token()}"})
    assert r.status_code == 401


def test_a_laptop_that_came_back_is_enrolled_again_and_then_imports_normally(hub, stolen, capsys):
    data, path, device = stolen
    booth.enrol(data, hub_url=hub.url, code=hub.code("南三陸-1", replaces=device))
    capsys.readouterr()
    assert import_cli(hub, path) == 0
    assert "新規 3 件、既にあったもの 0 件" in capsys.readouterr().out
    with hub.hub.pool.conn() as c:
        assert c.query("SELECT COUNT(*) FROM hub_row WHERE source = 'bundle_revoked'")[0][0] == 0
