"""Pieces the report view and the office dashboard share: words in both languages,
deadline colours and the deadline/outstanding table."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from app.reports.deadlines import Deadline
from app.reports.sections import long_date, month_label, short_date

# Background colour per deadline state (text stays dark: readable in sunlight).
STATE_COLORS = {
    "overdue": "#ffcdd2", "due_today": "#ffe0b2", "due_soon": "#fff3c4", "stale": "#ffe0b2",
    "pending": "#ffffff", "no_deadline": "#eceff1", "exported": "#e8f5e9",
}


def t(lang: str, ja: str, en: str) -> str:
    """This feature's own UI words (the shared .ts file belongs to the booth core)."""
    return en if lang == "en" else ja


def state_text(d: Deadline, lang: str) -> str:
    label = d.state_label(lang)
    if d.state == "overdue" and d.days_left is not None:
        n = -d.days_left
        return label + t(lang, f"（{n}営業日超過）", f" ({n} business day{'s' * (n != 1)} late)")
    if d.state in ("due_soon", "pending") and d.days_left is not None:
        n = d.days_left
        return label + t(lang, f"（あと{n}営業日）", f" ({n} business day{'s' * (n != 1)} left)")
    return label


def what_text(d: Deadline, lang: str) -> tuple[str, str]:
    """(date or month, venue or campaign) of the report a deadline is for."""
    if d.opening is not None:
        return short_date(d.opening.date, lang, with_year=True), d.opening.venue
    return month_label(d.month, lang), t(lang, "月次報告書", "Monthly report")


class DeadlineTable(QTableWidget):
    """Reports still to be exported, soonest due first, coloured by urgency."""

    def __init__(self, lang: str, parent: QWidget | None = None, *, with_kind: bool = False) -> None:
        self.lang = lang
        self.with_kind = with_kind
        heads = [t(lang, "実施日・対象月", "Date / month"), t(lang, "会場・報告", "Venue / report"),
                 t(lang, "提出期限", "Due"), t(lang, "状態", "State")]
        if with_kind:
            heads = [t(lang, "報告書", "Report")] + heads
        super().__init__(0, len(heads), parent)
        self.setHorizontalHeaderLabels(heads)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(False)  # one line per report: long venue names are elided
        header = self.horizontalHeader()
        for i in range(len(heads)):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(heads) - 3, QHeaderView.ResizeMode.Stretch)
        self.items: list[Deadline] = []

    def set_deadlines(self, items: list[Deadline]) -> None:
        self.items = list(items)
        self.setRowCount(len(items))
        for row, d in enumerate(items):
            when, what = what_text(d, self.lang)
            cells = [when, what, long_date(d.due, self.lang) if d.due else t(self.lang, "定めなし", "none"),
                     state_text(d, self.lang)]
            if self.with_kind:
                cells = [t(self.lang, "日次", "Daily") if d.report == "daily" else t(self.lang, "月次", "Monthly"),
                         *cells]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setBackground(QColor(STATE_COLORS.get(d.state, "#ffffff")))
                item.setForeground(QColor("#1b2631"))
                item.setData(Qt.ItemDataRole.UserRole, d.key())
                item.setToolTip(text)
                self.setItem(row, col, item)

    def state_of(self, row: int) -> str:
        return self.items[row].state
