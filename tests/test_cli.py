"""The command line, run as a real process the way a script or a person would."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PROFILE_003 = "miyagi_mynumber_r6"


def cli(data_dir, *args, env_dir=None, lang=None):
    env = {**os.environ}
    env.pop("MADOGUCHI_DATA_DIR", None)
    cmd = [sys.executable, str(ROOT / "main.py")]
    if env_dir is not None:
        env["MADOGUCHI_DATA_DIR"] = str(env_dir)
    elif data_dir is not None:
        cmd += ["--data-dir", str(data_dir)]
    if lang:
        cmd += ["--lang", lang]
    return subprocess.run(cmd + [str(a) for a in args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=60)


def open_day(data_dir, **extra):
    args = ["open", "--profile", PROFILE_003, "--kind", "support_booth", "--venue", "イオンモール石巻",
            "--municipality", "石巻市", "--date", "2026-11-26", "--staff", "3", "--large"]
    r = cli(data_dir, *args, **extra)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def test_help_lists_every_subcommand():
    r = cli(None, "--help")
    assert r.returncode == 0
    for command in ["open", "tally", "totals", "close", "openings", "profiles", "verify"]:
        assert re.search(rf"^\s+{command}\s", r.stdout, re.M), command
    assert "--data-dir" in r.stdout


def test_a_day_from_the_command_line(data_dir):
    oid = open_day(data_dir)
    assert re.fullmatch(r"[0-9a-f-]{36}", oid)
    for dims in (["age_band=30s", "method=online"], ["age_band=30s", "method=paper"],
                 ["age_band=80plus", "method=paper"]):
        r = cli(data_dir, "tally", "--opening", oid, "--counter", "application",
                *[x for d in dims for x in ("--dim", d)])
        assert r.returncode == 0, r.stderr
    wrong = cli(data_dir, "tally", "--opening", oid, "--counter", "visitors").stdout.strip()
    r = cli(data_dir, "tally", "--opening", oid, "--undo", wrong, "--reason", "押し間違い")
    assert r.returncode == 0, r.stderr
    totals = json.loads(cli(data_dir, "totals", "--opening", oid, "--json").stdout)
    assert totals["application"]["total"] == 3
    assert totals["application"]["by_dimension"]["age_band"] == {"30s": 2, "80plus": 1}
    assert totals["application"]["by_dimension"]["method"] == {"online": 1, "paper": 2}
    assert totals["visitors"]["total"] == 0
    r = cli(data_dir, "close", "--opening", oid)
    assert r.returncode == 0 and "closed" in r.stdout
    listed = json.loads(cli(data_dir, "openings", "--json").stdout)
    assert [(o["id"], o["region_ja"], o["large"], o["closed_at"] is not None) for o in listed] == [
        (oid, "石巻", True, True)]
    human = cli(data_dir, "totals", "--opening", oid).stdout
    assert "申請サポート件数" in human and "3" in human
    assert cli(data_dir, "verify").returncode == 0


def test_refused_input_exits_2_with_a_japanese_message_and_writes_nothing(data_dir):
    oid = open_day(data_dir)
    r = cli(data_dir, "tally", "--opening", oid, "--counter", "application", "--dim", "age_band=30s")
    assert r.returncode == 2
    assert "DIMENSION_MISSING" in r.stderr and "区分" in r.stderr
    r = cli(data_dir, "open", "--profile", PROFILE_003, "--kind", "support_booth", "--venue", "x",
            "--municipality", "盛岡市", "--date", "2026-11-26", "--staff", "1")
    assert r.returncode == 2 and "宮城県の市町村一覧にありません" in r.stderr
    r = cli(data_dir, "tally", "--opening", oid, "--counter", "nope", lang="en")
    assert r.returncode == 2 and "is not in profile" in r.stderr
    assert json.loads(cli(data_dir, "totals", "--opening", oid, "--json").stdout)["application"]["total"] == 0
    assert len(json.loads(cli(data_dir, "openings", "--json").stdout)) == 1


def test_closed_day_needs_a_reason_from_the_command_line_too(data_dir):
    oid = open_day(data_dir)
    cli(data_dir, "close", "--opening", oid)
    r = cli(data_dir, "tally", "--opening", oid, "--counter", "visitors")
    assert r.returncode == 2 and "OPENING_CLOSED" in r.stderr
    r = cli(data_dir, "tally", "--opening", oid, "--counter", "visitors", "--reason", "記入漏れ")
    assert r.returncode == 0


def test_environment_variable_chooses_the_data_folder(tmp_path):
    oid = open_day(None, env_dir=tmp_path / "envdata")
    assert (tmp_path / "envdata" / "madoguchi.sqlite3").exists()
    listed = json.loads(cli(None, "openings", "--json", env_dir=tmp_path / "envdata").stdout)
    assert [o["id"] for o in listed] == [oid]


def test_profiles_json_lists_kinds_counters_and_dimensions():
    data = json.loads(cli(None, "profiles", "--json").stdout)
    assert {p["spec"] for p in data} == {"000", "001", "002", "003", "004"}
    p003 = next(p for p in data if p["spec"] == "003")
    assert "support_booth" in json.dumps(p003["opening_kinds"])
    counters = {c["key"]: c for c in p003["counters"]}
    assert {"application", "insurance_link", "kouhi_account", "smartphone_help", "survey"} <= set(counters)
    assert "online" in json.dumps(counters["application"], ensure_ascii=False)


def test_profiles_check_reports_file_key_and_expectation(tmp_path):
    good = ROOT / "resources/profiles"
    for path in good.glob("*.toml"):
        r = cli(None, "profiles", "check", path)
        assert r.returncode == 0 and r.stdout.startswith("OK"), r.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text((good / "003_miyagi_mynumber_r6.toml").read_text(encoding="utf-8")
                   .replace('shortcut = "1"', 'shortcut = 1'), encoding="utf-8")
    r = cli(None, "profiles", "check", bad)
    assert r.returncode == 2
    assert "bad.toml" in r.stderr and "shortcut" in r.stderr and "PROFILE_INVALID" in r.stderr


def test_verify_names_the_first_changed_row(data_dir):
    import sqlite3

    oid = open_day(data_dir)
    ids = [cli(data_dir, "tally", "--opening", oid, "--counter", "visitors").stdout.strip()
           for _ in range(3)]
    conn = sqlite3.connect(data_dir / "madoguchi.sqlite3")
    conn.execute("DROP TRIGGER tally_no_update")
    conn.execute("UPDATE tally SET delta = -1 WHERE id = ?", (ids[1],))
    conn.commit()
    conn.close()
    r = cli(data_dir, "verify")
    assert r.returncode == 1
    assert ids[1] in r.stdout and "hash" in r.stdout


def _subcommands(parser) -> dict:
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def test_readme_lists_every_cli_command():
    """Every subcommand the parser knows, and every sub-subcommand, appears in the README
    as `main.py COMMAND [SUB]`: adding a command without documenting it fails here."""
    from app.cli import build_parser

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = []
    for name, sub in _subcommands(build_parser()).items():
        if f"main.py {name}" not in text:
            missing.append(name)
        for child in _subcommands(sub):
            if f"{name} {child}" not in text:
                missing.append(f"{name} {child}")
    assert missing == []


def test_undo_of_another_openings_tally_is_refused(data_dir):
    first = open_day(data_dir)
    second = open_day(data_dir)
    tally = cli(data_dir, "tally", "--opening", first, "--counter", "visitors").stdout.strip()
    r = cli(data_dir, "tally", "--opening", second, "--undo", tally, "--reason", "間違い")
    assert r.returncode == 2 and "TALLY_NOT_IN_OPENING" in r.stderr
    assert json.loads(cli(data_dir, "totals", "--opening", first, "--json").stdout)["visitors"]["total"] == 1


@pytest.mark.parametrize("args, code", [
    (["--dim", "age_band"], "CLI_DIM_INVALID"),
    ([], "CLI_COUNTER_REQUIRED"),
])
def test_malformed_tally_arguments_get_a_code_and_exit_2(data_dir, args, code):
    oid = open_day(data_dir)
    extra = ["--counter", "application"] if code == "CLI_DIM_INVALID" else []
    r = cli(data_dir, "tally", "--opening", oid, *extra, *args)
    assert r.returncode == 2
    assert code in r.stderr and "指定してください" in r.stderr
