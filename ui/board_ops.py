"""What the UI asks of the store, as plain functions run on the worker thread.

Each write is followed, in the same job, by a fresh read of the board (totals,
hourly counts, history), so the numbers the UI shows after an acknowledgement are
exactly what is committed. Nothing here touches Qt.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable

from app import openings as op
from app import tallies as tl
from app.openings import Opening
from app.store import Store
from app.tallies import Tally

HISTORY_LIMIT = 200


def local_now() -> datetime:
    """The time passed to every domain call: local time with its UTC offset."""
    return datetime.now().astimezone()


@dataclass(frozen=True)
class HistoryFilter:
    """What the history list is narrowed to (None: everything)."""
    hour: int | None = None
    counter: str | None = None


@dataclass(frozen=True)
class BoardState:
    opening: Opening
    totals: dict
    hourly: dict[int, dict[str, int]]
    history: list[Tally]
    history_filter: HistoryFilter = HistoryFilter()  # what `history` was read with


def load_board(store: Store, opening_id: str, history_filter: HistoryFilter | None = None) -> BoardState:
    shown = history_filter or HistoryFilter()
    return BoardState(
        opening=op.get_opening(store, opening_id),
        totals=tl.totals(store, opening_id),
        hourly=tl.hourly(store, opening_id),
        history=tl.history(store, opening_id, limit=HISTORY_LIMIT, hour=shown.hour, counter=shown.counter),
        history_filter=shown,
    )


def write_and_load(store: Store, opening_id: str, write: Callable[..., Any], *args: Any,
                   history_filter: HistoryFilter | None = None, **kwargs: Any) -> tuple[Any, BoardState]:
    """Run one domain write, then read the board. If the write raises, nothing is
    returned, so the UI has nothing to acknowledge."""
    result = write(store, *args, **kwargs)
    return result, load_board(store, opening_id, history_filter)


def open_and_load(store: Store, **fields: Any) -> BoardState:
    opening = op.open_opening(store, **fields)
    return load_board(store, opening.id)


def close_and_load(store: Store, opening_id: str, *, now: datetime, confirmed_by: str,
                   history_filter: HistoryFilter | None = None) -> BoardState:
    op.close_opening(store, opening_id, now=now, confirmed_by=confirmed_by)
    return load_board(store, opening_id, history_filter)


def resumable(store: Store, day: date) -> list[Opening]:
    return op.resumable_openings(store, day)
