"""`python main.py report ...` as a real process, as a supervisor or clerk runs it."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from app import tallies as tl
from app.openings import list_openings
from app.reports.exports import exports
from app.store import Store
from tests.conftest import ROOT
from tests.reports.readback import csv_rows, pdf_text, section, xlsx_rows


def cli(data_dir, *args, lang=None):
    env = {k: v for k, v in os.environ.items() if k != "MADOGUCHI_DATA_DIR"}
    cmd = [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir)]
    if lang:
        cmd += ["--lang", lang]
    return subprocess.run(cmd + [str(a) for a in args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=120)


def test_daily_report_in_three_formats_is_written_and_recorded(dir_003, tmp_path):
    with Store.open(dir_003, read_only=True) as s:
        o = [x for x in list_openings(s) if x.date.month == 11][0]
        expected = tl.totals(s, o.id)["application"]["total"]
    for fmt in ("pdf", "xlsx", "csv"):
        out = tmp_path / f"daily.{fmt}"
        r = cli(dir_003, "report", "daily", "--opening", o.id, "--format", fmt, "--out", out)
        assert r.returncode == 0, r.stderr
        assert r.stdout.strip() == str(out)
    assert "申請サポート件数（カード申請対応者数）" in pdf_text(tmp_path / "daily.pdf")
    assert {row[0]: row[1] for row in section(xlsx_rows(tmp_path / "daily.xlsx"), "集計")[1]}[
        "申請サポート件数（カード申請対応者数）"] == expected
    assert section(csv_rows(tmp_path / "daily.csv"), "集計")[1][0][1] == str(expected)
    with Store.open(dir_003, read_only=True) as s:
        assert [(e.report, e.format, e.opening_id) for e in exports(s)] == [
            ("daily", "pdf", o.id), ("daily", "xlsx", o.id), ("daily", "csv", o.id)]


def test_monthly_and_final_with_format_from_the_suffix(dir_003, tmp_path):
    r = cli(dir_003, "report", "monthly", "--month", "2024-11", "--out", tmp_path / "m.xlsx")
    assert r.returncode == 0, r.stderr
    assert section(xlsx_rows(tmp_path / "m.xlsx"), "目標に対する進捗")[1][0][2] == 8
    r = cli(dir_003, "report", "final", "--profile", "miyagi_mynumber_r6", "--as-of", "2024-11-30",
            "--format", "pdf", "--out", tmp_path / "f.pdf")
    assert r.returncode == 0, r.stderr
    text = pdf_text(tmp_path / "f.pdf")
    assert "最終報告書" in text and "実施回数（55回以上）" in text


def test_refused_input_exits_2_with_a_japanese_message_and_writes_nothing(dir_003, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    r = cli(dir_003, "report", "monthly", "--month", "2024/11", "--out", tmp_path / "m.pdf")
    assert r.returncode == 2 and "REPORT_MONTH_INVALID" in r.stderr and "YYYY-MM" in r.stderr
    r = cli(dir_003, "report", "daily", "--opening", "nope", "--out", tmp_path / "d.pdf")
    assert r.returncode == 2 and "OPENING_NOT_FOUND" in r.stderr
    r = cli(dir_003, "report", "final", "--out", tmp_path / "f.docx")
    assert r.returncode == 2 and "REPORT_FORMAT_UNKNOWN" in r.stderr
    r = cli(dir_003, "report", "final", "--profile", "nope", "--out", tmp_path / "f.pdf", lang="en")
    assert r.returncode == 2 and "Profile 'nope' was not found" in r.stderr
    r = cli(dir_003, "report", "final", "--hub", "http://127.0.0.1:9", "--out", tmp_path / "f.pdf")
    assert r.returncode == 2 and "REPORT_HUB_TOKEN_REQUIRED" in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_deadlines_lists_outstanding_reports_as_json(dir_003):
    r = cli(dir_003, "report", "deadlines", "--json")
    assert r.returncode == 0, r.stderr
    items = json.loads(r.stdout)
    daily = [i for i in items if i["report"] == "daily"]
    assert daily and all(i["state"] == "overdue" for i in daily)  # the seeded days are long past
    assert {i["month"] for i in items if i["report"] == "monthly"} >= {"2024-10", "2024-11"}
    assert all(i["due"] for i in items)
