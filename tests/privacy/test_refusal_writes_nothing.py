"""A refused reason or name leaves the store exactly as it was (same rows, same chain
head: the transaction never started), on every path a reason enters — tap and card
after closing, undo last, undo from the history, correction, the point grant — and
the closing. Nothing of the refused text reaches the log."""
from __future__ import annotations

import logging

import pytest

from app import points as pts
from app.errors import MadoguchiError
from app.openings import close_opening, get_opening, open_opening
from app.store import CHAINED_COLUMNS, Store
from app.tallies import correct, record_card, tap, totals, undo, undo_last
from app.verify import verify
from tests.conftest import at

PHONE = "090-1234-5678"
MY_NUMBER = "1234 5678 9012"


def snapshot(store) -> tuple:
    """Row count of every chained table and this laptop's chain head."""
    counts = tuple(store.query_one(f"SELECT COUNT(*) FROM {t}")[0] for t in CHAINED_COLUMNS
                   if store.query_one("SELECT 1 FROM sqlite_master WHERE name = ?", (t,)))
    head = tuple(store.query_one("SELECT head_seq, head_hash FROM device WHERE is_local = 1"))
    return counts, head


def refused(code: str, fn, *args, **kwargs) -> MadoguchiError:
    with pytest.raises(MadoguchiError) as info:
        fn(*args, **kwargs)
    assert info.value.code == code, info.value
    return info.value


@pytest.fixture
def logged(caplog):
    caplog.set_level(logging.DEBUG, logger="madoguchi")
    return caplog


def assert_not_logged(caplog, *texts: str) -> None:
    lines = "\n".join(r.getMessage() for r in caplog.records)
    for text in texts:
        assert text not in lines


def test_refused_reasons_before_closing_write_nothing(store, opening, logged):
    first = tap(store, opening.id, "visitors", now=at(10))
    card = record_card(store, opening.id, {"age_band": "30s", "method": "paper"}, now=at(10, 1))
    before = snapshot(store)
    refused("TALLY_REASON_PERSONAL_DATA", undo, store, first.id, reason=f"本人 {PHONE} から連絡", now=at(10, 2))
    refused("TALLY_REASON_PERSONAL_DATA", correct, store, card[0].id,
            dims={"age_band": "40s", "method": "paper"}, reason=f"番号{MY_NUMBER}で確認", now=at(10, 3))
    refused("TALLY_REASON_PERSONAL_DATA", undo_last, store, opening.id, reason="taro@example.com", now=at(10, 4))
    refused("TALLY_REASON_PERSONAL_DATA", tap, store, opening.id, "visitors", reason="〒981-1224", now=at(10, 5))
    assert snapshot(store) == before
    assert totals(store, opening.id)["visitors"]["total"] == 1
    assert_not_logged(logged, PHONE, MY_NUMBER, "taro@example.com", "981-1224")
    assert any("reason refused: looks like phone" in r.getMessage() for r in logged.records)
    # The same actions with a plain reason go through.
    undo(store, first.id, reason="二重に押した", now=at(10, 6))
    assert totals(store, opening.id)["visitors"]["total"] == 0
    assert verify(store).ok


def test_refused_amendments_after_closing_write_nothing(store, opening, logged):
    tap(store, opening.id, "visitors", now=at(10))
    close_opening(store, opening.id, now=at(17), confirmed_by="佐藤")
    before = snapshot(store)
    refused("TALLY_REASON_PERSONAL_DATA", tap, store, opening.id, "visitors",
            reason="S45.3.2生の方の記入漏れ", now=at(17, 5))
    refused("TALLY_REASON_PERSONAL_DATA", record_card, store, opening.id,
            {"age_band": "30s", "method": "paper"}, reason=f"{PHONE}の方", now=at(17, 6))
    refused("TALLY_REASON_PERSONAL_DATA", undo_last, store, opening.id, reason=MY_NUMBER, now=at(17, 7))
    assert snapshot(store) == before
    assert_not_logged(logged, "S45.3.2", PHONE, MY_NUMBER)
    row = tap(store, opening.id, "visitors", reason="締め後に記入漏れが判明", now=at(17, 10))
    assert row.amendment and row.reason == "締め後に記入漏れが判明"


@pytest.mark.parametrize("name, code", [
    (f"佐藤 {PHONE}", "CLOSING_NAME_PERSONAL_DATA"),
    ("sato@example.com", "CLOSING_NAME_PERSONAL_DATA"),
    ("佐藤 12345", "CLOSING_NAME_NOT_A_NAME"),
])
def test_a_refused_confirming_name_leaves_the_day_open(store, opening, logged, name, code):
    tap(store, opening.id, "visitors", now=at(10))
    before = snapshot(store)
    refused(code, close_opening, store, opening.id, now=at(17), confirmed_by=name)
    assert snapshot(store) == before
    assert not get_opening(store, opening.id).closed
    assert_not_logged(logged, name, PHONE, "sato@example.com", "12345")
    assert close_opening(store, opening.id, now=at(17, 1), confirmed_by=" 佐藤 花子 ").closed
    assert store.query_one("SELECT confirmed_by FROM closing")[0] == "佐藤 花子"


def test_a_point_grant_with_personal_data_in_its_reason_writes_nothing(tmp_path):
    with Store.open(tmp_path / "points", now=at(8)) as store:
        o = open_opening(store, profile="miyagi_point_r7", kind="event_venue", venue="夢メッセみやぎ",
                         municipality="仙台市", date="2026-11-26", large=True, staff=4, now=at(9))
        pts.setup_day(store, o.id, now=at(9))
        before = snapshot(store)
        refused("TALLY_REASON_PERSONAL_DATA", pts.grant, store, o.id, reason=f"受取人 {PHONE}", now=at(10))
        assert snapshot(store) == before
        assert pts.status(store, o.id).granted == 0
