"""The QR board's online follow-up, in the background while the board is shown:

- transfer codes of this laptop past expiry + margin: ask the hub whether the
  recipient can no longer receive them (its synced chain reaches past expiry
  without receiving); a confirmed one is recorded as returned
  (app.points.record_hub_return), the others keep the hub's state for the list
  ("received", "waiting" for the recipient to sync, ...);
- draws and releases the hub has not answered yet (app/points/hub_requests.py):
  sent again with their own request ids, the answers recorded.

The network runs on a thread of its own (ui.qr_scan.Background), the store
writes on the store worker. The jobs are parented to the worker, not the board:
an answer that arrives after the board was closed is still recorded (and one
that never arrives is asked for again next time, with the same id).
"""
from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QCoreApplication, QObject, Signal
from shiboken6 import isValid

from app import points as pts
from app.errors import MadoguchiError
from app.points import hub_requests
from app.points.hub_client import send_request
from ui.qr_ops import QrBoardState
from ui.qr_scan import Background

if TYPE_CHECKING:
    from ui.qr_board import QrBoard

log = logging.getLogger("madoguchi.ui.qr")

NO_HUB = ("SYNC_NOT_CONFIGURED", "SYNC_NOT_ENROLLED")
RECHECK_S = 60.0          # how often one code / the pending requests are asked about again
NO_HUB_RECHECK_S = 300.0  # a laptop without a hub: look at the sync settings again after this

# What the outstanding list says per hub state (see HubFollowUp.states).
CHECKING, RECEIVED, WAITING, NO_ANSWER = "checking", "received", "waiting", "no_answer"


class HubFollowUp(QObject):
    """One follow-up round at a time; `changed` when the list's states changed."""

    changed = Signal()

    def __init__(self, board: "QrBoard") -> None:
        super().__init__(board)
        self.board = board
        self.states: dict[str, str] = {}           # code id -> CHECKING / RECEIVED / WAITING / NO_ANSWER
        self._asked: dict[str, float] = {}         # code id -> time.monotonic() of the last question
        self._resent_at = float("-inf")
        self._no_hub_until = float("-inf")
        self.busy = False
        self.recheck_s = RECHECK_S

    def tick(self, state: QrBoardState) -> None:
        """Called with every fresh board state (every few seconds)."""
        st = state.points
        b = self.board
        now = time.monotonic()
        if self.busy or b.retired or st is None or now < self._no_hub_until:
            return
        asks = [o for o in st.outstanding if o.expired and self.states.get(o.code_id) != RECEIVED
                and now - self._asked.get(o.code_id, float("-inf")) >= self.recheck_s]
        resend = list(state.pending_hub) if now - self._resent_at >= self.recheck_s else []
        if not asks and not resend:
            return
        self.busy = True
        for o in asks:
            self._asked[o.code_id] = now
            self.states.setdefault(o.code_id, CHECKING)
        if resend:
            self._resent_at = now
        device_id, factory = state.device_id, b.hub_factory
        # What recording needs, should the board be closed before the answer comes.
        target = (b.worker, b.opening_id, b.clock)

        def network() -> tuple[list, list, BaseException | None]:
            answers, sent = [], []
            hub = factory()
            try:
                for o in asks:
                    answers.append((o, hub.check_takeback(st, o, device_id=device_id)))
                for req in resend:
                    sent.append((req, send_request(hub, st, req, device_id=device_id)))
                return answers, sent, None
            except MadoguchiError as exc:  # keep what was answered before the failure
                return answers, sent, exc
            finally:
                hub.close()

        def done(result) -> None:
            answers, sent, error = result
            self._record(target, answers, sent)
            self._settle(error, asks)

        Background(network, done, lambda exc: self._settle(exc, asks), b.worker)
        self.changed.emit()

    def _record(self, target, answers: list, sent: list) -> None:
        """Store writes on the worker, whether or not the board is still open."""
        for o, answer in answers:
            if answer.get("confirmed"):
                log.info("hub confirmed the take-back of %s (%s)", o.code_id, answer.get("state"))
                text = QCoreApplication.translate(
                    "HubFollowUp", "期限切れの譲渡コード（{to} へ {n} 名）は、ハブで未受領を確認したので配布枠を戻しました"
                ).format(to=o.recipient, n=f"{o.count:,}")
                self._write(target, pts.record_hub_return, answer, ack_text=text)
            else:
                self.states[o.code_id] = {"received": RECEIVED, "waiting": WAITING,
                                          "recipient_unknown": WAITING}.get(answer.get("state"), NO_ANSWER)
        for req, amount in sent:
            self._write(target, hub_requests.finish, req, amount, ack_text=None)

    def _write(self, target, fn: Callable, *args, ack_text: str | None) -> None:
        b = self.board
        if isValid(self) and isValid(b) and not b.retired:
            b.write(fn, b.opening_id, *args, now=b.clock(),
                    ack=(lambda _r: b.ack(ack_text)) if ack_text else (lambda _r: b.reload()),
                    fail=lambda exc: log.warning("hub follow-up not recorded: %s", getattr(exc, "code", exc)))
            return
        worker, opening_id, clock = target
        if isValid(worker):
            worker.submit(fn, opening_id, *args, now=clock())

    def _settle(self, error: BaseException | None, asks: list) -> None:
        self.busy = False
        if error is not None:
            if getattr(error, "code", "") in NO_HUB:
                self._no_hub_until = time.monotonic() + NO_HUB_RECHECK_S
            else:
                log.info("hub follow-up failed: %s", getattr(error, "code", type(error).__name__))
            for o in asks:
                if self.states.get(o.code_id) == CHECKING:
                    self.states[o.code_id] = NO_ANSWER
        if isValid(self):
            self.changed.emit()
