"""Grants against the cap on one and several laptops, with the transfer codes
that move allotment between them (real stores in temp folders)."""
from __future__ import annotations

import pytest

from app import points as pts
from app import tallies as tl
from app.errors import MadoguchiError
from app.points import codes
from app.verify import verify
from tests.conftest import at


def refused(code: str, fn, *args, **kwargs) -> MadoguchiError:
    with pytest.raises(MadoguchiError) as info:
        fn(*args, **kwargs)
    assert info.value.code == code, info.value
    return info.value


def grants(lap) -> int:
    return tl.totals(lap.store, lap.oid)["point_grant"]["total"]


def test_one_laptop_holds_the_whole_cap_and_stops_at_it(laptops):
    [a] = laptops(1)
    st, join = pts.setup_day(a.store, a.oid, now=at(9))
    assert (st.cap, st.available, st.whole_cap_here) == (4000, 4000, True)
    assert join.startswith("PV1-")
    refused("POINTS_ALREADY_JOINED", pts.setup_day, a.store, a.oid, now=at(9))
    row, st = pts.grant(a.store, a.oid, now=at(9, 1))
    assert row.counter == "point_grant" and st.available == 3999 and grants(a) == 1
    tl.undo_last(a.store, a.oid, now=at(9, 2))  # a mistaken tap gives the place back
    assert pts.status(a.store, a.oid).available == 4000


def test_cap_reached_refuses_with_the_japanese_message(laptops):
    [a] = laptops(1)
    me = pts.local_laptop(a.store)
    pts.setup_day(a.store, a.oid, now=at(9), allotments={me: 3})
    for _ in range(3):
        pts.grant(a.store, a.oid, now=at(10))
    st = pts.status(a.store, a.oid)
    assert st.ended and not st.cap_reached  # the roster kept 3997 elsewhere (none here)
    err = refused("POINTS_ALLOTMENT_EXHAUSTED", pts.grant, a.store, a.oid, now=at(10))
    assert "使い切りました" in err.message("ja")
    assert grants(a) == 3


def test_whole_cap_used_says_distribution_has_ended(laptops):
    [a] = laptops(1)
    pts.setup_day(a.store, a.oid, now=at(9))
    # Fill the day quickly: 4000 committed grants, one transaction each would be slow.
    with a.store.transaction():
        for _ in range(4000):
            tl.tap(a.store, a.oid, "point_grant", now=at(10))
    st = pts.status(a.store, a.oid)
    assert st.cap_reached and st.available == 0
    err = refused("POINTS_CAP_REACHED", pts.grant, a.store, a.oid, now=at(11))
    assert "本日の配布は終了しました" in err.message("ja")
    assert "ended" in err.message("en")


def test_a_screen_that_taps_the_capped_counter_directly_is_stopped_too(laptops):
    [a] = laptops(1)
    pts.setup_day(a.store, a.oid, now=at(9), allotments={pts.local_laptop(a.store): 1})
    tl.tap(a.store, a.oid, "point_grant", now=at(9))
    # the same check and message as pts.grant, not a generic database error
    refused("POINTS_ALLOTMENT_EXHAUSTED", tl.tap, a.store, a.oid, "point_grant", now=at(9))
    tl.tap(a.store, a.oid, "install_help", now=at(9))  # other counters are not capped
    assert grants(a) == 1 and verify(a.store).ok


def test_grants_need_the_day_to_be_set_up(laptops):
    [a] = laptops(1)
    refused("POINTS_NO_VENUE_DAY", pts.grant, a.store, a.oid, now=at(9))
    refused("OPENING_NOT_FOUND", pts.grant, a.store, "nope", now=at(9))


def test_profile_without_cap_cannot_distribute(store, opening):
    refused("POINTS_NO_CAP", pts.setup_day, store, opening.id, now=at(9))


def test_split_is_checked(laptops):
    a, b = laptops(2)
    la, lb = pts.local_laptop(a.store), pts.local_laptop(b.store)
    err = refused("POINTS_ROSTER_INVALID", pts.setup_day, a.store, a.oid, now=at(9), allotments={la: 3000, lb: 1001})
    assert "合計 4001 名が上限 4000 名を超えています" in err.message("ja")
    assert "over the cap 4000" in err.message("en")
    refused("POINTS_ROSTER_INVALID", pts.setup_day, a.store, a.oid, now=at(9), allotments={la: 3000},
            hub_reserve=1001)
    refused("POINTS_LAPTOP_CODE_INVALID", pts.setup_day, a.store, a.oid, now=at(9), allotments={"ABC-DEF": 1})
    refused("POINTS_ROSTER_INVALID", pts.setup_day, a.store, a.oid, now=at(9),
            allotments={la: 1, la.lower().replace("-", ""): 1})
    assert not pts.is_joined(a.store, a.oid)  # nothing half-written


def two_laptops(laptops, ka=2000, kb=2000):
    a, b = laptops(2)
    la, lb = pts.local_laptop(a.store), pts.local_laptop(b.store)
    _, join = pts.setup_day(a.store, a.oid, now=at(9), allotments={la: ka, lb: kb})
    pts.join_day(b.store, b.oid, join, now=at(9, 5))
    return a, b, la, lb, join


def test_members_join_with_their_allotment_once(laptops):
    a, b, la, lb, join = two_laptops(laptops, 1500, 2500)
    assert pts.status(a.store, a.oid).available == 1500
    st = pts.status(b.store, b.oid)
    assert (st.available, st.role, st.laptop) == (2500, "member", lb)
    assert pts.join_day(b.store, b.oid, join, now=at(9, 6)).available == 2500  # again: no change
    # A laptop the roster does not name joins with 0 and can still receive.
    [c] = laptops(1)
    assert pts.join_day(c.store, c.oid, pts.join_code(a.store, a.oid), now=at(12)).available == 0
    assert pts.join_code(b.store, b.oid) == join


def test_join_code_for_another_date_or_a_skewed_clock_is_refused(laptops, tmp_path):
    from tests.qr.conftest import make_laptop
    a, = laptops(1)
    _, join = pts.setup_day(a.store, a.oid, now=at(9))
    other = make_laptop(tmp_path, "other-day", day="2026-11-27")
    try:
        refused("POINTS_WRONG_DATE", pts.join_day, other.store, other.oid, join, now=at(9))
    finally:
        other.store.close()
    [b] = laptops(1)
    refused("POINTS_CLOCK_SKEW", pts.join_day, b.store, b.oid, join, now=at(8, 30))
    refused("POINTS_CODE_INVALID", pts.join_day, b.store, b.oid, join[:-3], now=at(9))


def test_transfer_moves_allotment_once(laptops):
    a, b, la, lb, _ = two_laptops(laptops)
    code, st = pts.issue_transfer(a.store, a.oid, lb, 300, now=at(10))
    assert st.available == 1700 and st.in_transit == 300
    assert code.startswith("PT1-") and len(code.replace("-", "")) <= 45
    assert pts.receive_transfer(b.store, b.oid, code, now=at(10, 1)).available == 2300
    refused("POINTS_TRANSFER_REPLAYED", pts.receive_transfer, b.store, b.oid, code, now=at(10, 2))
    # typed in lower case with spaces and O for 0: the same code, still only once
    typed = code.lower().replace("-", " ").replace("0", "o")
    refused("POINTS_TRANSFER_REPLAYED", pts.receive_transfer, b.store, b.oid, typed, now=at(10, 2))
    assert pts.transfer_code(a.store, a.oid, st.outstanding[0].code_id) == code
    assert verify(a.store).ok and verify(b.store).ok


def test_forged_or_misaddressed_codes_are_refused(laptops):
    a, b, la, lb, join = two_laptops(laptops)
    [c] = laptops(1)
    lc = pts.local_laptop(c.store)
    pts.join_day(c.store, c.oid, join, now=at(9, 10))
    code, _ = pts.issue_transfer(a.store, a.oid, lb, 10, now=at(10))
    refused("POINTS_TRANSFER_NOT_FOR_ME", pts.receive_transfer, c.store, c.oid, code, now=at(10))
    # Change the count (or anything) in the code: the signature no longer matches.
    t, _, _ = codes.Transfer.decode(code)
    import dataclasses
    bigger = dataclasses.replace(t, count=1000)
    forged = bigger.encode(b"\x00" * 16)
    refused("POINTS_CODE_FORGED", pts.receive_transfer, b.store, b.oid, forged, now=at(10))
    # Re-addressed to another laptop without the day's secret: the signature fails.
    readdressed = dataclasses.replace(t, recipient=lc).encode(b"\x01" * 16)
    refused("POINTS_CODE_FORGED", pts.receive_transfer, c.store, c.oid, readdressed, now=at(10))
    refused("POINTS_CODE_WRONG_KIND", pts.receive_transfer, b.store, b.oid, join, now=at(10))
    assert pts.status(b.store, b.oid).available == 2000
    assert pts.status(c.store, c.oid).available == 0


def test_code_of_another_day_is_refused(laptops):
    a, b = laptops(2)
    [x, y] = laptops(2)
    lb = pts.local_laptop(b.store)
    pts.setup_day(a.store, a.oid, now=at(9), allotments={pts.local_laptop(a.store): 10, lb: 0})
    _, join_x = pts.setup_day(x.store, x.oid, now=at(9))
    pts.join_day(b.store, b.oid, pts.join_code(a.store, a.oid), now=at(9))
    code, _ = pts.issue_transfer(x.store, x.oid, lb, 5, now=at(10))
    with pytest.raises(MadoguchiError) as info:
        pts.receive_transfer(b.store, b.oid, code, now=at(10))
    assert info.value.code in ("POINTS_CODE_UNKNOWN_DAY", "POINTS_CODE_FORGED")


def test_transfer_count_and_address_are_checked(laptops):
    a, b, la, lb, _ = two_laptops(laptops, 5, 0)
    refused("POINTS_TRANSFER_COUNT_INVALID", pts.issue_transfer, a.store, a.oid, lb, 6, now=at(10))
    refused("POINTS_TRANSFER_COUNT_INVALID", pts.issue_transfer, a.store, a.oid, lb, 0, now=at(10))
    refused("POINTS_TRANSFER_TO_SELF", pts.issue_transfer, a.store, a.oid, la, 1, now=at(10))
    refused("POINTS_LAPTOP_CODE_INVALID", pts.issue_transfer, a.store, a.oid, lb[:-1] + "Z"
            if lb[-1] != "Z" else lb[:-1] + "Y", 1, now=at(10))
    assert pts.status(a.store, a.oid).available == 5


def test_expired_code_is_refused_and_its_grants_come_back_with_a_return_code(laptops):
    a, b, la, lb, _ = two_laptops(laptops)
    code, st = pts.issue_transfer(a.store, a.oid, lb, 400, now=at(10), valid_min=15)
    # Not yet past expiry + margin on A: shown as in transit, not expired.
    assert not pts.status(a.store, a.oid, now=at(10, 20)).outstanding[0].expired
    assert pts.status(a.store, a.oid, now=at(10, 26)).outstanding[0].expired
    refused("POINTS_TRANSFER_EXPIRED", pts.receive_transfer, b.store, b.oid, code, now=at(10, 16))
    ret, st_b = pts.void_transfer(b.store, b.oid, code, now=at(10, 16))
    assert ret.startswith("PR1-") and st_b.available == 2000
    assert pts.void_transfer(b.store, b.oid, code, now=at(10, 17))[0] == ret  # shown again
    refused("POINTS_TRANSFER_VOIDED", pts.receive_transfer, b.store, b.oid, code, now=at(10, 1))
    st = pts.accept_return(a.store, a.oid, ret, now=at(10, 30))
    assert st.available == 2000 and st.outstanding == ()
    refused("POINTS_RETURN_REPLAYED", pts.accept_return, a.store, a.oid, ret, now=at(10, 31))


def test_received_code_cannot_be_returned_as_well(laptops):
    a, b, la, lb, _ = two_laptops(laptops)
    code, _ = pts.issue_transfer(a.store, a.oid, lb, 50, now=at(10))
    pts.receive_transfer(b.store, b.oid, code, now=at(10, 1))
    refused("POINTS_VOID_ALREADY_RECEIVED", pts.void_transfer, b.store, b.oid, code, now=at(11))
    assert pts.status(a.store, a.oid).available + pts.status(b.store, b.oid).available == 4000


def test_return_code_only_works_on_the_issuing_laptop(laptops):
    a, b, la, lb, join = two_laptops(laptops)
    [c] = laptops(1)
    pts.join_day(c.store, c.oid, join, now=at(9))
    code, _ = pts.issue_transfer(a.store, a.oid, lb, 50, now=at(10))
    ret, _ = pts.void_transfer(b.store, b.oid, code, now=at(10, 1))
    refused("POINTS_RETURN_UNKNOWN", pts.accept_return, c.store, c.oid, ret, now=at(10, 2))
    refused("POINTS_RETURN_UNKNOWN", pts.accept_return, b.store, b.oid, ret, now=at(10, 2))
    refused("POINTS_CODE_WRONG_KIND", pts.accept_return, a.store, a.oid, code, now=at(10, 2))


def test_receiver_clock_far_behind_the_issuer_is_refused(laptops):
    a, b, la, lb, _ = two_laptops(laptops)
    code, _ = pts.issue_transfer(a.store, a.oid, lb, 5, now=at(12))
    refused("POINTS_CLOCK_SKEW", pts.receive_transfer, b.store, b.oid, code, now=at(11, 49))
    assert pts.receive_transfer(b.store, b.oid, code, now=at(11, 51)).available == 2005


def test_closed_day_grant_needs_a_reason(laptops):
    from app.openings import close_opening
    [a] = laptops(1)
    pts.setup_day(a.store, a.oid, now=at(9))
    close_opening(a.store, a.oid, now=at(17))
    refused("OPENING_CLOSED", pts.grant, a.store, a.oid, now=at(17, 5))
    row, _ = pts.grant(a.store, a.oid, now=at(17, 5), reason="記録漏れ")
    assert row.amendment


def test_status_dict_is_json_friendly(laptops):
    import json
    a, b, la, lb, _ = two_laptops(laptops)
    pts.issue_transfer(a.store, a.oid, lb, 5, now=at(12))
    data = json.loads(json.dumps(pts.status(a.store, a.oid, now=at(12)).to_dict()))
    assert data["available"] == 1995 and data["in_transit"] == 5
    assert data["outstanding"][0]["recipient"] == lb


def test_latest_chain_time_reads_every_row_that_could_be_later(laptops):
    """B's refusal of an expired code rests on this: the latest time B's own rows
    show, whatever B's clock says now (rows of other days are skipped in SQL)."""
    from app import tallies as tl
    from app.points.transfers import latest_chain_time

    [b] = laptops(1)
    tl.tap(b.store, b.oid, "other_help", now=at(10, 30))
    tl.tap(b.store, b.oid, "other_help", now=at(9, 0))  # the clock was set back
    assert latest_chain_time(b.store) == at(10, 30)
    assert latest_chain_time(b.store, since=at(10, 15)) == at(10, 30)
    assert latest_chain_time(b.store, since=at(10, 0, day=29)) is None  # days before: not even read
