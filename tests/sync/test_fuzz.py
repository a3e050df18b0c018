"""Property-based fuzzing of every hub endpoint (hypothesis), on SQLite and PostgreSQL:
whatever arrives, the hub never answers 5xx, and a refused request changes nothing in
the hub's database (every table: see ThreadHub.snapshot).

Each test names the routes it fuzzes with @fuzzes(...); test_every_v1_route_is_fuzzed
fails when the hub (or an extension mounted on it) has a /v1 route no test names."""
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
FUZZED: dict[tuple[str, str], str] = {}  # (method, route path) -> the test fuzzing it


def fuzzes(*routes: str):
    """Mark a test as fuzzing these routes ("METHOD /path/{param}")."""
    def mark(fn):
        for route in routes:
            method, path = route.split(" ", 1)
            FUZZED[(method, path)] = fn.__name__
        return fn
    return mark

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


@fuzzes("POST /v1/push")
def test_push_fuzz(fuzz_hub):
    @FUZZ
    @given(body=push_bodies(fuzz_hub.rows), content_type=st.sampled_from(
        ["application/json", "text/plain", "application/octet-stream"]))
    def run(body, content_type):
        check(fuzz_hub, lambda: send(fuzz_hub, "POST", "/v1/push", token=fuzz_hub.device_token, data=body,
                                     headers={"Content-Type": content_type}))
    run()


@fuzzes("GET /v1/plan")
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


@fuzzes("POST /v1/enrol")
def test_enrol_fuzz(fuzz_hub):
    keys = ["code", "device_id", "device_name", "public_key", "signature"]

    @FUZZ
    @given(body=st.dictionaries(st.sampled_from(keys) | st.text(max_size=5), json_values, max_size=6)
           | json_values)
    def run(body):
        check(fuzz_hub, lambda: send(fuzz_hub, "POST", "/v1/enrol", json=body))
    run()


@fuzzes("GET /v1/admin/rows", "GET /v1/admin/totals", "GET /v1/admin/devices", "GET /v1/admin/conflicts")
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


@fuzzes("POST /v1/admin/devices/{device_id}/revoke")
def test_revoke_fuzz(fuzz_hub):
    @FUZZ
    @given(device=st.text(min_size=1, max_size=80))
    def run(device):
        check(fuzz_hub, lambda: send(fuzz_hub, "POST", f"/v1/admin/devices/{quote(device, safe='')}/revoke",
                                     token=fuzz_hub.admin))
    run()


@fuzzes("PUT /v1/admin/plan")
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


@fuzzes("POST /v1/admin/bundles")
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


# ---- the routes extensions mount (sync.server.EXTENSIONS): point allotments -------------

VENUE_DAY = "0123456789abcdef"   # has a pool (reserve 100) and a registered set-up
OTHER_DAY = "fedcba9876543210"   # nothing yet
DAY = "2026-11-26"
# Text a JSON body may carry that a database, a date parser or a regular expression
# could choke on.
nasty_text = st.sampled_from([
    "", "\x00", "a\x00b", "\ud800", "\udfff", "２０２６-１１-２６", "2026-13-45", "9999-12-31", "0000-00-00",
    "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59", "2026-11-26T10:00:00+09:00",
    "2026-11-26 10:00", "NaN", "x" * 300, "ABC-DEF", "ABC-DEF/GHJK", "req-" + "9" * 60, "0123456789abcdef\n",
    "'; DROP TABLE allot_pool; --", "仙台市", "夢メッセみやぎ", "miyagi_point_r7"])
# Mostly a real distribution day, so the bodies get past the path check.
venue_days = st.one_of(
    st.sampled_from([VENUE_DAY, OTHER_DAY]), st.sampled_from([VENUE_DAY, OTHER_DAY]),
    st.sampled_from([VENUE_DAY, OTHER_DAY]),
    st.sampled_from(["0123456789ABCDEF", "0123456789abcde", "0123456789abcdef0", "..", "%00",
                     "0123456789abcdef%0A", "%E2%80%AE"])
    | st.text(st.characters(min_codepoint=33, max_codepoint=0x30FF, exclude_characters="/?#%"), min_size=1,
              max_size=20).map(lambda t: quote(t, safe="")))
field_values = nasty_text | json_values | st.integers(-2**40, 2**40)


@pytest.fixture
def allot_hub(fuzz_hub):
    """The fuzz hub with a pool and a set-up for VENUE_DAY, drawn by the enrolled booth."""
    from app.points.codes import laptop_code
    hub = fuzz_hub
    hub.device_id = hub.rows[0]["device_id"]
    hub.laptop = laptop_code(hub.device_id)
    r = send(hub, "POST", f"/v1/allotments/{VENUE_DAY}/draw", token=hub.device_token,
             json={"device_id": hub.device_id, "request_id": "req-fixture-1", "count": 10, "reserve": 100, "day": DAY})
    assert r.status_code == 200, r.text
    r = send(hub, "POST", f"/v1/allotments/{VENUE_DAY}/setup", token=hub.device_token,
             json={"device_id": hub.device_id, "profile": "miyagi_point_r7", "venue": "夢メッセみやぎ",
                   "municipality": "仙台市", "day": DAY})
    assert r.status_code == 200, r.text
    return hub


@st.composite
def mutated(draw, base: dict) -> dict | list | str | int | None:
    """Mostly the valid body with some fields changed, dropped or added; sometimes anything."""
    if draw(st.integers(0, 9)) == 0:
        return draw(json_values)
    body = dict(base)
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 1, 2, 3]))):  # often just one field off
        key = draw(st.sampled_from([*base, "extra"]))
        if draw(st.integers(0, 5)) == 0:
            body.pop(key, None)
        else:
            body[key] = draw(field_values)
    return body


def _allot_token(draw, hub) -> str | None:
    return draw(st.sampled_from([hub.device_token] * 6 + [hub.admin, None, "mdgd_forged"]))


def _post_allot(hub, venue_day: str, action: str, body, token) -> requests.Response:
    path = f"/v1/allotments/{venue_day}" + (f"/{action}" if action else "")
    if action == "":
        r = check(hub, lambda: send(hub, "GET", path, token=token))
    else:
        r = check(hub, lambda: send(hub, "POST", path, token=token, data=json.dumps(body),
                                    headers={"Content-Type": "application/json"}))
    if r.status_code == 200:  # only a real distribution day id gets in (not "…%0A")
        assert venue_day in (VENUE_DAY, OTHER_DAY), venue_day
    return r


@fuzzes("POST /v1/allotments/{venue_day}/draw", "POST /v1/allotments/{venue_day}/release")
def test_allotment_move_fuzz(allot_hub):
    hub = allot_hub

    @FUZZ
    @given(data=st.data(), action=st.sampled_from(["draw", "release"]), venue_day=venue_days)
    def run(data, action, venue_day):
        base = {"device_id": hub.device_id,
                "request_id": data.draw(st.sampled_from(["req-fixture-1", "req-fuzz-000001"])
                                        | st.uuids().map(lambda u: f"req-{u}")),
                "count": data.draw(st.integers(1, 200)), "reserve": data.draw(st.sampled_from([100, 0, 65535])),
                "day": DAY}
        r = _post_allot(hub, venue_day, action, data.draw(mutated(base)), _allot_token(data.draw, hub))
        if r.status_code == 200:  # a laptop may release its own allotment too: remaining may pass the reserve
            pool = send(hub, "GET", f"/v1/allotments/{venue_day}", token=hub.device_token).json()
            assert pool["remaining"] == pool["reserve"] - pool["drawn"] + pool["released"] >= 0, pool
            assert r.json()["remaining"] == pool["remaining"]
    run()
    pool = send(hub, "GET", f"/v1/allotments/{VENUE_DAY}", token=hub.device_token).json()
    assert pool["reserve"] == 100 and pool["remaining"] >= 0  # never more handed out than the pool held


@fuzzes("GET /v1/allotments/{venue_day}")
def test_allotment_pool_fuzz(allot_hub):
    hub = allot_hub

    @FUZZ
    @given(data=st.data(), venue_day=venue_days)
    def run(data, venue_day):
        r = _post_allot(hub, venue_day, "", None, _allot_token(data.draw, hub))
        if r.status_code == 200:
            assert r.json()["venue_day"] == VENUE_DAY == venue_day
    run()


@fuzzes("POST /v1/allotments/{venue_day}/setup")
def test_allotment_setup_fuzz(allot_hub):
    hub = allot_hub

    @FUZZ
    @given(data=st.data(), venue_day=venue_days)
    def run(data, venue_day):
        base = {"device_id": hub.device_id, "profile": "miyagi_point_r7", "venue": "夢メッセみやぎ",
                "municipality": "仙台市", "day": DAY}
        _post_allot(hub, venue_day, "setup", data.draw(mutated(base)), _allot_token(data.draw, hub))
    run()


@fuzzes("POST /v1/allotments/{venue_day}/takeback")
def test_allotment_takeback_fuzz(allot_hub):
    hub = allot_hub

    @FUZZ
    @given(data=st.data(), venue_day=venue_days)
    def run(data, venue_day):
        base = {"device_id": hub.device_id, "code_id": f"{hub.laptop}/ABCD",
                "recipient": data.draw(st.sampled_from([hub.laptop, "ABC-DEF"])),
                "count": 5, "expires_at": data.draw(nasty_text | st.sampled_from(
                    ["2026-11-26T10:00:00+09:00", "2020-01-01T00:00:00Z", "9999-12-31T23:59:59+00:00",
                     "9999-12-31T23:59:00-00:01", "0001-01-01T00:00:00+00:01"])),
                "margin_min": data.draw(st.sampled_from([0, 10, 255]))}
        _post_allot(hub, venue_day, "takeback", data.draw(mutated(base)), _allot_token(data.draw, hub))
    run()


# ---- what is left: no input but the request itself ---------------------------------------

@fuzzes("GET /v1/health", "GET /v1/openapi.json", "GET /v1/docs")
def test_static_routes_fuzz(fuzz_hub):
    @FUZZ
    @given(path=st.sampled_from(["/v1/health", "/v1/openapi.json", "/v1/docs"]),
           params=st.dictionaries(st.text(max_size=10), st.text(max_size=30), max_size=3),
           auth=st.none() | header_text.map(str.lstrip))
    def run(path, params, auth):
        headers = {"Authorization": auth} if auth else {}
        r = check(fuzz_hub, lambda: send(fuzz_hub, "GET", path, params=params, headers=headers))
        assert r.status_code == 200
    run()


def test_unknown_paths_and_methods_are_refused_in_japanese(fuzz_hub):
    """404 and 405 answer like every other refusal: a stable code, a machine-readable
    reason and a Japanese message (English beside it)."""
    templates = sorted({path for _method, path in FUZZED})

    @FUZZ
    @given(method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]),
           path=st.sampled_from(templates).map(lambda p: p.replace("{venue_day}", VENUE_DAY)
                                               .replace("{device_id}", "dev"))
           | st.lists(st.text(st.characters(min_codepoint=33, max_codepoint=0x30FF, exclude_characters="/?#"),
                              min_size=1, max_size=12).map(lambda t: quote(t, safe="")), min_size=1, max_size=4)
           .map(lambda parts: "/" + "/".join(parts)),
           token=st.sampled_from([None, "admin", "device"]))
    def run(method, path, token):
        tok = {"admin": fuzz_hub.admin, "device": fuzz_hub.device_token}.get(token)
        r = check(fuzz_hub, lambda: send(fuzz_hub, method, path, token=tok))
        if r.status_code in (404, 405):
            error = r.json()["error"]
            assert (error["code"], error["reason"]) in {("SYNC_NOT_FOUND", "not_found"),
                                                        ("SYNC_METHOD_NOT_ALLOWED", "method_not_allowed")}, error
            assert error["message"] != error["message_en"] and not error["message"].isascii(), error
    run()


def _v1_routes(routes, prefix: str = "") -> set[tuple[str, str]]:
    """(method, path) of every route, also inside included routers (FastAPI mounts an
    extension's APIRouter lazily: its routes sit in the included router)."""
    found = set()
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            found |= _v1_routes(inner.routes, prefix + getattr(getattr(route, "include_context", None), "prefix", ""))
            continue
        path = prefix + getattr(route, "path", "")
        for method in getattr(route, "methods", None) or ():
            if method != "HEAD" and path.startswith("/v1/"):
                found.add((method, path))
    return found


def test_every_v1_route_is_fuzzed(tmp_path):
    from sync.server import create_app
    app = create_app(f"sqlite:///{tmp_path / 'routes.sqlite3'}")
    try:
        routes = _v1_routes(app.routes)
    finally:
        app.state.hub.close()
    assert {("POST", "/v1/allotments/{venue_day}/draw"), ("POST", "/v1/push")} <= routes  # the walk sees both kinds
    assert not routes - set(FUZZED), f"/v1 routes no fuzz test covers: {sorted(routes - set(FUZZED))}"
    assert not set(FUZZED) - routes, f"fuzzed routes the hub no longer has: {sorted(set(FUZZED) - routes)}"


def test_the_snapshot_sees_every_table_a_request_can_change(allot_hub):
    tables = set(allot_hub.snapshot())
    assert {"hub_row", "hub_conflict", "hub_device", "hub_enrol_code", "hub_admin_token", "hub_bundle", "hub_plan",
            "allot_pool", "allot_move", "allot_setup", "allot_takeback"} <= tables
    snap = allot_hub.snapshot()
    assert snap["allot_move"] and snap["allot_setup"] and snap["hub_enrol_code"]  # the fixture's, seen


# ---- what the fuzzing found in the allotments router (each was a 500 or a wrong 200) ------

def _takeback(hub, **changes) -> requests.Response:
    body = {"device_id": hub.device_id, "code_id": f"{hub.laptop}/ABCD", "recipient": hub.laptop, "count": 5,
            "expires_at": "2026-11-26T10:00:00+09:00", "margin_min": 10, **changes}
    return send(hub, "POST", f"/v1/allotments/{OTHER_DAY}/takeback", token=hub.device_token, json=body)


def test_takeback_with_a_time_past_year_9999_is_refused_not_a_crash(allot_hub):
    for text in ("9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59"):
        r = _takeback(allot_hub, expires_at=text)
        assert (r.status_code, r.json()["error"]["reason"]) == (422, "expires_at_invalid"), r.text
        assert r.json()["error"]["message"] != r.json()["error"]["message_en"]  # Japanese, code beside it
    # Expiry + margin runs past year 9999: nothing can be dated after it, so no proof.
    r = _takeback(allot_hub, expires_at="9999-12-31T23:59:59+00:00", margin_min=255)
    assert r.status_code == 200 and (r.json()["confirmed"], r.json()["state"]) == (False, "waiting"), r.text


def test_a_synced_row_with_an_impossible_time_does_not_break_the_takeback_check(allot_hub):
    from tests.sync.test_hub import push, rehash
    hub = allot_hub
    head = max(hub.rows, key=lambda r: r["seq"])
    tally = next(r for r in hub.rows if r["table"] == "tally")
    odd = rehash({**tally, "id": "01a2168e-0000-7000-8000-00000000f00d", "seq": head["seq"] + 1,
                  "prev_hash": head["hash"], "device_time": "9999-12-31T23:59:59-23:59"})
    assert push(hub, hub.device_token, [odd]).json()["stored"] == 1
    # The booth's rows are dated 2026-11-26: looking for one after 2027 walks the whole
    # chain, up to the odd row, which names no moment: no proof (yet), not a crash.
    r = _takeback(hub, expires_at="2027-01-01T00:00:00+00:00", margin_min=0)
    assert r.status_code == 200, r.text
    assert (r.json()["confirmed"], r.json()["state"]) == (False, "waiting")
    r = _takeback(hub, expires_at="2020-01-01T00:00:00+00:00", margin_min=0)
    assert (r.status_code, r.json()["state"]) == (200, "expired_unreceived")  # its ordinary rows still count


@pytest.mark.parametrize("field", ["venue", "profile", "municipality"])
def test_setup_names_with_control_characters_are_refused(allot_hub, field):
    hub = allot_hub
    before = hub.snapshot()
    body = {"device_id": hub.device_id, "profile": "miyagi_point_r7", "venue": "夢メッセみやぎ",
            "municipality": "仙台市", "day": DAY, field: "夢\x00メッセ"}
    r = send(hub, "POST", f"/v1/allotments/{OTHER_DAY}/setup", token=hub.device_token, json=body)
    assert (r.status_code, r.json()["error"]["reason"]) == (422, "malformed"), r.text
    assert f"body.{field}" in r.json()["error"]["details"]["where"]
    assert hub.snapshot() == before
    body[field] = "夢メッセ　みやぎ"  # a full-width space is what people type: fine
    r = send(hub, "POST", f"/v1/allotments/{OTHER_DAY}/setup", token=hub.device_token, json=body)
    assert r.status_code == 200 and r.json()["registered"], r.text


def test_a_venue_day_with_a_trailing_newline_is_not_another_pool(allot_hub):
    hub = allot_hub
    before = hub.snapshot()
    body = {"device_id": hub.device_id, "request_id": "req-newline-1", "count": 1, "reserve": 100, "day": DAY}
    for day_text in ("0123456789abcdef%0A", "%EF%BC%90123456789abcdef"):
        r = send(hub, "POST", f"/v1/allotments/{day_text}/draw", token=hub.device_token, json=body)
        assert (r.status_code, r.json()["error"]["reason"]) == (422, "venue_day_invalid"), r.text
    r = send(hub, "POST", f"/v1/allotments/{VENUE_DAY}/draw", token=hub.device_token,
             json={**body, "day": "２０２６-１１-２６"})
    assert (r.status_code, r.json()["error"]["reason"]) == (422, "malformed"), r.text
    assert hub.snapshot() == before
