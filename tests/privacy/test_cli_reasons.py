"""The command line takes reasons (`tally --reason`, `points grant --reason`) and the
confirming name (`close --confirmed-by`): personal data in them is refused with exit
2 and the code, nothing is written, and neither stderr nor the log repeats the text."""
from __future__ import annotations

import json

from tests.test_cli import cli, open_day

PHONE = "090-1234-5678"
EMAIL = "sato.hanako@example.jp"
MY_NUMBER = "１２３４ ５６７８ ９０１２"


def _log(data_dir) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in (data_dir / "logs").glob("madoguchi.log*"))


def _visitors(data_dir, oid) -> int:
    return json.loads(cli(data_dir, "totals", "--opening", oid, "--json").stdout)["visitors"]["total"]


def test_reason_and_name_with_personal_data_exit_2_and_write_nothing(data_dir):
    oid = open_day(data_dir)
    tally = cli(data_dir, "tally", "--opening", oid, "--counter", "visitors").stdout.strip()

    r = cli(data_dir, "tally", "--opening", oid, "--undo", tally, "--reason", f"本人（{PHONE}）の重複")
    assert r.returncode == 2
    assert "TALLY_REASON_PERSONAL_DATA" in r.stderr and "見つかったもの: 電話番号" in r.stderr
    assert PHONE not in r.stderr and r.stdout == ""
    assert _visitors(data_dir, oid) == 1

    r = cli(data_dir, "close", "--opening", oid, "--confirmed-by", EMAIL, lang="en")
    assert r.returncode == 2
    assert "CLOSING_NAME_PERSONAL_DATA" in r.stderr and "found: an e-mail address" in r.stderr
    assert EMAIL not in r.stderr
    assert json.loads(cli(data_dir, "openings", "--json").stdout)[0]["closed_at"] is None

    assert cli(data_dir, "close", "--opening", oid, "--confirmed-by", "佐藤").returncode == 0
    r = cli(data_dir, "tally", "--opening", oid, "--counter", "visitors", "--reason", f"番号{MY_NUMBER}の方")
    assert r.returncode == 2 and "TALLY_REASON_PERSONAL_DATA" in r.stderr and "12桁の数字" in r.stderr
    assert _visitors(data_dir, oid) == 1
    assert cli(data_dir, "tally", "--opening", oid, "--counter", "visitors", "--reason", "記入漏れ").returncode == 0
    assert _visitors(data_dir, oid) == 2

    log = _log(data_dir)
    assert "refused: TALLY_REASON_PERSONAL_DATA" in log  # the code is logged ...
    for text in (PHONE, EMAIL, "12345678", "1234 5678", "１２３４"):  # ... the text never
        assert text not in log
    assert cli(data_dir, "verify").returncode == 0


def test_a_point_grant_reason_is_screened_too(data_dir):
    r = cli(data_dir, "open", "--profile", "miyagi_point_r7", "--kind", "event_venue", "--venue", "夢メッセみやぎ",
            "--municipality", "仙台市", "--date", "2026-11-26", "--staff", "4", "--large")
    oid = r.stdout.strip()
    assert cli(data_dir, "points", "setup", "--opening", oid).returncode == 0
    r = cli(data_dir, "points", "grant", "--opening", oid, "--reason", f"受取人 {EMAIL}")
    assert r.returncode == 2 and "TALLY_REASON_PERSONAL_DATA" in r.stderr and EMAIL not in r.stderr
    assert json.loads(cli(data_dir, "totals", "--opening", oid, "--json").stdout)["point_grant"]["total"] == 0
    assert EMAIL not in _log(data_dir)
