"""Group commit for the hub's SQLite database.

SQLite has one writer at a time, and each commit waits for the disk (fsync, as
every acknowledgement promises the rows are on disk). Pushes that arrive while a
commit is under way wait for the writer anyway; the first of them to get it writes
all of them in one transaction, and one fsync covers them all. Each push is still
answered only after the commit that holds it, and if anything fails before that
commit, every push of the group is answered with the error and nothing of them is
stored: nothing is acknowledged that is not on disk. (A push cannot fail alone
here: merge_rows inserts with ON CONFLICT DO NOTHING on SQLite, so no savepoint
per push is needed, which would copy every page it touches.)
"""
from __future__ import annotations

import contextlib
import threading
from typing import Callable, ContextManager, Generic, TypeVar

from app.errors import MadoguchiError
from sync.db import Conn, Pool

T = TypeVar("T")
MAX_GROUP = 32  # pushes in one transaction


class _Waiting(Generic[T]):
    __slots__ = ("work", "done", "result", "error", "wake")

    def __init__(self, work: Callable[[Conn], T]) -> None:
        self.work = work
        self.done = False
        self.result: T | None = None
        self.error: BaseException | None = None
        self.wake = threading.Event()  # set when written, or when it is this push's turn to write


class GroupCommit:
    def __init__(self, pool: Pool, turn: Callable[[], ContextManager] = contextlib.nullcontext) -> None:
        """`turn`: held around the pushes' work, not around the commit (sync.turns)."""
        self.pool = pool
        self._turn = turn
        self._lock = threading.Lock()
        self._queue: list[_Waiting] = []
        self._writing = False

    def run(self, work: Callable[[Conn], T]) -> T:
        """`work(c)` in a transaction, maybe shared with other pushes; its result
        once that transaction is committed."""
        mine = _Waiting(work)
        with self._lock:
            self._queue.append(mine)
            writer = not self._writing
            self._writing = True
        if not writer:
            mine.wake.wait()
        if not mine.done:  # this thread writes: its own push and those waiting
            with self._lock:
                others = [w for w in self._queue if w is not mine][:MAX_GROUP - 1]
                self._queue = [w for w in self._queue if w is not mine and w not in others]
            try:
                self._write([mine, *others])
            finally:
                with self._lock:  # hand the writing on (one thread woken, not all)
                    if self._queue:
                        self._queue[0].wake.set()
                    else:
                        self._writing = False
        if mine.error is not None:
            raise mine.error
        return mine.result

    def _write(self, group: list[_Waiting]) -> None:
        committed = False
        try:
            with self.pool.conn() as c, c.transaction():
                with self._turn():
                    for waiting in group:
                        waiting.result = waiting.work(c)
            committed = True
        except Exception as exc:  # not committed: none of them is stored
            for waiting in group:
                waiting.result, waiting.error = None, exc
        finally:
            for waiting in group:
                if not committed and waiting.error is None:  # the writing thread was stopped
                    waiting.result, waiting.error = None, MadoguchiError("SYNC_BUSY")
                waiting.done = True
                waiting.wake.set()
