"""An HTTP proxy on loopback between a booth and the hub that misbehaves on purpose.

Each request (keep-alive connections carry several) gets a fault chosen by `choose`:

    pass            forward, answer
    drop            close the client connection without reading the request
    reset_request   read part of the request body, then reset (RST) the connection
    reset_response  forward (the hub commits), send half the answer, then reset
    delay           wait `delay` seconds, then forward (may exceed the client timeout)
    bad_gateway     answer 502 without forwarding
    kill            forward, then call `on_kill` (the test kills the hub) and reset

For `kill`, with `in_transaction` set (tests/sync/txprobe.py), the proxy forwards the
whole request, watches the hub until it is inside the write transaction, waits a
random moment within it and kills; each kill is recorded in `kills` (was the hub
inside a transaction, had it answered) with the request body, for the test to check
afterwards that the batch was kept whole or not at all.

When the hub cannot be reached the proxy answers 502, as a real reverse proxy does.
"""
from __future__ import annotations

import random
import select
import socket
import struct
import threading
import time
from collections import Counter
from typing import Callable

MODES = ("pass", "drop", "reset_request", "reset_response", "delay", "bad_gateway", "kill")
BAD_GATEWAY = b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


class _Closed(Exception):
    pass


def _reset(sock: socket.socket) -> None:
    """Close with RST instead of FIN (SO_LINGER 0), like a crashed peer."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()


def _read_head(sock: socket.socket, buf: bytearray) -> bytes:
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise _Closed()
        buf += chunk
    end = buf.index(b"\r\n\r\n") + 4
    head = bytes(buf[:end])
    del buf[:end]
    return head


def _answered(up: socket.socket) -> bool:
    """Has the hub written anything back (or closed) on this connection yet?"""
    return bool(select.select([up], [], [], 0)[0])


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


def _read_body(sock: socket.socket, buf: bytearray, n: int) -> bytes:
    while len(buf) < n:
        chunk = sock.recv(65536)
        if not chunk:
            raise _Closed()
        buf += chunk
    body = bytes(buf[:n])
    del buf[:n]
    return body


class FaultProxy:
    def __init__(self, upstream_port: int, *, seed: int = 0) -> None:
        self.upstream_port = upstream_port
        self.rng = random.Random(seed)
        self.choose: Callable[[str, str], str] = lambda method, path: "pass"
        self.delay = 0.3
        self.on_kill: Callable[[], None] = lambda: None
        self.in_transaction: Callable[[], bool] | None = None  # see tests/sync/txprobe.py
        self.before_kill: Callable[[bytes], object] = lambda body: None  # the test's look before forwarding
        self.kills: list[dict] = []
        self.seen: Counter = Counter()
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._stop = False
        self._threads: list[threading.Thread] = []
        self._accept = threading.Thread(target=self._serve, daemon=True)
        self._accept.start()

    def close(self) -> None:
        self._stop = True
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        except OSError:
            pass
        self._accept.join(5)
        self._listener.close()
        for t in self._threads:
            t.join(5)

    def _serve(self) -> None:
        while True:
            conn, _ = self._listener.accept()
            if self._stop:
                conn.close()
                return
            t = threading.Thread(target=self._handle, args=(conn,), daemon=True)
            self._threads = [x for x in self._threads if x.is_alive()] + [t]
            t.start()

    def _handle(self, client: socket.socket) -> None:
        buf = bytearray()
        try:
            client.settimeout(10)
            while True:
                head = _read_head(client, buf)
                method, path = head.split(b" ", 2)[:2]
                mode = self.choose(method.decode(), path.decode())
                self.seen[mode] += 1
                if mode == "drop":
                    _reset(client)
                    return
                length = _content_length(head)
                if mode == "reset_request":
                    if length:
                        _read_body(client, buf, self.rng.randint(0, max(0, min(len(buf), length - 1))))
                    _reset(client)
                    return
                body = _read_body(client, buf, length)
                if mode == "bad_gateway":
                    client.sendall(BAD_GATEWAY)
                    client.close()
                    return
                if mode == "delay":
                    time.sleep(self.delay)
                kill = {"body": body, "before": self.before_kill(body)} if mode == "kill" else None
                answer = self._forward(head + body, kill=kill)
                if answer is None or mode == "kill":
                    if mode == "kill":
                        _reset(client)
                    else:
                        client.sendall(BAD_GATEWAY)
                        client.close()
                    return
                if mode == "reset_response":
                    client.sendall(answer[: self.rng.randint(0, len(answer) - 1)])
                    _reset(client)
                    return
                client.sendall(answer)
        except (_Closed, OSError, ValueError):
            client.close()

    def _kill_inside(self, up: socket.socket) -> dict:
        """Kill the hub while it handles the request just sent: as soon as it is seen
        inside its write transaction, after a random moment within it (or, without
        a probe, a random moment after sending). Records where the kill landed."""
        probe = self.in_transaction
        started = time.monotonic()
        seen = False
        if probe is None:
            time.sleep(self.rng.uniform(0, 0.02))
        else:
            while time.monotonic() - started < 2.0 and not _answered(up):
                if probe():
                    seen = True
                    time.sleep(self.rng.uniform(0, 0.0003))  # somewhere inside it (a commit takes ~1 ms)
                    break
        inside = probe is not None and probe()
        answered = _answered(up)
        self.on_kill()
        return {"in_transaction": inside, "seen_in_transaction": seen, "answered": answered,
                "ms": round((time.monotonic() - started) * 1000, 2)}

    def _forward(self, request: bytes, *, kill: dict | None) -> bytes | None:
        try:
            up = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=10)
        except OSError:
            return None
        with up:
            try:
                up.sendall(request)
                if kill is not None:
                    kill.update(self._kill_inside(up))
                    self.kills.append(kill)
                    return None
                buf = bytearray()
                head = _read_head(up, buf)
                return head + _read_body(up, buf, _content_length(head))
            except (_Closed, OSError, ValueError):
                return None
