"""The hub's devices: admin tokens, enrolment codes, enrolment, token checks,
revocation, and each device's chain as the hub holds it (rows, head, gaps, breaks).

The hub stores only SHA-256 hashes of tokens and codes (sync.secrets_util).
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from app.errors import MadoguchiError
from app.store import genesis_hash
from sync import secrets_util as su
from sync.db import Conn, Pool
from sync.hubschema import stamp

log = logging.getLogger("madoguchi.sync.hub")  # one logger for all of the hub's modules

MAX_NAME = 80


class HubDevices:
    """sync.hub.Hub's devices and tokens (a mixin over the hub's connection pool)."""

    pool: Pool

    # ---- tokens and enrolment ----------------------------------------------------
    def create_admin_token(self, name: str, now: datetime) -> str:
        token = su.new_token(su.ADMIN_PREFIX)
        with self.pool.conn() as c, c.transaction():
            c.execute("INSERT INTO hub_admin_token (token_hash, name, created_at) VALUES (?, ?, ?)",
                      (su.token_hash(token), checked_name(name), stamp(now)))
        log.info("admin token created (%s)", checked_name(name))
        return token

    def create_enrol_code(self, name: str, now: datetime, *, valid_days: int = 7,
                          replaces: str | None = None) -> str:
        code = su.new_enrol_code()
        with self.pool.conn() as c, c.transaction():
            c.execute("INSERT INTO hub_enrol_code (code_hash, name, created_at, expires_at, replaces)"
                      " VALUES (?, ?, ?, ?, ?)",
                      (su.code_hash(code), checked_name(name), stamp(now),
                       stamp(now + timedelta(days=valid_days)), replaces))
        log.info("enrolment code created for %s", checked_name(name))
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
                checked_name(device_name)
            name = checked_name(office_name)  # the office's name for the laptop is what the office reads
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

    # ---- the devices' chains ---------------------------------------------------------
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


def checked_name(text: str) -> str:
    """A laptop's or a token's name as the office will read it: spaces collapsed,
    printable, 1 to MAX_NAME characters."""
    name = " ".join(str(text or "").split())
    if not 1 <= len(name) <= MAX_NAME or not name.isprintable():
        raise MadoguchiError("SYNC_DEVICE_NAME_INVALID", limit=MAX_NAME)
    return name

