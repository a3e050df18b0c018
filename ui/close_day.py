"""Closing the day: the supervisor checks the totals per counter and confirms with
their name. Closing freezes the day; later changes become amendments with a reason."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QHeaderView, QLabel, QLineEdit,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from app.profiles import Profile
from app.reason_screen import NAME_MAX, screen_confirmed_by
from ui.board_ops import BoardState
from ui.dialogs import button_row
from ui.labels import municipality_label, value_label
from ui.reason_input import ScreenedField, name_hint
COUNTER_COLUMN = 290


class CloseDayDialog(QDialog):
    def __init__(self, profile: Profile, state: BoardState, lang: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("close-day-dialog")
        self.setWindowTitle(self.tr("本日の締め"))
        self.setMinimumSize(940, 620)
        o = state.opening
        layout = QVBoxLayout(self)
        head = QLabel(self.tr("{date}　{venue}（{municipality}）の集計を確認してください。").format(
            date=o.date.isoformat(), venue=o.venue,
            municipality=municipality_label(o.municipality, lang)), self)
        head.setProperty("role", "header")
        head.setWordWrap(True)
        layout.addWidget(head)
        note = QLabel(self.tr("締めると、この日の記録は確定します。締めた後の修正には理由の入力が必要です。"), self)
        note.setWordWrap(True)
        layout.addWidget(note)

        self.table = QTableWidget(len(profile.counters), 3, self)
        self.table.setObjectName("close-summary")
        self.table.setHorizontalHeaderLabels([self.tr("カウンター"), self.tr("合計"), self.tr("内訳")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, COUNTER_COLUMN)
        # Row heights follow the wrapped breakdown, so recompute when widths change.
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        self.totals: dict[str, int] = {}
        for row, counter in enumerate(profile.counters):
            entry = state.totals.get(counter.key, {"total": 0, "by_dimension": {}})
            self.totals[counter.key] = entry["total"]
            total = QTableWidgetItem(f"{entry['total']:,}")
            total.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            font = total.font()
            font.setBold(True)
            total.setFont(font)
            self.table.setItem(row, 0, QTableWidgetItem(counter.label(lang)))
            self.table.setItem(row, 1, total)
            self.table.setItem(row, 2, QTableWidgetItem(_breakdown(profile, entry, lang)))
        self.table.resizeRowsToContents()
        layout.addWidget(self.table, 1)

        layout.addWidget(QLabel(self.tr("確認した現場責任者の氏名"), self))
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("close-confirmed-by")
        self.name_edit.setMaxLength(NAME_MAX)
        layout.addWidget(self.name_edit)
        self.screened = ScreenedField(self.name_edit, layout, screen_confirmed_by, lang, name_hint(), self)
        row, self.ok_button, _ = button_row(self, self.tr("確認して締める"), "close-confirm")
        layout.addLayout(row)
        self.name_edit.textChanged.connect(lambda t: self.ok_button.setEnabled(bool(t.strip())))
        self.ok_button.setEnabled(False)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().showEvent(event)
        self.table.resizeRowsToContents()  # widths are final only once shown

    def accept(self) -> None:
        if self.screened.check():  # the name syncs and goes on the daily report
            super().accept()

    def confirmed_by(self) -> str:
        return self.name_edit.text().strip()


def _breakdown(profile: Profile, entry: dict, lang: str) -> str:
    """"年代: 30代 4, 40代 2 / 申請方法: 紙 1, オンライン 5" — what the daily report needs."""
    parts = []
    for dim, values in entry.get("by_dimension", {}).items():
        if not values:
            continue
        try:
            name = profile.dimension(dim).label(lang)
            order = {k: i for i, k in enumerate(profile.dimension(dim).value_keys())}
        except KeyError:
            name, order = dim, {}
        ordered = sorted(values.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
        shown = ", ".join(f"{value_label(profile, dim, v, lang)} {n}" for v, n in ordered)
        parts.append(f"{name}: {shown}")
    return "\n".join(parts)
