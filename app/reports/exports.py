"""The `report_export` fact: which report was exported, when, in which format, and
what it showed (`summary`: the fingerprint of everything the report shows, and the
counter totals; see fingerprint.py). Rows are appended to the device's hash chain (and
sync like tallies), so the office knows which reports were handed in, and a report
whose numbers changed after it was exported (any correction or amendment) shows as
needing a new export."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime

from app.errors import MadoguchiError
from app.ids import uuid7
from app.store import Store

log = logging.getLogger("madoguchi.reports")

FORMATS = ("pdf", "xlsx", "csv")
REPORTS = ("daily", "monthly", "final")


@dataclass(frozen=True)
class ExportRecord:
    id: str
    device_id: str
    report: str
    profile: str
    opening_id: str | None
    month: str | None
    format: str
    exported_at: str
    summary: dict

    @property
    def fingerprint(self) -> str | None:
        return self.summary.get("fingerprint") if isinstance(self.summary, dict) else None

    @property
    def totals(self) -> dict[str, int]:
        """The counter totals the report showed (rows made before fingerprints hold
        only these, as the whole summary)."""
        if isinstance(self.summary, dict) and "fingerprint" in self.summary:
            return self.summary.get("totals", {})
        return self.summary


def _from_row(row) -> ExportRecord:
    return ExportRecord(row["id"], row["device_id"], row["report"], row["profile"], row["opening_id"],
                        row["month"], row["format"], row["exported_at"], json.loads(row["summary"]))


def record_export(store: Store, *, report: str, profile: str, fmt: str, now: datetime,
                  summary: dict, opening_id: str | None = None,
                  month: str | None = None) -> ExportRecord:
    if fmt not in FORMATS:
        raise MadoguchiError("REPORT_FORMAT_UNKNOWN", format=fmt)
    if report not in REPORTS:  # a programming error, not user input
        raise ValueError(f"unknown report {report!r}")
    fields = {"id": uuid7(), "report": report, "profile": profile, "opening_id": opening_id,
              "month": month, "format": fmt, "exported_at": now.isoformat(timespec="milliseconds"),
              "summary": json.dumps(summary, sort_keys=True, ensure_ascii=False)}
    with store.transaction():
        row = store.append("report_export", fields)
    log.info("recorded export %s %s %s", report, fmt, opening_id or month or profile)
    return _from_row(row)


def exports(store: Store, report: str | None = None) -> list[ExportRecord]:
    """Oldest first, so a dict built from them keeps the newest per key."""
    where, params = ("WHERE report = ?", (report,)) if report else ("", ())
    return [_from_row(r) for r in store.query(
        f"SELECT * FROM report_export {where} ORDER BY exported_at, device_id, seq", params)]


def latest_daily(store: Store) -> dict[str, ExportRecord]:
    return {e.opening_id: e for e in exports(store, "daily")}


def latest_monthly(store: Store) -> dict[tuple[str, str], ExportRecord]:
    return {(e.profile, e.month): e for e in exports(store, "monthly")}
