"""The Windows spooler logic (hardware/winspool.py) against a fake spooler: wait for
the photo's job, done / failed / timeout, then delete it from the queue; the photo is
kept for a retry when the job fails. The ctypes adapter's buffer and error handling
runs against a fake winspool library. Neither touches a real Windows spooler: that
runs only on the booth laptops (see docs/photo.md)."""
from __future__ import annotations

import ctypes

import pytest

from app.errors import MadoguchiError
from hardware import winspool
from hardware.winspool import (JOB_STATUS_COMPLETE, JOB_STATUS_ERROR, JOB_STATUS_OFFLINE, JOB_STATUS_PAPEROUT,
                               JOB_STATUS_PRINTED, JOB_STATUS_PRINTING, JOB_STATUS_RETAINED, JOB_STATUS_SPOOLING,
                               JobEntry, SpoolerError, find_job, follow_job, outcome)


class FakeSpooler:
    """A queue whose job goes through `statuses` (one per poll; None = gone); the
    last one repeats. Deleting removes the job after `delete_lag` more polls."""

    def __init__(self, statuses, *, delete_lag: int = 1, delete_error: str | None = None, keeps: bool = False):
        self.statuses = list(statuses)
        self.deleted_at: int | None = None
        self.delete_lag, self.delete_error, self.keeps = delete_lag, delete_error, keeps
        self.polls = 0
        self.closed = False

    def job_status(self, job_id):
        assert job_id == 7
        self.polls += 1
        if self.deleted_at is not None and self.polls - self.deleted_at >= self.delete_lag:
            return None
        return self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]

    def delete_job(self, job_id):
        if self.delete_error:
            raise SpoolerError(self.delete_error)
        self.deleted_at = self.polls

    def jobs(self):
        return [JobEntry(3, "madoguchi-photo-aaa", JOB_STATUS_PRINTING), JobEntry(7, "madoguchi-photo-bbb", 0)]

    def keeps_printed_jobs(self):
        return self.keeps

    def close(self):
        self.closed = True


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t

    def sleep(self, s):
        self.t += s


def follow(spooler, timeout=60.0):
    clock = Clock()
    return follow_job(spooler, 7, timeout=timeout, poll=0.5, purge_timeout=5.0, clock=clock, sleep=clock.sleep)


def test_printed_job_kept_by_the_queue_is_deleted():
    """'Keep printed documents' on: the printed job stays — the app deletes it."""
    spooler = FakeSpooler([JOB_STATUS_SPOOLING, JOB_STATUS_PRINTING, JOB_STATUS_PRINTED | JOB_STATUS_RETAINED])
    result = follow(spooler)
    assert (result.state, result.purged, result.purge_error) == ("done", True, None)
    assert spooler.deleted_at is not None
    done = outcome(result, queue="Booth", job_id=7, document="d", copies=4, timeout=60)
    assert (done.state, done.copies, done.purged, done.job) == ("completed", 4, True, "Booth-7")


def test_job_that_leaves_the_queue_by_itself_is_done_without_a_delete():
    spooler = FakeSpooler([JOB_STATUS_SPOOLING, JOB_STATUS_PRINTING, None])
    result = follow(spooler)
    assert (result.state, result.purged) == ("done", True) and spooler.deleted_at is None


def test_sent_to_the_printer_counts_as_done():
    assert follow(FakeSpooler([JOB_STATUS_PRINTING, JOB_STATUS_COMPLETE])).state == "done"


def test_job_error_fails_keeps_the_photo_and_deletes_the_job():
    spooler = FakeSpooler([JOB_STATUS_PRINTING, JOB_STATUS_ERROR | JOB_STATUS_PAPEROUT])
    result = follow(spooler)
    assert result.state == "failed" and result.detail == "error, paper out" and result.purged
    with pytest.raises(MadoguchiError) as err:
        outcome(result, queue="Booth", job_id=7, document="d", copies=1, timeout=60)
    assert err.value.code == "PRINT_FAILED" and "paper out" in err.value.message("ja")
    assert "消去していません" in err.value.message("ja")  # the screen keeps the photo for a retry


def test_printer_offline_until_the_timeout_cancels_the_job():
    spooler = FakeSpooler([JOB_STATUS_OFFLINE])
    result = follow(spooler, timeout=10.0)
    assert result.state == "timeout" and result.detail == "offline" and result.purged
    assert spooler.deleted_at is not None
    with pytest.raises(MadoguchiError) as err:
        outcome(result, queue="Booth", job_id=7, document="d", copies=1, timeout=10)
    assert err.value.code == "PRINT_TIMEOUT"


def test_a_delete_that_fails_is_reported_with_the_printed_sheet():
    spooler = FakeSpooler([JOB_STATUS_PRINTED], delete_error="access denied")
    result = follow(spooler)
    assert result.state == "done" and not result.purged and result.purge_error == "access denied"
    done = outcome(result, queue="Booth", job_id=7, document="d", copies=1, timeout=60)
    assert not done.purged and done.purge_error == "access denied"  # the screen shows PRINT_PURGE_FAILED


def test_a_job_still_listed_after_its_delete_is_not_called_purged():
    spooler = FakeSpooler([JOB_STATUS_PRINTED], delete_lag=10_000)
    result = follow(spooler)
    assert result.state == "done" and not result.purged and "still in the queue" in result.purge_error


def test_status_unreadable_fails_safe():
    class Broken(FakeSpooler):
        def job_status(self, job_id):
            raise SpoolerError("RPC server unavailable")
    result = follow(Broken([0]))
    assert result.state == "failed" and "RPC server unavailable" in result.detail and not result.purged


def test_our_job_is_found_by_its_document_name():
    jobs = [JobEntry(3, "other", 0), JobEntry(9, "madoguchi-photo-x", 0), JobEntry(12, "madoguchi-photo-x", 0)]
    assert find_job(jobs, "madoguchi-photo-x") == 12
    assert find_job(jobs, "madoguchi-photo-y") is None


def test_a_job_never_seen_is_reported_not_purged():
    sent = outcome(None, queue="Booth", job_id=None, document="madoguchi-photo-x", copies=2, timeout=60)
    assert sent.state == "sent" and not sent.purged and "not found" in sent.purge_error


def test_keep_printed_documents_is_read_from_the_printer():
    spooler = FakeSpooler([0], keeps=True)
    assert winspool.keeps_printed_jobs("Booth", opener=lambda name: spooler) is True and spooler.closed
    assert winspool.keeps_printed_jobs("Booth", opener=lambda name: FakeSpooler([0])) is False
    assert winspool.keeps_printed_jobs("Booth", opener=lambda name: None) is None


# ---- the ctypes adapter against a fake winspool.drv --------------------------------
class FakeWinspool:
    """Behaves like winspool.drv's two-call functions for one printer: the size first
    (ERROR_INSUFFICIENT_BUFFER), then the data; ERROR_INVALID_PARAMETER for a job
    the queue does not have."""

    def __init__(self, jobs: dict[int, tuple[str, int]], attributes: int = 0):
        from hardware import winspool_win as w

        self.w, self.jobs_, self.attributes = w, dict(jobs), attributes
        self.error = 0
        self.deleted: list[int] = []
        self._keep: list = []  # strings the structures point to

    def last_error(self):
        return self.error

    def OpenPrinterW(self, name, handle_ptr, defaults):  # noqa: N802 - Windows names
        handle_ptr.contents.value = 42
        return 1

    def ClosePrinter(self, handle):  # noqa: N802
        return 1

    def _answer(self, data: bytes, buf, size, needed_ptr):
        needed_ptr.contents.value = len(data)
        if buf is None or size < len(data):
            self.error = self.w.ERROR_INSUFFICIENT_BUFFER
            return 0
        ctypes.memmove(buf, data, len(data))
        return 1

    def _job(self, job_id):
        doc, status = self.jobs_[job_id]
        info = self.w.JOB_INFO_1W(JobId=job_id, pDocument=doc, Status=status)
        self._keep.append(info)
        return bytes(info)

    def EnumJobsW(self, handle, first, count, level, buf, size, needed_ptr, returned_ptr):  # noqa: N802
        data = b"".join(self._job(j) for j in sorted(self.jobs_))
        returned_ptr.contents.value = len(self.jobs_) if buf is not None and size >= len(data) else 0
        return self._answer(data, buf, size, needed_ptr)

    def GetJobW(self, handle, job_id, level, buf, size, needed_ptr):  # noqa: N802
        if job_id not in self.jobs_:
            self.error = self.w.ERROR_INVALID_PARAMETER
            return 0
        return self._answer(self._job(job_id), buf, size, needed_ptr)

    def SetJobW(self, handle, job_id, level, info, command):  # noqa: N802
        assert command == self.w.JOB_CONTROL_DELETE and level == 0
        if job_id not in self.jobs_:
            self.error = self.w.ERROR_INVALID_PARAMETER
            return 0
        del self.jobs_[job_id]
        self.deleted.append(job_id)
        return 1

    def GetPrinterW(self, handle, level, buf, size, needed_ptr):  # noqa: N802
        info = self.w.PRINTER_INFO_2W(pPrinterName="Booth", Attributes=self.attributes)
        self._keep.append(info)
        return self._answer(bytes(info), buf, size, needed_ptr)


def adapter(fake):
    from hardware.winspool_win import WinSpooler

    return WinSpooler("Booth", dll=fake, last_error=fake.last_error)


def test_adapter_reads_jobs_and_their_status():
    fake = FakeWinspool({5: ("other", 0), 7: ("madoguchi-photo-abc", JOB_STATUS_SPOOLING)})
    spooler = adapter(fake)
    assert [(j.job_id, j.document) for j in spooler.jobs()] == [(5, "other"), (7, "madoguchi-photo-abc")]
    assert find_job(spooler.jobs(), "madoguchi-photo-abc") == 7
    assert spooler.job_status(7) == JOB_STATUS_SPOOLING
    assert spooler.job_status(8) is None  # not in the queue


def test_adapter_follows_and_deletes_a_job_through_the_logic():
    fake = FakeWinspool({7: ("madoguchi-photo-abc", JOB_STATUS_PRINTED)})
    result = follow(adapter(fake))
    assert result.state == "done" and result.purged and fake.deleted == [7]
    adapter(fake).delete_job(7)  # deleting a job already gone is fine


def test_adapter_reports_keep_printed_documents():
    from hardware.winspool import PRINTER_ATTRIBUTE_KEEPPRINTEDJOBS

    assert adapter(FakeWinspool({}, attributes=PRINTER_ATTRIBUTE_KEEPPRINTEDJOBS | 0x2)).keeps_printed_jobs()
    assert not adapter(FakeWinspool({}, attributes=0x2)).keeps_printed_jobs()


def test_adapter_turns_other_errors_into_spooler_errors():
    fake = FakeWinspool({7: ("d", 0)})

    def denied(*args):
        fake.error = 5  # ERROR_ACCESS_DENIED
        return 0
    fake.SetJobW = denied
    with pytest.raises(SpoolerError, match="Windows error 5"):
        adapter(fake).delete_job(7)


def test_an_unreadable_queue_means_not_followed_not_failed():
    """The sheet was handed to the spooler: reporting a failure would make the staff
    print it twice; it is reported as not purged instead."""
    class Unreadable(FakeSpooler):
        def jobs(self):
            raise SpoolerError("access denied")
    assert winspool.lookup_job(Unreadable([0]), "madoguchi-photo-bbb") is None
    assert winspool.lookup_job(FakeSpooler([0]), "madoguchi-photo-bbb") == 7
