"""Tokens, enrolment codes and Ed25519 keys: making them, hashing them, checking them.

Tokens are 256 random bits, so a plain SHA-256 is enough to store them (nothing to
brute-force); enrolment codes are short enough to type, so they are single-use and
expire. Nothing here logs or returns a secret except to the caller that made it.
"""
from __future__ import annotations

import base64
import hashlib
import secrets

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

DEVICE_PREFIX = "mdgd_"
ADMIN_PREFIX = "mdga_"
# Crockford base32: no I, L, O, U, so a code read aloud or typed is unambiguous.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
ENROL_URI = "madoguchi://enrol"


def new_token(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_enrol_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def normalize_code(text: str) -> str:
    """What staff typed (lower case, spaces, O for 0, I/L for 1) as the code.
    A scanned QR payload (madoguchi://enrol?code=...) is accepted too."""
    text = (text or "").strip()
    if text.startswith(ENROL_URI):
        from urllib.parse import parse_qs, urlsplit
        text = parse_qs(urlsplit(text).query).get("code", [""])[0]
    text = text.upper().translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    return "".join(ch for ch in text if ch in CODE_ALPHABET)


def enrol_uri(code: str, hub_url: str | None) -> str:
    from urllib.parse import urlencode
    query = {"code": code, **({"hub": hub_url} if hub_url else {})}
    return f"{ENROL_URI}?{urlencode(query)}"


def hub_from_uri(text: str) -> str | None:
    from urllib.parse import parse_qs, urlsplit
    if not (text or "").strip().startswith(ENROL_URI):
        return None
    return parse_qs(urlsplit(text.strip()).query).get("hub", [None])[0]


def code_hash(code: str) -> str:
    return hashlib.sha256(("enrol:" + normalize_code(code)).encode()).hexdigest()


# ---- Ed25519 ------------------------------------------------------------------

def new_signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def public_raw(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def fingerprint(public: bytes) -> str:
    """What the office compares with the laptop's screen: 16 hex digits in 4 groups."""
    digest = hashlib.sha256(b"madoguchi-key:" + public).hexdigest().upper()[:16]
    return "-".join(digest[i:i + 4] for i in range(0, 16, 4))


def normalize_fingerprint(text: str) -> str:
    clean = "".join(ch for ch in (text or "").upper() if ch in "0123456789ABCDEF")
    return "-".join(clean[i:i + 4] for i in range(0, len(clean), 4))


def verify_signature(public: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
        return True
    except (InvalidSignature, ValueError):
        return False


def enrol_message(code: str, device_id: str) -> bytes:
    """What the laptop signs at enrolment: proves it holds the key it registers."""
    return b"madoguchi-enrol\x00" + normalize_code(code).encode() + b"\x00" + device_id.encode()
