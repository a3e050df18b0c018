"""The QR board online, against the real hub on 127.0.0.1 (laptops enrolled with
it, pushing their rows with sync): expired transfer codes come back in the
background when the hub confirms the recipient never received them, the list
says what the hub knows of each code, a second lead laptop is refused in the
set-up dialog, and hub draws/releases survive a lost answer or a closed board."""
from __future__ import annotations

import threading

import pytest
from shiboken6 import isValid

from app import points as pts
from app import tallies as tl
from app.points import hub_requests
from app.points.codes import laptop_code
from app.points.hub_client import AllotmentHub
from sync import booth
from tests.conftest import at
from tests.qr.conftest import start_hub
from tests.qr.test_ui_board import click, dialog_of, set_up_day
from tests.qr.uihelpers import WAIT_MS, decode_widget
from tests.sync.helpers import free_port
from ui.qr_board import QrBoard
from ui.qr_dialogs import ShowCodeDialog
from ui.qr_points_dialogs import (HubDrawDialog, HubReleaseDialog, IssueTransferDialog, ScanCodeDialog,
                                  SetupDayDialog)


class Clock:
    def __init__(self, hour: int, minute: int = 0) -> None:
        self.now = at(hour, minute)

    def __call__(self):
        return self.now

    def set(self, hour: int, minute: int = 0) -> None:
        self.now = at(hour, minute)


def make_board(qtbot, lap, clock, hub_factory=None, *, owned_by_test: bool = True) -> QrBoard:
    board = QrBoard(lap.worker, lap.opening_id, "ja", clock, camera_config=None, hub_factory=hub_factory)
    if owned_by_test:  # (a board the test deletes itself is not handed to qtbot)
        qtbot.addWidget(board)
    board.resize(1280, 760)
    board.show()
    qtbot.waitUntil(lambda: board.state is not None, timeout=WAIT_MS)
    board.points_panel.follow.recheck_s = 0  # ask the hub at every refresh, not once a minute
    return board


def on_worker(qtbot, lap, fn, *args, **kwargs):
    """A store call on the laptop's worker, waited for."""
    out = []
    lap.worker.submit(fn, *args, **kwargs, on_done=out.append, on_error=out.append)
    qtbot.waitUntil(lambda: bool(out), timeout=WAIT_MS)
    if isinstance(out[0], BaseException):
        raise out[0]
    return out[0]


def join(qtbot, board, code: str) -> None:
    board.points_panel.request_scan("join")
    dialog = dialog_of(qtbot, board, ScanCodeDialog)
    dialog.edit.setText(code)
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: board.state.points is not None, timeout=WAIT_MS)


def items(board) -> list[str]:
    lst = board.points_panel.outstanding_list
    return [lst.item(i).text() for i in range(lst.count())]


@pytest.fixture
def hub(tmp_path):
    server = start_hub(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    yield server
    server.stop()


def test_expired_codes_come_back_in_the_background_and_the_list_says_why(qtbot, booth_laptops, hub):
    a, b = booth_laptops(2)
    for lap, name in ((a, "名取-1"), (b, "名取-2")):
        booth.enrol(lap.data_dir, hub_url=hub.url, code=hub.code(name))
    clock = Clock(10)
    board_a, board_b = make_board(qtbot, a, clock), make_board(qtbot, b, Clock(10))
    join(qtbot, board_b, set_up_day(qtbot, board_a, others={board_b.state.laptop: 1000}, mine=3000))
    lb, oa, ob = board_b.state.laptop, a.opening_id, b.opening_id

    # On A's screen the transfer code says what it is worth and until when.
    click(qtbot, board_a.points_panel.action_buttons["qr-transfer-out"])
    issue = dialog_of(qtbot, board_a, IssueTransferDialog)
    issue.count.setValue(100)
    issue.valid.setValue(15)
    click(qtbot, issue.ok_button)
    shown = dialog_of(qtbot, board_a, ShowCodeDialog)
    assert shown.details.isVisible() and shown.details.text() == f"100 名分 → 端末 {lb}　有効期限 10:15（15 分間）"
    unscanned = shown.code()
    assert decode_widget(shown.qr) == unscanned
    shown.accept()
    received, _ = on_worker(qtbot, a, pts.issue_transfer, oa, lb, 50, now=at(10), valid_min=15)
    on_worker(qtbot, b, pts.receive_transfer, ob, received, now=at(10, 5))
    late, _ = on_worker(qtbot, a, pts.issue_transfer, oa, lb, 20, now=at(10, 20), valid_min=15)
    on_worker(qtbot, b, tl.tap, ob, "other_help", now=at(10, 30))  # B works on past the first expiry
    booth.push_pending(b.data_dir)
    board_a.reload()
    qtbot.waitUntil(lambda: board_a.state.points.available == 2830, timeout=WAIT_MS)
    assert not any("期限切れ" in t for t in items(board_a))  # nothing expired yet by A's clock

    clock.set(10, 50)  # past every code's expiry + 10 minutes
    board_a.reload()
    qtbot.waitUntil(lambda: board_a.state.points.available == 2930, timeout=WAIT_MS)  # 100 came back
    qtbot.waitUntil(lambda: len(items(board_a)) == 3 and "同期待ち" in items(board_a)[1], timeout=WAIT_MS)
    lines = items(board_a)
    assert lines[0] == f"{lb} へ 50 名（期限 10:15）　受け取り済み（ハブで確認）"
    assert lines[1] == f"{lb} へ 20 名（期限 10:35）　期限切れ・受け取り側の同期待ち"
    assert lines[2] == f"{lb} へ 100 名（期限 10:15）　期限切れ・ハブで未受領を確認済み → 戻しました"
    assert not any("返却コード" in t for t in lines)
    assert "ハブで未受領を確認" in board_a.message.text()
    # B cannot receive the returned code any more, whatever its clock says.
    with pytest.raises(Exception) as info:
        on_worker(qtbot, b, pts.receive_transfer, ob, unscanned, now=at(10, 10))
    assert getattr(info.value, "code", "") == "POINTS_TRANSFER_EXPIRED_CLOCK"
    # Later refreshes return nothing twice.
    board_a.reload()
    qtbot.waitUntil(lambda: not board_a.points_panel.follow.busy, timeout=WAIT_MS)
    board_a.reload()
    qtbot.waitUntil(lambda: not board_a.points_panel.follow.busy, timeout=WAIT_MS)
    st = on_worker(qtbot, a, pts.status, oa)
    assert st.available == 2930 and st.returned == 100
    assert late  # (its 20 stay out until B syncs a row past 10:45)
    for board in (board_a, board_b):
        board.retire()


def test_without_a_hub_the_expired_code_asks_for_a_return_code(qtbot, booth_laptops):
    [a] = booth_laptops(1)
    clock = Clock(10)
    board = make_board(qtbot, a, clock)  # never enrolled: the hub factory says so
    set_up_day(qtbot, board)
    on_worker(qtbot, a, pts.issue_transfer, a.opening_id, laptop_code("some-other-device"), 10,
              now=at(10), valid_min=5)
    clock.set(11)
    board.reload()
    qtbot.waitUntil(lambda: any("返却コードを表示してもらい" in t for t in items(board)), timeout=WAIT_MS)
    board.retire()


def test_a_second_lead_is_refused_in_the_set_up_dialog(qtbot, booth_laptops, hub):
    a, b = booth_laptops(2)
    for lap, name in ((a, "名取-1"), (b, "名取-2")):
        booth.enrol(lap.data_dir, hub_url=hub.url, code=hub.code(name))
    board_a, board_b = make_board(qtbot, a, Clock(9)), make_board(qtbot, b, Clock(9))
    set_up_day(qtbot, board_a)
    click(qtbot, board_b.points_panel.action_buttons["qr-setup"])
    dialog = dialog_of(qtbot, board_b, SetupDayDialog)
    assert dialog.one_lead.isVisible() and "1台（代表端末）だけ" in dialog.one_lead.text()
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: "上限が2倍" in dialog.error.text(), timeout=WAIT_MS)
    assert board_a.state.laptop in dialog.error.text() and dialog.isVisible()
    assert on_worker(qtbot, b, pts.is_joined, b.opening_id) is False  # nothing was set up on B
    for board in (board_a, board_b):
        board.retire()


class SlowHub(AllotmentHub):
    """The real hub's client, whose draw waits until the test lets it answer."""

    def __init__(self, url: str, gate: threading.Event, started: threading.Event) -> None:
        super().__init__(url)
        self.gate, self.started = gate, started

    def draw(self, *args, **kwargs) -> int:
        self.started.set()
        self.gate.wait(30)
        return super().draw(*args, **kwargs)


def test_hub_draws_and_releases_survive_lost_answers_and_a_closed_board(qtbot, booth_laptops, tmp_path):
    from tests.qr.hubserver import running_hub

    [lap] = booth_laptops(1)
    gate, started = threading.Event(), threading.Event()
    with running_hub(tmp_path) as url:
        target = {"url": url}
        board = make_board(qtbot, lap, Clock(10), hub_factory=lambda: SlowHub(target["url"], gate, started),
                           owned_by_test=False)
        click(qtbot, board.points_panel.action_buttons["qr-setup"])
        dialog = dialog_of(qtbot, board, SetupDayDialog)
        dialog.hub_spin.setValue(1000)
        dialog.rows[0][1].setValue(3000)
        click(qtbot, dialog.ok_button)
        dialog_of(qtbot, board, ShowCodeDialog).accept()
        qtbot.waitUntil(lambda: board.points_panel.action_buttons["qr-hub-draw"].isEnabled(), timeout=WAIT_MS)

        # A draw is under way when the staff leave the board: the answer is recorded anyway.
        click(qtbot, board.points_panel.action_buttons["qr-hub-draw"])
        draw = dialog_of(qtbot, board, HubDrawDialog)
        draw.count.setValue(200)
        click(qtbot, draw.ok_button)
        qtbot.waitUntil(started.is_set, timeout=WAIT_MS)
        assert [r.count for r in on_worker(qtbot, lap, hub_requests.pending, lap.opening_id)] == [200]
        board.retire()  # as the main window does when the staff leave the day
        board.close()
        board.deleteLater()
        qtbot.waitUntil(lambda: not isValid(board), timeout=WAIT_MS)
        gate.set()
        qtbot.waitUntil(lambda: on_worker(qtbot, lap, pts.status, lap.opening_id).available == 3200,
                        timeout=WAIT_MS)
        assert on_worker(qtbot, lap, hub_requests.pending, lap.opening_id) == []

        # Giving back while the hub is away: taken off at once, sent when it is back.
        target["url"] = f"http://127.0.0.1:{free_port()}"
        board = make_board(qtbot, lap, Clock(11), hub_factory=lambda: SlowHub(target["url"], gate, started))
        qtbot.waitUntil(lambda: board.points_panel.action_buttons["qr-hub-release"].isEnabled(), timeout=WAIT_MS)
        click(qtbot, board.points_panel.action_buttons["qr-hub-release"])
        release = dialog_of(qtbot, board, HubReleaseDialog)
        release.count.setValue(150)
        click(qtbot, release.ok_button)
        qtbot.waitUntil(lambda: "差し引き済み" in board.message.text(), timeout=WAIT_MS)
        assert board.state.points.available == 3050
        target["url"] = url
        board.reload()
        qtbot.waitUntil(lambda: board.state.pending_hub == [], timeout=WAIT_MS)
        with AllotmentHub(url) as client:
            assert client.pool(board.state.points.venue_day)["remaining"] == 950  # 1000 − 200 + 150
        assert board.state.points.available == 3050
        board.retire()
