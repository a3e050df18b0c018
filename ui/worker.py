"""The one thread that owns the store.

SQLite connections must stay on the thread that opened them, and a tap must never
freeze the screen while the disk syncs (synchronous=FULL). So a single worker thread
opens the Store and runs every domain call, one after another, in the order they
were submitted. Results travel back to the UI thread through a queued Qt signal
(the pattern Anki uses): `on_done`/`on_error` always run on the UI thread, after the
domain call has returned, which is what lets the UI acknowledge a tap only once its
row is committed.

Long reads (the report view's deadline list fingerprints every exported opening:
about a third of a second on a season's 180,000 taps) go to a second thread with
its own read-only connection (`submit_read`), so a tap is never queued behind
them. WAL lets that connection read while the worker writes; it sees what was
committed when the read starts.
"""
from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, Signal

from app.store import Store

log = logging.getLogger("madoguchi.ui.worker")


@dataclass
class _Job:
    fn: Callable[..., Any]
    args: tuple
    kwargs: dict
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    result: Any = None
    error: BaseException | None = field(default=None)


class StoreWorker(QObject):
    """`submit(fn, *args, on_done=..., on_error=...)` runs `fn(store, *args)` on the
    worker thread. Emits `opened` or `open_failed(exc)` once, on the UI thread."""

    opened = Signal()
    open_failed = Signal(object)
    # Unhandled errors of jobs submitted without on_error (the window shows them).
    failed = Signal(object)
    _deliver = Signal(object)

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._store: Store | None = None      # touched only on the worker thread
        self._open_error: BaseException | None = None
        self._stopped = False
        self.pending = 0                       # submitted, not yet delivered (UI thread)
        # Explicitly queued: the slot must run on the UI thread even though the
        # signal is emitted from the worker thread.
        self._deliver.connect(self._on_deliver, Qt.ConnectionType.QueuedConnection)
        self._thread = threading.Thread(target=self._run, name="madoguchi-store", daemon=True)
        self._reads: queue.Queue[_Job | None] = queue.Queue()
        self._reader: threading.Thread | None = None
        self._store_ready = threading.Event()  # set once the writer's open (and migrations) ended

    # ---- UI thread ------------------------------------------------------------
    def start(self) -> None:
        self.submit(_open_marker, on_done=lambda _: self.opened.emit(),
                    on_error=self.open_failed.emit)
        self._thread.start()

    def submit(self, fn: Callable[..., Any], *args: Any,
               on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None, **kwargs: Any) -> None:
        if self._stopped:
            log.warning("job submitted after the worker stopped: %s", getattr(fn, "__name__", fn))
            return
        self.pending += 1
        self._jobs.put(_Job(fn, args, kwargs, on_done, on_error))

    def submit_read(self, fn: Callable[..., Any], *args: Any,
                    on_done: Callable[[Any], None] | None = None,
                    on_error: Callable[[BaseException], None] | None = None, **kwargs: Any) -> None:
        """`fn(read_only_store, *args)` on the reader thread: for long reads only. It
        never writes, and may run before jobs submitted earlier with `submit`."""
        if self._stopped:
            log.warning("read submitted after the worker stopped: %s", getattr(fn, "__name__", fn))
            return
        if self._reader is None:
            self._reader = threading.Thread(target=self._run_reads, name="madoguchi-store-reader", daemon=True)
            self._reader.start()
        self.pending += 1
        self._reads.put(_Job(fn, args, kwargs, on_done, on_error))

    def stop(self) -> None:
        """Finish the jobs already submitted (they are taps someone made), close the
        store and release the data-folder lock. Results still in flight are dropped:
        the window that asked for them is going away."""
        if self._stopped:
            return
        self._stopped = True
        self._jobs.put(None)
        self._reads.put(None)
        if self._thread.is_alive():
            self._thread.join()
        if self._reader is not None and self._reader.is_alive():
            self._reader.join()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _on_deliver(self, job: _Job) -> None:
        self.pending -= 1
        if self._stopped:
            return
        if job.error is not None:
            if job.on_error is not None:
                job.on_error(job.error)
            else:
                self.failed.emit(job.error)
        elif job.on_done is not None:
            job.on_done(job.result)

    # ---- worker thread --------------------------------------------------------
    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                break
            self._execute(job)
            self._deliver.emit(job)
        if self._store is not None:
            self._store.close()
            self._store = None
            log.info("store closed")
        self._store_ready.set()  # a reader still waiting gives up

    def _run_reads(self) -> None:
        store: Store | None = None
        try:
            while True:
                job = self._reads.get()
                if job is None:
                    break
                if store is None:
                    self._store_ready.wait()
                    if self._store is None:  # the writer could not open it (or stopped)
                        job.error = self._open_error or RuntimeError("store is not open")
                        self._deliver.emit(job)
                        continue
                    try:
                        store = Store.open(self.data_dir, read_only=True)
                    except Exception as exc:
                        job.error = exc
                        self._deliver.emit(job)
                        continue
                self._call(store, job)
                self._deliver.emit(job)
        finally:
            if store is not None:
                store.close()

    def _execute(self, job: _Job) -> None:
        if job.fn is _open_marker:
            try:
                self._store = Store.open(self.data_dir)
                log.info("store opened on the worker thread")
            except BaseException as exc:  # reported to the user, then the app exits
                log.warning("store could not be opened: %s", getattr(exc, "code", type(exc).__name__))
                self._open_error = exc
                job.error = exc
            self._store_ready.set()
            return
        if self._store is None:
            job.error = self._open_error or RuntimeError("store is not open")
            return
        self._call(self._store, job)

    @staticmethod
    def _call(store: Store, job: _Job) -> None:
        try:
            job.result = job.fn(store, *job.args, **job.kwargs)
        except Exception as exc:
            if not hasattr(exc, "code"):
                log.exception("unexpected error in %s", getattr(job.fn, "__name__", job.fn))
            job.error = exc


def _open_marker(store: Store) -> None:  # pragma: no cover - never called
    """Stands for "open the store" in the job queue."""
