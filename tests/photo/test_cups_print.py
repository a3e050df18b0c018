"""Printing through a real CUPS server with a cups-pdf queue: the printed sheet holds
true-size 45×35 mm photos, and the app's job leaves nothing in the spool."""
from __future__ import annotations

import time

import pytest

from app.errors import MadoguchiError
from app.photo.crop import DEFAULT_SPEC as SPEC
from app.photo.session import capture
from app.photo.sheets import layout
from hardware import cups
from hardware.printer import PrinterConfig, make_printer
from hardware.printer_qt import list_printers
from tests.photo.faces import compose
from tests.photo.measure import crop_box, measure_head, photo_boxes, render

DPI = 300


@pytest.fixture
def photo():
    p = capture(compose(460, (600, 100))[0])
    yield p
    p.discard()


def wait_for_output(server, before: set, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = [p for p in server.printed() if p.name not in before]
        if new and new[-1].stat().st_size > 0:
            return new[-1]
        time.sleep(0.1)
    raise AssertionError("cups-pdf produced no PDF")


def test_printed_sheet_has_true_size_photos_and_the_spool_is_purged(qapp, cups_server, photo):
    before = {p.name for p in cups_server.printed()}
    printer = make_printer(PrinterConfig("system", cups_server.queue))
    outcome = printer.print_sheet(layout("KG", SPEC, 6), photo.photo(), SPEC, timeout=60)
    assert outcome.state == "completed" and outcome.purged and outcome.copies == 6
    pdf = wait_for_output(cups_server, before).read_bytes()
    page = render(pdf, DPI)
    boxes = photo_boxes(page, DPI)
    assert len(boxes) == 6
    for box in boxes:
        assert box.w / DPI * 25.4 == pytest.approx(35, abs=0.3)
        assert box.h / DPI * 25.4 == pytest.approx(45, abs=0.3)
        head = measure_head(crop_box(page, box), DPI)
        assert abs(head.head_mm - 34) <= 2 and abs(head.crown_mm - 4) <= 2 and abs(head.offset_mm) <= 2
    job_no = outcome.job.rsplit("-", 1)[1]
    leftovers = [f for f in cups_server.job_files() if f.lstrip("cd").split("-")[0].lstrip("0") == job_no]
    assert leftovers == [], leftovers
    assert list(cups_server.pdf_spool.iterdir()) == []
    with pytest.raises(cups.CupsError):  # the job is gone from the history too
        cups.job_status(int(job_no))


def test_the_server_keeping_job_files_is_detected(cups_server):
    value = cups.preserve_job_files()
    assert value == "Yes" and cups.keeps_job_files(value) is True
    assert cups.keeps_job_files(cups.preserve_job_files("PreserveJobFiles No\n")) is False
    assert cups.keeps_job_files(cups.preserve_job_files("LogLevel warn\n")) is True  # CUPS default: a day
    assert cups.keeps_job_files(None) is None


def test_qt_lists_the_queue(qapp, cups_server):
    assert cups_server.queue in [p.name for p in list_printers()]


def test_a_queue_that_refuses_jobs_fails_and_keeps_nothing(qapp, cups_server, photo):
    assert cups_server.lp("cupsreject", cups_server.queue).returncode == 0
    try:
        printer = make_printer(PrinterConfig("system", cups_server.queue))
        with pytest.raises(MadoguchiError) as err:
            printer.print_sheet(layout("L", SPEC, 1), photo.photo(), SPEC, timeout=20)
        assert err.value.code == "PRINT_FAILED"
        assert "消去していません" in err.value.message("ja")
        assert not photo.discarded  # kept for a retry
    finally:
        cups_server.lp("cupsaccept", cups_server.queue)


def test_unknown_printer(qapp, cups_server, photo):
    printer = make_printer(PrinterConfig("system", "no-such-printer"))
    with pytest.raises(MadoguchiError) as err:
        printer.print_sheet(layout("L", SPEC, 1), photo.photo(), SPEC)
    assert err.value.code == "PRINTER_NOT_FOUND"
