"""Pieces the report view and the office dashboard share: deadline colours and the
deadline/outstanding table.

The table's own words (headings, "daily"/"monthly", business days left) are Qt
translations (resources/i18n/report_en.ts). Dates, venues, month names and the state
words ("overdue" …) come from app/reports in the view's language: the CLI prints the
same state words, so they have one source."""
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


class DeadlineTable(QTableWidget):
    """Reports still to be exported, soonest due first, coloured by urgency."""

    def __init__(self, lang: str, parent: QWidget | None = None, *, with_kind: bool = False) -> None:
        self.lang = lang
        self.with_kind = with_kind
        columns = 5 if with_kind else 4
        super().__init__(0, columns, parent)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(False)  # one line per report: long venue names are elided
        header = self.horizontalHeader()
        for i in range(columns):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(columns - 3, QHeaderView.ResizeMode.Stretch)
        self.items: list[Deadline] = []
        self._retranslate()

    def _retranslate(self) -> None:
        heads = [self.tr("実施日・対象月"), self.tr("会場・報告"), self.tr("提出期限"), self.tr("状態")]
        if self.with_kind:
            heads = [self.tr("報告書"), *heads]
        self.setHorizontalHeaderLabels(heads)

    def set_language(self, lang: str) -> None:
        """Headings from the translator now installed, rows in `lang`."""
        self.lang = lang
        self._retranslate()
        self.set_deadlines(self.items)

    # ---- words --------------------------------------------------------------------
    def state_text(self, d: Deadline) -> str:
        label = d.state_label(self.lang)
        if d.state == "overdue" and d.days_left is not None:
            n = -d.days_left
            late = self.tr("（{n}営業日超過）", "one") if n == 1 else self.tr("（{n}営業日超過）", "many")
            return label + late.format(n=n)
        if d.state in ("due_soon", "pending") and d.days_left is not None:
            n = d.days_left
            left = self.tr("（あと{n}営業日）", "one") if n == 1 else self.tr("（あと{n}営業日）", "many")
            return label + left.format(n=n)
        return label

    def what_text(self, d: Deadline) -> tuple[str, str]:
        """(date or month, venue or report) of the report a deadline is for."""
        if d.opening is not None:
            return short_date(d.opening.date, self.lang, with_year=True), d.opening.venue
        return month_label(d.month, self.lang), self.tr("月次報告書")

    def due_text(self, d: Deadline) -> str:
        return long_date(d.due, self.lang) if d.due else self.tr("定めなし")

    # ---- rows ---------------------------------------------------------------------
    def set_deadlines(self, items: list[Deadline]) -> None:
        self.items = list(items)
        self.setRowCount(len(items))
        for row, d in enumerate(items):
            when, what = self.what_text(d)
            cells = [when, what, self.due_text(d), self.state_text(d)]
            if self.with_kind:
                cells = [self.tr("日次") if d.report == "daily" else self.tr("月次"), *cells]
            rule = d.rule.label(self.lang) if d.rule is not None else ""
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setBackground(QColor(STATE_COLORS.get(d.state, "#ffffff")))
                item.setForeground(QColor("#1b2631"))
                item.setData(Qt.ItemDataRole.UserRole, d.key())
                # Which of the profile's report rules the due date comes from.
                item.setToolTip(f"{text}\n{rule}" if rule and text != rule else text)
                self.setItem(row, col, item)

    def state_of(self, row: int) -> str:
        return self.items[row].state
