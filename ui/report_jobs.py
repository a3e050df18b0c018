"""A background thread for slow report work: rendering PDF/XLSX/CSV, painting the
preview image, writing files, downloading merged data from the hub.

The store worker (ui/worker.py) is one thread for the store and must stay quick, so
this work never runs there, nor on the UI thread. Results come back through a queued
Qt signal: `on_done` / `on_error` run on the UI thread (same pattern as StoreWorker)."""
from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger("madoguchi.ui.reports")


@dataclass
class _Job:
    fn: Callable[..., Any]
    args: tuple
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    result: Any = None
    error: BaseException | None = field(default=None)


class BackgroundJobs(QObject):
    """`submit(fn, *args, on_done=..., on_error=...)` runs fn(*args) on this object's
    own thread, one job after another."""

    _deliver = Signal(object)
    failed = Signal(object)

    def __init__(self, parent: QObject | None = None, name: str = "madoguchi-reports") -> None:
        super().__init__(parent)
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._stopped = False
        self.pending = 0
        self._deliver.connect(self._on_deliver, Qt.ConnectionType.QueuedConnection)
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None) -> None:
        if self._stopped:
            return
        self.pending += 1
        self._jobs.put(_Job(fn, args, on_done, on_error))

    def stop(self) -> None:
        """Let the running job finish (a file being written stays whole), drop results."""
        if self._stopped:
            return
        self._stopped = True
        self._jobs.put(None)
        self._thread.join()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _on_deliver(self, job: _Job) -> None:
        self.pending -= 1
        if self._stopped:
            return
        if job.error is not None:
            (job.on_error or self.failed.emit)(job.error)
        elif job.on_done is not None:
            job.on_done(job.result)

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            try:
                job.result = job.fn(*job.args)
            except Exception as exc:  # delivered to the UI, which shows it
                if not hasattr(exc, "code"):
                    log.exception("report job %s failed", getattr(job.fn, "__name__", job.fn))
                job.error = exc
            self._deliver.emit(job)
