"""One writer per data folder: an OS-level lock on a file next to the database.

The lock is released by the OS when the process dies, so a crash never leaves a
stale lock behind (unlike a pid file)."""
from __future__ import annotations

import os
from pathlib import Path

from app.errors import MadoguchiError

LOCK_NAME = "madoguchi.lock"

if os.name == "nt":  # pragma: no cover - booth laptops run Windows
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False


class DataDirLock:
    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(fd):
            os.close(fd)
            raise MadoguchiError("DATA_DIR_LOCKED", path=str(self.path.parent))
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the lock
            self._fd = None
