"""Last step of the photo station (after consent): paper, copies and printer, then
print — or discard.

A view only: the print flow (ui/photo_print_flow.py) decides where the sheet goes and
what state the print is in, and has it shown here.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from app.photo.settings import PhotoSettings
from app.photo.sheets import SHEETS, capacity
from app.profiles import PhotoSpec


class PrintPanel(QWidget):
    print_requested = Signal()
    discard_requested = Signal()

    def __init__(self, spec: PhotoSpec, lang: str = "ja", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec, self.lang = spec, lang
        # The paper and copies of the settings: the count is theirs only on their paper.
        self._preferred_sheet, self._preferred_count = "", 0
        v = QVBoxLayout(self)
        self.print_title = QLabel(self)
        self.print_title.setProperty("role", "header")
        v.addWidget(self.print_title)
        grid = QGridLayout()
        self.print_names = [QLabel(self) for _ in range(3)]  # 用紙 / 枚数 / プリンター
        grid.addWidget(self.print_names[0], 0, 0)
        self.sheet_box = QComboBox(self)
        self.sheet_box.setObjectName("photo-sheet")
        for key, sheet in SHEETS.items():
            self.sheet_box.addItem(sheet.label(self.lang), key)
        self.sheet_box.currentIndexChanged.connect(self._sheet_changed)
        grid.addWidget(self.sheet_box, 0, 1)
        grid.addWidget(self.print_names[1], 1, 0)
        self.count_spin = QSpinBox(self)
        self.count_spin.setObjectName("photo-count")
        grid.addWidget(self.count_spin, 1, 1)
        grid.addWidget(self.print_names[2], 2, 0)
        self.printer_label = QLabel(self)
        self.printer_label.setObjectName("photo-printer")
        grid.addWidget(self.printer_label, 2, 1)
        v.addLayout(grid)
        self.print_status = QLabel(self)
        self.print_status.setObjectName("photo-print-status")
        self.print_status.setWordWrap(True)
        v.addWidget(self.print_status)
        v.addStretch(1)
        row = QHBoxLayout()
        self.discard_button = QPushButton(self)
        self.discard_button.setObjectName("photo-discard")
        self.discard_button.setProperty("role", "danger")
        self.discard_button.clicked.connect(self.discard_requested)
        self.print_button = QPushButton(self)
        self.print_button.setObjectName("photo-print")
        self.print_button.setProperty("role", "primary")
        self.print_button.setMinimumHeight(56)
        self.print_button.clicked.connect(self.print_requested)
        row.addWidget(self.discard_button)
        row.addStretch(1)
        row.addWidget(self.print_button, 1)
        v.addLayout(row)
        self.set_language(lang)

    def set_language(self, lang: str) -> None:
        """The fixed words and the paper names; the printer and the print state are
        the print flow's to show again (show_output)."""
        self.lang = lang
        self.print_title.setText(self.tr("印刷"))
        for label, text in zip(self.print_names, (self.tr("用紙"), self.tr("枚数"), self.tr("プリンター"))):
            label.setText(text)
        self.discard_button.setText(self.tr("写真を破棄"))
        for i in range(self.sheet_box.count()):
            self.sheet_box.setItemText(i, SHEETS[self.sheet_box.itemData(i)].label(lang))

    # ---- paper ---------------------------------------------------------------------
    @property
    def sheet(self) -> str:
        return self.sheet_box.currentData()

    @property
    def count(self) -> int:
        return self.count_spin.value()

    def choose_paper(self, settings: PhotoSettings) -> None:
        """The paper and photos per sheet of the settings (the staff may change both
        for one print)."""
        self._preferred_sheet, self._preferred_count = settings.sheet, settings.count
        self.sheet_box.setCurrentIndex(max(0, self.sheet_box.findData(settings.sheet)))
        self._sheet_changed()

    def _sheet_changed(self) -> None:
        """As many photos as fit, unless the settings ask for fewer on this paper."""
        key = self.sheet_box.currentData()
        cap = capacity(key, self.spec)
        self.count_spin.setRange(1, max(1, cap))
        want = self._preferred_count if self._preferred_count and key == self._preferred_sheet else cap
        self.count_spin.setValue(min(max(1, want), cap))

    # ---- where the sheet goes, and how the print went --------------------------------
    def show_output(self, settings: PhotoSettings, pdf_fallback: bool, state: str) -> None:
        """`pdf_fallback`: no printer on this laptop, the sheet goes to a PDF file the
        staff choose. `state`: "" | "printing" | "failed"."""
        if settings.printer_backend == "pdf":
            self.printer_label.setText(self.tr("PDF ファイル：{path}").format(path=settings.pdf_path or "-"))
        elif pdf_fallback:
            self.printer_label.setText(self.tr("PDF ファイルに保存（プリンターが見つかりません）"))
        else:
            self.printer_label.setText(settings.printer_name or self.tr("既定のプリンター"))
        if pdf_fallback:
            self.print_button.setText(self.tr("PDF に保存する"))
        else:
            self.print_button.setText(self.tr("もう一度印刷") if state == "failed" else self.tr("印刷する"))
        self.print_status.setText(
            self.tr("印刷しています…") if state == "printing" else
            self.tr("印刷できませんでした。写真は消去していません。もう一度印刷するか、破棄してください。")
            if state == "failed" else "")
