"""Online parts of the distribution day, against the real hub on 127.0.0.1:
one venue-day per venue and date (a second "lead" laptop is refused), draws
whose answer got lost are sent again with the same request id, and grants given
back to the hub (`points release K`) are resent until the hub confirms them."""
from __future__ import annotations

import subprocess
import sys

import pytest

from app import points as pts
from app.errors import MadoguchiError
from app.openings import get_opening, open_opening
from app.points import hub_requests
from app.points.hub_client import AllotmentHub, hub_from_sync_settings, resend_pending
from app.store import Store
from sync import booth
from tests.conftest import ROOT, at
from tests.qr.conftest import POINT_PROFILE, data_dir_of, enrol, push, start_hub

OPENING = ["--profile", POINT_PROFILE, "--kind", "event_venue", "--venue", "夢メッセみやぎ",
           "--municipality", "仙台市", "--date", "2026-11-26", "--staff", "2"]


def run(*args):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def register(lap, hub_client: AllotmentHub, roster) -> dict:
    return hub_client.register_setup(roster.venue_day, device_id=lap.store.device_id,
                                     opening=get_opening(lap.store, lap.oid))


def test_a_second_lead_for_the_same_venue_and_date_is_refused(laptops, real_hub):
    a, b, c = laptops(3)
    for lap in (a, b, c):
        enrol(lap, real_hub)
    roster = pts.prepare_day(a.store, a.oid, now=at(9))
    with hub_from_sync_settings(data_dir_of(a)) as client:
        assert register(a, client, roster)["registered"]
        assert register(a, client, roster)["repeated"]  # asking again is harmless
    pts.setup_day(a.store, a.oid, now=at(9), roster=roster)
    other = pts.prepare_day(b.store, b.oid, now=at(9, 5))
    with hub_from_sync_settings(data_dir_of(b)) as client, pytest.raises(MadoguchiError) as info:
        register(b, client, other)
    assert info.value.code == "POINTS_VENUE_DAY_TAKEN"
    assert pts.local_laptop(a.store) in info.value.message("ja") and "上限が2倍" in info.value.message("ja")
    assert not pts.is_joined(b.store, b.oid)
    # The same venue typed another way, on another laptop: the same venue.
    spaced = open_opening(c.store, profile=POINT_PROFILE, kind="event_venue", venue="夢ﾒｯｾ　みやぎ",
                          municipality="仙台市", date="2026-11-26", large=True, staff=4, now=at(9))
    with hub_from_sync_settings(data_dir_of(c)) as client:
        with pytest.raises(MadoguchiError) as info:
            client.register_setup("00000000000000c1", device_id=c.store.device_id, opening=spaced)
        assert info.value.code == "POINTS_VENUE_DAY_TAKEN"
        # Another date at the same venue is another distribution day.
        next_day = open_opening(c.store, profile=POINT_PROFILE, kind="event_venue", venue="夢メッセみやぎ",
                                municipality="仙台市", date="2026-11-27", large=True, staff=4, now=at(9))
        assert client.register_setup("00000000000000c2", device_id=c.store.device_id,
                                     opening=next_day)["registered"]


def test_a_lead_that_set_up_offline_and_synced_is_seen_by_the_hub(laptops, real_hub):
    a, b = laptops(2)
    pts.setup_day(a.store, a.oid, now=at(9))  # offline: nothing registered
    enrol(a, real_hub)
    push(a)  # its set-up reaches the hub with its rows
    enrol(b, real_hub)
    roster = pts.prepare_day(b.store, b.oid, now=at(10))
    with hub_from_sync_settings(data_dir_of(b)) as client, pytest.raises(MadoguchiError) as info:
        register(b, client, roster)
    assert info.value.code == "POINTS_VENUE_DAY_TAKEN"


def test_a_lost_draw_answer_is_fetched_again_with_the_same_request(laptops, real_hub):
    [a] = laptops(1)
    enrol(a, real_hub)
    la = pts.local_laptop(a.store)
    pts.setup_day(a.store, a.oid, now=at(9), allotments={la: 3000}, hub_reserve=1000)
    req, reused = hub_requests.begin_draw(a.store, a.oid, 300, now=at(10))
    assert not reused and hub_requests.pending(a.store, a.oid) == [req]
    with hub_from_sync_settings(data_dir_of(a)) as client:
        # The hub commits the draw, but the answer never reaches the board (closed, crashed).
        assert client.draw(pts.status(a.store, a.oid), device_id=a.store.device_id,
                           request_id=req.request_id, count=300) == 300
        # A retry reuses the request, whatever count is asked now.
        again, reused = hub_requests.begin_draw(a.store, a.oid, 50, now=at(10, 1))
        assert reused and again == req
        assert [(r.request_id, n) for r, n in resend_pending(a.store, a.oid, client, now=at(10, 2))] \
            == [(req.request_id, 300)]
        assert resend_pending(a.store, a.oid, client, now=at(10, 3)) == []
        assert client.pool(pts.status(a.store, a.oid).venue_day)["remaining"] == 700
    assert pts.status(a.store, a.oid).available == 3300  # counted once


def test_release_on_the_command_line_is_resent_until_the_hub_confirms(tmp_path):
    a = ["--data-dir", str(tmp_path / "a")]
    oa = run(*a, "open", *OPENING).stdout.strip()
    hub = start_hub(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    try:
        booth.enrol(tmp_path / "a", hub_url=hub.url, code=hub.code("名取-1"))
        r = run(*a, "points", "setup", "--opening", oa, "--hub-reserve", "100")
        assert r.returncode == 0 and "3900 left" in r.stdout, r.stderr
        r = run(*a, "points", "draw", "--opening", oa, "30")
        assert r.returncode == 0 and "drawn 30 of 30" in r.stdout and "3930 left" in r.stdout, r.stderr
        r = run(*a, "points", "draw", "--opening", oa, "500")  # more than the hub was given
        assert r.returncode == 2 and "POINTS_HUB_COUNT_INVALID" in r.stderr and "100 名" in r.stderr
        r = run(*a, "points", "release", "--opening", oa, "10")
        assert r.returncode == 0 and "3920 left" in r.stdout, r.stderr
        assert "10 of 10 confirmed by the hub" in r.stdout
        r = run(*a, "points", "take-back", "--opening", oa)
        assert r.returncode == 0 and "no transfer code past expiry" in r.stdout
        venue_day = pts_status(tmp_path / "a", oa).venue_day
        assert pool_remaining(hub, venue_day) == 80
    finally:
        hub.stop()
    # The hub is gone: the release is taken off here at once and kept for later.
    r = run(*a, "points", "release", "--opening", oa, "5")
    assert r.returncode == 1 and "差し引き済み" in r.stderr and "3915 left" in r.stdout
    hub = start_hub(hub.db_url)  # the hub is back (on another port)
    try:
        booth.save_settings(tmp_path / "a", hub_url=hub.url)
        r = run(*a, "points", "release", "--opening", oa)  # no K: only what is pending
        assert r.returncode == 0 and "5 of 5 confirmed by the hub" in r.stdout, r.stderr
        assert "3915 left" in r.stdout and pool_remaining(hub, venue_day) == 85
    finally:
        hub.stop()
    r = run(*a, "points", "release", "--opening", oa, "99999")  # more than this laptop has
    assert r.returncode == 2 and "POINTS_TRANSFER_COUNT_INVALID" in r.stderr


def test_release_without_a_hub_is_refused_before_anything_changes(tmp_path):
    a = ["--data-dir", str(tmp_path / "a")]
    oa = run(*a, "open", *OPENING).stdout.strip()
    assert run(*a, "points", "setup", "--opening", oa, "--hub-reserve", "100").returncode == 0
    r = run(*a, "points", "release", "--opening", oa, "10")
    assert r.returncode == 2 and "SYNC_NOT_CONFIGURED" in r.stderr
    assert pts_status(tmp_path / "a", oa).available == 3900


def test_second_lead_on_the_command_line(tmp_path, real_hub):
    a, b = ["--data-dir", str(tmp_path / "a")], ["--data-dir", str(tmp_path / "b")]
    oa = run(*a, "open", *OPENING).stdout.strip()
    ob = run(*b, "open", *OPENING).stdout.strip()
    for folder, name in (("a", "名取-1"), ("b", "名取-2")):
        booth.enrol(tmp_path / folder, hub_url=real_hub.url, code=real_hub.code(name))
    first = run(*a, "points", "setup", "--opening", oa)
    assert first.returncode == 0, first.stderr
    r = run(*b, "points", "setup", "--opening", ob)
    assert r.returncode == 2 and "POINTS_VENUE_DAY_TAKEN" in r.stderr and "代表端末の参加コード" in r.stderr
    assert "まだ設定されていません" in run(*b, "points", "status", "--opening", ob).stdout
    join = first.stdout.splitlines()[0]
    assert run(*b, "points", "join", "--opening", ob, "--code", join).returncode == 0


def pts_status(data_dir, oid):
    with Store.open(data_dir, read_only=True) as store:
        return pts.status(store, oid)


def pool_remaining(hub, venue_day) -> int:
    with hub.hub.pool.conn() as c:
        moves = c.query("SELECT kind, SUM(amount) FROM allot_move WHERE venue_day = ? GROUP BY kind", (venue_day,))
        reserve = c.query_one("SELECT reserve FROM allot_pool WHERE venue_day = ?", (venue_day,))[0]
    sums = {k: int(n) for k, n in moves}
    return int(reserve) - sums.get("draw", 0) + sums.get("release", 0)


def test_setup_by_a_revoked_laptop_says_the_hub_did_not_check_and_why(tmp_path, real_hub):
    """The hub refuses the revoked laptop's set-up check: the day is still set up
    offline (the usual case at a venue without network), and the lead is told the
    hub did not check for a second lead, and why — not that it was unreachable."""
    from sync.state import SyncState
    from tests.sync.helpers import utc

    a = ["--data-dir", str(tmp_path / "a")]
    oa = run(*a, "open", *OPENING).stdout.strip()
    booth.enrol(tmp_path / "a", hub_url=real_hub.url, code=real_hub.code("名取-1"))
    real_hub.hub.revoke(SyncState(tmp_path / "a").settings()["device_id"], utc())
    r = run(*a, "points", "setup", "--opening", oa, "--hub-reserve", "100")
    assert r.returncode == 0 and "3900 left" in r.stdout, r.stderr
    assert "同じ会場・日付の二重設定はハブで確認できませんでした" in r.stderr
    assert "この端末の登録が無効です" in r.stderr and "HTTP 401" in r.stderr
    assert "通信できませんでした" not in r.stderr
