"""The booth's sync state: a small SQLite file next to the store (`sync.sqlite3`).

Why a separate file and not a store migration: the store has one writer (the app's
StoreWorker, or one CLI command), but acknowledgements are written by the sync worker
thread and by `python main.py sync push` while the app runs. Keeping them here means
pushing never waits for, or holds, the store's writer. Losing this file only means
rows are sent again, which the hub treats as no-ops.

What it holds: the hub URL and CA file, the acknowledged watermark (every local row up
to `seq` is acknowledged; `hash` guards against a restored store reusing seqs), the
last success/error/clock skew for the status widget, rows the hub refused, and the
secrets (device token, Ed25519 signing key) encrypted with AES-GCM under a key kept
in `sync.key`. Both files are created with owner-only permissions; secrets are never
logged.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Iterator

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from app.errors import MadoguchiError
import sync.errors  # noqa: F401

log = logging.getLogger("madoguchi.sync.state")

STATE_NAME = "sync.sqlite3"
KEY_NAME = "sync.key"
TOKEN = "device_token"
SIGNING_KEY = "signing_key"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS secret (name TEXT PRIMARY KEY, nonce BLOB NOT NULL, box BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS ack (device_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, hash TEXT, at TEXT);
CREATE TABLE IF NOT EXISTS conflict (tbl TEXT NOT NULL, row_id TEXT NOT NULL, seq INTEGER NOT NULL,
    problem TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (tbl, row_id));
"""


def _private_file(path: Path) -> None:
    """Create `path` readable by its owner only (no-op if it exists)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


class SyncState:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / STATE_NAME
        self.key_path = self.data_dir / KEY_NAME
        self._held: sqlite3.Connection | None = None

    @contextlib.contextmanager
    def held(self) -> Iterator["SyncState"]:
        """One connection for a series of calls from one thread (a push pass records
        an acknowledgement per batch) instead of opening the file for each."""
        if self._held is not None:
            yield self
            return
        with self._open() as conn:
            self._held = conn
            try:
                yield self
            finally:
                self._held = None

    @contextlib.contextmanager
    def _conn(self) -> Iterator[sqlite3.Connection]:
        if self._held is None:
            with self._open() as conn:
                yield conn
            return
        try:
            yield self._held
        except sqlite3.DatabaseError as exc:
            raise MadoguchiError("SYNC_STATE_UNREADABLE", path=str(self.path)) from exc

    @contextlib.contextmanager
    def _open(self) -> Iterator[sqlite3.Connection]:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        _private_file(self.path)
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=10)
        except sqlite3.Error as exc:
            raise MadoguchiError("SYNC_STATE_UNREADABLE", path=str(self.path)) from exc
        try:
            conn.execute("PRAGMA busy_timeout = 10000")
            for statement in _SCHEMA.strip().split(";\n"):
                conn.execute(statement)
            yield conn
        except sqlite3.DatabaseError as exc:
            raise MadoguchiError("SYNC_STATE_UNREADABLE", path=str(self.path)) from exc
        finally:
            conn.close()

    # ---- settings ---------------------------------------------------------------------
    def get(self, key: str, default=None):
        with self._conn() as c:
            row = c.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def update(self, **values) -> None:
        with self._conn() as c:
            c.execute("BEGIN IMMEDIATE")
            for key, value in values.items():
                if value is None:
                    c.execute("DELETE FROM setting WHERE key = ?", (key,))
                else:
                    c.execute("INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key)"
                              " DO UPDATE SET value = excluded.value", (key, json.dumps(value, ensure_ascii=False)))
            c.execute("COMMIT")

    def settings(self) -> dict:
        with self._conn() as c:
            return {k: json.loads(v) for k, v in c.execute("SELECT key, value FROM setting")}

    # ---- secrets ----------------------------------------------------------------------
    def _box_key(self, create: bool) -> bytes | None:
        try:
            key = self.key_path.read_bytes()
        except FileNotFoundError:
            if not create:
                return None
            _private_file(self.key_path)
            key = AESGCM.generate_key(bit_length=256)
            with open(self.key_path, "wb") as fh:
                fh.write(key)
                fh.flush()
                os.fsync(fh.fileno())
        if len(key) != 32:
            raise MadoguchiError("SYNC_SECRET_UNREADABLE")
        return key

    def put_secret(self, name: str, value: bytes) -> None:
        nonce = os.urandom(12)
        box = AESGCM(self._box_key(create=True)).encrypt(nonce, value, f"madoguchi:{name}".encode())
        with self._conn() as c:
            c.execute("INSERT INTO secret (name, nonce, box) VALUES (?, ?, ?) ON CONFLICT (name)"
                      " DO UPDATE SET nonce = excluded.nonce, box = excluded.box", (name, nonce, box))

    def get_secret(self, name: str) -> bytes | None:
        with self._conn() as c:
            row = c.execute("SELECT nonce, box FROM secret WHERE name = ?", (name,)).fetchone()
        if row is None:
            return None
        key = self._box_key(create=False)
        if key is None:
            raise MadoguchiError("SYNC_SECRET_UNREADABLE")
        try:
            return AESGCM(key).decrypt(row[0], row[1], f"madoguchi:{name}".encode())
        except Exception as exc:  # InvalidTag: wrong key file or damaged box
            raise MadoguchiError("SYNC_SECRET_UNREADABLE") from exc

    def device_token(self) -> str | None:
        value = self.get_secret(TOKEN)
        return value.decode("utf-8") if value else None

    def signing_key(self) -> Ed25519PrivateKey:
        """This laptop's bundle/enrolment key, made on first use."""
        raw = self.get_secret(SIGNING_KEY)
        if raw is not None:
            return Ed25519PrivateKey.from_private_bytes(raw)
        key = Ed25519PrivateKey.generate()
        self.put_secret(SIGNING_KEY, key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()))
        log.info("signing key created")
        return key

    def has_secret(self, name: str) -> bool:
        with self._conn() as c:
            return c.execute("SELECT 1 FROM secret WHERE name = ?", (name,)).fetchone() is not None

    # ---- acknowledgements -------------------------------------------------------------
    def watermark(self, device_id: str) -> tuple[int, str | None]:
        with self._conn() as c:
            row = c.execute("SELECT seq, hash FROM ack WHERE device_id = ?", (device_id,)).fetchone()
        return (row[0], row[1]) if row else (0, None)

    def acknowledge(self, device_id: str, seq: int, row_hash: str, conflicts: list[dict],
                    now: datetime) -> None:
        """Everything up to `seq` is acknowledged (stored, already there, or refused
        as a conflict, which is recorded). Never moves backwards."""
        at = now.isoformat(timespec="seconds")
        with self._conn() as c:
            c.execute("BEGIN IMMEDIATE")
            c.execute("INSERT INTO ack (device_id, seq, hash, at) VALUES (?, ?, ?, ?)"
                      " ON CONFLICT (device_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash,"
                      " at = excluded.at WHERE excluded.seq > ack.seq", (device_id, seq, row_hash, at))
            for item in conflicts:
                c.execute("INSERT OR IGNORE INTO conflict (tbl, row_id, seq, problem, at) VALUES (?, ?, ?, ?, ?)",
                          (item["table"], item["id"], item["seq"], item["problem"], at))
            c.execute("COMMIT")

    def reset_watermark(self, device_id: str) -> None:
        with self._conn() as c:
            c.execute("DELETE FROM ack WHERE device_id = ?", (device_id,))

    def conflicts(self) -> list[dict]:
        with self._conn() as c:
            rows = c.execute("SELECT tbl, row_id, seq, problem, at FROM conflict ORDER BY seq").fetchall()
        return [{"table": t, "id": i, "seq": s, "problem": p, "at": a} for t, i, s, p, a in rows]
