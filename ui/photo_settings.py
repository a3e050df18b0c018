"""Photo settings: camera list and choice, printer and paper, a test print, and a
warning when the print system keeps printed jobs (CUPS PreserveJobFiles, Windows
"Keep printed documents").

Looking for cameras and printers can take seconds (on Windows every camera index is
opened in turn), so the dialog opens at once with the current choice and
「探しています…」, and fills the lists when the background search is done."""
from __future__ import annotations

import logging
from typing import Callable

import cv2
import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QGroupBox,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from app.errors import MadoguchiError
from app.photo.crop import output_size
from app.photo.settings import PhotoSettings
from app.photo.sheets import SHEETS, capacity, layout
from app.profiles import PhotoSpec
from hardware.camera import CameraConfig, describe, list_cameras
from hardware.printer import PrinterConfig, Printer
from ui.photo_threads import BackgroundTask

log = logging.getLogger("madoguchi.ui.photo")

PDF_BACKEND = "__pdf__"
SEARCHING = "__searching__"


def system_printers() -> list:
    """The system's print queues. Imported when called: listing runs on a background
    thread, and the photo windows should not load the print stack before that."""
    from hardware.printer_qt import list_printers

    return list_printers()


def _job_retention(queue: str):
    from hardware.printer_qt import job_retention

    return job_retention(queue)


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
    """`camera_lister(current)`, `printer_lister()` and `retention_probe(queue)` run on
    background threads; tests pass their own."""

    loaded = Signal()   # both lists are filled in

    def __init__(self, settings: PhotoSettings, spec: PhotoSpec, lang: str,
                 printer_factory: Callable[[PrinterConfig], Printer], parent: QWidget | None = None, *,
                 camera_lister: Callable | None = None, printer_lister: Callable[[], list] | None = None,
                 retention_probe: Callable | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photo-settings-dialog")
        self.setWindowTitle(self.tr("写真の設定"))
        self.settings, self.spec, self.lang = settings, spec, lang
        self.printer_factory = printer_factory
        self.camera_lister = camera_lister or list_cameras
        self.printer_lister = printer_lister or system_printers
        self.retention_probe = retention_probe or _job_retention
        self._pending = {"cameras", "printers"}
        self._added_sources: list[CameraConfig] = []
        self._retention_asked = 0
        self.retention = None   # the last answer about the chosen printer (JobRetention)
        self.printers: list | None = None
        v = QVBoxLayout(self)
        self.search_label = QLabel(self.tr("カメラとプリンターを探しています…"), self)
        self.search_label.setObjectName("photo-settings-searching")
        self.search_label.setProperty("role", "muted")
        v.addWidget(self.search_label)
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
        current = CameraConfig.from_settings(self.settings)
        self._camera_task = BackgroundTask(lambda: self.camera_lister(current), self._cameras_listed,
                                           lambda exc: self._cameras_listed(None), self)
        self._printer_task = BackgroundTask(self.printer_lister, self._printers_listed,
                                            lambda exc: self._printers_listed(None), self)
        self.check_spooler()

    @property
    def searching(self) -> bool:
        return bool(self._pending)

    def _found(self, what: str) -> None:
        self._pending.discard(what)
        if not self._pending:
            self.search_label.hide()
            self.loaded.emit()

    @staticmethod
    def _add_searching(box: QComboBox, text: str) -> None:
        """A greyed entry at the end while the list is being looked for."""
        box.addItem(text, SEARCHING)
        model = box.model()
        if isinstance(model, QStandardItemModel):
            model.item(box.count() - 1).setEnabled(False)

    # ---- camera -----------------------------------------------------------------------
    def _camera_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("カメラ"), self)
        form = QFormLayout(box)
        self.camera_box = QComboBox(box)
        self.camera_box.setObjectName("camera-choice")
        current = CameraConfig.from_settings(self.settings)
        self.camera_box.addItem(describe(current).label(self.lang), current)
        self._add_searching(self.camera_box, self.tr("探しています…"))
        self.camera_box.setCurrentIndex(0)
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

    def _cameras_listed(self, choices: list | None) -> None:
        """Fill the list, keeping what is chosen now (the staff may have picked a file
        meanwhile). `choices` None: the search failed; the current choice stays."""
        chosen: CameraConfig = self.camera_box.currentData()
        if choices is not None:
            self.camera_box.clear()
            for choice in choices:
                self.camera_box.addItem(choice.label(self.lang), choice.config)
            for config in self._added_sources:
                if not any(self._same_source(config, c.config) for c in choices):
                    self.camera_box.addItem(describe(config).label(self.lang), config)
        else:
            self.camera_box.removeItem(self.camera_box.findData(SEARCHING))
        index = next((i for i in range(self.camera_box.count())
                      if self._same_source(self.camera_box.itemData(i), chosen)), -1)
        if index < 0:
            label = self.tr("カメラ {n}（未接続）").format(n=chosen.index) if chosen.backend == "device" \
                else describe(chosen).label(self.lang)
            self.camera_box.addItem(label, chosen)
            index = self.camera_box.count() - 1
        self.camera_box.setCurrentIndex(index)
        self._found("cameras")

    @staticmethod
    def _same_source(a: CameraConfig, b: CameraConfig) -> bool:
        if not isinstance(a, CameraConfig) or not isinstance(b, CameraConfig):
            return False
        return a.backend == b.backend and (a.index == b.index if a.backend in ("device", "auto") else a.path == b.path)

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
        self._added_sources.append(config)
        self.camera_box.addItem(label, config)
        self.camera_box.setCurrentIndex(self.camera_box.count() - 1)

    # ---- printer ----------------------------------------------------------------------
    def _printer_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("プリンターと用紙"), self)
        form = QFormLayout(box)
        self.printer_box = QComboBox(box)
        self.printer_box.setObjectName("printer-choice")
        if self.settings.printer_backend == "pdf":
            self.printer_box.addItem(self.tr("PDF ファイル（テスト用）"), PDF_BACKEND)
        else:
            name = self.settings.printer_name
            self.printer_box.addItem(name or self.tr("既定のプリンター"), name)
        self._add_searching(self.printer_box, self.tr("探しています…"))
        self.printer_box.setCurrentIndex(0)
        form.addRow(self.tr("プリンター"), self.printer_box)
        self.no_printer_note = QLabel(self.tr("プリンターが見つかりません。「既定のプリンター」のままにすると、"
                                              "印刷のたびに PDF ファイルの保存先を選んで保存します。"), box)
        self.no_printer_note.setObjectName("printer-none")
        self.no_printer_note.setWordWrap(True)
        self.no_printer_note.setStyleSheet("color:#b45309;")
        self.no_printer_note.hide()
        form.addRow("", self.no_printer_note)
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

    def _printers_listed(self, printers: list | None) -> None:
        """Fill the list, keeping what is chosen now; None: the search failed."""
        chosen = self.printer_box.currentData()
        self.printer_box.blockSignals(True)
        if printers is not None:
            self.printers = list(printers)
            self.printer_box.clear()
            self.printer_box.addItem(self.tr("既定のプリンター"), "")
            for info in printers:
                self.printer_box.addItem(info.name + (self.tr("（既定）") if info.is_default else ""), info.name)
            self.printer_box.addItem(self.tr("PDF ファイル（テスト用）"), PDF_BACKEND)
            index = self.printer_box.findData(chosen)
            if index < 0:  # a printer chosen before that is not there now
                self.printer_box.addItem(self.tr("{name}（見つかりません）").format(name=chosen), chosen)
                index = self.printer_box.count() - 1
            self.printer_box.setCurrentIndex(index)
            self.no_printer_note.setVisible(not printers)
        else:
            self.printer_box.removeItem(self.printer_box.findData(SEARCHING))
        self.printer_box.blockSignals(False)
        self._printer_changed()
        self._found("printers")

    def _sheet_changed(self) -> None:
        self.count_spin.setRange(0, capacity(self.sheet_box.currentData(), self.spec))

    def _printer_changed(self) -> None:
        pdf = self.printer_box.currentData() == PDF_BACKEND
        self.pdf_edit.setEnabled(pdf)
        self.pdf_note.setVisible(pdf)
        if hasattr(self, "cups_warning"):
            self.check_spooler()

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
        """Ask (off the UI thread) whether the chosen printer's system keeps printed
        jobs; the answer for an earlier choice is ignored."""
        self.cups_warning.hide()
        data = self.printer_box.currentData()
        if data in (PDF_BACKEND, SEARCHING):
            return
        self._retention_asked += 1
        asked, queue = self._retention_asked, data or ""
        self._spool_task = BackgroundTask(lambda: self.retention_probe(queue),
                                          lambda result: self._show_spooler(result, asked), lambda exc: None, self)

    def _show_spooler(self, result, asked: int = 0) -> None:
        if asked and asked != self._retention_asked:  # about a printer no longer chosen
            return
        self.retention = result
        if result is None:
            return
        if result.system == "windows":
            if result.keeps is None:
                return
            if not result.keeps:
                return
            self.cups_warning.setText(self.tr(
                "注意：プリンター「{name}」は「印刷後ドキュメントを残す」（Keep printed documents）が有効です。"
                "印刷した写真がスプーラーに残る設定です。このアプリは自分の印刷ジョブを毎回消去しますが、"
                "プリンターのプロパティの［詳細設定］でこの設定を外してください。").format(name=result.value))
        elif result.keeps is None:
            self.cups_warning.setText(self.tr("印刷システム（CUPS）の設定を確認できませんでした。印刷済みのジョブを"
                                              "保持しない設定（cupsd.conf の PreserveJobFiles No）か、管理者に確認してください。"))
        elif result.keeps:
            self.cups_warning.setText(self.tr(
                "注意：印刷システム（CUPS）が印刷済みジョブのファイルを保持する設定です（PreserveJobFiles {value}）。"
                "このアプリは自分の印刷ジョブを毎回消去しますが、cupsd.conf に「PreserveJobFiles No」を設定してください。")
                .format(value=result.value))
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
