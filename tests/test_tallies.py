"""Taps, applicant cards, undo, corrections, closing and amendments."""
from __future__ import annotations

import pytest

from app.errors import MadoguchiError
from app.openings import close_opening, get_opening, list_openings, open_opening, resumable_openings
from app.tallies import correct, history, hourly, record_card, tap, totals, undo, undo_last
from app.verify import verify
from tests.conftest import at


def test_opening_region_follows_from_municipality(opening):
    assert opening.region.label_ja == "仙台"
    assert opening.municipality == "名取市"
    assert opening.large and opening.staff == 3 and not opening.closed


@pytest.mark.parametrize("field, value, code", [
    ("municipality", "盛岡市", "MUNICIPALITY_UNKNOWN"),
    ("kind", "no_such_kind", "OPENING_KIND_UNKNOWN"),
    ("staff", "0", "STAFF_INVALID"),
    ("staff", "two", "STAFF_INVALID"),
    ("date", "2026/11/26", "DATE_INVALID"),
    ("venue", "  ", "VENUE_REQUIRED"),
])
def test_bad_opening_is_refused_and_nothing_is_written(store, p003, field, value, code):
    args = dict(profile=p003, kind=p003.opening_kinds[0].key, venue="会場", municipality="仙台市",
                date="2026-11-26", large=False, staff=2, now=at(9))
    args[field] = value
    with pytest.raises(MadoguchiError) as err:
        open_opening(store, **args)
    assert err.value.code == code
    assert err.value.message("ja") and err.value.message("en")
    assert list_openings(store) == []


def test_tap_counts_and_dimension_breakdown(store, opening):
    tap(store, opening.id, "visitors", now=at(10))
    tap(store, opening.id, "visitors", now=at(10, 5))
    tap(store, opening.id, "application", {"age_band": "30s", "method": "online"}, now=at(11))
    tap(store, opening.id, "application", {"age_band": "70s", "method": "paper"}, now=at(11, 30))
    t = totals(store, opening.id)
    assert t["visitors"]["total"] == 2
    assert t["application"]["total"] == 2
    assert t["application"]["by_dimension"]["age_band"] == {"30s": 1, "70s": 1}
    assert t["application"]["by_dimension"]["method"] == {"online": 1, "paper": 1}
    assert t["smartphone_help"]["total"] == 0  # every counter of the profile is listed
    assert hourly(store, opening.id) == {10: {"visitors": 2}, 11: {"application": 2}}


@pytest.mark.parametrize("counter, dims, code", [
    ("no_such_counter", {}, "COUNTER_UNKNOWN"),
    ("application", {"age_band": "30s"}, "DIMENSION_MISSING"),
    ("application", {"age_band": "30s", "method": "fax"}, "DIMENSION_VALUE_INVALID"),
    ("visitors", {"age_band": "30s"}, "DIMENSION_UNKNOWN"),
])
def test_bad_tap_is_refused_and_nothing_is_written(store, opening, counter, dims, code):
    with pytest.raises(MadoguchiError) as err:
        tap(store, opening.id, counter, dims, now=at(10))
    assert err.value.code == code
    assert store.query_one("SELECT COUNT(*) FROM tally")[0] == 0


def test_applicant_card_records_one_applicant_in_one_commit(store, opening, p003):
    assert p003.card is not None
    dims = {"age_band": "60s", "method": "paper"}
    rows = record_card(store, opening.id, dims, optional=["insurance_link"], now=at(10))
    assert {r.counter for r in rows} == {"application", "insurance_link"}
    assert len({r.group_id for r in rows}) == 1
    t = totals(store, opening.id)
    assert t["application"]["by_dimension"]["method"] == {"paper": 1}
    assert t["insurance_link"]["by_dimension"]["age_band"] == {"60s": 1}
    assert t["kouhi_account"]["total"] == 0


def test_undo_last_cancels_the_whole_last_touch_then_the_one_before(store, opening):
    tap(store, opening.id, "visitors", now=at(10))
    record_card(store, opening.id, {"age_band": "20s", "method": "online"},
                optional=["insurance_link", "kouhi_account"], now=at(10, 1))
    undone = undo_last(store, opening.id, now=at(10, 2))
    assert {r.counter for r in undone} == {"application", "insurance_link", "kouhi_account"}
    t = totals(store, opening.id)
    assert t["application"]["total"] == 0 and t["visitors"]["total"] == 1
    undo_last(store, opening.id, now=at(10, 3))
    assert totals(store, opening.id)["visitors"]["total"] == 0
    with pytest.raises(MadoguchiError) as err:
        undo_last(store, opening.id, now=at(10, 4))
    assert err.value.code == "NOTHING_TO_UNDO"


def test_undo_an_earlier_tap_needs_a_reason_and_happens_once(store, opening):
    first = tap(store, opening.id, "visitors", now=at(10))
    tap(store, opening.id, "visitors", now=at(10, 1))
    with pytest.raises(MadoguchiError) as err:
        undo(store, first.id, reason=" ", now=at(10, 2))
    assert err.value.code == "REASON_REQUIRED"
    [row] = undo(store, first.id, reason="二重に押した", now=at(10, 2))
    assert row.delta == -1 and row.ref_id == first.id and row.reason == "二重に押した"
    with pytest.raises(MadoguchiError) as err:
        undo(store, first.id, reason="again", now=at(10, 3))
    assert err.value.code == "ALREADY_UNDONE"
    with pytest.raises(MadoguchiError) as err:
        undo(store, row.id, reason="undo the undo", now=at(10, 3))
    assert err.value.code == "TALLY_NOT_UNDOABLE"
    assert totals(store, opening.id)["visitors"]["total"] == 1
    assert [h.undone for h in history(store, opening.id) if h.kind == "tap"] == [False, True]


def test_correction_moves_a_tap_to_other_dimension_values(store, opening):
    wrong = tap(store, opening.id, "application", {"age_band": "30s", "method": "paper"}, now=at(10))
    rows = correct(store, wrong.id, dims={"age_band": "40s", "method": "paper"},
                   reason="年代の押し間違い", now=at(10, 5))
    assert [r.kind for r in rows] == ["undo", "correction"]
    by_age = totals(store, opening.id)["application"]["by_dimension"]["age_band"]
    assert by_age == {"40s": 1}
    with pytest.raises(MadoguchiError) as err:
        correct(store, rows[1].id, dims={"age_band": "40s", "method": "paper"}, reason="x", now=at(11))
    assert err.value.code == "CORRECTION_UNCHANGED"


def test_closed_day_is_frozen_and_later_changes_are_amendments(store, opening):
    tap(store, opening.id, "visitors", now=at(10))
    closed = close_opening(store, opening.id, now=at(17), confirmed_by="佐藤")
    assert closed.closed and resumable_openings(store, closed.date) == []
    with pytest.raises(MadoguchiError) as err:
        tap(store, opening.id, "visitors", now=at(17, 5))
    assert err.value.code == "OPENING_CLOSED"
    with pytest.raises(MadoguchiError) as err:
        undo_last(store, opening.id, now=at(17, 5))
    assert err.value.code == "OPENING_CLOSED"
    with pytest.raises(MadoguchiError) as err:
        close_opening(store, opening.id, now=at(17, 6))
    assert err.value.code == "ALREADY_CLOSED"
    row = tap(store, opening.id, "visitors", now=at(17, 10), reason="締め後に記入漏れが判明")
    assert row.amendment
    assert totals(store, opening.id)["visitors"]["total"] == 2
    summary = store.query_one("SELECT summary FROM closing WHERE opening_id = ?", (opening.id,))[0]
    assert '"visitors": 1' in summary  # what the supervisor confirmed stays on record


def test_resume_lists_only_this_days_open_openings(store, p003, opening):
    other_day = open_opening(store, profile=p003, kind=p003.opening_kinds[0].key, venue="別会場",
                             municipality="石巻市", date="2026-11-27", large=False, staff=1, now=at(9))
    assert [o.id for o in resumable_openings(store, opening.date)] == [opening.id]
    assert get_opening(store, other_day.id).region.label_ja == "石巻"


def test_chain_verifies_after_mixed_work(store, opening):
    t = tap(store, opening.id, "visitors", now=at(10))
    record_card(store, opening.id, {"age_band": "50s", "method": "online"}, now=at(10, 1))
    undo(store, t.id, reason="誤り", now=at(10, 2))
    close_opening(store, opening.id, now=at(17))
    report = verify(store)
    assert report.ok, report.problems
    assert report.rows_checked == store.query_one("SELECT head_seq FROM device WHERE is_local=1")[0]


def test_variant_spelling_of_a_municipality_is_stored_under_its_official_name(store, p003):
    o = open_opening(store, profile=p003, kind=p003.opening_kinds[0].key, venue="塩釜ガス体験館",
                     municipality="塩釜市", date="2026-11-26", large=False, staff=1, now=at(9))
    assert o.municipality == "塩竈市" and o.region.key == "sendai"
