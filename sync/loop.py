"""The background sync worker: a plain thread (no Qt) that pushes the outbox.

It wakes every `poll` seconds to look at the pending count (a cheap read on its own
read-only store connection), pushes when there is something to send or a heartbeat
is due, and after a failure waits a random time between 0 and min(cap, base * 2^n)
("full jitter"), so a room of laptops coming back online does not hit the hub in
step. `sync_now()` skips the wait. Status goes to `on_status` from this thread; the
Qt widget turns it into a queued signal.
"""
from __future__ import annotations

import logging
import random
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable

from app.errors import MadoguchiError
from app.paths import DB_NAME
from app.store import Store
from sync.booth import SyncStatus, push_pending, read_status
from sync.client import utc_now

log = logging.getLogger("madoguchi.sync.loop")


def full_jitter(attempt: int, base: float, cap: float, rand: Callable[[], float] = random.random) -> float:
    """Seconds to wait before retry number `attempt` (1, 2, ...)."""
    return rand() * min(cap, base * (2 ** max(0, attempt - 1)))


class SyncLoop:
    def __init__(self, data_dir: Path, on_status: Callable[[SyncStatus], None] | None = None, *,
                 poll: float = 5.0, heartbeat: float = 300.0, base: float = 2.0, cap: float = 180.0,
                 timeout: float = 15.0, batch_rows: int = 1000,
                 clock: Callable[[], datetime] = utc_now, rand: Callable[[], float] = random.random) -> None:
        self.data_dir = Path(data_dir)
        self.on_status = on_status or (lambda _s: None)
        self.poll, self.heartbeat, self.base, self.cap = poll, heartbeat, base, cap
        self.timeout, self.batch_rows = timeout, batch_rows
        self.clock, self.rand = clock, rand
        self.attempt = 0                   # failures in a row
        self.delays: list[float] = []      # waits chosen after failures (for the UI/tests)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._now_requested = False
        self._next_push = 0.0              # monotonic time of the next allowed push
        self._store: Store | None = None   # read-only, this thread only
        self._thread = threading.Thread(target=self._run, name="madoguchi-sync", daemon=True)

    # ---- any thread ---------------------------------------------------------------
    def start(self) -> None:
        self._thread.start()

    def sync_now(self) -> None:
        self._now_requested = True
        self._wake.set()

    def stop(self, timeout: float | None = None) -> None:
        """Stop after the request in flight (bounded by the HTTP timeout)."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout if timeout is not None else self.timeout + 5)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    # ---- the worker thread ------------------------------------------------------
    def _open_store(self) -> Store | None:
        if self._store is None and (self.data_dir / DB_NAME).exists():
            try:
                self._store = Store.open(self.data_dir, read_only=True)
            except MadoguchiError as exc:
                log.warning("sync cannot read the store: %s", exc.code)
        return self._store

    def _status(self, busy: bool = False) -> SyncStatus:
        status = read_status(self.data_dir, store=self._open_store())
        status.busy = busy
        wait = self._next_push - time.monotonic()
        if self.attempt and wait > 0:
            status.next_retry_at = (self.clock() + timedelta(seconds=wait)).isoformat(timespec="seconds")
        return status

    def _emit(self, busy: bool = False) -> SyncStatus | None:
        try:
            status = self._status(busy)
        except MadoguchiError as exc:
            log.warning("sync status unreadable: %s", exc.code)
            return None
        try:
            self.on_status(status)
        except RuntimeError:  # the widget behind the callback is gone: the app is closing
            self._stop.set()
        return status

    def _run(self) -> None:
        last_success = float("-inf")  # the first pass also checks the hub (clock, reachability)
        try:
            while not self._stop.is_set():
                status = self._emit()
                now = time.monotonic()
                wanted = status is not None and status.configured and status.enrolled and (
                    self._now_requested or status.pending > 0 or now - last_success >= self.heartbeat)
                if wanted and (self._now_requested or now >= self._next_push):
                    self._now_requested = False
                    self._emit(busy=True)
                    if self._push_once():
                        last_success = time.monotonic()
                    continue
                self._wake.wait(max(0.01, min(self.poll, self._next_push - now) if self._next_push > now
                                    else self.poll))
                self._wake.clear()
        finally:
            if self._store is not None:
                self._store.close()
                self._store = None

    def _push_once(self) -> bool:
        try:
            push_pending(self.data_dir, store=self._open_store(), batch_rows=self.batch_rows,
                         timeout=self.timeout, clock=self.clock)
        except MadoguchiError as exc:
            self.attempt += 1
            delay = full_jitter(self.attempt, self.base, self.cap, self.rand)
            self.delays.append(delay)
            self._next_push = time.monotonic() + delay
            log.info("sync failed (%s); retry %d in %.1fs", exc.code, self.attempt, delay)
            return False
        except Exception:  # never let the worker die silently: the booth keeps counting
            log.exception("unexpected error while syncing")
            self.attempt += 1
            self._next_push = time.monotonic() + full_jitter(self.attempt, self.base, self.cap, self.rand)
            return False
        self.attempt = 0
        self._next_push = 0.0
        return True
