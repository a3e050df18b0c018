"""The hub's domain: devices and tokens, merging pushed or bundled rows, conflicts,
chain reports, paging merged rows out, totals and the office's plan.

Merging is a union by the row's permanent key (table, id): a row seen before with the
same hash is a no-op, with another hash a conflict (refused, recorded, listed). A row
whose place in its device's chain (device_id, seq) is taken by another row is a
conflict too. Every batch is one transaction: all of it or nothing.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Iterable

from app.errors import MadoguchiError
from app.store import genesis_hash
from sync import secrets_util as su
from sync.db import Conn, IntegrityError, Pool
from sync.groupcommit import GroupCommit
from sync.hubschema import ensure_schema
from sync.pushbody import parse_push_body
from sync.rows import WireRow, parse_rows
from sync.turns import Turns
from sync.totals import group_totals

log = logging.getLogger("madoguchi.sync.hub")

MAX_NAME = 80
CHUNK = 500  # ids per IN (...) query
# A WireRow's fields in their order, then the two every row of a batch shares.
HUB_ROW_COLUMNS = ("tbl", "id", "device_id", "seq", "prev_hash", "hash", "data", "received_at", "source")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def stamp(now: datetime) -> str:
    return now.astimezone(timezone.utc).isoformat(timespec="seconds")


@dataclass
class Limits:
    max_batch_rows: int = 2000
    max_body_bytes: int = 8 * 1024 * 1024
    max_bundle_bytes: int = 256 * 1024 * 1024
    max_page_rows: int = 5000

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class MergeResult:
    stored: int = 0
    duplicates: int = 0
    conflicts: list[dict] = field(default_factory=list)
    revoked_override: bool = False  # a revoked device's bundle, merged by --accept-revoked

    def to_dict(self) -> dict:
        return {"stored": self.stored, "duplicates": self.duplicates, "conflicts": self.conflicts}


def _chunks(items: list, n: int = CHUNK) -> Iterable[list]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def merge_rows(c: Conn, rows: list[WireRow], *, source: str, now: datetime) -> MergeResult:
    """Union `rows` into hub_row. Caller holds the transaction and the device lock.

    Usually every row is new, so the batch is first inserted at once:
    - SQLite: INSERT … ON CONFLICT DO NOTHING; if fewer rows went in than were
      sent, the others are sorted out afterwards (no savepoint: on SQLite one costs
      a copy of every page the insert touches);
    - PostgreSQL: COPY under a savepoint; a key already taken rolls the attempt back
      whole and the rows are sorted out one by one before inserting the new ones."""
    result = MergeResult()
    if not rows:
        return result
    at = stamp(now)
    if c.dialect == "sqlite":
        stored = c.insert_rows("hub_row", HUB_ROW_COLUMNS, rows, (at, source), skip_taken=True)
        if stored < len(rows):
            _record_conflicts(c, _sqlite_refused(c, rows), result, at, source)
            result.duplicates = len(rows) - stored - len(result.conflicts)
        result.stored = stored
        return result
    c.execute("SAVEPOINT merge_new_rows")
    try:
        c.insert_rows("hub_row", HUB_ROW_COLUMNS, rows, (at, source))
    except IntegrityError:
        c.execute("ROLLBACK TO SAVEPOINT merge_new_rows")
        c.execute("RELEASE SAVEPOINT merge_new_rows")
    else:
        c.execute("RELEASE SAVEPOINT merge_new_rows")
        result.stored = len(rows)
        return result
    existing = _stored_hashes(c, rows)
    taken: set[tuple[str, int]] = set()
    by_device: dict[str, list[int]] = {}
    for r in rows:
        by_device.setdefault(r.device_id, []).append(r.seq)
    for device_id, seqs in by_device.items():
        for (seq,) in c.query("SELECT seq FROM hub_row WHERE device_id = ? AND seq BETWEEN ? AND ?",
                              (device_id, min(seqs), max(seqs))):
            taken.add((device_id, int(seq)))
    inserts, refused = [], []
    for r in rows:
        old = existing.get((r.table, r.id))
        if old == r.hash:
            result.duplicates += 1
        elif old is not None:
            refused.append((r, "id_conflict", old))
        elif (r.device_id, r.seq) in taken:
            refused.append((r, "seq_conflict", None))
        else:
            inserts.append(r)
    c.insert_rows("hub_row", HUB_ROW_COLUMNS, inserts, (at, source))
    result.stored = len(inserts)
    _record_conflicts(c, refused, result, at, source)
    return result


def _stored_hashes(c: Conn, rows: list[WireRow]) -> dict[tuple[str, str], str]:
    """(table, id) -> hash of the rows with these ids already in hub_row."""
    existing: dict[tuple[str, str], str] = {}
    for chunk in _chunks([r.id for r in rows]):
        marks = ",".join("?" * len(chunk))
        for tbl, rid, h in c.query(f"SELECT tbl, id, hash FROM hub_row WHERE id IN ({marks})", chunk):
            existing[(tbl, rid)] = h
    return existing


def _sqlite_refused(c: Conn, rows: list[WireRow]) -> list[tuple[WireRow, str, str | None]]:
    """After INSERT … DO NOTHING: a row whose id now holds another hash met an
    id_conflict; one whose id is not there at all found its chain place (device,
    seq) taken. The rest are in: stored just now, or identical duplicates."""
    existing = _stored_hashes(c, rows)
    refused = []
    for r in rows:
        old = existing.get((r.table, r.id))
        if old is None:
            refused.append((r, "seq_conflict", None))
        elif old != r.hash:
            refused.append((r, "id_conflict", old))
    return refused


def _record_conflicts(c: Conn, refused: list, result: MergeResult, at: str, source: str) -> None:
    """List refused rows for the office (once each, however often they are resent)."""
    if not refused:
        return
    c.executemany("INSERT INTO hub_conflict (tbl, row_id, incoming_hash, device_id, seq, problem,"
                  " existing_hash, incoming_data, received_at, source)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                  [(r.table, r.id, r.hash, r.device_id, r.seq, problem, old, r.data, at, source)
                   for r, problem, old in refused])
    result.conflicts = [{"table": r.table, "id": r.id, "seq": r.seq, "problem": problem} for r, problem, _ in refused]
    log.warning("%d conflicting row(s) refused (source=%s)", len(refused), source)


class Hub:
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

    # ---- tokens and enrolment ----------------------------------------------------
    def create_admin_token(self, name: str, now: datetime) -> str:
        token = su.new_token(su.ADMIN_PREFIX)
        with self.pool.conn() as c, c.transaction():
            c.execute("INSERT INTO hub_admin_token (token_hash, name, created_at) VALUES (?, ?, ?)",
                      (su.token_hash(token), _name(name), stamp(now)))
        log.info("admin token created (%s)", _name(name))
        return token

    def create_enrol_code(self, name: str, now: datetime, *, valid_days: int = 7,
                          replaces: str | None = None) -> str:
        code = su.new_enrol_code()
        with self.pool.conn() as c, c.transaction():
            c.execute("INSERT INTO hub_enrol_code (code_hash, name, created_at, expires_at, replaces)"
                      " VALUES (?, ?, ?, ?, ?)",
                      (su.code_hash(code), _name(name), stamp(now),
                       stamp(now + timedelta(days=valid_days)), replaces))
        log.info("enrolment code created for %s", _name(name))
        return code

    def enrol(self, *, code: str, device_id: str, device_name: str, public_key: str,
              signature: str, now: datetime) -> dict:
        try:
            public = su.unb64(public_key)
            sig = su.unb64(signature)
        except (ValueError, UnicodeError):
            raise MadoguchiError("SYNC_MALFORMED", where="public_key/signature", problem="not base64") from None
        if len(public) != 32 or not su.verify_signature(public, sig, su.enrol_message(code, device_id)):
            raise MadoguchiError("SYNC_MALFORMED", where="signature",
                                 problem="does not prove the device holds this key")
        token = su.new_token(su.DEVICE_PREFIX)
        with self.pool.conn() as c, c.transaction():
            # Claim the code first, conditionally: of two laptops racing with one code,
            # exactly one update matches (PostgreSQL re-checks the WHERE after the lock).
            claimed = c.execute("UPDATE hub_enrol_code SET used_at = ?, device_id = ?"
                                " WHERE code_hash = ? AND used_at IS NULL AND expires_at >= ?",
                                (stamp(now), device_id, su.code_hash(code), stamp(now))).rowcount
            if claimed != 1:
                raise MadoguchiError("SYNC_ENROL_CODE_INVALID")
            office_name, replaces = c.query_one("SELECT name, replaces FROM hub_enrol_code WHERE code_hash = ?",
                                                (su.code_hash(code),))
            known = c.query_one("SELECT public_key, revoked_at FROM hub_device WHERE id = ?", (device_id,))
            key_text = su.b64(public)
            if known is not None and replaces != device_id and (known[0] != key_text or known[1]):
                raise MadoguchiError("SYNC_DEVICE_ALREADY_ENROLLED", device=device_id)
            if device_name:
                _name(device_name)
            name = _name(office_name)  # the office's name for the laptop is what the office reads
            if known is None:
                c.execute("INSERT INTO hub_device (id, name, public_key, token_hash, enrolled_at, source)"
                          " VALUES (?, ?, ?, ?, ?, 'enrolled')",
                          (device_id, name, key_text, su.token_hash(token), stamp(now)))
            else:  # same laptop (same key) again, or a replacement the office asked for
                c.execute("UPDATE hub_device SET name = ?, public_key = ?, token_hash = ?,"
                          " enrolled_at = ?, revoked_at = NULL WHERE id = ?",
                          (name, key_text, su.token_hash(token), stamp(now), device_id))
        log.info("device %s enrolled", device_id)
        return {"device_id": device_id, "device_name": name, "device_token": token,
                "fingerprint": su.fingerprint(public)}

    def device_for_token(self, token: str) -> str:
        if not token.startswith(su.DEVICE_PREFIX):
            raise MadoguchiError("SYNC_DEVICE_TOKEN_REQUIRED" if token.startswith(su.ADMIN_PREFIX)
                                 else "SYNC_TOKEN_INVALID")
        with self.pool.conn() as c:
            row = c.query_one("SELECT id FROM hub_device WHERE token_hash = ? AND revoked_at IS NULL",
                              (su.token_hash(token),))
        if row is None:
            raise MadoguchiError("SYNC_TOKEN_INVALID")
        return row[0]

    def check_admin(self, token: str) -> None:
        if not token.startswith(su.ADMIN_PREFIX):
            raise MadoguchiError("SYNC_ADMIN_REQUIRED" if token.startswith(su.DEVICE_PREFIX)
                                 else "SYNC_TOKEN_INVALID")
        with self.pool.conn() as c:
            row = c.query_one("SELECT 1 FROM hub_admin_token WHERE token_hash = ? AND revoked_at IS NULL",
                              (su.token_hash(token),))
        if row is None:
            raise MadoguchiError("SYNC_TOKEN_INVALID")

    def revoke(self, device_id: str, now: datetime) -> None:
        with self.pool.conn() as c, c.transaction():
            row = c.query_one("SELECT revoked_at FROM hub_device WHERE id = ?", (device_id,))
            if row is None:
                raise MadoguchiError("SYNC_DEVICE_UNKNOWN", device=device_id)
            if row[0] is None:
                c.execute("UPDATE hub_device SET revoked_at = ? WHERE id = ?", (stamp(now), device_id))
        log.info("device %s revoked", device_id)

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
                                      (bundle.device_id, _name(bundle.device_name), key_text, stamp(now)))
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

    # ---- reading -------------------------------------------------------------------
    def chain_report(self, c: Conn, device_id: str) -> dict:
        """Gaps (missing seq ranges) and breaks (a row not linked to the row before)."""
        expected, prev = 1, genesis_hash(device_id)
        gaps, breaks, count = [], [], 0
        for seq, prev_hash, h in c.query(
                "SELECT seq, prev_hash, hash FROM hub_row WHERE device_id = ? ORDER BY seq", (device_id,)):
            seq = int(seq)
            count += 1
            if seq != expected:
                gaps.append([expected, seq - 1])
            elif prev_hash != prev:
                breaks.append(seq)
            expected, prev = seq + 1, h
        return {"rows": count, "head_seq": expected - 1, "head_hash": prev if count else None,
                "gaps": gaps, "breaks": breaks}

    def devices(self) -> list[dict]:
        with self.pool.conn() as c:
            rows = c.query("SELECT id, name, public_key, enrolled_at, revoked_at, last_push_at, source"
                           " FROM hub_device ORDER BY enrolled_at, id")
            out = []
            for did, name, key, enrolled, revoked, last_push, source in rows:
                chain = self.chain_report(c, did)
                out.append({"id": did, "name": name, "enrolled_at": enrolled, "revoked_at": revoked,
                            "last_push_at": last_push, "source": source,
                            "fingerprint": su.fingerprint(su.unb64(key)) if key else None,
                            **chain})
        return out

    def conflicts(self) -> list[dict]:
        with self.pool.conn() as c:
            rows = c.query("SELECT tbl, row_id, device_id, seq, problem, existing_hash, incoming_hash,"
                           " received_at, source FROM hub_conflict ORDER BY received_at, tbl, row_id")
        keys = ("table", "id", "device_id", "seq", "problem", "existing_hash", "incoming_hash",
                "received_at", "source")
        return [dict(zip(keys, r)) | {"seq": int(r[3])} for r in rows]

    def rows_page(self, after_device: str, after_seq: int, limit: int) -> list[dict]:
        """Merged rows in (device, seq) order: a page ends at a row that is complete
        in the database, so paging while booths push never skips a row."""
        limit = max(1, min(limit, self.limits.max_page_rows))
        with self.pool.conn() as c:
            rows = c.query("SELECT tbl, hash, data FROM hub_row"
                           " WHERE device_id > ? OR (device_id = ? AND seq > ?)"
                           " ORDER BY device_id, seq LIMIT ?", (after_device, after_device, after_seq, limit))
        out = []
        for tbl, h, data in rows:
            values = json.loads(data)
            values["table"] = tbl
            values["hash"] = h
            out.append(values)
        return out

    def stats(self) -> dict:
        with self.pool.conn() as c:
            per_table = {t: int(n) for t, n in c.query("SELECT tbl, COUNT(*) FROM hub_row GROUP BY tbl")}
            conflicts = int(c.query_one("SELECT COUNT(*) FROM hub_conflict")[0])
            devices = int(c.query_one("SELECT COUNT(*) FROM hub_device")[0])
        return {"rows": per_table, "conflicts": conflicts, "devices": devices}

    def totals(self, by: list[str]) -> list[dict]:
        openings, sums = {}, {}
        with self.pool.conn() as c:
            for (data,) in c.query("SELECT data FROM hub_row WHERE tbl = 'opening'"):
                o = json.loads(data)
                openings[o["id"]] = o
            for (data,) in c.query("SELECT data FROM hub_row WHERE tbl = 'tally'"):
                t = json.loads(data)
                key = (t["opening_id"], t["counter"], t["dims"])
                sums[key] = sums.get(key, 0) + int(t["delta"])
        return group_totals(openings, ((*k, n) for k, n in sums.items()), by)

    # ---- the office's plan -----------------------------------------------------------
    def plan(self) -> dict:
        with self.pool.conn() as c:
            rows = c.query("SELECT data, updated_at FROM hub_plan ORDER BY id")
        openings = sorted((json.loads(d) for d, _ in rows), key=lambda o: (o["date"], o["venue"], o["id"]))
        updated = max((u for _, u in rows), default=None)
        return {"openings": openings, "updated_at": updated, "profiles": profiles_payload()}

    def set_plan(self, openings: list[dict], now: datetime) -> int:
        clean = [validate_planned(o, f"openings[{i}]") for i, o in enumerate(openings)]
        ids = [o["id"] for o in clean]
        if len(set(ids)) != len(ids):
            raise MadoguchiError("SYNC_MALFORMED", where="openings", problem="the same id appears twice")
        with self.pool.conn() as c, c.transaction():
            c.execute("DELETE FROM hub_plan")
            c.executemany("INSERT INTO hub_plan (id, data, updated_at) VALUES (?, ?, ?)",
                          [(o["id"], json.dumps(o, ensure_ascii=False, sort_keys=True), stamp(now))
                           for o in clean])
        log.info("plan replaced: %d planned opening(s)", len(clean))
        return len(clean)


def _name(text: str) -> str:
    name = " ".join(str(text or "").split())
    if not 1 <= len(name) <= MAX_NAME or not name.isprintable():
        raise MadoguchiError("SYNC_DEVICE_NAME_INVALID", limit=MAX_NAME)
    return name


def profiles_payload() -> list[dict]:
    """The campaign profiles this hub runs with, as TOML text a laptop can check
    and keep (`sync pull`)."""
    from app.profiles import list_profiles
    import hashlib

    out = []
    for p in list_profiles():
        text = p.path.read_text(encoding="utf-8")
        out.append({"key": p.key, "spec": p.spec, "title_ja": p.title_ja, "title_en": p.title_en,
                    "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "toml": text})
    return out


def validate_planned(obj, where: str) -> dict:
    """One planned opening as the office typed it; canonical municipality, real
    profile and kind, ISO date. Raises SYNC_MALFORMED naming the field."""
    from app import refdata
    from app.ids import uuid7
    from app.profiles import get_profile

    if not isinstance(obj, dict):
        raise MadoguchiError("SYNC_MALFORMED", where=where, problem="expected an object")

    def text(key: str, required: bool = True) -> str:
        value = obj.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()) or len(value) > 200 \
                or "\x00" in value:
            raise MadoguchiError("SYNC_MALFORMED", where=f"{where}.{key}", problem="expected text")
        return value.strip()

    try:
        profile = get_profile(text("profile"))
        kind = text("kind")
        if kind not in {k.key for k in profile.opening_kinds}:
            raise MadoguchiError("SYNC_MALFORMED", where=f"{where}.kind",
                                 problem=f"not a kind of {profile.key}")
        municipality = refdata.find_municipality(text("municipality")).key
        day = date.fromisoformat(text("date")).isoformat()
    except MadoguchiError as exc:
        if exc.code == "SYNC_MALFORMED":
            raise
        raise MadoguchiError("SYNC_MALFORMED", where=where, problem=exc.message("en")) from None
    except ValueError:
        raise MadoguchiError("SYNC_MALFORMED", where=f"{where}.date", problem="expected YYYY-MM-DD") from None
    large = obj.get("large", False)
    staff = obj.get("staff", 1)
    if not isinstance(large, bool) or not isinstance(staff, int) or isinstance(staff, bool) \
            or not 1 <= staff <= 1000:
        raise MadoguchiError("SYNC_MALFORMED", where=where, problem="large must be true/false, staff 1-1000")
    pid = obj.get("id") or uuid7()
    if not isinstance(pid, str) or not 1 <= len(pid) <= 64:
        raise MadoguchiError("SYNC_MALFORMED", where=f"{where}.id", problem="expected an id")
    return {"id": pid, "profile": profile.key, "kind": kind, "venue": text("venue"),
            "municipality": municipality, "date": day, "large": large, "staff": staff,
            "note": text("note", required=False)}
