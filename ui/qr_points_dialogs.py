"""Dialogs for the distribution day: set it up on the lead laptop (split the cap
into allotments), hand part of this laptop's allotment to another laptop, and
draw from / give back to the hub's reserve. Reading a join/transfer/return code
is ScanCodeDialog (ui/qr_points_scan.py), re-exported here so that every
distribution-day dialog comes from one module.

The dialogs collect input and emit `submitted`; the board runs the domain call on
the store worker and either closes the dialog (done) or shows the refusal in it,
so a mistyped code can be corrected without starting over."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QSpinBox, QVBoxLayout, QWidget)

from app.points import PointsStatus
from app.points.codes import MAX_LAPTOPS  # the most a join code can carry
from ui.qr_common import ERROR_STYLE, buttons, error_line, error_text, mono_font
from ui.qr_points_scan import ScanCodeDialog

__all__ = ["HubDrawDialog", "HubReleaseDialog", "IssueTransferDialog", "PointsFormDialog", "ScanCodeDialog",
           "SetupDayDialog"]


class PointsFormDialog(QDialog):
    """What the distribution-day forms share: an explanation on top, the fields,
    a red line for a refusal and Cancel / OK. OK stays off while the board works
    on the request; a refusal (`show_error`) turns it on again and keeps what was
    typed. A subclass declares its `submitted` signal and what it sends (`values`),
    and calls `_finish` after its fields."""

    def __init__(self, lang: str, name: str, parent: QWidget | None, min_width: int = 0) -> None:
        super().__init__(parent)
        self.lang = lang
        self.setObjectName(name)
        if min_width:
            self.setMinimumWidth(min_width)
        self.form = QVBoxLayout(self)

    def _explain(self, text: str) -> QLabel:
        info = QLabel(text, self)
        info.setWordWrap(True)
        self.form.addWidget(info)
        return info

    def _count_spin(self, name: str, low: int, high: int, value: int) -> QSpinBox:
        """A number of people (one grant each)."""
        spin = QSpinBox(self)
        spin.setObjectName(name)
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setSuffix(self.tr(" 名"))
        return spin

    def _share_spin(self, name: str, of: int, suggested: int) -> QSpinBox:
        """How many of `of` (at least one, even when there are none: OK is off then)."""
        return self._count_spin(name, 1, max(1, of), max(1, min(suggested, of)))

    def _finish(self, error_name: str, ok_text: str, ok_name: str) -> None:
        self.error = error_line(self, error_name)
        self.form.addWidget(self.error)
        row, self.ok_button = buttons(self, ok_text, ok_name)
        self.ok_button.clicked.connect(self._submit)
        self.form.addLayout(row)

    def values(self):
        raise NotImplementedError

    def show_error(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        self.error.setText(error_text(exc, self.lang))

    def _submit(self) -> None:
        self.ok_button.setEnabled(False)
        self.submitted.emit(self.values())


class SetupDayDialog(PointsFormDialog):
    """Split the day's cap between this laptop, the other laptops (by their
    laptop code) and, optionally, the hub's reserve."""

    submitted = Signal(dict)

    def __init__(self, lang: str, cap: int, me: str, parent: QWidget | None = None) -> None:
        super().__init__(lang, "qr-setup-day", parent, 560)
        self.setWindowTitle(self.tr("配布日の設定（代表端末）"))
        self.cap, self.me = cap, me
        self._explain(self.tr("本日の上限 {cap} 名を、この会場で使う端末に割り振ります。"
                              "ほかの端末の「この端末のコード」を入力してください。"
                              "割り振りは後から譲渡コードで移せます。").format(cap=f"{cap:,}"))
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
        self.form.addWidget(self.one_lead)
        self.grid = QGridLayout()
        self.form.addLayout(self.grid)
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
        self.form.addLayout(row)
        hub_row = QHBoxLayout()
        hub_row.addWidget(QLabel(self.tr("ハブ（オンライン時に各端末へ配る）に預ける数"), self))
        self.hub_spin.valueChanged.connect(self._update_total)
        hub_row.addWidget(self.hub_spin)
        self.form.addLayout(hub_row)
        self.form.addWidget(self.total_label)
        self._finish("qr-setup-error", self.tr("設定して参加コードを表示"), "qr-setup-ok")
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
        spin = self._count_spin(f"qr-setup-count-{r}", 0, self.cap, count)
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

    def values(self) -> dict:
        return {"allotments": self.allotments(), "hub_reserve": self.hub_spin.value()}

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
        self.total_label.setStyleSheet(ERROR_STYLE if over else "")
        if hasattr(self, "ok_button"):  # (rows are added before the buttons exist)
            self.ok_button.setEnabled(not over)

    def _submit(self) -> None:
        twice = self._duplicate()
        if twice:
            self.error.setText(self.tr("端末コード {code} が二度入力されています。").format(code=twice))
            return
        self.error.setText("")
        super()._submit()


class IssueTransferDialog(PointsFormDialog):
    """Hand part of this laptop's allotment to another laptop of the day."""

    submitted = Signal(dict)

    def __init__(self, lang: str, status: PointsStatus, parent: QWidget | None = None) -> None:
        super().__init__(lang, "qr-issue-transfer", parent, 520)
        self.setWindowTitle(self.tr("配布枠を譲る"))
        self._explain(self.tr("この端末の残り {available} 名のうち、指定した数をほかの端末に譲ります。"
                              "コードを表示した時点でこの端末の残りが減り、受け取った端末で1回だけ増えます。").format(
            available=f"{status.available:,}"))
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("受け取る端末のコード"), self), 0, 0)
        self.recipient = QComboBox(self)
        self.recipient.setObjectName("qr-issue-recipient")
        self.recipient.setEditable(True)
        self.recipient.setFont(mono_font(13))
        self.recipient.addItems([c for c in status.roster if c != status.laptop])
        grid.addWidget(self.recipient, 0, 1)
        grid.addWidget(QLabel(self.tr("譲る数"), self), 1, 0)
        self.count = self._share_spin("qr-issue-count", status.available, 100)
        grid.addWidget(self.count, 1, 1)
        grid.addWidget(QLabel(self.tr("有効期限"), self), 2, 0)
        self.valid = QSpinBox(self)
        self.valid.setObjectName("qr-issue-valid")
        self.valid.setRange(5, 240)
        self.valid.setValue(15)
        self.valid.setSuffix(self.tr(" 分"))
        grid.addWidget(self.valid, 2, 1)
        self.form.addLayout(grid)
        self._finish("qr-issue-error", self.tr("譲渡コードを表示"), "qr-issue-ok")
        self.ok_button.setEnabled(status.available > 0)

    def values(self) -> dict:
        return {"recipient": self.recipient.currentText().strip(), "count": self.count.value(),
                "valid_min": self.valid.value()}


class HubDrawDialog(PointsFormDialog):
    """How many grants to take from the hub's reserve (online)."""

    submitted = Signal(int)

    def __init__(self, lang: str, status: PointsStatus, parent: QWidget | None = None) -> None:
        super().__init__(lang, "qr-hub-draw", parent)
        self.setWindowTitle(self.tr("ハブから配布枠を受け取る"))
        self._explain(self.tr("オンラインのとき、ハブに預けた配布枠（{reserve} 名）から、この端末に配布枠を受け取ります。").format(
            reserve=f"{status.hub_reserve:,}"))
        self.count = self._share_spin("qr-hub-count", status.hub_reserve, 200)
        self.form.addWidget(self.count)
        self._finish("qr-hub-error", self.tr("受け取る"), "qr-hub-ok")

    def values(self) -> int:
        return self.count.value()

    def _submit(self) -> None:
        self.error.setText(self.tr("ハブに問い合わせています…"))  # the network answers in seconds, not at once
        super()._submit()


class HubReleaseDialog(PointsFormDialog):
    """How many grants to give back to the hub's reserve (online)."""

    submitted = Signal(int)

    def __init__(self, lang: str, status: PointsStatus, parent: QWidget | None = None) -> None:
        super().__init__(lang, "qr-hub-release", parent, 480)
        self.setWindowTitle(self.tr("ハブに配布枠を返す"))
        self._explain(self.tr("この端末の残り {available} 名のうち、指定した数をハブに返します。"
                              "返した分はすぐにこの端末の残りから差し引かれ、ほかの端末がハブから受け取れるようになります。"
                              "ハブにつながらないときは、つながったときに自動で送り直します。").format(
            available=f"{status.available:,}"))
        self.count = self._share_spin("qr-hub-release-count", status.available, 100)
        self.form.addWidget(self.count)
        self._finish("qr-hub-release-error", self.tr("返す"), "qr-hub-release-ok")
        self.ok_button.setEnabled(status.available > 0)

    def values(self) -> int:
        return self.count.value()
