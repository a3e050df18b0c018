"""Hub side of point-distribution allotments (issue 6): the hub's reserve of one
distribution day, from which laptops that are online draw blocks of grants.

The lead laptop's join code may set aside part of the venue-day cap as the hub's
reserve (`reserve`). The first draw for a day creates its pool with that reserve;
later requests must name the same reserve. The hub never hands out more than the
pool holds:

    remaining = reserve − Σ draws + Σ releases ≥ 0

Every request carries a client-made `request_id`: a retried request returns the
stored answer instead of drawing again, so a lost answer never counts twice. The
laptop records a draw only after the hub answered, and lowers its own allotment
before it sends a release, so an interrupted exchange can lose grants, never add.

Storage: two tables (`allot_pool`, `allot_move`) in the hub's own database — the
SQLite file or the PostgreSQL database given with `hub --db` — through the hub's
DB layer (sync/db.py), created with IF NOT EXISTS at start-up. In the hub's
database because a draw must be one transaction against one pool: with
PostgreSQL several hub processes may serve the same database, and a file of its
own next to one of them would split the pool (and the backup). On PostgreSQL a
draw locks its pool row (SELECT … FOR UPDATE); on SQLite BEGIN IMMEDIATE holds
the write lock. The hub mounts it through `sync.server.EXTENSIONS`
("sync.allotments_router:mount"), with the hub's device-token check.

Two more questions only the hub can answer, because it holds every laptop's
synced chain (hub_row, through the same DB layer):

- One venue-day per venue and date (`/setup`): the lead laptop registers the
  day it sets up; a second set-up of the same venue and date — another laptop
  thinking it is the lead — would be a second cap, and is refused (409
  `venue_day_exists`), also when the first lead set up offline and has synced
  since (its points_venue_day row names the opening, whose row names the venue).
- Take-back of an expired transfer code (`/takeback`): laptop A asks whether the
  recipient B can still receive code C. B refuses C once any row of its own chain
  is dated after C's expiry (app/points/transfers.py, receive_transfer), whatever
  its clock says later. So if the hub holds B's chain from seq 1 without a gap
  or break up to a row dated after expiry + margin, and no `transfer_in` of C in
  it, B has not received C and never will: A may take the grants back. (Or B
  voided C: also final.) Each confirmation is stored (allot_takeback) and
  answered again the same way. See docs/qr.md, "How grants come back".

The request models and their checks are in sync.allotments_models, the pools
and their arithmetic in sync.allotments_store, and the queries over the synced
chains in sync.allotments_chain.

Endpoints (JSON):
    GET  /v1/allotments/{venue_day}           the pool: reserve, drawn, released, remaining, per device
    POST /v1/allotments/{venue_day}/draw      {device_id, request_id, count, reserve, day} -> {granted, remaining}
    POST /v1/allotments/{venue_day}/release   {device_id, request_id, count, reserve, day} -> {released, remaining}
    POST /v1/allotments/{venue_day}/setup     {device_id, profile, venue, municipality, day} -> {registered}
    POST /v1/allotments/{venue_day}/takeback  {device_id, code_id, recipient, count, expires_at, margin_min}
                                              -> {confirmed, state, witness_seq, witness_time, ...}
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from fastapi import APIRouter, Depends, FastAPI, HTTPException

from sync.allotments_models import Move, SetupClaim, TakeBackAsk, checked_venue_day
from sync.allotments_store import AllotmentStore
from sync.db import Pool


def _no_auth() -> None:
    return None


def _as_pool(target: Pool | Path | str) -> Pool:
    if isinstance(target, Pool):
        return target
    text = str(target)
    if text.startswith(("sqlite:", "postgresql:", "postgres:")):
        return Pool(text)
    return Pool(f"sqlite:///{Path(text).resolve()}")  # a plain file path: a SQLite file of its own


def build_allotments_router(target: Pool | Path | str, *,
                            device_auth: Callable[..., str | None] | None = None,
                            clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> APIRouter:
    """An APIRouter over the pools in `target`: the hub's connection pool, a
    database URL (sqlite:///… or postgresql://…) or a SQLite file path.
    `device_auth` is a FastAPI dependency returning the authenticated device id
    (the hub's device token check); the body's device_id must then match it."""
    store = AllotmentStore(_as_pool(target))
    auth = device_auth or _no_auth
    router = APIRouter(prefix="/v1/allotments", tags=["allotments"])

    def _check_device(m: Move, device: str | None) -> None:
        if device is not None and device != m.device_id:
            raise HTTPException(403, {"reason": "device_mismatch"})

    @router.get("/{venue_day}")
    def get_pool(venue_day: str, _device: str | None = Depends(auth)) -> dict:
        """The pool of one distribution day: reserve, drawn, released, remaining, per device."""
        found = store.get(checked_venue_day(venue_day))
        if found is None:
            raise HTTPException(404, {"reason": "venue_day_unknown"})
        return found

    @router.post("/{venue_day}/draw")
    def draw(venue_day: str, m: Move, device: str | None = Depends(auth)) -> dict:
        """Take up to `count` grants from the day's reserve (`granted` may be less, or 0)."""
        _check_device(m, device)
        out = store.move(checked_venue_day(venue_day), "draw", m, clock())
        out["granted"] = out.pop("amount")
        return out

    @router.post("/{venue_day}/release")
    def release(venue_day: str, m: Move, device: str | None = Depends(auth)) -> dict:
        """Give `count` grants back to the day's reserve."""
        _check_device(m, device)
        out = store.move(checked_venue_day(venue_day), "release", m, clock())
        out["released"] = out.pop("amount")
        return out

    @router.post("/{venue_day}/setup")
    def setup(venue_day: str, m: SetupClaim, device: str | None = Depends(auth)) -> dict:
        """Register the distribution day a lead laptop sets up; a second one for the
        same venue and date is refused (409 venue_day_exists)."""
        if device is not None and device != m.device_id:
            raise HTTPException(403, {"reason": "device_mismatch"})
        return store.claim_setup(checked_venue_day(venue_day), m, clock())

    @router.post("/{venue_day}/takeback")
    def takeback(venue_day: str, m: TakeBackAsk, device: str | None = Depends(auth)) -> dict:
        """May the issuer take an expired transfer code's grants back? `confirmed`
        only with proof from the recipient's synced chain; `state` says why not."""
        if device is not None and device != m.device_id:
            raise HTTPException(403, {"reason": "device_mismatch"})
        return store.take_back(checked_venue_day(venue_day), m, clock())

    router.allotment_store = store  # for tests and the office's status page
    return router


def mount(app: FastAPI) -> None:
    """`sync.server.EXTENSIONS` entry: the allotments router on the hub, stored in
    the hub's own database and behind its device-token check."""
    hub = getattr(app.state, "hub", None)
    target = hub.pool if hub is not None else app.state.db_url
    app.include_router(build_allotments_router(target, device_auth=app.state.device_auth))
