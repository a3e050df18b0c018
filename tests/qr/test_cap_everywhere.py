"""A tap on the capped counter (point_grant of spec 000) is a point grant whichever
way it arrives — app.tallies.tap, a correction, the CLI `tally`, the tally board's
tile — and is refused with the points feature's own message: no allotment yet,
allotment used up, cap reached. Never a generic database error, nothing written."""
from __future__ import annotations

import pytest

from app import points as pts
from app import tallies as tl
from app.errors import MadoguchiError
from app.store import Store
from tests.conftest import at
from tests.test_cli import cli


def refused(code: str, fn, *args, **kwargs) -> MadoguchiError:
    with pytest.raises(MadoguchiError) as info:
        fn(*args, **kwargs)
    assert info.value.code == code, info.value
    return info.value


def grants(lap) -> int:
    return tl.totals(lap.store, lap.oid)["point_grant"]["total"]


def test_tap_before_the_day_is_set_up_says_so_in_plain_words(laptops):
    [a] = laptops(1)
    err = refused("POINTS_NO_VENUE_DAY", tl.tap, a.store, a.oid, "point_grant", now=at(9))
    assert "ポイント配布の設定" in err.message("ja") and "配布日の設定" in err.message("ja")
    assert "not set up" in err.message("en")
    assert grants(a) == 0
    tl.tap(a.store, a.oid, "install_help", now=at(9))  # the help desk counts as ever


def test_tap_counts_against_the_allotment_like_grant(laptops):
    [a] = laptops(1)
    pts.setup_day(a.store, a.oid, now=at(9), allotments={pts.local_laptop(a.store): 2})
    row = tl.tap(a.store, a.oid, "point_grant", now=at(9, 1))
    assert row.counter == "point_grant"
    _row, st = pts.grant(a.store, a.oid, now=at(9, 2))
    assert st.available == 0 and st.granted == 2
    for fn, args in ((tl.tap, (a.store, a.oid, "point_grant")), (pts.grant, (a.store, a.oid))):
        err = refused("POINTS_ALLOTMENT_EXHAUSTED", fn, *args, now=at(9, 3))
        assert "使い切りました" in err.message("ja")
    assert grants(a) == 2
    tl.undo_last(a.store, a.oid, now=at(9, 4))  # an undo gives a place back ...
    tl.tap(a.store, a.oid, "point_grant", now=at(9, 5))  # ... which a tap can use again
    assert pts.status(a.store, a.oid).available == 0 and grants(a) == 2


def test_whole_cap_reached_by_taps_says_the_day_has_ended(laptops):
    [a] = laptops(1)
    pts.setup_day(a.store, a.oid, now=at(9))
    with a.store.transaction():
        for _ in range(4000):
            tl.tap(a.store, a.oid, "point_grant", now=at(10))
    err = refused("POINTS_CAP_REACHED", tl.tap, a.store, a.oid, "point_grant", now=at(11))
    assert "本日の配布は終了しました" in err.message("ja")
    assert grants(a) == 4000


def test_a_correction_into_the_capped_counter_is_a_grant_too(laptops):
    [a] = laptops(1)
    pts.setup_day(a.store, a.oid, now=at(9), allotments={pts.local_laptop(a.store): 1})
    first = tl.tap(a.store, a.oid, "not_eligible", now=at(9))
    tl.tap(a.store, a.oid, "point_grant", now=at(9, 1))
    with pytest.raises(MadoguchiError) as info:
        tl.correct(a.store, first.id, counter="point_grant", reason="押し間違い", now=at(9, 2))
    assert info.value.code == "POINTS_ALLOTMENT_EXHAUSTED"
    totals = tl.totals(a.store, a.oid)
    assert totals["not_eligible"]["total"] == 1 and totals["point_grant"]["total"] == 1  # nothing half-written
    # Correcting a grant into another counter gives its place back.
    grant_row = tl.history(a.store, a.oid)[0]
    tl.correct(a.store, grant_row.id, counter="not_eligible", reason="対象外だった", now=at(9, 3))
    assert pts.status(a.store, a.oid).available == 1


def test_cli_tally_on_the_capped_counter_gives_the_clear_message(tmp_path):
    data = tmp_path / "data"
    r = cli(data, "open", "--profile", "miyagi_point_r7", "--kind", "event_venue", "--venue", "夢メッセみやぎ",
            "--municipality", "仙台市", "--date", "2026-11-26", "--staff", "4")
    assert r.returncode == 0, r.stderr
    oid = r.stdout.strip()
    r = cli(data, "tally", "--opening", oid, "--counter", "point_grant")
    assert r.returncode == 2 and "ポイント配布の設定" in r.stderr and "DB_WRITE_FAILED" not in r.stderr
    r = cli(data, "--lang", "en", "tally", "--opening", oid, "--counter", "point_grant")
    assert r.returncode == 2 and "not set up" in r.stderr
    r = cli(data, "points", "setup", "--opening", oid, "--laptop", f"{_laptop(data)}=1")
    assert r.returncode == 0, r.stderr
    assert cli(data, "tally", "--opening", oid, "--counter", "point_grant").returncode == 0
    r = cli(data, "tally", "--opening", oid, "--counter", "point_grant")
    assert r.returncode == 2 and "使い切りました" in r.stderr
    r = cli(data, "totals", "--opening", oid, "--json")
    assert r.returncode == 0 and '"point_grant"' in r.stdout
    with Store.open(data, read_only=True) as store:
        assert tl.totals(store, oid)["point_grant"]["total"] == 1


def _laptop(data) -> str:
    with Store.open(data, read_only=True) as store:
        return pts.local_laptop(store)
