"""Process settings that keep a photo in memory from ending up on disk by accident.

- No core dumps: a crash of the process would otherwise write its memory, photos
  included, to a core file (RLIMIT_CORE = 0; on Linux also PR_SET_DUMPABLE = 0, which
  stops systemd-coredump and ptrace attaches by other users).
- Tracebacks without locals: an uncaught exception is printed (and logged) with file
  and line only; nothing prints frame locals, where a photo array would sit.
- faulthandler writes only the stack of a hard crash to stderr.
Call `harden_process()` once when the photo station opens (the CLI does too).
"""
from __future__ import annotations

import contextlib
import faulthandler
import logging
import sys
import traceback

log = logging.getLogger("madoguchi.photo.privacy")
_done = False


def _no_core_dumps() -> bool:
    try:
        import resource
    except ImportError:  # Windows: no core files; WER dumps are off unless configured
        return False
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            PR_SET_DUMPABLE = 4
            libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    return resource.getrlimit(resource.RLIMIT_CORE)[0] == 0


def _excepthook(exc_type, exc, tb) -> None:
    """The default output, explicitly: type, message and the stack's file:line only."""
    text = "".join(traceback.format_exception(exc_type, exc, tb, capture_locals=False))
    sys.stderr.write(text)
    log.error("uncaught %s", exc_type.__name__)


def harden_process() -> dict:
    global _done
    state = {"core_dumps_off": _no_core_dumps()}
    if not _done:
        if sys.excepthook is sys.__excepthook__:
            sys.excepthook = _excepthook
        if not faulthandler.is_enabled() and sys.stderr is not None:
            with contextlib.suppress(Exception):
                faulthandler.enable(file=sys.stderr, all_threads=True)
        _done = True
    state["excepthook"] = sys.excepthook is _excepthook
    return state
