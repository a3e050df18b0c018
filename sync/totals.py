"""Totals of merged tallies grouped by any mix of opening attributes and dimensions.

Shared by the hub (`GET /v1/admin/totals`) and the office tools working on a merged
store, so both give the same numbers. Input is what each side can produce cheaply:
the openings by id and the tally sums per (opening, counter, dims)."""
from __future__ import annotations

import json
from collections import defaultdict
from typing import Iterable

from app import refdata
from app.errors import MadoguchiError
from app.profiles import list_profiles

# Attributes of the opening a tally belongs to, plus the counter itself.
OPENING_KEYS = ("profile", "opening", "date", "month", "municipality", "region", "kind",
                "venue", "large", "device")
BASE_KEYS = (*OPENING_KEYS, "counter")


def known_dimensions() -> set[str]:
    return {d for p in list_profiles() for d in p.dimensions}


def check_by(by: Iterable[str]) -> list[str]:
    keys = [b.strip() for b in by if b and b.strip()]
    dims = known_dimensions()
    for key in keys:
        if key not in BASE_KEYS and key not in dims:
            raise MadoguchiError("SYNC_GROUP_UNKNOWN", by=key, allowed=", ".join(BASE_KEYS))
    return list(dict.fromkeys(keys))


def opening_attrs(opening: dict | None) -> dict:
    if opening is None:  # tallies whose opening has not arrived (yet)
        return dict.fromkeys(OPENING_KEYS)
    try:
        region = refdata.region_of(opening["municipality"]).key
    except MadoguchiError:
        region = None
    return {"profile": opening["profile"], "opening": opening["id"], "date": opening["date"],
            "month": str(opening["date"])[:7], "municipality": opening["municipality"],
            "region": region, "kind": opening["kind"], "venue": opening["venue"],
            "large": bool(opening["large"]), "device": opening["device_id"]}


def group_totals(openings: dict[str, dict], sums: Iterable[tuple[str, str, str, int]],
                 by: list[str]) -> list[dict]:
    """[{<each key of by>: value, "counter": key, "total": n}] sorted by the keys.
    `sums` are (opening_id, counter, dims JSON, sum of deltas)."""
    by = check_by(by)
    keys = [*by, *([] if "counter" in by else ["counter"])]
    attrs_cache: dict[str, dict] = {}
    out: dict[tuple, int] = defaultdict(int)
    for opening_id, counter, dims_text, n in sums:
        attrs = attrs_cache.get(opening_id)
        if attrs is None:
            attrs = attrs_cache[opening_id] = opening_attrs(openings.get(opening_id))
        dims = json.loads(dims_text) if dims_text else {}
        values = {**attrs, "counter": counter}
        out[tuple(values[k] if k in values else dims.get(k) for k in keys)] += n
    rows = [{**dict(zip(keys, key)), "total": n} for key, n in out.items()]
    rows.sort(key=lambda r: tuple("" if r[k] is None else str(r[k]) for k in keys))
    return rows
