"""Campaign profiles: the five built-in ones carry what their specs ask for, and a
broken profile file is refused with the file, the exact key and what was expected."""
from __future__ import annotations

import copy
import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import profiles as pf
from app.errors import MESSAGES, MadoguchiError
from app.refdata import REF_NAMES, age_bands, sendai_wards

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "profiles"
SPECS = ("000", "001", "002", "003", "004")


def by_spec(spec: str) -> pf.Profile:
    return next(p for p in pf.builtin_profiles().values() if p.spec == spec)


def raw(spec: str) -> dict:
    return tomllib.loads(by_spec(spec).path.read_text(encoding="utf-8"))


def targets(p: pf.Profile) -> dict[str, tuple]:
    return {t.key: (t.kind, t.counter, t.value) for t in p.targets}


# ------------------------------------------------------------------ message languages

def _names_in_profiles() -> set[str]:
    """Every key, section name and key-like value written in the shipped profiles and
    the fixtures, plus the names the validator lists: a message may name these in
    either language (they are what the user types)."""
    names = {"TOML", "UTF", "true", "false", *pf.REPORT_RULES, *REF_NAMES, *pf.STATIONS,
             *pf.TARGET_PERIODS}
    for path in [*(p.path for p in pf.builtin_profiles().values()), *FIXTURES.glob("*.toml")]:
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"^\s*([A-Za-z0-9_]+)\s*=", text, re.M))
        for header in re.findall(r"^\s*\[\[?([A-Za-z0-9_.]+)\]\]?", text, re.M):
            names |= set(header.split("."))
        names |= set(re.findall(r'"([a-z][a-z0-9_]*)"', text))
    return names


NAMES = _names_in_profiles()
QUOTED = re.compile(r'"[^"]*"|「[^」]*」')
JAPANESE = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]")
# What the lead's one-line change to app/errors.py gives the English message.
EN_TEMPLATE = "Profile {file}: '{key}' is invalid: {expected_en}"


def english_words(text: str) -> list[str]:
    """Words in Latin letters that are not names from a profile: English prose left
    in a Japanese message (quoted values and key paths do not count)."""
    words = re.findall(r"[A-Za-z0-9_]+", QUOTED.sub("", text))
    return [w for w in words if w not in NAMES and w.isalpha()]


def assert_bilingual(err: MadoguchiError) -> None:
    """The Japanese text is Japanese, the English text English (values aside)."""
    ja, en = err.details["expected"], err.details["expected_en"]
    assert JAPANESE.search(ja), ja
    assert english_words(ja) == [], ja
    assert not JAPANESE.search(QUOTED.sub("", en)), en


# ------------------------------------------------------------------ built-ins

def test_one_builtin_profile_per_spec_named_after_it():
    builtin = pf.builtin_profiles()
    assert sorted(p.spec for p in builtin.values()) == list(SPECS)
    for key, p in builtin.items():
        assert p.key == key
        assert p.path.name.startswith(p.spec + "_") and p.path.suffix == ".toml"
        assert p.title_ja and p.title_en


@pytest.mark.parametrize("spec", SPECS)
def test_every_counter_has_a_keyboard_shortcut_digits_first(spec):
    """Every counter tapped by hand; a counter a station records (the photo count)
    has none: it is read-only on the board."""
    p = by_spec(spec)
    shortcuts = [c.shortcut for c in p.counters if c.recorded_by is None]
    assert all(c.shortcut is None for c in p.counters if c.recorded_by is not None)
    assert None not in shortcuts and len(set(shortcuts)) == len(shortcuts)
    digits = [s for s in shortcuts if s.isdigit()]
    assert digits == [str(i) for i in range(1, len(digits) + 1)]
    assert len(digits) == min(9, len(shortcuts))  # letters only once 1..9 are taken
    assert p.counter_for_shortcut("1") is p.counters[0]


@pytest.mark.parametrize("spec", ("002", "003"))
def test_photo_count_is_recorded_by_the_photo_station(spec):
    p = by_spec(spec)
    assert p.photo.enabled and p.counter("photo").recorded_by == "photo_station"
    assert not p.hand_tapped("photo") and p.hand_tapped("visitors")
    assert {c["key"]: c["recorded_by"] for c in pf.profile_to_dict(p)["counters"]}["photo"] == "photo_station"


STATION_CASES = [
    # (change to the 003 profile, dotted key, words the English message must contain)
    (lambda d: _counter(d, "photo").update(recorded_by="camera"), "counters[4].recorded_by",
     "photo_station"),
    (lambda d: _counter(d, "visitors").update(recorded_by="photo_station"), "counters[3].recorded_by",
     'only on the counter "photo"'),
    (lambda d: d["photo"].update(enabled=False), "counters[4].recorded_by", "[photo] enabled = true"),
    (lambda d: _counter(d, "photo").update(shortcut="9"), "counters[4].shortcut", "not tapped by hand"),
    (lambda d: _counter(d, "photo").update(dimensions=["age_band"]), "counters[4].dimensions",
     "no dimensions"),
    (lambda d: d["card"]["optional"].append("photo"), "card.optional[2]", "recorded by the photo_station"),
]


def _counter(d: dict, key: str) -> dict:
    return next(c for c in d["counters"] if c["key"] == key)


@pytest.mark.parametrize("change,key,words", STATION_CASES)
def test_recorded_by_is_validated_like_every_other_key(change, key, words):
    d = raw("003")
    change(d)
    err = _expect_invalid_at(d, key)
    assert words in err.details["expected_en"]
    assert_bilingual(err)


@pytest.mark.parametrize("spec", SPECS)
def test_every_profile_shows_in_both_languages(spec):
    p = by_spec(spec)
    labelled = [*p.counters, *p.opening_kinds, *p.targets, *p.reports, *p.groups,
                *p.dimensions.values(), *(v for d in p.dimensions.values() for v in d.values)]
    for item in labelled:
        assert item.label("ja").strip() and item.label("en").strip()
    assert p.label("en") == p.title_en and p.label("ja") == p.title_ja


def test_003_mynumber_promotion_targets_card_and_reports():
    p = by_spec("003")
    assert targets(p) == {
        "openings": ("openings", None, 55),
        "large_openings": ("large_openings", None, 15),
        "applications": ("counter", "application", 2000),
        "smartphone_sessions": ("counter", "smartphone_help", 15),
    }
    assert p.card is not None
    assert p.card.counters == ("application",)
    assert p.card.optional == ("insurance_link", "kouhi_account")
    assert p.card_dimensions() == ("age_band", "method")
    assert p.counter("application").dimensions == ("age_band", "method")
    assert p.dimension("method").value_keys() == ("paper", "online")
    assert p.dimension("age_band").values == age_bands()
    for key in ("insurance_link", "kouhi_account", "survey"):
        assert p.counter(key).dimensions == ("age_band",)
    assert {"visitors", "smartphone_help", "other_help", "photo"} <= {c.key for c in p.counters}
    assert len(p.counter("other_help").dimensions) == 1  # その他対応件数（要内訳）
    assert p.report("daily") == pf.ReportRule("daily", p.report("daily").label_ja,
                                              p.report("daily").label_en,
                                              "business_days_after", 3, None)
    assert p.report("monthly").rule == "day_of_next_month" and p.report("monthly").day == 10
    assert p.photo.enabled and (p.photo.width_mm, p.photo.height_mm) == (35.0, 45.0)
    assert "support_booth" in {k.key for k in p.opening_kinds}


def test_002_sendai_counts_applicant_attributes_photos_and_other_help():
    p = by_spec("002")
    assert [k.key for k in p.opening_kinds] == ["support_booth", "outreach"]
    app = p.counter("application")
    assert {"age_band", "gender", "ward"} <= set(app.dimensions)
    assert p.card is not None and p.card.counters == ("application",)
    assert set(p.card_dimensions()) == set(app.dimensions)
    wards = p.dimension("ward").values
    assert wards[:5] == sendai_wards() and len(wards) == 6  # plus 市外・不明
    assert p.has_counter("photo") and p.has_counter("visitors")
    breakdown = p.counter_dimensions("other_help")
    assert len(breakdown) == 1 and len(breakdown[0].values) >= 3
    assert {(r.key, r.rule, r.n, r.day) for r in p.reports} == {
        ("daily", "office_days_after", 2, None),
        ("monthly", "day_of_next_month", None, 10),
        ("roster", "business_days_before", 3, None),
    }
    assert p.photo.enabled and (p.photo.height_mm, p.photo.width_mm) == (45.0, 35.0)
    monthly = {t.opening_kind: t.value for t in p.targets if t.per == "month"}
    assert monthly == {"support_booth": 6, "outreach": 15}


def test_001_digital_id_covers_all_regions_and_1000_people():
    p = by_spec("001")
    assert targets(p) == {"regions": ("regions", None, 7),
                          "people_helped": ("counter", "install_help", 1000)}
    assert p.report("inquiry").rule == "next_business_day"
    inquiry_types = p.counter_dimensions("inquiry")
    assert len(inquiry_types) == 1 and "other" in inquiry_types[0].value_keys()
    assert not p.photo.enabled and p.card is None


def test_000_miyagi_point_caps_grants_at_4000_a_day():
    p = by_spec("000")
    assert p.daily_cap == 4000 and p.daily_cap_counter == "point_grant"
    assert p.counter("point_grant").shortcut == "1"
    assert "1,500" in p.counter("point_grant").label_ja
    assert {"install_help", "card_registration"} <= {c.key for c in p.counters}
    assert not p.photo.enabled


def test_004_zero_carbon_booth_tallies_and_monthly_inquiry_log():
    p = by_spec("004")
    assert {"participants", "portal_qr", "mailing_list", "inquiry"} <= {c.key for c in p.counters}
    assert [r.key for r in p.reports] == ["inquiry_monthly"]
    assert "ゼロカーボン大作戦" in p.opening_kinds[0].label_ja


def test_report_rules_match_the_calendar_module():
    jcalendar = pytest.importorskip("app.jcalendar")
    assert pf.REPORT_RULES == jcalendar.DUE_RULES


def test_lookups_by_key():
    p = by_spec("003")
    assert p.counter("survey").key == "survey"
    assert p.kind("support_booth").label_ja
    assert p.report("quarterly") is None and not p.has_counter("nope")
    with pytest.raises(KeyError):
        p.counter("nope")
    with pytest.raises(KeyError):
        p.kind("nope")


# ------------------------------------------------------------------ lookup & export

def test_get_profile_finds_builtin_and_extra_profiles(tmp_path):
    assert pf.get_profile("miyagi_mynumber_r6").spec == "003"
    extra = tmp_path / "profiles"
    extra.mkdir()
    text = by_spec("004").path.read_text(encoding="utf-8")
    (extra / "900_my_campaign.toml").write_text(
        text.replace('key = "zero_carbon_portal_r7"', 'key = "my_campaign"')
            .replace('spec = "004"', 'spec = "900"'), encoding="utf-8")
    assert pf.get_profile("my_campaign", [extra]).spec == "900"
    assert [p.spec for p in pf.list_profiles([extra])] == [*SPECS, "900"]
    assert [p.spec for p in pf.list_profiles()] == list(SPECS)


def test_unknown_profile_is_reported_by_key(tmp_path):
    with pytest.raises(MadoguchiError) as e:
        pf.get_profile("miyagi_mynumber_r9", [tmp_path])
    assert e.value.code == "PROFILE_NOT_FOUND"
    assert "miyagi_mynumber_r9" in e.value.message("ja")
    with pytest.raises(MadoguchiError) as e:
        pf.load_profile(tmp_path / "missing.toml")
    assert e.value.code == "PROFILE_NOT_FOUND"


def test_extra_profile_may_not_reuse_a_builtin_key(tmp_path):
    shutil.copy(by_spec("001").path, tmp_path / "copy.toml")
    with pytest.raises(MadoguchiError) as e:
        pf.list_profiles([tmp_path])
    assert e.value.code == "PROFILE_INVALID"
    assert e.value.details["key"] == "key"
    assert by_spec("001").path.name in e.value.details["expected"]
    assert "まだ使われていないプロファイルキー" in e.value.details["expected"]
    assert_bilingual(e.value)


def test_profile_saved_by_notepad_with_a_bom_loads(tmp_path):
    f = tmp_path / "bom.toml"
    f.write_bytes(b"\xef\xbb\xbf" + by_spec("003").path.read_bytes())
    assert pf.load_profile(f).key == "miyagi_mynumber_r6"


def test_profile_not_saved_as_utf8_is_refused(tmp_path):
    f = tmp_path / "sjis.toml"
    f.write_bytes(by_spec("003").path.read_text(encoding="utf-8").encode("cp932", errors="replace"))
    with pytest.raises(MadoguchiError) as e:
        pf.load_profile(f)
    assert e.value.code == "PROFILE_INVALID" and "UTF-8 で保存" in e.value.details["expected"]
    assert "saved as UTF-8" in e.value.details["expected_en"]
    assert_bilingual(e.value)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_profile_to_dict_is_json_with_counters_dimensions_and_allowed_values(lang):
    p = by_spec("003")
    d = json.loads(json.dumps(pf.profile_to_dict(p, lang), ensure_ascii=False))
    assert d["key"] == p.key and d["spec"] == "003" and d["title"] == p.label(lang)
    app = next(c for c in d["counters"] if c["key"] == "application")
    assert app["shortcut"] == "1" and app["label"] == p.counter("application").label(lang)
    assert [x["key"] for x in app["dimensions"]] == ["age_band", "method"]
    assert app["dimensions"][1]["values"] == ["paper", "online"]
    assert d["card"]["optional"] == ["insurance_link", "kouhi_account"]
    assert {t["value"] for t in d["targets"]} == {55, 15, 2000}
    assert {r["rule"] for r in d["reports"]} == {"business_days_after", "day_of_next_month"}
    assert d["opening_kinds"][0]["label"] == p.opening_kinds[0].label(lang)


# ------------------------------------------------------------------ broken profiles

BAD = [
    # (fixture, dotted key, words the Japanese message must contain, and the English one)
    ("unknown_key.toml", "counters[1].lable_ja", "「label_ja」の書き間違いではありませんか",
     'did you mean "label_ja"'),
    ("wrong_type.toml", "targets[0].value", "1 以上の整数", "whole number"),
    ("duplicate_counter.toml", "counters[2].key", '"application" は counters[0] で',
     '"application" is already used by counters[0]'),
    ("duplicate_opening_kind.toml", "opening_kinds[1].key", '"booth" は opening_kinds[0] で',
     '"booth" is already used'),
    ("duplicate_shortcut.toml", "counters[1].shortcut", '"1" は counters[0] で',
     '"1" is already used by counters[0]'),
    ("long_shortcut.toml", "counters[0].shortcut", "キーボードのキー 1 つ", "single keyboard key"),
    ("undefined_dimension.toml", "counters[0].dimensions[1]", "で定義した区分", "dimension defined"),
    ("card_unknown_counter.toml", "card.optional[0]", "[[counters]] で定義したカウンター",
     "counter key from [[counters]]"),
    ("target_unknown_counter.toml", "targets[0].counter", "「application」の書き間違い",
     'got "applications" (did you mean "application"?)'),
    ("bad_rule.toml", "reports[0].rule", "「business_days_after」の書き間違い",
     'did you mean "business_days_after"?'),
    ("missing_rule_param.toml", "reports[0].n", "n = <日数>", "n = <number of days>"),
    ("unknown_ref.toml", "dimensions.gender.ref", "sendai_wards", "sendai_wards"),
    ("empty_values.toml", "dimensions.method.values", "1 件以上", "at least one entry"),
    ("bad_toml.toml", "line 4, column 23", "4 行目 23 文字目：行の途中で文字列が終わっています",
     "valid TOML syntax"),
]


def test_every_fixture_is_covered():
    assert sorted(f for f, *_ in BAD) == sorted(p.name for p in FIXTURES.glob("*.toml"))


@pytest.mark.parametrize("fixture,key,ja,en", BAD)
def test_broken_profile_names_file_key_and_expectation(fixture, key, ja, en, monkeypatch):
    path = FIXTURES / fixture
    with pytest.raises(MadoguchiError) as e:
        pf.load_profile(path)
    err = e.value
    assert err.code == "PROFILE_INVALID"
    assert err.details["file"] == str(path)
    assert err.details["key"] == key
    assert ja in err.details["expected"] and en in err.details["expected_en"]
    assert_bilingual(err)
    msg = err.message("ja")  # what the user reads says all three, in Japanese
    assert fixture in msg and key in msg and ja in msg
    assert english_words(msg.replace(str(path), "").replace(key, "")) == [], msg
    monkeypatch.setitem(MESSAGES, "PROFILE_INVALID", (MESSAGES["PROFILE_INVALID"][0], EN_TEMPLATE))
    msg = err.message("en")
    assert fixture in msg and key in msg and en in msg
    assert not JAPANESE.search(QUOTED.sub("", msg)), msg


def test_cli_style_broken_builtin_copy_is_caught(tmp_path):
    # A typical slip when editing a copy of a shipped profile: a quoted number.
    text = by_spec("003").path.read_text(encoding="utf-8").replace("value = 2000", 'value = "2,000"')
    f = tmp_path / "003_edit.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(MadoguchiError) as e:
        pf.load_profile(f)
    assert e.value.details["key"] == "targets[2].value"
    assert '文字列 "2,000"' in e.value.details["expected"]
    assert 'got text "2,000"' in e.value.details["expected_en"]


# Property tests over the real profiles: a mistake anywhere is reported exactly there.

def _tables(node, path=""):
    """Every TOML table in a profile with its dotted path (the [dimensions] name table
    itself excluded: its keys are names, not fixed keys)."""
    if isinstance(node, dict):
        if path != "dimensions":
            yield path, node
        for k, v in node.items():
            yield from _tables(v, f"{path}.{k}" if path else k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _tables(v, f"{path}[{i}]")


def _leaves(node, path=""):
    """Every scalar (text, number, true/false) with its dotted path."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, f"{path}.{k}" if path else k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, f"{path}[{i}]")
    else:
        yield path, node


def _at(data, path):
    """The container and key/index holding `path` in data."""
    import re
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    node = data
    for part in parts[:-1]:
        node = node[int(part[1:-1])] if part.startswith("[") else node[part]
    last = parts[-1]
    return node, int(last[1:-1]) if last.startswith("[") else last


def _expect_invalid_at(data, key):
    with pytest.raises(MadoguchiError) as e:
        pf.profile_from_dict(data, "edited.toml")
    assert e.value.code == "PROFILE_INVALID"
    assert e.value.details["key"] == key
    assert e.value.details["file"] == "edited.toml"
    return e.value


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SPECS), st.data(), st.from_regex(r"[a-z][a-z_]{0,10}", fullmatch=True))
def test_an_unknown_key_anywhere_is_reported_at_its_path(spec, data, name):
    d = raw(spec)
    path, table = data.draw(st.sampled_from(list(_tables(d))))
    bad = "x_" + name  # never a real key
    table[bad] = 1
    err = _expect_invalid_at(d, f"{path}.{bad}" if path else bad)
    assert "ここでは使えないキー" in err.details["expected"]
    assert "a known key" in err.details["expected_en"]
    assert_bilingual(err)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SPECS), st.data())
def test_a_value_of_the_wrong_type_is_reported_at_its_path(spec, data):
    d = raw(spec)
    path, value = data.draw(st.sampled_from(list(_leaves(d))))
    node, k = _at(d, path)
    node[k] = 7 if isinstance(value, str) else str(value)
    err = _expect_invalid_at(d, path)
    assert "書かれている値" in err.details["expected"] and "got" in err.details["expected_en"]
    assert_bilingual(err)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(SPECS), st.data())
def test_a_repeated_counter_key_is_reported_on_the_repeat(spec, data):
    d = raw(spec)
    i = data.draw(st.integers(0, len(d["counters"]) - 1))
    twin = copy.deepcopy(d["counters"][i])
    twin.pop("shortcut", None)
    d["counters"].append(twin)
    err = _expect_invalid_at(d, f"counters[{len(d['counters']) - 1}].key")
    assert f"counters[{i}]" in err.details["expected"]
    assert_bilingual(err)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(SPECS), st.sampled_from(sorted(pf.REPORT_RULES)), st.data())
def test_report_rule_parameters_must_match_the_rule(spec, rule, data):
    d = raw(spec)
    d["reports"] = [{"key": "r", "label_ja": "報告", "label_en": "Report", "rule": rule}]
    needed = pf.REPORT_RULES[rule]
    if needed:
        _expect_invalid_at(d, f"reports[0].{needed[0]}")
        d["reports"][0][needed[0]] = 3
    else:
        extra = data.draw(st.sampled_from(["n", "day"]))
        d["reports"][0][extra] = 3
        _expect_invalid_at(d, f"reports[0].{extra}")
        del d["reports"][0][extra]
    assert pf.profile_from_dict(d).report("r").rule == rule


# Syntax mistakes people make in Notepad, each told in Japanese by what went wrong
# (not only "TOML syntax"), with the position; the English keeps tomllib's own text.
TOML_SLIPS = [
    ('title_ja = "窓口\ntitle_en = "x"\n', "引用符", "Illegal character"),
    ("title_ja = 窓口\n", "値の書き方", "Invalid value"),
    ("title_ja\n", "= がありません", "Expected '='"),
    ("[photo\nenabled = true\n", "] がありません", "Expected ']'"),
    ('key = "a"\nkey = "b"\n', "2 回", "Cannot overwrite a value"),
    ("[photo]\n[photo]\n", "2 回", "Cannot declare"),
    ("values = [1, 2\n", "閉じていません", "Unclosed array"),
]


@pytest.mark.parametrize("text,ja,en", TOML_SLIPS)
def test_toml_syntax_mistakes_are_explained_in_japanese(tmp_path, text, ja, en):
    f = tmp_path / "slip.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(MadoguchiError) as e:
        pf.load_profile(f)
    err = e.value
    assert err.details["key"].startswith(("line ", "end of file"))
    expected = err.details["expected"]
    assert ja in expected and ("行目" in expected or "ファイルの終わり" in expected), expected
    assert en in err.details["expected_en"]
    assert_bilingual(err)


def test_a_folder_given_as_the_profile_file_is_refused_in_both_languages(tmp_path):
    with pytest.raises(MadoguchiError) as e:
        pf.load_profile(tmp_path)
    assert e.value.code == "PROFILE_INVALID" and e.value.details["key"] == "(file)"
    assert "フォルダー" in e.value.details["expected"]
    assert "a readable file" in e.value.details["expected_en"]
    assert_bilingual(e.value)
