"""What the office's commands print — `hub devices|conflicts|enrol-code|admin-token|
revoke|import-bundle|plan` and `office totals|export|merge` — is Japanese by default
and English with --lang en, as the booth's `sync` commands; --json output and the
exported files are the same in both languages.

On a hub database in an SQLite file (the commands read it directly), filled as an
office PC without a server fills it: by importing a laptop's USB bundle."""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import pytest

from app.cli import run
from app.store import Store
from sync import secrets_util as su
from sync.booth import export_bundle
from sync.hub import Hub
from tests.sync.helpers import open_day, tap_n, utc
from tests.sync.test_hub import rehash, wire_rows

CODE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


def say(capsys, *args: str, lang: str | None = None, code: int = 0) -> str:
    """stdout of one command, in the language asked for (default: none given)."""
    capsys.readouterr()
    assert run([*(["--lang", lang] if lang else []), *args]) == code, capsys.readouterr().err
    return capsys.readouterr().out


@pytest.fixture
def laptop(tmp_path):
    """A laptop at 名取 (仙台圏) with one opening and three taps, and its bundle."""
    data = tmp_path / "laptop"
    with Store.open(data) as store:
        tap_n(store, open_day(store).id, 3)
    info = export_bundle(data, tmp_path / "名取-1.mdgb")
    return data, info


@pytest.fixture
def db(tmp_path, laptop, capsys):
    """A hub database holding the laptop's bundle."""
    url = f"sqlite:///{tmp_path / 'office' / 'hub.sqlite3'}"
    _, info = laptop
    say(capsys, "hub", "import-bundle", info["file"], "--db", url, "--trust-fingerprint", info["fingerprint"])
    return url


@pytest.fixture
def empty_db(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty' / 'hub.sqlite3'}"
    (tmp_path / "empty").mkdir()
    Hub(url, pool_size=1).close()  # what starting the hub would create
    return url


def test_import_bundle(tmp_path, laptop, capsys):
    _, info = laptop
    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    ja = say(capsys, "hub", "import-bundle", info["file"], "--db", url, "--trust-fingerprint", info["fingerprint"])
    assert f"端末 {info['device_id']}" in ja
    assert "新規 4 件、既にあったもの 0 件、受け付けなかったもの 0 件" in ja and "new" not in ja
    en = say(capsys, "hub", "import-bundle", info["file"], "--db", url, lang="en")
    assert f"device {info['device_id']}" in en and "0 new, 4 already present, 0 conflict(s)" in en
    answer = json.loads(say(capsys, "hub", "import-bundle", info["file"], "--db", url, "--json"))
    assert answer == json.loads(say(capsys, "hub", "import-bundle", info["file"], "--db", url, "--json",
                                    lang="en"))
    assert (answer["stored"], answer["duplicates"]) == (0, 4)


def test_devices_and_revoke(db, empty_db, laptop, capsys):
    _, info = laptop
    device = info["device_id"]
    header, line = say(capsys, "hub", "devices", "--db", db).splitlines()
    assert header.split() == ["端末", "ID", "端末名", "状態", "最終送信", "記録", "先頭", "seq", "欠け", "断絶",
                              "鍵の指紋"]
    assert line.split()[0] == device and "持ち出しファイルで登録" in line and info["fingerprint"] in line
    header, line = say(capsys, "hub", "devices", "--db", db, lang="en").splitlines()
    assert header.split() == ["device", "name", "state", "last", "push", "rows", "head", "gaps", "breaks", "key"]
    assert " bundle " in line and info["fingerprint"] in line
    # The columns line up: each value starts under its header, Japanese or not.
    header, line = say(capsys, "hub", "devices", "--db", db).splitlines()
    assert _column(header, "鍵の指紋") == _column(line, info["fingerprint"])

    assert say(capsys, "hub", "revoke", "--db", db, device) == \
        f"端末 {device} を失効させました。この端末のトークンはもう使えません。\n"
    assert "失効" in say(capsys, "hub", "devices", "--db", db).splitlines()[1]
    assert say(capsys, "hub", "revoke", "--db", db, device, lang="en").startswith(f"revoked {device}")
    assert " revoked " in say(capsys, "hub", "devices", "--db", db, lang="en").splitlines()[1]
    listed = json.loads(say(capsys, "hub", "devices", "--db", db, "--json"))
    assert listed == json.loads(say(capsys, "hub", "devices", "--db", db, "--json", lang="en"))
    assert listed[0]["revoked_at"] and listed[0]["source"] == "bundle"

    assert say(capsys, "hub", "devices", "--db", empty_db) == "登録された端末はありません\n"
    assert say(capsys, "hub", "devices", "--db", empty_db, lang="en") == "no devices\n"


def _column(line: str, text: str) -> int:
    """Where `text` starts in a terminal: a Japanese character takes two columns."""
    before = line[:line.index(text)]
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in before)


def test_conflicts(db, empty_db, laptop, capsys):
    data, info = laptop
    rows = wire_rows(data)
    with Hub(db, pool_size=1) as hub:  # a copied laptop: the same ids and places with other content
        forged = rehash({**rows[-1], "device_time": "2026-11-26T23:59:00.000+09:00"})
        other = rehash({**rows[-2], "id": "01999999-0000-7000-8000-000000000000"})
        assert len(hub.push(info["device_id"], [forged, other], utc()).conflicts) == 2
    header, *lines = say(capsys, "hub", "conflicts", "--db", db).splitlines()
    assert header.split() == ["受信日時", "問題", "記録", "端末", "ID", "seq", "経路"]
    assert len(lines) == 2
    assert any("同じ ID で内容が違う" in line and f"tally/{forged['id']}" in line for line in lines)
    assert any("同じ seq に別の記録" in line for line in lines)
    assert all(line.rstrip().endswith("送信") for line in lines)
    header, *lines = say(capsys, "hub", "conflicts", "--db", db, lang="en").splitlines()
    assert header.split() == ["received", "problem", "row", "device", "seq", "via"]
    assert sorted(line.split()[3] for line in lines) == ["id_conflict", "seq_conflict"]
    assert all(line.rstrip().endswith("push") for line in lines)
    listed = json.loads(say(capsys, "hub", "conflicts", "--db", db, "--json"))
    assert listed == json.loads(say(capsys, "hub", "conflicts", "--db", db, "--json", lang="en"))
    assert {c["problem"] for c in listed} == {"id_conflict", "seq_conflict"}
    # Stored in UTC (and so in --json); the office reads Japan time.
    received = datetime.fromisoformat(listed[0]["received_at"])
    assert received.utcoffset() == timedelta(0)
    shown = (received + timedelta(hours=9)).strftime("%Y-%m-%d %H:%M JST")
    assert all(line.startswith(shown) for line in lines)

    assert say(capsys, "hub", "conflicts", "--db", empty_db) == "受け付けなかった記録はありません\n"
    assert say(capsys, "hub", "conflicts", "--db", empty_db, lang="en") == "no conflicts\n"


def test_enrol_code(empty_db, capsys):
    ja = say(capsys, "hub", "enrol-code", "--db", empty_db, "--name", "名取-2", "--no-qr",
             "--hub-url", "https://hub.example.jp").splitlines()
    code = CODE.fullmatch(ja[0].removeprefix("登録コード：")).group()
    assert ja == [f"登録コード：{code}", "端末名：名取-2　有効期間：7 日",
                  f"QR：{su.enrol_uri(code, 'https://hub.example.jp')}"]
    en = say(capsys, "hub", "enrol-code", "--db", empty_db, "--name", "名取-2", "--no-qr", "--days", "3",
             lang="en").splitlines()
    code = CODE.fullmatch(en[0].removeprefix("enrolment code: ")).group()
    assert en == [f"enrolment code: {code}", "device: 名取-2   valid for: 3 day(s)", f"QR: {su.enrol_uri(code, None)}"]


def test_admin_token(empty_db, capsys):
    """The token alone on stdout in both languages (scripts read it); the warning on stderr."""
    for lang, warning in ((None, "この管理トークンは二度と表示されません"), ("en", "This admin token is not shown again")):
        assert run([*(["--lang", lang] if lang else []), "hub", "admin-token", "--db", empty_db]) == 0
        out, err = capsys.readouterr()
        assert re.fullmatch(r"mdga_[A-Za-z0-9_-]+\n", out)
        assert warning in err and "MADOGUCHI_HUB_TOKEN" in err


def test_plan(empty_db, tmp_path, capsys):
    assert say(capsys, "hub", "plan", "--db", empty_db) == "予定はありません\n"
    assert say(capsys, "hub", "plan", "--db", empty_db, lang="en") == "no planned openings\n"
    plan = tmp_path / "plan.csv"
    plan.write_text("profile,kind,venue,municipality,date,large,staff,note\n"
                    "miyagi_mynumber_r6,support_booth,イオンモール名取,名取市,2026-12-01,1,3,\n"
                    "miyagi_mynumber_r6,event,産業祭,塩釜市,2026-12-02,0,2,\n", encoding="utf-8")
    assert say(capsys, "hub", "plan", "--db", empty_db, "--set", str(plan)) == "予定 2 件を登録しました\n"
    assert say(capsys, "hub", "plan", "--db", empty_db, "--set", str(plan), lang="en") == \
        "2 planned opening(s) set\n"
    header, first, second = say(capsys, "hub", "plan", "--db", empty_db).splitlines()
    assert header.split() == ["実施日", "業務", "実施形態", "会場", "市町村", "100人規模会場"]
    assert first.split()[-3:] == ["イオンモール名取", "名取市", "該当"] and second.split()[-2:] == ["産業祭", "塩竈市"]
    # The campaign and the kind in words, not the keys typed in the CSV.
    assert "令和６年度マイナンバーカード普及促進業務" in first and "申請サポート（商業施設等）" in first
    assert "miyagi_mynumber_r6" not in first and "support_booth" not in first
    header, first, second = say(capsys, "hub", "plan", "--db", empty_db, lang="en").splitlines()
    assert header.split() == ["date", "profile", "kind", "venue", "municipality", "large"]
    assert first.split()[-1] == "large" and second.rstrip().endswith("Shiogama City")
    assert "Miyagi My Number card promotion (FY2024)" in first
    listed = json.loads(say(capsys, "hub", "plan", "--db", empty_db, "--json"))
    assert listed == json.loads(say(capsys, "hub", "plan", "--db", empty_db, "--json", lang="en"))


def test_office_totals(db, empty_db, capsys):
    lines = say(capsys, "office", "totals", "--db", db).splitlines()
    assert lines[0].split() == ["業務", "項目", "合計"]
    assert lines[1].split() == ["令和６年度マイナンバーカード普及促進業務", "申請サポート件数（カード申請対応者数）", "3"]
    lines = say(capsys, "office", "totals", "--db", db, lang="en").splitlines()
    assert lines[0].split() == ["profile", "counter", "total"]
    assert lines[1].startswith("Miyagi My Number card promotion") and lines[1].endswith(" 3")
    assert "Card applications supported" in lines[1]
    by = ["--by", "profile,region,age_band,method,large"]
    header, line = say(capsys, "office", "totals", "--db", db, *by).splitlines()
    assert header.split() == ["業務", "圏域", "年代", "申請方法", "100人規模会場", "項目", "合計"]
    assert line.split()[1:] == ["仙台", "30代", "紙", "非該当", "申請サポート件数（カード申請対応者数）", "3"]
    header, line = say(capsys, "office", "totals", "--db", db, *by, lang="en").splitlines()
    assert header.split() == ["profile", "region", "age_band", "method", "large", "counter", "total"]
    assert " Sendai " in line and " no " in line and line.endswith(" 3")
    # Without a profile column a label is shown when every campaign agrees on it:
    # 30s is 30代 everywhere, "paper" is 紙 in one campaign and 紙（交付申請書） in another.
    assert say(capsys, "office", "totals", "--db", db, "--by", "age_band,method").splitlines()[1].split()[:2] == [
        "30代", "paper"]
    assert json.loads(say(capsys, "office", "totals", "--db", db, *by, "--json")) == \
        json.loads(say(capsys, "office", "totals", "--db", db, *by, "--json", lang="en")) == [
        {"profile": "miyagi_mynumber_r6", "region": "sendai", "age_band": "30s", "method": "paper", "large": False,
         "counter": "application", "total": 3}]
    assert say(capsys, "office", "totals", "--db", empty_db) == "集計する記録はありません\n"
    assert say(capsys, "office", "totals", "--db", empty_db, lang="en") == "no tallies\n"


def test_office_export_and_merge(db, tmp_path, capsys):
    ja, en = tmp_path / "ja.csv", tmp_path / "en.csv"
    assert say(capsys, "office", "export", "--format", "csv", "--out", str(ja), "--db", db) == f"{ja}：3 行\n"
    assert say(capsys, "office", "export", "--format", "csv", "--out", str(en), "--db", db, lang="en") == \
        f"{en}: 3 row(s)\n"
    assert ja.read_bytes() == en.read_bytes()  # the file is the same whatever the language
    out = tmp_path / "merged"
    assert say(capsys, "office", "merge", "--out", str(out), "--db", db) == \
        f"統合したデータを {out} に書き出しました（集計の記録 3 件）\n"
    assert say(capsys, "office", "merge", "--out", str(out), "--db", db, lang="en") == \
        f"merged store in {out}: 3 tally row(s)\n"


def test_starting_the_hub_without_a_database_says_how(capsys):
    assert run(["hub"]) == 2
    assert "--db sqlite:///hub.sqlite3" in capsys.readouterr().err
    assert run(["--lang", "en", "hub"]) == 2
    assert "Give the hub database with --db" in capsys.readouterr().err
