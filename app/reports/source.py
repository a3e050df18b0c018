"""Where a report's numbers come from: this laptop's store, or the office's merged
data from the hub (sync.office.load_merged_store, a Store holding every device's
rows). The report code takes a Store either way."""
from __future__ import annotations

import contextlib
import importlib
import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path

from app.errors import MadoguchiError
from app.store import Store

log = logging.getLogger("madoguchi.reports")


# The hub could not be reached at all: sync's own messages for these say the records
# "are sent later", which is about pushing, not about a report that was not made.
UNREACHABLE = ("SYNC_HUB_UNREACHABLE", "SYNC_HUB_TIMEOUT")


def _reason(exc: MadoguchiError) -> str:
    if exc.code == "SYNC_HUB_TIMEOUT":
        return f"timeout {exc.details.get('seconds', '')} s".strip()
    return str(exc.details.get("reason") or exc.code)


@contextlib.contextmanager
def merged_store(hub_url: str, token: str, *, ca_cert: str | None = None) -> Iterator[Store]:
    """The hub's merged data in a temporary folder, removed afterwards."""
    try:
        office = importlib.import_module("sync.office")
        load = office.load_merged_store
    except (ImportError, AttributeError) as exc:
        raise MadoguchiError("REPORT_HUB_UNAVAILABLE", reason=f"sync.office: {type(exc).__name__}") from exc
    with tempfile.TemporaryDirectory(prefix="madoguchi-merged-") as tmp:
        try:
            store = load(hub_url, token, Path(tmp), ca_cert=ca_cert)
        except MadoguchiError as exc:
            if exc.code in UNREACHABLE:
                raise MadoguchiError("REPORT_HUB_UNREACHABLE", url=hub_url, reason=_reason(exc)) from exc
            raise
        except Exception as exc:  # network and protocol errors: say what kind, no data
            log.warning("merged data could not be loaded: %s", type(exc).__name__)
            raise MadoguchiError("REPORT_HUB_UNAVAILABLE", reason=type(exc).__name__) from exc
        try:
            yield store
        finally:
            store.close()
