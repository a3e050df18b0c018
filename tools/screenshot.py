"""Screenshot of the booth app with a realistic day in it (for docs/ and for checking
the layout on a real X server).

    python tools/screenshot.py --data-dir DIR --out PNG [--lang ja|en]
                               [--view board|start|close|sync|qr]

Builds a day of the Miyagi My Number R6 profile (spec 003) in DIR through the domain
functions — applicant cards and taps spread over the day, one correction and one undo
— then shows the main window at 1366×768 and saves a grab of the requested view.
`sync`: the board with the sync strip of a laptop whose hub is out of reach (rows
waiting, the last sync, the error and a clock-skew warning). `qr`: a Miyagi Point
day (spec 000) on its QR page, with codes, grants and a transfer handed over.
Run it against an empty folder: the data is real data.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEvent, QEventLoop, QRect  # noqa: E402
from PySide6.QtGui import QColor, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QWidget  # noqa: E402

from app import openings as op  # noqa: E402
from app import tallies as tl  # noqa: E402
from app.profiles import get_profile  # noqa: E402
from app.store import Store  # noqa: E402

PROFILE = "miyagi_mynumber_r6"
VENUE = "イオンモール名取 1階センターコート"
SIZE = (1366, 768)
# Applicants per hour: a slow morning, a lunchtime peak, a busy afternoon.
APPLICANTS_BY_HOUR = {9: 2, 10: 4, 11: 6, 12: 8, 13: 5, 14: 7, 15: 6, 16: 3}
AGE_WEIGHTS = {"under10": 1, "10s": 2, "20s": 3, "30s": 5, "40s": 6, "50s": 6, "60s": 7,
               "70s": 6, "80plus": 3}


def build_day(data_dir: Path) -> str:
    """Open today's opening and fill it; returns the opening id. Reuses the demo
    opening if the folder already has it (running the tool twice)."""
    rng = random.Random(3)  # the same picture every time
    today = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    with Store.open(data_dir) as store:
        for o in op.resumable_openings(store, today.date()):
            if o.venue == VENUE:
                return o.id
        kind = get_profile(PROFILE).opening_kinds[0].key  # kind keys belong to the profile
        opening = op.open_opening(store, profile=PROFILE, kind=kind, venue=VENUE,
                                  municipality="名取市", date=today.date(), large=True, staff=3,
                                  now=today + timedelta(hours=8, minutes=45))
        ages = list(AGE_WEIGHTS)
        weights = list(AGE_WEIGHTS.values())
        # (time, what) for the whole day, written in time order like real taps.
        events: list[tuple[datetime, tuple]] = []
        for hour, applicants in APPLICANTS_BY_HOUR.items():
            for _ in range(applicants):
                age = rng.choices(ages, weights)[0]
                method = "online" if rng.random() < 0.7 else "paper"
                optional = [k for k, p in (("insurance_link", 0.45), ("kouhi_account", 0.3))
                            if rng.random() < p]
                events.append((at(today, hour, rng), ("card", age, method, optional)))
            events += [(at(today, hour, rng), ("tap", "visitors", {})) for _ in range(applicants * 3)]
            if hour in (11, 14):
                events.append((at(today, hour, rng), ("tap", "other_help", {"help_type": "utilization"})))
        events.append((today + timedelta(hours=13), ("tap", "smartphone_help", {})))
        last_card = None
        for when, event in sorted(events, key=lambda e: e[0]):
            if event[0] == "card":
                _, age, method, optional = event
                last_card = tl.record_card(store, opening.id, {"age_band": age, "method": method},
                                           optional, now=when)
                tl.tap(store, opening.id, "photo", now=when)
                if rng.random() < 0.4:
                    tl.tap(store, opening.id, "survey", {"age_band": age}, now=when)
            else:
                tl.tap(store, opening.id, event[1], event[2], now=when)
        end = today + timedelta(hours=16, minutes=52)
        tl.correct(store, last_card[0].id, dims={"age_band": "60s", "method": "online"},
                   reason="年代の押し間違い", now=end)
        extra = tl.tap(store, opening.id, "visitors", now=end)
        tl.undo(store, extra.id, reason="二重に押した", now=end + timedelta(minutes=1))
        return opening.id


POINT_PROFILE = "miyagi_point_r7"
POINT_VENUE = "夢メッセみやぎ 西館（ポイント配布会場）"


def build_point_day(data_dir: Path) -> str:
    """A Miyagi Point venue day: this laptop holds 2,000 of the 4,000, the other
    laptop 2,000; two codes for visitors; 1,234 grants; 100 handed over."""
    from app import points as pts
    from app.points import codes
    from app.qrcodes.sources import add_source

    today = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    with Store.open(data_dir) as store:
        for o in op.resumable_openings(store, today.date()):
            if o.venue == POINT_VENUE:
                return o.id
        opening = op.open_opening(store, profile=POINT_PROFILE, kind="event_venue", venue=POINT_VENUE,
                                  municipality="仙台市", date=today.date(), large=True, staff=4,
                                  now=today + timedelta(hours=8, minutes=30))
        me, other = pts.local_laptop(store), codes.laptop_code("second-laptop")
        pts.setup_day(store, opening.id, now=today + timedelta(hours=8, minutes=40),
                      allotments={me: 2000, other: 2000})
        add_source(store, opening.id, now=today + timedelta(hours=8, minutes=45),
                   caption="みやぎポイントを受け取る（1,500ポイント）",
                   text="https://miyagi-point.example.jp/r7/event/0001", origin="typed", purpose="points")
        add_source(store, opening.id, now=today + timedelta(hours=8, minutes=46),
                   caption="アプリのダウンロードはこちら", text="https://www.pocketsign.example.jp/app",
                   origin="image", purpose="info")
        with store.transaction():
            for i in range(1234):
                tl.tap(store, opening.id, "point_grant", now=today + timedelta(hours=9, seconds=20 * i))
        for key, n in (("install_help", 212), ("card_registration", 57), ("point_usage_help", 140),
                       ("not_eligible", 23)):
            with store.transaction():
                for i in range(n):
                    tl.tap(store, opening.id, key, now=today + timedelta(hours=9, seconds=100 * i))
        pts.issue_transfer(store, opening.id, other, 100, now=today + timedelta(hours=16, minutes=48))
        return opening.id


def unreachable_hub(data_dir: Path) -> None:
    """Sync settings of a laptop enrolled with a hub it cannot reach now, that last
    synced at 14:32 and whose clock was 3 minutes ahead of the hub then."""
    from sync.state import TOKEN, SyncState

    state = SyncState(data_dir)
    last = datetime.now().astimezone().replace(hour=14, minute=32, second=0, microsecond=0)
    state.update(hub_url="http://127.0.0.1:9", last_success_at=last.isoformat(timespec="seconds"),
                 clock_skew=-185.0)
    state.put_secret(TOKEN, b"mdgd_screenshot-only-not-a-real-token")


def at(day: datetime, hour: int, rng: random.Random) -> datetime:
    return day + timedelta(hours=hour, minutes=rng.randrange(50), seconds=rng.randrange(60))


def wait_for(app: QApplication, condition, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"screenshot: timed out waiting for {what}")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def settle(app: QApplication, window) -> None:
    """Wait for the sync strip's first status (it arrives from its own thread) and
    let the layouts catch up with the new texts: a grab taken earlier shows
    "同期：確認中…" or labels still sized for their old, shorter text."""
    strip = window.sync_strip
    wait_for(app, lambda: strip.status is not None and not strip.status.busy
             and window.worker.pending == 0, "the sync status")
    for _ in range(3):  # a layout request can post another one (status bar, then window)
        app.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def with_dialog(window: QWidget, dialog: QDialog):
    """The window with the dialog centred over a dimmed background, the way it
    appears on screen (a grab of the window alone would not show the dialog)."""
    picture = window.grab()
    shot = dialog.grab()
    p = QPainter(picture)
    p.fillRect(picture.rect(), QColor(0, 0, 0, 90))
    x = (picture.width() - shot.width()) // 2
    y = (picture.height() - shot.height()) // 2
    p.fillRect(QRect(x - 1, y - 1, shot.width() + 2, shot.height() + 2), QColor("#37474f"))
    p.drawPixmap(x, y, shot)
    p.end()
    return picture


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--lang", choices=["ja", "en"], default="ja")
    parser.add_argument("--view", choices=["board", "start", "close", "sync", "qr"], default="board")
    args = parser.parse_args(argv)

    opening_id = build_point_day(args.data_dir) if args.view == "qr" else build_day(args.data_dir)
    if args.view == "sync":
        unreachable_hub(args.data_dir)

    from ui.app import setup_application
    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0]])
    setup_application(app, args.lang)
    late_afternoon = datetime.now().astimezone().replace(hour=16, minute=55, second=0, microsecond=0)
    window = MainWindow(args.data_dir, args.lang, clock=lambda: late_afternoon)
    window.setFixedSize(*SIZE)
    window.show()
    wait_for(app, lambda: window.start_page is not None and window.worker.pending == 0, "the start page")

    if args.view == "start":
        page = window.start_page
        page.profile_box.setCurrentIndex(page.profile_box.findData(PROFILE))
        page.kind_box.setCurrentIndex(min(1, page.kind_box.count() - 1))
        page.venue_edit.setText("塩竈市 マリンゲート塩釜 2階ホール")
        page.muni_box.setEditText("塩竈市")
        page.staff_spin.setValue(2)
        settle(app, window)
        picture = window.grab()
    else:
        window.resume_opening(opening_id)
        wait_for(app, lambda: window.board is not None and window.worker.pending == 0, "the board")
        if args.view == "qr":
            window.qr.open_page()
            board = window.qr.board
            wait_for(app, lambda: board.state is not None and board.state.points is not None
                     and window.worker.pending == 0, "the QR board")
            board.points_panel.request_grant()  # one grant through the UI, acknowledged below
            wait_for(app, lambda: window.worker.pending == 0 and board.state.points.granted == 1235, "the grant")
            board.source_list.setCurrentRow(0)
            settle(app, window)
            picture = window.grab()
        elif args.view == "sync":
            strip = window.sync_strip
            wait_for(app, lambda: strip.error_label.isVisible() and strip.skew_label.isVisible(), "the sync strip")
            window.board.pad.buttons["visitors"].click()
            wait_for(app, lambda: window.worker.pending == 0, "the tap")
            pending = strip.status.pending
            wait_for(app, lambda: strip.status.pending > pending and not strip.status.busy
                     and strip.error_label.isVisible(), "the pending count")
            settle(app, window)
            picture = window.grab()
        elif args.view == "close":
            window.board.request_close()
            wait_for(app, lambda: window.board.active_dialog is not None, "the close dialog")
            dialog = window.board.active_dialog
            dialog.findChild(QLineEdit, "close-confirmed-by").setText("佐藤 花子")
            settle(app, window)
            picture = with_dialog(window, dialog)
        else:
            # One real tap through the UI (acknowledged in the status line), then the
            # next applicant's card half filled in, as staff would leave it.
            window.board.pad.buttons["visitors"].click()
            wait_for(app, lambda: window.worker.pending == 0, "the tap")
            card = window.board.card
            card.picker.button("age_band", "40s").setChecked(True)
            card.picker.button("method", "online").setChecked(True)
            card.optional_buttons["insurance_link"].setChecked(True)
            settle(app, window)
            picture = window.grab()

    args.out.parent.mkdir(parents=True, exist_ok=True)
    if not picture.save(str(args.out), "PNG"):
        raise SystemExit(f"screenshot: could not write {args.out}")
    window.close()
    print(f"{args.out} {picture.width()}x{picture.height()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
