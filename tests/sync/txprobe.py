"""Is the hub process inside a write transaction at this moment? Looked at from
outside the hub, without taking any lock or slowing it down, so that the fault
tests can kill it at a moment they know lies inside a transaction.

- SQLite (WAL mode): a writer holds an exclusive fcntl lock on byte 120 of the
  `-shm` file (SQLite's WAL_WRITE_LOCK) from BEGIN IMMEDIATE until its commit is
  written. F_GETLK asks the kernel whether a write lock there would conflict, and
  with whose: it places no lock. (Reading /proc/locks instead takes a system-wide
  lock that stalled for ~10 ms, longer than a whole push.)
- PostgreSQL: a backend of the hub's database with a transaction id assigned
  (`pg_stat_activity.backend_xid`) has written in a transaction not yet ended.
"""
from __future__ import annotations

import os
import struct
import sys
import threading
from pathlib import Path
from typing import Callable

WAL_WRITE_LOCK_BYTE = 120  # UNIX_SHM_BASE + WAL_WRITE_LOCK in SQLite's unix VFS
FLOCK = "hhqqi4x"          # struct flock on Linux (x86_64, aarch64): type, whence, start, len, pid


class SqliteWriteProbe:
    """Keeps one descriptor of the `-shm` file open for its whole life: closing any
    descriptor of a file drops every POSIX lock this process holds on it, and the
    test process has SQLite connections of its own on the same file."""

    def __init__(self, db_path: Path, pid: Callable[[], int | None]) -> None:
        self.shm = Path(f"{db_path}-shm")
        self.pid = pid
        self.fd: int | None = None
        self.inode: int | None = None
        self.old: list[int] = []  # descriptors of -shm files since replaced: closed at the end

    def __call__(self) -> bool:
        import fcntl
        try:
            inode = os.stat(self.shm).st_ino
        except FileNotFoundError:
            return False
        if inode != self.inode:
            if self.fd is not None:
                self.old.append(self.fd)
            self.fd, self.inode = os.open(self.shm, os.O_RDONLY), inode
        asked = struct.pack(FLOCK, fcntl.F_WRLCK, os.SEEK_SET, WAL_WRITE_LOCK_BYTE, 1, 0)
        kind, _whence, _start, _length, holder = struct.unpack(FLOCK, fcntl.fcntl(self.fd, fcntl.F_GETLK, asked))
        return kind == fcntl.F_WRLCK and holder == self.pid()

    def close(self) -> None:
        for fd in [*self.old, *([self.fd] if self.fd is not None else [])]:
            os.close(fd)
        self.fd, self.old = None, []


class PostgresWriteProbe:
    def __init__(self, url: str) -> None:
        import psycopg
        self.conn = psycopg.connect(url, autocommit=True)  # each look is a fresh snapshot
        self.lock = threading.Lock()

    def __call__(self) -> bool:
        with self.lock:
            row = self.conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL").fetchone()
        return row[0] > 0

    def close(self) -> None:
        self.conn.close()


def require_linux_locks() -> None:
    """The SQLite probe's struct flock layout is Linux's (where CI runs)."""
    if not sys.platform.startswith("linux"):
        import pytest
        if os.environ.get("CI") == "true":
            pytest.fail("the SQLite write-lock probe needs Linux (struct flock layout)")
        pytest.skip("the SQLite write-lock probe reads Linux's struct flock")
