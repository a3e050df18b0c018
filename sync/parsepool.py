"""Checking push bodies in a helper process, next to the hub's own.

Checking a body (sync.pushbody: one regular expression over it, a SHA-256 per row)
is pure Python work, and a Python process does one such thing at a time (the GIL).
Done in the hub process, it took turns with receiving the next request and
inserting the last one; in a helper process it runs beside them on the second CPU
core. The helper gets the body as bytes and hands back the checked rows column by
column (cheap to pass between processes), or the refusal as (code, details).

If the helper dies, the body is checked in the hub process and a new helper is
started for the next one: a push never fails because of the helper.
"""
from __future__ import annotations

import gc
import logging
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial

from app.errors import MadoguchiError
from app.store import CHAINED_COLUMNS
from sync.pushbody import parse_push_body, warm_up
from sync.rows import WireRow

log = logging.getLogger("madoguchi.sync.parsepool")

_new_row = partial(tuple.__new__, WireRow)


def fewer_collections() -> None:
    """For a process that checks pushes: a push makes thousands of short-lived
    objects, and with the default thresholds the cycle collector ran every 700 of
    them and walked the whole program each tenth time (a quarter of the time spent
    checking rows). The objects of the started program are moved out of its way,
    and it runs less often."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def _start_worker(columns: dict) -> None:
    """In the helper: the very tables the hub knows (features may add some)."""
    CHAINED_COLUMNS.clear()
    CHAINED_COLUMNS.update(columns)
    warm_up()
    fewer_collections()


def _check(body: bytes, device_id: str, max_rows: int) -> tuple:
    """In the helper: ("rows", columns) or ("refused", code, details)."""
    try:
        rows = parse_push_body(body, device_id=device_id, max_rows=max_rows)
    except MadoguchiError as exc:  # an exception object would not survive the trip
        return ("refused", exc.code, {k: str(v) for k, v in exc.details.items()})
    return ("rows", list(zip(*rows)))


class ParsePool:
    def __init__(self, processes: int = 1) -> None:
        self._processes = processes
        self._lock = threading.Lock()
        self._columns = dict(CHAINED_COLUMNS)
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # spawn, not fork: the hub process has threads (uvicorn, request pool).
                self._pool = ProcessPoolExecutor(self._processes, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_start_worker, initargs=(self._columns,))
            return self._pool

    def start(self) -> "ParsePool":
        """Start the helper now, so that the first push does not wait for it."""
        self._executor().submit(int).result()
        return self

    def parse(self, body: bytes, device_id: str, max_rows: int) -> list[WireRow]:
        """The checked rows of a push body; raises as parse_push_body does."""
        if CHAINED_COLUMNS != self._columns:  # a table added after the helper started
            return parse_push_body(body, device_id=device_id, max_rows=max_rows)
        pool = self._executor()
        try:
            answer = pool.submit(_check, body, device_id, max_rows).result()
        except BrokenProcessPool:
            log.warning("body checker process lost; checking in the hub process, starting a new one")
            with self._lock:
                if self._pool is pool:
                    self._pool = None
            return parse_push_body(body, device_id=device_id, max_rows=max_rows)
        if answer[0] == "refused":
            raise MadoguchiError(answer[1], **answer[2])
        return list(map(_new_row, zip(*answer[1])))

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
