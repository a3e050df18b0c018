"""The day's taps, newest first. Any earlier tap can be undone or corrected; both
ask for a reason (the board opens the dialogs), because they change a count someone
already relied on. The list holds the newest rows only (a busy venue makes thousands
a day), so it can be narrowed to one hour and one counter to find an earlier tap."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from app.profiles import Profile
from app.tallies import Tally
from ui.board_ops import HistoryFilter
from ui.labels import with_dims


class HistoryPanel(QWidget):
    undo_requested = Signal(object)     # Tally
    correct_requested = Signal(object)  # Tally
    filter_changed = Signal()           # the board reads the history again

    def __init__(self, profile: Profile, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.lang = lang
        self.rows: list[Tally] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(self.tr("記録の履歴（新しい順）"), self)
        title.setProperty("role", "section")
        layout.addWidget(title)
        narrow = QHBoxLayout()
        self.hour_box = QComboBox(self)
        self.hour_box.setObjectName("history-hour")
        self.hour_box.addItem(self.tr("すべての時間"), None)
        self.counter_box = QComboBox(self)
        self.counter_box.setObjectName("history-counter")
        self.counter_box.addItem(self.tr("すべての項目"), None)
        for c in profile.counters:
            self.counter_box.addItem(c.label(lang), c.key)
        for box in (self.hour_box, self.counter_box):
            # Long counter names must not widen the column (the tally pad would shrink).
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(6)
            box.currentIndexChanged.connect(lambda _i: self.filter_changed.emit())
        narrow.addWidget(self.hour_box, 1)
        narrow.addWidget(self.counter_box, 2)
        layout.addLayout(narrow)
        self.empty_label = QLabel(self.tr("該当する記録はありません"), self)
        self.empty_label.setObjectName("history-empty")
        self.empty_label.setVisible(False)
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("history-table")
        self.table.setHorizontalHeaderLabels([self.tr("時刻"), self.tr("内容"), self.tr("数")])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        # Wrapped rows get their height from the column width, which is only final
        # once the table is laid out: recompute whenever the width changes.
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        buttons = QHBoxLayout()
        self.undo_button = QPushButton(self.tr("この記録を取り消す…"), self)
        self.undo_button.setObjectName("history-undo")
        self.undo_button.clicked.connect(lambda: self._emit(self.undo_requested))
        self.correct_button = QPushButton(self.tr("訂正する…"), self)
        self.correct_button.setObjectName("history-correct")
        self.correct_button.clicked.connect(lambda: self._emit(self.correct_requested))
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.correct_button)
        layout.addLayout(buttons)
        self._update_buttons()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().showEvent(event)
        self.table.resizeRowsToContents()

    def current_filter(self) -> HistoryFilter:
        return HistoryFilter(self.hour_box.currentData(), self.counter_box.currentData())

    def set_hours(self, hours: list[int]) -> None:
        """The hours that have taps (the chosen one stays, even if its taps were undone)."""
        chosen = self.hour_box.currentData()
        wanted = sorted(set(hours) | ({chosen} if chosen is not None else set()))
        if [self.hour_box.itemData(i) for i in range(1, self.hour_box.count())] == wanted:
            return
        self.hour_box.blockSignals(True)
        while self.hour_box.count() > 1:
            self.hour_box.removeItem(1)
        for h in wanted:
            self.hour_box.addItem(self.tr("{h}時台").format(h=h), h)
        self.hour_box.setCurrentIndex(self.hour_box.findData(chosen) if chosen is not None else 0)
        self.hour_box.blockSignals(False)

    def set_history(self, rows: list[Tally], shown: HistoryFilter | None = None) -> None:
        """`shown`: the filter the rows were read with; rows read with another one
        (a write answered after the filter changed) are left for the next read."""
        if shown is not None and shown != self.current_filter():
            return
        self.empty_label.setVisible(not rows and self.current_filter() != HistoryFilter())
        selected = self.selected()
        self.rows = list(rows)
        self.table.setRowCount(len(self.rows))
        for i, t in enumerate(self.rows):
            items = [QTableWidgetItem(t.device_time[11:16]),
                     QTableWidgetItem(self.describe(t)),
                     QTableWidgetItem(f"{t.delta:+d}".replace("-", "−"))]
            items[2].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for col, item in enumerate(items):
                if t.undone or t.kind == "undo":
                    item.setForeground(QBrush(QColor("#78909c")))
                if t.undone:
                    font = item.font()
                    font.setStrikeOut(True)
                    item.setFont(font)
                self.table.setItem(i, col, item)
        self.table.resizeRowsToContents()
        if selected is not None:
            for i, t in enumerate(self.rows):
                if t.id == selected.id:
                    self.table.selectRow(i)
        self._update_buttons()

    def describe(self, t: Tally) -> str:
        text = with_dims(self.profile, t.counter, t.dims, self.lang)
        if t.kind == "undo":
            text = self.tr("取消：") + text
        elif t.kind == "correction":
            text = self.tr("訂正後：") + text
        if t.undone:
            text += self.tr("［取消済み］")
        if t.amendment:
            text += self.tr("［締め後の修正］")
        if t.reason:
            text += "\n" + self.tr("理由：") + t.reason
        return text

    def selected(self) -> Tally | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.rows):
            return None
        return self.rows[rows[0].row()]

    def select_tally(self, tally_id: str) -> None:
        for i, t in enumerate(self.rows):
            if t.id == tally_id:
                self.table.selectRow(i)
                return
        raise KeyError(tally_id)

    def _update_buttons(self) -> None:
        t = self.selected()
        changeable = t is not None and t.kind != "undo" and not t.undone
        self.undo_button.setEnabled(changeable)
        self.correct_button.setEnabled(changeable)

    def _emit(self, signal) -> None:
        t = self.selected()
        if t is not None:
            signal.emit(t)
