"""Overwriting photo buffers before they are let go.

Python frees memory without clearing it, so a photo left to the garbage collector
stays readable in the process (and in a crash dump) until the allocator reuses it.
Buffers we own — numpy arrays, bytearrays — are filled with zeros first. Immutable
copies made inside libraries (a bytes object in reportlab, a QImage's temporary) cannot
be overwritten from Python; they are dropped right away and never written anywhere.
"""
from __future__ import annotations

import numpy as np


def wipe(*buffers) -> int:
    """Zero every numpy array / bytearray / writable memoryview given; returns the
    number of bytes overwritten. None and already-wiped buffers are fine."""
    total = 0
    for buf in buffers:
        if buf is None:
            continue
        if isinstance(buf, np.ndarray):
            if buf.size and buf.flags.writeable:
                buf.fill(0)
                total += buf.nbytes
        elif isinstance(buf, bytearray):
            buf[:] = bytes(len(buf))
            total += len(buf)
        elif isinstance(buf, memoryview) and not buf.readonly:
            buf.cast("B")[:] = bytes(buf.nbytes)
            total += buf.nbytes
    return total


def is_wiped(buf) -> bool:
    if buf is None:
        return True
    if isinstance(buf, np.ndarray):
        return not buf.any()
    return not any(buf)
