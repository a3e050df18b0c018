"""Reading a code of the distribution day on the receiving laptop: a join code
(PV1-…), a transfer code (PT1-…) or a return code (PR1-…), by camera, image
file or typing. The reading itself (camera thread, image decoding) is the
shared CodeReaderDialog's (ui/qr_scan.py); this dialog holds the typed text
and emits `submitted(text, action)` for the points panel to act on."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.qr_common import ERROR_STYLE, action_button, buttons, error_text, mono_font
from ui.qr_scan import CodeReaderDialog

_TAGS = {"join": "PV", "transfer": "PT", "return": "PR"}  # what each kind's code starts with


class ScanCodeDialog(CodeReaderDialog):
    """Read one code: camera, image file, or typed. `submitted(text, action)`."""

    submitted = Signal(str, str)

    def __init__(self, kind: str, lang: str, laptop: str, camera_config=None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind, self.lang = kind, lang
        title, explanation, primary = self.texts(kind)
        self.tag = _TAGS[kind]
        self.setObjectName(f"qr-scan-{kind}")
        self.setWindowTitle(title)
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        info = QLabel(explanation, self)
        info.setWordWrap(True)
        layout.addWidget(info)
        me = QLabel(self.tr("この端末のコード：{code}").format(code=laptop), self)
        me.setObjectName("qr-scan-laptop")
        me.setFont(mono_font(16))
        layout.addWidget(me)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("qr-scan-text")
        self.edit.setFont(mono_font(13))
        self.edit.setPlaceholderText(f"{self.tag}1-XXXXX-XXXXX-…")
        layout.addWidget(self.edit)
        row = QHBoxLayout()
        self.camera_config = camera_config
        self.camera_button = action_button(self, "qr-scan-camera", self.start_camera, row,
                                           text=self.tr("カメラで読み取る"))
        self.camera_button.setVisible(camera_config is not None)
        self._image_button("qr-scan-image", row)
        row.addStretch(1)
        layout.addLayout(row)
        self.status.setObjectName("qr-scan-status")
        layout.addWidget(self.status)
        self.void_button = None
        if kind == "transfer":
            self.void_button = action_button(self, "qr-scan-void", lambda: self._submit("void"), layout,
                                             text=self.tr("受け取らずに返却コードを表示（期限切れのときなど）"))
        buttons_row, self.ok_button = buttons(self, primary, "qr-scan-ok")
        self.ok_button.clicked.connect(lambda: self._submit(kind))
        layout.addLayout(buttons_row)
        self.edit.textChanged.connect(self._changed)
        self._changed("")

    def texts(self, kind: str) -> tuple[str, str, str]:
        """(title, what to do, primary button) of each kind of code."""
        if kind == "join":
            return (self.tr("参加コードを読み取る"),
                    self.tr("代表端末に表示された参加コード（PV1-…）を読み取るか入力してください。"
                            "代表端末には、下の「この端末のコード」を伝えてください。"),
                    self.tr("参加する"))
        if kind == "transfer":
            return (self.tr("譲渡コードを受け取る"),
                    self.tr("ほかの端末に表示された譲渡コード（PT1-…）を読み取るか入力してください。"
                            "配布枠が増えるのは1回だけです。"),
                    self.tr("受け取る"))
        return (self.tr("返却コードを読み取る"),
                self.tr("受け取り側の端末に表示された返却コード（PR1-…）を読み取るか入力してください。"
                        "譲った配布枠がこの端末に戻ります。"),
                self.tr("読み取る"))

    def _changed(self, text: str) -> None:
        ok = bool(text.strip())
        self.ok_button.setEnabled(ok)
        if self.void_button is not None:
            self.void_button.setEnabled(ok)

    def text(self) -> str:
        return self.edit.text().strip()

    def _submit(self, action: str) -> None:
        self.stop_camera()
        self.ok_button.setEnabled(False)
        self.status.setText(self.tr("確認しています…"))
        self.submitted.emit(self.text(), action)

    def show_error(self, exc: BaseException) -> None:
        self._changed(self.edit.text())
        self.status.setText(error_text(exc, self.lang))
        self.status.setStyleSheet(ERROR_STYLE)

    # ---- camera and image --------------------------------------------------------
    def start_camera(self) -> None:
        if self.camera_config is None:
            return
        # Only this kind's codes: another code in view (a visitor's URL) is not read.
        self._start_scanner(self.camera_config, lambda text: text.strip().upper().startswith(self.tag))
        self.camera_button.setEnabled(False)

    def stop_camera(self) -> None:
        super().stop_camera()
        self.camera_button.setEnabled(True)

    def _code_seen(self, text: str) -> None:
        self.camera_button.setEnabled(True)
        self.edit.setText(text)
        self._submit(self.kind)  # seen by the camera: no need to press OK as well

    def _camera_failed(self, exc: BaseException) -> None:
        self.camera_button.setEnabled(True)
        self.show_error(exc)

    def _image_read(self, texts: list[str]) -> None:
        self.edit.setText(texts[0])
        self.status.setText(self.tr("画像から読み取りました。"))

    def _image_failed(self, exc: BaseException) -> None:
        self.show_error(exc)
