"""The tally board of one opening: counter pad, applicant card, hourly chart,
history, undo and closing.

Acknowledgement rule: a tap changes nothing on screen until the worker reports that
the domain call returned (the row is committed). Only then do the counts update, the
button flash and the status line confirm. If the call raised, the error is shown and
nothing is acknowledged.
"""
from __future__ import annotations

import logging
from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QDialog, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout,
                               QWidget)

from app import tallies as tl
from app.profiles import Profile, get_profile
from app.tallies import Tally
from ui.applicant_card import ApplicantCard
from ui.board_ops import BoardState, close_and_load, load_board, local_now, write_and_load
from ui.close_day import CloseDayDialog
from ui.counter_pad import CounterPad
from ui.dialogs import CorrectionDialog, DimensionChooser, ReasonDialog, focus_first_edit
from ui.history_panel import HistoryPanel
from ui.hourly_chart import HourlyChart
from ui.labels import counter_label, dims_text, join_list, municipality_label, paren, with_dims
from ui.worker import StoreWorker

log = logging.getLogger("madoguchi.ui.board")

CARD_WIDTH = 450


class TallyBoard(QWidget):
    acknowledged = Signal(str)    # status-line text after a committed write
    failed = Signal(object)       # the exception of a refused write

    def __init__(self, worker: StoreWorker, state: BoardState, lang: str,
                 clock: Callable[[], Any] = local_now, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tally-board")
        self.worker = worker
        self.lang = lang
        self.clock = clock
        self.state = state
        self.profile: Profile = get_profile(state.opening.profile)
        self.active_dialog: QDialog | None = None
        self.retired = False  # set when the window replaces this board
        self._build()
        self._install_shortcuts()
        self.apply_state(state)

    # ---- layout ---------------------------------------------------------------
    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(8, 4, 8, 4)
        root.setSpacing(6)
        self.header = QLabel(self)
        self.header.setObjectName("board-header")
        self.header.setProperty("role", "header")
        self.header.setWordWrap(True)  # a long venue name wraps instead of widening the window
        root.addWidget(self.header)
        self.closed_frame = QFrame(self)
        self.closed_frame.setProperty("role", "closed")
        closed_layout = QHBoxLayout(self.closed_frame)
        closed_layout.setContentsMargins(8, 4, 8, 4)
        self.closed_label = QLabel(self.closed_frame)
        self.closed_label.setObjectName("closed-label")
        self.closed_label.setWordWrap(True)
        closed_layout.addWidget(self.closed_label)
        root.addWidget(self.closed_frame)

        columns = QHBoxLayout()
        columns.setSpacing(14)
        self.card: ApplicantCard | None = None
        if self.profile.card is not None:
            self.card = ApplicantCard(self.profile, self.lang, CARD_WIDTH, self)
            self.card.setFixedWidth(CARD_WIDTH)
            self.card.record_requested.connect(self.request_card)
            columns.addWidget(self.card)
        self.pad = CounterPad(self.profile, self.lang, self)
        self.pad.tapped.connect(self.request_tap)
        self._mark_station_counters()
        columns.addWidget(self.pad, 5)
        right = QVBoxLayout()
        self.chart = HourlyChart(self.profile, self.lang, self)
        right.addWidget(self.chart, 2)
        self.history = HistoryPanel(self.profile, self.lang, self)
        self.history.undo_requested.connect(self.request_undo)
        self.history.correct_requested.connect(self.request_correct)
        self.history.filter_changed.connect(self.reload)
        right.addWidget(self.history, 3)
        columns.addLayout(right, 4)
        root.addLayout(columns, 1)

        bottom = QHBoxLayout()
        self.undo_last_button = QPushButton(self.tr("↶ 直前の記録を取り消す"), self)
        self.undo_last_button.setObjectName("undo-last")
        self.undo_last_button.setMinimumHeight(48)
        self.undo_last_button.setToolTip(self.tr("キーボード：Ctrl+Z"))
        self.undo_last_button.clicked.connect(self.request_undo_last)
        bottom.addWidget(self.undo_last_button)
        bottom.addStretch(1)
        self.close_button = QPushButton(self.tr("本日の締め…"), self)
        self.close_button.setObjectName("close-day")
        self.close_button.setProperty("role", "danger")
        self.close_button.setMinimumHeight(48)
        self.close_button.clicked.connect(self.request_close)
        bottom.addWidget(self.close_button)
        root.addLayout(bottom)

    def station_caption(self, station: str) -> str:
        return {"photo_station": self.tr("写真撮影画面で自動記録")}.get(station, station)

    def _mark_station_counters(self) -> None:
        """A counter a station records by itself (profile `recorded_by`, e.g. the photo
        count printed by the photo station) is shown read-only, with where it comes
        from: a hand tap would count the same photo twice. Its rows can still be
        undone or corrected from the history."""
        for counter in self.profile.counters:
            if counter.recorded_by:
                button = self.pad.buttons[counter.key]
                button.setEnabled(False)
                button.setProperty("recorded_by", counter.recorded_by)
                # grey and dashed: looks like a display, not a button to press
                button.setStyleSheet("QPushButton { background: #f3f5f7; border: 2px dashed #90a4ae; }")
                button.shortcut_label.setText(self.station_caption(counter.recorded_by))

    def _install_shortcuts(self) -> None:
        # Window-wide keys: a dialog is its own window, so typing a reason there
        # never counts as a tap.
        for counter in self.profile.counters:
            if counter.shortcut:
                sc = QShortcut(QKeySequence(counter.shortcut), self)
                sc.setContext(Qt.ShortcutContext.WindowShortcut)
                sc.activated.connect(lambda k=counter.key: self.request_tap(k))
        undo = QShortcut(QKeySequence.StandardKey.Undo, self)
        undo.activated.connect(self.request_undo_last)
        if self.card is not None:
            record = QShortcut(QKeySequence("Ctrl+Return"), self)
            record.activated.connect(self.card.record_button.click)

    # ---- showing state --------------------------------------------------------
    def apply_state(self, state: BoardState) -> None:
        self.state = state
        o = state.opening
        region = o.region.label(self.lang)
        kind = self.profile.kind(o.kind).label(self.lang) if o.kind in \
            {k.key for k in self.profile.opening_kinds} else o.kind
        large = self.tr("・100人規模") if o.large else ""
        self.header.setText(self.tr("{date}　{venue}　{municipality}（{region}）　{kind}{large}　従事者 {staff}名").format(
            date=o.date.isoformat(), venue=o.venue, municipality=municipality_label(o.municipality, self.lang),
            region=region,
            kind=kind, large=large, staff=o.staff))
        self.closed_frame.setVisible(o.closed)
        if o.closed:
            self.closed_label.setText(self.tr("締め済み（{time}）。この後の操作は締め後の修正として記録され、理由の入力が必要です。").format(
                time=o.closed_at[11:16]))
        self.close_button.setEnabled(not o.closed)
        self.pad.set_totals(state.totals)
        self.chart.set_hourly(state.hourly)
        self.history.set_hours(sorted(state.hourly))
        self.history.set_history(state.history, state.history_filter)

    def count_text(self, counter_key: str) -> str:
        return self.pad.buttons[counter_key].count_label.text()

    # ---- requests from the user ----------------------------------------------
    def request_tap(self, counter_key: str) -> None:
        if self.active_dialog is not None or not self.profile.hand_tapped(counter_key):
            return
        counter = self.profile.counter(counter_key)
        if not counter.dimensions:
            self._with_amendment_reason(lambda reason: self._tap(counter_key, {}, reason))
            return
        chooser = DimensionChooser(self.profile, counter_key, self.lang, self)

        def chosen() -> None:
            dims = chooser.values()  # read now: the dialog is deleted once closed
            self._with_amendment_reason(lambda reason: self._tap(counter_key, dims, reason))
        self._open_dialog(chooser, chosen)

    def _tap(self, counter_key: str, dims: dict, reason: str | None) -> None:
        now = self.clock()
        what = self._describe(counter_key, dims)

        def ack(_row: Tally) -> None:
            self.pad.buttons[counter_key].flash()
            self.acknowledged.emit(self.tr("記録しました：{what}").format(what=what))
        self._write(tl.tap, self.state.opening.id, counter_key, dims, now=now, reason=reason, ack=ack)

    def request_card(self, dims: dict, optional: list) -> None:
        if self.active_dialog is not None or self.card is None:
            return

        def record(reason: str | None) -> None:
            now = self.clock()
            self.card.set_busy(True)

            def ack(rows: list[Tally]) -> None:
                self.card.set_busy(False)
                self.card.reset()
                for row in rows:
                    self.pad.buttons[row.counter].flash()
                names = " ＋ ".join(counter_label(self.profile, r.counter, self.lang) for r in rows)
                what = names + paren(dims_text(self.profile, dims, self.lang), self.lang)
                self.acknowledged.emit(self.tr("記録しました：{what}").format(what=what))
            self._write(tl.record_card, self.state.opening.id, dims, list(optional), now=now,
                        reason=reason, ack=ack, fail=lambda: self.card.set_busy(False))
        self._with_amendment_reason(record)

    def request_undo_last(self) -> None:
        if self.active_dialog is not None:
            return

        def run(reason: str | None) -> None:
            now = self.clock()
            self._write(tl.undo_last, self.state.opening.id, now=now, reason=reason,
                        ack=lambda rows: self._ack_undo(rows, self.tr("取り消しました：{what}")))
        self._with_amendment_reason(run)

    def request_undo(self, tally: Tally) -> None:
        if self.active_dialog is not None:
            return
        dialog = ReasonDialog(self.tr("記録の取り消し"), self.tr("取り消す記録：{what}\n取り消しの理由を入力してください。").format(
            what=self._describe(tally.counter, tally.dims)), self, lang=self.lang)
        self._open_dialog(dialog, lambda: self._write(
            tl.undo, tally.id, reason=dialog.reason(), now=self.clock(),
            ack=lambda rows: self._ack_undo(rows, self.tr("取り消しました：{what}"))))

    def request_correct(self, tally: Tally) -> None:
        if self.active_dialog is not None:
            return
        dialog = CorrectionDialog(self.profile, tally, self.lang, self)

        def run() -> None:
            counter, dims, reason = dialog.counter(), dialog.dims(), dialog.reason()

            def ack(_rows: list[Tally]) -> None:
                self.pad.buttons[counter].flash()
                self.acknowledged.emit(self.tr("訂正しました：{what}").format(what=self._describe(counter, dims)))
            self._write(tl.correct, tally.id, counter=counter, dims=dims, reason=reason,
                        now=self.clock(), ack=ack)
        self._open_dialog(dialog, run)

    def request_close(self) -> None:
        if self.active_dialog is not None or self.state.opening.closed:
            return
        # Re-read the totals first so the supervisor confirms what is committed now.
        self.worker.submit(load_board, self.state.opening.id, self.history.current_filter(),
                           on_done=self._show_close_dialog, on_error=self.failed.emit)

    def _show_close_dialog(self, state: BoardState) -> None:
        if self.retired:
            return
        self.apply_state(state)
        if self.active_dialog is not None or state.opening.closed:
            return
        dialog = CloseDayDialog(self.profile, state, self.lang, self)

        def run() -> None:
            name = dialog.confirmed_by()  # read now: the dialog is deleted once closed

            def done(new_state: BoardState) -> None:
                if self.retired:
                    return
                self.apply_state(new_state)
                self.acknowledged.emit(self.tr("本日を締めました（確認：{name}）").format(name=name))
            self.worker.submit(close_and_load, state.opening.id, now=self.clock(), confirmed_by=name,
                               history_filter=self.history.current_filter(), on_done=done, on_error=self.failed.emit)
        self._open_dialog(dialog, run)

    def reload(self) -> None:
        """Read the board again: the history's filter changed, or another window
        (photo station, QR board) recorded something."""
        if self.state is None:
            return
        self.worker.submit(load_board, self.state.opening.id, self.history.current_filter(),
                           on_done=lambda s: None if self.retired else self.apply_state(s),
                           on_error=self.failed.emit)

    # ---- plumbing -------------------------------------------------------------
    def _with_amendment_reason(self, action: Callable[[str | None], None]) -> None:
        """Before closing: act at once. After closing: ask why first (an amendment)."""
        if not self.state.opening.closed:
            action(None)
            return
        dialog = ReasonDialog(self.tr("締め後の修正"), self.tr("この日は締め済みです。修正の理由を入力してください。"), self,
                              lang=self.lang)
        self._open_dialog(dialog, lambda: action(dialog.reason()))

    def _open_dialog(self, dialog: QDialog, on_accept: Callable[[], None]) -> None:
        self.active_dialog = dialog

        def finished(result: int) -> None:
            self.active_dialog = None
            dialog.deleteLater()
            if result == QDialog.DialogCode.Accepted:
                on_accept()
        dialog.finished.connect(finished)
        dialog.open()
        focus_first_edit(dialog)

    def _write(self, fn: Callable[..., Any], *args: Any, ack: Callable[[Any], None],
               fail: Callable[[], None] | None = None, **kwargs: Any) -> None:
        def done(result: tuple[Any, BoardState]) -> None:
            if self.retired:
                return
            value, state = result
            self.apply_state(state)
            ack(value)

        def error(exc: BaseException) -> None:
            if self.retired:  # the page was rebuilt meanwhile; the log keeps the code
                log.warning("write refused after the board was replaced: %s", getattr(exc, "code", exc))
                return
            if fail is not None:
                fail()
            self.failed.emit(exc)
        self.worker.submit(write_and_load, self.state.opening.id, fn, *args, **kwargs,
                           history_filter=self.history.current_filter(), on_done=done, on_error=error)

    def _ack_undo(self, rows: list[Tally], template: str) -> None:
        for row in rows:
            if row.counter in self.pad.buttons:
                self.pad.buttons[row.counter].flash()
        what = join_list((self._describe(r.counter, r.dims) for r in rows), self.lang)
        self.acknowledged.emit(template.format(what=what))

    def _describe(self, counter_key: str, dims: dict) -> str:
        return with_dims(self.profile, counter_key, dims, self.lang)
