"""Small pieces every QR dialog and panel shares: how a refusal reads, the
Cancel / OK row, a touch-sized action button, the red error line and the
fixed-width font codes are typed in.

It imports no other ui.qr_* module, so all of them (the scanner threads too)
can use it without an import cycle."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QBoxLayout, QDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from app.errors import MadoguchiError

IMAGE_FILTER = "画像 / Images (*.png *.jpg *.jpeg *.bmp *.webp)"
ERROR_STYLE = "color: #b71c1c; font-weight: bold;"


def error_text(exc: BaseException, lang: str) -> str:
    if isinstance(exc, MadoguchiError):
        return exc.message(lang)
    return QCoreApplication.translate("QrBoard", "予期しないエラーが発生しました（{name}）。").format(
        name=type(exc).__name__)


def mono_font(size: int = 14, bold: bool = False) -> QFont:
    """The system's fixed-width font: codes are read out and typed, so every
    character stands apart (0 and O, 1 and I)."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSize(size)
    if bold:
        font.setWeight(QFont.Weight.Bold)
    return font


def action_button(parent: QWidget, name: str, slot: Callable[[], None] | None, layout: QBoxLayout | None = None,
                  text: str = "", height: int = 40) -> QPushButton:
    """A button large enough for a hurried finger or trackpad, named for the tests
    and the stylesheet; added to `layout` when given (a grid places its own)."""
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setMinimumHeight(height)
    if slot is not None:
        button.clicked.connect(slot)
    if layout is not None:
        layout.addWidget(button)
    return button


def error_line(parent: QWidget, name: str) -> QLabel:
    """Where a dialog says why its request was refused: red, and wrapped, since
    the messages are whole sentences."""
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    return label


def buttons(parent: QDialog, ok_text: str, ok_name: str) -> tuple[QHBoxLayout, QPushButton]:
    """Cancel / OK at the bottom right. OK does not close the dialog: the board
    closes it once the request is committed, or shows the refusal in it."""
    row = QHBoxLayout()
    row.addStretch(1)
    action_button(parent, "qr-dialog-cancel", parent.reject, row,
                  text=QCoreApplication.translate("QrDialogs", "キャンセル"), height=44)
    ok = action_button(parent, ok_name, None, row, text=ok_text, height=44)
    ok.setProperty("role", "primary")
    ok.setDefault(True)
    return row, ok
