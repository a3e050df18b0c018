"""Dialogs of the QR board: add a code to show visitors, and show a code (join,
transfer or return code) large enough to scan from another laptop's camera, with
the same text grouped for reading out and typing."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFileDialog, QHBoxLayout, QLabel, QLineEdit,
                               QVBoxLayout, QWidget)

from app.errors import MadoguchiError
from app.qrcodes.sources import CAPTION_LIMIT, SUGGESTED_CAPTIONS
from ui.qr_common import IMAGE_FILTER, action_button, buttons, error_text, mono_font
from ui.qr_scan import decode_file_in_background
from ui.qr_widget import QrView


class AddSourceDialog(QDialog):
    """A code for the visitor display: caption plus text/URL typed or pasted, or
    read from an image of the organiser's code (decoded off the UI thread)."""

    submitted = Signal(dict)

    def __init__(self, lang: str, capped: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.setObjectName("qr-add-source")
        self.setWindowTitle(self.tr("来場者に見せる QR コードを追加"))
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        self.points_check = QCheckBox(self.tr("ポイント配布用の二次元コード（上限に達したら表示をやめる）"), self)
        self.points_check.setObjectName("qr-purpose-points")
        self.points_check.setVisible(capped)
        self.points_check.toggled.connect(self._suggest)
        layout.addWidget(self.points_check)
        layout.addWidget(QLabel(self.tr("来場者向けの説明（キャプション）"), self))
        self.caption = QComboBox(self)
        self.caption.setObjectName("qr-caption")
        self.caption.setEditable(True)
        self.caption.lineEdit().setMaxLength(CAPTION_LIMIT)
        layout.addWidget(self.caption)
        layout.addWidget(QLabel(self.tr("QR コードにする URL・文字列（入力か貼り付け）"), self))
        row = QHBoxLayout()
        self.text = QLineEdit(self)
        self.text.setObjectName("qr-text")
        self.text.setPlaceholderText("https://")
        row.addWidget(self.text, 1)
        self.image_button = action_button(self, "qr-from-image", self.choose_image, row,
                                          text=self.tr("画像から読み取る…"))
        layout.addLayout(row)
        self.status = QLabel(self)
        self.status.setObjectName("qr-add-status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.preview = QrView(self)
        self.preview.setMinimumSize(220, 220)
        layout.addWidget(self.preview, 1)
        self.origin = "typed"
        row, self.ok_button = buttons(self, self.tr("追加"), "qr-add-ok")
        self.ok_button.clicked.connect(self._submit)
        layout.addLayout(row)
        self.text.textChanged.connect(self._text_changed)
        # Typing or pasting makes it a typed code; text read from an image stays "image".
        self.text.textEdited.connect(lambda _text: setattr(self, "origin", "typed"))
        self._suggest(False)
        self._text_changed("")

    def _suggest(self, points: bool) -> None:
        current = self.caption.currentText()
        self.caption.clear()
        self.caption.addItems(SUGGESTED_CAPTIONS["points" if points else "info"])
        if current and current not in sum(SUGGESTED_CAPTIONS.values(), []):
            self.caption.setEditText(current)

    def _text_changed(self, text: str) -> None:
        try:
            self.preview.set_text(text.strip() or None)
            self.status.setText("")
        except MadoguchiError as exc:
            self.preview.set_text(None)
            self.status.setText(exc.message(self.lang))
        self.ok_button.setEnabled(bool(text.strip()) and self.preview.text() is not None)

    def choose_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("主催者の QR コード画像を選ぶ"), "", IMAGE_FILTER)
        if path:
            self.read_image(path)

    def read_image(self, path: str) -> None:
        """Decode off the UI thread; the text box shows what was read (re-drawn crisp)."""
        self.status.setText(self.tr("画像を読み取っています…"))
        self.image_button.setEnabled(False)
        decode_file_in_background(path, self._decoded, self._decode_failed, self)

    def _decoded(self, texts: list[str]) -> None:
        self.image_button.setEnabled(True)
        self.text.setText(texts[0])
        self.origin = "image"
        self.status.setText(self.tr("画像から読み取りました。内容を確認してください。"))

    def _decode_failed(self, exc: BaseException) -> None:
        self.image_button.setEnabled(True)
        self.status.setText(error_text(exc, self.lang))

    def show_error(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        self.status.setText(error_text(exc, self.lang))

    def values(self) -> dict:
        return {"caption": self.caption.currentText().strip(), "text": self.text.text().strip(),
                "origin": self.origin, "purpose": "points" if self.points_check.isChecked() else "info"}

    def _submit(self) -> None:
        self.ok_button.setEnabled(False)
        self.submitted.emit(self.values())


class ShowCodeDialog(QDialog):
    """A code as a large QR and as grouped text, with what to do with it."""

    def __init__(self, title: str, code: str, explanation: str, lang: str,
                 parent: QWidget | None = None, details: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("qr-show-code")
        self.setWindowTitle(title)
        self.setMinimumSize(560, 680)
        layout = QVBoxLayout(self)
        # What the code is worth and until when (a transfer code), large: the staff
        # read it out to the other laptop's staff.
        self.details = QLabel(details, self)
        self.details.setObjectName("qr-show-details")
        self.details.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.details.setWordWrap(True)
        big = QFont(self.details.font())
        big.setPointSize(16)
        big.setBold(True)
        self.details.setFont(big)
        self.details.setStyleSheet("color: #0b5394;")
        self.details.setVisible(bool(details))
        layout.addWidget(self.details)
        info = QLabel(explanation, self)
        info.setObjectName("qr-show-explanation")
        info.setWordWrap(True)
        layout.addWidget(info)
        self.qr = QrView(self)
        self.qr.set_text(code)
        self.qr.setMinimumSize(420, 420)
        layout.addWidget(self.qr, 1)
        self.code_label = QLabel(code, self)
        self.code_label.setObjectName("qr-show-text")
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label.setWordWrap(True)
        self.code_label.setFont(mono_font(15, bold=True))
        layout.addWidget(self.code_label)
        action_button(self, "qr-show-close", self.accept, layout, text=self.tr("閉じる"), height=44)

    def code(self) -> str:
        return self.qr.text() or ""
