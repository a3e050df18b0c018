"""Make a report file: gather -> Document -> bytes -> written atomically -> recorded.

The file appears complete or not at all (written to a temporary name in the same
folder, flushed, then renamed), and the export is recorded only after the file is on
disk."""
from __future__ import annotations

import contextlib
import logging
import os
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from app.errors import MadoguchiError
from app.reports import build, gather
from app.reports import fingerprint as fp
from app.reports.document import Document
from app.reports.exports import FORMATS, ExportRecord, record_export
from app.reports.plan import NO_PLAN, Plan
from app.store import Store

log = logging.getLogger("madoguchi.reports")


@dataclass(frozen=True)
class Report:
    """A report ready to render: what it is about, its Document and what to record."""
    kind: str
    profile: str
    document: Document
    summary: dict          # what the export row keeps: fingerprint.record(...)
    opening_id: str | None = None
    month: str | None = None
    stem: str = "report"


def _safe(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_")[:40] or "report"


def daily_report(store: Store, opening_id: str, *, now: datetime, lang: str = "ja", source: str = "") -> Report:
    data = gather.daily_data(store, opening_id, now=now)
    doc = build.daily_document(data, lang, source)
    o = data.opening
    stem = f"{'日次報告書' if lang == 'ja' else 'daily-report'}_{o.date.isoformat()}_{_safe(o.venue)}"
    return Report("daily", data.profile.key, doc, fp.record(fp.daily(data), data.totals), opening_id=o.id,
                  stem=stem)


def monthly_report(store: Store, month: str | date, *, now: datetime, profile: str | None = None,
                   lang: str = "ja", source: str = "", as_of: date | None = None,
                   plan: Plan = NO_PLAN) -> Report:
    """`plan`: the office's plan (app.reports.plan.load_plan) for the planned list."""
    data = gather.monthly_data(store, month, profile=profile, now=now, as_of=as_of, plan=plan)
    doc = build.monthly_document(data, lang, source)
    key = gather.month_key(data.month)
    stem = f"{'月次報告書' if lang == 'ja' else 'monthly-report'}_{key}_{data.profile.key}"
    return Report("monthly", data.profile.key, doc, fp.record(fp.monthly(data), data.totals), month=key,
                  stem=stem)


def final_report(store: Store, *, now: datetime, profile: str | None = None, lang: str = "ja",
                 source: str = "", as_of: date | None = None) -> Report:
    data = gather.final_data(store, profile=profile, now=now, as_of=as_of)
    doc = build.final_document(data, lang, source)
    stem = f"{'最終報告書' if lang == 'ja' else 'final-report'}_{data.profile.key}"
    return Report("final", data.profile.key, doc, fp.record(fp.final(data), data.totals), stem=stem)


def render(doc: Document, fmt: str) -> bytes:
    if fmt == "pdf":
        from app.reports.pdf import render_pdf

        return render_pdf(doc)
    if fmt == "xlsx":
        from app.reports.xlsx import render_xlsx

        return render_xlsx(doc)
    if fmt == "csv":
        from app.reports.csvfile import render_csv

        return render_csv(doc)
    raise MadoguchiError("REPORT_FORMAT_UNKNOWN", format=fmt)


def format_for(path: Path, fmt: str | None) -> str:
    """--format wins; otherwise the file's suffix says it."""
    if fmt:
        if fmt.lower() not in FORMATS:
            raise MadoguchiError("REPORT_FORMAT_UNKNOWN", format=fmt)
        return fmt.lower()
    suffix = Path(path).suffix.lstrip(".").lower()
    if not suffix:
        raise MadoguchiError("REPORT_FORMAT_MISSING", path=str(path))
    if suffix not in FORMATS:
        raise MadoguchiError("REPORT_FORMAT_UNKNOWN", format=Path(path).suffix)
    return suffix


EXAMPLE_NAMES = {"daily": ("日次報告書.pdf", "daily-report.pdf"),
                 "monthly": ("月次報告書.xlsx", "monthly-report.xlsx"),
                 "final": ("最終報告書.pdf", "final-report.pdf")}


def check_out(out: str | Path, report: str = "monthly") -> Path:
    """The --out the user typed must name a file: a folder ("reports/", or one that
    exists) is refused before any work is done, with a message saying so."""
    text = str(out)
    path = Path(text)
    if text.endswith(("/", os.sep)) or path.is_dir():
        ja, en = EXAMPLE_NAMES.get(report, EXAMPLE_NAMES["monthly"])
        raise MadoguchiError("REPORT_OUT_IS_FOLDER", path=text.rstrip("/" + os.sep) or text,
                             example_ja=ja, example_en=en)
    return path


def _new_file(folder: Path, suffix: str) -> tuple[int, str]:
    """A new temporary file next to the target, with ordinary permissions: 0666 less
    the umask (0644 usually), like any file a program saves. tempfile.mkstemp would
    make it 0600, which a report shared on a network folder must not be."""
    for _ in range(100):
        name = str(folder / f".~{uuid.uuid4().hex}{suffix}")
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666), name
        except FileExistsError:
            continue
    raise FileExistsError(str(folder))


def write_atomic(path: Path, data: bytes) -> Path:
    path = Path(path)
    tmp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = _new_file(path.parent, path.suffix)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise MadoguchiError("REPORT_WRITE_FAILED", path=str(path),
                             reason=exc.strerror or type(exc).__name__) from exc
    finally:
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return path


def save(report: Report, fmt: str, out: Path, *, record_in: Store | None, now: datetime) -> ExportRecord | None:
    """Render, write, then record the export in `record_in` (None: not recorded, e.g.
    a read-only store). A daily export is recorded only in a store that has the
    opening: the fact must point at a real row."""
    write_atomic(out, render(report.document, fmt))
    log.info("wrote %s report as %s", report.kind, fmt)
    return record(record_in, report, fmt, now=now)


def record(store: Store | None, report: Report, fmt: str, *, now: datetime) -> ExportRecord | None:
    """Record that `report` was exported (after its file is on disk)."""
    if store is None or store.read_only:
        return None
    if report.opening_id and store.query_one("SELECT 1 FROM opening WHERE id = ?",
                                             (report.opening_id,)) is None:
        return None
    return record_export(store, report=report.kind, profile=report.profile, fmt=fmt, now=now,
                         summary=report.summary, opening_id=report.opening_id, month=report.month)
