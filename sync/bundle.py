"""Offline bundles: one compressed, signed file of a laptop's rows for USB transport.

Layout (all lengths big-endian):

    b"MADOGUCHI-BUNDLE\\n"                   magic
    u32 header length, header (UTF-8 JSON)  device id/name, public key, counts, sha256
    u64 payload length, payload             zlib-compressed JSON list of wire rows
    64 bytes                                Ed25519 signature over everything above

The signature covers every byte before it, so a changed byte anywhere is caught; a
short file is reported as truncated; a bundle signed by another key than the one the
hub registered for that device is foreign. Nothing is merged unless all checks pass.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import struct
import tempfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.errors import MadoguchiError
from sync import secrets_util as su
from sync.rows import WireRow, parse_rows

MAGIC = b"MADOGUCHI-BUNDLE\n"
FORMAT = 1
SIG_LEN = 64
MAX_HEADER = 64 * 1024


@dataclass
class Bundle:
    header: dict
    device_id: str
    device_name: str
    public_key: bytes
    rows: list[WireRow]


def build_bundle(rows: list[dict], *, device_id: str, device_name: str, signing_key,
                 now: datetime, everything: bool) -> bytes:
    payload = zlib.compress(json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)
    public = su.public_raw(signing_key)
    seqs = [r["seq"] for r in rows]
    header = {
        "format": FORMAT, "device_id": device_id, "device_name": device_name,
        "public_key": su.b64(public), "fingerprint": su.fingerprint(public),
        "created_at": now.isoformat(timespec="seconds"), "rows": len(rows),
        "first_seq": min(seqs, default=None), "last_seq": max(seqs, default=None),
        "everything": everything, "payload_sha256": hashlib.sha256(payload).hexdigest(),
    }
    head = json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8")
    body = MAGIC + struct.pack(">I", len(head)) + head + struct.pack(">Q", len(payload)) + payload
    return body + signing_key.sign(body)


def read_bundle(data: bytes, label: str) -> Bundle:
    """Check and open a bundle. Raises SYNC_BUNDLE_* naming `label` (the file)."""
    if not data.startswith(MAGIC):
        if MAGIC.startswith(data):  # an empty or cut-off copy of a bundle
            raise MadoguchiError("SYNC_BUNDLE_TRUNCATED", file=label)
        raise MadoguchiError("SYNC_BUNDLE_NOT_A_BUNDLE", file=label)
    pos = len(MAGIC)
    if len(data) < pos + 4:
        raise MadoguchiError("SYNC_BUNDLE_TRUNCATED", file=label)
    (head_len,) = struct.unpack_from(">I", data, pos)
    pos += 4
    if head_len > MAX_HEADER:
        raise MadoguchiError("SYNC_BUNDLE_TAMPERED", file=label)
    if len(data) < pos + head_len + 8:
        raise MadoguchiError("SYNC_BUNDLE_TRUNCATED", file=label)
    head_bytes = data[pos:pos + head_len]
    pos += head_len
    (payload_len,) = struct.unpack_from(">Q", data, pos)
    pos += 8
    end = pos + payload_len
    if len(data) < end + SIG_LEN:
        raise MadoguchiError("SYNC_BUNDLE_TRUNCATED", file=label)
    if len(data) > end + SIG_LEN:
        raise MadoguchiError("SYNC_BUNDLE_TAMPERED", file=label)
    try:
        header = json.loads(head_bytes.decode("utf-8"))
        public = su.unb64(header["public_key"])
        device_id = str(header["device_id"])
        device_name = str(header.get("device_name") or device_id[-8:])
    except (ValueError, KeyError, TypeError, UnicodeError):
        raise MadoguchiError("SYNC_BUNDLE_TAMPERED", file=label) from None
    if len(public) != 32 or not su.verify_signature(public, data[end:], data[:end]):
        raise MadoguchiError("SYNC_BUNDLE_TAMPERED", file=label)
    try:  # signed by the key it names: a reader bug or a foreign writer from here on
        items = json.loads(zlib.decompress(data[pos:end]).decode("utf-8"))
    except (zlib.error, ValueError, UnicodeError) as exc:
        raise MadoguchiError("SYNC_BUNDLE_INVALID_ROWS", file=label, problem=type(exc).__name__) from None
    try:
        rows = parse_rows(items, device_id=device_id, max_rows=10**9)
    except MadoguchiError as exc:
        raise MadoguchiError("SYNC_BUNDLE_INVALID_ROWS", file=label, problem=exc.message("en")) from None
    if header.get("rows") != len(rows):
        raise MadoguchiError("SYNC_BUNDLE_INVALID_ROWS", file=label, problem="row count differs from header")
    return Bundle(header, device_id, device_name, public, rows)


def read_file(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise MadoguchiError("SYNC_FILE_UNREADABLE", file=str(path), reason=type(exc).__name__) from exc


def write_atomically(path: Path, data: bytes) -> None:
    """temp file + fsync + rename: a USB stick pulled early leaves the old file or
    none, never half a bundle under the final name."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".bundle-", dir=path.parent)
    except OSError as exc:
        raise MadoguchiError("SYNC_FILE_UNWRITABLE", file=str(path), reason=type(exc).__name__) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise MadoguchiError("SYNC_FILE_UNWRITABLE", file=str(path), reason=type(exc).__name__) from exc
