"""An expired transfer code's grants come back to the issuer through the hub, and
only when the hub can prove the recipient never received it and never will: its
synced chain reaches, without a gap, past expiry + margin with no transfer_in of
the code. Real hub (sync.server with the allotments router) on 127.0.0.1,
laptops enrolled with it and pushing their rows with sync."""
from __future__ import annotations

import httpx
import pytest

from app import points as pts
from app.errors import MadoguchiError
from app.points.hub_client import hub_from_sync_settings, take_back_expired
from sync.outbox import rows_after
from sync.state import SyncState
from tests.conftest import at
from tests.qr.conftest import data_dir_of, enrol, push, start_hub


@pytest.fixture(params=["sqlite", "postgresql"])
def hub(request, tmp_path):
    url = (f"sqlite:///{tmp_path / 'hub.sqlite3'}" if request.param == "sqlite"
           else request.getfixturevalue("qr_pg")())
    server = start_hub(url)
    yield server
    server.stop()


def venue(laptops, hub, *, b_online: bool = True):
    """A (lead, 3000) and B (member, 1000), enrolled with the hub."""
    a, b = laptops(2)
    la, lb = pts.local_laptop(a.store), pts.local_laptop(b.store)
    _, join = pts.setup_day(a.store, a.oid, now=at(9), allotments={la: 3000, lb: 1000})
    pts.join_day(b.store, b.oid, join, now=at(9))
    for lap in (a, b) if b_online else (a,):
        enrol(lap, hub)
    return a, b, lb


def ask(lap, hour, minute):
    """What the issuing laptop does online: ask about its expired codes, record confirmations."""
    with hub_from_sync_settings(data_dir_of(lap)) as client:
        return [answer for _code, answer in take_back_expired(lap.store, lap.oid, client, now=at(hour, minute))]


def returned_rows(lap) -> int:
    return lap.store.query_one("SELECT COUNT(*) FROM points_allotment WHERE kind = 'transfer_returned'")[0]


def allotments(*laps) -> int:
    return sum(pts.status(lap.store, lap.oid).allotment for lap in laps)


def test_expired_unreceived_code_comes_back_once(laptops, hub):
    a, b, lb = venue(laptops, hub)
    code, st = pts.issue_transfer(a.store, a.oid, lb, 100, now=at(10), valid_min=15)  # expires 10:15
    assert st.available == 2900
    pts.grant(b.store, b.oid, now=at(10, 20))  # B is busy, after expiry but within the 10-minute margin
    push(b)
    assert [x["state"] for x in ask(a, 10, 30)] == ["waiting"]
    assert pts.status(a.store, a.oid).available == 2900
    pts.grant(b.store, b.oid, now=at(10, 26))  # a row past expiry + margin reaches the hub
    push(b)
    [answer] = ask(a, 10, 30)
    assert answer["confirmed"] and answer["state"] == "expired_unreceived"
    st = pts.status(a.store, a.oid, at(10, 30))
    assert st.available == 3000 and st.outstanding == () and [o.code_id for o in st.returned_by_hub] \
        == [answer["code_id"]]
    # Asking again (another board, a retry) never returns it twice.
    assert ask(a, 10, 40) == []
    with hub_from_sync_settings(data_dir_of(a)) as client:
        again = client.check_takeback(st, st.returned_by_hub[0], device_id=a.store.device_id)
    assert again["confirmed"] and again["repeated"]
    assert returned_rows(a) == 1
    # B can no longer receive it, even with its clock turned back before the expiry.
    with pytest.raises(MadoguchiError) as info:
        pts.receive_transfer(b.store, b.oid, code, now=at(10, 5))
    assert info.value.code == "POINTS_TRANSFER_EXPIRED_CLOCK"
    assert "時計が戻された" in info.value.message("ja")
    assert allotments(a, b) == 4000


def test_code_received_just_before_expiry_is_never_returned(laptops, hub):
    a, b, lb = venue(laptops, hub)
    code, _ = pts.issue_transfer(a.store, a.oid, lb, 100, now=at(10), valid_min=15)
    pts.receive_transfer(b.store, b.oid, code, now=at(10, 14))
    pts.grant(b.store, b.oid, now=at(10, 40))
    push(b)
    [answer] = ask(a, 10, 50)
    assert (answer["confirmed"], answer["state"]) == (False, "received")
    st = pts.status(a.store, a.oid, at(10, 50))
    assert st.available == 2900 and len(st.outstanding) == 1 and returned_rows(a) == 0
    assert allotments(a, b) == 4000


def test_recipient_offline_keeps_the_grants_away(laptops, hub):
    """The hub has not seen B past expiry + margin: no proof, nothing comes back,
    however late A asks."""
    a, b, lb = venue(laptops, hub)
    push(b)  # B synced its join at 9:00, then went offline
    pts.issue_transfer(a.store, a.oid, lb, 100, now=at(10), valid_min=15)
    for lap_time in ((10, 10), (10, 20)):
        pts.grant(b.store, b.oid, now=at(*lap_time))  # B works on, offline
    assert [x["state"] for x in ask(a, 12, 0)] == ["waiting"]
    # B's later rows reach the hub with a hole in front of them (a batch got lost):
    # a row past expiry after a gap proves nothing either.
    pts.grant(b.store, b.oid, now=at(11))
    head = b.store.query_one("SELECT head_seq FROM device WHERE is_local = 1")[0]
    hub.hub.push(b.store.device_id, rows_after(b.store, head - 1, 10), at(11))
    assert [x["state"] for x in ask(a, 12, 0)] == ["waiting"]
    assert pts.status(a.store, a.oid).available == 2900 and returned_rows(a) == 0
    push(b)  # the gap is filled: now the hub can tell
    assert [x["state"] for x in ask(a, 12, 0)] == ["expired_unreceived"]
    assert allotments(a, b) == 4000


def test_recipient_the_hub_never_heard_of(laptops, hub):
    a, b, lb = venue(laptops, hub, b_online=False)
    pts.issue_transfer(a.store, a.oid, lb, 100, now=at(10), valid_min=15)
    pts.grant(b.store, b.oid, now=at(11))
    assert [x["state"] for x in ask(a, 12, 0)] == ["recipient_unknown"]
    assert pts.status(a.store, a.oid).available == 2900


def test_clock_turned_back_recipient_refuses_the_code(laptops):
    """Offline, no hub: B has already written a row after the code's expiry; its
    clock is then set back to before the expiry. The code stays refused."""
    a, b = laptops(2)
    la, lb = pts.local_laptop(a.store), pts.local_laptop(b.store)
    _, join = pts.setup_day(a.store, a.oid, now=at(9), allotments={la: 3000, lb: 1000})
    pts.join_day(b.store, b.oid, join, now=at(9))
    code, _ = pts.issue_transfer(a.store, a.oid, lb, 100, now=at(10), valid_min=15)
    pts.grant(b.store, b.oid, now=at(10, 30))
    before = pts.status(b.store, b.oid)
    with pytest.raises(MadoguchiError) as info:
        pts.receive_transfer(b.store, b.oid, code, now=at(10, 5))
    assert info.value.code == "POINTS_TRANSFER_EXPIRED_CLOCK"
    assert pts.status(b.store, b.oid) == before
    # Declining it still works: the return code gives A its grants back.
    ret, _ = pts.void_transfer(b.store, b.oid, code, now=at(10, 6))
    assert pts.accept_return(a.store, a.oid, ret, now=at(10, 40)).available == 3000


def test_hub_answers_only_the_issuer_and_checks_the_code(laptops, hub):
    a, b, lb = venue(laptops, hub)
    pts.issue_transfer(a.store, a.oid, lb, 100, now=at(10), valid_min=15)
    push(a)
    st = pts.status(a.store, a.oid, at(12))
    o = st.outstanding[0]
    body = {"device_id": a.store.device_id, "code_id": o.code_id, "recipient": o.recipient, "count": o.count,
            "expires_at": o.expires_at, "margin_min": st.margin_min}
    path = f"/v1/allotments/{st.venue_day}/takeback"

    def post(data, lap):
        token = SyncState(data_dir_of(lap)).device_token()
        with httpx.Client(base_url=hub.url, timeout=10) as c:
            return c.post(path, json=data, headers={"Authorization": f"Bearer {token}"})
    r = post({**body, "device_id": b.store.device_id}, b)  # B asking about A's code
    assert r.status_code == 403 and r.json()["error"]["reason"] == "not_the_issuer"
    r = post({**body, "count": 5000}, a)  # not what A's synced row says
    assert r.status_code == 409 and r.json()["error"]["reason"] == "transfer_mismatch"
    r = post({**body, "device_id": b.store.device_id}, a)  # someone else's id in the body
    assert r.status_code == 403 and r.json()["error"]["reason"] == "device_mismatch"
    assert post(body, a).json()["state"] == "waiting"


def test_a_voided_code_comes_back_without_its_return_code(laptops, hub):
    """B declined the code (and synced that): A needs no return code once online."""
    a, b, lb = venue(laptops, hub)
    code, _ = pts.issue_transfer(a.store, a.oid, lb, 100, now=at(10), valid_min=15)
    ret, _ = pts.void_transfer(b.store, b.oid, code, now=at(10, 1))
    push(b)
    [answer] = ask(a, 10, 30)
    assert (answer["confirmed"], answer["state"]) == (True, "voided")
    with pytest.raises(MadoguchiError) as info:  # the return code arriving later changes nothing
        pts.accept_return(a.store, a.oid, ret, now=at(10, 40))
    assert info.value.code == "POINTS_RETURN_REPLAYED"
    assert allotments(a, b) == 4000
