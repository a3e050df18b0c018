"""The reason screen: what a booth worker may type as a reason (or as the confirming
supervisor's name) and what is refused because it looks like a visitor's personal
data. The refusal names the kind of thing found, never the text."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import MadoguchiError
from app.reason_screen import (NAME_MAX, REASON_MAX, find_personal_data, screen_confirmed_by,
                               screen_reason)

MUST_REFUSE = [
    # My Number: 12 digits, plain or 4-4-4, half- or full-width
    ("123456789012", "my_number"),
    ("1234 5678 9012", "my_number"),
    ("1234-5678-9012の方の分", "my_number"),
    ("１２３４５６７８９０１２", "my_number"),
    ("個人番号１２３４－５６７８－９０１２を確認", "my_number"),
    ("番号 1234　5678　9012", "my_number"),
    # phone numbers: mobile, IP, landline, with or without hyphens, full-width, +81
    ("090-1234-5678", "phone"),
    ("09012345678に折り返し", "phone"),
    ("０８０－１２３４－５６７８", "phone"),
    ("070 1234 5678", "phone"),
    ("070ー1234ー5678", "phone"),          # the IME's long vowel mark as a hyphen
    ("050-1234-5678", "phone"),
    ("03-1234-5678", "phone"),
    ("022-123-4567", "phone"),
    ("0223456789", "phone"),
    ("(022)123-4567", "phone"),
    ("022(123)4567", "phone"),
    ("+81-90-1234-5678", "phone"),
    ("+819012345678", "phone"),
    # e-mail addresses
    ("taro@example.com", "email"),
    ("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ", "email"),
    ("連絡先 taro.yamada+booth@mail.example.co.jp", "email"),
    # postal codes
    ("〒981-1224", "postal_code"),
    ("〒9811224", "postal_code"),
    ("〒 981-1224 名取市", "postal_code"),
    ("981-1224の方", "postal_code"),
    # dates of birth
    ("生年月日 S45.3.2", "birth_date"),
    ("S45.3.2生", "birth_date"),
    ("H2.1.15生の方", "birth_date"),
    ("昭和45年3月2日生まれ", "birth_date"),
    ("㍼45年3月2日", "birth_date"),
    ("1970年3月2日生まれ", "birth_date"),
    ("1970年3月2日", "birth_date"),
    ("生年月日：1970/3/2", "birth_date"),
    ("生年月日45.3.2", "birth_date"),
    ("令和2年3月4日生まれの子", "birth_date"),
    ("2015年3月2日生", "birth_date"),
    # street addresses and other long numbers
    ("増田1丁目2番3号", "address"),
    ("増田123番地", "address"),
    ("1234567890123", "long_number"),
]

MUST_PASS = [
    "タップ間違い",
    "2件重複",
    "10時台の入力漏れ3件",
    "受付番号12の取消",
    "年代の押し間違い（60代に訂正）",
    "集計漏れ（翌朝に追加）",
    "-1件取消",
    "+追加",
    "2026年11月26日の入力漏れ",
    "令和6年11月26日の入力漏れ",
    "R6.11.26分",
    "2026-11-26 10:15 の重複",
    "2026/11/26 15時 20件",
    "9:00-10:00 の分",
    "13:00-14:30 の受付分 12件",
    "記録 01936b2e-6f1c-7c3a-9d5e-123456789012 の重複",  # a tally id is ours
    "生年月日で年代を確認して訂正",
    "11月26日に生じた入力漏れ",
    "学生3人",
    "100人規模会場",
    "R6年度分",
    "写真3枚印刷",
    "0120-123-456 へ案内",     # a business's free dial is not a person's number
    "第3会場・2班",
    "",
]


@pytest.mark.parametrize("text, kind", MUST_REFUSE)
def test_personal_data_in_a_reason_is_refused_without_echoing_it(text, kind):
    assert find_personal_data(text).kinds == (kind,)
    with pytest.raises(MadoguchiError) as info:
        screen_reason(text)
    err = info.value
    assert err.code == "TALLY_REASON_PERSONAL_DATA"
    ja, en = err.message("ja"), err.message("en")
    assert ja.startswith("理由に個人番号・電話番号・メールアドレスのような文字列は書けません（見つかったもの: ")
    assert "found: " in en
    # Nothing of what was typed: no digit run, no address, not the text itself.
    everything = " ".join([ja, en, str(err), repr(err.to_dict()), repr(err.to_dict("en"))])
    assert text not in everything
    for piece in re.findall(r"[0-9０-９]{3,}|\S+@\S+", text):
        assert piece not in everything


def test_the_message_says_what_was_found_in_both_languages():
    with pytest.raises(MadoguchiError) as info:
        screen_reason("123456789012")
    assert "（見つかったもの: 12桁の数字）" in info.value.message("ja")
    assert "(found: a 12-digit number)" in info.value.message("en")
    with pytest.raises(MadoguchiError) as info:
        screen_reason("連絡先 090-1234-5678 / taro@example.com")
    assert "見つかったもの: メールアドレス、電話番号" in info.value.message("ja")
    assert "found: an e-mail address, a phone number" in info.value.message("en")
    assert info.value.to_dict()["details"]["found"] == "メールアドレス、電話番号"


@pytest.mark.parametrize("text", MUST_PASS)
def test_ordinary_booth_reasons_pass(text):
    assert not find_personal_data(text), find_personal_data(text).kinds
    assert screen_reason(f"  {text}  ") == text


def test_a_reason_longer_than_the_input_field_allows_is_refused():
    assert screen_reason("あ" * REASON_MAX) == "あ" * REASON_MAX
    with pytest.raises(MadoguchiError) as info:
        screen_reason("あ" * (REASON_MAX + 1))
    assert info.value.code == "TALLY_REASON_TOO_LONG"
    assert f"{REASON_MAX} 文字以内" in info.value.message("ja")


# Words booth staff use in reasons, and small numbers with their counting words.
WORDS = ["押し間違い", "入力漏れ", "重複", "取消", "訂正", "年代", "申請方法", "オンライン", "紙",
         "来場者", "アンケート", "写真", "印刷", "再印刷", "締め後", "追加", "記録", "誤り", "確認済み",
         "スマホ", "保険証", "公金口座", "受付", "会場", "午前", "午後", "翌朝", "（", "）", "・", "、",
         "。", " ", "の", "を", "で", "に", "が", "へ", "から", "まで", "代", "分", "件目", "ボタン",
         "タップ", "間違え", "二重", "漏れ", "対象外", "アプリ", "説明", "案内"]
UNITS = ["件", "時", "時台", "人", "名", "枚", "回", "代", "分", "番", "班", "歳", "日分", "時半"]
KANA = st.characters(min_codepoint=0x3041, max_codepoint=0x30FA)
FRAGMENT = st.one_of(
    st.sampled_from(WORDS),
    st.builds(lambda n, u: f"{n}{u}", st.integers(0, 999), st.sampled_from(UNITS)),
    st.text(KANA, min_size=1, max_size=6),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(FRAGMENT, min_size=1, max_size=8).map("".join))
def test_random_short_japanese_reasons_without_long_digit_runs_pass(reason):
    assert screen_reason(reason) == reason.strip()


@pytest.mark.parametrize("name", ["佐藤", "佐藤 花子", "佐藤　花子", "@佐藤", "Sato Hanako",
                                  "佐藤（2班）", "佐藤（現場責任者）", ""])
def test_a_supervisors_name_is_kept(name):
    assert screen_confirmed_by(f" {name} ") == name.strip()


@pytest.mark.parametrize("name, code", [
    ("090-1234-5678", "CLOSING_NAME_PERSONAL_DATA"),
    ("佐藤 09012345678", "CLOSING_NAME_PERSONAL_DATA"),
    ("sato@example.com", "CLOSING_NAME_PERSONAL_DATA"),
    ("佐藤 S45.3.2生", "CLOSING_NAME_PERSONAL_DATA"),
    ("佐藤123", "CLOSING_NAME_NOT_A_NAME"),
    ("佐藤１２３", "CLOSING_NAME_NOT_A_NAME"),
    ("佐" * (NAME_MAX + 1), "CLOSING_NAME_NOT_A_NAME"),
])
def test_a_name_field_holding_something_else_is_refused(name, code):
    with pytest.raises(MadoguchiError) as info:
        screen_confirmed_by(name)
    err = info.value
    assert err.code == code
    assert "現場責任者の氏名" in err.message("ja") and "supervisor's name" in err.message("en")
    assert name not in err.message("ja") + err.message("en") + str(err)
