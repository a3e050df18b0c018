"""The supervisor's report view (日次報告書): pick the day and the opening, see the
first page as it will print, export it as PDF / Excel / CSV, and see every opening
whose report is still to be exported with its deadline (due soon, overdue).

Store reads and the export record run on the store worker; rendering, painting the
preview and writing the file run on a BackgroundJobs thread; the UI thread only
shows results."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QDate, QEvent, QStandardPaths, Qt, Signal
from PySide6.QtGui import QCloseEvent, QPixmap
from PySide6.QtWidgets import (QComboBox, QDateEdit, QFileDialog, QGroupBox, QHBoxLayout, QLabel,
                               QPushButton, QScrollArea, QSplitter, QVBoxLayout, QWidget)

from app.errors import MadoguchiError
from app.openings import Opening, list_openings
from app.reports import export as ex
from app.reports.deadlines import Deadline, daily_deadlines, outstanding
from app.reports.layout import layout
from app.store import Store
from ui.labels import municipality_label, paren
from ui.report_common import DeadlineTable
from ui.report_jobs import BackgroundJobs
from ui.report_paint import page_image, report_font_family
from ui.worker import StoreWorker

log = logging.getLogger("madoguchi.ui.reports")

MIN_PREVIEW_WIDTH, MAX_PREVIEW_WIDTH = 420, 900
FORMATS = (("pdf", "PDF", "PDF (*.pdf)"), ("xlsx", "Excel", "Excel (*.xlsx)"), ("csv", "CSV", "CSV (*.csv)"))


@dataclass(frozen=True)
class ViewState:
    day: date
    openings: list[Opening]          # openings held on `day`
    deadlines: list[Deadline]        # every daily report still to be exported, up to today


def load_view_state(store: Store, day: date, today: date) -> ViewState:
    """Runs on the store worker's reader thread (a read-only connection)."""
    everything = list_openings(store)
    return ViewState(day, [o for o in everything if o.date == day],
                     outstanding(daily_deadlines(store, today, openings=everything)))


def render_preview(doc, width: int):
    """Runs on the background thread: lay the report out, paint page 1 to a QImage."""
    return page_image(layout(doc)[0], width)


def write_report(doc, fmt: str, path: Path) -> Path:
    """Runs on the background thread: render and write the file atomically."""
    return ex.write_atomic(path, ex.render(doc, fmt))


def default_folder() -> Path:
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs or Path.home()) / "Madoguchi"


class ReportView(QWidget):
    exported = Signal(str)      # path of a written and recorded report

    def __init__(self, worker: StoreWorker, lang: str = "ja", clock: Callable[[], datetime] | None = None,
                 parent: QWidget | None = None, *, jobs: BackgroundJobs | None = None,
                 folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("report-view")
        self.worker = worker
        self.lang = lang
        self.clock = clock or (lambda: datetime.now().astimezone())
        self.jobs = jobs or BackgroundJobs(self)
        self.folder = folder or default_folder()
        self.state: ViewState | None = None
        self.report: ex.Report | None = None     # the report the preview shows
        self._generation = 0                     # newer selection -> older results ignored
        self._preview_width = 0
        self.busy = False
        report_font_family()  # load the font into Qt here, on the UI thread
        self._build()
        self._retranslate()
        self.refresh()

    # ---- widgets ----------------------------------------------------------------
    def _build(self) -> None:
        root = QVBoxLayout(self)
        self.head = QLabel(self)
        self.head.setProperty("role", "header")
        root.addWidget(self.head)
        row = QHBoxLayout()
        self.date_label = QLabel(self)
        row.addWidget(self.date_label)
        self.date_edit = QDateEdit(self)
        self.date_edit.setObjectName("report-date")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        today = self.clock().date()
        self.date_edit.setDate(QDate(today.year, today.month, today.day))
        self.date_edit.dateChanged.connect(lambda _d: self.refresh())
        row.addWidget(self.date_edit)
        self.opening_label = QLabel(self)
        row.addWidget(self.opening_label)
        self.opening_box = QComboBox(self)
        self.opening_box.setObjectName("report-opening")
        self.opening_box.setMinimumContentsLength(24)
        self.opening_box.currentIndexChanged.connect(lambda _i: self.load_preview())
        row.addWidget(self.opening_box, 1)
        root.addLayout(row)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.deadline_box = left = QGroupBox(split)
        lv = QVBoxLayout(left)
        self.deadlines = DeadlineTable(self.lang, left)
        self.deadlines.setObjectName("report-deadlines")
        self.deadlines.cellDoubleClicked.connect(self._jump_to)
        self.deadlines.cellClicked.connect(self._jump_to)
        lv.addWidget(self.deadlines)
        self.deadline_note = QLabel(self)
        self.deadline_note.setObjectName("report-deadline-note")
        self.deadline_note.setProperty("role", "muted")
        self.deadline_note.setWordWrap(True)
        lv.addWidget(self.deadline_note)
        self.preview_box = right = QGroupBox(split)
        rv = QVBoxLayout(right)
        self.preview = QLabel(right)
        self.preview.setObjectName("report-preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.scroll = QScrollArea(right)
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.preview)
        rv.addWidget(self.scroll, 1)
        self.scroll.viewport().installEventFilter(self)
        self.preview_status = QLabel(right)
        self.preview_status.setObjectName("report-preview-status")
        self.preview_status.setProperty("role", "muted")
        rv.addWidget(self.preview_status)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        root.addWidget(split, 1)

        buttons = QHBoxLayout()
        self.export_buttons: dict[str, QPushButton] = {}
        for fmt, _name, _filter in FORMATS:
            b = QPushButton(self)
            b.setObjectName(f"report-export-{fmt}")
            b.setMinimumHeight(40)
            b.clicked.connect(lambda _=False, f=fmt: self.export(f))
            buttons.addWidget(b)
            self.export_buttons[fmt] = b
        root.addLayout(buttons)
        self.status = QLabel(self)
        self.status.setObjectName("report-status")
        self.status.setWordWrap(True)
        root.addWidget(self.status)
        self._update_buttons()

    def _retranslate(self) -> None:
        """Every fixed word from the Qt translator installed now (ui/i18n.py)."""
        self.setWindowTitle(self.tr("日次報告書"))
        self.head.setText(self.tr("日次報告書の出力"))
        self.date_label.setText(self.tr("実施日"))
        self.opening_label.setText(self.tr("実施回"))
        self.deadline_box.setTitle(self.tr("未出力の日次報告書と提出期限"))
        self.preview_box.setTitle(self.tr("1ページ目のプレビュー"))
        for fmt, name, _filter in FORMATS:
            self.export_buttons[fmt].setText(self.tr("{name} で出力").format(name=name))

    def set_language(self, lang: str) -> None:
        """The main window switched language (its translators are installed): words,
        deadline rows, opening names and the preview follow."""
        if lang == self.lang:
            return
        self.lang = lang
        self._retranslate()
        self.deadlines.set_language(lang)
        if self.busy:  # an export is under way: say so in the new language
            self.status.setText(self.tr("報告書を作成しています…"))
        self.report = None  # the preview is made again in the new language
        if self.state is not None:
            self._apply_state(self.state)
        # else: the load in flight fills everything in, in the new language

    # ---- loading -----------------------------------------------------------------
    def selected_day(self) -> date:
        d = self.date_edit.date()
        return date(d.year(), d.month(), d.day())

    def refresh(self) -> None:
        self.worker.submit_read(load_view_state, self.selected_day(), self.clock().date(),
                           on_done=self._apply_state, on_error=self._show_error)

    def _apply_state(self, state: ViewState) -> None:
        if state.day != self.selected_day():
            return  # the date changed while this was loading
        self.state = state
        current = self.opening_box.currentData()
        self.opening_box.blockSignals(True)
        self.opening_box.clear()
        for o in state.openings:
            self.opening_box.addItem(f"{o.venue}{paren(municipality_label(o.municipality, self.lang), self.lang)}",
                                     o.id)
        index = self.opening_box.findData(current)
        self.opening_box.setCurrentIndex(index if index >= 0 else 0 if state.openings else -1)
        self.opening_box.blockSignals(False)
        self.deadlines.set_deadlines(state.deadlines)
        overdue = sum(d.state == "overdue" for d in state.deadlines)
        soon = sum(d.state in ("due_today", "due_soon") for d in state.deadlines)
        self.deadline_note.setText(
            self.tr("期限超過 {overdue} 件、期限間近 {soon} 件、未出力 合計 {total} 件").format(
                overdue=overdue, soon=soon, total=len(state.deadlines))
            if state.deadlines else self.tr("未出力の日次報告書はありません。"))
        if self.report is None or self.report.opening_id != self.opening_box.currentData():
            self.load_preview()
        self._update_buttons()

    def selected_opening(self) -> str | None:
        return self.opening_box.currentData()

    def load_preview(self) -> None:
        self._generation += 1
        generation = self._generation
        self.report = None
        self.preview.clear()
        oid = self.selected_opening()
        self._update_buttons()
        if oid is None:
            self.preview_status.setText(self.tr("この日の実施回はありません。"))
            return
        self.preview_status.setText(self.tr("プレビューを作成しています…"))
        self.worker.submit(ex.daily_report, oid, now=self.clock(), lang=self.lang,
                           on_done=lambda r: self._got_report(generation, r), on_error=self._show_error)

    def _got_report(self, generation: int, report: ex.Report) -> None:
        if generation != self._generation:
            return
        self.report = report
        self._update_buttons()
        self._render_preview()

    def _render_preview(self) -> None:
        generation = self._generation
        self._preview_width = self.preview_width()
        self.jobs.submit(render_preview, self.report.document, self._preview_width,
                         on_done=lambda img: self._got_preview(generation, img), on_error=self._show_error)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt naming
        # The preview area got its size (first layout, splitter moved, window resized):
        # paint the page again at the new width when it changed noticeably.
        if (watched is self.scroll.viewport() and event.type() == QEvent.Type.Resize
                and self.report is not None and abs(self.preview_width() - self._preview_width) > 40):
            self._generation += 1
            self._render_preview()
        return False

    def preview_width(self) -> int:
        """As wide as the preview area, so the whole page width is in view."""
        return max(MIN_PREVIEW_WIDTH, min(MAX_PREVIEW_WIDTH, self.scroll.viewport().width() - 8))

    def _got_preview(self, generation: int, image) -> None:
        if generation != self._generation:
            return
        self.preview.setPixmap(QPixmap.fromImage(image))  # QPixmap only on the UI thread
        self.preview_status.setText(self.report.document.subtitle if self.report else "")

    def _jump_to(self, row: int, _col: int) -> None:
        d = self.deadlines.items[row]
        if d.opening is None:
            return
        day = d.opening.date
        if day != self.selected_day():
            self.date_edit.setDate(QDate(day.year, day.month, day.day))  # submits refresh()
            # Queued after that refresh, so it runs once the day's openings are listed.
            self.worker.submit(lambda _s: None, on_done=lambda _r: self._select(d.opening.id))
        else:
            self._select(d.opening.id)

    def _select(self, opening_id: str) -> None:
        index = self.opening_box.findData(opening_id)
        if index >= 0:
            self.opening_box.setCurrentIndex(index)

    # ---- exporting ---------------------------------------------------------------
    def _update_buttons(self) -> None:
        for b in self.export_buttons.values():
            b.setEnabled(not self.busy and self.selected_opening() is not None)

    def choose_path(self, fmt: str, suggested: Path) -> Path | None:
        """Ask where to save (tests replace this)."""
        name, _ = QFileDialog.getSaveFileName(self, self.tr("報告書の保存先"),
                                              str(suggested), dict((f, flt) for f, _n, flt in FORMATS)[fmt])
        return Path(name) if name else None

    def export(self, fmt: str) -> None:
        oid = self.selected_opening()
        if oid is None or self.busy:
            return
        self._set_busy(True, self.tr("報告書を作成しています…"))
        now = self.clock()
        self.worker.submit(ex.daily_report, oid, now=now, lang=self.lang,
                           on_done=lambda r: self._export_gathered(r, fmt, now), on_error=self._export_failed)

    def _export_gathered(self, report: ex.Report, fmt: str, now: datetime) -> None:
        path = self.choose_path(fmt, self.folder / f"{report.stem}.{fmt}")
        if path is None:
            self._set_busy(False, "")
            return
        self.jobs.submit(write_report, report.document, fmt, path,
                         on_done=lambda p: self._written(report, fmt, p, now), on_error=self._export_failed)

    def _written(self, report: ex.Report, fmt: str, path: Path, now: datetime) -> None:
        self.worker.submit(ex.record, report, fmt, now=now,
                           on_done=lambda _rec: self._recorded(path), on_error=self._export_failed)

    def _recorded(self, path: Path) -> None:
        self._set_busy(False, self.tr("出力しました：{path}").format(path=path))
        self.exported.emit(str(path))
        self.refresh()

    def _export_failed(self, exc: BaseException) -> None:
        self._set_busy(False, "")
        self._show_error(exc)

    def _set_busy(self, busy: bool, text: str) -> None:
        self.busy = busy
        self.status.setProperty("role", "")
        self.status.setText(text)
        self._update_buttons()

    def _show_error(self, exc: BaseException) -> None:
        text = exc.message(self.lang) if isinstance(exc, MadoguchiError) else self.tr(
            "報告書を作成できませんでした（{name}）。").format(name=type(exc).__name__)
        self.status.setText(text)
        self.preview_status.setText("")

    # ---- lifecycle -----------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop the background thread (a file being written is finished first)."""
        self.jobs.stop()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt naming
        self.shutdown()
        super().closeEvent(event)


def make_report_view(parent: QWidget | None, worker: StoreWorker, lang: str = "ja",
                     clock: Callable[[], Any] | None = None) -> ReportView:
    """For main_window: a report view on the app's store worker."""
    return ReportView(worker, lang, clock, parent)
