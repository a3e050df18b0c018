"""The Windows print spooler: wait for the photo's job, then delete it.

Pure logic, no Windows calls: it talks to a `Spooler` object (the ctypes adapter in
hardware/winspool_win.py on a booth laptop, a fake in the tests), so every branch runs
on any machine. The flow of one job:

    find the job (by its unique document name, while it is still spooling)
    → wait: printed / sent to the printer → done
            error, deleted by someone, blocked → failed (the photo is kept for a retry)
            still waiting at the timeout (offline, paper out …) → timeout (photo kept)
    → purge: delete the job (SetJob JOB_CONTROL_DELETE) if the spooler still has it,
      and check it is gone. With "Keep printed documents" off the spooler drops a
      printed job by itself; with it on, the printed job — the photo — would stay.

What the status flags cannot tell: a job that disappears between two polls was either
printed and dropped by the spooler (the normal case) or deleted by someone in the
queue window; both read as done.
"""
from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass
from typing import Callable, Iterable, Protocol

from app.errors import MadoguchiError
from app.photo import messages  # noqa: F401 - registers the PRINT_* codes

log = logging.getLogger("madoguchi.hardware.winspool")

# JOB_INFO_1.Status flags (winspool.h)
JOB_STATUS_PAUSED = 0x0001
JOB_STATUS_ERROR = 0x0002
JOB_STATUS_DELETING = 0x0004
JOB_STATUS_SPOOLING = 0x0008
JOB_STATUS_PRINTING = 0x0010
JOB_STATUS_OFFLINE = 0x0020
JOB_STATUS_PAPEROUT = 0x0040
JOB_STATUS_PRINTED = 0x0080
JOB_STATUS_DELETED = 0x0100
JOB_STATUS_BLOCKED_DEVQ = 0x0200
JOB_STATUS_USER_INTERVENTION = 0x0400
JOB_STATUS_RESTART = 0x0800
JOB_STATUS_COMPLETE = 0x1000
JOB_STATUS_RETAINED = 0x2000

STATUS_NAMES = {
    JOB_STATUS_PAUSED: "paused", JOB_STATUS_ERROR: "error", JOB_STATUS_DELETING: "deleting",
    JOB_STATUS_SPOOLING: "spooling", JOB_STATUS_PRINTING: "printing", JOB_STATUS_OFFLINE: "offline",
    JOB_STATUS_PAPEROUT: "paper out", JOB_STATUS_PRINTED: "printed", JOB_STATUS_DELETED: "deleted",
    JOB_STATUS_BLOCKED_DEVQ: "blocked", JOB_STATUS_USER_INTERVENTION: "user intervention",
    JOB_STATUS_RESTART: "restart", JOB_STATUS_COMPLETE: "complete", JOB_STATUS_RETAINED: "retained",
}
DONE = JOB_STATUS_PRINTED | JOB_STATUS_COMPLETE
FAILED = JOB_STATUS_ERROR | JOB_STATUS_DELETING | JOB_STATUS_DELETED | JOB_STATUS_BLOCKED_DEVQ

# PRINTER_INFO_2.Attributes
PRINTER_ATTRIBUTE_KEEPPRINTEDJOBS = 0x0100


class SpoolerError(Exception):
    pass


@dataclass(frozen=True)
class JobEntry:
    job_id: int
    document: str
    status: int


class Spooler(Protocol):
    """One printer's queue. `job_status` is None once the queue no longer has the job."""

    def jobs(self) -> list[JobEntry]: ...
    def job_status(self, job_id: int) -> int | None: ...
    def delete_job(self, job_id: int) -> None: ...
    def keeps_printed_jobs(self) -> bool: ...
    def close(self) -> None: ...


def status_text(status: int) -> str:
    return ", ".join(name for flag, name in STATUS_NAMES.items() if status & flag) or "queued"


def find_job(jobs: Iterable[JobEntry], document: str) -> int | None:
    """Our job: the newest one with our (unique) document name."""
    ids = [j.job_id for j in jobs if j.document == document]
    return max(ids) if ids else None


def lookup_job(spooler: Spooler, document: str) -> int | None:
    """find_job in the spooler's queue; None when the queue cannot be read (the sheet
    is on its way by then: it is reported as not followed, not as failed — a retry
    would print it twice)."""
    try:
        return find_job(spooler.jobs(), document)
    except SpoolerError as exc:
        log.warning("spooler queue not readable: %s", exc)
        return None


@dataclass(frozen=True)
class JobResult:
    state: str                 # done | failed | timeout
    detail: str                # the last status, in words
    purged: bool               # the queue no longer has the job
    purge_error: str | None = None


def follow_job(spooler: Spooler, job_id: int, *, timeout: float, poll: float = 0.25,
               purge_timeout: float = 10.0, clock: Callable[[], float] = time.monotonic,
               sleep: Callable[[float], None] = time.sleep) -> JobResult:
    """Wait for the job to end (or `timeout`), then purge it. Never raises."""
    deadline = clock() + timeout
    while True:
        try:
            status = spooler.job_status(job_id)
        except SpoolerError as exc:
            state, detail = "failed", f"status unknown: {exc}"
            break
        if status is None:
            state, detail = "done", "left the queue"
            break
        if status & FAILED:
            state, detail = "failed", status_text(status)
            break
        if status & DONE:
            state, detail = "done", status_text(status)
            break
        if clock() >= deadline:
            state, detail = "timeout", status_text(status)
            break
        sleep(poll)
    purged, purge_error = purge_job(spooler, job_id, timeout=purge_timeout, poll=poll, clock=clock, sleep=sleep)
    log.info("spooler job %d %s (%s), purged=%s", job_id, state, detail, purged)
    return JobResult(state, detail, purged, purge_error)


def purge_job(spooler: Spooler, job_id: int, *, timeout: float = 10.0, poll: float = 0.25,
              clock: Callable[[], float] = time.monotonic,
              sleep: Callable[[float], None] = time.sleep) -> tuple[bool, str | None]:
    """Delete the job if the queue still has it; deletion is asynchronous, so wait
    (bounded) until it is gone. (purged, error)."""
    try:
        if spooler.job_status(job_id) is None:
            return True, None
        spooler.delete_job(job_id)
        deadline = clock() + timeout
        while spooler.job_status(job_id) is not None:
            if clock() >= deadline:
                return False, "the job is still in the queue after it was deleted"
            sleep(poll)
        return True, None
    except SpoolerError as exc:
        return False, str(exc)


def outcome(result: JobResult | None, *, queue: str, job_id: int | None, document: str, copies: int,
            timeout: float):
    """The PrintOutcome of a followed job, or the MadoguchiError that keeps the photo
    for a retry. `result` None: the job was never seen in the queue (cannot be
    followed or purged — reported, the sheet was handed over)."""
    from hardware.printer import PrintOutcome

    if result is None:
        return PrintOutcome(printer=queue, job=document, state="sent", copies=copies, purged=False,
                            purge_error="the job was not found in the spooler queue")
    if result.state == "timeout":
        raise MadoguchiError("PRINT_TIMEOUT", seconds=int(timeout))
    if result.state == "failed":
        raise MadoguchiError("PRINT_FAILED", reason=result.detail)
    return PrintOutcome(printer=queue, job=f"{queue}-{job_id}", state="completed", copies=copies,
                        purged=result.purged, purge_error=result.purge_error)


def open_spooler(queue: str) -> Spooler | None:
    """The queue's spooler on Windows; None elsewhere."""
    if sys.platform != "win32":
        return None
    from hardware.winspool_win import WinSpooler  # pragma: no cover - Windows only

    return WinSpooler(queue)  # pragma: no cover


def keeps_printed_jobs(queue: str, opener: Callable[[str], Spooler | None] = open_spooler) -> bool | None:
    """Does this printer keep printed documents? None when it cannot be told."""
    try:
        spooler = opener(queue)
    except SpoolerError as exc:
        log.warning("spooler not readable: %s", exc)
        return None
    if spooler is None:
        return None
    try:
        return spooler.keeps_printed_jobs()
    except SpoolerError as exc:
        log.warning("printer attributes not readable: %s", exc)
        return None
    finally:
        spooler.close()
