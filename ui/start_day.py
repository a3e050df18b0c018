"""Start of day: resume an unfinished opening of today in one touch, or open a new
one (profile, kind, venue, municipality → region, date, 100-person flag, staff).

Validation is the domain's (open_opening): its Japanese messages are shown as they
are, so the rules live in one place.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (QCheckBox, QComboBox, QCompleter, QDateEdit, QFormLayout, QGroupBox,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout,
                               QWidget)

from app import refdata
from app.errors import MadoguchiError
from app.openings import Opening
from app.profiles import Profile, get_profile
from ui.labels import municipality_label

FORM_WIDTH = 760


class StartDayPage(QWidget):
    open_requested = Signal(dict)   # fields for app.openings.open_opening (without now)
    resume_requested = Signal(str)  # opening id

    def __init__(self, lang: str, today: date, profiles: list[Profile],
                 last_profile: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("start-day")
        self.lang = lang
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        column = QVBoxLayout()
        outer.addLayout(column)
        outer.addStretch(1)

        title = QLabel(self.tr("本日の開始"), self)
        title.setProperty("role", "header")
        column.addWidget(title)

        self.resume_box = QGroupBox(self.tr("今日の続きから再開"), self)
        self.resume_box.setFixedWidth(FORM_WIDTH)
        self.resume_layout = QVBoxLayout(self.resume_box)
        self.resume_buttons: dict[str, QPushButton] = {}
        self.resume_box.hide()
        column.addWidget(self.resume_box)

        form_box = QGroupBox(self.tr("新しい実施回を開始"), self)
        form_box.setFixedWidth(FORM_WIDTH)
        form = QFormLayout(form_box)
        form.setVerticalSpacing(10)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.profile_box = QComboBox(self)
        self.profile_box.setObjectName("start-profile")
        for p in profiles:
            self.profile_box.addItem(f"[{p.spec}] {p.label(lang)}", p.key)
        if last_profile and self.profile_box.findData(last_profile) >= 0:
            self.profile_box.setCurrentIndex(self.profile_box.findData(last_profile))
        form.addRow(self.tr("業務（プロファイル）"), self.profile_box)

        self.kind_box = QComboBox(self)
        self.kind_box.setObjectName("start-kind")
        # Long campaign and kind names must not push the field labels off the form.
        for box in (self.profile_box, self.kind_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(24)
        form.addRow(self.tr("実施形態"), self.kind_box)

        self.venue_edit = QLineEdit(self)
        self.venue_edit.setObjectName("start-venue")
        self.venue_edit.setPlaceholderText(self.tr("例：イオンモール名取 1階イベントスペース"))
        form.addRow(self.tr("会場名"), self.venue_edit)

        self.muni_box = QComboBox(self)
        self.muni_box.setObjectName("start-municipality")
        self.muni_box.setEditable(True)
        self.muni_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for m in refdata.municipalities():
            self.muni_box.addItem(m.label(lang), m.key)
        self.muni_box.setCurrentIndex(-1)
        self.muni_box.lineEdit().setPlaceholderText(self.tr("市町村名を入力または選択"))
        completer = QCompleter(self.muni_box.model(), self.muni_box)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.muni_box.setCompleter(completer)
        form.addRow(self.tr("市町村"), self.muni_box)

        self.region_label = QLabel(self)
        self.region_label.setObjectName("region-label")
        self.region_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("圏域（自動）"), self.region_label)

        self.date_edit = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.date_edit.setObjectName("start-date")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        form.addRow(self.tr("実施日"), self.date_edit)

        self.large_check = QCheckBox(self.tr("100人規模の会場"), self)
        self.large_check.setObjectName("start-large")
        form.addRow("", self.large_check)

        self.staff_spin = QSpinBox(self)
        self.staff_spin.setObjectName("start-staff")
        self.staff_spin.setRange(1, 99)
        self.staff_spin.setValue(1)
        self.staff_spin.setSuffix(self.tr(" 名"))
        self.staff_spin.setMinimumHeight(36)
        form.addRow(self.tr("従事者数"), self.staff_spin)
        column.addWidget(form_box)

        self.open_button = QPushButton(self.tr("開始する"), self)
        self.open_button.setObjectName("start-open")
        self.open_button.setProperty("role", "primary")
        self.open_button.setMinimumHeight(52)
        self.open_button.clicked.connect(self._request_open)
        self.open_button.setEnabled(bool(profiles))
        column.addWidget(self.open_button)
        column.addStretch(1)

        self.profile_box.currentIndexChanged.connect(self._fill_kinds)
        self.muni_box.currentTextChanged.connect(self._update_region)
        self._fill_kinds()
        self._update_region()

    # ---- form -----------------------------------------------------------------
    def _fill_kinds(self) -> None:
        self.kind_box.clear()
        key = self.profile_box.currentData()
        if key is None:
            return
        for k in get_profile(key).opening_kinds:
            self.kind_box.addItem(k.label(self.lang), k.key)

    def municipality(self) -> str:
        """The canonical name for what was typed or picked (塩釜市 → 塩竈市), or the
        text as typed so the domain can refuse it with its own message."""
        text = self.muni_box.currentText().strip()
        idx = self.muni_box.findText(text, Qt.MatchFlag.MatchFixedString)
        if idx >= 0:
            return self.muni_box.itemData(idx)
        try:
            return refdata.find_municipality(text).key
        except MadoguchiError:
            return text

    def _update_region(self) -> None:
        text = self.municipality()
        try:
            self.region_label.setText(refdata.region_of(text).label(self.lang))
        except MadoguchiError:
            self.region_label.setText(self.tr("—（市町村を選ぶと表示されます）"))

    def fields(self) -> dict:
        d = self.date_edit.date()
        return {
            "profile": self.profile_box.currentData(),
            "kind": self.kind_box.currentData() or "",
            "venue": self.venue_edit.text(),
            "municipality": self.municipality(),
            "date": date(d.year(), d.month(), d.day()),
            "large": self.large_check.isChecked(),
            "staff": self.staff_spin.value(),
        }

    def restore(self, fields: dict) -> None:
        """Carry typed values over when the page is rebuilt (language switch)."""
        self.profile_box.setCurrentIndex(max(0, self.profile_box.findData(fields["profile"])))
        self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(fields["kind"])))
        self.venue_edit.setText(fields["venue"])
        idx = self.muni_box.findData(fields["municipality"])
        if idx >= 0:
            self.muni_box.setCurrentIndex(idx)
        else:
            self.muni_box.setEditText(fields["municipality"])
        d = fields["date"]
        self.date_edit.setDate(QDate(d.year, d.month, d.day))
        self.large_check.setChecked(fields["large"])
        self.staff_spin.setValue(fields["staff"])

    def _request_open(self) -> None:
        self.open_requested.emit(self.fields())

    def set_busy(self, busy: bool) -> None:
        self.open_button.setEnabled(not busy and self.profile_box.count() > 0)
        for b in self.resume_buttons.values():
            b.setEnabled(not busy)

    # ---- resume ---------------------------------------------------------------
    def set_resumable(self, openings: list[Opening]) -> None:
        for b in self.resume_buttons.values():
            b.deleteLater()
        self.resume_buttons.clear()
        bold = QFont(self.font())
        bold.setBold(True)
        button_metrics = QFontMetrics(bold)
        for o in openings:
            try:
                profile = get_profile(o.profile)
                kind = profile.kind(o.kind).label(self.lang)
            except (MadoguchiError, KeyError):
                kind = o.kind
            text = self.tr("再開：{venue}　{municipality}　{kind}（{time} 開始）").format(
                venue=o.venue, municipality=municipality_label(o.municipality, self.lang), kind=kind, time=o.opened_at[11:16])
            # Venue names can be long: elide on the button, full text as a tooltip.
            shown = button_metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, FORM_WIDTH - 60)
            button = QPushButton(shown, self.resume_box)
            button.setToolTip(text)
            button.setObjectName(f"resume-{o.id}")
            button.setMinimumHeight(48)
            button.setProperty("role", "primary")
            button.clicked.connect(lambda _=False, oid=o.id: self.resume_requested.emit(oid))
            self.resume_layout.addWidget(button)
            self.resume_buttons[o.id] = button
        self.resume_box.setVisible(bool(openings))
