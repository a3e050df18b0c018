"""Requests to the hub's allotments router (sync.allotments_router): the bodies as
pydantic models, the checks of a path's venue_day, and a venue's key however it was
typed. What does not pass is refused with a 4xx before anything is stored.
"""
from __future__ import annotations

import re
import unicodedata

from fastapi import HTTPException
from pydantic import BaseModel, Field, field_validator

VENUE_DAY_RE = re.compile(r"^[0-9a-f]{16}$")
MAX_COUNT = 65535
LAPTOP_RE = r"^[0-9A-Z]{3}-[0-9A-Z]{3}$"
DAY_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"  # ASCII digits only (a bare \d takes ２０２６ too)


class Move(BaseModel):
    device_id: str = Field(min_length=1, max_length=64)
    request_id: str = Field(min_length=8, max_length=64, pattern=r"^[0-9A-Za-z._:-]+$")
    count: int = Field(ge=1, le=MAX_COUNT)
    reserve: int = Field(ge=0, le=MAX_COUNT)
    day: str = Field(pattern=DAY_RE)


class SetupClaim(BaseModel):
    device_id: str = Field(min_length=1, max_length=64)
    profile: str = Field(min_length=1, max_length=64)
    venue: str = Field(min_length=1, max_length=200)
    municipality: str = Field(min_length=1, max_length=64)
    day: str = Field(pattern=DAY_RE)

    @field_validator("profile", "venue", "municipality")
    @classmethod
    def _printable(cls, value: str) -> str:
        # Stored as text: PostgreSQL refuses NUL (a 500 before), and a name with
        # control characters is no venue anyone typed. (Not isprintable(): that
        # refuses the full-width space of 「夢メッセ　みやぎ」 too.)
        if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
            raise ValueError("control characters are not allowed")
        return value


class TakeBackAsk(BaseModel):
    device_id: str = Field(min_length=1, max_length=64)
    code_id: str = Field(pattern=r"^[0-9A-Z]{3}-[0-9A-Z]{3}/[0-9A-Z]{4}$")
    recipient: str = Field(pattern=LAPTOP_RE)
    count: int = Field(ge=1, le=MAX_COUNT)
    expires_at: str = Field(min_length=16, max_length=40)
    margin_min: int = Field(ge=0, le=255)


def venue_key(profile: str, municipality: str, venue: str) -> str:
    """The same venue however it was typed (full/half width, spaces, case)."""
    def norm(text: str) -> str:
        return "".join(unicodedata.normalize("NFKC", text).casefold().split())
    return f"{norm(profile)}|{norm(municipality)}|{norm(venue)}"


def checked_venue_day(venue_day: str) -> str:
    """The {venue_day} of a path: 16 hex digits, or a 422 (venue_day_invalid)."""
    if not VENUE_DAY_RE.fullmatch(venue_day):  # match() let "…\n" through
        raise HTTPException(422, {"reason": "venue_day_invalid"})
    return venue_day
