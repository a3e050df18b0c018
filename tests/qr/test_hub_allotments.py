"""The hub's allotment reserve (sync/allotments_router.py) on a real uvicorn on
127.0.0.1, driven by the laptop's client and by raw HTTP."""
from __future__ import annotations

import httpx
import pytest

from app import points as pts
from app.errors import MadoguchiError
from app.points.hub_client import AllotmentHub
from tests.conftest import at
from tests.qr.hubserver import free_port, running_hub


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    with running_hub(tmp_path_factory.mktemp("hub")) as url:
        yield url


def body(**kw):
    base = {"device_id": "dev-a", "request_id": "req-00000001", "count": 3, "reserve": 5,
            "day": "2026-11-26"}
    return {**base, **kw}


def test_draws_never_exceed_the_reserve_and_retries_do_not_draw_twice(hub):
    day = "00000000000000a1"
    with httpx.Client(base_url=hub) as c:
        assert c.get(f"/v1/allotments/{day}").status_code == 404
        first = c.post(f"/v1/allotments/{day}/draw", json=body()).json()
        assert (first["granted"], first["remaining"]) == (3, 2)
        again = c.post(f"/v1/allotments/{day}/draw", json=body()).json()
        assert (again["granted"], again["remaining"], again["repeated"]) == (3, 2, True)
        second = c.post(f"/v1/allotments/{day}/draw", json=body(request_id="req-00000002",
                                                                 device_id="dev-b")).json()
        assert (second["granted"], second["remaining"]) == (2, 0)  # only what is left
        empty = c.post(f"/v1/allotments/{day}/draw", json=body(request_id="req-00000003")).json()
        assert empty["granted"] == 0
        back = c.post(f"/v1/allotments/{day}/release", json=body(request_id="req-00000004", count=1)).json()
        assert (back["released"], back["remaining"]) == (1, 1)
        pool = c.get(f"/v1/allotments/{day}").json()
        assert pool["devices"] == {"dev-a": 2, "dev-b": 2} and pool["reserve"] == 5


def test_mismatched_or_malformed_requests_are_refused(hub):
    day = "00000000000000a2"
    with httpx.Client(base_url=hub) as c:
        assert c.post(f"/v1/allotments/{day}/draw", json=body(request_id="req-a2-0001")).status_code == 200
        r = c.post(f"/v1/allotments/{day}/draw", json=body(request_id="req-a2-0002", reserve=50))
        assert r.status_code == 409 and r.json()["detail"]["reason"] == "reserve_mismatch"
        r = c.post(f"/v1/allotments/{day}/draw", json=body(request_id="req-a2-0001", count=2))
        assert r.status_code == 409 and r.json()["detail"]["reason"] == "request_id_reused"
        r = c.post(f"/v1/allotments/{day}/draw", json=body())  # an id used for another day
        assert r.status_code == 409 and r.json()["detail"]["reason"] == "request_id_reused"
        assert c.post(f"/v1/allotments/{day}/draw", json=body(count=0)).status_code == 422
        assert c.post("/v1/allotments/NOT-A-DAY/draw", json=body()).status_code == 422


def test_authenticated_device_must_match_the_body(tmp_path):
    from fastapi import Header, HTTPException

    def device_auth(authorization: str = Header(default="")) -> str:
        if authorization != "Bearer token-a":
            raise HTTPException(401, {"reason": "token"})
        return "dev-a"
    with running_hub(tmp_path, device_auth=device_auth) as url, httpx.Client(base_url=url) as c:
        day = "00000000000000a3"
        assert c.post(f"/v1/allotments/{day}/draw", json=body()).status_code == 401
        auth = {"Authorization": "Bearer token-a"}
        assert c.post(f"/v1/allotments/{day}/draw", json=body(device_id="dev-b"), headers=auth).status_code == 403
        assert c.post(f"/v1/allotments/{day}/draw", json=body(request_id="req-a3-0001"),
                      headers=auth).json()["granted"] == 3


def test_laptop_draws_from_the_hub_reserve_set_in_the_join_code(hub, laptops):
    a, b = laptops(2)
    la, lb = pts.local_laptop(a.store), pts.local_laptop(b.store)
    _, join = pts.setup_day(a.store, a.oid, now=at(9), allotments={la: 1000, lb: 1000}, hub_reserve=2000)
    pts.join_day(b.store, b.oid, join, now=at(9))
    with AllotmentHub(hub) as client:
        st = pts.status(b.store, b.oid)
        granted = client.draw(st, device_id=b.store.device_id, request_id="req-b-0001", count=1500)
        st = pts.record_hub_draw(b.store, b.oid, "req-b-0001", granted, now=at(10))
        st = pts.record_hub_draw(b.store, b.oid, "req-b-0001", granted, now=at(10))  # answer seen twice
        assert st.available == 2500
        granted = client.draw(pts.status(a.store, a.oid), device_id=a.store.device_id,
                              request_id="req-a-0001", count=1500)
        assert granted == 500  # the rest of the reserve, no more
        pts.record_hub_draw(a.store, a.oid, "req-a-0001", granted, now=at(10))
        # B gives 300 back: lowered locally first, then sent.
        st = pts.record_hub_release(b.store, b.oid, "req-b-0002", 300, now=at(11))
        assert st.available == 2200
        for request, amount in pts.hub_releases(b.store, b.oid):  # resending all is harmless
            client.release(st, device_id=b.store.device_id, request_id=request, count=amount)
            client.release(st, device_id=b.store.device_id, request_id=request, count=amount)
        assert client.pool(st.venue_day)["remaining"] == 300
    total = pts.status(a.store, a.oid).allotment + pts.status(b.store, b.oid).allotment + 300
    assert total == 4000


def test_hub_unreachable_is_a_clear_error_and_changes_nothing(laptops):
    [a] = laptops(1)
    pts.setup_day(a.store, a.oid, now=at(9), allotments={pts.local_laptop(a.store): 10}, hub_reserve=10)
    with AllotmentHub(f"http://127.0.0.1:{free_port()}", timeout=2) as client:
        with pytest.raises(MadoguchiError) as info:
            client.draw(pts.status(a.store, a.oid), device_id=a.store.device_id, request_id="req-x-0001", count=5)
    assert info.value.code == "POINTS_HUB_FAILED"
    assert pts.status(a.store, a.oid).available == 10


def test_a_router_without_the_laptops_rows_never_confirms_a_take_back(hub):
    """On a database of its own (no synced chains) the router has no proof."""
    from app.points.codes import laptop_code

    body = {"device_id": "dev-a", "code_id": f"{laptop_code('dev-a')}/00A1", "recipient": laptop_code("dev-b"),
            "count": 3, "expires_at": "2026-11-26T01:15:00+00:00", "margin_min": 10}
    with httpx.Client(base_url=hub) as c:
        answer = c.post("/v1/allotments/00000000000000a4/takeback", json=body).json()
        assert (answer["confirmed"], answer["state"]) == (False, "no_rows")
        r = c.post("/v1/allotments/00000000000000a4/takeback", json={**body, "device_id": "dev-b"})
        assert r.status_code == 403 and r.json()["detail"]["reason"] == "not_the_issuer"
