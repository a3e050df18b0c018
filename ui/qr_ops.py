"""What the QR board asks of the store, as plain functions run on the worker
thread (no Qt). Each write is followed by a fresh read of the board state, so
what the staff and the visitors see after an acknowledgement is what is committed."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from app import points as pts
from app.openings import Opening, get_opening
from app.points import PointsStatus, hub_requests
from app.points.codes import Roster
from app.profiles import Profile, get_profile
from app.qrcodes.sources import QrSource, list_sources
from app.store import Store


@dataclass(frozen=True)
class QrBoardState:
    opening: Opening
    profile: Profile
    sources: list[QrSource]
    laptop: str                    # this laptop's code (for the supervisor's roster)
    device_id: str
    points: PointsStatus | None    # None: the day is not set up here (or no cap)
    # draws / releases the hub has not answered yet (sent again in the background)
    pending_hub: list[hub_requests.HubRequest] = field(default_factory=list)

    @property
    def capped(self) -> bool:
        return bool(self.profile.daily_cap and self.profile.daily_cap_counter)


def load_qr_board(store: Store, opening_id: str, now: datetime) -> QrBoardState:
    opening = get_opening(store, opening_id)
    profile = get_profile(opening.profile)
    joined = pts.is_joined(store, opening_id)
    status = pts.status(store, opening_id, now) if joined else None
    pending = hub_requests.pending(store, opening_id) if joined else []
    return QrBoardState(opening, profile, list_sources(store, opening_id), pts.local_laptop(store),
                        store.device_id, status, pending)


def prepare_setup(store: Store, opening_id: str, now: datetime, allotments: dict[str, int],
                  hub_reserve: int) -> tuple[Roster, Opening]:
    """The checked roster of a set-up (nothing written yet) and the opening, for
    registering the day with the hub before committing it."""
    roster = pts.prepare_day(store, opening_id, now=now, allotments=allotments, hub_reserve=hub_reserve)
    return roster, get_opening(store, opening_id)


def write_and_load_qr(store: Store, opening_id: str, load_now: datetime, write: Callable[..., Any], /,
                      *args: Any, **kwargs: Any) -> tuple[Any, QrBoardState]:
    """One domain write, then the board. If the write raises, nothing is returned."""
    result = write(store, *args, **kwargs)
    return result, load_qr_board(store, opening_id, load_now)
