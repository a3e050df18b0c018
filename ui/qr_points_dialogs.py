"""Dialogs for the distribution day: set it up on the lead laptop (split the cap
into allotments), read a join/transfer/return code (camera, image file or typed),
and hand part of this laptop's allotment to another laptop.

The dialogs collect input and emit `submitted`; the board runs the domain call on
the store worker and either closes the dialog (done) or shows the refusal in it,
so a mistyped code can be corrected without starting over."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (QComboBox, QDialog, QFileDialog, QGridLayout, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from app.points import PointsStatus
from ui.qr_dialogs import IMAGE_FILTER, buttons, error_text
from ui.qr_scan import CameraScanner, decode_file_in_background

MAX_LAPTOPS = 15


def mono_font(size: int = 14) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSize(size)
    return font


class SetupDayDialog(QDialog):
    """Split the day's cap between this laptop, the other laptops (by their
    laptop code) and, optionally, the hub's reserve."""

    submitted = Signal(dict)

    def __init__(self, lang: str, cap: int, me: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang, self.cap, self.me = lang, cap, me
        self.setObjectName("qr-setup-day")
        self.setWindowTitle(self.tr("配布日の設定（代表端末）"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("本日の上限 {cap} 名を、この会場で使う端末に割り振ります。"
                               "ほかの端末の「この端末のコード」を入力してください。"
                               "割り振りは後から譲渡コードで移せます。").format(cap=f"{cap:,}"), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        # Two "lead" laptops at one venue would each split the whole cap: say so
        # before anything is set up (online, the hub also refuses the second one).
        self.one_lead = QLabel(self.tr(
            "⚠ 配布日の設定は、1つの会場・日付につき1台（代表端末）だけで行ってください。"
            "ほかの端末でも設定すると、上限が2倍になってしまいます。"
            "ほかの端末は、このあと表示される参加コードを読み取ります。"), self)
        self.one_lead.setObjectName("qr-setup-one-lead")
        self.one_lead.setWordWrap(True)
        self.one_lead.setStyleSheet("color: #8a4b00; font-weight: bold; background: #fff4e0;"
                                    " border: 1px solid #e0a040; border-radius: 4px; padding: 6px;")
        layout.addWidget(self.one_lead)
        self.grid = QGridLayout()
        layout.addLayout(self.grid)
        self.rows: list[tuple[QLineEdit | None, QSpinBox, QWidget]] = []
        self.hub_spin = QSpinBox(self)
        self.hub_spin.setObjectName("qr-setup-hub")
        self.hub_spin.setRange(0, cap)
        self.total_label = QLabel(self)
        self.total_label.setObjectName("qr-setup-total")
        self._add_row(me, cap)
        add = QPushButton(self.tr("＋ 端末を追加"), self)
        add.setObjectName("qr-setup-add-laptop")
        add.clicked.connect(lambda: self._add_row("", 0))
        even = QPushButton(self.tr("均等に分ける"), self)
        even.setObjectName("qr-setup-even")
        even.clicked.connect(self.split_evenly)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(even)
        row.addStretch(1)
        layout.addLayout(row)
        hub_row = QHBoxLayout()
        hub_row.addWidget(QLabel(self.tr("ハブ（オンライン時に各端末へ配る）に預ける数"), self))
        self.hub_spin.valueChanged.connect(self._update_total)
        hub_row.addWidget(self.hub_spin)
        layout.addLayout(hub_row)
        layout.addWidget(self.total_label)
        self.error = QLabel(self)
        self.error.setObjectName("qr-setup-error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b71c1c; font-weight: bold;")
        layout.addWidget(self.error)
        buttons_row, self.ok_button = buttons(self, self.tr("設定して参加コードを表示"), "qr-setup-ok")
        self.ok_button.clicked.connect(self._submit)
        layout.addLayout(buttons_row)
        self._update_total()
    def _add_row(self, code: str, count: int) -> None:
        if len(self.rows) >= MAX_LAPTOPS:
            return
        r = len(self.rows)
        if code == self.me:
            label = QLabel(self.tr("この端末（{code}）").format(code=code), self)
            edit = None
            self.grid.addWidget(label, r, 0)
        else:
            edit = QLineEdit(code, self)
            edit.setObjectName(f"qr-setup-code-{r}")
            edit.setPlaceholderText(self.tr("端末コード（例：K7Q-M2X）"))
            edit.setFont(mono_font(12))
            self.grid.addWidget(edit, r, 0)
            label = edit
        spin = QSpinBox(self)
        spin.setObjectName(f"qr-setup-count-{r}")
        spin.setRange(0, self.cap)
        spin.setValue(count)
        spin.setSuffix(self.tr(" 名"))
        spin.valueChanged.connect(self._update_total)
        self.grid.addWidget(spin, r, 1)
        self.rows.append((edit, spin, label))
        self._update_total()

    def split_evenly(self) -> None:
        share = (self.cap - self.hub_spin.value()) // len(self.rows)
        rest = (self.cap - self.hub_spin.value()) - share * len(self.rows)
        for i, (_edit, spin, _label) in enumerate(self.rows):
            spin.setValue(share + (1 if i < rest else 0))

    def allotments(self) -> dict[str, int]:
        """{laptop code: count}; rows without a code are left out."""
        out: dict[str, int] = {}
        for edit, spin, _label in self.rows:
            code = self.me if edit is None else edit.text().strip()
            if code:
                out[code] = spin.value()
        return out

    def _duplicate(self) -> str | None:
        seen: set[str] = set()
        for edit, _spin, _label in self.rows:
            code = self.me if edit is None else edit.text().strip()
            key = code.upper().replace("-", "").replace(" ", "")
            if key and key in seen:
                return code
            seen.add(key)
        return None

    def _total(self) -> int:
        return sum(spin.value() for _e, spin, _l in self.rows) + self.hub_spin.value()

    def _update_total(self) -> None:
        total = self._total()
        self.total_label.setText(self.tr("割り振り合計 {total} / 上限 {cap}（未割り当て {rest}）").format(
            total=f"{total:,}", cap=f"{self.cap:,}", rest=f"{self.cap - total:,}"))
        over = total > self.cap
        self.total_label.setStyleSheet("color: #b71c1c; font-weight: bold;" if over else "")
        if hasattr(self, "ok_button"):
            self.ok_button.setEnabled(not over)

    def show_error(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        self.error.setText(error_text(exc, self.lang))

    def _submit(self) -> None:
        twice = self._duplicate()
        if twice:
            self.error.setText(self.tr("端末コード {code} が二度入力されています。").format(code=twice))
            return
        self.ok_button.setEnabled(False)
        self.error.setText("")
        self.submitted.emit({"allotments": self.allotments(), "hub_reserve": self.hub_spin.value()})


_TAGS = {"join": "PV", "transfer": "PT", "return": "PR"}  # what each kind's code starts with


class ScanCodeDialog(QDialog):
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
        self.scanner: CameraScanner | None = None
        self.camera_button = QPushButton(self.tr("カメラで読み取る"), self)
        self.camera_button.setObjectName("qr-scan-camera")
        self.camera_button.setMinimumHeight(40)
        self.camera_button.setVisible(camera_config is not None)
        self.camera_config = camera_config
        self.camera_button.clicked.connect(self.start_camera)
        row.addWidget(self.camera_button)
        image = QPushButton(self.tr("画像ファイルから読み取る…"), self)
        image.setObjectName("qr-scan-image")
        image.setMinimumHeight(40)
        image.clicked.connect(self.choose_image)
        row.addWidget(image)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = QLabel(self)
        self.status.setObjectName("qr-scan-status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.void_button = None
        if kind == "transfer":
            self.void_button = QPushButton(self.tr("受け取らずに返却コードを表示（期限切れのときなど）"), self)
            self.void_button.setObjectName("qr-scan-void")
            self.void_button.setMinimumHeight(40)
            self.void_button.clicked.connect(lambda: self._submit("void"))
            layout.addWidget(self.void_button)
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
        self.status.setStyleSheet("color: #b71c1c; font-weight: bold;")

    # ---- camera and image --------------------------------------------------------
    def start_camera(self) -> None:
        if self.camera_config is None:
            return
        if self.scanner is None:
            self.scanner = CameraScanner(self.camera_config,
                                         lambda text: text.strip().upper().startswith(self.tag), self)
            self.scanner.found.connect(self._camera_found)
            self.scanner.failed.connect(self._camera_failed)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("カメラにコードを向けてください…"))
        self.camera_button.setEnabled(False)
        self.scanner.start()

    def stop_camera(self) -> None:
        if self.scanner is not None:
            self.scanner.stop()
        self.camera_button.setEnabled(True)

    def _camera_found(self, text: str) -> None:
        self.camera_button.setEnabled(True)
        self.edit.setText(text)
        self._submit(self.kind)

    def _camera_failed(self, exc: BaseException) -> None:
        self.camera_button.setEnabled(True)
        self.show_error(exc)

    def choose_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("コードの画像を選ぶ"), "", IMAGE_FILTER)
        if path:
            self.read_image(path)

    def read_image(self, path: str) -> None:
        self.status.setStyleSheet("")
        self.status.setText(self.tr("画像を読み取っています…"))
        decode_file_in_background(path, self._image_read, self.show_error, self)

    def _image_read(self, texts: list[str]) -> None:
        self.edit.setText(texts[0])
        self.status.setText(self.tr("画像から読み取りました。"))

    def done(self, result: int) -> None:  # noqa: D401 - Qt override: stop the camera on close
        self.stop_camera()
        super().done(result)


class IssueTransferDialog(QDialog):
    """Hand part of this laptop's allotment to another laptop of the day."""

    submitted = Signal(dict)

    def __init__(self, lang: str, status: PointsStatus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.setObjectName("qr-issue-transfer")
        self.setWindowTitle(self.tr("配布枠を譲る"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        info = QLabel(self.tr("この端末の残り {available} 名のうち、指定した数をほかの端末に譲ります。"
                              "コードを表示した時点でこの端末の残りが減り、受け取った端末で1回だけ増えます。").format(
            available=f"{status.available:,}"), self)
        info.setWordWrap(True)
        layout.addWidget(info)
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("受け取る端末のコード"), self), 0, 0)
        self.recipient = QComboBox(self)
        self.recipient.setObjectName("qr-issue-recipient")
        self.recipient.setEditable(True)
        self.recipient.setFont(mono_font(13))
        self.recipient.addItems([c for c in status.roster if c != status.laptop])
        grid.addWidget(self.recipient, 0, 1)
        grid.addWidget(QLabel(self.tr("譲る数"), self), 1, 0)
        self.count = QSpinBox(self)
        self.count.setObjectName("qr-issue-count")
        self.count.setRange(1, max(1, status.available))
        self.count.setValue(max(1, min(100, status.available)))
        self.count.setSuffix(self.tr(" 名"))
        grid.addWidget(self.count, 1, 1)
        grid.addWidget(QLabel(self.tr("有効期限"), self), 2, 0)
        self.valid = QSpinBox(self)
        self.valid.setObjectName("qr-issue-valid")
        self.valid.setRange(5, 240)
        self.valid.setValue(15)
        self.valid.setSuffix(self.tr(" 分"))
        grid.addWidget(self.valid, 2, 1)
        layout.addLayout(grid)
        self.error = QLabel(self)
        self.error.setObjectName("qr-issue-error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b71c1c; font-weight: bold;")
        layout.addWidget(self.error)
        row, self.ok_button = buttons(self, self.tr("譲渡コードを表示"), "qr-issue-ok")
        self.ok_button.setEnabled(status.available > 0)
        self.ok_button.clicked.connect(self._submit)
        layout.addLayout(row)

    def show_error(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        self.error.setText(error_text(exc, self.lang))

    def _submit(self) -> None:
        self.ok_button.setEnabled(False)
        self.submitted.emit({"recipient": self.recipient.currentText().strip(),
                             "count": self.count.value(), "valid_min": self.valid.value()})


class HubDrawDialog(QDialog):
    """How many grants to take from the hub's reserve (online)."""

    submitted = Signal(int)

    def __init__(self, lang: str, status: PointsStatus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.setObjectName("qr-hub-draw")
        self.setWindowTitle(self.tr("ハブから配布枠を受け取る"))
        layout = QVBoxLayout(self)
        info = QLabel(self.tr("オンラインのとき、ハブに預けた配布枠（{reserve} 名）から、この端末に配布枠を受け取ります。").format(
            reserve=f"{status.hub_reserve:,}"), self)
        info.setWordWrap(True)
        layout.addWidget(info)
        self.count = QSpinBox(self)
        self.count.setObjectName("qr-hub-count")
        self.count.setRange(1, max(1, status.hub_reserve))
        self.count.setValue(max(1, min(200, status.hub_reserve)))
        self.count.setSuffix(self.tr(" 名"))
        layout.addWidget(self.count)
        self.error = QLabel(self)
        self.error.setObjectName("qr-hub-error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b71c1c; font-weight: bold;")
        layout.addWidget(self.error)
        row, self.ok_button = buttons(self, self.tr("受け取る"), "qr-hub-ok")
        self.ok_button.clicked.connect(self._submit)
        layout.addLayout(row)

    def show_error(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        self.error.setText(error_text(exc, self.lang))

    def _submit(self) -> None:
        self.ok_button.setEnabled(False)
        self.error.setText(self.tr("ハブに問い合わせています…"))
        self.submitted.emit(self.count.value())


class HubReleaseDialog(QDialog):
    """How many grants to give back to the hub's reserve (online)."""

    submitted = Signal(int)

    def __init__(self, lang: str, status: PointsStatus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.setObjectName("qr-hub-release")
        self.setWindowTitle(self.tr("ハブに配布枠を返す"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        info = QLabel(self.tr("この端末の残り {available} 名のうち、指定した数をハブに返します。"
                              "返した分はすぐにこの端末の残りから差し引かれ、ほかの端末がハブから受け取れるようになります。"
                              "ハブにつながらないときは、つながったときに自動で送り直します。").format(
            available=f"{status.available:,}"), self)
        info.setWordWrap(True)
        layout.addWidget(info)
        self.count = QSpinBox(self)
        self.count.setObjectName("qr-hub-release-count")
        self.count.setRange(1, max(1, status.available))
        self.count.setValue(max(1, min(100, status.available)))
        self.count.setSuffix(self.tr(" 名"))
        layout.addWidget(self.count)
        self.error = QLabel(self)
        self.error.setObjectName("qr-hub-release-error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b71c1c; font-weight: bold;")
        layout.addWidget(self.error)
        row, self.ok_button = buttons(self, self.tr("返す"), "qr-hub-release-ok")
        self.ok_button.setEnabled(status.available > 0)
        self.ok_button.clicked.connect(self._submit)
        layout.addLayout(row)
    def show_error(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        self.error.setText(error_text(exc, self.lang))

    def _submit(self) -> None:
        self.ok_button.setEnabled(False)
        self.submitted.emit(self.count.value())
