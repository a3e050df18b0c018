"""The QR board's point-distribution panel (profiles with a daily cap): what this
laptop may still grant, the grant button, setting up / joining the day, and
moving allotment between laptops (transfer and return codes, the hub's reserve).

It lives inside the QR board (ui/qr_board.py) and uses the board's request
plumbing (ui/qr_board_requests.py: `write` on the store worker then a fresh
state, `open_form`, `show_code`, `done`, `ack`). This module is the panel itself
(labels, buttons, the list of handed-over codes, the grant); the other requests
are two mixins: the day's codes (offline) in ui/qr_points_codes.py, the hub's
reserve (online) in ui/qr_points_hub.py. The dialogs are in
ui/qr_points_dialogs.py; the domain is app/points.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout

from app import points as pts
from ui.qr_common import action_button
from ui.qr_hub import CHECKING, RECEIVED, WAITING, HubFollowUp
from ui.qr_ops import QrBoardState
from ui.qr_points_codes import CodeRequests
from ui.qr_points_hub import HubRequests

if TYPE_CHECKING:
    from ui.qr_board import QrBoard

ACTIONS = ("qr-setup", "qr-join", "qr-transfer-out", "qr-transfer-in", "qr-return", "qr-show-join",
           "qr-hub-draw", "qr-hub-release")


class PointsPanel(CodeRequests, HubRequests, QGroupBox):
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
        self.grant_button = action_button(self, "qr-grant", self.request_grant, p, height=64)
        self.grant_button.setProperty("role", "primary")
        grid = QGridLayout()
        slots = {"qr-setup": self.request_setup, "qr-join": lambda: self.request_scan("join"),
                 "qr-transfer-out": self.request_issue, "qr-transfer-in": lambda: self.request_scan("transfer"),
                 "qr-return": lambda: self.request_scan("return"), "qr-show-join": self.request_show_join,
                 "qr-hub-draw": self.request_hub_draw, "qr-hub-release": self.request_hub_release}
        self.action_buttons: dict[str, QPushButton] = {}
        for i, name in enumerate(ACTIONS):
            self.action_buttons[name] = action_button(self, name, slots[name])
            grid.addWidget(self.action_buttons[name], i // 2, i % 2)
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

    # ---- requests (the rest: ui/qr_points_codes.py, ui/qr_points_hub.py) --------------------
    def request_grant(self) -> None:
        b = self.board

        def ack(result) -> None:
            _row, st = result
            b.ack(self.tr("ポイントを付与しました（この端末の残り {n} 名）").format(n=f"{st.available:,}"))
        b.write(pts.grant, b.opening_id, now=b.clock(), ack=ack)
