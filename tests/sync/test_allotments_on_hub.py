"""The point-allotment reserve mounted on the real hub (sync.server.EXTENSIONS):
laptops enrolled with the hub draw their allotment from it with their own device
token, on SQLite and on PostgreSQL, stored in the hub's own database."""
from __future__ import annotations

import concurrent.futures

import httpx
import pytest

from app import points as pts
from app.errors import MadoguchiError
from app.openings import open_opening
from app.points.hub_client import draw_block, hub_from_sync_settings
from app.store import Store
from sync import booth
from sync.server import EXTENSIONS
from tests.conftest import at
from tests.sync.helpers import utc

POINT_PROFILE = "miyagi_point_r7"


def laptop(folder, name):
    data = folder / name
    with Store.open(data, now=at(8)) as store:
        opening = open_opening(store, profile=POINT_PROFILE, kind="event_venue", venue="夢メッセみやぎ",
                               municipality="仙台市", date="2026-11-26", large=True, staff=4, now=at(9))
        laptop_code = pts.local_laptop(store)
    return data, opening.id, laptop_code


def draw(data, oid, count, request_id):
    """What the QR board does: the network call off the store, then the record."""
    with Store.open(data, read_only=True) as store:
        st, device_id = pts.status(store, oid), store.device_id
    hub = hub_from_sync_settings(data)
    try:
        granted = draw_block(hub, st, device_id=device_id, request_id=request_id, count=count)
    finally:
        hub.close()
    with Store.open(data) as store:
        return granted, pts.record_hub_draw(store, oid, request_id, granted, now=at(10))


def test_laptops_draw_their_allotment_from_the_hub(hub, tmp_path):
    assert "sync.allotments_router:mount" in EXTENSIONS
    a, a_oid, la = laptop(tmp_path, "a")
    b, b_oid, lb = laptop(tmp_path, "b")
    for data, name in ((a, "名取-1"), (b, "名取-2")):
        booth.enrol(data, hub_url=hub.url, code=hub.code(name))
    with Store.open(a) as store:
        _, join = pts.setup_day(store, a_oid, now=at(9), allotments={la: 1000, lb: 1000}, hub_reserve=2000)
    with Store.open(b) as store:
        pts.join_day(store, b_oid, join, now=at(9, 5))

    granted, st = draw(b, b_oid, 1500, "req-b-000001")
    assert granted == 1500 and st.available == 2500
    granted, st = draw(a, a_oid, 1500, "req-a-000001")
    assert granted == 500 and st.available == 1500  # only what the reserve still held
    granted, _ = draw(a, a_oid, 10, "req-a-000002")
    assert granted == 0

    # Stored in the hub's own database, next to the rows it merges.
    with hub.hub.pool.conn() as c:
        moves = c.query("SELECT device_id, kind, amount FROM allot_move ORDER BY amount")
    with Store.open(a, read_only=True) as sa, Store.open(b, read_only=True) as sb:
        ids = {sa.device_id: "a", sb.device_id: "b"}
    assert [(ids[d], k, int(n)) for d, k, n in moves] == [("a", "draw", 0), ("a", "draw", 500),
                                                          ("b", "draw", 1500)]
    with hub_from_sync_settings(a) as client:
        pool = client.pool(st.venue_day)
    assert pool["remaining"] == 0 and pool["drawn"] == 2000
    with Store.open(a, read_only=True) as sa, Store.open(b, read_only=True) as sb:
        total = pts.status(sa, a_oid).allotment + pts.status(sb, b_oid).allotment
    assert total == 4000  # the venue's cap, whoever drew what


def test_hub_checks_the_device_token_and_keeps_the_reason(hub, tmp_path):
    a, a_oid, la = laptop(tmp_path, "a")
    booth.enrol(a, hub_url=hub.url, code=hub.code("名取-1"))
    with Store.open(a) as store:
        st, _ = pts.setup_day(store, a_oid, now=at(9), allotments={la: 10}, hub_reserve=20)
        device_id = store.device_id
    body = {"device_id": device_id, "request_id": "req-auth-0001", "count": 5, "reserve": 20,
            "day": "2026-11-26"}
    path = f"/v1/allotments/{st.venue_day}/draw"
    with httpx.Client(base_url=hub.url, timeout=10) as c:
        assert c.post(path, json=body).json()["error"]["reason"] == "token_missing"
        r = c.post(path, json=body, headers={"Authorization": "Bearer mdgd_forged"})
        assert r.status_code == 401
        r = c.post(path, json=body, headers={"Authorization": f"Bearer {hub.admin}"})
        assert r.status_code == 403  # the office's admin token is not a laptop
    with hub_from_sync_settings(a) as client:
        with pytest.raises(MadoguchiError) as info:  # another laptop's id in the body
            client.draw(st, device_id="someone-else", request_id="req-auth-0002", count=5)
        assert info.value.code == "POINTS_HUB_REFUSED"
        assert "403" in info.value.message("en") and "device_mismatch" in info.value.message("en")
        assert "別の端末としての依頼" in info.value.message("ja")
        assert client.draw(st, device_id=device_id, request_id="req-auth-0003", count=5) == 5
        with pytest.raises(MadoguchiError) as info:  # a join code with another reserve
            client.draw(pts.PointsStatus(**{**st.__dict__, "hub_reserve": 99}), device_id=device_id,
                        request_id="req-auth-0004", count=5)
        assert "reserve_mismatch" in info.value.message("ja")
        assert info.value.message("ja").startswith("ハブがこの依頼を受け付けませんでした：ハブの予備枠の設定がこの端末の設定と違います")
        assert client.pool(st.venue_day)["remaining"] == 15
        hub.hub.revoke(device_id, utc())  # a revoked laptop hears why, not "could not reach the hub"
        with pytest.raises(MadoguchiError) as info:
            client.draw(st, device_id=device_id, request_id="req-auth-0005", count=5)
        assert info.value.code == "POINTS_HUB_REFUSED" and "401" in info.value.message("ja")
        assert "この端末の登録が無効です" in info.value.message("ja") and "enrolment" in info.value.message("en")


def test_concurrent_draws_never_exceed_the_reserve(hub, tmp_path):
    """Many laptops draw at once: the pool lock keeps the sum at the reserve."""
    a, a_oid, la = laptop(tmp_path, "a")
    booth.enrol(a, hub_url=hub.url, code=hub.code("名取-1"))
    with Store.open(a) as store:
        st, _ = pts.setup_day(store, a_oid, now=at(9), allotments={la: 0}, hub_reserve=100)
        device_id = store.device_id

    def one(i: int) -> int:
        with hub_from_sync_settings(a) as client:
            return draw_block(client, st, device_id=device_id, request_id=f"req-par-{i:04d}", count=7)
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        granted = list(pool.map(one, range(24)))
    assert sum(granted) == 100
    with hub_from_sync_settings(a) as client:
        assert client.pool(st.venue_day)["remaining"] == 0
