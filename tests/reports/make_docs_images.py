"""Make the pictures in docs/: report pages rendered from real PDFs with pdftoppm,
and screenshots of the report view and the progress dashboard (Qt offscreen).

    .venv/bin/python -m tests.reports.make_docs_images [--out docs]

Not a test: it writes into the repository. Look at the pictures after running it."""
from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.openings import list_openings  # noqa: E402
from app.reports import export as ex  # noqa: E402
from app.store import Store  # noqa: E402
from tests.conftest import ROOT, profile_for_spec  # noqa: E402
from tests.reports.seed import JST, fill_opening, open_at, seed_month  # noqa: E402

NOW = datetime(2024, 12, 2, 10, 0, tzinfo=JST)
PROFILE = "miyagi_mynumber_r6"   # spec 003: the reports pictured


def demo_store(folder: Path) -> None:
    p = profile_for_spec("003")
    rng = random.Random(11)
    with Store.open(folder, now=NOW) as store:
        for month, n in ((date(2024, 9, 1), 9), (date(2024, 10, 1), 12), (date(2024, 11, 1), 14)):
            seed_month(store, p, month, n, rng, taps=70)
        # Most reports were handed in on time; the last few days' are still to do.
        for o in list_openings(store):
            if o.date < date(2024, 11, 19):
                due = o.date + timedelta(days=1)
                ex.save(ex.daily_report(store, o.id, now=NOW), "csv", folder / "exported.csv", record_in=store,
                        now=datetime(due.year, due.month, due.day, 17, tzinfo=JST))
        ex.save(ex.monthly_report(store, "2024-09", now=NOW), "csv", folder / "exported.csv", record_in=store,
                now=datetime(2024, 10, 8, 17, tzinfo=JST))
        open_at(store, p, date(2024, 12, 5), venue="塩竈市民交流センター", municipality="塩竈市")
        open_at(store, p, date(2024, 12, 7), venue="イオンモール富谷", municipality="富谷市", large=True)
        # A spec 001 event on the same laptop: its inquiry counts are due the next business day.
        p1 = profile_for_spec("001")
        fill_opening(store, p1, open_at(store, p1, date(2024, 11, 27), venue="イオンモール石巻",
                                        municipality="石巻市"), rng, taps=30)


def pdf_page(pdf: Path, page: int, out: Path, dpi: int = 100) -> None:
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise SystemExit("pdftoppm (poppler-utils) is needed to render the pages")
    stem = out.with_suffix("")
    subprocess.run([tool, "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", "-png",
                    str(pdf), str(stem)], check=True)


def screenshots(data: Path, out: Path) -> None:
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QApplication

    from ui.app import setup_application
    from ui.i18n import install_language
    from ui.report_dashboard import ProgressDashboard, store_loader
    from ui.report_view import ReportView
    from ui.worker import StoreWorker

    app = QApplication.instance() or QApplication([])
    setup_application(app, "ja")

    def pump(until, timeout=20.0):
        end = time.monotonic() + timeout
        while not until() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)
        for _ in range(20):
            app.processEvents()

    worker = StoreWorker(data)
    worker.start()
    clock = lambda: datetime(2024, 11, 28, 16, 30, tzinfo=JST)  # noqa: E731
    view = ReportView(worker, "ja", clock)
    view.resize(1366, 768)
    view.show()
    pump(lambda: view.deadlines.rowCount() > 0)
    view.date_edit.setDate(QDate(2024, 11, 25))
    pump(lambda: view.report is not None and not view.preview.pixmap().isNull())
    pump(lambda: False, timeout=1.5)  # the preview is painted again at the area's final width
    view.grab().save(str(out / "report-view.png"))
    dash = ProgressDashboard(store_loader(data), "ja", lambda: NOW)
    dash.resize(1366, 1720)
    dash.show()
    pump(lambda: bool(dash.bars))
    dash.profile_box.setCurrentIndex(dash.profile_box.findData(PROFILE))
    pump(lambda: "applications" in dash.bars)
    dash.body.adjustSize()
    dash.grab().save(str(out / "report-dashboard.png"))
    # The same view after the booth window switched to English.
    install_language("en")
    view.set_language("en")
    pump(lambda: view.report is not None and view.report.document.title == "Daily report"
         and not view.preview.pixmap().isNull())
    pump(lambda: False, timeout=1.5)
    view.grab().save(str(out / "report-view-en.png"))
    install_language("ja")
    # 報告書 > 進捗ダッシュボード（ハブ）…: the hub URL comes from the sync settings.
    from ui.report_hub_dialog import HubDashboardDialog
    dialog = HubDashboardDialog("https://hub.madoguchi.example.jp", "")
    dialog.show()
    pump(lambda: False, timeout=0.5)
    dialog.grab().save(str(out / "report-hub-dialog.png"))
    dialog.close()
    view.close()
    dash.close()
    worker.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        demo_store(data)
        with Store.open(data, now=NOW) as store:
            november = [o for o in list_openings(store) if o.date.month == 11 and o.profile == PROFILE]
            reports = {"daily": ex.daily_report(store, november[0].id, now=NOW),
                       "monthly": ex.monthly_report(store, "2024-11", now=NOW, profile=PROFILE),
                       "final": ex.final_report(store, now=NOW, profile=PROFILE)}
            for kind, report in reports.items():
                (Path(tmp) / f"{kind}.pdf").write_bytes(ex.render(report.document, "pdf"))
        pdf_page(Path(tmp) / "daily.pdf", 1, out / "report-daily.png")
        pdf_page(Path(tmp) / "monthly.pdf", 1, out / "report-monthly.png")
        pdf_page(Path(tmp) / "final.pdf", 1, out / "report-final.png")
        pdf_page(Path(tmp) / "final.pdf", 2, out / "report-final-charts.png")
        screenshots(data, out)
    for name in ("report-daily", "report-monthly", "report-final", "report-final-charts", "report-view",
                 "report-view-en", "report-dashboard", "report-hub-dialog"):
        print(out / f"{name}.png")


if __name__ == "__main__":
    main()
