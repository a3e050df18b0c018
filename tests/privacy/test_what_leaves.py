"""What leaves the laptop: exactly the chained tables and columns docs/sync.md lists;
no table or column that holds personal data is chained (so none ever syncs); the only
free text that travels is screened; and a refused reason is nowhere in the store."""
from __future__ import annotations

import re

import pytest

from app.cli import build_parser
from app.errors import MadoguchiError
from app.openings import close_opening
from app.photo.facts import DELETION_REASONS
from app.store import CHAINED_COLUMNS
from app.tallies import tap, undo
from tests.conftest import ROOT, at

# Words that mark a table or column as personal data (or a secret): such a table
# stays on the laptop, encrypted if it is personal data, and is never chained.
PERSONAL = {"name", "names", "phone", "tel", "mail", "email", "address", "addr", "birth", "birthday",
            "dob", "born", "mynumber", "kojin", "roster", "applicant", "applicants", "visitor",
            "visitors", "person", "personal", "kana", "furigana", "encrypted", "cipher", "ciphertext",
            "secret", "token", "photo_bytes", "image", "pixels"}
# The free text that does travel, and the screen each goes through (see the docs).
SCREENED_FREE_TEXT = {("tally", "reason"), ("closing", "confirmed_by")}


@pytest.fixture(scope="module", autouse=True)
def every_feature_loaded():
    build_parser()  # imports every CLI extension, i.e. every feature that could chain a table


def looks_personal(identifier: str) -> bool:
    words = set(identifier.lower().split("_"))
    return bool(words & PERSONAL) or "my_number" in identifier.lower() or "mynumber" in identifier.lower()


def documented_columns() -> dict[str, tuple[str, ...]]:
    text = (ROOT / "docs" / "sync.md").read_text(encoding="utf-8")
    section = text.split("### What leaves the laptop", 1)[1]
    section = re.split(r"\n##+ ", section, maxsplit=1)[0]
    rows = re.findall(r"^\| `(\w+)` \| `([\w, ]+)` \|", section, re.M)
    return {table: tuple(c.strip() for c in cols.split(",")) for table, cols in rows}


def test_the_docs_list_exactly_the_tables_and_columns_that_sync():
    assert documented_columns() == dict(CHAINED_COLUMNS)


def test_no_table_holding_personal_data_is_chained(store):
    tables = {r[0]: [c[1] for c in store.query(f'PRAGMA table_info("{r[0]}")')]
              for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    personal = {t for t, cols in tables.items() if looks_personal(t) or any(map(looks_personal, cols))}
    assert "points_secret" in personal  # the check sees what it is meant to see
    assert not personal & set(CHAINED_COLUMNS), "personal data or secrets would sync"
    for table, columns in CHAINED_COLUMNS.items():
        assert not looks_personal(table)
        assert [c for c in columns if looks_personal(c)] == [], table


def test_the_only_free_text_that_syncs_is_screened(store, opening):
    row = tap(store, opening.id, "visitors", now=at(10))
    for text in ("taro@example.com", "090-1234-5678"):
        with pytest.raises(MadoguchiError):
            undo(store, row.id, reason=f"本人 {text}", now=at(10, 1))
        with pytest.raises(MadoguchiError):
            close_opening(store, opening.id, now=at(17), confirmed_by=text)
    # photo_event.reason is not free text: a fixed word per deletion.
    assert set(DELETION_REASONS) == {"printed", "declined", "discarded"}
    undo(store, row.id, reason="二重に押した", now=at(10, 2))
    close_opening(store, opening.id, now=at(17), confirmed_by="佐藤")

    from sync.outbox import rows_after  # what the sync worker would push

    wire = rows_after(store, 0, 100)
    assert {r["table"] for r in wire} == {"opening", "tally", "closing"}
    for r in wire:
        assert set(r) == {*CHAINED_COLUMNS[r["table"]], "table", "hash"}
    sent = repr(wire)
    assert "二重に押した" in sent and "佐藤" in sent  # these two do travel, as documented
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    stored = b"".join(p.read_bytes() for p in store.path.parent.glob(store.path.name + "*"))
    for text in ("taro@example.com", "090-1234-5678"):
        assert text not in sent and text.encode() not in stored
