"""Booth-side sync operations: enrol, push the outbox, status, export a bundle, pull
the office's plan. Used by the CLI, the background worker and the settings dialog.

The store is only ever opened read-only here (its single writer may be the running
app); what this module writes goes to the sync state file (sync/state.py).
"""
from __future__ import annotations

import contextlib
import json
import logging
import tomllib
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator

from app.errors import MESSAGES, MadoguchiError
from app.paths import DB_NAME
from app.store import Store
from sync import secrets_util as su
from sync.bundle import build_bundle, write_atomically
from sync.client import HubClient, check_ca_file, check_url, utc_now
from sync.outbox import Batch, BatchWriter, hash_at, local_head, rows_after
from sync.state import SIGNING_KEY, TOKEN, SyncState

log = logging.getLogger("madoguchi.sync.booth")

DEFAULT_BATCH = 1000
IN_FLIGHT = 2  # push requests under way at once
SKEW_WARNING_SECONDS = 120
PLAN_FILE = "hub_plan.json"
PROFILES_DIR = "hub_profiles"


@dataclass
class PushReport:
    pushed: int = 0
    stored: int = 0
    duplicates: int = 0
    conflicts: list[dict] = field(default_factory=list)
    pending: int = 0
    batches: int = 0
    skew_seconds: float | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SyncStatus:
    configured: bool
    enrolled: bool
    hub_url: str | None
    device_id: str | None
    pending: int
    acked_seq: int
    head_seq: int
    last_success_at: str | None
    last_attempt_at: str | None
    last_error: dict | None
    clock_skew_seconds: float | None
    conflicts: int
    fingerprint: str | None
    ca_cert: str | None = None
    busy: bool = False
    next_retry_at: str | None = None

    @property
    def skew_warning(self) -> bool:
        return self.clock_skew_seconds is not None and abs(self.clock_skew_seconds) > SKEW_WARNING_SECONDS

    def error_message(self, lang: str = "ja") -> str | None:
        if not self.last_error:
            return None
        code = self.last_error.get("code", "")
        if code not in MESSAGES:
            return code
        return MadoguchiError(code, **self.last_error.get("details", {})).message(lang)

    def to_dict(self, lang: str = "ja") -> dict:
        return {**asdict(self), "skew_warning": self.skew_warning,
                "last_error_message": self.error_message(lang)}


@contextlib.contextmanager
def _read_store(data_dir: Path, store: Store | None, *, create: bool) -> Iterator[Store | None]:
    """The given store, or a read-only one (None when nothing was ever recorded and
    `create` is false: creating the file would take the writer lock)."""
    if store is not None:
        yield store
        return
    if not create and not (Path(data_dir) / DB_NAME).exists():
        yield None
        return
    with Store.open(data_dir, read_only=True) as opened:
        yield opened


def _error_dict(exc: MadoguchiError) -> dict:
    return {"code": exc.code, "details": {k: str(v) for k, v in exc.details.items()}}


# ---- enrolment ---------------------------------------------------------------------

def enrol(data_dir: Path, *, hub_url: str | None, code: str, ca_cert: str | None = None,
          device_name: str | None = None, timeout: float = 15.0,
          clock: Callable[[], datetime] = utc_now) -> dict:
    """Exchange the office's code for this laptop's token and remember the hub.
    `code` may be the scanned QR payload, which can carry the hub URL too."""
    url = check_url(hub_url or su.hub_from_uri(code) or "")
    ca = check_ca_file(ca_cert)
    clean = su.normalize_code(code)
    if len(clean) != su.CODE_LENGTH:
        raise MadoguchiError("SYNC_ENROL_CODE_INVALID")
    state = SyncState(data_dir)
    with _read_store(data_dir, None, create=True) as store:
        device_id, name = store.device_id, store.device_name
    key = state.signing_key()
    with HubClient(url, ca_cert=ca, timeout=timeout, clock=clock) as client:
        answer = client.enrol(code=clean, device_id=device_id, device_name=device_name or name,
                              public_key=su.b64(su.public_raw(key)),
                              signature=su.b64(key.sign(su.enrol_message(clean, device_id))))
    data = answer.data
    token = data.get("device_token") if isinstance(data, dict) else None
    if not isinstance(token, str) or not token.startswith(su.DEVICE_PREFIX):
        raise MadoguchiError("SYNC_HUB_INCOMPATIBLE", reason="no device token in the answer")
    state.put_secret(TOKEN, token.encode("utf-8"))
    state.reset_watermark(device_id)  # a new hub has none of our rows yet
    state.update(hub_url=url, ca_cert=ca, device_id=device_id, enrolled_at=clock().isoformat(timespec="seconds"),
                 hub_device_name=data.get("device_name"), last_error=None, clock_skew=answer.skew_seconds)
    log.info("enrolled device %s with the hub", device_id)
    return {"device_id": device_id, "device_name": data.get("device_name"), "hub_url": url,
            "fingerprint": su.fingerprint(su.public_raw(key))}


def save_settings(data_dir: Path, *, hub_url: str | None = None, ca_cert: str | None = "") -> None:
    """Change the hub URL or CA file without enrolling again ("" clears the CA)."""
    values: dict = {}
    if hub_url is not None:
        values["hub_url"] = check_url(hub_url)
    if ca_cert is not None:
        values["ca_cert"] = check_ca_file(ca_cert) if ca_cert else None
    SyncState(data_dir).update(**values)


# ---- pushing -----------------------------------------------------------------------

def push_pending(data_dir: Path, *, store: Store | None = None, batch_rows: int = DEFAULT_BATCH,
                 timeout: float = 15.0, clock: Callable[[], datetime] = utc_now) -> PushReport:
    """One pass: push every unacknowledged row in batches, recording each batch's
    acknowledgement before sending the next. Raises on the first failure (what was
    acknowledged so far stays acknowledged)."""
    state = SyncState(data_dir)
    with state.held():  # one connection to sync.sqlite3 for the whole pass
        settings = state.settings()
        report = PushReport()
        try:
            if not settings.get("hub_url"):
                raise MadoguchiError("SYNC_NOT_CONFIGURED")
            token = state.device_token()
            if not token:
                raise MadoguchiError("SYNC_NOT_ENROLLED")
            with HubClient(settings["hub_url"], token=token, ca_cert=settings.get("ca_cert"),
                           timeout=timeout, clock=clock) as client:
                health = client.health()
                report.skew_seconds = health.skew_seconds
                limits = health.data.get("limits", {}) if isinstance(health.data, dict) else {}
                batch = min(batch_rows, int(limits.get("max_batch_rows", batch_rows)))
                max_body = int(limits.get("max_body_bytes", 4 * 1024 * 1024))
                with _read_store(data_dir, store, create=False) as st:
                    if st is not None:
                        _push_rows(client, state, st, report, batch, max_body, clock)
        except MadoguchiError as exc:
            state.update(last_error=_error_dict(exc), last_attempt_at=clock().isoformat(timespec="seconds"),
                         **({"clock_skew": report.skew_seconds} if report.skew_seconds is not None else {}))
            raise
        at = clock().isoformat(timespec="seconds")
        state.update(last_success_at=at, last_attempt_at=at, last_error=None, clock_skew=report.skew_seconds)
        log.info("push pass: %d row(s) sent in %d batch(es), %d stored, %d duplicate, %d conflict, %d pending",
                 report.pushed, report.batches, report.stored, report.duplicates, len(report.conflicts),
                 report.pending)
        return report


def _push_rows(client: HubClient, state: SyncState, store: Store, report: PushReport,
               batch: int, max_body: int, clock) -> None:
    """Batches go out in seq order with up to IN_FLIGHT requests under way while the
    next is read and encoded: the hub checks one batch while it commits the one
    before (see Hub.push_body). Answers are taken in the order sent, each recorded
    as an acknowledgement before the following one is looked at, so the watermark
    only ever covers rows the hub has stored. A batch the hub stored after an
    earlier one failed is simply sent again next time (a no-op at the hub)."""
    device = store.device_id
    acked, acked_hash = state.watermark(device)
    if acked and hash_at(store, acked) != acked_hash:
        # The store is not the one these acknowledgements were for (restored from a
        # backup, or a new data folder): send everything again; the hub dedupes.
        log.warning("acknowledged watermark does not match the store; resending all rows")
        state.reset_watermark(device)
        acked = 0
    batch = max(1, batch)
    next_after = acked
    in_flight: deque[tuple[Future, Batch]] = deque()
    with BatchWriter(store) as writer, ThreadPoolExecutor(IN_FLIGHT, thread_name_prefix="madoguchi-push") as sender:
        while True:
            ready = writer.batch(next_after, batch)
            if ready is not None and len(ready.body) > max_body and batch > 1:
                batch = max(1, batch // 2)
                continue
            too_large = False
            while in_flight and (len(in_flight) >= IN_FLIGHT or ready is None):
                future, sent = in_flight.popleft()
                try:
                    answer = future.result()
                except MadoguchiError as exc:
                    if exc.code in ("SYNC_BATCH_TOO_LARGE", "SYNC_BODY_TOO_LARGE") and batch > 1:
                        too_large = True
                        break
                    raise
                _acknowledge(state, device, sent, answer, report, clock)
                acked = sent.last_seq
            if too_large:  # smaller batches from the watermark on; later answers do not count
                for future, _sent in in_flight:
                    future.exception()
                in_flight.clear()
                batch = max(1, batch // 2)
                next_after = acked
                continue
            if ready is None:
                break
            in_flight.append((sender.submit(client.push_body, ready.body), ready))
            next_after = ready.last_seq
    head, _ = local_head(store)
    report.pending = max(0, head - acked)


def _acknowledge(state: SyncState, device: str, sent: Batch, answer, report: PushReport, clock) -> None:
    data = answer.data if isinstance(answer.data, dict) else {}
    if not all(isinstance(data.get(k), int) for k in ("stored", "duplicates")) \
            or not isinstance(data.get("conflicts"), list):
        raise MadoguchiError("SYNC_HUB_INCOMPATIBLE", reason="push answer")
    state.acknowledge(device, sent.last_seq, sent.last_hash, data["conflicts"], clock())
    report.batches += 1
    report.pushed += sent.count
    report.stored += data["stored"]
    report.duplicates += data["duplicates"]
    report.conflicts += data["conflicts"]


# ---- status ------------------------------------------------------------------------

def read_status(data_dir: Path, *, store: Store | None = None) -> SyncStatus:
    state = SyncState(data_dir)
    s = state.settings()
    head = acked = 0
    device_id = None
    with _read_store(data_dir, store, create=False) as st:
        if st is not None:
            device_id = st.device_id
            head, _ = local_head(st)
            acked, _ = state.watermark(device_id)
    fingerprint, last_error = None, s.get("last_error")
    try:
        if state.has_secret(SIGNING_KEY):
            fingerprint = su.fingerprint(su.public_raw(state.signing_key()))
    except MadoguchiError as exc:  # key file lost: say so instead of failing the status
        last_error = last_error or _error_dict(exc)
    return SyncStatus(
        configured=bool(s.get("hub_url")), enrolled=state.has_secret(TOKEN),
        hub_url=s.get("hub_url"), device_id=device_id, pending=max(0, head - acked),
        acked_seq=acked, head_seq=head, last_success_at=s.get("last_success_at"),
        last_attempt_at=s.get("last_attempt_at"), last_error=last_error,
        clock_skew_seconds=s.get("clock_skew"), conflicts=len(state.conflicts()),
        fingerprint=fingerprint, ca_cert=s.get("ca_cert"))


# ---- bundles -----------------------------------------------------------------------

def export_bundle(data_dir: Path, out: Path, *, everything: bool = False,
                  now: datetime | None = None) -> dict:
    """Write this laptop's unacknowledged rows (or all of them) to a signed bundle."""
    now = now or utc_now()
    state = SyncState(data_dir)
    with _read_store(data_dir, None, create=True) as store:
        head, _ = local_head(store)
        after = 0 if everything else state.watermark(store.device_id)[0]
        if after and hash_at(store, after) != state.watermark(store.device_id)[1]:
            after = 0
        rows = rows_after(store, after, max(1, head - after))
        key = state.signing_key()
        data = build_bundle(rows, device_id=store.device_id, device_name=store.device_name,
                            signing_key=key, now=now, everything=everything or after == 0)
        device_id = store.device_id
    write_atomically(Path(out), data)
    log.info("bundle written: %d row(s)", len(rows))
    return {"file": str(out), "rows": len(rows), "device_id": device_id, "bytes": len(data),
            "first_seq": rows[0]["seq"] if rows else None, "last_seq": rows[-1]["seq"] if rows else None,
            "fingerprint": su.fingerprint(su.public_raw(key))}


# ---- the office's plan -------------------------------------------------------------

def pull_plan(data_dir: Path, *, timeout: float = 15.0) -> dict:
    """Fetch the profiles and planned openings; keep each profile only if it
    validates, so a bad file from the hub never replaces a working one."""
    from app.profiles import profile_from_dict

    state = SyncState(data_dir)
    s = state.settings()
    if not s.get("hub_url"):
        raise MadoguchiError("SYNC_NOT_CONFIGURED")
    with HubClient(s["hub_url"], token=state.device_token(), ca_cert=s.get("ca_cert"),
                   timeout=timeout) as client:
        data = client.plan().data
    if not isinstance(data, dict) or not isinstance(data.get("openings"), list):
        raise MadoguchiError("SYNC_HUB_INCOMPATIBLE", reason="plan answer")
    folder = Path(data_dir) / PROFILES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    kept = []
    for item in data.get("profiles", []):
        key = str(item.get("key", ""))
        if not key.replace("_", "").isalnum():
            continue
        path = folder / f"{key}.toml"
        try:
            profile_from_dict(tomllib.loads(item["toml"]), path)
        except (MadoguchiError, tomllib.TOMLDecodeError, KeyError, TypeError):
            log.warning("profile %s from the hub does not validate; not kept", key)
            continue
        write_atomically(path, item["toml"].encode("utf-8"))
        kept.append(key)
    plan = {"openings": data["openings"], "updated_at": data.get("updated_at"), "profiles": kept}
    write_atomically(Path(data_dir) / PLAN_FILE, json.dumps(plan, ensure_ascii=False, indent=2).encode("utf-8"))
    return plan
