"""A tiny database layer for the hub: the same plain SQL on sqlite3 and psycopg 3.

SQL is written once with `?` placeholders (turned into `%s` for PostgreSQL); the
few places where the dialects differ are named here (`serial`, `lock_device`).
Connections come from a small pool so the hub's request threads each use their own.
"""
from __future__ import annotations

import contextlib
import functools
import logging
import queue
import sqlite3
import threading
from itertools import chain
from pathlib import Path
from typing import Any, Iterator, Sequence
from urllib.parse import unquote, urlsplit

from app.errors import MadoguchiError
import sync.errors  # noqa: F401

log = logging.getLogger("madoguchi.sync.db")


class IntegrityError(Exception):
    """A unique key was violated (both drivers' errors become this)."""


class Conn:
    """One connection with the dialect's quirks hidden."""

    def __init__(self, raw: Any, dialect: str) -> None:
        self.raw = raw
        self.dialect = dialect
        self.broken = False

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.dialect == "postgresql" else sql

    def execute(self, sql: str, params: Sequence = ()) -> Any:
        try:
            return self.raw.execute(self._sql(sql), tuple(params))
        except Exception as exc:
            raise _translate(exc) from exc

    def executemany(self, sql: str, rows: list[Sequence]) -> None:
        if not rows:
            return
        try:
            if self.dialect == "postgresql":
                with self.raw.cursor() as cur:
                    cur.executemany(self._sql(sql), rows)
            else:
                self.raw.executemany(sql, rows)
        except Exception as exc:
            raise _translate(exc) from exc

    def insert_rows(self, table: str, columns: Sequence[str], rows: list[Sequence],
                    constants: Sequence = (), *, skip_taken: bool = False) -> int:
        """Bulk insert of new rows: many rows per INSERT on SQLite, COPY on PostgreSQL
        (several times faster there). `rows` hold the values of the first columns,
        `constants` those of the last ones, the same for every row (no tuple per row
        to build). A duplicate key fails the whole statement; with `skip_taken`
        (SQLite only) rows whose keys are taken are left out instead. Returns the
        number of rows inserted."""
        if not rows:
            return 0
        if self.dialect != "postgresql":
            before = self.raw.total_changes
            # Many rows per INSERT: sqlite3 gives the GIL up and back around every
            # statement, and a thread waiting for it (the event loop receiving the next
            # batch) made each one-row statement wait its turn. 900 values stay under
            # the 999-variable limit of older SQLite builds.
            width = len(columns) - len(constants)
            per = max(1, (900 - len(constants)) // width)
            full = len(rows) - len(rows) % per
            if full:
                self.executemany(_insert_sql(table, tuple(columns), per, len(constants), skip_taken),
                                 [(*chain.from_iterable(rows[i:i + per]), *constants) for i in range(0, full, per)])
            if full < len(rows):
                self.execute(_insert_sql(table, tuple(columns), len(rows) - full, len(constants), skip_taken),
                             (*chain.from_iterable(rows[full:]), *constants))
            return self.raw.total_changes - before
        if skip_taken:
            raise ValueError("skip_taken is for SQLite")
        try:
            with self.raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *constants))
        except Exception as exc:
            raise _translate(exc) from exc
        return len(rows)

    def query(self, sql: str, params: Sequence = ()) -> list[tuple]:
        return self.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: Sequence = ()) -> tuple | None:
        return self.execute(sql, params).fetchone()

    @contextlib.contextmanager
    def transaction(self) -> Iterator["Conn"]:
        """One transaction; everything or nothing. SQLite takes the write lock at
        BEGIN so two pushes never interleave."""
        try:
            self.raw.execute("BEGIN IMMEDIATE" if self.dialect == "sqlite" else "BEGIN")
        except Exception as exc:
            self.broken = True
            raise _translate(exc) from exc
        try:
            yield self
            self.raw.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(Exception):
                self.raw.execute("ROLLBACK")
            raise

    def lock_device(self, device_id: str) -> None:
        """Serialise pushes of one device (one device's rows never race each other).
        SQLite already holds the database write lock inside transaction()."""
        if self.dialect == "postgresql":
            self.execute("SELECT id FROM hub_device WHERE id = ? FOR UPDATE", (device_id,))

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.raw.close()


@functools.lru_cache(maxsize=64)
def _insert_sql(table: str, columns: tuple[str, ...], count: int, constants: int, skip_taken: bool) -> str:
    """INSERT of `count` rows with numbered parameters: the rows' values first, then
    the `constants` values every row shares."""
    width = len(columns) - constants
    shared = "".join(f", ?{count * width + j + 1}" for j in range(constants))
    groups = ", ".join("(" + ", ".join(f"?{i * width + j + 1}" for j in range(width)) + shared + ")"
                       for i in range(count))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES {groups}" + (" ON CONFLICT DO NOTHING" * skip_taken)


def _translate(exc: Exception) -> Exception:
    if isinstance(exc, sqlite3.IntegrityError):
        return IntegrityError(str(exc))
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        return MadoguchiError("SYNC_BUSY")  # another writer held the file past busy_timeout
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return exc
    if isinstance(exc, psycopg.errors.IntegrityError):
        return IntegrityError(str(exc))
    if isinstance(exc, psycopg.errors.DataError):  # e.g. NUL in text: bad input, not a hub fault
        return MadoguchiError("SYNC_MALFORMED", where="value", problem=type(exc).__name__)
    if isinstance(exc, psycopg.OperationalError):
        return MadoguchiError("SYNC_HUB_DB_UNAVAILABLE", reason=type(exc).__name__)
    return exc


def parse_url(url: str) -> tuple[str, str]:
    """('sqlite', path) or ('postgresql', conninfo url)."""
    text = (url or "").strip()
    parts = urlsplit(text)
    if parts.scheme == "sqlite" and text.startswith("sqlite:///") and len(text) > len("sqlite:///"):
        # As in SQLAlchemy: sqlite:///hub.db is relative, sqlite:////srv/hub.db absolute.
        return "sqlite", unquote(text[len("sqlite:///"):])
    if parts.scheme in ("postgresql", "postgres") and (parts.netloc or parts.query):
        return "postgresql", text
    raise MadoguchiError("SYNC_HUB_DB_INVALID", url=_redact(text))


def require_existing(url: str) -> None:
    """Refuse an SQLite hub database that is not there: a command that manages or
    reads a hub must not quietly create an empty one for a mistyped path."""
    dialect, target = parse_url(url)
    if dialect == "sqlite" and not Path(target).is_file():
        raise MadoguchiError("SYNC_HUB_DB_MISSING", path=target)


def _redact(url: str) -> str:
    """Never echo a password from a database URL."""
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


def connect(url: str) -> Conn:
    dialect, target = parse_url(url)
    try:
        if dialect == "sqlite":
            path = Path(target)
            path.parent.mkdir(parents=True, exist_ok=True)
            raw = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
            raw.execute("PRAGMA journal_mode = WAL")
            # An acknowledgement promises the rows are on disk.
            raw.execute("PRAGMA synchronous = FULL")
            raw.execute("PRAGMA busy_timeout = 30000")
        else:
            import psycopg
            raw = psycopg.connect(target, autocommit=True, connect_timeout=10)
    except MadoguchiError:
        raise
    except Exception as exc:
        raise MadoguchiError("SYNC_HUB_DB_UNAVAILABLE",
                             reason=f"{type(exc).__name__}: {_redact(str(exc))[:200]}") from exc
    return Conn(raw, dialect)


class Pool:
    """A few connections shared by request threads; a broken one is replaced."""

    def __init__(self, url: str, size: int = 4) -> None:
        self.url = url
        self.dialect, _ = parse_url(url)
        self._size = size
        self._idle: queue.LifoQueue[Conn] = queue.LifoQueue()
        self._all: list[Conn] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(size)
        self.closed = False

    @contextlib.contextmanager
    def conn(self) -> Iterator[Conn]:
        self._slots.acquire()
        try:
            try:
                c = self._idle.get_nowait()
            except queue.Empty:
                c = connect(self.url)
                with self._lock:
                    self._all.append(c)
            ok = False
            try:
                yield c
                ok = True
            finally:
                if (ok or not _is_broken(c)) and not self.closed:
                    self._idle.put(c)
                else:
                    self._discard(c)
        finally:
            self._slots.release()

    def _discard(self, c: Conn) -> None:
        with self._lock:
            if c in self._all:
                self._all.remove(c)
        c.close()

    def close(self) -> None:
        self.closed = True
        with self._lock:
            conns, self._all = self._all, []
        for c in conns:
            c.close()


def _is_broken(c: Conn) -> bool:
    if c.broken:
        return True
    if c.dialect == "postgresql":
        return bool(c.raw.closed) or c.raw.info.transaction_status != 0  # 0 = idle
    return c.raw.in_transaction
