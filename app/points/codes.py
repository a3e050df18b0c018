"""The short codes laptops of one distribution day pass to each other without a
network: shown as a QR code, or read out and typed.

Three kinds, each a bit-packed record in Crockford base32 (no I, L, O, U; typing
is forgiving: lower case, I/L for 1 and O for 0 are accepted, dashes and spaces
ignored), behind a readable tag:

  PV1-…  join code (配布日の参加コード): the day's secret, date, cap and the split
         of the cap into initial allotments per laptop (and the hub's reserve).
  PT1-…  transfer code (譲渡コード): laptop A hands K grants to laptop B.
  PR1-…  return code (返却コード): laptop B declares it will never receive the
         transfer code, so A may take its grants back.

Transfer and return codes carry a 64-bit HMAC-SHA256 tag keyed by the day's
secret: a laptop that did not scan the join code cannot make one, and a code
with a changed count or address fails. See docs/qr.md for why a shared secret
(and not per-laptop signatures) and what it protects.
"""
from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from app.errors import MadoguchiError
from app.points import errors as _errors  # noqa: F401  (registers POINTS_* codes)

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_DECODE = {c: i for i, c in enumerate(ALPHABET)}
_DECODE.update({"O": 0, "I": 1, "L": 1})
EPOCH = datetime(2024, 1, 1, tzinfo=timezone.utc)
EPOCH_DAY = date(2024, 1, 1)
MAC_BITS = 64
LAPTOP_BITS = 25
SECRET_BYTES = 16
MAX_LAPTOPS = 15

KIND_NAMES = {"PV": ("参加コード", "join code"), "PT": ("譲渡コード", "transfer code"),
              "PR": ("返却コード", "return code")}


# ---------------------------------------------------------------- base32 and bits

def b32encode(value: int, nbits: int) -> str:
    nchars = -(-nbits // 5)
    return "".join(ALPHABET[(value >> (5 * (nchars - 1 - i))) & 31] for i in range(nchars))


def b32decode(text: str) -> tuple[int, int]:
    value = 0
    for ch in text:
        if ch not in _DECODE:
            raise MadoguchiError("POINTS_CODE_INVALID", problem=f"character {ch!r} not in the alphabet")
        value = value << 5 | _DECODE[ch]
    return value, 5 * len(text)


class _Bits:
    """Append and read fixed-width unsigned fields, most significant first."""

    def __init__(self, value: int = 0, nbits: int = 0) -> None:
        self.value, self.nbits, self.pos = value, nbits, 0

    def put(self, field: int, width: int) -> "_Bits":
        if not 0 <= field < (1 << width):
            raise ValueError(f"{field} does not fit in {width} bits")
        self.value = self.value << width | field
        self.nbits += width
        return self

    def take(self, width: int) -> int:
        if self.pos + width > self.nbits:
            raise MadoguchiError("POINTS_CODE_INVALID", problem="too short")
        shift = self.nbits - self.pos - width
        self.pos += width
        return (self.value >> shift) & ((1 << width) - 1)

    def consumed(self) -> "_Bits":
        """The fields read so far, as their own record (what a MAC was made over)."""
        return _Bits(self.value >> (self.nbits - self.pos), self.pos)

    def finish(self) -> None:
        """Only the zero padding of the last character may be left: an extra or
        missing character is a typing mistake, not a shorter code."""
        rest = self.nbits - self.pos
        if rest >= 5 or self.value & ((1 << rest) - 1):
            raise MadoguchiError("POINTS_CODE_INVALID", problem="wrong length")

    def to_bytes(self) -> bytes:
        return self.value.to_bytes(-(-self.nbits // 8) or 1, "big") + self.nbits.to_bytes(2, "big")


def group(text: str, size: int = 5) -> str:
    return "-".join(text[i:i + size] for i in range(0, len(text), size))


def normalise(text: str) -> tuple[str, str]:
    """(tag, body) of a typed or scanned code: "pt1-abcde-…" -> ("PT", "ABCDE…")."""
    clean = re.sub(r"[\s\-_]", "", (text or "").upper())
    m = re.fullmatch(r"(P[VTR])1([0-9A-Z]+)", clean)
    if not m:
        raise MadoguchiError("POINTS_CODE_INVALID", problem="no PV1/PT1/PR1 tag")
    return m.group(1), m.group(2)


def kind_of(text: str) -> str:
    return normalise(text)[0]


def _body(text: str, tag: str, lang_pair=KIND_NAMES) -> _Bits:
    found, body = normalise(text)
    if found != tag:
        raise MadoguchiError("POINTS_CODE_WRONG_KIND", found_ja=lang_pair[found][0],
                             found_en=lang_pair[found][1], expected_ja=lang_pair[tag][0],
                             expected_en=lang_pair[tag][1])
    value, nbits = b32decode(body)
    return _Bits(value, nbits)


def _format(tag: str, bits: _Bits) -> str:
    pad = (-bits.nbits) % 5
    bits.put(0, pad)
    return f"{tag}1-" + group(b32encode(bits.value, bits.nbits))


# ---------------------------------------------------------------- laptops and keys

def laptop_code(device_id: str) -> str:
    """Six characters naming one laptop in codes: 25 bits of a hash of its device
    id plus one check character, so a mistyped code is caught at once."""
    digest = hashlib.sha256(f"madoguchi-laptop:{device_id}".encode()).digest()
    return _laptop_text(int.from_bytes(digest[:4], "big") >> (32 - LAPTOP_BITS))


def _check_char(value: int) -> str:
    chars = b32encode(value, LAPTOP_BITS)
    return ALPHABET[sum((i + 1) * _DECODE[c] for i, c in enumerate(chars)) % 32]


def _laptop_text(value: int) -> str:
    text = b32encode(value, LAPTOP_BITS) + _check_char(value)
    return f"{text[:3]}-{text[3:]}"


def parse_laptop(code: str) -> int:
    clean = re.sub(r"[\s\-_]", "", (code or "").upper())
    if len(clean) != 6 or any(c not in _DECODE for c in clean):
        raise MadoguchiError("POINTS_LAPTOP_CODE_INVALID", laptop=code)
    value, _ = b32decode(clean[:5])
    if _check_char(value) != ALPHABET[_DECODE[clean[5]]]:
        raise MadoguchiError("POINTS_LAPTOP_CODE_INVALID", laptop=code)
    return value


def canonical_laptop(code: str) -> str:
    return _laptop_text(parse_laptop(code))


def venue_day_id(secret: bytes) -> str:
    return hashlib.sha256(b"madoguchi-venue-day:" + secret).hexdigest()[:16]


def _key(secret: bytes, purpose: str) -> bytes:
    return hmac.new(secret, f"madoguchi/points/{purpose}/v1".encode(), hashlib.sha256).digest()


def _mac(secret: bytes, purpose: str, bits: _Bits, nbits: int = MAC_BITS) -> int:
    tag = hmac.new(_key(secret, purpose), bits.to_bytes(), hashlib.sha256).digest()
    return int.from_bytes(tag, "big") >> (256 - nbits)


def _minutes(moment: datetime) -> int:
    return int((moment - EPOCH).total_seconds() // 60)


def _moment(minutes: int) -> datetime:
    return EPOCH + timedelta(minutes=minutes)


# ---------------------------------------------------------------- join code (roster)

@dataclass(frozen=True)
class Roster:
    """How the lead laptop split the day's cap. `allotments` maps laptop codes to
    their initial allotment; `hub_reserve` is held by the hub for online draws."""
    secret: bytes
    day: date
    cap: int
    issued_at: datetime
    margin_min: int
    hub_reserve: int
    allotments: dict[str, int]

    @property
    def venue_day(self) -> str:
        return venue_day_id(self.secret)

    def encode(self) -> str:
        b = _Bits().put((self.day - EPOCH_DAY).days, 16).put(self.cap, 16)
        b.put(_minutes(self.issued_at), 24).put(self.margin_min, 8).put(self.hub_reserve, 16)
        b.put(len(self.allotments), 4)
        for code, n in self.allotments.items():
            b.put(parse_laptop(code), LAPTOP_BITS).put(n, 16)
        b.put(int.from_bytes(self.secret, "big"), 8 * SECRET_BYTES)
        # A check over everything, keyed by the secret it carries: catches typing
        # mistakes (it cannot prove who made the code; see docs/qr.md).
        b.put(_mac(self.secret, "roster", b, 32), 32)
        return _format("PV", b)

    @classmethod
    def decode(cls, text: str) -> "Roster":
        b = _body(text, "PV")
        days, cap = b.take(16), b.take(16)
        issued, margin, hub = b.take(24), b.take(8), b.take(16)
        n = b.take(4)
        allotments = {}
        for _ in range(n):
            code = _laptop_text(b.take(LAPTOP_BITS))
            allotments[code] = b.take(16)
        secret = b.take(8 * SECRET_BYTES).to_bytes(SECRET_BYTES, "big")
        signed = b.consumed()
        check = b.take(32)
        b.finish()
        if check != _mac(secret, "roster", signed, 32):
            raise MadoguchiError("POINTS_CODE_INVALID", problem="check does not match")
        return cls(secret=secret, day=EPOCH_DAY + timedelta(days=days), cap=cap,
                   issued_at=_moment(issued), margin_min=margin, hub_reserve=hub,
                   allotments=allotments)


# ---------------------------------------------------------------- transfer code

CODE_ID_BITS = 20


@dataclass(frozen=True)
class Transfer:
    """Laptop `sender` hands `count` grants to laptop `recipient`. `code` is a
    random number unique among the sender's codes; (sender, code) names the
    transfer everywhere."""
    venue_hint: int
    code: int
    sender: str
    recipient: str
    count: int
    issued_at: datetime
    valid_min: int

    @property
    def code_id(self) -> str:
        return f"{self.sender}/{b32encode(self.code, CODE_ID_BITS)}"

    @property
    def expires_at(self) -> datetime:
        return self.issued_at + timedelta(minutes=self.valid_min)

    def _fields(self) -> _Bits:
        b = _Bits().put(self.venue_hint, 8).put(self.code, CODE_ID_BITS)
        b.put(parse_laptop(self.sender), LAPTOP_BITS).put(parse_laptop(self.recipient), LAPTOP_BITS)
        return b.put(self.count, 16).put(_minutes(self.issued_at), 24).put(self.valid_min, 8)

    def encode(self, secret: bytes) -> str:
        b = self._fields()
        return _format("PT", b.put(_mac(secret, "transfer", b), MAC_BITS))

    @classmethod
    def decode(cls, text: str) -> tuple["Transfer", "_Bits", int]:
        """The fields, the signed part and the tag; check with `verify`."""
        b = _body(text, "PT")
        t = cls(venue_hint=b.take(8), code=b.take(CODE_ID_BITS),
                sender=_laptop_text(b.take(LAPTOP_BITS)), recipient=_laptop_text(b.take(LAPTOP_BITS)),
                count=b.take(16), issued_at=_moment(b.take(24)), valid_min=b.take(8))
        signed = b.consumed()
        tag = b.take(MAC_BITS)
        b.finish()
        return t, signed, tag


def verify_transfer(text: str, secret: bytes) -> Transfer:
    transfer, signed, tag = Transfer.decode(text)
    if not hmac.compare_digest(tag.to_bytes(8, "big"), _mac(secret, "transfer", signed).to_bytes(8, "big")):
        raise MadoguchiError("POINTS_CODE_FORGED")
    return transfer


# ---------------------------------------------------------------- return code

@dataclass(frozen=True)
class Return:
    """The recipient of transfer `code` (from `sender`, `count` grants) has voided
    it: it will never receive it, so the sender may take the grants back."""
    venue_hint: int
    code: int
    sender: str
    recipient: str
    count: int

    @property
    def code_id(self) -> str:
        return f"{self.sender}/{b32encode(self.code, CODE_ID_BITS)}"

    def _fields(self) -> _Bits:
        b = _Bits().put(self.venue_hint, 8).put(self.code, CODE_ID_BITS)
        b.put(parse_laptop(self.sender), LAPTOP_BITS).put(parse_laptop(self.recipient), LAPTOP_BITS)
        return b.put(self.count, 16)

    def encode(self, secret: bytes) -> str:
        b = self._fields()
        return _format("PR", b.put(_mac(secret, "return", b), MAC_BITS))

    @classmethod
    def decode(cls, text: str) -> tuple["Return", "_Bits", int]:
        b = _body(text, "PR")
        r = cls(venue_hint=b.take(8), code=b.take(CODE_ID_BITS),
                sender=_laptop_text(b.take(LAPTOP_BITS)), recipient=_laptop_text(b.take(LAPTOP_BITS)),
                count=b.take(16))
        signed = b.consumed()
        tag = b.take(MAC_BITS)
        b.finish()
        return r, signed, tag


def verify_return(text: str, secret: bytes) -> Return:
    ret, signed, tag = Return.decode(text)
    if not hmac.compare_digest(tag.to_bytes(8, "big"), _mac(secret, "return", signed).to_bytes(8, "big")):
        raise MadoguchiError("POINTS_CODE_FORGED")
    return ret


def venue_hint(venue_day: str) -> int:
    return int(venue_day[:2], 16)


def parse_instant(text) -> datetime | None:
    """The moment a chained row's `device_time` names, in UTC (None if it is not a
    time). The laptop refusing an expired code (app/points/transfers.py) and the
    hub confirming a take-back (sync/allotments_router.py) must read every row's
    time the same way, so both use this. A time without an offset is taken as UTC."""
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError:  # e.g. 9999-12-31T23:00-05:00 is past the last representable moment
        return None
