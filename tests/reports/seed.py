"""Realistic report data written through the domain API (open, tap, card, undo,
correct, close, amend), deterministic per seed."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

from app import tallies as tl
from app.openings import Opening, close_opening, open_opening
from app.profiles import Profile
from app.store import Store

JST = timezone(timedelta(hours=9))


def at(d: date, hour: int, minute: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=JST)


def _dims(profile: Profile, counter: str, rng: random.Random) -> dict:
    return {d: rng.choice(profile.dimension(d).values).key for d in profile.counter(counter).dimensions}


def fill_opening(store: Store, profile: Profile, opening: Opening, rng: random.Random, *,
                 taps: int = 40, close: bool = True, amend: bool = False) -> None:
    """Taps on every counter, some applicant cards, an undo and a correction; then
    close the day and, with amend=True, add an amendment after closing."""
    day = opening.date
    minute = 0
    for i in range(taps):
        minute += 7
        now = at(day, 10 + minute // 60 % 7, minute % 60)
        if profile.card is not None and i % 3 == 0:
            optional = [c for c in profile.card.optional if rng.random() < 0.5]
            dims = {d: rng.choice(profile.dimension(d).values).key for d in profile.card_dimensions()}
            tl.record_card(store, opening.id, dims, optional, now=now)
        else:
            # Smartphone help sessions are rare next to visitors and other taps.
            counter = rng.choices(profile.counters, weights=[0.08 if c.key == "smartphone_help" else 1
                                                             for c in profile.counters])[0].key
            tl.tap(store, opening.id, counter, _dims(profile, counter, rng), now=now)
    last = tl.tap(store, opening.id, profile.counters[0].key, _dims(profile, profile.counters[0].key, rng),
                  now=at(day, 16, 50))
    tl.undo(store, last.id, reason="押し間違い", now=at(day, 16, 51))
    if close:
        close_opening(store, opening.id, now=at(day, 17, 5), confirmed_by="佐藤")
    if amend:
        counter = profile.counters[-1].key
        tl.tap(store, opening.id, counter, _dims(profile, counter, rng), now=at(day + timedelta(days=1), 9),
               reason="集計漏れ（翌朝に追加）")


def open_at(store: Store, profile: Profile, d: date, *, venue: str, municipality: str,
            kind: str | None = None, large: bool = False, staff: int = 3) -> Opening:
    return open_opening(store, profile=profile, kind=kind or profile.opening_kinds[0].key, venue=venue,
                        municipality=municipality, date=d, large=large, staff=staff, now=at(d, 9, 30))


VENUES = [("イオンモール名取", "名取市"), ("仙台駅東口", "仙台市"), ("大崎市役所", "大崎市"),
          ("イオン石巻", "石巻市"), ("気仙沼市民会館", "気仙沼市"), ("登米市役所", "登米市"),
          ("栗原市役所", "栗原市"), ("白石市文化体育活動センター", "白石市")]


def seed_month(store: Store, profile: Profile, month: date, n: int, rng: random.Random, *,
               taps: int = 30) -> list[Opening]:
    out = []
    for i in range(n):
        d = month + timedelta(days=(i * 3) % 27)
        venue, muni = VENUES[i % len(VENUES)]
        kind = profile.opening_kinds[i % len(profile.opening_kinds)].key
        with store.transaction():  # one commit per opening keeps seeding fast
            o = open_at(store, profile, d, venue=venue, municipality=muni, kind=kind, large=i % 3 == 0,
                        staff=2 + i % 3)
            fill_opening(store, profile, o, rng, taps=taps, amend=i == 0)
        out.append(o)
    return out


def copy_rows(src: Path, dest: Path) -> None:
    """Put every device's rows of the store file `src` into the store file `dest`, as
    the office's merge does: a device row (not local) plus its chained rows."""
    import sqlite3

    from app.store import CHAINED_COLUMNS

    conn = sqlite3.connect(dest)
    try:
        conn.execute("ATTACH DATABASE ? AS src", (str(src),))
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("INSERT OR IGNORE INTO device (id, name, created_at, is_local, head_seq, head_hash)"
                     " SELECT id, name, created_at, 0, head_seq, head_hash FROM src.device")
        for table in CHAINED_COLUMNS:
            cols = ", ".join((*CHAINED_COLUMNS[table], "hash"))
            conn.execute(f"INSERT OR IGNORE INTO main.{table} ({cols}) SELECT {cols} FROM src.{table}")
        conn.commit()
        conn.execute("DETACH DATABASE src")
    finally:
        conn.close()
