"""The staff's QR board on real laptops (data folder, StoreWorker, real windows
offscreen): codes for visitors, grants against the allotment, the cap on every
laptop, and allotment moved from one laptop to another by a QR code read from
the other laptop's screen (image file and simulated camera)."""
from __future__ import annotations

import os
from pathlib import Path

import qrcode
from PySide6.QtCore import Qt

from app import tallies as tl
from app.store import Store
from hardware.camera import CameraConfig
from tests.qr.uihelpers import WAIT_MS, decode_widget, fixed_clock
from ui.qr_board import QrBoard
from ui.qr_dialogs import AddSourceDialog, ShowCodeDialog
from ui.qr_points_dialogs import IssueTransferDialog, ScanCodeDialog, SetupDayDialog
from ui.qr_visitor import ENDED_HERE_BANNER, ENDED_TEXT

DOCS = Path(__file__).resolve().parents[2] / "docs"


def shots_dir(tmp_path: Path) -> Path:
    """docs/ when MADOGUCHI_SCREENSHOTS=1 (refreshing the pictures), else the test's
    own folder, so an ordinary test run leaves the repository untouched."""
    return DOCS if os.environ.get("MADOGUCHI_SCREENSHOTS") == "1" else tmp_path
POINTS_URL = "https://miyagi-point.example.jp/r7/event/0001"


def make_board(qtbot, lap, camera_config=None) -> QrBoard:
    board = QrBoard(lap.worker, lap.opening_id, "ja", fixed_clock(10), camera_config=camera_config)
    qtbot.addWidget(board)
    board.resize(1280, 760)
    board.show()
    qtbot.waitUntil(lambda: board.state is not None, timeout=WAIT_MS)
    return board


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def dialog_of(qtbot, board, cls):
    qtbot.waitUntil(lambda: isinstance(board.active_dialog, cls) and board.active_dialog.isVisible(),
                    timeout=WAIT_MS)
    return board.active_dialog


def set_up_day(qtbot, board, others: dict[str, int] | None = None, mine: int | None = None) -> str:
    click(qtbot, board.points_panel.action_buttons["qr-setup"])
    dialog = dialog_of(qtbot, board, SetupDayDialog)
    for code, count in (others or {}).items():
        click(qtbot, dialog.findChild(type(board.add_button), "qr-setup-add-laptop"))
        edit, spin, _ = dialog.rows[-1]
        edit.setText(code)
        spin.setValue(count)
    if mine is not None:
        dialog.rows[0][1].setValue(mine)
    click(qtbot, dialog.ok_button)
    shown = dialog_of(qtbot, board, ShowCodeDialog)
    code = shown.code()
    assert code.startswith("PV1-") and decode_widget(shown.qr) == code  # scannable as shown
    shown.accept()
    return code


def add_code(qtbot, board, caption: str, text: str, points: bool) -> None:
    click(qtbot, board.add_button)
    dialog = dialog_of(qtbot, board, AddSourceDialog)
    dialog.points_check.setChecked(points)
    dialog.caption.setEditText(caption)
    qtbot.keyClicks(dialog.text, text)
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: board.active_dialog is None, timeout=WAIT_MS)


def fill_allotment(lap, board, qtbot) -> None:
    """Use up the laptop's allotment quickly: one job, one transaction of taps."""
    def fill(store: Store) -> None:
        from app import points as pts
        n = pts.status(store, lap.opening_id).available
        with store.transaction():
            for _ in range(n):
                tl.tap(store, lap.opening_id, "point_grant", now=fixed_clock(11)())
    done = []
    lap.worker.submit(fill, on_done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)
    board.reload()
    qtbot.waitUntil(lambda: board.state.points.ended, timeout=WAIT_MS)


def test_codes_for_visitors_are_added_from_text_and_image_and_shown(qtbot, booth_laptops, tmp_path):
    [lap] = booth_laptops(1)
    board = make_board(qtbot, lap)
    add_code(qtbot, board, "みやぎポイントを受け取る（1,500ポイント）", POINTS_URL, points=True)
    # The organiser's code as an image: decoded, then drawn crisp by us.
    organiser = tmp_path / "アプリ.png"
    qrcode.make("https://www.pocketsign.example.jp/app").save(organiser)
    click(qtbot, board.add_button)
    dialog = dialog_of(qtbot, board, AddSourceDialog)
    dialog.caption.setEditText("アプリのダウンロードはこちら")
    dialog.read_image(str(organiser))
    qtbot.waitUntil(lambda: dialog.text.text() == "https://www.pocketsign.example.jp/app", timeout=WAIT_MS)
    assert dialog.origin == "image" and decode_widget(dialog.preview) == dialog.text.text()
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: board.source_list.count() == 2, timeout=WAIT_MS)
    assert "（画像から）" in board.source_list.item(1).text()
    # An image without a QR code: a clear message in the dialog, nothing added.
    blank = tmp_path / "poster.png"
    from PIL import Image
    Image.new("RGB", (400, 300), "white").save(blank)
    click(qtbot, board.add_button)
    dialog = dialog_of(qtbot, board, AddSourceDialog)
    dialog.read_image(str(blank))
    qtbot.waitUntil(lambda: "読み取れませんでした" in dialog.status.text(), timeout=WAIT_MS)
    assert not dialog.ok_button.isEnabled()
    dialog.reject()
    # Pick the second code for the visitor screen.
    board.open_visitor()
    qtbot.waitExposed(board.visitor)
    board.source_list.setCurrentRow(1)
    click(qtbot, board.show_button)
    assert decode_widget(board.visitor) == "https://www.pocketsign.example.jp/app"
    assert decode_widget(board.preview) == "https://www.pocketsign.example.jp/app"
    board.source_list.setCurrentRow(0)
    click(qtbot, board.remove_button)
    qtbot.waitUntil(lambda: board.source_list.count() == 1, timeout=WAIT_MS)
    assert board.visitor.current_id() == board.state.sources[0].id


def test_grants_update_staff_and_visitor_counts(qtbot, booth_laptops):
    [lap] = booth_laptops(1)
    board = make_board(qtbot, lap)
    assert not board.points_panel.grant_button.isEnabled() and "未設定" in board.points_panel.available_label.text()
    add_code(qtbot, board, "みやぎポイントを受け取る（1,500ポイント）", POINTS_URL, points=True)
    set_up_day(qtbot, board)
    qtbot.waitUntil(lambda: board.points_panel.grant_button.isEnabled(), timeout=WAIT_MS)
    assert board.points_panel.available_label.text() == "この端末の残り 4,000 名"
    for _ in range(3):
        click(qtbot, board.points_panel.grant_button)
        qtbot.waitUntil(lambda: "付与しました" in board.message.text(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: board.state.points.granted == 3, timeout=WAIT_MS)
    assert board.points_panel.available_label.text() == "この端末の残り 3,997 名"
    assert board.visitor.remaining.text() == "この窓口の残り　3,997 名様"
    with Store.open(lap.data_dir, read_only=True) as store:
        assert tl.totals(store, lap.opening_id)["point_grant"]["total"] == 3
    # docs/qr-board.png is the QR page in the booth window: tools/screenshot.py --view qr


def test_cap_reached_refuses_on_every_laptop_and_the_visitor_displays_change(qtbot, booth_laptops):
    a, b = booth_laptops(2)
    board_a, board_b = make_board(qtbot, a), make_board(qtbot, b)
    for board in (board_a, board_b):
        add_code(qtbot, board, "みやぎポイントを受け取る（1,500ポイント）", POINTS_URL, points=True)
        add_code(qtbot, board, "アプリのダウンロードはこちら", "https://www.pocketsign.example.jp/app", points=False)
    join = set_up_day(qtbot, board_a, others={board_b.state.laptop: 2000}, mine=2000)
    click(qtbot, board_b.points_panel.action_buttons["qr-join"])
    dialog = dialog_of(qtbot, board_b, ScanCodeDialog)
    dialog.edit.setText(join.lower())  # typed, in lower case
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: board_b.state.points is not None, timeout=WAIT_MS)
    assert board_b.state.points.available == 2000
    for lap, board in ((a, board_a), (b, board_b)):
        board.open_visitor()
        qtbot.waitExposed(board.visitor)
        assert decode_widget(board.visitor) == POINTS_URL
        fill_allotment(lap, board, qtbot)
        click(qtbot, board.points_panel.grant_button) if board.points_panel.grant_button.isEnabled() else None
        assert not board.points_panel.grant_button.isEnabled()
        # The refusal, as a worker who taps anyway sees it:
        board.points_panel.request_grant()
        qtbot.waitUntil(lambda: "使い切りました" in board.message.text(), timeout=WAIT_MS)
        # Each laptop held half of the cap: its booth is done, the venue is too only
        # when both are, which neither laptop can know offline.
        assert board.visitor.banner.isVisible() and board.visitor.banner_label.text() == ENDED_HERE_BANNER
        assert ENDED_TEXT not in board.visitor.banner_label.text()
        assert decode_widget(board.visitor) != POINTS_URL  # the points code is no longer shown
    total = 0
    for lap in (a, b):
        with Store.open(lap.data_dir, read_only=True) as store:
            total += tl.totals(store, lap.opening_id)["point_grant"]["total"]
    assert total == 4000


def test_allotment_moves_by_qr_image_and_camera_and_comes_back_by_return_code(qtbot, booth_laptops, tmp_path):
    a, b = booth_laptops(2)
    stills = tmp_path / "camera"
    stills.mkdir()
    camera = CameraConfig(backend="stills", path=str(stills), width=1280, height=720, fps=15.0)
    board_a, board_b = make_board(qtbot, a), make_board(qtbot, b, camera_config=camera)
    join = set_up_day(qtbot, board_a, others={board_b.state.laptop: 0}, mine=4000)
    board_b.points_panel.request_scan("join")
    dialog = dialog_of(qtbot, board_b, ScanCodeDialog)
    dialog.edit.setText(join)
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: board_b.state.points is not None, timeout=WAIT_MS)

    def issue(count: int) -> str:
        click(qtbot, board_a.points_panel.action_buttons["qr-transfer-out"])
        d = dialog_of(qtbot, board_a, IssueTransferDialog)
        assert d.recipient.currentText() == board_b.state.laptop  # offered from the roster
        d.count.setValue(count)
        click(qtbot, d.ok_button)
        shown = dialog_of(qtbot, board_a, ShowCodeDialog)
        return shown

    # 1. From an image of A's screen (as if photographed), read on B.
    shown = issue(300)
    shot = tmp_path / "a-screen.png"
    shown.grab().save(str(shot))
    shown.grab().save(str(shots_dir(tmp_path) / "qr-transfer-code.png"))
    code = shown.code()
    shown.accept()
    assert board_a.state.points.available == 3700 and board_a.points_panel.outstanding_list.count() == 1
    board_b.points_panel.request_scan("transfer")
    scan = dialog_of(qtbot, board_b, ScanCodeDialog)
    scan.read_image(str(shot))
    qtbot.waitUntil(lambda: scan.edit.text() == code, timeout=WAIT_MS)
    click(qtbot, scan.ok_button)
    qtbot.waitUntil(lambda: board_b.state.points.available == 300, timeout=WAIT_MS)
    # The same code again: refused, in the dialog, nothing changes.
    board_b.points_panel.request_scan("transfer")
    scan = dialog_of(qtbot, board_b, ScanCodeDialog)
    scan.edit.setText(code)
    click(qtbot, scan.ok_button)
    qtbot.waitUntil(lambda: "受け取り済み" in scan.status.text(), timeout=WAIT_MS)
    assert board_b.state.points.available == 300
    scan.reject()

    # 2. With the (simulated) camera pointed at A's screen: the camera reads the very
    # code A shows and hands it on by itself (no typing, no OK). Waiting for that
    # signal tells a code the camera cannot read from a slow store write.
    shown = issue(200)
    code = shown.code()
    shown.grab().save(str(stills / "frame.png"))
    shown.accept()
    board_b.points_panel.request_scan("transfer")
    scan = dialog_of(qtbot, board_b, ScanCodeDialog)
    with qtbot.waitSignal(scan.submitted, timeout=WAIT_MS) as read:
        click(qtbot, scan.camera_button)
    assert read.args == [code, "transfer"]
    qtbot.waitUntil(lambda: board_b.state.points.available == 500, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: board_b.active_dialog is None, timeout=WAIT_MS)

    # 3. A code B does not want: B shows a return code, A reads it, A's grants come back.
    shown = issue(100)
    code = shown.code()
    shown.accept()
    assert board_a.state.points.available == 3400
    board_b.points_panel.request_scan("transfer")
    scan = dialog_of(qtbot, board_b, ScanCodeDialog)
    scan.edit.setText(code)
    click(qtbot, scan.void_button)
    ret_dialog = dialog_of(qtbot, board_b, ShowCodeDialog)
    ret = ret_dialog.code()
    assert ret.startswith("PR1-") and decode_widget(ret_dialog.qr) == ret
    ret_dialog.accept()
    board_a.points_panel.request_scan("return")
    scan = dialog_of(qtbot, board_a, ScanCodeDialog)
    scan.edit.setText(ret)
    click(qtbot, scan.ok_button)
    qtbot.waitUntil(lambda: board_a.state.points.available == 3500, timeout=WAIT_MS)
    # A still lists the two codes B received: offline, B never sends word back.
    assert board_a.points_panel.outstanding_list.count() == 2
    assert board_a.state.points.allotment + board_b.state.points.allotment == 4000


def test_english_board_texts(qtbot, booth_laptops):
    from ui.i18n import install_language

    [lap] = booth_laptops(1)
    install_language("en")  # as the main window does before building its pages
    board = QrBoard(lap.worker, lap.opening_id, "en", fixed_clock(10), camera_config=None)
    qtbot.addWidget(board)
    qtbot.waitUntil(lambda: board.state is not None, timeout=WAIT_MS)
    assert board.points_panel.grant_button.text() == "Grant points (1 person)"
    assert board.points_panel.available_label.text() == "No allotment yet"


def test_online_laptop_draws_from_the_hub_reserve(qtbot, booth_laptops, tmp_path):
    from app.points.hub_client import AllotmentHub
    from tests.qr.hubserver import running_hub
    from ui.qr_points_dialogs import HubDrawDialog

    [lap] = booth_laptops(1)
    with running_hub(tmp_path) as url:
        board = QrBoard(lap.worker, lap.opening_id, "ja", fixed_clock(10), camera_config=None,
                        hub_factory=lambda: AllotmentHub(url))
        qtbot.addWidget(board)
        board.show()
        qtbot.waitUntil(lambda: board.state is not None, timeout=WAIT_MS)
        click(qtbot, board.points_panel.action_buttons["qr-setup"])
        dialog = dialog_of(qtbot, board, SetupDayDialog)
        dialog.hub_spin.setValue(1000)
        dialog.rows[0][1].setValue(3000)
        click(qtbot, dialog.ok_button)
        dialog_of(qtbot, board, ShowCodeDialog).accept()
        qtbot.waitUntil(lambda: board.points_panel.action_buttons["qr-hub-draw"].isEnabled(), timeout=WAIT_MS)
        for expected in (3600, 4000):
            click(qtbot, board.points_panel.action_buttons["qr-hub-draw"])
            draw = dialog_of(qtbot, board, HubDrawDialog)
            draw.count.setValue(600)
            click(qtbot, draw.ok_button)
            qtbot.waitUntil(lambda: board.state.points.available == expected, timeout=WAIT_MS)
        # The reserve is empty now: a clear message, nothing changes.
        click(qtbot, board.points_panel.action_buttons["qr-hub-draw"])
        draw = dialog_of(qtbot, board, HubDrawDialog)
        click(qtbot, draw.ok_button)
        qtbot.waitUntil(lambda: "ハブに残っている配布枠がありません" in draw.error.text(), timeout=WAIT_MS)
        assert board.state.points.available == 4000
        board.retire()
