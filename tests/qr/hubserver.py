"""A real hub (the allotments router under uvicorn) on 127.0.0.1, on a free port,
in a background thread, with its pool file in a temp folder."""
from __future__ import annotations

import contextlib
import socket
import threading
import time
from pathlib import Path
from typing import Iterator

import uvicorn
from fastapi import FastAPI

from sync.allotments_router import build_allotments_router


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_hub(folder: Path, **router_kwargs) -> Iterator[str]:
    app = FastAPI()
    router = build_allotments_router(folder / "allotments.sqlite3", **router_kwargs)
    app.include_router(router)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, name="hub", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("hub did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        router.allotment_store.pool.close()


@contextlib.contextmanager
def running_rows_hub(folder: Path) -> Iterator[tuple[str, "Hub"]]:
    """The hub's own database (sync.hub.Hub: every laptop's merged rows) with the
    allotments router over it, without device tokens, on 127.0.0.1. Yields the
    URL and the Hub, whose `push` takes a laptop's rows as a sync push would."""
    from sync.hub import Hub

    hub = Hub(f"sqlite:///{folder / 'hub.sqlite3'}")
    app = FastAPI()
    app.include_router(build_allotments_router(hub.pool))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, name="hub", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("hub did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", hub
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        hub.close()
