"""The Windows spooler through winspool.drv (ctypes): a thin adapter for
hardware/winspool.py, which holds the logic.

Only the calls the photo station needs: OpenPrinterW / ClosePrinter, EnumJobsW and
GetJobW (level 1: document name and status flags), SetJobW with JOB_CONTROL_DELETE,
GetPrinterW (level 2: the "Keep printed documents" attribute). Variable-size results
use Windows' two-call pattern (ask for the size, then fill a buffer of it).

`dll` and `last_error` are parameters so the buffer handling and the error codes can
be exercised with a fake library off Windows; on a booth laptop they are winspool.drv
and ctypes.get_last_error.
"""
from __future__ import annotations

import ctypes
from ctypes import wintypes
from typing import Any, Callable

from hardware.winspool import PRINTER_ATTRIBUTE_KEEPPRINTEDJOBS, JobEntry, SpoolerError

JOB_CONTROL_DELETE = 5
ERROR_INVALID_PARAMETER = 87        # GetJob / SetJob of a job the queue no longer has
ERROR_INSUFFICIENT_BUFFER = 122
MAX_JOBS = 0xFFFF
# Windows' DWORD and WORD are 32 and 16 bits everywhere; ctypes.wintypes.DWORD is a
# C long, which is 64 bits off Windows — fixed widths keep the layout the same on the
# machines that run the tests.
DWORD, WORD = ctypes.c_uint32, ctypes.c_uint16


class SYSTEMTIME(ctypes.Structure):
    _fields_ = [(name, WORD) for name in
                ("wYear", "wMonth", "wDayOfWeek", "wDay", "wHour", "wMinute", "wSecond", "wMilliseconds")]


class JOB_INFO_1W(ctypes.Structure):  # noqa: N801 - the Windows name
    _fields_ = [("JobId", DWORD), ("pPrinterName", wintypes.LPWSTR), ("pMachineName", wintypes.LPWSTR),
                ("pUserName", wintypes.LPWSTR), ("pDocument", wintypes.LPWSTR), ("pDatatype", wintypes.LPWSTR),
                ("pStatus", wintypes.LPWSTR), ("Status", DWORD), ("Priority", DWORD),
                ("Position", DWORD), ("TotalPages", DWORD), ("PagesPrinted", DWORD),
                ("Submitted", SYSTEMTIME)]


class PRINTER_INFO_2W(ctypes.Structure):  # noqa: N801
    _fields_ = [("pServerName", wintypes.LPWSTR), ("pPrinterName", wintypes.LPWSTR), ("pShareName", wintypes.LPWSTR),
                ("pPortName", wintypes.LPWSTR), ("pDriverName", wintypes.LPWSTR), ("pComment", wintypes.LPWSTR),
                ("pLocation", wintypes.LPWSTR), ("pDevMode", ctypes.c_void_p), ("pSepFile", wintypes.LPWSTR),
                ("pPrintProcessor", wintypes.LPWSTR), ("pDatatype", wintypes.LPWSTR),
                ("pParameters", wintypes.LPWSTR), ("pSecurityDescriptor", ctypes.c_void_p),
                ("Attributes", DWORD), ("Priority", DWORD), ("DefaultPriority", DWORD),
                ("StartTime", DWORD), ("UntilTime", DWORD), ("Status", DWORD),
                ("cJobs", DWORD), ("AveragePPM", DWORD)]


def _winspool():  # pragma: no cover - Windows only
    dll = ctypes.WinDLL("winspool.drv", use_last_error=True)
    h, d, vp, pd = wintypes.HANDLE, wintypes.DWORD, ctypes.c_void_p, ctypes.POINTER(wintypes.DWORD)
    sig = {
        "OpenPrinterW": ([wintypes.LPWSTR, ctypes.POINTER(wintypes.HANDLE), vp], wintypes.BOOL),
        "ClosePrinter": ([h], wintypes.BOOL),
        "EnumJobsW": ([h, d, d, d, vp, d, pd, pd], wintypes.BOOL),
        "GetJobW": ([h, d, d, vp, d, pd], wintypes.BOOL),
        "SetJobW": ([h, d, d, vp, d], wintypes.BOOL),
        "GetPrinterW": ([h, d, vp, d, pd], wintypes.BOOL),
    }
    for name, (argtypes, restype) in sig.items():
        fn = getattr(dll, name)
        fn.argtypes, fn.restype = argtypes, restype
    return dll


class WinSpooler:
    """One printer's queue, opened with the user's rights (PRINTER_ACCESS_USE: enough
    to read and delete the user's own jobs)."""

    def __init__(self, printer: str, dll: Any = None, last_error: Callable[[], int] | None = None) -> None:
        self._dll = dll if dll is not None else _winspool()
        self._last_error = last_error or ctypes.get_last_error  # type: ignore[attr-defined]
        self.printer = printer
        handle = wintypes.HANDLE()
        if not self._dll.OpenPrinterW(printer, ctypes.pointer(handle), None):
            raise SpoolerError(f"OpenPrinter failed (Windows error {self._last_error()})")
        self._handle = handle

    def _fill(self, call: Callable[[Any, int, Any], bool], what: str) -> ctypes.Array | None:
        """The two-call pattern: ask the size, then fill a buffer of it. None when
        the call says the object is gone (ERROR_INVALID_PARAMETER)."""
        needed = wintypes.DWORD(0)
        if not call(None, 0, ctypes.pointer(needed)):
            error = self._last_error()
            if error == ERROR_INVALID_PARAMETER:
                return None
            if error != ERROR_INSUFFICIENT_BUFFER:
                raise SpoolerError(f"{what} failed (Windows error {error})")
        if needed.value == 0:
            return ctypes.create_string_buffer(0)
        buffer = ctypes.create_string_buffer(needed.value)
        if not call(buffer, needed.value, ctypes.pointer(needed)):
            error = self._last_error()
            if error == ERROR_INVALID_PARAMETER:
                return None
            raise SpoolerError(f"{what} failed (Windows error {error})")
        return buffer

    def jobs(self) -> list[JobEntry]:
        returned = wintypes.DWORD(0)
        buffer = self._fill(lambda buf, size, needed: self._dll.EnumJobsW(
            self._handle, 0, MAX_JOBS, 1, buf, size, needed, ctypes.pointer(returned)), "EnumJobs")
        if not buffer or returned.value == 0:
            return []
        infos = (JOB_INFO_1W * returned.value).from_buffer(buffer)
        return [JobEntry(i.JobId, i.pDocument or "", i.Status) for i in infos]

    def job_status(self, job_id: int) -> int | None:
        buffer = self._fill(lambda buf, size, needed: self._dll.GetJobW(self._handle, job_id, 1, buf, size, needed),
                            f"GetJob {job_id}")
        if buffer is None:
            return None
        return JOB_INFO_1W.from_buffer(buffer).Status

    def delete_job(self, job_id: int) -> None:
        if not self._dll.SetJobW(self._handle, job_id, 0, None, JOB_CONTROL_DELETE):
            error = self._last_error()
            if error != ERROR_INVALID_PARAMETER:  # already gone is what we wanted
                raise SpoolerError(f"SetJob delete {job_id} failed (Windows error {error})")

    def keeps_printed_jobs(self) -> bool:
        buffer = self._fill(lambda buf, size, needed: self._dll.GetPrinterW(self._handle, 2, buf, size, needed),
                            "GetPrinter")
        if not buffer:
            raise SpoolerError("GetPrinter returned nothing")
        return bool(PRINTER_INFO_2W.from_buffer(buffer).Attributes & PRINTER_ATTRIBUTE_KEEPPRINTEDJOBS)

    def close(self) -> None:
        if self._handle is not None:
            self._dll.ClosePrinter(self._handle)
            self._handle = None
