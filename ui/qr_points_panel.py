"""The QR board's point-distribution panel (profiles with a daily cap): what this
laptop may still grant, the grant button, setting up / joining the day, and
moving allotment between laptops (transfer and return codes, the hub's reserve).

It lives inside the QR board (ui/qr_board.py) and uses the board's plumbing:
`write` (store worker, then a fresh state), `open_dialog`, `show_code`,
`fail_in`, `done`, `ack`. The dialogs are in ui/qr_points_dialogs.py; the
domain is app/points.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QGridLayout, QGroupBox, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QVBoxLayout)

from shiboken6 import isValid

from app import points as pts
from app.errors import MadoguchiError
from app.points import hub_requests
from app.points.codes import Transfer
from app.points.hub_client import send_request
from ui.qr_hub import CHECKING, NO_HUB, RECEIVED, WAITING, HubFollowUp
from ui.qr_ops import QrBoardState, prepare_setup
from ui.qr_points_dialogs import (HubDrawDialog, HubReleaseDialog, IssueTransferDialog, ScanCodeDialog,
                                  SetupDayDialog)
from ui.qr_scan import Background

if TYPE_CHECKING:
    from ui.qr_board import QrBoard

ACTIONS = ("qr-setup", "qr-join", "qr-transfer-out", "qr-transfer-in", "qr-return", "qr-show-join",
           "qr-hub-draw", "qr-hub-release")


class PointsPanel(QGroupBox):
    """Hidden for a profile without a daily cap."""

    def __init__(self, board: "QrBoard") -> None:
        super().__init__(board)
        self.board = board
        self.setObjectName("qr-points")
        p = QVBoxLayout(self)
        self.available_label = QLabel(self)
        self.available_label.setObjectName("qr-available")
        big = QFont(self.available_label.font())
        big.setPointSize(24)
        big.setBold(True)
        self.available_label.setFont(big)
        p.addWidget(self.available_label)
        self.detail_label = QLabel(self)
        self.detail_label.setObjectName("qr-points-detail")
        self.detail_label.setWordWrap(True)
        p.addWidget(self.detail_label)
        self.laptop_label = QLabel(self)
        self.laptop_label.setObjectName("qr-laptop-code")
        p.addWidget(self.laptop_label)
        self.grant_button = QPushButton(self)
        self.grant_button.setObjectName("qr-grant")
        self.grant_button.setProperty("role", "primary")
        self.grant_button.setMinimumHeight(64)
        self.grant_button.clicked.connect(self.request_grant)
        p.addWidget(self.grant_button)
        grid = QGridLayout()
        slots = {"qr-setup": self.request_setup, "qr-join": lambda: self.request_scan("join"),
                 "qr-transfer-out": self.request_issue, "qr-transfer-in": lambda: self.request_scan("transfer"),
                 "qr-return": lambda: self.request_scan("return"), "qr-show-join": self.request_show_join,
                 "qr-hub-draw": self.request_hub_draw, "qr-hub-release": self.request_hub_release}
        self.action_buttons: dict[str, QPushButton] = {}
        for i, name in enumerate(ACTIONS):
            button = QPushButton(self)
            button.setObjectName(name)
            button.setMinimumHeight(40)
            button.clicked.connect(slots[name])
            grid.addWidget(button, i // 2, i % 2)
            self.action_buttons[name] = button
        p.addLayout(grid)
        self.outstanding_title = QLabel(self)
        self.outstanding_title.setWordWrap(True)
        p.addWidget(self.outstanding_title)
        self.outstanding_list = QListWidget(self)
        self.outstanding_list.setObjectName("qr-outstanding")
        self.outstanding_list.setMinimumHeight(60)
        self.outstanding_list.setWordWrap(True)  # the expiry reminder is a sentence
        self.outstanding_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.outstanding_list.itemDoubleClicked.connect(self._show_outstanding)
        p.addWidget(self.outstanding_list, 1)
        # Online: expired codes asked about at the hub, unanswered hub requests resent.
        self.follow = HubFollowUp(board)
        self.follow.changed.connect(self._fill_outstanding)

    def retranslate(self) -> None:
        self.setTitle(self.tr("ポイント配布"))
        self.grant_button.setText(self.tr("ポイント付与（1名）"))
        texts = {"qr-setup": self.tr("配布日の設定…（代表端末）"), "qr-join": self.tr("参加コードを読み取る…"),
                 "qr-transfer-out": self.tr("配布枠を譲る…"), "qr-transfer-in": self.tr("譲渡コードを受け取る…"),
                 "qr-return": self.tr("返却コードを読み取る…"), "qr-show-join": self.tr("参加コードを表示"),
                 "qr-hub-draw": self.tr("ハブから配布枠を受け取る…"),
                 "qr-hub-release": self.tr("ハブに配布枠を返す…")}
        for name, button in self.action_buttons.items():
            button.setText(texts[name])
        self.outstanding_title.setText(self.tr("譲渡したコード（ダブルクリックで再表示）"))

    # ---- state -------------------------------------------------------------------------
    def apply_state(self, state: QrBoardState) -> None:
        self.setVisible(state.capped)
        st = state.points
        joined = st is not None
        self.laptop_label.setText(self.tr("この端末のコード：{code}").format(code=state.laptop))
        for name in ("qr-setup", "qr-join"):
            self.action_buttons[name].setEnabled(not joined)
        for name in ("qr-transfer-out", "qr-transfer-in", "qr-return", "qr-show-join"):
            self.action_buttons[name].setEnabled(joined)
        self.action_buttons["qr-hub-draw"].setEnabled(joined and st.hub_reserve > 0)
        self.action_buttons["qr-hub-release"].setEnabled(joined and st.hub_reserve > 0 and st.available > 0)
        self.outstanding_list.clear()
        if not joined:
            self.available_label.setText(self.tr("配布枠が未設定です"))
            self.available_label.setStyleSheet("color: #8a4b00;")
            self.detail_label.setText(self.tr(
                "代表端末で「配布日の設定」をしてから、ほかの端末は参加コードを読み取ってください。"
                "本日の上限：{cap} 名").format(cap=f"{state.profile.daily_cap or 0:,}"))
            self.grant_button.setEnabled(False)
            return
        if st.ended:
            self.available_label.setText(self.tr("配布終了（この端末の残り 0 名）"))
            self.available_label.setStyleSheet("color: #b71c1c;")
        else:
            self.available_label.setText(self.tr("この端末の残り {n} 名").format(n=f"{st.available:,}"))
            self.available_label.setStyleSheet("color: #0b5394;")
        self.detail_label.setText(self.tr(
            "付与済み {granted} 名 ／ この端末の配布枠 {allotment} 名 ／ 譲渡済み {transit} 名 ／ 会場の上限 {cap} 名").format(
            granted=f"{st.granted:,}", allotment=f"{st.allotment:,}", transit=f"{st.in_transit:,}",
            cap=f"{st.cap:,}"))
        self.grant_button.setEnabled(not st.ended)
        self._fill_outstanding()
        self.follow.tick(state)

    def _fill_outstanding(self) -> None:
        """The codes this laptop handed over: open ones (with what the hub says of
        the expired ones), then those whose grants came back through the hub."""
        st = self.board.state.points if self.board.state is not None else None
        self.outstanding_list.clear()
        if st is None:
            return
        tz = self.board.clock().tzinfo
        hub_notes = {
            CHECKING: self.tr("　期限切れ：ハブに確認しています…"),
            RECEIVED: self.tr("　受け取り済み（ハブで確認）"),
            WAITING: self.tr("　期限切れ・受け取り側の同期待ち"),
        }
        for o in st.outstanding:
            text = self._code_line(o, tz)
            if o.expired:
                text += hub_notes.get(self.follow.states.get(o.code_id), self.tr(
                    "　期限切れ：受け取り側で返却コードを表示してもらい、読み取ってください"))
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, o.code_id)
            self.outstanding_list.addItem(item)
        for o in st.returned_by_hub:
            item = QListWidgetItem(self._code_line(o, tz) + self.tr("　期限切れ・ハブで未受領を確認済み → 戻しました"))
            item.setForeground(Qt.GlobalColor.darkGray)
            self.outstanding_list.addItem(item)  # no code to show again: it came back

    def _code_line(self, o, tz) -> str:
        hhmm = datetime.fromisoformat(o.expires_at).astimezone(tz).strftime("%H:%M")
        return self.tr("{to} へ {n} 名（期限 {time}）").format(to=o.recipient, n=f"{o.count:,}", time=hhmm)

    # ---- requests ------------------------------------------------------------------------
    def request_grant(self) -> None:
        b = self.board

        def ack(result) -> None:
            _row, st = result
            b.ack(self.tr("ポイントを付与しました（この端末の残り {n} 名）").format(n=f"{st.available:,}"))
        b.write(pts.grant, b.opening_id, now=b.clock(), ack=ack)

    def _join_explanation(self) -> str:
        return self.tr("ほかの端末で「参加コードを読み取る」を押し、この QR コードを読み取るか、下の文字を入力してください。")

    def request_setup(self) -> None:
        b = self.board
        if b.state is None:
            return
        dialog = SetupDayDialog(b.lang, b.state.profile.daily_cap or 0, b.state.laptop, b)
        fail = b.fail_in(dialog, dialog.show_error)

        def submit(values: dict) -> None:
            now = b.clock()

            def commit(roster, note: str) -> None:
                def ack(result) -> None:
                    _st, join = result
                    b.done(dialog, self.tr("配布日を設定しました") + note)
                    b.show_code(self.tr("参加コード"), join, self._join_explanation())
                b.write(pts.setup_day, b.opening_id, now=now, roster=roster, ack=ack, fail=fail)

            def prepared(result) -> None:
                roster, opening = result
                factory, device_id = b.hub_factory, b.state.device_id

                def register() -> str:
                    """Online: the hub refuses a second set-up of this venue and date."""
                    try:
                        hub = factory()
                    except MadoguchiError as exc:
                        if exc.code in NO_HUB:
                            return ""  # no hub: an offline venue, the usual case
                        raise
                    try:
                        hub.register_setup(roster.venue_day, device_id=device_id, opening=opening)
                        return ""
                    except MadoguchiError as exc:
                        if exc.code != "POINTS_HUB_FAILED":
                            raise  # POINTS_VENUE_DAY_TAKEN: shown in the dialog, nothing written
                        return self.tr("（ハブに接続できなかったため、同じ会場・日付の二重設定は確認していません）")
                    finally:
                        hub.close()
                Background(register, lambda note: None if b.retired else commit(roster, note), fail, b)
            b.worker.submit(prepare_setup, b.opening_id, now, values["allotments"], values["hub_reserve"],
                            on_done=prepared, on_error=fail)
        dialog.submitted.connect(submit)
        b.open_dialog(dialog)

    def request_scan(self, kind: str) -> None:
        b = self.board
        if b.state is None:
            return
        dialog = ScanCodeDialog(kind, b.lang, b.state.laptop, b.camera_config, b)
        fail = b.fail_in(dialog, dialog.show_error)

        def submit(text: str, action: str) -> None:
            now = b.clock()
            if action == "join":
                b.write(pts.join_day, b.opening_id, text, now=now, fail=fail,
                        ack=lambda st: b.done(dialog, self.tr("配布日に参加しました（配布枠 {n} 名）").format(
                            n=f"{st.allotment:,}")))
            elif action == "transfer":
                b.write(pts.receive_transfer, b.opening_id, text, now=now, fail=fail,
                        ack=lambda st: b.done(dialog, self.tr("配布枠を受け取りました（この端末の残り {n} 名）").format(
                            n=f"{st.available:,}")))
            elif action == "void":
                def voided(result) -> None:
                    ret, _st = result
                    b.done(dialog, self.tr("返却コードを表示しました"))
                    b.show_code(self.tr("返却コード"), ret, self.tr(
                        "譲渡コードを発行した端末で「返却コードを読み取る」を押し、この QR コードを読み取ってください。"
                        "この端末はこの譲渡コードをもう受け取れません。"))
                b.write(pts.void_transfer, b.opening_id, text, now=now, fail=fail, ack=voided)
            else:
                b.write(pts.accept_return, b.opening_id, text, now=now, fail=fail,
                        ack=lambda st: b.done(dialog, self.tr("配布枠が戻りました（この端末の残り {n} 名）").format(
                            n=f"{st.available:,}")))
        dialog.submitted.connect(submit)
        b.open_dialog(dialog)

    def request_issue(self) -> None:
        b = self.board
        if b.state is None or b.state.points is None:
            return
        dialog = IssueTransferDialog(b.lang, b.state.points, b)
        fail = b.fail_in(dialog, dialog.show_error)

        def submit(values: dict) -> None:
            def ack(result) -> None:
                code, st = result
                b.done(dialog, self.tr("譲渡コードを表示しました（この端末の残り {n} 名）").format(n=f"{st.available:,}"))
                self._show_transfer(code, values["recipient"])
            b.write(pts.issue_transfer, b.opening_id, values["recipient"], values["count"],
                    now=b.clock(), valid_min=values["valid_min"], ack=ack, fail=fail)
        dialog.submitted.connect(submit)
        b.open_dialog(dialog)

    def _show_transfer(self, code: str, recipient: str) -> None:
        transfer = Transfer.decode(code)[0]
        until = transfer.expires_at.astimezone(self.board.clock().tzinfo).strftime("%H:%M")
        details = self.tr("{n} 名分 → 端末 {to}　有効期限 {time}（{valid} 分間）").format(
            n=f"{transfer.count:,}", to=transfer.recipient, time=until, valid=transfer.valid_min)
        self.board.show_code(self.tr("譲渡コード"), code, self.tr(
            "端末 {to} で「譲渡コードを受け取る」を押し、この QR コードを読み取るか、下の文字を入力してください。"
            "期限までに受け取られなかったときは、オンラインならハブで確認して自動で配布枠が戻ります。"
            "オフラインのときは受け取り側で返却コードを表示してもらい、この端末で読み取ってください。").format(
            to=recipient), details=details)

    def _show_outstanding(self, item: QListWidgetItem) -> None:
        b = self.board
        code_id = item.data(Qt.ItemDataRole.UserRole)
        if not code_id:  # a code whose grants came back: nothing to show
            return
        recipient = next((o.recipient for o in b.state.points.outstanding if o.code_id == code_id), "")
        b.worker.submit(pts.transfer_code, b.opening_id, code_id, on_error=b.show_failure,
                        on_done=lambda code: self._show_transfer(code, recipient))

    def request_show_join(self) -> None:
        b = self.board
        b.worker.submit(pts.join_code, b.opening_id, on_error=b.show_failure, on_done=lambda code: b.show_code(
            self.tr("参加コード"), code, self._join_explanation()))

    def request_hub_draw(self) -> None:
        """Online: take a block from the hub's reserve. The request (its id) is
        written first, the network call runs on its own thread, and the allotment
        rises only after the hub answered (once per request id). A request whose
        answer never came is sent again with the same id (here, or by the
        background follow-up, also after the board was closed)."""
        b = self.board
        if b.state is None or b.state.points is None:
            return
        dialog = HubDrawDialog(b.lang, b.state.points, b)
        fail = b.fail_in(dialog, dialog.show_error)

        def submit(count: int) -> None:
            def begun(result) -> None:
                req, reused = result
                self._send(req, fail, lambda granted: self._drawn(dialog, fail, req, reused, granted))
            b.write(hub_requests.begin_draw, b.opening_id, count, now=b.clock(), ack=begun, fail=fail)
        dialog.submitted.connect(submit)
        b.open_dialog(dialog)

    def _drawn(self, dialog, fail, req, reused: bool, granted: int) -> None:
        b = self.board

        def recorded(st) -> None:
            if granted <= 0:
                fail(MadoguchiError("POINTS_HUB_RESERVE_EMPTY"))
                return
            text = self.tr("ハブから {n} 名分を受け取りました（この端末の残り {left} 名）").format(
                n=f"{granted:,}", left=f"{st.available:,}")
            if reused:
                text = self.tr("前回の依頼（{asked} 名）の答えを受け取りました。").format(
                    asked=f"{req.count:,}") + text
            b.done(dialog, text)
        b.write(hub_requests.finish_draw, b.opening_id, req.request_id, granted, now=b.clock(),
                ack=recorded, fail=fail)

    def request_hub_release(self) -> None:
        """Online: give grants back to the hub's reserve. Taken off this laptop at
        once (so they can never be granted here and drawn elsewhere), then sent;
        if the hub cannot be reached, sent again later by the follow-up."""
        b = self.board
        if b.state is None or b.state.points is None:
            return
        dialog = HubReleaseDialog(b.lang, b.state.points, b)
        fail = b.fail_in(dialog, dialog.show_error)

        def submit(count: int) -> None:
            def begun(result) -> None:
                req, _st = result
                b.done(dialog, self.tr("ハブに {n} 名分を返しています…").format(n=f"{count:,}"))

                def sent(released: int) -> None:
                    b.write(hub_requests.finish_release, b.opening_id, req.request_id, released, now=b.clock(),
                            ack=lambda st: b.ack(self.tr("ハブに {n} 名分を返しました（この端末の残り {left} 名）").format(
                                n=f"{released:,}", left=f"{st.available:,}")))

                def not_sent(exc: BaseException) -> None:
                    if getattr(exc, "code", "") == "POINTS_HUB_FAILED":
                        exc = MadoguchiError("POINTS_HUB_RELEASE_PENDING", reason=exc.details.get("reason", ""),
                                             count=count)
                    b.show_failure(exc)
                self._send(req, not_sent, sent)
            b.write(hub_requests.begin_release, b.opening_id, count, now=b.clock(), ack=begun, fail=fail)
        dialog.submitted.connect(submit)
        b.open_dialog(dialog)

    def _send(self, req, fail, answered) -> None:
        """One hub request on its own thread. The answer is recorded even if the
        board was closed meanwhile (the job belongs to the store worker)."""
        b = self.board
        st, device_id, factory = b.state.points, b.state.device_id, b.hub_factory
        worker, opening_id, clock = b.worker, b.opening_id, b.clock

        def network() -> int:
            hub = factory()
            try:
                return send_request(hub, st, req, device_id=device_id)
            finally:
                hub.close()

        def done(amount: int) -> None:
            if isValid(b) and not b.retired:
                answered(amount)
            else:
                worker.submit(hub_requests.finish, opening_id, req, amount, now=clock())

        def failed(exc: BaseException) -> None:
            if isValid(b) and not b.retired:
                fail(exc)
        Background(network, done, failed, worker)
