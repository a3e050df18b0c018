"""Photo facts in the store: consent, printed sheets and deletions, chained and
counted; never an image."""
from __future__ import annotations

import pytest

from app.errors import MadoguchiError
from app.openings import close_opening, open_opening
from app.photo import facts
from app.tallies import totals
from app.verify import verify
from tests.conftest import at, profile_for_spec


def test_printed_photo_taps_the_photo_counter_once(store, opening):
    facts.record_consent(store, opening.id, "cap-1", now=at(10))
    facts.record_printed(store, opening.id, "cap-1", copies=4, sheet="L", now=at(10, 1))
    facts.record_printed(store, opening.id, "cap-1", copies=1, sheet="single", now=at(10, 2))  # reprint
    facts.record_deletion(store, opening.id, "cap-1", reason="printed", now=at(10, 2))
    facts.record_consent(store, opening.id, "cap-2", now=at(11))
    facts.record_deletion(store, opening.id, "cap-2", reason="declined", now=at(11, 1))
    assert totals(store, opening.id)["photo"]["total"] == 1
    assert facts.photo_counts(store, opening.id) == {"consents": 2, "printed": 1, "copies": 5, "deleted": 2}
    assert [d["reason"] for d in facts.deletions(store, opening.id)] == ["printed", "declined"]
    assert verify(store).ok


def test_profile_002_counts_photos_too(store):
    p002 = profile_for_spec("002")
    o = open_opening(store, profile=p002, kind=p002.opening_kinds[0].key, venue="青葉区役所",
                     municipality="仙台市", date="2026-11-26", large=False, staff=4, now=at(9))
    facts.record_printed(store, o.id, "c", copies=2, sheet="KG", now=at(9, 30))
    assert totals(store, o.id)["photo"]["total"] == 1


def test_closed_day_refuses_new_photos_but_records_deletion(store, opening):
    close_opening(store, opening.id, now=at(18))
    with pytest.raises(MadoguchiError) as err:
        facts.record_consent(store, opening.id, "late", now=at(18, 5))
    assert err.value.code == "OPENING_CLOSED"
    facts.record_deletion(store, opening.id, "late", reason="discarded", now=at(18, 6))
    assert facts.photo_counts(store, opening.id)["deleted"] == 1


def test_rows_are_append_only_and_hold_no_image(store, opening):
    facts.record_printed(store, opening.id, "cap", copies=1, sheet="single", now=at(12))
    import sqlite3

    with pytest.raises(sqlite3.DatabaseError):
        store.conn.execute("UPDATE photo_event SET copies = 9")
    columns = [r[1] for r in store.conn.execute("PRAGMA table_info(photo_event)")]
    assert not {"image", "photo", "data", "blob"} & set(columns)
    assert all(r["typeof"] != "blob" for r in store.query(
        "SELECT typeof(sheet) AS typeof FROM photo_event UNION SELECT typeof(reason) FROM photo_event"))


def test_tampering_is_detected(store, opening):
    facts.record_printed(store, opening.id, "cap", copies=3, sheet="L", now=at(12))
    store.conn.execute("DROP TRIGGER photo_event_no_update")
    store.conn.execute("UPDATE photo_event SET copies = 30")
    report = verify(store)
    assert not report.ok and report.first_bad.table == "photo_event"


def test_photo_count_is_one_per_applicant_photo_printed(store, opening):
    """写真撮影件数 = 撮影して印刷した申請者写真の数: copies of the same capture on one sheet
    and reprints of the same capture do not add again; each applicant's photo counts
    once; a capture that was never printed does not count."""
    facts.record_printed(store, opening.id, "applicant-a", copies=4, sheet="L", now=at(10))      # 4 on a sheet
    facts.record_printed(store, opening.id, "applicant-a", copies=4, sheet="L", now=at(10, 1))   # reprinted
    facts.record_printed(store, opening.id, "applicant-b", copies=1, sheet="single", now=at(10, 5))
    facts.record_consent(store, opening.id, "applicant-c", now=at(10, 9))                         # declined later
    facts.record_deletion(store, opening.id, "applicant-c", reason="declined", now=at(10, 10))
    assert totals(store, opening.id)["photo"]["total"] == 2
    counts = facts.photo_counts(store, opening.id)
    assert (counts["printed"], counts["copies"]) == (2, 9)  # the copies are kept as facts, not counted
