"""Joint counts of tallies: {counter: {dims: n}} where dims is a tuple of (dimension,
value) pairs. app.tallies.totals gives each dimension on its own (marginals); a report
also needs them crossed (age band x paper/online), so the report reads the same
SUM(delta) grouped by the full dimension set and derives totals and marginals from it.
Tests check every derived number against app.tallies.totals."""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable

from app.store import Store

Dims = tuple[tuple[str, str], ...]
Cells = dict[str, dict[Dims, int]]


def _dims_key(text: str) -> Dims:
    return tuple(sorted(json.loads(text).items()))


def cells_by_opening(store: Store, opening_ids: Iterable[str]) -> dict[str, Cells]:
    """{opening_id: cells} for the given openings (every id present, empty when no
    tallies). One grouped query over a temporary id list, so a month of 60 openings
    is one pass over their rows."""
    ids = list(dict.fromkeys(opening_ids))
    out: dict[str, Cells] = {oid: {} for oid in ids}
    if not ids:
        return out
    if len(ids) == 1:
        rows = store.query("SELECT opening_id, counter, dims, SUM(delta) AS n FROM tally"
                           " WHERE opening_id = ? GROUP BY opening_id, counter, dims", (ids[0],))
    else:
        rows = []
        # SQLite caps bound parameters; chunks keep any number of openings safe.
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows += store.query(
                f"SELECT opening_id, counter, dims, SUM(delta) AS n FROM tally"
                f" WHERE opening_id IN ({marks}) GROUP BY opening_id, counter, dims", chunk)
    for row in rows:
        if row["n"]:
            by_dims = out[row["opening_id"]].setdefault(row["counter"], {})
            key = _dims_key(row["dims"])
            by_dims[key] = by_dims.get(key, 0) + row["n"]
    return out


def merge(parts: Iterable[Cells]) -> Cells:
    out: dict[str, dict[Dims, int]] = defaultdict(dict)
    for cells in parts:
        for counter, by_dims in cells.items():
            target = out[counter]
            for dims, n in by_dims.items():
                target[dims] = target.get(dims, 0) + n
    return dict(out)


def total(cells: Cells, counter: str) -> int:
    return sum(cells.get(counter, {}).values())


def marginal(cells: Cells, counter: str, dim: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for dims, n in cells.get(counter, {}).items():
        value = dict(dims).get(dim)
        if value is not None:
            out[value] = out.get(value, 0) + n
    return out


def crossed(cells: Cells, counter: str, row_dim: str, col_dim: str) -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    for dims, n in cells.get(counter, {}).items():
        d = dict(dims)
        if row_dim in d and col_dim in d:
            key = (d[row_dim], d[col_dim])
            out[key] = out.get(key, 0) + n
    return out


def counter_totals(cells: Cells, counters: Iterable[str]) -> dict[str, int]:
    return {c: total(cells, c) for c in counters}
