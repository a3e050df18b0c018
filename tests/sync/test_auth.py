"""Who may do what (issue section 2): enrolment codes, device tokens, revocation,
the admin token, and every way in that must be refused."""
from __future__ import annotations

import json
import os
import stat
from datetime import timedelta

import cv2
import pytest
import requests

from app.cli import run
from app.errors import MadoguchiError
from app.store import Store
from sync import booth
from sync import secrets_util as su
from sync.state import SyncState
from tests.sync.helpers import ProcessHub, ThreadHub, hub_rows, open_day, tap_n, utc
from tests.sync.test_hub import push, token_of, wire_rows


@pytest.fixture
def enrolled(tmp_path, hub):
    data = tmp_path / "booth"
    with Store.open(data) as store:
        tap_n(store, open_day(store).id, 3)
    booth.enrol(data, hub_url=hub.url, code=hub.code("石巻-2"))
    return data


def get(hub: ThreadHub, path: str, token: str | None) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return requests.get(hub.url + path, headers=headers, timeout=10)


def reason(r: requests.Response) -> str:
    return r.json()["error"]["reason"]


def test_enrol_code_cli_prints_text_and_a_scannable_qr(hub, tmp_path, capsys):
    png = tmp_path / "code.png"
    assert run(["hub", "enrol-code", "--db", hub.db_url, "--name", "気仙沼-1", "--hub-url", hub.url,
                "--qr-out", str(png)]) == 0
    out = capsys.readouterr().out
    code = out.split("登録コード：")[1].split()[0]
    assert len(su.normalize_code(code)) == su.CODE_LENGTH
    assert "█" in out or "▀" in out  # the QR drawn in the terminal
    # The ArUco-based detector: the classic one misses about 1 code in 200.
    payload, _, _ = cv2.QRCodeDetectorAruco().detectAndDecode(cv2.imread(str(png)))
    assert payload == su.enrol_uri(code, hub.url)
    # The scanned payload alone is enough: it carries the hub URL and the code.
    data = tmp_path / "booth"
    info = booth.enrol(data, hub_url=None, code=payload)
    assert info["hub_url"] == hub.url


def test_code_is_single_use_and_typed_leniently(hub, tmp_path):
    code = hub.code("登米-1")
    typed = code.replace("-", " ").lower().replace("0", "o")
    booth.enrol(tmp_path / "a", hub_url=hub.url, code=typed)
    with pytest.raises(MadoguchiError) as exc:
        booth.enrol(tmp_path / "b", hub_url=hub.url, code=code)
    assert exc.value.code == "SYNC_ENROL_CODE_INVALID"
    assert "登録コード" in exc.value.message("ja")


def test_unknown_and_expired_codes_are_refused(hub, tmp_path):
    expired = hub.hub.create_enrol_code("old", utc() - timedelta(days=8))
    for code in (expired, su.new_enrol_code()):
        with pytest.raises(MadoguchiError) as exc:
            booth.enrol(tmp_path / "x", hub_url=hub.url, code=code)
        assert exc.value.code == "SYNC_ENROL_CODE_INVALID"
    assert hub.hub.devices() == []


def test_enrolment_must_prove_the_key(hub):
    key, other = su.new_signing_key(), su.new_signing_key()
    code = hub.code()
    r = requests.post(hub.url + "/v1/enrol", timeout=10, json={
        "code": code, "device_id": "dev-1", "public_key": su.b64(su.public_raw(key)),
        "signature": su.b64(other.sign(su.enrol_message(code, "dev-1")))})
    assert r.status_code == 422 and reason(r) == "malformed"
    assert hub.hub.devices() == []


def test_a_device_id_cannot_be_taken_over_without_a_replace_code(hub, enrolled, tmp_path):
    device_id = wire_rows(enrolled)[0]["device_id"]
    thief = su.new_signing_key()

    def enrol_as(code: str) -> requests.Response:
        return requests.post(hub.url + "/v1/enrol", timeout=10, json={
            "code": code, "device_id": device_id, "public_key": su.b64(su.public_raw(thief)),
            "signature": su.b64(thief.sign(su.enrol_message(code, device_id)))})
    r = enrol_as(hub.code())
    assert r.status_code == 409 and reason(r) == "device_already_enrolled"
    r = enrol_as(hub.code(replaces=device_id))
    assert r.status_code == 200
    r = push(hub, token_of(enrolled), wire_rows(enrolled))  # the replaced laptop's token is dead
    assert r.status_code == 401 and reason(r) == "token_invalid"


def test_the_same_laptop_may_enrol_again(hub, enrolled):
    booth.enrol(enrolled, hub_url=hub.url, code=hub.code("石巻-2"))
    assert booth.push_pending(enrolled).stored == 4


def test_tokens_are_refused_unless_valid_and_of_the_right_kind(hub, enrolled):
    token = token_of(enrolled)
    rows = wire_rows(enrolled)
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    cases = [
        (requests.post(hub.url + "/v1/push", json={"rows": rows}, timeout=10),
         401, "token_missing"),
        (push(hub, "mdgd_" + "x" * 43, rows), 401, "token_invalid"),
        (push(hub, forged, rows), 401, "token_invalid"),
        (push(hub, "garbage", rows), 401, "token_invalid"),
        (push(hub, hub.admin, rows), 403, "device_token_required"),
        (get(hub, "/v1/plan", None), 401, "token_missing"),
        (get(hub, "/v1/plan", forged), 401, "token_invalid"),
    ]
    for path in ("/v1/admin/devices", "/v1/admin/rows", "/v1/admin/totals", "/v1/admin/conflicts"):
        cases += [(get(hub, path, None), 401, "token_missing"),
                  (get(hub, path, token), 403, "admin_required"),
                  (get(hub, path, "mdga_" + "y" * 43), 401, "token_invalid")]
    cases.append((requests.post(hub.url + "/v1/admin/bundles", data=b"x", timeout=10,
                                headers={"Authorization": f"Bearer {token}"}), 403, "admin_required"))
    cases.append((requests.post(f"{hub.url}/v1/admin/devices/{rows[0]['device_id']}/revoke", timeout=10,
                                headers={"Authorization": f"Bearer {token}"}), 403, "admin_required"))
    for response, status, why in cases:
        assert (response.status_code, reason(response)) == (status, why), response.request.url
    assert hub.row_count() == 0
    assert push(hub, token, rows).status_code == 200


def test_a_revoked_device_is_refused_at_once(hub, enrolled, capsys):
    booth.push_pending(enrolled)
    device_id = wire_rows(enrolled)[0]["device_id"]
    assert run(["hub", "revoke", "--db", hub.db_url, device_id]) == 0
    assert device_id in capsys.readouterr().out
    with Store.open(enrolled) as store:
        tap_n(store, wire_rows(enrolled)[0]["id"], 1)
    with pytest.raises(MadoguchiError) as exc:
        booth.push_pending(enrolled)
    assert exc.value.code == "SYNC_TOKEN_INVALID"
    assert booth.read_status(enrolled).error_message("ja") == exc.value.message("ja")
    assert run(["hub", "devices", "--db", hub.db_url, "--json"]) == 0
    [d] = json.loads(capsys.readouterr().out)
    assert d["revoked_at"] and d["rows"] == 4  # what it sent before stays
    assert run(["hub", "revoke", "--db", hub.db_url, "no-such-device"]) == 2


def test_admin_token_cli_makes_a_working_token(hub, capsys):
    assert run(["hub", "admin-token", "--db", hub.db_url, "--name", "事務局"]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("mdga_")
    assert get(hub, "/v1/admin/devices", token).status_code == 200


def test_tokens_are_stored_hashed_on_the_hub_and_encrypted_on_the_laptop(hub, enrolled, tmp_path):
    token = token_of(enrolled)
    with hub.hub.pool.conn() as c:
        stored = [str(v) for row in c.query("SELECT * FROM hub_device") for v in row]
        stored += [str(v) for row in c.query("SELECT * FROM hub_admin_token") for v in row]
    assert token not in " ".join(stored) and hub.admin not in " ".join(stored)
    assert su.token_hash(token) in stored
    state = SyncState(enrolled)
    for path in (state.path, state.key_path):
        assert token.encode() not in path.read_bytes()
        if os.name == "posix":
            assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_lost_key_file_means_enrol_again_not_a_crash(hub, enrolled):
    SyncState(enrolled).key_path.unlink()
    with pytest.raises(MadoguchiError) as exc:
        booth.push_pending(enrolled)
    assert exc.value.code == "SYNC_SECRET_UNREADABLE"
    assert hub_rows(hub.hub) == []


def _logs(folder) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted((folder / "logs").glob("madoguchi.log*")))


def test_logs_record_the_events_but_never_a_token_or_code(tmp_path):
    """The hub and a laptop as they run for real (`python main.py hub`, `sync enrol`,
    `sync push`): their log files and the hub's console (uvicorn's access log) say what
    happened — enrolment, pushes, refusals, revocation — and hold no admin token,
    device token or enrolment code, not even a forged one."""
    from tests.sync.test_outbox import cli
    db = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    console = tmp_path / "hub-console.log"
    proc = ProcessHub(db, console).start()  # logs into tmp_path / "hubhome"
    hubhome = tmp_path / "hubhome"
    data = tmp_path / "booth"
    try:
        admin = cli(hubhome, "hub", "admin-token", "--db", db, "--name", "事務局").stdout.strip()
        made = cli(hubhome, "hub", "enrol-code", "--db", db, "--name", "石巻-2", "--no-qr")
        code = made.stdout.split("登録コード：")[1].split()[0]
        with Store.open(data) as store:
            tap_n(store, open_day(store).id, 3)
        assert cli(data, "sync", "enrol", "--hub", proc.url, "--code", code).returncode == 0
        assert cli(data, "sync", "push").returncode == 0
        token = SyncState(data).device_token()
        device = wire_rows(data)[0]["device_id"]
        forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
        rows = wire_rows(data)
        assert push(proc, forged, rows).status_code == 401
        assert push(proc, admin, rows).status_code == 403
        assert get(proc, "/v1/admin/devices", token).status_code == 403
        again = cli(data, "sync", "enrol", "--hub", proc.url, "--code", code)  # a used code
        assert again.returncode == 2 and "SYNC_ENROL_CODE_INVALID" in again.stderr
        assert cli(hubhome, "hub", "revoke", "--db", db, device).returncode == 0
        with Store.open(data) as store:
            tap_n(store, rows[0]["id"], 1)
        refused = cli(data, "sync", "push")
        assert refused.returncode == 2 and "SYNC_TOKEN_INVALID" in refused.stderr
    finally:
        proc.kill()
    hub_log, booth_log, access = _logs(hubhome), _logs(data), console.read_text(encoding="utf-8")
    for line in ("admin token created", "enrolment code created for 石巻-2", f"device {device} enrolled",
                 f"push from {device}: 4 stored", "refused POST /v1/push: SYNC_TOKEN_INVALID",
                 "refused POST /v1/push: SYNC_DEVICE_TOKEN_REQUIRED",
                 "refused GET /v1/admin/devices: SYNC_ADMIN_REQUIRED",
                 "refused POST /v1/enrol: SYNC_ENROL_CODE_INVALID", f"device {device} revoked"):
        assert line in hub_log, line
    for line in (f"enrolled device {device} with the hub", "push pass: 4 row(s) sent",
                 "sync refused: SYNC_ENROL_CODE_INVALID", "sync refused: SYNC_TOKEN_INVALID"):
        assert line in booth_log, line
    for line in ('"POST /v1/enrol HTTP/1.1" 200', '"POST /v1/enrol HTTP/1.1" 403', '"POST /v1/push HTTP/1.1" 200',
                 '"POST /v1/push HTTP/1.1" 401', '"POST /v1/push HTTP/1.1" 403', '"GET /v1/admin/devices HTTP/1.1" 403'):
        assert line in access, line
    # Any 16 characters in a row of a token's random part count as a leak (a cut-off
    # token is still most of a token); codes are short: whole, as printed and as typed.
    bodies = {"admin token": admin.removeprefix(su.ADMIN_PREFIX), "device token": token.removeprefix(su.DEVICE_PREFIX),
              "forged token": forged.removeprefix(su.DEVICE_PREFIX)}
    pieces = {f"{name} (chars {i}-{i + 16})": body[i:i + 16] for name, body in bodies.items()
              for i in range(len(body) - 15)}
    pieces |= {"enrolment code": code, "enrolment code typed": su.normalize_code(code)}
    assert all(len(v) >= 12 for v in pieces.values()) and len(pieces) > 60
    for where, text in (("hub log", hub_log), ("booth log", booth_log), ("hub console", access)):
        for name, secret in pieces.items():
            assert secret not in text, f"{name} in the {where}"
