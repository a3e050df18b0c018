"""Photo settings: camera list and choice, printer and paper, a test print, and a
warning when the print system keeps job files (CUPS PreserveJobFiles)."""
from __future__ import annotations

import logging
from typing import Callable

import cv2
import numpy as np
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QGroupBox,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from app.errors import MadoguchiError
from app.photo.crop import output_size
from app.photo.settings import PhotoSettings
from app.photo.sheets import SHEETS, capacity, layout
from app.profiles import PhotoSpec
from hardware import cups
from hardware.camera import CameraConfig, list_cameras
from hardware.printer import PrinterConfig, Printer
from ui.photo_threads import BackgroundTask

log = logging.getLogger("madoguchi.ui.photo")

PDF_BACKEND = "__pdf__"


def test_card(spec: PhotoSpec, dpi: int = 300) -> np.ndarray:
    """A test picture the size of a photo (not a photo of anyone): a grey card with
    a millimetre border scale, the crown line and the chin band, and 'TEST'."""
    w, h = output_size(spec, dpi)
    img = np.full((h, w, 3), 235, np.uint8)
    per_mm = h / spec.height_mm
    for mm in range(0, int(spec.height_mm) + 1):
        length = 18 if mm % 10 == 0 else 10 if mm % 5 == 0 else 5
        y = min(h - 1, int(mm * per_mm))
        cv2.line(img, (0, y), (length, y), (40, 40, 40), 1)
    crown = int(spec.crown_margin_mm * per_mm)
    cv2.line(img, (0, crown), (w, crown), (0, 120, 0), 2)
    lo = int((spec.crown_margin_mm + spec.head_mm - spec.head_tol_mm) * per_mm)
    hi = int((spec.crown_margin_mm + spec.head_mm + spec.head_tol_mm) * per_mm)
    cv2.rectangle(img, (0, lo), (w - 1, hi), (0, 150, 255), 2)
    cv2.rectangle(img, (0, 0), (w - 1, h - 1), (60, 60, 60), 2)
    cv2.putText(img, "TEST", (w // 5, h // 2), cv2.FONT_HERSHEY_SIMPLEX, w / 160, (80, 80, 80), 3)
    return img


class PhotoSettingsDialog(QDialog):
    def __init__(self, settings: PhotoSettings, spec: PhotoSpec, lang: str,
                 printer_factory: Callable[[PrinterConfig], Printer], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photo-settings-dialog")
        self.setWindowTitle(self.tr("写真の設定"))
        self.settings, self.spec, self.lang = settings, spec, lang
        self.printer_factory = printer_factory
        v = QVBoxLayout(self)
        v.addWidget(self._camera_group())
        v.addWidget(self._printer_group())
        self.cups_warning = QLabel(self)
        self.cups_warning.setObjectName("cups-warning")
        self.cups_warning.setWordWrap(True)
        self.cups_warning.setStyleSheet("background:#fff8e1;border:2px solid #f9a825;border-radius:6px;padding:6px;")
        self.cups_warning.hide()
        v.addWidget(self.cups_warning)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        v.addWidget(buttons)
        self.check_spooler()

    # ---- camera -----------------------------------------------------------------------
    def _camera_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("カメラ"), self)
        form = QFormLayout(box)
        self.camera_box = QComboBox(box)
        self.camera_box.setObjectName("camera-choice")
        current = CameraConfig.from_settings(self.settings)
        for choice in list_cameras(current):
            self.camera_box.addItem(choice.label(self.lang), choice.config)
        index = next((i for i in range(self.camera_box.count())
                      if self._same_source(self.camera_box.itemData(i), current)), -1)
        if index < 0:
            self.camera_box.addItem(self.tr("カメラ {n}（未接続）").format(n=current.index), current)
            index = self.camera_box.count() - 1
        self.camera_box.setCurrentIndex(index)
        row = QHBoxLayout()
        row.addWidget(self.camera_box, 1)
        video = QPushButton(self.tr("動画ファイル…"), box)
        video.setObjectName("camera-video")
        video.clicked.connect(lambda: self._choose_source("video"))
        stills = QPushButton(self.tr("静止画フォルダー…"), box)
        stills.setObjectName("camera-stills")
        stills.clicked.connect(lambda: self._choose_source("stills"))
        row.addWidget(video)
        row.addWidget(stills)
        form.addRow(self.tr("入力"), row)
        size = QHBoxLayout()
        self.width_spin, self.height_spin, self.fps_spin = QSpinBox(box), QSpinBox(box), QSpinBox(box)
        for spin, lo, hi, value in ((self.width_spin, 320, 7680, self.settings.camera_width),
                                    (self.height_spin, 240, 4320, self.settings.camera_height),
                                    (self.fps_spin, 1, 120, round(self.settings.camera_fps))):
            spin.setRange(lo, hi)
            spin.setValue(value)
            spin.setFixedWidth(100)
            size.addWidget(spin)
        self.width_spin.setObjectName("camera-width")
        self.height_spin.setObjectName("camera-height")
        self.fps_spin.setObjectName("camera-fps")
        size.insertWidget(1, QLabel("×", box))
        size.addWidget(QLabel("fps", box))
        size.addStretch(1)
        form.addRow(self.tr("解像度・フレームレート"), size)
        self.mirror_check = QCheckBox(self.tr("プレビューを左右反転する（申請者向けの画面）"), box)
        self.mirror_check.setChecked(self.settings.mirror_preview)
        form.addRow("", self.mirror_check)
        return box

    @staticmethod
    def _same_source(a: CameraConfig, b: CameraConfig) -> bool:
        return a.backend == b.backend and (a.index == b.index if a.backend == "device" else a.path == b.path)

    def _choose_source(self, kind: str) -> None:
        if kind == "video":
            path, _ = QFileDialog.getOpenFileName(self, self.tr("動画ファイルを選ぶ"), "",
                                                  self.tr("動画 (*.mp4 *.avi *.mkv *.mov)"))
        else:
            path = QFileDialog.getExistingDirectory(self, self.tr("静止画フォルダーを選ぶ"))
        if path:
            self.set_source(kind, path)

    def set_source(self, kind: str, path: str) -> None:
        config = CameraConfig(kind, 0, self.width_spin.value(), self.height_spin.value(), float(self.fps_spin.value()), path)
        label = (self.tr("動画ファイル：{p}") if kind == "video" else self.tr("静止画フォルダー：{p}")).format(p=path)
        self.camera_box.addItem(label, config)
        self.camera_box.setCurrentIndex(self.camera_box.count() - 1)

    # ---- printer ----------------------------------------------------------------------
    def _printer_group(self) -> QGroupBox:
        from hardware.printer_qt import list_printers

        box = QGroupBox(self.tr("プリンターと用紙"), self)
        form = QFormLayout(box)
        self.printer_box = QComboBox(box)
        self.printer_box.setObjectName("printer-choice")
        self.printer_box.addItem(self.tr("既定のプリンター"), "")
        for info in list_printers():
            self.printer_box.addItem(info.name + (self.tr("（既定）") if info.is_default else ""), info.name)
        self.printer_box.addItem(self.tr("PDF ファイル（テスト用）"), PDF_BACKEND)
        if self.settings.printer_backend == "pdf":
            self.printer_box.setCurrentIndex(self.printer_box.count() - 1)
        else:
            self.printer_box.setCurrentIndex(max(0, self.printer_box.findData(self.settings.printer_name)))
        form.addRow(self.tr("プリンター"), self.printer_box)
        self.pdf_edit = QLineEdit(self.settings.pdf_path, box)
        self.pdf_edit.setObjectName("printer-pdf-path")
        self.pdf_note = QLabel(self.tr("PDF に保存すると写真がファイルとして残ります。テストや写真店への入稿など、"
                                       "意図した場合だけ使ってください。"), box)
        self.pdf_note.setWordWrap(True)
        self.pdf_note.setStyleSheet("color:#b45309;")
        form.addRow(self.tr("PDF の保存先"), self.pdf_edit)
        form.addRow("", self.pdf_note)
        self.sheet_box = QComboBox(box)
        self.sheet_box.setObjectName("printer-sheet")
        for key, sheet in SHEETS.items():
            self.sheet_box.addItem(sheet.label(self.lang), key)
        self.sheet_box.setCurrentIndex(max(0, self.sheet_box.findData(self.settings.sheet)))
        form.addRow(self.tr("用紙"), self.sheet_box)
        self.count_spin = QSpinBox(box)
        self.count_spin.setObjectName("printer-count")
        self.count_spin.setSpecialValueText(self.tr("入るだけ"))
        form.addRow(self.tr("1 枚あたりの写真"), self.count_spin)
        self.sheet_box.currentIndexChanged.connect(self._sheet_changed)
        self._sheet_changed()
        self.count_spin.setValue(min(self.settings.count, self.count_spin.maximum()))
        test = QHBoxLayout()
        self.test_button = QPushButton(self.tr("テスト印刷"), box)
        self.test_button.setObjectName("printer-test")
        self.test_button.setMinimumHeight(36)
        self.test_button.clicked.connect(self.test_print)
        self.test_result = QLabel(box)
        self.test_result.setObjectName("printer-test-result")
        self.test_result.setWordWrap(True)
        test.addWidget(self.test_button)
        test.addWidget(self.test_result, 1)
        form.addRow("", test)
        self.printer_box.currentIndexChanged.connect(self._printer_changed)
        self._printer_changed()
        return box

    def _sheet_changed(self) -> None:
        self.count_spin.setRange(0, capacity(self.sheet_box.currentData(), self.spec))

    def _printer_changed(self) -> None:
        pdf = self.printer_box.currentData() == PDF_BACKEND
        self.pdf_edit.setEnabled(pdf)
        self.pdf_note.setVisible(pdf)

    def printer_config(self) -> PrinterConfig:
        data = self.printer_box.currentData()
        if data == PDF_BACKEND:
            return PrinterConfig("pdf", "", self.pdf_edit.text().strip())
        return PrinterConfig("system", data or "", self.pdf_edit.text().strip())

    def test_print(self) -> None:
        """A test card on the chosen paper: checks printer, paper and true size."""
        config = self.printer_config()
        sheet = self.sheet_box.currentData()
        try:
            printer = self.printer_factory(config)
            lay = layout(sheet, self.spec, 1)
        except MadoguchiError as exc:
            self.test_result.setText(exc.message(self.lang))
            return
        self.test_button.setEnabled(False)
        self.test_result.setText(self.tr("印刷しています…"))

        def done(outcome) -> None:
            self.test_button.setEnabled(True)
            self.test_result.setText(self.tr("テスト印刷が終わりました。写真枠が縦 {h:g} mm × 横 {w:g} mm か定規で確かめてください。")
                                     .format(h=self.spec.height_mm, w=self.spec.width_mm))

        def failed(exc: BaseException) -> None:
            self.test_button.setEnabled(True)
            self.test_result.setText(exc.message(self.lang) if isinstance(exc, MadoguchiError) else type(exc).__name__)
        self._task = BackgroundTask(lambda: printer.print_sheet(lay, test_card(self.spec), self.spec, lang=self.lang),
                                    done, failed, self)

    # ---- spooler check ------------------------------------------------------------------
    def check_spooler(self) -> None:
        from hardware.printer_qt import uses_cups

        if not uses_cups():
            return
        self._spool_task = BackgroundTask(cups.preserve_job_files, self._show_spooler, lambda exc: None, self)

    def _show_spooler(self, value: str | None) -> None:
        keeps = cups.keeps_job_files(value)
        if keeps is None:
            self.cups_warning.setText(self.tr("印刷システム（CUPS）の設定を確認できませんでした。印刷済みのジョブを"
                                              "保持しない設定（cupsd.conf の PreserveJobFiles No）か、管理者に確認してください。"))
        elif keeps:
            self.cups_warning.setText(self.tr(
                "注意：印刷システム（CUPS）が印刷済みジョブのファイルを保持する設定です（PreserveJobFiles {value}）。"
                "このアプリは自分の印刷ジョブを毎回消去しますが、cupsd.conf に「PreserveJobFiles No」を設定してください。")
                .format(value=value))
        else:
            return
        self.cups_warning.show()

    # ---- result ---------------------------------------------------------------------------
    def result_settings(self) -> PhotoSettings:
        camera: CameraConfig = self.camera_box.currentData()
        printer = self.printer_config()
        return self.settings.with_(
            camera_backend=camera.backend, camera_index=camera.index, camera_path=camera.path,
            camera_width=self.width_spin.value(), camera_height=self.height_spin.value(),
            camera_fps=float(self.fps_spin.value()), mirror_preview=self.mirror_check.isChecked(),
            printer_backend=printer.backend, printer_name=printer.name, pdf_path=printer.pdf_path,
            sheet=self.sheet_box.currentData(), count=self.count_spin.value())
