"""The CUPS client library (libcups2, which Qt's print support uses too) via ctypes.

Why not QPrinter for CUPS: Qt's CUPS print engine writes the whole job to a temporary
file (cupsTempFd) before handing it to CUPS — a photo on disk. Here the document goes
from memory straight into the request (cupsCreateJob + cupsStartDocument +
cupsWriteRequestData), then we wait for the job to finish and purge it (Cancel-Job
with purge-job=true removes the spooled document and its history). The `cancel -x`
command of CUPS 2.4 sends the attribute misspelt ("purge-jobs") and cannot purge a
completed job, so the IPP request is built here.

libcups honours CUPS_SERVER (a host:port or a domain socket) and authenticates local
requests itself (peer credentials / local certificate), like lp and cancel do.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("madoguchi.hardware.cups")

IPP_OP_CANCEL_JOB = 0x0008
IPP_OP_GET_JOB_ATTRIBUTES = 0x0009
IPP_TAG_OPERATION = 0x01
IPP_TAG_ENUM = 0x23
IPP_TAG_NAME = 0x42
IPP_TAG_KEYWORD = 0x44
IPP_TAG_URI = 0x45
HTTP_STATUS_CONTINUE = 100
HTTP_STATUS_OK = 200
IPP_STATUS_OK_MAX = 0x00FF

JOB_PENDING, JOB_HELD, JOB_PROCESSING, JOB_STOPPED = 3, 4, 5, 6
JOB_CANCELED, JOB_ABORTED, JOB_COMPLETED = 7, 8, 9
JOB_STATE_NAMES = {3: "pending", 4: "held", 5: "processing", 6: "stopped", 7: "canceled",
                   8: "aborted", 9: "completed"}
CHUNK = 64 * 1024


class CupsError(Exception):
    pass


class _Option(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("value", ctypes.c_char_p)]


_lib = None
_lib_lock = threading.Lock()


def library():
    """libcups, or None where it is not installed (Windows, a Linux without CUPS)."""
    global _lib
    with _lib_lock:
        if _lib is None:
            name = ctypes.util.find_library("cups")
            if not name:
                _lib = False
                return None
            try:
                lib = ctypes.CDLL(name)
            except OSError:
                _lib = False
                return None
            _declare(lib)
            _lib = lib
        return _lib or None


def _declare(lib) -> None:
    vp, cp, i = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
    sig = {
        "ippNewRequest": (vp, [i]),
        "ippAddString": (vp, [vp, i, i, cp, cp, cp]),
        "ippAddStrings": (vp, [vp, i, i, cp, i, cp, ctypes.POINTER(cp)]),
        "ippAddBoolean": (vp, [vp, i, cp, ctypes.c_char]),
        "ippFindAttribute": (vp, [vp, cp, i]),
        "ippGetInteger": (i, [vp, i]),
        "ippGetCount": (i, [vp]),
        "ippGetString": (cp, [vp, i, ctypes.POINTER(cp)]),
        "ippDelete": (None, [vp]),
        "cupsDoRequest": (vp, [vp, vp, cp]),
        "cupsLastError": (i, []),
        "cupsLastErrorString": (cp, []),
        "cupsUser": (cp, []),
        "cupsServer": (cp, []),
        "cupsGetDefault": (cp, []),
        "cupsAddOption": (i, [cp, cp, i, ctypes.POINTER(ctypes.POINTER(_Option))]),
        "cupsFreeOptions": (None, [i, ctypes.POINTER(_Option)]),
        "cupsCreateJob": (i, [vp, cp, cp, i, ctypes.POINTER(_Option)]),
        "cupsStartDocument": (i, [vp, cp, i, cp, cp, i]),
        "cupsWriteRequestData": (i, [vp, ctypes.c_void_p, ctypes.c_size_t]),
        "cupsFinishDocument": (i, [vp, cp]),
        "cupsCancelJob2": (i, [vp, cp, i, i]),
        "cupsGetFd": (i, [vp, cp, i]),
        "cupsSetServer": (None, [cp]),
    }
    for fname, (restype, argtypes) in sig.items():
        fn = getattr(lib, fname)
        fn.restype, fn.argtypes = restype, argtypes


def available() -> bool:
    return library() is not None


def _check_ipp(what: str) -> None:
    lib = library()
    status = lib.cupsLastError()
    if status > IPP_STATUS_OK_MAX:
        text = (lib.cupsLastErrorString() or b"").decode("utf-8", "replace")
        raise CupsError(f"{what}: {text} (0x{status:04x})")


def reset_server() -> None:
    """Forget this thread's server so the next call reads CUPS_SERVER again."""
    lib = library()
    if lib:
        lib.cupsSetServer(None)


def server() -> str:
    lib = library()
    return lib.cupsServer().decode() if lib else ""


def default_printer() -> str | None:
    lib = library()
    if not lib:
        return None
    name = lib.cupsGetDefault()
    return name.decode() if name else None


def submit(printer: str, document: bytearray | bytes | memoryview, *, title: str,
           options: dict[str, str] | None = None, mime: str = "application/pdf") -> int:
    """Create a job and stream the document into it from memory. Returns the job id."""
    lib = library()
    if not lib:
        raise CupsError("libcups is not installed")
    opts = ctypes.POINTER(_Option)()
    n = 0
    for key, value in (options or {}).items():
        n = lib.cupsAddOption(key.encode(), str(value).encode(), n, ctypes.byref(opts))
    try:
        job_id = lib.cupsCreateJob(None, printer.encode(), title.encode(), n, opts)
        if job_id <= 0:
            _check_ipp("create-job")
            raise CupsError("create-job: no job id")
        status = lib.cupsStartDocument(None, printer.encode(), job_id, b"photo-sheet", mime.encode(), 1)
        if status != HTTP_STATUS_CONTINUE:
            lib.cupsCancelJob2(None, printer.encode(), job_id, 1)
            raise CupsError(f"send-document: HTTP {status}")
        view = memoryview(document).cast("B")
        buf = (ctypes.c_char * len(view)).from_buffer(view) if not view.readonly \
            else ctypes.create_string_buffer(bytes(view), len(view))
        base = ctypes.addressof(buf)
        for start in range(0, len(view), CHUNK):
            size = min(CHUNK, len(view) - start)
            status = lib.cupsWriteRequestData(None, base + start, size)
            if status != HTTP_STATUS_CONTINUE:
                break
        del buf
        lib.cupsFinishDocument(None, printer.encode())
        if lib.cupsLastError() > IPP_STATUS_OK_MAX:
            text = (lib.cupsLastErrorString() or b"").decode("utf-8", "replace")
            purge(job_id)
            raise CupsError(f"send-document: {text}")
        log.info("CUPS job %d submitted to %s", job_id, printer)
        return job_id
    finally:
        lib.cupsFreeOptions(n, opts)


def _job_request(op: int, job_id: int):
    lib = library()
    req = lib.ippNewRequest(op)
    lib.ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, b"job-uri", None,
                     f"ipp://localhost/jobs/{job_id}".encode())
    lib.ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, b"requesting-user-name", None, lib.cupsUser())
    return req


@dataclass(frozen=True)
class JobStatus:
    state: int
    reasons: tuple[str, ...]

    @property
    def name(self) -> str:
        return JOB_STATE_NAMES.get(self.state, str(self.state))

    @property
    def finished(self) -> bool:
        return self.state >= JOB_CANCELED


def job_status(job_id: int) -> JobStatus:
    lib = library()
    req = _job_request(IPP_OP_GET_JOB_ATTRIBUTES, job_id)
    names = (ctypes.c_char_p * 2)(b"job-state", b"job-state-reasons")
    lib.ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, b"requested-attributes", 2, None, names)
    resp = lib.cupsDoRequest(None, req, b"/")
    try:
        _check_ipp(f"get-job-attributes {job_id}")
        if not resp:
            raise CupsError(f"get-job-attributes {job_id}: no response")
        attr = lib.ippFindAttribute(resp, b"job-state", IPP_TAG_ENUM)
        state = lib.ippGetInteger(attr, 0) if attr else 0
        attr = lib.ippFindAttribute(resp, b"job-state-reasons", IPP_TAG_KEYWORD)
        reasons = tuple((lib.ippGetString(attr, k, None) or b"").decode()
                        for k in range(lib.ippGetCount(attr))) if attr else ()
        return JobStatus(state, reasons)
    finally:
        if resp:
            lib.ippDelete(resp)


def wait(job_id: int, timeout: float, poll: float = 0.2) -> JobStatus:
    """Until the job is completed, canceled or aborted, or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        status = job_status(job_id)
        if status.finished or time.monotonic() >= deadline:
            return status
        time.sleep(poll)


def purge(job_id: int) -> None:
    """Cancel (if still active) and remove the job's files and history from the spooler."""
    lib = library()
    req = _job_request(IPP_OP_CANCEL_JOB, job_id)
    lib.ippAddBoolean(req, IPP_TAG_OPERATION, b"purge-job", b"\x01")
    resp = lib.cupsDoRequest(None, req, b"/jobs/")
    if resp:
        lib.ippDelete(resp)
    _check_ipp(f"purge job {job_id}")
    log.info("CUPS job %d purged", job_id)


# ---- does the server keep job files? ---------------------------------------------
_PRESERVE = re.compile(r"^\s*PreserveJobFiles\s+(\S+)", re.IGNORECASE | re.MULTILINE)
CUPS_DEFAULT_PRESERVE = "86400"   # CUPS 2.x keeps job files for a day unless told


def server_config() -> str | None:
    """cupsd.conf as the server has it (GET /admin/conf/cupsd.conf, admin only),
    else the local file; None when neither can be read."""
    lib = library()
    if lib and hasattr(os, "memfd_create"):
        fd = os.memfd_create("cupsd-conf")
        try:
            status = lib.cupsGetFd(None, b"/admin/conf/cupsd.conf", fd)
            if status == HTTP_STATUS_OK:
                os.lseek(fd, 0, os.SEEK_SET)
                chunks = []
                while chunk := os.read(fd, 65536):
                    chunks.append(chunk)
                return b"".join(chunks).decode("utf-8", "replace")
        finally:
            os.close(fd)
    root = Path(os.environ.get("CUPS_SERVERROOT", "/etc/cups"))
    try:
        return (root / "cupsd.conf").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def preserve_job_files(conf: str | None = None) -> str | None:
    """The server's PreserveJobFiles value ("No", "Yes", seconds), the CUPS default when
    the file does not set it, or None when the configuration cannot be read."""
    conf = server_config() if conf is None else conf
    if conf is None:
        return None
    match = _PRESERVE.search(conf)
    return match.group(1) if match else CUPS_DEFAULT_PRESERVE


def keeps_job_files(value: str | None) -> bool | None:
    if value is None:
        return None
    return value.strip().lower() not in ("no", "off", "false", "0")
