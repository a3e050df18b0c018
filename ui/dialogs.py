"""Small dialogs the board opens: a reason, a quick dimension chooser and a
correction. All are shown with open() (window-modal, non-blocking) so the event
loop, and the worker's results, keep flowing while they are up."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QVBoxLayout, QWidget)

from app.profiles import Profile
from app.reason_screen import REASON_MAX, screen_reason
from app.tallies import Tally
from ui.dimension_picker import DimensionPicker
from ui.labels import counter_label, with_dims
from ui.reason_input import ScreenedField, reason_hint


def button_row(parent: QWidget, ok_text: str, ok_name: str) -> tuple[QHBoxLayout, QPushButton, QPushButton]:
    row = QHBoxLayout()
    row.addStretch(1)
    cancel = QPushButton(QCoreApplication.translate("Dialogs", "キャンセル"), parent)
    cancel.setObjectName("dialog-cancel")
    cancel.setMinimumHeight(44)
    cancel.clicked.connect(parent.reject)
    ok = QPushButton(ok_text, parent)
    ok.setObjectName(ok_name)
    ok.setProperty("role", "primary")
    ok.setMinimumHeight(44)
    ok.setDefault(True)
    ok.clicked.connect(parent.accept)
    row.addWidget(cancel)
    row.addWidget(ok)
    return row, ok, cancel


class ReasonDialog(QDialog):
    """Asks why: for an undo from the history, a correction, or any change after the
    day was closed (an amendment)."""

    def __init__(self, title: str, prompt: str, parent: QWidget | None = None, *, lang: str = "ja") -> None:
        super().__init__(parent)
        self.setObjectName("reason-dialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        label = QLabel(prompt, self)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("reason-edit")
        self.edit.setMaxLength(REASON_MAX)
        self.edit.setPlaceholderText(self.tr("例：押し間違い"))
        layout.addWidget(self.edit)
        self.screened = ScreenedField(self.edit, layout, screen_reason, lang, reason_hint(), self)
        row, self.ok_button, _ = button_row(self, self.tr("OK"), "reason-ok")
        layout.addLayout(row)
        self.edit.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text.strip())))
        self.ok_button.setEnabled(False)

    def accept(self) -> None:
        """Closes only with a reason that may leave the laptop; otherwise stays open
        with the text kept and the message under the field."""
        if self.screened.check():
            super().accept()

    def reason(self) -> str:
        return self.edit.text().strip()


class DimensionChooser(QDialog):
    """Tapping a counter that has dimensions: one tap per dimension, and the last tap
    records, so a 2-dimension counter costs two taps."""

    def __init__(self, profile: Profile, counter_key: str, lang: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dimension-chooser")
        self.counter_key = counter_key
        self.setWindowTitle(counter_label(profile, counter_key, lang))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        title = QLabel(counter_label(profile, counter_key, lang), self)
        title.setProperty("role", "header")
        title.setWordWrap(True)
        layout.addWidget(title)
        self.picker = DimensionPicker(profile, profile.counter(counter_key).dimensions, lang, 540, self)
        self.picker.changed.connect(self._maybe_done)
        layout.addWidget(self.picker)
        row = QHBoxLayout()
        row.addStretch(1)
        cancel = QPushButton(QCoreApplication.translate("Dialogs", "キャンセル"), self)
        cancel.setObjectName("dialog-cancel")
        cancel.setMinimumHeight(44)
        cancel.clicked.connect(self.reject)
        row.addWidget(cancel)
        layout.addLayout(row)

    def _maybe_done(self) -> None:
        if not self.picker.missing():
            self.accept()

    def values(self) -> dict[str, str]:
        return self.picker.values()


class CorrectionDialog(QDialog):
    """Replace one earlier tap by another counter and/or other dimension values."""

    def __init__(self, profile: Profile, tally: Tally, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("correction-dialog")
        self.profile, self.tally, self.lang = profile, tally, lang
        self.setWindowTitle(self.tr("記録の訂正"))
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("記録の訂正"), self)
        title.setProperty("role", "header")
        layout.addWidget(title)
        original = with_dims(profile, tally.counter, tally.dims, lang)
        label = QLabel(self.tr("訂正前：{time} {what}").format(time=tally.device_time[11:16], what=original), self)
        label.setWordWrap(True)
        layout.addWidget(label)
        layout.addWidget(QLabel(self.tr("正しいカウンター"), self))
        self.counter_box = QComboBox(self)
        self.counter_box.setObjectName("correct-counter")
        for c in profile.counters:
            self.counter_box.addItem(c.label(lang), c.key)
        self.counter_box.setCurrentIndex(max(0, self.counter_box.findData(tally.counter)))
        layout.addWidget(self.counter_box)
        self.picker_holder = QVBoxLayout()
        layout.addLayout(self.picker_holder)
        self.picker: DimensionPicker | None = None
        layout.addWidget(QLabel(self.tr("訂正の理由"), self))
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("reason-edit")
        self.reason_edit.setMaxLength(REASON_MAX)
        self.reason_edit.setPlaceholderText(self.tr("例：年代の押し間違い"))
        layout.addWidget(self.reason_edit)
        self.screened = ScreenedField(self.reason_edit, layout, screen_reason, lang, reason_hint(), self)
        row, self.ok_button, _ = button_row(self, self.tr("訂正する"), "correct-ok")
        layout.addLayout(row)
        self.counter_box.currentIndexChanged.connect(self._rebuild_picker)
        self.reason_edit.textChanged.connect(self._update)
        self._rebuild_picker()

    def _rebuild_picker(self) -> None:
        if self.picker is not None:
            self.picker.setParent(None)
            self.picker.deleteLater()
        dims = self.profile.counter(self.counter()).dimensions
        self.picker = DimensionPicker(self.profile, dims, self.lang, 580, self)
        self.picker.set_values(self.tally.dims)
        self.picker.changed.connect(self._update)
        self.picker_holder.addWidget(self.picker)
        self._update()

    def _update(self) -> None:
        changed = self.counter() != self.tally.counter or self.dims() != self.tally.dims
        self.ok_button.setEnabled(bool(self.reason()) and not self.picker.missing() and changed)

    def accept(self) -> None:
        if self.screened.check():  # a refused reason keeps the dialog and the choices
            super().accept()

    def counter(self) -> str:
        return self.counter_box.currentData()

    def dims(self) -> dict[str, str]:
        return self.picker.values() if self.picker is not None else {}

    def reason(self) -> str:
        return self.reason_edit.text().strip()


def focus_first_edit(dialog: QDialog) -> None:
    edit = dialog.findChild(QLineEdit)
    if edit is not None:
        edit.setFocus(Qt.FocusReason.OtherFocusReason)
