"""The hub against SQLite and PostgreSQL: union by permanent key, conflicts listed for
the office, chain gaps reported, limits, and refused batches that store nothing."""
from __future__ import annotations

import hashlib
import json

import pytest
import requests

from app.cli import run
from app.store import Store, row_hash
from sync import booth
from sync.hub import Limits
from sync.outbox import rows_after
from sync.rows import canonical_text
from sync.state import SyncState
from tests.sync.helpers import ThreadHub, booth_rows, hub_rows, open_day, tap_n


def wire_rows(data_dir) -> list[dict]:
    with Store.open(data_dir, read_only=True) as store:
        return rows_after(store, 0, 10**6)


def rehash(row: dict) -> dict:
    row = dict(row)
    row["hash"] = hashlib.sha256(canonical_text(row["table"], row).encode()).hexdigest()
    return row


def push(hub: ThreadHub, token: str, rows, *, raw: bytes | None = None) -> requests.Response:
    body = raw if raw is not None else json.dumps({"rows": rows}).encode()
    return requests.post(f"{hub.url}/v1/push", data=body, timeout=30,
                         headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})


@pytest.fixture
def booth_dir(tmp_path, hub):
    """An enrolled booth with one opening and five taps, nothing pushed yet."""
    data = tmp_path / "booth"
    with Store.open(data) as store:
        opening = open_day(store)
        tap_n(store, opening.id, 5)
    booth.enrol(data, hub_url=hub.url, code=hub.code("名取-1"))
    return data


def token_of(data_dir) -> str:
    return SyncState(data_dir).device_token()


def test_canonical_text_is_what_the_store_hashes(booth_dir):
    for row in wire_rows(booth_dir):
        assert hashlib.sha256(canonical_text(row["table"], row).encode()).hexdigest() == row_hash(row["table"], row)


def test_pushed_rows_are_stored_once_and_a_resend_changes_nothing(hub, booth_dir):
    first = booth.push_pending(booth_dir)
    assert (first.stored, first.duplicates, first.pending) == (6, 0, 0)
    assert {(t, i): h for t, i, h in hub_rows(hub.hub)} == booth_rows(booth_dir)
    before = hub.snapshot()

    SyncState(booth_dir).reset_watermark(_device_id(booth_dir))  # as if the acks were lost
    again = booth.push_pending(booth_dir)
    assert (again.stored, again.duplicates, again.conflicts) == (0, 6, [])
    after = hub.snapshot()
    assert (after["hub_row"], after["hub_conflict"]) == (before["hub_row"], before["hub_conflict"])


def _device_id(data_dir) -> str:
    with Store.open(data_dir, read_only=True) as store:
        return store.device_id


def test_same_id_with_other_content_is_refused_for_that_row_and_listed(hub, booth_dir, capsys):
    booth.push_pending(booth_dir)
    rows = wire_rows(booth_dir)
    forged = rehash({**rows[-1], "reason": "書き換え"})
    with Store.open(booth_dir) as store:  # the booth goes on: one new tap
        tap_n(store, rows[0]["id"], 1)
    new_row = wire_rows(booth_dir)[-1]

    r = push(hub, token_of(booth_dir), [forged, new_row])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["stored"] == 1 and body["duplicates"] == 0
    assert body["conflicts"] == [{"table": "tally", "id": forged["id"], "seq": forged["seq"],
                                  "problem": "id_conflict"}]
    stored = {(t, i): h for t, i, h in hub_rows(hub.hub)}
    assert stored[("tally", forged["id"])] == rows[-1]["hash"]  # the original stays
    assert stored[("tally", new_row["id"])] == new_row["hash"]

    listed = hub.admin_get("conflicts")["conflicts"]
    assert [(c["id"], c["problem"], c["incoming_hash"]) for c in listed] == [
        (forged["id"], "id_conflict", forged["hash"])]
    assert push(hub, token_of(booth_dir), [forged]).json()["conflicts"]  # again: still refused,
    assert len(hub.admin_get("conflicts")["conflicts"]) == 1            # listed once

    assert run(["hub", "conflicts", "--db", hub.db_url, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [c["id"] for c in out] == [forged["id"]]


def test_a_new_row_in_a_taken_chain_place_is_a_conflict(hub, booth_dir):
    booth.push_pending(booth_dir)
    rows = wire_rows(booth_dir)
    impostor = rehash({**rows[2], "id": "01999999-0000-7000-8000-000000000000"})
    body = push(hub, token_of(booth_dir), [impostor]).json()
    assert body["conflicts"][0]["problem"] == "seq_conflict"
    assert ("tally", impostor["id"]) not in {(t, i) for t, i, _ in hub_rows(hub.hub)}


def test_hub_reports_gaps_and_breaks_in_a_device_chain(hub, booth_dir):
    rows = wire_rows(booth_dir)  # seq 1..6
    token = token_of(booth_dir)
    assert push(hub, token, rows[:2] + rows[4:]).status_code == 200
    [device] = hub.admin_get("devices")["devices"]
    assert device["gaps"] == [[3, 4]] and device["rows"] == 4 and device["last_push_at"]

    broken = rehash({**rows[2], "prev_hash": "0" * 64})
    assert push(hub, token, [broken]).status_code == 200
    [device] = hub.admin_get("devices")["devices"]
    assert device["gaps"] == [[4, 4]] and device["breaks"] == [3]


def test_a_device_may_push_only_its_own_rows(hub, booth_dir, tmp_path):
    other = tmp_path / "other"
    with Store.open(other) as store:
        tap_n(store, open_day(store).id, 2)
    r = push(hub, token_of(booth_dir), wire_rows(booth_dir)[:2] + wire_rows(other))
    assert r.status_code == 403
    assert r.json()["error"]["reason"] == "device_mismatch"
    assert hub.row_count() == 0


@pytest.mark.parametrize("mutate, reason", [
    (lambda rows: rows[:3] + [{**rows[3], "hash": "f" * 64}], "hash_mismatch"),
    (lambda rows: rows[:3] + [{**rows[3], "reason": "changed without rehash"}], "hash_mismatch"),
    (lambda rows: rows[:3] + [{k: v for k, v in rows[3].items() if k != "dims"}], "malformed"),
    (lambda rows: rows[:3] + [{**rows[3], "extra": 1}], "malformed"),
    (lambda rows: rows[:3] + [{**rows[3], "table": "users"}], "malformed"),
    (lambda rows: rows[:3] + [rehash({**rows[3], "seq": -1})], "malformed"),
    (lambda rows: rows[:3] + [{**rows[3], "dims": {"nested": 1}}], "malformed"),
    (lambda rows: rows + [rows[0]], "malformed"),
    (lambda rows: {"not": "a list"}, "malformed"),
])
def test_a_malformed_batch_is_refused_whole_with_a_reason(hub, booth_dir, mutate, reason):
    r = push(hub, token_of(booth_dir), mutate(wire_rows(booth_dir)))
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["reason"] == reason and error["code"].startswith("SYNC_") and error["message"]
    assert hub.row_count() == 0


@pytest.mark.parametrize("raw", [b"not json", b"\xff\xfe", b"[]", b'{"rowz": []}', b"[" * 5000])
def test_a_body_that_is_not_a_batch_is_refused(hub, booth_dir, raw):
    r = push(hub, token_of(booth_dir), None, raw=raw)
    assert r.status_code == 422 and r.json()["error"]["reason"] == "malformed"


def test_limits_on_rows_and_bytes(hub_db, tmp_path):
    small = ThreadHub(hub_db, Limits(max_batch_rows=10, max_body_bytes=20_000)).start()
    try:
        data = tmp_path / "booth"
        with Store.open(data) as store:
            tap_n(store, open_day(store).id, 29)
        booth.enrol(data, hub_url=small.url, code=small.code())
        token = token_of(data)
        rows = wire_rows(data)
        r = push(small, token, rows[:11])
        assert r.status_code == 413 and r.json()["error"]["reason"] == "batch_too_large"
        r = push(small, token, None, raw=b'{"rows": [' + b" " * 30_000 + b"]}")
        assert r.status_code == 413 and r.json()["error"]["reason"] == "body_too_large"
        chunked = requests.post(f"{small.url}/v1/push", data=iter([b'{"rows": [', b" " * 25_000, b"]}"]),
                                headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert chunked.status_code == 413
        assert small.row_count() == 0
        # The booth learns the limits from /v1/health and sends smaller batches.
        report = booth.push_pending(data, batch_rows=1000)
        assert report.stored == 30 and report.batches == 3 and report.pending == 0
    finally:
        small.stop()


def test_health_openapi_and_date_header(hub):
    r = requests.get(hub.url + "/v1/health", timeout=10)
    assert r.json()["status"] == "ok" and r.headers["Date"]
    spec = requests.get(hub.url + "/v1/openapi.json", timeout=10).json()
    assert {"/v1/health", "/v1/enrol", "/v1/push", "/v1/plan", "/v1/admin/devices", "/v1/admin/rows",
            "/v1/admin/totals", "/v1/admin/conflicts", "/v1/admin/bundles", "/v1/admin/plan"} <= set(spec["paths"])
    assert "requestBody" in spec["paths"]["/v1/push"]["post"]
    missing = requests.get(hub.url + "/v1/nothing", timeout=10)
    assert missing.status_code == 404 and missing.json()["error"]["reason"] == "not_found"


def test_office_plan_reaches_the_booth(hub, booth_dir, tmp_path):
    plan = tmp_path / "plan.csv"
    plan.write_text("profile,kind,venue,municipality,date,large,staff,note\r\n"
                    "miyagi_mynumber_r6,support_booth,イオンモール名取,名取市,2026-12-01,1,3,\r\n"
                    "miyagi_mynumber_r6,event,産業祭,塩釜市,2026-12-02,0,2,雨天中止あり\r\n", encoding="utf-8-sig")
    assert run(["hub", "plan", "--db", hub.db_url, "--set", str(plan)]) == 0
    pulled = booth.pull_plan(booth_dir)
    assert [(o["venue"], o["municipality"], o["large"]) for o in pulled["openings"]] == [
        ("イオンモール名取", "名取市", True), ("産業祭", "塩竈市", False)]
    assert "miyagi_mynumber_r6" in pulled["profiles"]
    assert (booth_dir / "hub_profiles" / "miyagi_mynumber_r6.toml").exists()
    assert json.loads((booth_dir / "hub_plan.json").read_text(encoding="utf-8"))["openings"][1]["note"] == "雨天中止あり"


def test_a_wrong_plan_is_refused_and_the_old_plan_stays(hub, tmp_path, capsys):
    good = tmp_path / "plan.json"
    good.write_text(json.dumps([{"profile": "miyagi_mynumber_r6", "kind": "event", "venue": "A",
                                 "municipality": "仙台市", "date": "2026-12-01"}]), encoding="utf-8")
    assert run(["hub", "plan", "--db", hub.db_url, "--set", str(good)]) == 0
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"profile": "miyagi_mynumber_r6", "kind": "nope", "venue": "B",
                                "municipality": "仙台市", "date": "2026-12-01"}]), encoding="utf-8")
    assert run(["hub", "plan", "--db", hub.db_url, "--set", str(bad)]) == 2
    assert "SYNC_MALFORMED" in capsys.readouterr().err
    assert [o["venue"] for o in hub.hub.plan()["openings"]] == ["A"]


def test_new_chained_tables_need_no_hub_change(hub, booth_dir, monkeypatch):
    """Rows of any table in CHAINED_COLUMNS travel; the hub refuses tables it does not know."""
    from app import store as store_mod
    rows = wire_rows(booth_dir)
    monkeypatch.setitem(store_mod.CHAINED_COLUMNS, "demo_event", ("id", "device_id", "seq", "what", "prev_hash"))
    extra = rehash({"table": "demo_event", "id": "01999999-0000-7000-8000-00000000abcd",
                    "device_id": rows[0]["device_id"], "seq": 7, "what": "写真削除", "prev_hash": rows[-1]["hash"]})
    assert push(hub, token_of(booth_dir), rows + [extra]).json()["stored"] == 7
    assert hub.hub.stats()["rows"]["demo_event"] == 1
    monkeypatch.delitem(store_mod.CHAINED_COLUMNS, "demo_event")
    again = push(hub, token_of(booth_dir), [extra])
    assert again.status_code == 422 and again.json()["error"]["reason"] == "malformed"


def test_devices_cli_lists_last_push(hub, booth_dir, capsys):
    booth.push_pending(booth_dir)
    assert run(["hub", "devices", "--db", hub.db_url, "--json"]) == 0
    [d] = json.loads(capsys.readouterr().out)
    assert d["name"] == "名取-1" and d["last_push_at"] and d["rows"] == 6 and d["gaps"] == []
    assert run(["hub", "devices", "--db", hub.db_url]) == 0
    assert "名取-1" in capsys.readouterr().out


def test_other_features_can_mount_routes_with_device_auth(hub_db, monkeypatch, tmp_path):
    """sync.server.EXTENSIONS: a feature's router sees the same device authentication."""
    import sys
    import types

    from fastapi import APIRouter, Depends

    from sync import server as server_mod

    module = types.ModuleType("demo_hub_ext")

    def mount(app):
        router = APIRouter()

        @router.get("/v1/demo/whoami")
        def whoami(device_id: str = Depends(app.state.device_auth)) -> dict:
            return {"device_id": device_id}
        app.include_router(router)
    module.mount = mount
    monkeypatch.setitem(sys.modules, "demo_hub_ext", module)
    monkeypatch.setattr(server_mod, "EXTENSIONS", ["demo_hub_ext:mount"])
    extended = ThreadHub(hub_db).start()
    try:
        data = tmp_path / "b2"
        with Store.open(data) as store:
            tap_n(store, open_day(store).id, 1)
        booth.enrol(data, hub_url=extended.url, code=extended.code())
        token = token_of(data)
        r = requests.get(extended.url + "/v1/demo/whoami", headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert r.json()["device_id"] == wire_rows(data)[0]["device_id"]
        assert requests.get(extended.url + "/v1/demo/whoami", timeout=10).status_code == 401
    finally:
        extended.stop()


def laptop_body(rows: list[dict]) -> bytes:
    """A body written the way the laptop writes it (canonical text, hash in front),
    which the hub checks without building a dict per row."""
    from sync.canonical import encode_basestring
    out = []
    for row in rows:
        text = canonical_text(row["table"], row)
        out.append('{"hash":' + encode_basestring(row["hash"]) + "," + text[1:])
    return ('{"rows":[' + ",".join(out) + "]}").encode()


def test_a_partly_acknowledged_batch_stores_only_the_new_rows(hub, booth_dir):
    rows = wire_rows(booth_dir)  # an opening and five taps
    token = token_of(booth_dir)
    assert push(hub, token, None, raw=laptop_body(rows[:3])).json()["stored"] == 3
    before = hub.snapshot()
    r = push(hub, token, None, raw=laptop_body(rows))  # the answer was lost: all six again
    assert r.status_code == 200, r.text
    assert (r.json()["stored"], r.json()["duplicates"], r.json()["conflicts"]) == (3, 3, [])
    assert {(t, i): h for t, i, h in hub_rows(hub.hub)} == booth_rows(booth_dir)
    assert hub.snapshot()["hub_row"] != before["hub_row"] and len(hub.snapshot()["hub_row"]) == 6


def test_laptop_bodies_are_checked_like_any_other(hub, booth_dir):
    """The fast check of canonical bodies refuses what the general check refuses,
    with the same reasons, and stores nothing of a refused batch."""
    rows = wire_rows(booth_dir)
    token = token_of(booth_dir)
    forged = {**rows[3], "reason": "書き換え"}  # content changed, hash kept
    surrogate = {**rows[2], "reason": "\ud800"}  # valid JSON as "\ud800", but not text
    surrogate["hash"] = hashlib.sha256(canonical_text("tally", surrogate).encode("utf-8", "surrogatepass")).hexdigest()
    cases = [
        (laptop_body(rows[:3] + [forged]), 422, "hash_mismatch"),
        (laptop_body(rows[:3]).replace(b'"kind":"tap"', b'"kind":"tap","extra":1', 1), 422, "malformed"),
        (laptop_body(rows + [rows[1]]), 422, "malformed"),
        (json.dumps({"rows": rows[:2] + [surrogate]}).encode(), 422, "malformed"),
    ]
    for body, status, reason in cases:
        r = push(hub, token, None, raw=body)
        assert (r.status_code, r.json()["error"]["reason"]) == (status, reason), body[:200]
        assert hub.row_count() == 0
    other = rehash({**rows[1], "device_id": "someone-else"})
    r = push(hub, token, None, raw=laptop_body([rows[0], other]))
    assert r.status_code == 403 and r.json()["error"]["reason"] == "device_mismatch"
    assert hub.row_count() == 0


@pytest.mark.parametrize("command", [
    ["devices"], ["conflicts"], ["revoke", "01999999-0000-7000-8000-000000000000"], ["admin-token"],
    ["enrol-code", "--name", "名取-1", "--no-qr"], ["plan"]])
def test_management_commands_refuse_a_hub_database_that_is_not_there(tmp_path, capsys, command):
    missing = tmp_path / "typo" / "hub.sqlite3"
    assert run(["hub", *command, "--db", f"sqlite:///{missing}"]) == 2
    err = capsys.readouterr().err
    assert "SYNC_HUB_DB_MISSING" in err and "ありません" in err and str(missing) in err
    assert not missing.exists() and not missing.parent.exists()
    assert run(["--lang", "en", "hub", *command, "--db", f"sqlite:///{missing}"]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert run(["office", "totals", "--db", f"sqlite:///{missing}"]) == 2
    assert not missing.exists()


def test_import_bundle_still_starts_a_new_office_database(tmp_path, capsys):
    from sync.booth import export_bundle
    data = tmp_path / "laptop"
    with Store.open(data) as store:
        tap_n(store, open_day(store).id, 2)
    export_bundle(data, tmp_path / "b.mdgb")
    fingerprint = export_bundle(data, tmp_path / "b.mdgb")["fingerprint"]
    office = tmp_path / "office" / "hub.sqlite3"
    assert run(["hub", "import-bundle", str(tmp_path / "b.mdgb"), "--db", f"sqlite:///{office}",
                "--trust-fingerprint", fingerprint]) == 0
    assert office.exists()
    assert run(["hub", "devices", "--db", f"sqlite:///{office}", "--json"]) == 0


def test_unknown_paths_and_methods_answer_in_japanese_with_a_code(hub):
    r = requests.get(f"{hub.url}/v1/no-such-thing", timeout=10)
    error = r.json()["error"]
    assert r.status_code == 404 and (error["code"], error["reason"]) == ("SYNC_NOT_FOUND", "not_found")
    assert error["message"] == "/v1/no-such-thing が見つかりません。" and error["message_en"].endswith("was not found.")
    r = requests.delete(f"{hub.url}/v1/push", timeout=10)
    error = r.json()["error"]
    assert r.status_code == 405 and (error["code"], error["reason"]) == ("SYNC_METHOD_NOT_ALLOWED", "method_not_allowed")
    assert error["message"] == "/v1/push は DELETE では使えません。" and r.headers["Allow"] == "POST"
    # What the laptop makes of it: the code and the Japanese message, as for any refusal.
    from sync.client import HubClient
    with HubClient(hub.url) as client, pytest.raises(Exception) as exc:
        client.request("GET", "/v1/no-such-thing", auth=False)
    assert exc.value.code == "SYNC_NOT_FOUND" and "見つかりません" in exc.value.message("ja")
