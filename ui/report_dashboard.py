"""The office's progress dashboard over merged data: each target as a progress bar
with its numbers, the final report's charts (by region, by age band, cumulative
progress against the target line), and the reports still outstanding.

The data comes from a loader run on a background thread: the merged data from the hub
(`hub_loader`, a network download) or a store folder (`store_loader`). Neither ever
runs on the UI thread or on the booth's store worker."""
from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QCloseEvent, QPainter
from PySide6.QtWidgets import (QComboBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QProgressBar,
                               QPushButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget)

from app.errors import MadoguchiError
from app.reports.dashboard import Dashboard, dashboards
from app.reports.sections import rate_text
from app.reports.source import merged_store
from app.store import Store
from ui.report_common import DeadlineTable
from ui.report_jobs import BackgroundJobs
from ui.report_paint import paint_chart, report_font_family

log = logging.getLogger("madoguchi.ui.reports")

Loader = Callable[[datetime, str], dict[str, Dashboard]]


def store_loader(data_dir: Path) -> Loader:
    """Dashboards from a store folder, read-only (e.g. a merged store kept on disk)."""
    def load(now: datetime, lang: str) -> dict[str, Dashboard]:
        with Store.open(Path(data_dir), read_only=True) as store:
            return dashboards(store, now, lang)
    return load


def hub_loader(hub_url: str, token: str, ca_cert: str | None = None) -> Loader:
    """Dashboards from the office's merged data, downloaded from the hub."""
    def load(now: datetime, lang: str) -> dict[str, Dashboard]:
        with merged_store(hub_url, token, ca_cert=ca_cert) as store:
            return dashboards(store, now, lang)
    return load


class ChartWidget(QWidget):
    """One report chart, painted with the same code as the PDF preview."""

    def __init__(self, chart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.setMinimumSize(360, 230)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        return QSize(460, 260)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt naming
        p = QPainter(self)
        try:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            paint_chart(p, QRectF(self.rect()).adjusted(1, 1, -1, -1), self.chart, scale=1.15)
        finally:
            p.end()


class ProgressDashboard(QWidget):
    """`hub_url` names the hub the loader downloads from (None: this laptop's or a
    folder's store); it only labels where the numbers come from."""

    def __init__(self, loader: Loader, lang: str = "ja", clock: Callable[[], datetime] | None = None,
                 parent: QWidget | None = None, *, hub_url: str | None = None,
                 jobs: BackgroundJobs | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progress-dashboard")
        self.loader = loader
        self.lang = lang
        self.clock = clock or (lambda: datetime.now().astimezone())
        self.jobs = jobs or BackgroundJobs(self, name="madoguchi-dashboard")
        self.boards: dict[str, Dashboard] = {}
        self.bars: dict[str, QProgressBar] = {}
        self.charts: list[ChartWidget] = []
        self.hub_url = hub_url
        report_font_family()
        root = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = QLabel(self)
        self.title.setProperty("role", "header")
        top.addWidget(self.title)
        self.profile_box = QComboBox(self)
        self.profile_box.setObjectName("dashboard-profile")
        self.profile_box.currentIndexChanged.connect(lambda _i: self._show_current())
        top.addWidget(self.profile_box, 1)
        self.refresh_button = QPushButton(self)
        self.refresh_button.setObjectName("dashboard-refresh")
        self.refresh_button.clicked.connect(self.refresh)
        top.addWidget(self.refresh_button)
        root.addLayout(top)
        self.status = QLabel(self)
        self.status.setObjectName("dashboard-status")
        self.status.setProperty("role", "muted")
        self.status.setWordWrap(True)
        root.addWidget(self.status)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        self.body = QWidget(scroll)
        self.body_layout = QVBoxLayout(self.body)
        scroll.setWidget(self.body)
        root.addWidget(scroll, 1)
        self._retranslate()
        self.refresh()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("進捗ダッシュボード"))
        self.title.setText(self.tr("進捗ダッシュボード"))
        self.refresh_button.setText(self.tr("最新の情報に更新"))

    def source_label(self) -> str:
        if self.hub_url:
            return self.tr("事務局の統合データ（{url}）").format(url=self.hub_url)
        return self.tr("この端末のデータ")

    def set_language(self, lang: str) -> None:
        """The main window switched language: the words now, the numbers' own labels
        (targets, charts) with the next load, started here."""
        if lang == self.lang:
            return
        self.lang = lang
        self._retranslate()
        self.refresh()

    # ---- loading ---------------------------------------------------------------------
    def refresh(self) -> None:
        self.refresh_button.setEnabled(False)
        self.status.setText(self.tr("集計しています…"))
        self.jobs.submit(self.loader, self.clock(), self.lang, on_done=self._loaded, on_error=self._failed)

    def _loaded(self, boards: dict[str, Dashboard]) -> None:
        self.refresh_button.setEnabled(True)
        self.boards = boards
        current = self.profile_box.currentData()
        self.profile_box.blockSignals(True)
        self.profile_box.clear()
        for key, board in boards.items():
            self.profile_box.addItem(f"[{board.profile.spec}] {board.profile.label(self.lang)}", key)
        index = self.profile_box.findData(current)
        self.profile_box.setCurrentIndex(max(0, index) if boards else -1)
        self.profile_box.blockSignals(False)
        stamp = self.clock().strftime("%Y-%m-%d %H:%M")
        self.status.setText(self.tr("{source}　{stamp} 時点").format(source=self.source_label(), stamp=stamp)
                            if boards else self.tr("実施回のデータがありません。"))
        self._show_current()

    def _failed(self, exc: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        self.status.setText(exc.message(self.lang) if isinstance(exc, MadoguchiError) else self.tr(
            "集計できませんでした（{name}）。").format(name=type(exc).__name__))

    # ---- showing -----------------------------------------------------------------------
    def current(self) -> Dashboard | None:
        return self.boards.get(self.profile_box.currentData())

    def _clear(self) -> None:
        while self.body_layout.count():
            item = self.body_layout.takeAt(0)
            if item.widget():
                item.widget().hide()  # gone at once, not only when the deferred delete runs
                item.widget().deleteLater()
        self.bars, self.charts = {}, []

    def _show_current(self) -> None:
        self._clear()
        board = self.current()
        if board is None:
            return
        self.body_layout.addWidget(self._targets(board))
        for block in board.charts:
            self.body_layout.addWidget(self._chart_group(block))
        self.body_layout.addWidget(self._outstanding(board))
        self.body_layout.addStretch(1)

    def _targets(self, board: Dashboard) -> QGroupBox:
        lang = self.lang
        box = QGroupBox(self.tr("目標に対する進捗（実施回 {n} 回）").format(n=board.openings), self.body)
        grid = QGridLayout(box)
        if not board.progress:
            grid.addWidget(QLabel(self.tr("このプロファイルには目標がありません。"), box), 0, 0)
        for row, p in enumerate(board.progress):
            label = p.target.label(lang) + (self.tr("（今月）") if p.month else "")
            name = QLabel(label, box)
            name.setWordWrap(True)
            name.setMinimumWidth(280)
            bar = QProgressBar(box)
            bar.setObjectName(f"dashboard-target-{p.target.key}")
            bar.setRange(0, p.value)
            bar.setValue(min(p.actual, p.value))  # QProgressBar ignores values past its maximum
            bar.setFormat(self.tr("{actual} / {value}（{rate}）").format(
                actual=f"{p.actual:,}", value=f"{p.value:,}", rate=rate_text(p.rate)))
            bar.setMinimumHeight(26)
            bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
            bar.setProperty("met", "true" if p.met else "false")
            bar.setStyleSheet("QProgressBar::chunk { background: %s; }" % ("#43a047" if p.met else "#1e88e5"))
            remaining = QLabel(self.tr("達成") if p.met else
                               self.tr("残り {n}").format(n=f"{p.remaining:,}"), box)
            grid.addWidget(name, row, 0)
            grid.addWidget(bar, row, 1)
            grid.addWidget(remaining, row, 2)
            self.bars[p.target.key] = bar
        grid.setColumnStretch(1, 1)
        return box

    def _chart_group(self, block) -> QGroupBox:
        box = QGroupBox(block.title, self.body)
        grid = QGridLayout(box)
        per_row = 1 if len(block.charts) == 1 else 2
        for i, chart in enumerate(block.charts):
            w = ChartWidget(chart, box)
            w.setObjectName(chart.key)
            grid.addWidget(w, i // per_row, i % per_row)
            self.charts.append(w)
        return box

    def _outstanding(self, board: Dashboard) -> QGroupBox:
        box = QGroupBox(self.tr("未提出の報告書（{n} 件）").format(n=len(board.outstanding)), self.body)
        v = QVBoxLayout(box)
        self.outstanding = DeadlineTable(self.lang, box, with_kind=True)
        self.outstanding.setObjectName("dashboard-outstanding")
        self.outstanding.set_deadlines(board.outstanding)
        self.outstanding.setMinimumHeight(min(420, 60 + 30 * len(board.outstanding)))
        v.addWidget(self.outstanding)
        return box

    # ---- lifecycle ---------------------------------------------------------------------
    def shutdown(self) -> None:
        self.jobs.stop()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt naming
        self.shutdown()
        super().closeEvent(event)


def make_progress_dashboard(parent: QWidget | None, *, hub_url: str | None = None, token: str | None = None,
                            data_dir: Path | None = None, lang: str = "ja",
                            clock: Callable[[], datetime] | None = None,
                            ca_cert: str | None = None) -> ProgressDashboard:
    """For main_window / the office: over the hub's merged data, or a store folder."""
    if hub_url and token:
        return ProgressDashboard(hub_loader(hub_url, token, ca_cert), lang, clock, parent, hub_url=hub_url)
    return ProgressDashboard(store_loader(data_dir), lang, clock, parent)


def run_dashboard(*, data_dir: Path, hub_url: str | None = None, token: str | None = None,
                  lang: str = "ja") -> int:
    """`python main.py report dashboard [--hub URL --token T]`: the dashboard as the
    application's only window, until it is closed."""
    import sys

    from PySide6.QtWidgets import QApplication

    from ui.app import setup_application

    app = QApplication.instance() or QApplication(sys.argv[:1])
    setup_application(app, lang)
    window = make_progress_dashboard(None, hub_url=hub_url, token=token, data_dir=data_dir, lang=lang)
    window.resize(1366, 768)
    window.show()
    try:
        app.exec()
    finally:
        window.close()
        window.shutdown()
    return 0
