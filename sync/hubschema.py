"""The hub's tables (SQLite and PostgreSQL), created and upgraded at start-up.

One generic table holds every synced row whatever its store table: `(tbl, id)` is
the permanent key, `(device_id, seq)` the place in that device's chain, `data` the
canonical JSON the hash was computed over. New chained tables therefore need no hub
migration. Numbered steps like the booth store's: never edit a shipped one.
"""
from __future__ import annotations

from datetime import datetime, timezone

from app.errors import MadoguchiError
from sync.db import Conn

V1 = [
    """CREATE TABLE hub_device (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        public_key TEXT,
        token_hash TEXT UNIQUE,
        enrolled_at TEXT NOT NULL,
        revoked_at TEXT,
        last_push_at TEXT,
        source TEXT NOT NULL
    )""",
    """CREATE TABLE hub_enrol_code (
        code_hash TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT,
        device_id TEXT,
        replaces TEXT
    )""",
    """CREATE TABLE hub_admin_token (
        token_hash TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revoked_at TEXT
    )""",
    # (id, tbl) rather than (tbl, id): the same index then serves lookups by id.
    """CREATE TABLE hub_row (
        id TEXT NOT NULL,
        tbl TEXT NOT NULL,
        device_id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        data TEXT NOT NULL,
        received_at TEXT NOT NULL,
        source TEXT NOT NULL,
        PRIMARY KEY (id, tbl),
        UNIQUE (device_id, seq)
    )""",
    """CREATE TABLE hub_conflict (
        tbl TEXT NOT NULL,
        row_id TEXT NOT NULL,
        incoming_hash TEXT NOT NULL,
        device_id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        problem TEXT NOT NULL,
        existing_hash TEXT,
        incoming_data TEXT NOT NULL,
        received_at TEXT NOT NULL,
        source TEXT NOT NULL,
        PRIMARY KEY (tbl, row_id, incoming_hash)
    )""",
    """CREATE TABLE hub_plan (
        id TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    """CREATE TABLE hub_bundle (
        sha256 TEXT PRIMARY KEY,
        device_id TEXT NOT NULL,
        rows BIGINT NOT NULL,
        stored BIGINT NOT NULL,
        imported_at TEXT NOT NULL
    )""",
]

STEPS: list[list[str]] = [V1]


def ensure_schema(c: Conn) -> None:
    with c.transaction():
        c.execute("CREATE TABLE IF NOT EXISTS hub_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        row = c.query_one("SELECT value FROM hub_meta WHERE key = 'schema'")
        version = int(row[0]) if row else 0
        if version > len(STEPS):
            raise MadoguchiError("SYNC_HUB_DB_TOO_NEW", found=version, supported=len(STEPS))
        for statements in STEPS[version:]:
            for sql in statements:
                c.execute(sql)
        if version != len(STEPS):
            c.execute("DELETE FROM hub_meta WHERE key = 'schema'")
            c.execute("INSERT INTO hub_meta (key, value) VALUES ('schema', ?)", (str(len(STEPS)),))


def stamp(now: datetime) -> str:
    """How the hub writes a time into its tables: UTC, ISO 8601, whole seconds."""
    return now.astimezone(timezone.utc).isoformat(timespec="seconds")
