"""Rows of toggle buttons, one row block per dimension: one tap picks a value.

Used by the applicant card, the quick chooser of a counter with dimensions and the
correction dialog, so a dimension looks and behaves the same everywhere.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (QButtonGroup, QGridLayout, QLabel, QPushButton, QSizePolicy,
                               QVBoxLayout, QWidget)

from app.profiles import Profile
from ui.labels import wrap_to_width

MAX_COLUMNS = 5
BUTTON_PADDING = 26  # left+right padding and border of a choice button, in pixels


class DimensionPicker(QWidget):
    changed = Signal()

    def __init__(self, profile: Profile, dim_keys: tuple[str, ...] | list[str], lang: str,
                 width: int = 380, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.dim_keys = tuple(dim_keys)
        self._groups: dict[str, QButtonGroup] = {}
        self._buttons: dict[tuple[str, str], QPushButton] = {}
        self._headers: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        metrics = QFontMetrics(self.font())
        for dim_key in self.dim_keys:
            dim = profile.dimension(dim_key)
            header = QLabel(dim.label(lang), self)
            header.setProperty("role", "section")
            self._headers[dim_key] = header
            layout.addWidget(header)
            labels = [v.label(lang) for v in dim.values]
            columns = _columns_for(labels, metrics, width)
            col_width = max(40, (width - 6 * (columns - 1)) // columns - BUTTON_PADDING)
            grid = QGridLayout()
            grid.setSpacing(6)
            group = QButtonGroup(self)
            group.setExclusive(True)
            for i, value in enumerate(dim.values):
                button = QPushButton(wrap_to_width(value.label(lang), metrics, col_width), self)
                button.setObjectName(f"dim-{dim_key}-{value.key}")
                button.setProperty("role", "choice")
                button.setCheckable(True)
                button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
                group.addButton(button)
                grid.addWidget(button, i // columns, i % columns)
                self._buttons[(dim_key, value.key)] = button
            group.buttonToggled.connect(self._on_toggled)
            self._groups[dim_key] = group
            layout.addLayout(grid)

    def _on_toggled(self, _button: QPushButton, checked: bool) -> None:
        if checked:
            self.changed.emit()

    def button(self, dim_key: str, value_key: str) -> QPushButton:
        return self._buttons[(dim_key, value_key)]

    def values(self) -> dict[str, str]:
        out = {}
        for (dim_key, value_key), button in self._buttons.items():
            if button.isChecked():
                out[dim_key] = value_key
        return out

    def missing(self, keys: tuple[str, ...] | list[str] | None = None) -> list[str]:
        chosen = self.values()
        return [k for k in (self.dim_keys if keys is None else keys) if k not in chosen]

    def set_values(self, dims: dict[str, str]) -> None:
        for (dim_key, value_key), button in self._buttons.items():
            if dims.get(dim_key) == value_key:
                button.setChecked(True)

    def clear(self) -> None:
        # An exclusive group refuses to uncheck its last button; lift that briefly.
        for group in self._groups.values():
            group.setExclusive(False)
            for button in group.buttons():
                button.setChecked(False)
            group.setExclusive(True)

    def set_dimension_enabled(self, dim_key: str, enabled: bool) -> None:
        """Dims only an unticked optional counter needs are greyed, not hidden, so
        the card does not jump around while staff tap."""
        self._headers[dim_key].setEnabled(enabled)
        for button in self._groups[dim_key].buttons():
            button.setEnabled(enabled)


def _columns_for(labels: list[str], metrics: QFontMetrics, width: int) -> int:
    widest = max(metrics.horizontalAdvance(t) for t in labels) + BUTTON_PADDING
    fit = max(1, width // max(1, widest + 6))
    columns = min(len(labels), MAX_COLUMNS, fit)
    if columns < 2 and len(labels) > 1:
        columns = 2  # long labels wrap onto two lines rather than one button a row
    # Balance rows: 9 values in 5 columns look better as 5+4 than 3+3+3 squeezed.
    rows = -(-len(labels) // columns)
    return -(-len(labels) // rows)
