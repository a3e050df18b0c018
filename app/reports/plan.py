"""The office's plan of openings, for the monthly report's "planned" list.

Planned openings live in two places: openings a supervisor has already created in a
store (dated after the report day), and the office's plan on the hub (`hub plan
--set`), which laptops download with `sync pull` into the data folder
(`hub_plan.json`). The monthly report lists both, without listing one opening twice:
a plan entry is left out when an opening with its id exists (an opening made from the
plan keeps the plan's id), or one of the same campaign, day, municipality and venue.

Where the plan comes from (`load_plan`):
  - with --hub URL --token T: asked from the hub through sync's plan endpoint
    (`sync.client.HubClient.plan`). The hub answers that endpoint for device tokens
    only; with the office's admin token it says so, and then, when this data folder is
    enrolled with that hub, the plan is pulled with the laptop's own token
    (`sync.booth.pull_plan`, the same as `sync pull`); otherwise the plan file last
    pulled into the data folder is used;
  - without --hub: the plan file in the data folder, when there is one.
A plan that cannot be read never stops a report: the report says which plan it used.

Nothing here imports sync at module import time: the booth app without the sync
feature still makes reports."""
from __future__ import annotations

import importlib
import json
import logging
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from app import refdata
from app.errors import MadoguchiError

log = logging.getLogger("madoguchi.reports.plan")

PLAN_FILE = "hub_plan.json"   # sync.booth.PLAN_FILE: the name `sync pull` saves the plan under


@dataclass(frozen=True)
class PlannedOpening:
    """One opening of the office's plan, with the attributes the planned table shows
    (the same names as app.openings.Opening)."""
    id: str
    profile: str
    kind: str
    venue: str
    municipality: str
    date: date
    large: bool = False
    staff: int = 1
    note: str = ""

    @property
    def region(self) -> refdata.Choice:
        return refdata.region_of(self.municipality)


@dataclass(frozen=True)
class Plan:
    """The office's plan as loaded: its openings, where it came from (hub | file |
    none) and when the office last changed it; `problem` is the error code when the
    plan could not be read."""
    openings: tuple[PlannedOpening, ...] = field(default_factory=tuple)
    origin: str = "none"
    updated_at: str | None = None
    problem: str | None = None


NO_PLAN = Plan()


def _planned(item: dict) -> PlannedOpening | None:
    """A plan entry as the hub validated it; entries this laptop cannot read (a
    profile or municipality it does not know) are skipped, not fatal."""
    try:
        municipality = refdata.find_municipality(str(item["municipality"])).key
        staff = item.get("staff", 1)
        return PlannedOpening(
            id=str(item["id"]), profile=str(item["profile"]), kind=str(item["kind"]),
            venue=str(item["venue"]), municipality=municipality,
            date=date.fromisoformat(str(item["date"])), large=item.get("large") is True,
            staff=staff if isinstance(staff, int) and not isinstance(staff, bool) else 1,
            note=str(item.get("note") or ""))
    except (KeyError, TypeError, ValueError, MadoguchiError):
        log.warning("a planned opening could not be read; skipped")
        return None


def plan_from_data(data: dict, origin: str) -> Plan:
    items = data.get("openings") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return Plan(origin="none", problem="REPORT_PLAN_UNREADABLE")
    openings = tuple(p for p in (_planned(i) for i in items if isinstance(i, dict)) if p is not None)
    updated = data.get("updated_at")
    return Plan(openings, origin, updated if isinstance(updated, str) else None)


def saved_plan(data_dir: Path | None) -> Plan:
    """The plan `sync pull` saved in the data folder, or none."""
    if data_dir is None:
        return NO_PLAN
    path = Path(data_dir) / PLAN_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return NO_PLAN
    except (OSError, ValueError):
        log.warning("the saved plan file could not be read")
        return Plan(origin="none", problem="REPORT_PLAN_UNREADABLE")
    return plan_from_data(data, "file")


def _same_hub(a: str | None, b: str) -> bool:
    return bool(a) and a.strip().rstrip("/") == b.strip().rstrip("/")


def hub_plan(hub_url: str, token: str, data_dir: Path | None, *, ca_cert: str | None = None,
             timeout: float = 15.0) -> Plan:
    """The plan from the hub (see the module docstring for the order tried)."""
    try:
        client_mod = importlib.import_module("sync.client")
    except ImportError:
        return saved_plan(data_dir)
    try:
        with client_mod.HubClient(hub_url, token=token, ca_cert=ca_cert, timeout=timeout) as client:
            return plan_from_data(client.plan().data, "hub")
    except MadoguchiError as exc:
        if exc.code != "SYNC_DEVICE_TOKEN_REQUIRED":
            log.warning("the hub's plan could not be read: %s", exc.code)
            saved = saved_plan(data_dir)
            return saved if saved.origin != "none" else Plan(problem=exc.code)
    # The office's admin token reads merged rows but not the plan endpoint: use this
    # folder's own enrolment with the same hub, if it has one.
    if data_dir is not None:
        try:
            booth = importlib.import_module("sync.booth")
            status = booth.read_status(Path(data_dir)) if (Path(data_dir) / "sync.sqlite3").exists() else None
            if status is not None and status.enrolled and _same_hub(status.hub_url, hub_url):
                return plan_from_data(booth.pull_plan(Path(data_dir), timeout=timeout), "hub")
        except MadoguchiError as exc:
            log.warning("the plan could not be pulled with this laptop's token: %s", exc.code)
        except ImportError:
            pass
    saved = saved_plan(data_dir)
    return saved if saved.origin != "none" else Plan(problem="SYNC_DEVICE_TOKEN_REQUIRED")


def load_plan(data_dir: Path | None, *, hub_url: str | None = None, token: str | None = None) -> Plan:
    if hub_url and token:
        return hub_plan(hub_url, token, data_dir)
    return saved_plan(data_dir)


def _venue_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def merge_planned(existing: Sequence, plan: Iterable[PlannedOpening], *, profile: str,
                  after: date, until: date, known: Sequence = ()) -> list:
    """Openings of `existing` (already created, dated after `after`) plus the plan's
    entries of `profile` dated in (after, until], minus those already created. `known`
    are every opening of the store (a plan entry for a day already held is not a
    plan any more). Sorted by date and venue."""
    seen_ids = {o.id for o in known} | {o.id for o in existing}
    seen = {(o.profile, o.date, o.municipality, _venue_key(o.venue)) for o in (*known, *existing)}
    out = list(existing)
    for p in plan:
        if p.profile != profile or not after < p.date <= until:
            continue
        key = (p.profile, p.date, p.municipality, _venue_key(p.venue))
        if p.id in seen_ids or key in seen:
            continue
        seen_ids.add(p.id)
        seen.add(key)
        out.append(p)
    return sorted(out, key=lambda o: (o.date, o.venue))
