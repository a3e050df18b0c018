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
from ui.labels import wrap_natural, wrap_to_width

MAX_COLUMNS = 6
BUTTON_PADDING = 18    # left+right padding and border of a choice button, in pixels
SPACING = 6
MIN_BUTTON_WIDTH = 64  # about a fingertip and a half
MIN_BUTTON_HEIGHT = 38
MAX_BUTTON_HEIGHT = 64


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
            # Spare height goes to the buttons (bigger targets), not to the headings.
            header.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            self._headers[dim_key] = header
            layout.addWidget(header)
            columns, texts = _layout_for([v.label(lang) for v in dim.values], metrics, width)
            grid = QGridLayout()
            grid.setSpacing(SPACING)
            group = QButtonGroup(self)
            group.setExclusive(True)
            for i, (value, text) in enumerate(zip(dim.values, texts)):
                button = QPushButton(text, self)
                button.setObjectName(f"dim-{dim_key}-{value.key}")
                button.setProperty("role", "choice")
                button.setCheckable(True)
                # Grow into spare height (bigger targets), but not into slabs.
                button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
                button.setMaximumHeight(MAX_BUTTON_HEIGHT)
                group.addButton(button)
                grid.addWidget(button, i // columns, i % columns)
                self._buttons[(dim_key, value.key)] = button
            group.buttonToggled.connect(self._on_toggled)
            self._groups[dim_key] = group
            layout.addLayout(grid, -(-len(dim.values) // columns))

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


def _layout_for(labels: list[str], metrics: QFontMetrics, width: int) -> tuple[int, list[str]]:
    """Columns and texts for one dimension: the fewest rows, with every label
    whole or broken only at a natural point (never "宮城野/区"), and buttons no
    narrower than a fingertip. Among equally short layouts, fewer and wider buttons."""
    best: tuple[int, int, int, list[str]] | None = None
    line_h = metrics.lineSpacing()
    for columns in range(1, min(len(labels), MAX_COLUMNS) + 1):
        col_width = (width - SPACING * (columns - 1)) // columns
        if col_width < MIN_BUTTON_WIDTH and columns > 1:
            break
        texts = [wrap_natural(t, metrics, col_width - BUTTON_PADDING) for t in labels]
        if any(t is None for t in texts):
            continue
        lines = max(t.count("\n") + 1 for t in texts)
        rows = -(-len(labels) // columns)
        height = rows * max(MIN_BUTTON_HEIGHT, lines * line_h + 12) + (rows - 1) * SPACING
        if best is None or height < best[0]:
            best = (height, columns, lines, texts)
    if best is None:  # nothing breaks naturally: two columns, wrapped anywhere
        col = (width - SPACING) // 2 - BUTTON_PADDING
        return 2, [wrap_to_width(t, metrics, col, max_lines=3) for t in labels]
    _, columns, _, texts = best
    return columns, texts
