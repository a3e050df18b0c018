"""The photo station: live preview with guides and checks → capture → nudge/zoom →
consent → print → deletion.

Camera reading, frame analysis, capture and printing run on their own threads
(ui/photo_threads.py); store writes go through the StoreWorker. The photo exists only
in memory (CapturedPhoto) and is overwritten as soon as it is printed, declined or
discarded; what the store keeps is the fact (consent, printed, deleted), never the image.

Hook-in: `PhotoWindow(worker, opening_id, spec, data_dir, lang)` is a top-level window;
`open_photo_station(parent, worker, opening_id, profile_key, data_dir, lang)` makes and
shows one. The booth window reaches it through ui/photo_menu.py (PhotoStation).
"""
from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (QComboBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QSpinBox,
                               QStackedWidget, QVBoxLayout, QWidget)

from app.errors import MadoguchiError
from app.ids import uuid7
from app.photo import facts, messages
from app.photo.analysis import CHECK_ORDER, Analysis
from app.photo.crop import crop_problems
from app.photo.privacy import harden_process
from app.photo.session import CapturedPhoto, capture
from app.photo.settings import PhotoSettings, load_photo_settings, save_photo_settings
from app.photo.sheets import SHEETS, capacity, layout
from app.photo.wipe import wipe
from app.profiles import PhotoSpec, get_profile
from hardware.camera import Camera, CameraConfig, make_camera
from hardware.printer import Printer, PrinterConfig, make_printer
from ui.photo_consent import ConsentPanel
from ui.photo_preview import PreviewWidget
from ui.photo_exit import wait_while
from ui.photo_output import falls_back_to_pdf, save_dialog
from ui.photo_threads import BackgroundTask, CameraFeed, FrameAnalyser

log = logging.getLogger("madoguchi.ui.photo")

PRINT_TIMEOUT_S = 120.0
# Closing waits this long for a print in flight (its own timeout ends it before).
EXIT_PRINT_WAIT_S = PRINT_TIMEOUT_S + 15.0
# ... and this long for the camera and analysis threads to end and wipe their frames.
EXIT_THREAD_WAIT_S = 3.0


def _now() -> datetime:
    return datetime.now().astimezone()


def _system_printers() -> list:
    from hardware.printer_qt import list_printers

    return list_printers()


class PhotoScreen(QWidget):
    """`camera_factory(config)` / `printer_factory(config)` default to the hardware
    registries and `printer_lister()` to the system's printers; tests pass their own
    (e.g. an unpluggable camera, a laptop without printers)."""

    status = Signal(str)          # short acknowledgements for a status bar
    photo_deleted = Signal(str)   # reason: printed | declined | discarded

    def __init__(self, worker, opening_id: str, spec: PhotoSpec, data_dir: Path, lang: str = "ja", *,
                 clock: Callable[[], datetime] = _now,
                 camera_factory: Callable[[CameraConfig], Camera] = make_camera,
                 printer_factory: Callable[[PrinterConfig], Printer] = make_printer,
                 printer_lister: Callable[[], list] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photo-screen")
        harden_process()
        self.worker, self.opening_id, self.spec = worker, opening_id, spec
        self.data_dir, self.lang, self.clock = Path(data_dir), lang, clock
        self.camera_factory, self.printer_factory = camera_factory, printer_factory
        self.printer_lister = printer_lister or _system_printers
        self.settings: PhotoSettings = load_photo_settings(self.data_dir)
        self.photo: CapturedPhoto | None = None
        self.capture_id = ""
        self.latest: np.ndarray | None = None
        self.analysis: Analysis | None = None
        self.feed: CameraFeed | None = None
        self.analyser: FrameAnalyser | None = None
        self.busy = False
        # What the banner says, as a function of the language (None: hidden), and
        # what the print page shows: reworded on a language switch.
        self._banner_text: Callable[[str], str] | None = None
        self._print_state = ""         # "" | "printing" | "failed"
        self._camera_waiting = False   # the camera is lost or cannot be opened
        self._substitute: MadoguchiError | None = None   # why the test picture is shown
        self.printers: list | None = None    # the system's printers (None: not listed yet)
        self._stopping: list = []            # camera / analysis threads still ending
        self._start_pending = False
        self._shut = False
        self._inflight_capture = ""          # the capture whose sheet is printing
        self.exit_dialog = None
        self.pdf_dialog = None
        self.exit_print_wait_s = EXIT_PRINT_WAIT_S
        self.exit_thread_wait_s = EXIT_THREAD_WAIT_S
        self._build()
        self._retranslate()
        self.start_camera()
        self.list_printers()
        self._fps_timer = QTimer(self)
        self._fps_timer.timeout.connect(self._show_fps)
        self._fps_timer.start(1000)

    # ---- layout ------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.banner = QLabel(self)
        self.banner.setObjectName("photo-banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background:#fdecea;border:2px solid #c62828;border-radius:6px;"
                                  "color:#8e1b1b;font-weight:bold;padding:6px;")
        self.banner.hide()
        outer.addWidget(self.banner)
        # Not an error: what the station does instead on a laptop without a camera or
        # a printer (test picture, PDF file).
        self.notice = QLabel(self)
        self.notice.setObjectName("photo-notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("background:#fff8e1;border:2px solid #f9a825;border-radius:6px;"
                                  "color:#5d4037;font-weight:bold;padding:6px;")
        self.notice.hide()
        outer.addWidget(self.notice)
        body = QHBoxLayout()
        outer.addLayout(body, 1)
        self.preview = PreviewWidget(self.spec, self)
        self.preview.mirror = self.settings.mirror_preview
        body.addWidget(self.preview, 3)
        self.pages = QStackedWidget(self)
        self.pages.setMinimumWidth(420)
        body.addWidget(self.pages, 2)
        self.live_page = self._build_live()
        self.adjust_page = self._build_adjust()
        self.consent = ConsentPanel(self.lang, self)
        self.consent.confirmed.connect(self.confirm_consent)
        self.consent.declined.connect(lambda: self.discard("declined"))
        self.consent.back.connect(lambda: self.pages.setCurrentWidget(self.adjust_page))
        self.print_page = self._build_print()
        for page in (self.live_page, self.adjust_page, self.consent, self.print_page):
            self.pages.addWidget(page)
        self.pages.setCurrentWidget(self.live_page)
        for key, dx, dy in ((Qt.Key.Key_Left, -1, 0), (Qt.Key.Key_Right, 1, 0), (Qt.Key.Key_Up, 0, -1),
                            (Qt.Key.Key_Down, 0, 1)):
            sc = QShortcut(QKeySequence(key), self)
            sc.activated.connect(lambda dx=dx, dy=dy: self._nudge_key(dx, dy))

    def _build_live(self) -> QWidget:
        page = QWidget(self)
        v = QVBoxLayout(page)
        self.advice_label = QLabel(page)
        self.advice_label.setObjectName("photo-advice")
        self.advice_label.setWordWrap(True)
        self.advice_label.setStyleSheet("font-size:16pt;font-weight:bold;padding:6px;")
        v.addWidget(self.advice_label)
        grid = QGridLayout()
        self.check_labels: dict[str, QLabel] = {}
        self.check_names: dict[str, QLabel] = {}
        for row, key in enumerate(CHECK_ORDER):
            name = QLabel(page)
            name.setObjectName(f"check-name-{key}")
            state = QLabel("—", page)
            state.setObjectName(f"check-{key}")
            state.setWordWrap(True)
            grid.addWidget(name, row, 0)
            grid.addWidget(state, row, 1)
            self.check_names[key] = name
            self.check_labels[key] = state
        grid.setColumnStretch(1, 1)
        v.addLayout(grid)
        v.addStretch(1)
        self.fps_label = QLabel(page)
        self.fps_label.setObjectName("photo-fps")
        self.fps_label.setProperty("role", "muted")
        v.addWidget(self.fps_label)
        row = QHBoxLayout()
        self.settings_button = QPushButton(page)
        self.settings_button.setObjectName("photo-settings")
        self.settings_button.clicked.connect(self.open_settings)
        self.capture_button = QPushButton(page)
        self.capture_button.setObjectName("photo-capture")
        self.capture_button.setProperty("role", "primary")
        self.capture_button.setMinimumHeight(56)
        self.capture_button.clicked.connect(self.take_photo)
        row.addWidget(self.settings_button)
        row.addWidget(self.capture_button, 1)
        v.addLayout(row)
        return page

    def _build_adjust(self) -> QWidget:
        page = QWidget(self)
        v = QVBoxLayout(page)
        self.adjust_title = QLabel(page)
        self.adjust_title.setProperty("role", "header")
        v.addWidget(self.adjust_title)
        self.geometry_label = QLabel(page)
        self.geometry_label.setObjectName("photo-geometry")
        self.geometry_label.setWordWrap(True)
        v.addWidget(self.geometry_label)
        self.spec_reason = QLabel(page)
        self.spec_reason.setObjectName("photo-spec-reason")
        self.spec_reason.setWordWrap(True)
        self.spec_reason.setStyleSheet("color:#c62828;font-weight:bold;")
        v.addWidget(self.spec_reason)
        self.quality_label = QLabel(page)
        self.quality_label.setObjectName("photo-quality")
        self.quality_label.setWordWrap(True)
        self.quality_label.setStyleSheet("color:#b45309;font-weight:bold;")
        v.addWidget(self.quality_label)
        pad = QGridLayout()
        self.nudge_buttons: dict[str, QPushButton] = {}
        for name, text, r, c, fn in (
                ("up", "↑", 0, 1, lambda: self.nudge(0, -1)), ("left", "←", 1, 0, lambda: self.nudge(-1, 0)),
                ("right", "→", 1, 2, lambda: self.nudge(1, 0)), ("down", "↓", 2, 1, lambda: self.nudge(0, 1)),
                ("zoom-in", "", 0, 3, lambda: self.zoom(1)), ("zoom-out", "", 2, 3, lambda: self.zoom(-1)),
                ("reset", "", 1, 1, self.reset_crop)):
            b = QPushButton(text, page)
            b.setObjectName(f"photo-{name}")
            b.setMinimumSize(64, 44)
            b.clicked.connect(fn)
            pad.addWidget(b, r, c)
            self.nudge_buttons[name] = b
        v.addLayout(pad)
        self.adjust_hint = QLabel(page)
        self.adjust_hint.setProperty("role", "muted")
        self.adjust_hint.setWordWrap(True)
        v.addWidget(self.adjust_hint)
        v.addStretch(1)
        row = QHBoxLayout()
        self.retake_button = retake = QPushButton(page)
        retake.setObjectName("photo-retake")
        retake.setProperty("role", "danger")
        retake.clicked.connect(lambda: self.discard("discarded"))
        self.next_button = QPushButton(page)
        self.next_button.setObjectName("photo-next")
        self.next_button.setProperty("role", "primary")
        self.next_button.clicked.connect(self.go_consent)
        row.addWidget(retake)
        row.addStretch(1)
        row.addWidget(self.next_button)
        v.addLayout(row)
        return page

    def _build_print(self) -> QWidget:
        page = QWidget(self)
        v = QVBoxLayout(page)
        self.print_title = QLabel(page)
        self.print_title.setProperty("role", "header")
        v.addWidget(self.print_title)
        grid = QGridLayout()
        self.print_names = [QLabel(page) for _ in range(3)]  # 用紙 / 枚数 / プリンター
        grid.addWidget(self.print_names[0], 0, 0)
        self.sheet_box = QComboBox(page)
        self.sheet_box.setObjectName("photo-sheet")
        for key, sheet in SHEETS.items():
            self.sheet_box.addItem(sheet.label(self.lang), key)
        self.sheet_box.currentIndexChanged.connect(self._sheet_changed)
        grid.addWidget(self.sheet_box, 0, 1)
        grid.addWidget(self.print_names[1], 1, 0)
        self.count_spin = QSpinBox(page)
        self.count_spin.setObjectName("photo-count")
        grid.addWidget(self.count_spin, 1, 1)
        grid.addWidget(self.print_names[2], 2, 0)
        self.printer_label = QLabel(page)
        self.printer_label.setObjectName("photo-printer")
        grid.addWidget(self.printer_label, 2, 1)
        v.addLayout(grid)
        self.print_status = QLabel(page)
        self.print_status.setObjectName("photo-print-status")
        self.print_status.setWordWrap(True)
        v.addWidget(self.print_status)
        v.addStretch(1)
        row = QHBoxLayout()
        self.discard_button = QPushButton(page)
        self.discard_button.setObjectName("photo-discard")
        self.discard_button.setProperty("role", "danger")
        self.discard_button.clicked.connect(lambda: self.discard("discarded"))
        self.print_button = QPushButton(page)
        self.print_button.setObjectName("photo-print")
        self.print_button.setProperty("role", "primary")
        self.print_button.setMinimumHeight(56)
        self.print_button.clicked.connect(self.print_photo)
        row.addWidget(self.discard_button)
        row.addStretch(1)
        row.addWidget(self.print_button, 1)
        v.addLayout(row)
        self._apply_print_settings()
        return page

    def _retranslate(self) -> None:
        """Every fixed word of the screen in the current language (tr() reads the
        translators the booth app installed)."""
        for key, name in self.check_names.items():
            name.setText(messages.check_label(key, self.lang))
        self.settings_button.setText(self.tr("写真の設定…"))
        self.capture_button.setText(self.tr("撮影する"))
        self.adjust_title.setText(self.tr("切り抜きの調整"))
        self.nudge_buttons["zoom-in"].setText(self.tr("拡大"))
        self.nudge_buttons["zoom-out"].setText(self.tr("縮小"))
        self.nudge_buttons["reset"].setText(self.tr("元に戻す"))
        self.adjust_hint.setText(self.tr("矢印で枠を 0.5 mm ずつ動かします。拡大・縮小は頭の大きさを 2 % ずつ変えます。"))
        self.retake_button.setText(self.tr("撮り直す（消去）"))
        self.next_button.setText(self.tr("確認へ進む"))
        self.print_title.setText(self.tr("印刷"))
        for label, text in zip(self.print_names, (self.tr("用紙"), self.tr("枚数"), self.tr("プリンター"))):
            label.setText(text)
        self.discard_button.setText(self.tr("写真を破棄"))
        for i in range(self.sheet_box.count()):
            self.sheet_box.setItemText(i, SHEETS[self.sheet_box.itemData(i)].label(self.lang))
        self._show_print_state()
        self._show_printer()
        self._show_notices()

    def _show_print_state(self) -> None:
        state = self._print_state
        if self.pdf_fallback:
            self.print_button.setText(self.tr("PDF に保存する"))
        else:
            self.print_button.setText(self.tr("もう一度印刷") if state == "failed" else self.tr("印刷する"))
        self.print_status.setText(
            self.tr("印刷しています…") if state == "printing" else
            self.tr("印刷できませんでした。写真は消去していません。もう一度印刷するか、破棄してください。")
            if state == "failed" else "")

    def _set_print_state(self, state: str) -> None:
        self._print_state = state
        self._show_print_state()

    def set_language(self, lang: str) -> None:
        """Follow the booth app's language switch (its translators are installed
        already): labels, the live checks and their advice, the readouts, the consent
        list and the banner. The photo, its crop and the consent ticks stay."""
        self.lang = lang
        self._retranslate()
        self.consent.set_language(lang)
        if self._camera_waiting:
            self._show_waiting()
        elif self.analysis is not None and self.photo is None:
            self._show_checks(self.analysis)
        if self.photo is not None:
            self._refresh_crop()
            self._show_quality(self.photo)
        if self._banner_text is not None:
            self.banner.setText(self._banner_text(lang))
            if self.preview.message and self.photo is None:
                self.preview.set_message(self._banner_text(lang))
        self._show_fps()

    def _apply_print_settings(self) -> None:
        index = self.sheet_box.findData(self.settings.sheet)
        self.sheet_box.setCurrentIndex(max(0, index))
        self._sheet_changed()
        self._show_printer()

    def _show_printer(self) -> None:
        s = self.settings
        if s.printer_backend == "pdf":
            self.printer_label.setText(self.tr("PDF ファイル：{path}").format(path=s.pdf_path or "-"))
        elif self.pdf_fallback:
            self.printer_label.setText(self.tr("PDF ファイルに保存（プリンターが見つかりません）"))
        else:
            self.printer_label.setText(s.printer_name or self.tr("既定のプリンター"))

    # ---- which printer ------------------------------------------------------------------
    @property
    def pdf_fallback(self) -> bool:
        return falls_back_to_pdf(self.settings, self.printers)

    def list_printers(self) -> None:
        """The system's printers, listed off the UI thread (the print system may be
        slow to answer); decides whether sheets go to a PDF file instead."""
        if self._shut:
            return
        self._printer_task = BackgroundTask(self.printer_lister, self._printers_listed, self._printers_unknown, self)

    def _printers_listed(self, printers: list) -> None:
        self.printers = list(printers)
        self._show_printer()
        self._show_print_state()
        self._show_notices()

    def _printers_unknown(self, exc: BaseException) -> None:
        log.warning("printers could not be listed: %s", type(exc).__name__)

    def _sheet_changed(self) -> None:
        key = self.sheet_box.currentData()
        cap = capacity(key, self.spec)
        self.count_spin.setRange(1, max(1, cap))
        want = self.settings.count if self.settings.count and key == self.settings.sheet else cap
        self.count_spin.setValue(min(max(1, want), cap))

    # ---- camera --------------------------------------------------------------------
    def start_camera(self) -> None:
        """(Re)start the feed from the settings' camera. While the previous camera's
        thread is still ending (a device cannot be opened twice) the start waits for
        its `stopped` signal."""
        self.stop_camera()
        if self._shut:
            return
        if self._stopping:
            self._start_pending = True
            return
        self._start_pending = False
        self._set_substitute(None)
        try:
            camera = self.camera_factory(CameraConfig.from_settings(self.settings))
        except MadoguchiError as exc:
            self.show_error(exc)
            return
        # No Qt parent: the threads may outlive the screen by a moment at exit, and
        # their last signals must find their objects alive.
        self.analyser = FrameAnalyser(self.spec)
        self.analyser.analysed.connect(self._on_analysed, Qt.ConnectionType.QueuedConnection)
        self.feed = CameraFeed(camera, self.analyser)
        self.feed.frame_ready.connect(self._on_frame, Qt.ConnectionType.QueuedConnection)
        self.feed.lost.connect(self._on_camera_lost, Qt.ConnectionType.QueuedConnection)
        self.feed.failed.connect(self._on_camera_lost, Qt.ConnectionType.QueuedConnection)
        self.feed.recovered.connect(self._on_camera_back, Qt.ConnectionType.QueuedConnection)
        self.feed.substituted.connect(self._on_substituted, Qt.ConnectionType.QueuedConnection)
        self.feed.start()

    def stop_camera(self) -> None:
        """Ask the camera and analysis threads to end; returns at once. Each thread
        closes its camera, overwrites its frames and then signals `stopped`."""
        for worker in (self.feed, self.analyser):
            if worker is None:
                continue
            self._stopping.append(worker)
            worker.stopped.connect(self._thread_stopped, Qt.ConnectionType.QueuedConnection)
            worker.stop()
        self.feed = self.analyser = None
        self.latest = None
        if self.photo is None:
            self.preview.show_frame(None)

    @property
    def camera_stopping(self) -> bool:
        return bool(self._stopping)

    def _thread_stopped(self) -> None:
        worker = self.sender()
        if worker in self._stopping:
            self._stopping.remove(worker)
        if not self._stopping and self._start_pending and not self._shut:
            self.start_camera()

    def _on_frame(self, frame: np.ndarray, seq: int) -> None:
        if self.sender() is not self.feed or self.feed is None:  # posted before a stop
            return
        self.feed.consumed()
        self.latest = frame
        if self.photo is None:
            self.preview.show_frame(frame)
        if self.preview.message and self.photo is None and not self.banner.isVisible():
            self.preview.set_message("")

    def _on_substituted(self, reason: MadoguchiError) -> None:
        if self.sender() is self.feed:
            self._set_substitute(reason)

    def _set_substitute(self, reason: MadoguchiError | None) -> None:
        self._substitute = reason
        self._show_notices()

    def _show_notices(self) -> None:
        """What the station does instead of a missing camera or printer, in self.lang."""
        lines = []
        if self._substitute is not None:
            lines.append(self.tr("カメラが見つからないため、テスト画像を表示しています。"
                                 "カメラをつないでから「写真の設定」でカメラを選んでください。"))
        if self.pdf_fallback:
            lines.append(self.tr("プリンターが見つからないため、印刷の代わりに PDF ファイルに保存します"
                                 "（保存先は印刷のときに選びます）。"))
        self.notice.setText("\n".join(lines))
        self.notice.setVisible(bool(lines))

    def _on_camera_lost(self, error: MadoguchiError) -> None:
        if self.sender() is not self.feed:  # a camera already switched away from
            return
        self.latest = None
        self.analysis = None
        self._camera_waiting = True
        self.show_error(error)
        self._show_waiting()
        if self.photo is None:
            self.preview.set_message(error.message(self.lang))
        self.capture_button.setEnabled(False)

    def _show_waiting(self) -> None:
        for label in self.check_labels.values():  # the checks were about the last picture
            label.setText("—")
            label.setStyleSheet("color:#78909c;")
        self.advice_label.setText(self.tr("カメラを待っています…"))
        self.advice_label.setStyleSheet("font-size:16pt;font-weight:bold;padding:6px;color:#c62828;")

    def _on_camera_back(self) -> None:
        if self.sender() is not self.feed:
            return
        self._camera_waiting = False
        self.hide_banner()
        self.preview.set_message("")
        self.capture_button.setEnabled(not self.busy)
        self.status.emit(self.tr("カメラが再接続されました"))

    def _on_analysed(self, result: Analysis, seq: int) -> None:
        if self.sender() is not self.analyser or self.analyser is None:  # from a stopped camera
            return
        if self.photo is not None or self._camera_waiting:  # a result from before the loss
            return
        self.analysis = result
        self.preview.set_guides(result.crop, result.ok, smooth=result.crop is not None)
        if result.crop is None:
            self.preview.crop = None
        self._show_checks(result)

    def _show_checks(self, result: Analysis) -> None:
        """Each check's state and advice, and the first thing to fix, in self.lang."""
        by_key = {c.key: c for c in result.checks}
        for key, label in self.check_labels.items():
            check = by_key.get(key)
            if check is None:
                label.setText("—")
                label.setStyleSheet("color:#78909c;")
            elif check.ok:
                label.setText("✓ OK")
                label.setStyleSheet("color:#2e7d32;font-weight:bold;")
            else:
                label.setText("✗ " + messages.advice_text(check.advice, self.lang) if check.advice else "✗")
                label.setStyleSheet("color:#c62828;font-weight:bold;")
        advice = result.advice(self.lang)
        self.advice_label.setText(advice[0] if advice else self.tr("撮影できます"))
        self.advice_label.setStyleSheet("font-size:16pt;font-weight:bold;padding:6px;color:%s;"
                                        % ("#c62828" if advice else "#2e7d32"))

    def _show_fps(self) -> None:
        if self.feed is None:
            self.fps_label.setText("")
            return
        text = self.tr("表示 {fps:.0f} fps（カメラ {cam:.0f} fps）").format(fps=self.preview.fps(), cam=self.feed.fps)
        if self.analyser is not None:
            text += self.tr("・解析 {ms:.0f} ms").format(ms=self.analyser.last_ms)
        self.fps_label.setText(text)

    # ---- capture and crop --------------------------------------------------------------
    def take_photo(self) -> None:
        if self.busy or self.latest is None or self.photo is not None:
            return
        snapshot = np.array(self.latest, copy=True)
        self._set_busy(True)

        def work() -> CapturedPhoto:
            try:
                return capture(snapshot, self.spec, strict=False, lang=self.lang)
            finally:
                wipe(snapshot)
        self._task = BackgroundTask(work, self._captured, self._capture_failed, self)

    def _captured(self, photo: CapturedPhoto) -> None:
        self._set_busy(False)
        self.hide_banner()
        self.photo = photo
        self.capture_id = uuid7()
        self.preview.show_frame(photo.frame)
        self.preview.set_message("")
        self._refresh_crop()
        self._show_quality(photo)
        self.pages.setCurrentWidget(self.adjust_page)
        self.status.emit(self.tr("撮影しました"))

    def _show_quality(self, photo: CapturedPhoto) -> None:
        """Quality warnings of the captured frame (blur, light, background): the staff decide."""
        failed = [c for c in photo.analysis.failed if c.key not in ("size", "framing") and c.advice]
        separator = "、" if self.lang == "ja" else "; "
        self.quality_label.setText(
            self.tr("注意：") + separator.join(messages.advice_text(c.advice, self.lang) for c in failed)
            if failed else "")

    def _capture_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.show_error(exc)

    def _refresh_crop(self) -> None:
        photo = self.photo
        if photo is None or photo.frame is None:
            return
        g = photo.geometry
        problems = crop_problems(g, self.spec)
        ok = not problems
        self.preview.set_guides(photo.crop, ok, smooth=False)
        self.geometry_label.setText(self.tr(
            "頭頂〜あご {head:.1f} mm（規格 {spec_head:g}±{tol:g}）\n頭上の余白 {crown:.1f} mm（規格 {spec_crown:g}±{ctol:g}）\n"
            "中心からのずれ {off:+.1f} mm\n解像度 {dpi:.0f} dpi（印刷 {out} dpi）").format(
            head=g.head_mm, spec_head=self.spec.head_mm, tol=self.spec.head_tol_mm, crown=g.crown_margin_mm,
            spec_crown=self.spec.crown_margin_mm, ctol=self.spec.crown_tol_mm, off=g.offset_mm, dpi=g.dpi,
            out=g.output_dpi))
        self.geometry_label.setStyleSheet("color:%s;" % ("#1b2631" if ok else "#c62828"))
        # Out of spec after a nudge or zoom: no way on to consent and print, and the
        # staff read why and which button brings it back.
        self.spec_reason.setText("\n".join(messages.crop_advice(problems, g, self.spec, self.lang)))
        self.next_button.setEnabled(ok)

    def crop_ok(self) -> bool:
        return self.photo is not None and self.photo.frame is not None and \
            not crop_problems(self.photo.geometry, self.spec)

    def nudge(self, dx: int, dy: int) -> None:
        if self.photo is not None and not self.busy:
            self.photo.nudge(dx, dy)
            self._refresh_crop()

    def _nudge_key(self, dx: int, dy: int) -> None:
        if self.pages.currentWidget() is self.adjust_page:
            self.nudge(dx, dy)

    def zoom(self, steps: int) -> None:
        if self.photo is not None and not self.busy:
            self.photo.zoom(steps)
            self._refresh_crop()

    def reset_crop(self) -> None:
        if self.photo is not None and not self.busy:
            self.photo.reset()
            self._refresh_crop()

    # ---- consent ---------------------------------------------------------------------------
    def go_consent(self) -> None:
        if self.photo is None or not self.crop_ok():
            return
        self.consent.reset()
        self.pages.setCurrentWidget(self.consent)

    def confirm_consent(self) -> None:
        if self.photo is None:
            return
        photo = self.photo
        self._set_busy(True)

        def done(_row) -> None:
            self._set_busy(False)
            photo.consented = True
            self._set_print_state("")
            self.pages.setCurrentWidget(self.print_page)
        self.worker.submit(facts.record_consent, self.opening_id, self.capture_id, now=self.clock(),
                           on_done=done, on_error=self._store_failed)

    # ---- printing ---------------------------------------------------------------------------
    def print_photo(self) -> None:
        photo = self.photo
        if photo is None or self.busy:
            return
        if not photo.consented:
            self.show_error(MadoguchiError("PHOTO_NO_CONSENT"))
            return
        if not self.crop_ok():  # never a photo out of spec, whatever the path here
            self.pages.setCurrentWidget(self.adjust_page)
            return
        if self.pdf_fallback:
            self._ask_pdf_path()
            return
        self._start_print(PrinterConfig.from_settings(self.settings))

    def _ask_pdf_path(self) -> None:
        """No printer on this laptop: the staff choose the PDF file (not blocking)."""
        if self.pdf_dialog is not None and self.pdf_dialog.isVisible():
            self.pdf_dialog.raise_()
            return
        dialog = save_dialog(self, self.settings, self.clock(), self.tr("写真を PDF に保存"), self.tr("PDF (*.pdf)"))
        dialog.fileSelected.connect(self._pdf_chosen)
        dialog.rejected.connect(self._pdf_cancelled)
        self.pdf_dialog = dialog
        dialog.open()

    def _pdf_cancelled(self) -> None:
        self.pdf_dialog = None
        if self.photo is not None:
            self.status.emit(self.tr("保存しませんでした。写真はまだ消去していません。"))

    def _pdf_chosen(self, path: str) -> None:
        self.pdf_dialog = None
        if not path or self.photo is None:
            return
        # The next save dialog opens in this folder (only the path: no photo in it).
        self.settings = self.settings.with_(pdf_path=path)
        try:
            save_photo_settings(self.data_dir, self.settings)
        except OSError as exc:
            log.warning("photo settings not saved: %s", type(exc).__name__)
        self._start_print(PrinterConfig("pdf", pdf_path=path), saved_to=path)

    def _start_print(self, config: PrinterConfig, saved_to: str | None = None) -> None:
        photo = self.photo
        if photo is None or self.busy:
            return
        sheet, count = self.sheet_box.currentData(), self.count_spin.value()
        try:
            printer = self.printer_factory(config)
            lay = layout(sheet, self.spec, count)
            pixels = photo.photo()  # rendered here: the print thread only reads it
        except MadoguchiError as exc:
            self.show_error(exc)
            return
        self._inflight_capture = self.capture_id
        self._set_busy(True)
        self._set_print_state("printing")
        self._task = BackgroundTask(
            lambda: printer.print_sheet(lay, pixels, self.spec, lang=self.lang, timeout=PRINT_TIMEOUT_S),
            lambda outcome: self._printed(outcome, sheet, saved_to), self._print_failed, self)

    def _printed(self, outcome, sheet: str, saved_to: str | None = None) -> None:
        """Counted once per capture (facts.record_printed); the photo is wiped."""
        self._set_busy(False)
        capture_id, self._inflight_capture = self._inflight_capture or self.capture_id, ""
        photo = self.photo
        if photo is not None:
            photo.printed_copies += outcome.copies
        self.worker.submit(facts.record_printed, self.opening_id, capture_id, copies=outcome.copies,
                           sheet=sheet, now=self.clock(), on_error=self._store_failed)
        self.discard("printed")
        if outcome.purge_error:
            self.show_error(MadoguchiError("PRINT_PURGE_FAILED", job=outcome.job, reason=outcome.purge_error))
        if saved_to:
            self.status.emit(self.tr("PDF に保存しました（{path}）。写真データは消去しました。").format(path=saved_to))
        else:
            self.status.emit(self.tr("印刷しました。写真データは消去しました。"))

    def _print_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self._inflight_capture = ""
        self._set_print_state("failed")
        self.show_error(exc)
        if isinstance(exc, MadoguchiError) and exc.code == "PRINTER_NOT_FOUND" and not self.settings.printer_name:
            self.list_printers()  # the default printer is gone: maybe no printer at all now

    # ---- deletion ------------------------------------------------------------------------------
    def discard(self, reason: str) -> None:
        """Overwrite the photo's buffers and record the deletion (time, opening)."""
        photo = self.photo
        if photo is None or self.busy:
            return
        photo.discard()
        self.photo = None
        capture_id, self.capture_id = self.capture_id, ""
        self.worker.submit(facts.record_deletion, self.opening_id, capture_id, reason=reason, now=self.clock(),
                           on_error=self._store_failed)
        self._set_print_state("")
        self.quality_label.setText("")
        self.spec_reason.setText("")
        self.preview.show_frame(self.latest)
        self.preview.set_guides(None, False, smooth=False)
        self.pages.setCurrentWidget(self.live_page)
        self.photo_deleted.emit(reason)
        if reason != "printed":
            self.status.emit(self.tr("写真データを消去しました"))

    # ---- settings -------------------------------------------------------------------------------
    def open_settings(self) -> None:
        from ui.photo_settings import PhotoSettingsDialog

        dialog = PhotoSettingsDialog(self.settings, self.spec, self.lang, self.printer_factory, self,
                                     printer_lister=self.printer_lister)
        self.settings_dialog = dialog
        dialog.accepted.connect(lambda: self.apply_settings(dialog.result_settings()))
        dialog.open()

    def apply_settings(self, settings: PhotoSettings) -> None:
        camera_changed = CameraConfig.from_settings(settings) != CameraConfig.from_settings(self.settings)
        old, self.settings = self.settings, settings
        try:
            save_photo_settings(self.data_dir, settings)
        except OSError as exc:
            log.warning("photo settings not saved: %s", type(exc).__name__)
        self.preview.mirror = settings.mirror_preview
        self._apply_print_settings()
        self._show_print_state()
        self._show_notices()
        if (settings.printer_backend, settings.printer_name) != (old.printer_backend, old.printer_name):
            self.list_printers()
        if camera_changed:
            self.hide_banner()
            self._camera_waiting = False
            self.preview.set_message("")
            self.start_camera()

    # ---- feedback / lifecycle -----------------------------------------------------------------
    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.capture_button.setEnabled(not busy)
        self.print_button.setEnabled(not busy)
        self.discard_button.setEnabled(not busy)
        self.consent.confirm_button.setEnabled(not busy and all(b.isChecked() for b in self.consent.boxes.values()))

    def show_banner(self, text: str | Callable[[str], str]) -> None:
        """`text` may be a function of the language, so a switch rewords the banner."""
        self._banner_text = text if callable(text) else (lambda _lang, t=text: t)
        self.banner.setText(self._banner_text(self.lang))
        self.banner.show()

    def hide_banner(self) -> None:
        self._banner_text = None
        self.banner.hide()

    def show_error(self, exc: BaseException) -> None:
        if isinstance(exc, MadoguchiError):
            self.show_banner(exc.message)
        else:
            log.warning("photo operation failed: %s", type(exc).__name__)
            name = type(exc).__name__
            self.show_banner(lambda _lang: self.tr("予期しないエラーが発生しました（{name}）。").format(name=name))

    def _store_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.show_error(exc)

    def shutdown(self) -> None:
        """Closing: wait for a print (or capture) in flight — bounded, with a message —
        so its result is recorded; then wipe a photo still held and record that; then
        stop the camera threads, which overwrite their frames. No photo buffer of the
        screen is left un-wiped, even when the print does not end in time."""
        if self._shut:
            return
        self._shut = True
        self._fps_timer.stop()
        if self.pdf_dialog is not None:
            self.pdf_dialog.reject()
        if self.busy:
            finished = wait_while(lambda: self.busy, self.exit_print_wait_s, self._exit_wait_text, self,
                                  title=self.tr("写真撮影"))
            if not finished:
                # The print did not end in time: its thread is left to finish on its
                # own (the spooler job is its business), the photo is wiped now.
                log.warning("closing with a photo task still running: photo wiped")
                self._set_busy(False)
        if self.photo is not None:
            self.discard("discarded")
        self.stop_camera()
        if not wait_while(lambda: any(w.running for w in self._stopping), self.exit_thread_wait_s,
                          lambda _s: self.tr("カメラを止めています…"), self, show_after=0.5, title=self.tr("写真撮影")):
            for worker in self._stopping:  # a driver stuck in a read: overwrite from here
                worker.wipe_now()

    def _exit_wait_text(self, seconds_left: int) -> str:
        return self.tr("印刷が終わるのを待っています（あと最大 {n} 秒）。終わったら写真を消去して閉じます。").format(
            n=seconds_left)


class PhotoWindow(QWidget):
    """The photo station as its own window (the booth app keeps its tally board)."""

    def __init__(self, worker, opening_id: str, spec: PhotoSpec, data_dir: Path, lang: str = "ja",
                 **kwargs: Any) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setObjectName("photo-window")
        self.setWindowTitle(self.tr("写真撮影 — Madoguchi"))
        layout_ = QVBoxLayout(self)
        layout_.setContentsMargins(6, 6, 6, 6)
        self.screen_ = PhotoScreen(worker, opening_id, spec, data_dir, lang, parent=self, **kwargs)
        layout_.addWidget(self.screen_)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("photo-status")
        self.status_label.setFrameShape(QFrame.Shape.NoFrame)
        layout_.addWidget(self.status_label)
        self.screen_.status.connect(self.status_label.setText)

    @property
    def opening_id(self) -> str:
        return self.screen_.opening_id

    def set_language(self, lang: str) -> None:
        """Called by the booth window after it installed the new translators."""
        self.setWindowTitle(self.tr("写真撮影 — Madoguchi"))
        self.status_label.clear()  # a passing acknowledgement, not worth rewording
        self.screen_.set_language(lang)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt naming
        self.screen_.shutdown()
        event.accept()


def open_photo_station(parent: QWidget | None, worker, opening_id: str, profile_key: str, data_dir: Path,
                       lang: str = "ja") -> PhotoWindow:
    profile = get_profile(profile_key)
    if not profile.photo.enabled:
        raise MadoguchiError("PHOTO_DISABLED", profile=profile_key)
    window = PhotoWindow(worker, opening_id, profile.photo, data_dir, lang)
    window.resize(1280, 760)
    window.show()
    return window
