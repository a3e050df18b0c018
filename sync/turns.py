"""Taking turns at the hub process's Python work, the writer first.

A Python process runs Python code one thread at a time (the GIL). Pushes need it to
check their bodies and to insert their rows; letting one thread at a time do such
work keeps a thread that inserts (sqlite3 gives the GIL up and back around every
statement) from waiting behind another thread's long regular-expression scan each
time. The writer goes first: rows already checked are worth more stored than more
rows checked, and with many laptops pushing, checkers would otherwise keep the
writer (and so every commit, and every answer) waiting.
"""
from __future__ import annotations

import contextlib
import threading
from typing import Iterator


class Turns:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._busy = False
        self._writers_waiting = 0
        self._writer_turn = threading.Condition(self._lock)
        self._checker_turn = threading.Condition(self._lock)

    @contextlib.contextmanager
    def checking(self) -> Iterator[None]:
        with self._lock:
            while self._busy or self._writers_waiting:
                self._checker_turn.wait()
            self._busy = True
        try:
            yield
        finally:
            self._release()

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        with self._lock:
            self._writers_waiting += 1
            while self._busy:
                self._writer_turn.wait()
            self._writers_waiting -= 1
            self._busy = True
        try:
            yield
        finally:
            self._release()

    def _release(self) -> None:
        with self._lock:
            self._busy = False
            if self._writers_waiting:
                self._writer_turn.notify()
            else:
                self._checker_turn.notify()
