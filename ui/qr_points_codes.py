"""What the points panel does with the day's codes (the offline path): set up
the day on the lead laptop (which shows the join code), join it by that code,
hand allotment to another laptop (transfer code), receive or decline it (a
declined one shows a return code), take it back by the return code, and show a
join or transfer code again.

A mixin of PointsPanel (ui/qr_points_panel.py): it uses `self.board`'s request
plumbing (ui/qr_board_requests.py). The domain is app/points; every store call
runs on the store worker, the hub's check of a set-up on a thread of its own."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidgetItem

from app import points as pts
from app.errors import MadoguchiError
from app.points.codes import Transfer
from app.points.hub_client import HUB_NOT_DONE
from ui.qr_hub import NO_HUB
from ui.qr_ops import prepare_setup
from ui.qr_points_dialogs import IssueTransferDialog, ScanCodeDialog, SetupDayDialog
from ui.qr_scan import Background

if TYPE_CHECKING:
    from ui.qr_board import QrBoard


class CodeRequests:
    """The panel's code requests (a mixin: `self` is the PointsPanel)."""

    board: "QrBoard"

    def _join_explanation(self) -> str:
        return self.tr("ほかの端末で「参加コードを読み取る」を押し、この QR コードを読み取るか、下の文字を入力してください。")

    def request_setup(self) -> None:
        b = self.board
        if b.state is None:
            return
        dialog = SetupDayDialog(b.lang, b.state.profile.daily_cap or 0, b.state.laptop, b)

        def submit(values: dict, fail) -> None:
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
                        if exc.code not in HUB_NOT_DONE:
                            raise  # POINTS_VENUE_DAY_TAKEN: shown in the dialog, nothing written
                        # unreachable, or refused (e.g. revoked): either way the hub did not check
                        return self.tr("（同じ会場・日付の二重設定はハブで確認できませんでした：{why}）").format(
                            why=exc.message(b.lang))
                    finally:
                        hub.close()
                Background(register, lambda note: None if b.retired else commit(roster, note), fail, b)
            b.worker.submit(prepare_setup, b.opening_id, now, values["allotments"], values["hub_reserve"],
                            on_done=prepared, on_error=fail)
        b.open_form(dialog, submit)

    def request_scan(self, kind: str) -> None:
        b = self.board
        if b.state is None:
            return
        dialog = ScanCodeDialog(kind, b.lang, b.state.laptop, b.camera_config, b)

        def submit(text: str, action: str, fail) -> None:
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
        b.open_form(dialog, submit)

    def request_issue(self) -> None:
        b = self.board
        if b.state is None or b.state.points is None:
            return
        dialog = IssueTransferDialog(b.lang, b.state.points, b)

        def submit(values: dict, fail) -> None:
            def ack(result) -> None:
                code, st = result
                b.done(dialog, self.tr("譲渡コードを表示しました（この端末の残り {n} 名）").format(n=f"{st.available:,}"))
                self._show_transfer(code, values["recipient"])
            b.write(pts.issue_transfer, b.opening_id, values["recipient"], values["count"],
                    now=b.clock(), valid_min=values["valid_min"], ack=ack, fail=fail)
        b.open_form(dialog, submit)

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
