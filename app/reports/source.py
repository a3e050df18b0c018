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


@contextlib.contextmanager
def merged_store(hub_url: str, token: str) -> Iterator[Store]:
    """The hub's merged data in a temporary folder, removed afterwards."""
    try:
        office = importlib.import_module("sync.office")
        load = office.load_merged_store
    except (ImportError, AttributeError) as exc:
        raise MadoguchiError("REPORT_HUB_UNAVAILABLE", reason=f"sync.office: {type(exc).__name__}") from exc
    with tempfile.TemporaryDirectory(prefix="madoguchi-merged-") as tmp:
        try:
            store = load(hub_url, token, Path(tmp))
        except MadoguchiError:
            raise
        except Exception as exc:  # network and protocol errors: say what kind, no data
            log.warning("merged data could not be loaded: %s", type(exc).__name__)
            raise MadoguchiError("REPORT_HUB_UNAVAILABLE", reason=type(exc).__name__) from exc
        try:
            yield store
        finally:
            store.close()
