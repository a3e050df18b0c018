"""The typed/scanned codes: round trips, forgiving typing, typos caught."""
from __future__ import annotations

import dataclasses
from datetime import date, datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import MadoguchiError
from app.points import codes

SECRET = bytes(range(16))
A, B = codes.laptop_code("device-a"), codes.laptop_code("device-b")
ISSUED = datetime(2026, 11, 26, 1, 0, tzinfo=timezone.utc)


def test_laptop_codes_are_six_characters_with_a_check():
    assert len(A) == 7 and A[3] == "-"
    assert codes.canonical_laptop(A.lower().replace("-", "")) == A
    wrong = A[:-1] + ("0" if A[-1] != "0" else "1")
    with pytest.raises(MadoguchiError) as info:
        codes.parse_laptop(wrong)
    assert info.value.code == "POINTS_LAPTOP_CODE_INVALID"


def test_roster_round_trip_and_a_typo_is_caught():
    roster = codes.Roster(SECRET, date(2026, 11, 26), 4000, ISSUED, 10, 1000, {A: 1500, B: 1500})
    text = roster.encode()
    assert codes.Roster.decode(text) == roster and roster.venue_day == codes.venue_day_id(SECRET)
    k = 12 if text[12] != "-" else 13
    typo = text[:k] + ("X" if text[k] != "X" else "Y") + text[k + 1:]
    with pytest.raises(MadoguchiError) as info:
        codes.Roster.decode(typo)
    assert info.value.code == "POINTS_CODE_INVALID"
    for broken in (text + "Z", text[:-2], "hello", ""):
        with pytest.raises(MadoguchiError):
            codes.Roster.decode(broken)


@settings(max_examples=60, deadline=None)
@given(count=st.integers(1, 65535), valid=st.integers(1, 255), number=st.integers(0, 2**20 - 1),
       minute=st.integers(0, 10**6))
def test_transfer_round_trip(count, valid, number, minute):
    issued = codes.EPOCH + __import__("datetime").timedelta(minutes=minute)
    t = codes.Transfer(0x5A, number, A, B, count, issued, valid)
    text = t.encode(SECRET)
    assert codes.verify_transfer(text, SECRET) == t
    assert codes.verify_transfer(text.lower().replace("-", " ").replace("0", "o"), SECRET) == t
    assert len(text.replace("-", "")) <= 43  # short enough to read out and type


@settings(max_examples=60, deadline=None)
@given(position=st.integers(4, 45), data=st.data())
def test_any_changed_character_is_refused(position, data):
    t = codes.Transfer(0x5A, 77, A, B, 300, ISSUED, 15)
    text = t.encode(SECRET)
    if position >= len(text) or text[position] == "-":
        return
    new = data.draw(st.sampled_from([c for c in codes.ALPHABET if c != text[position]]))
    changed = text[:position] + new + text[position + 1:]
    with pytest.raises(MadoguchiError) as info:
        codes.verify_transfer(changed, SECRET)
    assert info.value.code in ("POINTS_CODE_FORGED", "POINTS_CODE_INVALID")


def test_other_secret_and_other_kind_are_refused():
    t = codes.Transfer(0x5A, 77, A, B, 300, ISSUED, 15)
    with pytest.raises(MadoguchiError) as info:
        codes.verify_transfer(t.encode(bytes(16)), SECRET)
    assert info.value.code == "POINTS_CODE_FORGED"
    r = codes.Return(0x5A, 77, A, B, 300)
    assert codes.verify_return(r.encode(SECRET), SECRET) == r
    with pytest.raises(MadoguchiError) as info:
        codes.verify_transfer(r.encode(SECRET), SECRET)
    assert info.value.code == "POINTS_CODE_WRONG_KIND"
    assert "返却コード" in info.value.message("ja") and "return code" in info.value.message("en")
    assert dataclasses.replace(t, count=1).encode(SECRET) != t.encode(SECRET)
