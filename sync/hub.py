"""The hub's domain: merging pushed or bundled rows, with devices and tokens
(sync.hubdevices), merging itself (sync.hubmerge) and what the office reads and sets
(sync.hubreads) in modules of their own; Hub puts them together over one database.

Merging is a union by the row's permanent key (table, id): a row seen before with the
same hash is a no-op, with another hash a conflict (refused, recorded, listed). A row
whose place in its device's chain (device_id, seq) is taken by another row is a
conflict too. Every batch is one transaction: all of it or nothing.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from app.errors import MadoguchiError
from sync import secrets_util as su
from sync.db import Conn, IntegrityError, Pool
from sync.groupcommit import GroupCommit
from sync.hubdevices import HubDevices, checked_name
from sync.hubmerge import MergeResult, merge_rows
from sync.hubreads import HubReads
from sync.hubschema import ensure_schema, stamp
from sync.pushbody import parse_push_body
from sync.rows import WireRow, parse_rows
from sync.turns import Turns

# What other modules import from here (MergeResult and stamp live in sync.hubmerge
# and sync.hubschema since the split).
__all__ = ["Hub", "Limits", "MergeResult", "stamp", "utc_now"]

log = logging.getLogger("madoguchi.sync.hub")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Limits:
    max_batch_rows: int = 2000
    max_body_bytes: int = 8 * 1024 * 1024
    max_bundle_bytes: int = 256 * 1024 * 1024
    max_page_rows: int = 5000

    def to_dict(self) -> dict:
        return dict(self.__dict__)


class Hub(HubDevices, HubReads):
    def __init__(self, url: str, *, limits: Limits | None = None, pool_size: int = 4) -> None:
        self.limits = limits or Limits()
        self.pool = Pool(url, size=pool_size)
        self.dialect = self.pool.dialect
        self._turns = Turns()
        # SQLite: pushes waiting for the one writer share a transaction (sync.groupcommit).
        self._group = GroupCommit(self.pool, self._turns.writing) if self.dialect == "sqlite" else None
        with self.pool.conn() as c:
            ensure_schema(c)

    def close(self) -> None:
        self.pool.close()

    def __enter__(self) -> "Hub":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- rows in -------------------------------------------------------------------
    # Concurrent pushes (request threads of one hub process) take turns at Python work,
    # the writer first (sync.turns): checking a body, and inserting the rows. Nobody
    # holds a turn while committing: that is disk writes and fsync, without the GIL,
    # so the next batches are checked meanwhile. This overlap is what lets a laptop
    # with batches in flight keep the hub busy. On SQLite the pushes waiting for the
    # writer are written together, one commit for all (sync.groupcommit); they queue
    # in this process instead of in SQLite's busy handler, which polls with sleeps of
    # up to 100 ms.
    def push_body(self, device_id: str, body: bytes, now: datetime) -> MergeResult:
        """A push as it arrives over HTTP: the JSON body {"rows": [...]}."""
        with self._turns.checking():
            rows = parse_push_body(body, device_id=device_id, max_rows=self.limits.max_batch_rows)
        return self._store_push(device_id, rows, now)

    def push(self, device_id: str, items, now: datetime) -> MergeResult:
        with self._turns.checking():
            rows = parse_rows(items, device_id=device_id, max_rows=self.limits.max_batch_rows)
        return self._store_push(device_id, rows, now)

    def _store_push(self, device_id: str, rows: list[WireRow], now: datetime) -> MergeResult:
        def write(c: Conn) -> MergeResult:
            merged = merge_rows(c, rows, source="push", now=now)
            c.execute("UPDATE hub_device SET last_push_at = ? WHERE id = ?", (stamp(now), device_id))
            return merged

        if self._group is not None:  # SQLite: its write lock serialises the device's pushes
            result = self._group.run(write)
        else:
            with self.pool.conn() as c:
                try:
                    with c.transaction():
                        c.lock_device(device_id)  # may wait for this device's other push: no turn held
                        with self._turns.writing():
                            result = write(c)
                except IntegrityError:  # another writer raced us: nothing of ours was kept
                    raise MadoguchiError("SYNC_BUSY") from None
        log.info("push from %s: %d stored, %d duplicate, %d conflict", device_id,
                 result.stored, result.duplicates, len(result.conflicts))
        return result

    def import_bundle(self, data: bytes, *, label: str, trust_fingerprint: str | None,
                      now: datetime, accept_revoked: bool = False) -> tuple[dict, MergeResult]:
        """Verify and merge a bundle. A bundle of a revoked device is refused whole
        (SYNC_BUNDLE_DEVICE_REVOKED): its key may be in a thief's hands, so nothing
        inside it — not even its creation time — tells honest rows from forged ones.
        `accept_revoked` is the office's explicit decision that this file is honest
        (e.g. handed in by staff before the laptop was lost): it is logged, and the
        rows it brings are stored with source 'bundle_revoked'."""
        from sync.bundle import read_bundle
        import hashlib

        bundle = read_bundle(data, label)
        fp = su.fingerprint(bundle.public_key)
        key_text = su.b64(bundle.public_key)
        sha = hashlib.sha256(data).hexdigest()
        source, revoked_at = "bundle", None
        with self.pool.conn() as c:
            try:
                with c.transaction():
                    known = c.query_one("SELECT public_key, revoked_at FROM hub_device WHERE id = ?",
                                        (bundle.device_id,))
                    if known is not None and known[0] and known[0] != key_text:
                        raise MadoguchiError("SYNC_BUNDLE_FOREIGN", file=label, device=bundle.device_id,
                                             fingerprint=fp)
                    if known is not None and known[1]:
                        if not accept_revoked:
                            h = bundle.header
                            raise MadoguchiError(
                                "SYNC_BUNDLE_DEVICE_REVOKED", file=label, device=bundle.device_id,
                                revoked_at=known[1], created_at=h.get("created_at") or "?",
                                first_seq=h.get("first_seq") or "-", last_seq=h.get("last_seq") or "-")
                        source, revoked_at = "bundle_revoked", known[1]
                    if known is None or not known[0]:
                        if not trust_fingerprint:
                            raise MadoguchiError("SYNC_BUNDLE_UNTRUSTED", file=label,
                                                 device=bundle.device_id, fingerprint=fp)
                        if su.normalize_fingerprint(trust_fingerprint) != fp:
                            raise MadoguchiError("SYNC_BUNDLE_FINGERPRINT_MISMATCH", file=label,
                                                 given=trust_fingerprint, fingerprint=fp)
                        if known is None:
                            c.execute("INSERT INTO hub_device (id, name, public_key, enrolled_at, source)"
                                      " VALUES (?, ?, ?, ?, 'bundle')",
                                      (bundle.device_id, checked_name(bundle.device_name), key_text, stamp(now)))
                        else:
                            c.execute("UPDATE hub_device SET public_key = ? WHERE id = ?",
                                      (key_text, bundle.device_id))
                    c.lock_device(bundle.device_id)
                    result = merge_rows(c, bundle.rows, source=source, now=now)
                    result.revoked_override = source == "bundle_revoked"
                    c.execute("INSERT INTO hub_bundle (sha256, device_id, rows, stored, imported_at)"
                              " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                              (sha, bundle.device_id, len(bundle.rows), result.stored, stamp(now)))
            except IntegrityError:
                raise MadoguchiError("SYNC_BUSY") from None
        if result.revoked_override:
            log.warning("bundle %s of REVOKED device %s (revoked %s) accepted by the office's override:"
                        " %d row(s), %d stored", sha[:16], bundle.device_id, revoked_at, len(bundle.rows),
                        result.stored)
        log.info("bundle %s from %s (%s): %d stored, %d duplicate, %d conflict", sha[:16], bundle.device_id,
                 source, result.stored, result.duplicates, len(result.conflicts))
        return bundle.header, result
