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


def test_a_long_read_does_not_hold_up_a_tap(qtbot, data_dir):
    """The report view's deadline list reads for a while; a tap made meanwhile is
    committed and acknowledged at once, and the read then sees it."""
    from datetime import datetime, timedelta, timezone

    from app.openings import open_opening
    from app.tallies import tap, totals
    jst = timezone(timedelta(hours=9))
    worker = _started(qtbot, data_dir)
    opened = []
    worker.submit(lambda s: open_opening(s, profile="miyagi_mynumber_r6", kind="support_booth", venue="会場",
                                         municipality="名取市", date="2026-11-26", large=False, staff=2,
                                         now=datetime(2026, 11, 26, 9, tzinfo=jst)), on_done=opened.append)
    qtbot.waitUntil(lambda: len(opened) == 1)
    oid = opened[0].id
    release, reading = threading.Event(), threading.Event()
    read_results, tapped = [], []

    def long_read(store: Store) -> int:
        reading.set()
        assert store.read_only
        assert release.wait(10)  # held until the tap below has been acknowledged
        return totals(store, oid)["application"]["total"]
    worker.submit_read(long_read, on_done=read_results.append)
    qtbot.waitUntil(reading.is_set)
    worker.submit(lambda s: tap(s, oid, "application", {"age_band": "30s", "method": "paper"},
                                now=datetime(2026, 11, 26, 10, tzinfo=jst)), on_done=tapped.append)
    qtbot.waitUntil(lambda: len(tapped) == 1)
    assert read_results == []  # the read is still under way
    release.set()
    qtbot.waitUntil(lambda: len(read_results) == 1)
    worker.submit_read(lambda s: totals(s, oid)["application"]["total"], on_done=read_results.append)
    qtbot.waitUntil(lambda: len(read_results) == 2)
    assert read_results[1] == 1  # a read started after the tap sees it
    worker.stop()
    assert not worker.running
