"""The applicant card: one applicant's attributes in a few taps, then one big 記録.

The card's counters are always recorded; the optional counters (e.g. health-insurance
linkage) are ticked per applicant. The dimensions asked for are the union of those
the counters need; the ones only an unticked optional counter needs are greyed out.
Nothing is reset until the store has committed the card (see TallyBoard).
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from app.profiles import Profile
from ui.dimension_picker import DimensionPicker
from ui.labels import join_list, wrap_to_width


class ApplicantCard(QWidget):
    record_requested = Signal(dict, list)  # dims, ticked optional counter keys

    def __init__(self, profile: Profile, lang: str, width: int = 400,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert profile.card is not None
        self.profile = profile
        self.lang = lang
        self._busy = False
        card = profile.card
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)

        title = QLabel(card.label(lang), self)
        title.setProperty("role", "header")
        # What the card records is a tooltip, not a line: height is scarce at 768px.
        recorded = join_list((profile.counter(c).label(lang) for c in card.counters), lang)
        title.setToolTip(self.tr("記録される項目：{counters}").format(counters=recorded))
        layout.addWidget(title)

        self.picker = DimensionPicker(profile, profile.card_dimensions(), lang, width, self)
        self.picker.changed.connect(self._update)
        layout.addWidget(self.picker, 3)  # spare height makes the choices bigger…

        self.optional_buttons: dict[str, QPushButton] = {}
        if card.optional:
            section = QLabel(self.tr("あわせて対応した手続き"), self)
            section.setProperty("role", "section")
            layout.addWidget(section)
            metrics = QFontMetrics(self.font())
            for key in card.optional:
                text = wrap_to_width("＋ " + profile.counter(key).label(lang), metrics, width - 30)
                button = QPushButton(text, self)
                button.setObjectName(f"card-optional-{key}")
                button.setProperty("role", "option")
                button.setCheckable(True)
                button.toggled.connect(self._update)
                self.optional_buttons[key] = button
                layout.addWidget(button)

        layout.addStretch(1)  # …and what they cannot take (capped) goes here
        self.missing_label = QLabel(self)
        self.missing_label.setObjectName("card-missing")
        self.missing_label.setProperty("role", "muted")
        self.missing_label.setWordWrap(True)
        layout.addWidget(self.missing_label)
        self.record_button = QPushButton(self.tr("記録"), self)
        self.record_button.setObjectName("card-record")
        self.record_button.setProperty("role", "primary")
        self.record_button.setMinimumHeight(52)
        font = self.record_button.font()
        font.setPointSize(font.pointSize() + 5)
        self.record_button.setFont(font)
        self.record_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.record_button.clicked.connect(self._record)
        layout.addWidget(self.record_button)
        self._update()

    # ---- state ----------------------------------------------------------------
    def ticked_optional(self) -> list[str]:
        return [k for k, b in self.optional_buttons.items() if b.isChecked()]

    def required_dimensions(self) -> list[str]:
        counters = (*self.profile.card.counters, *self.ticked_optional())
        needed: dict[str, None] = {}
        for key in counters:
            needed.update(dict.fromkeys(self.profile.counter(key).dimensions))
        return list(needed)

    def _update(self) -> None:
        required = self.required_dimensions()
        for dim in self.picker.dim_keys:
            self.picker.set_dimension_enabled(dim, dim in required and not self._busy)
        missing = self.picker.missing(required)
        if missing:
            names = join_list((self.profile.dimension(d).label(self.lang) for d in missing), self.lang)
            self.missing_label.setText(self.tr("未選択：{names}").format(names=names))
        else:
            self.missing_label.setText(self.tr("記録できます"))
        self.record_button.setEnabled(not missing and not self._busy)

    def _record(self) -> None:
        if self.picker.missing(self.required_dimensions()) or self._busy:
            return
        required = self.required_dimensions()
        dims = {k: v for k, v in self.picker.values().items() if k in required}
        self.record_requested.emit(dims, self.ticked_optional())

    # ---- called by the board --------------------------------------------------
    def set_busy(self, busy: bool) -> None:
        """While the store writes the card, a second press must not record it twice."""
        self._busy = busy
        for b in self.optional_buttons.values():
            b.setEnabled(not busy)
        self._update()

    def reset(self) -> None:
        """Only after the store committed the card: ready for the next applicant."""
        self.picker.clear()
        for b in self.optional_buttons.values():
            b.setChecked(False)
        self._update()
