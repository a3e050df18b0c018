"""What the points panel asks of the hub (the online path): draw a block from
the hub's reserve, or give grants back to it.

A request is written first (its id kept on the laptop, app/points/hub_requests),
the network call runs on a thread of its own, and the answer is recorded on the
store worker, also when the board was closed meanwhile. A request whose answer
never came is sent again with the same id, here or by the background follow-up
(ui/qr_hub.py), so the hub counts it once.

A mixin of PointsPanel (ui/qr_points_panel.py): it uses `self.board`'s request
plumbing (ui/qr_board_requests.py)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from shiboken6 import isValid

from app.errors import MadoguchiError
from app.points import hub_requests
from app.points.hub_client import HUB_NOT_DONE, send_request
from ui.qr_points_dialogs import HubDrawDialog, HubReleaseDialog
from ui.qr_scan import Background

if TYPE_CHECKING:
    from ui.qr_board import QrBoard


class HubRequests:
    """The panel's hub requests (a mixin: `self` is the PointsPanel)."""

    board: "QrBoard"

    def request_hub_draw(self) -> None:
        """The allotment rises only after the hub answered (once per request id)."""
        b = self.board
        if b.state is None or b.state.points is None:
            return
        dialog = HubDrawDialog(b.lang, b.state.points, b)

        def submit(count: int, fail) -> None:
            def begun(result) -> None:
                req, reused = result
                self._send(req, fail, lambda granted: self._drawn(dialog, fail, req, reused, granted))
            b.write(hub_requests.begin_draw, b.opening_id, count, now=b.clock(), ack=begun, fail=fail)
        b.open_form(dialog, submit)

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
        """Taken off this laptop at once (so the grants can never be granted here
        and drawn elsewhere), then sent; if the hub cannot be reached, sent again
        later by the follow-up."""
        b = self.board
        if b.state is None or b.state.points is None:
            return
        dialog = HubReleaseDialog(b.lang, b.state.points, b)

        def submit(count: int, fail) -> None:
            def begun(result) -> None:
                req, _st = result
                b.done(dialog, self.tr("ハブに {n} 名分を返しています…").format(n=f"{count:,}"))

                def sent(released: int) -> None:
                    b.write(hub_requests.finish_release, b.opening_id, req.request_id, released, now=b.clock(),
                            ack=lambda st: b.ack(self.tr("ハブに {n} 名分を返しました（この端末の残り {left} 名）").format(
                                n=f"{released:,}", left=f"{st.available:,}")))

                def not_sent(exc: BaseException) -> None:
                    if getattr(exc, "code", "") in HUB_NOT_DONE:
                        exc = MadoguchiError("POINTS_HUB_RELEASE_PENDING", reason=exc.details.get("reason", ""),
                                             count=count)
                    b.show_failure(exc)
                self._send(req, not_sent, sent)
            b.write(hub_requests.begin_release, b.opening_id, count, now=b.clock(), ack=begun, fail=fail)
        b.open_form(dialog, submit)

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
