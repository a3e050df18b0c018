"""The booth window's 「報告書」 menu and the windows it opens: the daily report view
(on the app's store worker), the progress dashboard over this laptop's store, and the
progress dashboard over the hub's merged data (both read on the dashboard's own
thread).

The menu's words live here, not in main_window.py, so that they belong to the
reports' translation file (resources/i18n/report_en.ts)."""
from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QMenuBar, QWidget

from ui.report_dashboard import ProgressDashboard, make_progress_dashboard
from ui.report_hub_dialog import HubDashboardDialog, sync_hub_settings
from ui.report_view import ReportView, make_report_view

WINDOW_SIZE = (1366, 768)


class ReportWindows(QObject):
    """Owned by the main window, which it reads `worker`, `data_dir`, `lang` and
    `clock` from when a window is opened.

    The booth's sync settings hold the hub URL and this laptop's device token only;
    the office's admin token (needed to read merged data) is never written on a booth
    laptop. 「進捗ダッシュボード…」 shows this laptop's own store; 「進捗ダッシュボード
    （ハブ）…」 asks for the hub URL (prefilled from the sync settings) and the admin
    token, which is kept in memory (`hub_token`) for this session only."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.main_window = window
        self.view: ReportView | None = None
        self.dashboard: ProgressDashboard | None = None
        self.hub_dashboard: ProgressDashboard | None = None
        self.hub_dialog: HubDashboardDialog | None = None
        self.hub_url: str | None = None      # last hub URL typed in this session
        self.hub_token: str | None = None    # the admin token: memory only, never saved
        self._ca_cert: str | None = None     # the sync settings' CA file, for a hub with its own CA
        self._hub_shown: tuple[str, str] | None = None   # (url, token) the open hub dashboard reads
        self.action_view: QAction | None = None
        self.action_dashboard: QAction | None = None
        self.action_hub_dashboard: QAction | None = None

    def add_menu(self, bar: QMenuBar) -> QMenu:
        """Add 「報告書」 to the menu bar (again after every language switch)."""
        menu = bar.addMenu(self.tr("報告書"))
        menu.setObjectName("menu-reports")
        self.action_view = QAction(self.tr("日次報告書…"), menu)
        self.action_view.setObjectName("open-report-view")
        self.action_view.triggered.connect(self.open_view)
        menu.addAction(self.action_view)
        self.action_dashboard = QAction(self.tr("進捗ダッシュボード…"), menu)
        self.action_dashboard.setObjectName("open-progress-dashboard")
        self.action_dashboard.triggered.connect(self.open_dashboard)
        menu.addAction(self.action_dashboard)
        self.action_hub_dashboard = QAction(self.tr("進捗ダッシュボード（ハブ）…"), menu)
        self.action_hub_dashboard.setObjectName("open-hub-dashboard")
        self.action_hub_dashboard.triggered.connect(self.ask_hub_dashboard)
        menu.addAction(self.action_hub_dashboard)
        return menu

    # ---- opening ------------------------------------------------------------------
    def _show(self, widget: QWidget) -> None:
        widget.resize(*WINDOW_SIZE)
        widget.show()
        widget.raise_()
        widget.activateWindow()

    def open_view(self) -> ReportView:
        """The open report view, or a new one (a closed one has stopped its thread)."""
        if self.view is None or not self.view.isVisible():
            w = self.main_window
            self.view = make_report_view(None, w.worker, w.lang, w.clock)
            self._show(self.view)
        else:
            self.view.raise_()
            self.view.activateWindow()
        return self.view

    def open_dashboard(self) -> ProgressDashboard:
        if self.dashboard is None or not self.dashboard.isVisible():
            w = self.main_window
            self.dashboard = make_progress_dashboard(None, data_dir=w.data_dir, lang=w.lang, clock=w.clock)
            self._show(self.dashboard)
        else:
            self.dashboard.raise_()
            self.dashboard.activateWindow()
        return self.dashboard

    def ask_hub_dashboard(self) -> HubDashboardDialog:
        """Ask for the hub URL and admin token (not modal-blocking: the answer arrives
        through the dialog's signals), then open the dashboard over the hub."""
        if self.hub_dialog is not None and self.hub_dialog.isVisible():
            self.hub_dialog.raise_()
            return self.hub_dialog
        w = self.main_window
        saved_url, self._ca_cert = sync_hub_settings(getattr(w, "data_dir", None))
        self.hub_dialog = HubDashboardDialog(self.hub_url or saved_url, self.hub_token or "", w)
        self.hub_dialog.accepted.connect(lambda: self.open_hub_dashboard(*self.hub_dialog.values()))
        self.hub_dialog.open()
        return self.hub_dialog

    def open_hub_dashboard(self, hub_url: str, token: str) -> ProgressDashboard:
        """The dashboard over the hub's merged data; a new one when the hub or token
        changed (the old one is closed first)."""
        self.hub_url, self.hub_token = hub_url, token
        current = self.hub_dashboard
        if current is not None and current.isVisible() and self._hub_shown == (hub_url, token):
            current.raise_()
            current.activateWindow()
            return current
        if current is not None:
            current.close()
            current.shutdown()
        w = self.main_window
        self.hub_dashboard = make_progress_dashboard(None, hub_url=hub_url, token=token, lang=w.lang,
                                                     clock=w.clock, ca_cert=self._ca_cert)
        self._hub_shown = (hub_url, token)
        self._show(self.hub_dashboard)
        return self.hub_dashboard

    # ---- following the main window ---------------------------------------------------
    def open_windows(self) -> list[QWidget]:
        return [x for x in (self.view, self.dashboard, self.hub_dashboard) if x is not None and x.isVisible()]

    def set_language(self, lang: str) -> None:
        """Called after the main window installed the new translators."""
        for widget in self.open_windows():
            widget.set_language(lang)

    def close_all(self) -> None:
        """Before the store worker stops: each window stops its own background thread
        (a file being written is finished first)."""
        if self.hub_dialog is not None:
            self.hub_dialog.close()
        for widget in (self.view, self.dashboard, self.hub_dashboard):
            if widget is not None:
                widget.close()
                widget.shutdown()  # also when it was never shown or already hidden
