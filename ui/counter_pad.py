"""The counter buttons, generated from the profile and grouped as it says.

Each button shows the counter's name, its live total and its keyboard key. The total
is only ever set from what the store returned (TallyBoard.apply_state), never
incremented optimistically.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (QGridLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout,
                               QWidget)

from app.profiles import Counter, Profile
from ui.style import set_flag

FLASH_MS = 450


class CounterButton(QPushButton):
    def __init__(self, counter: Counter, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counter = counter
        self.setObjectName(f"counter-{counter.key}")
        self.setProperty("role", "counter")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(76)
        self.setMaximumHeight(150)  # a 4-counter profile should not get wall-sized buttons
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the shortcuts, not a button
        layout = QGridLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(0)
        self.name_label = QLabel(counter.label(lang), self)
        self.name_label.setProperty("role", "counter-name")
        self.name_label.setWordWrap(True)
        self.count_label = QLabel("0", self)
        self.count_label.setObjectName(f"count-{counter.key}")
        self.count_label.setProperty("role", "count")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
        marks = []
        if counter.shortcut:
            marks.append(f"[{counter.shortcut}]")
        if counter.dimensions:
            marks.append("▸")  # opens the chooser rather than counting straight away
        self.shortcut_label = QLabel(" ".join(marks), self)
        self.shortcut_label.setProperty("role", "shortcut")
        for label in (self.name_label, self.count_label, self.shortcut_label):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout.addWidget(self.name_label, 0, 0, 1, 2)
        layout.addWidget(self.shortcut_label, 1, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        layout.addWidget(self.count_label, 1, 1)
        layout.setRowStretch(0, 1)
        self._unflash = QTimer(self)
        self._unflash.setSingleShot(True)
        self._unflash.timeout.connect(lambda: set_flag(self, "flash", False))

    def set_count(self, n: int) -> None:
        self.count_label.setText(f"{n:,}")

    def flash(self) -> None:
        set_flag(self, "flash", True)
        self._unflash.start(FLASH_MS)


class CounterPad(QWidget):
    tapped = Signal(str)  # counter key

    def __init__(self, profile: Profile, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: dict[str, CounterButton] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        columns = 2 if len(profile.counters) <= 10 else 3
        for title, counters in _sections(profile, lang):
            if title:
                header = QLabel(title, self)
                header.setProperty("role", "section")
                layout.addWidget(header)
            grid = QGridLayout()
            grid.setSpacing(8)
            for i, counter in enumerate(counters):
                button = CounterButton(counter, lang, self)
                button.clicked.connect(lambda _=False, k=counter.key: self.tapped.emit(k))
                self.buttons[counter.key] = button
                grid.addWidget(button, i // columns, i % columns)
            for c in range(columns):
                grid.setColumnStretch(c, 1)
            layout.addLayout(grid, stretch=-(-len(counters) // columns))
        layout.addStretch(0)

    def set_totals(self, totals: dict) -> None:
        for key, button in self.buttons.items():
            button.set_count(totals.get(key, {}).get("total", 0))


def _sections(profile: Profile, lang: str) -> list[tuple[str, list[Counter]]]:
    """The profile's groups in order; counters without a group come last, untitled
    when nothing is grouped at all."""
    out = []
    for group in profile.groups:
        members = [c for c in profile.counters if c.group == group.key]
        if members:
            out.append((group.label(lang), members))
    rest = [c for c in profile.counters if not c.group]
    if rest:
        out.append(("" if not out else QCoreApplication.translate("CounterPad", "その他"), rest))
    return out
