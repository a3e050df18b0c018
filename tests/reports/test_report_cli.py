"""`python main.py report ...` as a real process, as a supervisor or clerk runs it."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

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


def test_out_must_name_a_file_with_a_format(dir_003, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for out in (f"{folder}/", str(folder), f"{tmp_path}/new-folder/"):
        r = cli(dir_003, "report", "monthly", "--month", "2024-11", "--out", out)
        assert r.returncode == 2 and "REPORT_OUT_IS_FOLDER" in r.stderr, r.stderr
        assert "フォルダー" in r.stderr and "月次報告書.xlsx" in r.stderr and "「-」" not in r.stderr
    r = cli(dir_003, "report", "final", "--out", tmp_path / "final-report", lang="en")
    assert r.returncode == 2 and "REPORT_FORMAT_MISSING" in r.stderr and ".pdf, .xlsx or .csv" in r.stderr
    assert list(folder.iterdir()) == [] and not (tmp_path / "new-folder").exists()


def test_an_unreachable_hub_gets_a_report_message(dir_003, tmp_path):
    from sync.pgtemp import free_port

    url = f"http://127.0.0.1:{free_port()}"   # nothing listens there
    r = cli(dir_003, "report", "final", "--hub", url, "--token", "mdga_x", "--out", tmp_path / "f.pdf")
    assert r.returncode == 2 and "REPORT_HUB_UNREACHABLE" in r.stderr, r.stderr
    assert url in r.stderr and "報告書ファイルは作成されていません" in r.stderr
    assert "送信" not in r.stderr          # not sync's "the records are sent later"
    assert not (tmp_path / "f.pdf").exists()


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640)])
def test_report_files_get_ordinary_permissions(store_003, tmp_path, umask, mode):
    from app.reports import export as ex
    from tests.reports.conftest import NOW

    report = ex.final_report(store_003, now=NOW)
    out = tmp_path / "out" / "f.csv"
    old = os.umask(umask)
    try:
        ex.save(report, "csv", out, record_in=None, now=NOW)
    finally:
        os.umask(old)
    assert (out.stat().st_mode & 0o777) == mode   # not 0600: the file is shared like any document
    assert [p.name for p in out.parent.iterdir()] == ["f.csv"]   # no temporary file left


def test_monthly_report_counts_only_openings_up_to_the_report_day(tmp_path):
    """Real dates: a November 2024 report made on Fri 15 Nov counts the opening of
    Tue 5 Nov; those of 20 and 28 Nov are still plans and are listed with December's."""
    from datetime import date

    from tests.conftest import profile_for_spec
    from tests.reports.seed import at, open_at

    folder = tmp_path / "data"
    p = profile_for_spec("003")
    with Store.open(folder, now=at(date(2024, 11, 1), 9)) as s:
        for day, venue, muni in ((date(2024, 11, 5), "イオンモール名取", "名取市"),
                                 (date(2024, 11, 20), "大崎市役所", "大崎市"),
                                 (date(2024, 11, 28), "イオン石巻", "石巻市"),
                                 (date(2024, 12, 3), "登米市役所", "登米市")):
            o = open_at(s, p, day, venue=venue, municipality=muni)
            tl.record_card(s, o.id, {"age_band": "30s", "method": "online"}, [], now=at(day, 11))
    r = cli(folder, "report", "monthly", "--month", "2024-11", "--as-of", "2024-11-15", "--out", tmp_path / "m.xlsx")
    assert r.returncode == 0, r.stderr
    rows = xlsx_rows(tmp_path / "m.xlsx")
    facts = {row[0]: row[1] for row in rows[3:12] if row and row[0]}
    assert facts["集計時点"] == "令和6年11月15日（金）（これより後の実施回は予定として記載）"
    _, progress = section(rows, "目標に対する進捗")
    assert progress[0][:4] == ["実施回数（55回以上）", 55, 1, 1]          # this month 1, to date 1
    assert {r[0]: r[3] for r in progress}["申請支援人数（2,000人以上）"] == 1
    _, openings = section(rows, "実施回一覧")
    assert [o[1] for o in openings] == ["イオンモール名取", "1回"]
    _, planned = section(rows, "今後の実施予定（当月の残りと翌月）")
    assert [(o[0], o[1]) for o in planned] == [("11/20（水）", "大崎市役所"), ("11/28（木）", "イオン石巻"),
                                               ("12/3（火）", "登米市役所")]
    # Made after the month: every November opening counts, December's is the plan.
    r = cli(folder, "report", "monthly", "--month", "2024-11", "--as-of", "2024-12-02", "--out", tmp_path / "n.xlsx")
    assert r.returncode == 0, r.stderr
    rows = xlsx_rows(tmp_path / "n.xlsx")
    assert section(rows, "目標に対する進捗")[1][0][2] == 3
    assert [o[1] for o in section(rows, "翌月の実施予定")[1]] == ["登米市役所"]
    assert "集計時点" not in {row[0] for row in rows[3:12] if row}
