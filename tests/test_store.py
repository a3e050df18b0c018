"""The store file: pragmas, migrations, device identity, one writer, bad files, full disk."""
from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from app.errors import MadoguchiError
from app.migrations import MIGRATIONS
from app.paths import DB_NAME
from app.store import Store
from app.tallies import tap, totals
from app.verify import verify
from tests.conftest import ROOT, at


def test_store_file_uses_wal_full_sync_and_foreign_keys(store, data_dir):
    assert (data_dir / DB_NAME).exists()
    assert store.query_one("PRAGMA journal_mode")[0] == "wal"
    assert store.query_one("PRAGMA synchronous")[0] == 2  # FULL
    assert store.query_one("PRAGMA foreign_keys")[0] == 1
    assert store.query_one("PRAGMA user_version")[0] == len(MIGRATIONS)


def test_device_identity_is_created_once_and_kept(data_dir):
    with Store.open(data_dir) as first:
        device_id, name = first.device_id, first.device_name
    with Store.open(data_dir) as again:
        assert (again.device_id, again.device_name) == (device_id, name)
    assert len(device_id) == 36 and device_id[14] == "7"  # UUIDv7
    assert name


def test_rows_cannot_be_edited_or_deleted_through_sql(store, opening):
    t = tap(store, opening.id, "visitors", now=at(10))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("UPDATE tally SET delta = -1 WHERE id = ?", (t.id,))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("DELETE FROM tally WHERE id = ?", (t.id,))
    assert totals(store, opening.id)["visitors"]["total"] == 1


def test_second_writer_in_the_same_folder_gets_a_clear_message(store, data_dir):
    with pytest.raises(MadoguchiError) as err:
        Store.open(data_dir)
    assert err.value.code == "DATA_DIR_LOCKED"
    assert "別の Madoguchi が使用中" in err.value.message("ja")
    assert "already using" in err.value.message("en")


def test_second_process_is_refused_while_the_app_holds_the_folder(store, opening, data_dir):
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir),
         "tally", "--opening", opening.id, "--counter", "visitors"],
        capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2
    assert "DATA_DIR_LOCKED" in result.stderr
    assert totals(store, opening.id)["visitors"]["total"] == 0


def test_lock_is_released_on_close(data_dir):
    Store.open(data_dir).close()
    Store.open(data_dir).close()


@pytest.mark.parametrize("garbage", [b"not a database at all\n" * 200, b"\x00" * 4096 + b"junk"])
def test_foreign_file_is_refused_and_never_overwritten(data_dir, garbage):
    data_dir.mkdir(parents=True)
    path = data_dir / DB_NAME
    path.write_bytes(garbage)
    with pytest.raises(MadoguchiError) as err:
        Store.open(data_dir)
    assert err.value.code == "DB_CORRUPT"
    assert "壊れている" in err.value.message()
    assert path.read_bytes() == garbage
    assert not (data_dir / (DB_NAME + "-wal")).exists()


def test_damaged_pages_are_refused_and_left_alone(data_dir):
    with Store.open(data_dir) as s:
        from app.openings import open_opening
        from tests.conftest import profile_for_spec
        p = profile_for_spec("003")
        o = open_opening(s, profile=p, kind=p.opening_kinds[0].key, venue="会場", municipality="仙台市",
                         date="2026-11-26", large=False, staff=1, now=at(9))
        for i in range(300):
            tap(s, o.id, "visitors", now=at(10, i % 60))
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path = data_dir / DB_NAME
    raw = bytearray(path.read_bytes())
    page = 4096
    for offset in range(2 * page, len(raw), page):  # scribble over every b-tree page header
        raw[offset:offset + 12] = b"\xff" * 12
    path.write_bytes(bytes(raw))
    with pytest.raises(MadoguchiError) as err:
        Store.open(data_dir)
    assert err.value.code == "DB_CORRUPT"
    assert path.read_bytes() == bytes(raw)


def test_unreadable_database_path_gets_a_clear_message(data_dir):
    (data_dir / DB_NAME).mkdir(parents=True)  # a folder where the file should be
    with pytest.raises(MadoguchiError) as err:
        Store.open(data_dir)
    assert err.value.code == "DB_UNREADABLE"
    assert (data_dir / DB_NAME).is_dir()


def test_database_from_a_newer_app_is_refused(data_dir):
    Store.open(data_dir).close()
    conn = sqlite3.connect(data_dir / DB_NAME)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    conn.close()
    with pytest.raises(MadoguchiError) as err:
        Store.open(data_dir)
    assert err.value.code == "DB_TOO_NEW"


def test_full_disk_refuses_the_tap_and_keeps_everything_before(store, opening):
    for i in range(5):
        tap(store, opening.id, "visitors", now=at(10, i))
    pages = store.query_one("PRAGMA page_count")[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")  # no room for one more page
    refused = 0
    for i in range(2000):  # fill the last pages; eventually a tap cannot be written
        try:
            tap(store, opening.id, "visitors", now=at(11, i % 60))
        except MadoguchiError as exc:
            assert exc.code == "DISK_FULL"
            assert "保存されていません" in exc.message()
            refused += 1
            break
    assert refused == 1
    kept = totals(store, opening.id)["visitors"]["total"]
    assert kept == 5 + i  # every acknowledged tap, not the refused one
    assert verify(store).ok
    store.conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
    tap(store, opening.id, "visitors", now=at(12))
    assert totals(store, opening.id)["visitors"]["total"] == kept + 1
    assert verify(store).ok
