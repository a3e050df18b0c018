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


def m_report_export(conn: sqlite3.Connection) -> None:
    """Reports (issue 5): one fact per exported report, chained like the tallies so the
    office sees which daily/monthly reports were handed in. `summary` keeps a fingerprint
    of everything the report showed (app/reports/fingerprint.py; early rows: the counter
    totals), so a later amendment makes the export visibly stale."""
    _run_script(conn,
        """
        CREATE TABLE report_export (
            id TEXT PRIMARY KEY,
            device_id TEXT NOT NULL REFERENCES device(id),
            seq INTEGER NOT NULL,
            report TEXT NOT NULL CHECK (report IN ('daily', 'monthly', 'final')),
            profile TEXT NOT NULL,
            opening_id TEXT REFERENCES opening(id),
            month TEXT,
            format TEXT NOT NULL CHECK (format IN ('pdf', 'xlsx', 'csv')),
            exported_at TEXT NOT NULL,
            summary TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            UNIQUE (device_id, seq),
            CHECK ((report = 'daily') = (opening_id IS NOT NULL)),
            CHECK ((report = 'monthly') = (month IS NOT NULL))
        );
        CREATE INDEX report_export_opening ON report_export (opening_id) WHERE opening_id IS NOT NULL;
        CREATE INDEX report_export_month ON report_export (profile, month) WHERE month IS NOT NULL;
        """
        + _append_only("report_export"))


def m_points_qr(conn: sqlite3.Connection) -> None:
    """QR board and point distribution (issue 6).

    points_venue_day / points_allotment are chained facts (they sync): which
    distribution day an opening takes part in, and every change of this laptop's
    allotment (initial split, transfer out/in, void, return, hub draw/release).
    points_secret keeps the day's signing secret on this laptop only (not chained,
    never synced). qr_source_event is per-opening configuration of the codes shown
    to visitors (added/removed), append-only but not chained.

    points_cap_guard refuses a local +1 tally on a capped counter of a linked
    opening once the laptop's allotment is used up, whatever code path wrote it:
    the cap holds even if a screen taps the counter directly."""
    _run_script(conn,
        """
        CREATE TABLE points_venue_day (
            id TEXT PRIMARY KEY,
            device_id TEXT NOT NULL REFERENCES device(id),
            seq INTEGER NOT NULL,
            venue_day TEXT NOT NULL,
            opening_id TEXT NOT NULL REFERENCES opening(id),
            counter TEXT NOT NULL,
            cap INTEGER NOT NULL CHECK (cap >= 1),
            day TEXT NOT NULL,
            laptop TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('lead', 'member')),
            allotments TEXT NOT NULL,
            hub_reserve INTEGER NOT NULL CHECK (hub_reserve >= 0),
            margin_min INTEGER NOT NULL CHECK (margin_min >= 0),
            issued_at TEXT NOT NULL,
            device_time TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            UNIQUE (device_id, seq),
            UNIQUE (device_id, venue_day)
        );
        CREATE INDEX points_venue_day_opening ON points_venue_day (opening_id, counter);
        CREATE TABLE points_allotment (
            id TEXT PRIMARY KEY,
            device_id TEXT NOT NULL REFERENCES device(id),
            seq INTEGER NOT NULL,
            venue_day TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('initial', 'transfer_out', 'transfer_in',
                'transfer_void', 'transfer_returned', 'hub_in', 'hub_out')),
            amount INTEGER NOT NULL CHECK (amount >= 0),
            delta INTEGER NOT NULL,
            code_id TEXT NOT NULL,
            peer TEXT NOT NULL,
            expires_at TEXT,
            detail TEXT NOT NULL,
            device_time TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            UNIQUE (device_id, seq),
            CHECK (delta = CASE
                WHEN kind IN ('initial', 'transfer_in', 'transfer_returned', 'hub_in') THEN amount
                WHEN kind IN ('transfer_out', 'hub_out') THEN -amount
                ELSE 0 END)
        );
        CREATE UNIQUE INDEX points_allotment_once ON points_allotment (device_id, venue_day, kind, code_id);
        CREATE TABLE points_secret (
            venue_day TEXT PRIMARY KEY,
            secret TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE qr_source_event (
            id TEXT PRIMARY KEY,
            opening_id TEXT NOT NULL REFERENCES opening(id),
            source_id TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('add', 'remove')),
            caption TEXT NOT NULL,
            text TEXT NOT NULL,
            origin TEXT NOT NULL CHECK (origin IN ('typed', 'image')),
            purpose TEXT NOT NULL CHECK (purpose IN ('points', 'info')),
            device_time TEXT NOT NULL
        );
        CREATE INDEX qr_source_event_opening ON qr_source_event (opening_id);
        CREATE TRIGGER points_cap_guard BEFORE INSERT ON tally
        WHEN NEW.delta > 0
         AND NEW.device_id = (SELECT id FROM device WHERE is_local = 1)
         AND EXISTS (SELECT 1 FROM points_venue_day v WHERE v.opening_id = NEW.opening_id
                     AND v.counter = NEW.counter AND v.device_id = NEW.device_id)
         AND (SELECT COALESCE(SUM(a.delta), 0) FROM points_allotment a
                JOIN points_venue_day v ON a.venue_day = v.venue_day AND a.device_id = v.device_id
               WHERE v.opening_id = NEW.opening_id AND v.device_id = NEW.device_id)
           - (SELECT COALESCE(SUM(t.delta), 0) FROM tally t
               WHERE t.opening_id = NEW.opening_id AND t.counter = NEW.counter) < 1
        BEGIN
            SELECT RAISE(ABORT, 'POINTS_ALLOTMENT_EXHAUSTED: this laptop has no grants left');
        END;
        """
        + _append_only("points_venue_day") + _append_only("points_allotment")
        + _append_only("points_secret") + _append_only("qr_source_event"))



def m_photo_events(conn: sqlite3.Connection) -> None:
    """Photo station (issue 3): facts about application photos, never the image.
    One row per consent, printed sheet and deletion of a capture (capture_id is a
    random id per photo, so a reprint is not counted twice)."""
    _run_script(conn, """
        CREATE TABLE photo_event (
            id TEXT PRIMARY KEY,
            device_id TEXT NOT NULL REFERENCES device(id),
            seq INTEGER NOT NULL,
            opening_id TEXT NOT NULL REFERENCES opening(id),
            capture_id TEXT NOT NULL,
            event TEXT NOT NULL CHECK (event IN ('consent', 'printed', 'deleted')),
            copies INTEGER NOT NULL CHECK (copies >= 0),
            sheet TEXT NOT NULL,
            reason TEXT NOT NULL,
            device_time TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            UNIQUE (device_id, seq)
        );
        CREATE INDEX photo_event_opening ON photo_event (opening_id, event);
        CREATE INDEX photo_event_capture ON photo_event (capture_id);
        """ + _append_only("photo_event"))


def m_points_hub_requests(conn: sqlite3.Connection) -> None:
    """Point distribution (issue 6): this laptop's requests to the hub's reserve
    (draws and releases) and the hub's answers. Local bookkeeping, not chained and
    never synced (the allotment facts are hub_in / hub_out in points_allotment).
    A request is written before it is sent, so a retry after a lost answer, a
    closed board or a restart reuses its id (the hub answers an id once); a
    request without an answer is pending and is sent again."""
    _run_script(conn, """
        CREATE TABLE points_hub_request (
            request_id TEXT PRIMARY KEY,
            venue_day TEXT NOT NULL,
            opening_id TEXT NOT NULL REFERENCES opening(id),
            kind TEXT NOT NULL CHECK (kind IN ('draw', 'release')),
            count INTEGER NOT NULL CHECK (count >= 1),
            asked_at TEXT NOT NULL
        );
        CREATE INDEX points_hub_request_opening ON points_hub_request (opening_id);
        CREATE TABLE points_hub_answer (
            request_id TEXT PRIMARY KEY REFERENCES points_hub_request(request_id),
            amount INTEGER NOT NULL CHECK (amount >= 0),
            answered_at TEXT NOT NULL
        );
        """ + _append_only("points_hub_request") + _append_only("points_hub_answer"))


MIGRATIONS = [m001_initial, m_report_export, m_points_qr, m_photo_events, m_points_hub_requests]
