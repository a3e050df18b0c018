"""The privacy hint and the refusal message under a reason (or name) field.

Reasons and the confirming supervisor's name sync to the office, so each field says
what must not go in it, and the dialog checks the text with the domain's own screen
(app.reason_screen, a pure function: no store, no SQL) before it closes. A refused
text keeps the dialog open with everything typed still there and the message right
under the field, so the staff can rewrite it instead of typing it all again.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QBoxLayout, QLabel, QLineEdit, QWidget

from app.errors import MadoguchiError

ERROR_STYLE = "color:#b71c1c;font-weight:bold;"


def reason_hint() -> str:
    return QCoreApplication.translate("ReasonInput", "個人を特定する情報（氏名・番号・連絡先）は書かないでください")


def name_hint() -> str:
    return QCoreApplication.translate(
        "ReasonInput", "日次報告書に載る現場責任者の氏名だけを書いてください（電話番号などは書かないでください）")


class ScreenedField:
    """Adds a hint and a (hidden) error line below `edit` in `layout`. `check()` runs
    `screen` on the text: True when it passes; otherwise the message is shown in
    `lang` and the field keeps its text and the focus."""

    def __init__(self, edit: QLineEdit, layout: QBoxLayout, screen: Callable[[str], str],
                 lang: str, hint: str, parent: QWidget) -> None:
        self.edit, self.screen, self.lang = edit, screen, lang
        self.hint = QLabel(hint, parent)
        self.hint.setObjectName("reason-hint")
        self.hint.setProperty("role", "muted")
        self.hint.setWordWrap(True)
        edit.setToolTip(hint)
        self.error = QLabel(parent)
        self.error.setObjectName("reason-error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        at = layout.indexOf(edit) + 1
        layout.insertWidget(at, self.hint)
        layout.insertWidget(at + 1, self.error)
        edit.textEdited.connect(lambda _text: self.error.hide())  # rewriting clears it

    def check(self) -> bool:
        try:
            self.screen(self.edit.text())
        except MadoguchiError as exc:
            self.error.setText(exc.message(self.lang))
            self.error.show()
            self.edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        self.error.hide()
        return True
