"""Numbered schema migrations: MIGRATIONS[i] brings user_version i to i + 1.

Append new functions; never edit one that has shipped."""
from __future__ import annotations

import sqlite3


def _append_only(table: str) -> str:
    # Rows are facts: corrections are new rows. The triggers stop accidental edits;
    # verify() catches deliberate ones made with the triggers dropped.
    return f"""
    CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
    BEGIN SELECT RAISE(ABORT, '{table} rows are append-only'); END;
    CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
    BEGIN SELECT RAISE(ABORT, '{table} rows are append-only'); END;
    """


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run statements one by one: executescript() would COMMIT the migration's
    transaction first and leave a half-migrated store on failure."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError("incomplete SQL statement in migration")


def m001_initial(conn: sqlite3.Connection) -> None:
    _run_script(conn, 
        """
        CREATE TABLE device (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL,
            is_local INTEGER NOT NULL DEFAULT 0,
            head_seq INTEGER NOT NULL DEFAULT 0,
            head_hash TEXT NOT NULL
        );
        CREATE TABLE opening (
            id TEXT PRIMARY KEY,
            device_id TEXT NOT NULL REFERENCES device(id),
            seq INTEGER NOT NULL,
            profile TEXT NOT NULL,
            kind TEXT NOT NULL,
            venue TEXT NOT NULL,
            municipality TEXT NOT NULL,
            date TEXT NOT NULL,
            large INTEGER NOT NULL CHECK (large IN (0, 1)),
            staff INTEGER NOT NULL CHECK (staff >= 1),
            opened_at TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            UNIQUE (device_id, seq)
        );
        CREATE INDEX opening_date ON opening (date);
        CREATE TABLE closing (
            id TEXT PRIMARY KEY,
            device_id TEXT NOT NULL REFERENCES device(id),
            seq INTEGER NOT NULL,
            opening_id TEXT NOT NULL REFERENCES opening(id),
            closed_at TEXT NOT NULL,
            confirmed_by TEXT NOT NULL,
            summary TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            UNIQUE (device_id, seq)
        );
        CREATE INDEX closing_opening ON closing (opening_id);
        CREATE TABLE tally (
            id TEXT PRIMARY KEY,
            device_id TEXT NOT NULL REFERENCES device(id),
            seq INTEGER NOT NULL,
            opening_id TEXT NOT NULL REFERENCES opening(id),
            counter TEXT NOT NULL,
            dims TEXT NOT NULL,
            delta INTEGER NOT NULL CHECK (delta IN (-1, 1)),
            kind TEXT NOT NULL CHECK (kind IN ('tap', 'undo', 'correction')),
            ref_id TEXT REFERENCES tally(id),
            group_id TEXT NOT NULL,
            reason TEXT NOT NULL,
            amendment INTEGER NOT NULL CHECK (amendment IN (0, 1)),
            device_time TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            UNIQUE (device_id, seq)
        );
        CREATE INDEX tally_opening ON tally (opening_id, seq);
        CREATE INDEX tally_ref ON tally (ref_id) WHERE ref_id IS NOT NULL;
        """
        + _append_only("opening") + _append_only("closing") + _append_only("tally")
    )


MIGRATIONS = [m001_initial]
