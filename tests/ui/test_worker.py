"""The store worker: one thread owns the store, results come back on the UI thread,
in order; the store is closed and the lock released when it stops."""
from __future__ import annotations

import threading

from app.errors import MadoguchiError
from app.store import Store
from ui.worker import StoreWorker


def _started(qtbot, data_dir) -> StoreWorker:
    worker = StoreWorker(data_dir)
    with qtbot.waitSignal(worker.opened, timeout=10_000):
        worker.start()
    return worker


def test_jobs_run_on_one_worker_thread_and_answer_on_the_ui_thread(qtbot, data_dir):
    worker = _started(qtbot, data_dir)
    ui_thread = threading.get_ident()
    ran_on, answered_on, order = set(), set(), []

    def job(store: Store, n: int) -> int:
        ran_on.add(threading.get_ident())
        store.query_one("SELECT 1")
        return n

    def done(n: int) -> None:
        answered_on.add(threading.get_ident())
        order.append(n)
    for n in range(20):
        worker.submit(job, n, on_done=done)
    qtbot.waitUntil(lambda: len(order) == 20)
    assert order == list(range(20))
    assert answered_on == {ui_thread}
    assert len(ran_on) == 1 and ui_thread not in ran_on
    worker.stop()


def test_errors_go_to_on_error_and_the_worker_keeps_going(qtbot, data_dir):
    worker = _started(qtbot, data_dir)
    errors, results = [], []

    def refuse(store: Store) -> None:
        raise MadoguchiError("NOTHING_TO_UNDO")
    worker.submit(refuse, on_error=errors.append)
    worker.submit(lambda store: "still here", on_done=results.append)
    qtbot.waitUntil(lambda: results == ["still here"])
    assert [e.code for e in errors] == ["NOTHING_TO_UNDO"]
    worker.stop()


def test_stop_finishes_submitted_work_and_releases_the_folder(qtbot, data_dir):
    worker = _started(qtbot, data_dir)
    seen = []
    worker.submit(lambda store: seen.append(store.device_id))
    worker.stop()
    assert len(seen) == 1 and not worker.running
    with Store.open(data_dir) as again:  # the lock is free: no error
        assert again.device_id == seen[0]


def test_open_failure_is_reported_once_and_later_jobs_fail_cleanly(qtbot, data_dir):
    holder = Store.open(data_dir)
    try:
        worker = StoreWorker(data_dir)
        with qtbot.waitSignal(worker.open_failed, timeout=10_000) as blocker:
            worker.start()
        assert blocker.args[0].code == "DATA_DIR_LOCKED"
        errors = []
        worker.submit(lambda store: None, on_error=errors.append)
        qtbot.waitUntil(lambda: len(errors) == 1)
        assert errors[0].code == "DATA_DIR_LOCKED"
        worker.stop()
    finally:
        holder.close()
