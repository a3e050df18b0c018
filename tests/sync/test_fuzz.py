"""Property-based fuzzing of every hub endpoint (hypothesis), on SQLite and PostgreSQL:
whatever arrives, the hub never answers 5xx, and a refused request stores nothing."""
from __future__ import annotations

import hashlib
import json
from urllib.parse import quote

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.store import Store
from sync import booth
from sync.rows import canonical_text
from sync.state import SyncState
from tests.sync.test_hub import wire_rows
from tests.sync.helpers import open_day, tap_n

FUZZ = settings(max_examples=100, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

scalars = (st.none() | st.booleans() | st.integers() | st.integers(min_value=-2**70, max_value=2**70)
           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30)
           | st.sampled_from(["", "\x00", "0" * 64, "a" * 64, "tally", "opening", "-1", "1e309"]))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=12)
header_text = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=80)


@pytest.fixture
def fuzz_hub(hub, tmp_path):
    """A hub with one enrolled, synced booth (so duplicates and conflicts are reachable)."""
    data = tmp_path / "booth"
    with Store.open(data) as store:
        tap_n(store, open_day(store).id, 3)
    booth.enrol(data, hub_url=hub.url, code=hub.code())
    booth.push_pending(data)
    hub.device_token = SyncState(data).device_token()
    hub.rows = wire_rows(data)
    hub.http = requests.Session()
    yield hub
    hub.http.close()


def send(hub, method: str, path: str, *, token: str | None = None, **kw) -> requests.Response:
    headers = kw.pop("headers", {})
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return hub.http.request(method, hub.url + path, headers=headers, timeout=30, **kw)


def check(hub, fn) -> requests.Response:
    before = hub.snapshot()
    r = fn()
    assert r.status_code < 500, (r.status_code, r.text[:500])
    if r.status_code >= 400:
        body = r.json()
        assert body["error"]["reason"] and body["error"]["code"]
        assert hub.snapshot() == before, "a refused request changed the hub"
    return r


def _mutate(row: dict, key: str, value, rehash: bool) -> dict:
    row = {**row, key: value}
    if rehash and isinstance(row.get("table"), str):
        try:
            row["hash"] = hashlib.sha256(canonical_text(row["table"], row).encode()).hexdigest()
        except (KeyError, TypeError, ValueError):
            pass
    return row


@st.composite
def push_bodies(draw, rows: list[dict]) -> bytes:
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return draw(st.binary(max_size=200))
    if kind == 1:
        return json.dumps(draw(json_values)).encode()
    if kind == 2:
        return json.dumps({"rows": draw(json_values)}).encode()
    batch = []
    for _ in range(draw(st.integers(1, 4))):
        row = dict(draw(st.sampled_from(rows)))
        for _ in range(draw(st.integers(0, 2))):
            key = draw(st.sampled_from([*row.keys(), "extra"]) | st.text(max_size=5))
            value = draw(json_values)
            row = _mutate(row, key, value, draw(st.booleans()))
        if draw(st.booleans()):
            row.pop(draw(st.sampled_from(list(row))), None)
        batch.append(row)
    return json.dumps({"rows": batch}, default=str).encode()


def test_push_fuzz(fuzz_hub):
    @FUZZ
    @given(body=push_bodies(fuzz_hub.rows), content_type=st.sampled_from(
        ["application/json", "text/plain", "application/octet-stream"]))
    def run(body, content_type):
        check(fuzz_hub, lambda: send(fuzz_hub, "POST", "/v1/push", token=fuzz_hub.device_token, data=body,
                                     headers={"Content-Type": content_type}))
    run()


def test_auth_header_fuzz(fuzz_hub):
    @FUZZ
    @given(value=header_text.map(str.lstrip), path=st.sampled_from(["/v1/push", "/v1/plan", "/v1/admin/devices",
                                                    "/v1/admin/rows", "/v1/admin/totals", "/v1/admin/conflicts"]))
    def run(value, path):
        method = "POST" if path == "/v1/push" else "GET"
        r = check(fuzz_hub, lambda: send(fuzz_hub, method, path, headers={"Authorization": value},
                                         json={"rows": fuzz_hub.rows}))
        assert r.status_code in (401, 403, 422), r.status_code
    run()


def test_enrol_fuzz(fuzz_hub):
    keys = ["code", "device_id", "device_name", "public_key", "signature"]

    @FUZZ
    @given(body=st.dictionaries(st.sampled_from(keys) | st.text(max_size=5), json_values, max_size=6)
           | json_values)
    def run(body):
        check(fuzz_hub, lambda: send(fuzz_hub, "POST", "/v1/enrol", json=body))
    run()


def test_admin_query_fuzz(fuzz_hub):
    @FUZZ
    @given(path=st.sampled_from(["rows", "totals", "devices", "conflicts"]),
           params=st.dictionaries(st.sampled_from(["after_device", "after_seq", "limit", "by"]),
                                  st.text(max_size=40) | st.integers().map(str), max_size=4))
    def run(path, params):
        r = check(fuzz_hub, lambda: send(fuzz_hub, "GET", f"/v1/admin/{path}", token=fuzz_hub.admin, params=params))
        if path == "rows" and r.status_code == 200:
            assert len(r.json()["rows"]) <= fuzz_hub.hub.limits.max_page_rows
    run()


def test_revoke_fuzz(fuzz_hub):
    @FUZZ
    @given(device=st.text(min_size=1, max_size=80))
    def run(device):
        check(fuzz_hub, lambda: send(fuzz_hub, "POST", f"/v1/admin/devices/{quote(device, safe='')}/revoke",
                                     token=fuzz_hub.admin))
    run()


def test_plan_fuzz(fuzz_hub):
    good = {"profile": "miyagi_mynumber_r6", "kind": "event", "venue": "会場", "municipality": "仙台市",
            "date": "2026-12-01", "large": False, "staff": 2}

    @FUZZ
    @given(body=st.one_of(
        json_values,
        st.lists(st.builds(lambda k, v: {**good, k: v}, st.sampled_from([*good, "id", "note"]), json_values),
                 max_size=3).map(lambda items: {"openings": items})))
    def run(body):
        check(fuzz_hub, lambda: send(fuzz_hub, "PUT", "/v1/admin/plan", token=fuzz_hub.admin, json=body))
        assert send(fuzz_hub, "GET", "/v1/plan", token=fuzz_hub.device_token).status_code == 200
    run()


def test_bundle_upload_fuzz(fuzz_hub, tmp_path):
    from sync.booth import export_bundle
    data = tmp_path / "laptop"
    with Store.open(data) as store:
        tap_n(store, open_day(store).id, 2)
    valid = export_bundle(data, tmp_path / "b.mdgb")
    valid_bytes = (tmp_path / "b.mdgb").read_bytes()
    assert valid["rows"] == 3

    @FUZZ
    @given(body=st.binary(max_size=300) | st.tuples(st.integers(0, len(valid_bytes) - 1), st.integers(0, 255))
           .map(lambda p: valid_bytes[:p[0]] + bytes([p[1]]) + valid_bytes[p[0] + 1:])
           | st.integers(0, len(valid_bytes)).map(lambda n: valid_bytes[:n]),
           fingerprint=st.none() | header_text.map(str.lstrip))
    def run(body, fingerprint):
        params = {"trust_fingerprint": fingerprint} if fingerprint is not None else {}
        r = check(fuzz_hub, lambda: send(fuzz_hub, "POST", "/v1/admin/bundles", token=fuzz_hub.admin, data=body,
                                         params=params, headers={"Content-Type": "application/octet-stream"}))
        if r.status_code == 200:
            assert body == valid_bytes  # only the untouched file can be merged
    run()
