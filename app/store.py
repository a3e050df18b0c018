"""The local store: one SQLite file per data folder, one writer at a time.

Every row that carries data (openings, closings, tallies) is appended to a per-device
hash chain: `seq` counts up from 1, `prev_hash` is the hash of the previous row of the
same device, and the device row keeps the head so that removing the newest row is
detectable too. Rows are never updated or deleted; triggers refuse it.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import socket
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Iterator

from app.errors import MadoguchiError
from app.ids import uuid7
from app.lock import DataDirLock
from app.migrations import MIGRATIONS
from app.paths import DB_NAME

log = logging.getLogger("madoguchi.store")

SQLITE_HEADER = b"SQLite format 3\x00"
# Tables whose rows form the per-device chain, with their columns in hash order.
CHAINED_COLUMNS: dict[str, tuple[str, ...]] = {
    "opening": ("id", "device_id", "seq", "profile", "kind", "venue", "municipality",
                "date", "large", "staff", "opened_at", "prev_hash"),
    "closing": ("id", "device_id", "seq", "opening_id", "closed_at", "confirmed_by",
                "summary", "prev_hash"),
    "tally": ("id", "device_id", "seq", "opening_id", "counter", "dims", "delta", "kind",
              "ref_id", "group_id", "reason", "amendment", "device_time", "prev_hash"),
    # Reports (issue 5): exported daily/monthly/final reports, synced so the office
    # knows which reports were handed in.
    "report_export": ("id", "device_id", "seq", "report", "profile", "opening_id", "month",
                      "format", "exported_at", "summary", "prev_hash"),
    # Point distribution (issue 6): which distribution day an opening takes part in,
    # and every change of this laptop's allotment against the venue-day cap.
    "points_venue_day": ("id", "device_id", "seq", "venue_day", "opening_id", "counter", "cap",
                         "day", "laptop", "role", "allotments", "hub_reserve", "margin_min",
                         "issued_at", "device_time", "prev_hash"),
    "points_allotment": ("id", "device_id", "seq", "venue_day", "kind", "amount", "delta",
                         "code_id", "peer", "expires_at", "detail", "device_time", "prev_hash"),
    # Photo station (issue 3): consent, printed sheet and deletion facts (no image).
    "photo_event": ("id", "device_id", "seq", "opening_id", "capture_id", "event", "copies",
                    "sheet", "reason", "device_time", "prev_hash"),
}


def genesis_hash(device_id: str) -> str:
    """The chain of each device starts from a value tied to that device, so rows cannot
    be moved from one device's chain to another's unnoticed."""
    return hashlib.sha256(f"madoguchi-genesis:{device_id}".encode()).hexdigest()


def row_hash(table: str, row: dict) -> str:
    payload = {"table": table, **{c: row[c] for c in CHAINED_COLUMNS[table]}}
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _classify_write_error(exc: sqlite3.Error) -> MadoguchiError:
    text = str(exc).lower()
    if "full" in text or getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL":
        return MadoguchiError("DISK_FULL")
    return MadoguchiError("DB_WRITE_FAILED", reason=type(exc).__name__ + ": " + str(exc))


class Store:
    """An open store. Not thread-safe: use it from one thread (the UI runs it on a
    worker thread)."""

    def __init__(self, conn: sqlite3.Connection, path: Path, lock: DataDirLock | None,
                 read_only: bool) -> None:
        self.conn = conn
        self.path = path
        self.read_only = read_only
        self._lock = lock
        self.device_id = ""
        self.device_name = ""
        self._in_tx = False

    # ---- opening and closing -------------------------------------------------
    @classmethod
    def open(cls, data_dir: Path, *, read_only: bool = False, now: datetime | None = None) -> "Store":
        data_dir = Path(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        path = data_dir / DB_NAME
        if read_only and not path.exists():
            # Nothing recorded yet: create the empty store once, then read it.
            cls.open(data_dir, now=now).close()
        lock = None
        if not read_only:
            lock = DataDirLock(data_dir)
            lock.acquire()
        try:
            conn = _connect(path, read_only)
            store = cls(conn, path, lock, read_only)
            if not read_only:
                store._migrate()
            store._load_device(now or datetime.now().astimezone())
            return store
        except BaseException:
            if lock:
                lock.release()
            raise

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()
        if self._lock:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- schema -------------------------------------------------------------
    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise MadoguchiError("DB_TOO_NEW", found=version, supported=len(MIGRATIONS))
        for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction():
                migration(self.conn)
                self.conn.execute(f"PRAGMA user_version = {number}")
            log.info("store migrated to schema %d", number)

    def _load_device(self, now: datetime) -> None:
        row = self.conn.execute("SELECT id, name FROM device WHERE is_local = 1").fetchone()
        if row is None:
            if self.read_only:  # pragma: no cover - open() creates the store first
                raise MadoguchiError("DB_UNREADABLE", path=str(self.path), reason="no device")
            device_id = uuid7()
            name = f"{socket.gethostname().split('.')[0] or 'booth'}-{device_id[-4:]}"
            with self.transaction():
                self.conn.execute(
                    "INSERT INTO device (id, name, created_at, is_local, head_seq, head_hash)"
                    " VALUES (?, ?, ?, 1, 0, ?)",
                    (device_id, name, now.isoformat(), genesis_hash(device_id)))
            log.info("created device identity %s", device_id)
            row = (device_id, name)
        self.device_id, self.device_name = row

    # ---- writing ------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT. Returning from the block means the rows are
        durable (synchronous=FULL): only then may the UI acknowledge a tap."""
        if self._in_tx:
            yield self.conn
            return
        self._in_tx = True
        try:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                yield self.conn
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                raise _classify_write_error(exc) from exc
            except BaseException:
                self._rollback()
                raise
        finally:
            self._in_tx = False

    def _rollback(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")

    def append(self, table: str, fields: dict) -> dict:
        """Append one row to this device's chain. Must run inside transaction()."""
        assert self._in_tx, "append() outside a transaction"
        seq, prev = self.conn.execute(
            "SELECT head_seq, head_hash FROM device WHERE id = ?", (self.device_id,)).fetchone()
        row = {**fields, "device_id": self.device_id, "seq": seq + 1, "prev_hash": prev}
        row["hash"] = row_hash(table, row)
        columns = (*CHAINED_COLUMNS[table], "hash")
        self.conn.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [row[c] for c in columns])
        self.conn.execute("UPDATE device SET head_seq = ?, head_hash = ? WHERE id = ?",
                          (row["seq"], row["hash"], self.device_id))
        return row

    # ---- reading ------------------------------------------------------------
    def query(self, sql: str, params: tuple | list = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: tuple | list = ()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    if path.exists():
        _check_file(path, read_only)
    try:
        if read_only:
            conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None)
        else:
            conn = sqlite3.connect(path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 5000")
        if not read_only:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":  # pragma: no cover - e.g. a network share
                log.warning("journal_mode is %s, not wal", mode)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        result = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        log.error("store at %s is not readable as a database: %s", path, exc)
        raise MadoguchiError("DB_CORRUPT", path=str(path)) from exc
    if result != "ok":
        conn.close()
        log.error("quick_check failed for %s", path)
        raise MadoguchiError("DB_CORRUPT", path=str(path))
    return conn


def _check_file(path: Path, read_only: bool) -> None:
    """Refuse a file that is not ours before SQLite touches it: SQLite would happily
    treat some garbage as an empty database and we must never overwrite data."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
        if not read_only and not os.access(path, os.W_OK):
            raise PermissionError("read-only file")
    except OSError as exc:
        raise MadoguchiError("DB_UNREADABLE", path=str(path), reason=type(exc).__name__) from exc
    if header and header != SQLITE_HEADER:
        log.error("store at %s has a foreign header", path)
        raise MadoguchiError("DB_CORRUPT", path=str(path))
