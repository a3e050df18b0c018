"""Real hubs on loopback and real booth stores for the sync tests."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests
import uvicorn

from app import openings as op
from app import tallies as tl
from app.store import Store
from sync.hub import Hub, Limits
from sync.pgtemp import free_port
from sync.server import create_app

ROOT = Path(__file__).resolve().parents[2]
JST = timezone(timedelta(hours=9))
PROFILE = "miyagi_mynumber_r6"


def utc() -> datetime:
    return datetime.now(timezone.utc)


class ClockShift:
    """ASGI wrapper that answers with the hub's `Date` header moved by `offset`: a hub
    whose clock is off by exactly that much (uvicorn's own Date header is switched
    off), while the booth keeps the real time."""

    def __init__(self, app, offset: timedelta) -> None:
        self.app = app
        self.offset = offset

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def dated(message):
            if message["type"] == "http.response.start":
                from email.utils import format_datetime
                moment = (utc() + self.offset).replace(microsecond=0)
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"date"]
                message = {**message, "headers": [*headers, (b"date", format_datetime(moment, usegmt=True).encode())]}
            await send(message)
        await self.app(scope, receive, dated)


class ThreadHub:
    """The hub app served by uvicorn on a thread of the test process. `clock_offset`
    moves the hub's Date header (see ClockShift)."""

    def __init__(self, db_url: str, limits: Limits | None = None, *, tls: tuple[Path, Path] | None = None,
                 clock_offset: timedelta | None = None) -> None:
        self.db_url = db_url
        self.app = create_app(db_url, limits=limits)
        self.port = free_port()
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        served = self.app if clock_offset is None else ClockShift(self.app, clock_offset)
        config = uvicorn.Config(served, host="127.0.0.1", port=self.port, log_level="error",
                                lifespan="on", timeout_graceful_shutdown=2, date_header=clock_offset is None,
                                ssl_certfile=str(tls[0]) if tls else None, ssl_keyfile=str(tls[1]) if tls else None)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.hub: Hub = self.app.state.hub
        self.admin = self.hub.create_admin_token("tests", utc())

    def start(self) -> "ThreadHub":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("hub did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)

    def code(self, name: str = "booth", **kw) -> str:
        return self.hub.create_enrol_code(name, utc(), **kw)

    def admin_get(self, path: str, **params):
        r = requests.get(f"{self.url}/v1/admin/{path}", params=params,
                         headers={"Authorization": f"Bearer {self.admin}"}, timeout=30)
        r.raise_for_status()
        return r.json()

    def row_count(self) -> int:
        return sum(self.hub.stats()["rows"].values())

    def snapshot(self) -> dict[str, list[tuple]]:
        """Everything a request could have changed: every row of every table in the
        hub's database (hub_row, hub_conflict, hub_device, hub_enrol_code,
        hub_admin_token, hub_bundle, hub_plan, hub_meta, and the tables extensions
        keep there: allot_pool, allot_move, allot_setup, allot_takeback …)."""
        return db_snapshot(self.hub.pool)


def hub_tables(c) -> list[str]:
    if c.dialect == "postgresql":
        return [t for (t,) in c.query("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                                      " ORDER BY tablename")]
    return [t for (t,) in c.query("SELECT name FROM sqlite_master WHERE type = 'table'"
                                  " AND name NOT LIKE 'sqlite_%' ORDER BY name")]


def db_snapshot(pool) -> dict[str, list[tuple]]:
    with pool.conn() as c:
        return {t: sorted((tuple(r) for r in c.query(f"SELECT * FROM {t}")), key=repr) for t in hub_tables(c)}


class ProcessHub:
    """`python main.py hub` in its own process, for kill -9 and restart."""

    def __init__(self, db_url: str, log_path: Path, port: int | None = None) -> None:
        self.db_url = db_url
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None
        self._log = None

    def start(self) -> "ProcessHub":
        self._log = open(self.log_path, "ab")
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "--data-dir", str(self.log_path.parent / "hubhome"),
             "hub", "--db", self.db_url, "--port", str(self.port), "--max-batch-rows", "500"],
            stdout=self._log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(self.url + "/v1/health", timeout=1).ok:
                    return self
            except requests.RequestException:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"hub process did not start: {self.log_path.read_text()[-2000:]}")
            time.sleep(0.05)

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
            self.proc = None
        if self._log is not None:
            self._log.close()
            self._log = None


def open_day(store: Store, *, venue: str = "イオンモール名取", municipality: str = "名取市",
             date: str = "2026-11-26", kind: str = "support_booth", large: bool = False):
    return op.open_opening(store, profile=PROFILE, kind=kind, venue=venue, municipality=municipality,
                           date=date, large=large, staff=2, now=datetime(2026, 11, 26, 9, tzinfo=JST))


def tap_n(store: Store, opening_id: str, n: int, *, age: str = "30s", method: str = "paper") -> None:
    now = datetime(2026, 11, 26, 10, tzinfo=JST)
    for _ in range(n):
        tl.tap(store, opening_id, "application", {"age_band": age, "method": method}, now=now)


def booth_rows(data_dir: Path) -> dict[tuple[str, str], str]:
    """(table, id) -> hash of every chained row in a booth store."""
    from app.store import CHAINED_COLUMNS
    out = {}
    with Store.open(data_dir, read_only=True) as store:
        tables = {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type='table'")}
        for t in CHAINED_COLUMNS:
            if t in tables:
                for r in store.query(f"SELECT id, hash FROM {t}"):
                    out[(t, r[0])] = r[1]
    return out


def hub_rows(hub: Hub) -> list[tuple[str, str, str]]:
    with hub.pool.conn() as c:
        return [tuple(r) for r in c.query("SELECT tbl, id, hash FROM hub_row")]


def booth_totals(data_dir: Path) -> dict:
    with Store.open(data_dir, read_only=True) as store:
        return tl.totals(store)


def make_tls(folder: Path) -> tuple[Path, Path, Path]:
    """A private CA and a server certificate for 127.0.0.1: (ca.pem, cert.pem, key.pem)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def name(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    now = utc()
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(name("Madoguchi test CA")).issuer_name(name("Madoguchi test CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(name("127.0.0.1")).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    paths = folder / "ca.pem", folder / "cert.pem", folder / "key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths
