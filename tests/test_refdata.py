"""Reference data: Miyagi's regions and municipalities, age bands, genders, wards."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app import refdata
from app.errors import MadoguchiError

# The prefecture's own list (宮城県の圏域), written out here independently of the TOML.
MIYAGI = {
    "sennan": ("仙南", "Sennan", ["白石市", "角田市", "蔵王町", "七ヶ宿町", "大河原町", "村田町",
                                  "柴田町", "川崎町", "丸森町"]),
    "sendai": ("仙台", "Sendai", ["仙台市", "塩竈市", "名取市", "多賀城市", "岩沼市", "富谷市",
                                  "亘理町", "山元町", "松島町", "七ヶ浜町", "利府町", "大和町",
                                  "大郷町", "大衡村"]),
    "osaki": ("大崎", "Osaki", ["大崎市", "色麻町", "加美町", "涌谷町", "美里町"]),
    "kurihara": ("栗原", "Kurihara", ["栗原市"]),
    "tome": ("登米", "Tome", ["登米市"]),
    "ishinomaki": ("石巻", "Ishinomaki", ["石巻市", "東松島市", "女川町"]),
    "kesennuma_motoyoshi": ("気仙沼・本吉", "Kesennuma-Motoyoshi", ["気仙沼市", "南三陸町"]),
}
REGION_OF = {m: key for key, (_, _, ms) in MIYAGI.items() for m in ms}


def test_miyagi_has_35_municipalities_in_7_regions():
    assert len(refdata.municipalities()) == 35
    assert [r.key for r in refdata.regions()] == list(MIYAGI)
    assert [(r.label_ja, r.label_en) for r in refdata.regions()] == [
        (ja, en) for ja, en, _ in MIYAGI.values()]
    assert {m.key for m in refdata.municipalities()} == set(REGION_OF)


@pytest.mark.parametrize("municipality,region", sorted(REGION_OF.items()))
def test_region_of_every_municipality(municipality, region):
    assert refdata.region_of(municipality).key == region


@pytest.mark.parametrize("region", list(MIYAGI))
def test_municipalities_in_region_match_the_prefecture_list(region):
    assert [m.key for m in refdata.municipalities_in(region)] == MIYAGI[region][2]


def test_municipality_is_keyed_by_its_japanese_name_with_a_romaji_label():
    for m in refdata.municipalities():
        assert m.key == m.label_ja
        assert m.label_en.isascii() and m.label_en[0].isupper()
    sendai = next(m for m in refdata.municipalities() if m.key == "仙台市")
    assert sendai.label("en") == "Sendai City" and sendai.label("ja") == "仙台市"


@pytest.mark.parametrize("name", ["盛岡市", "山形市", "福島市", "青葉区", "", "   "])
def test_a_name_outside_miyagi_is_refused_by_name(name):
    with pytest.raises(MadoguchiError) as e:
        refdata.region_of(name)
    assert e.value.code == "MUNICIPALITY_UNKNOWN"
    assert e.value.details["municipality"] == name
    assert "宮城県" in e.value.message("ja")
    if name.strip():
        assert name in e.value.message("ja") and name in e.value.message("en")


@pytest.mark.parametrize("typed,meant", [
    ("塩釜市", "塩竈市"), ("七ケ浜町", "七ヶ浜町"), ("七ケ宿町", "七ヶ宿町"),
    ("宮城県仙台市", "仙台市"), ("仙台市　青葉区", "仙台市"), ("仙台市泉区", "仙台市"),
    (" 名取市 ", "名取市"), ("Ishinomaki", "石巻市"), ("osaki city", "大崎市"),
])
def test_common_variant_spellings_find_the_municipality(typed, meant):
    assert refdata.find_municipality(typed).key == meant
    assert refdata.region_of(typed).key == REGION_OF[meant]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_any_text_is_either_a_miyagi_municipality_or_refused_clearly(text):
    try:
        muni = refdata.find_municipality(text)
    except MadoguchiError as e:
        assert e.code == "MUNICIPALITY_UNKNOWN"
        with pytest.raises(MadoguchiError):
            refdata.region_of(text)
    else:
        assert muni.key in REGION_OF
        assert refdata.region_of(text).key == REGION_OF[muni.key]


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(REGION_OF)), st.sampled_from(["", " ", "　", "\t"]),
       st.sampled_from(["", " ", "　"]))
def test_surrounding_spaces_do_not_matter(name, before, after):
    assert refdata.region_of(before + name + after).key == REGION_OF[name]


def test_age_bands_in_order_with_japanese_labels():
    bands = refdata.age_bands()
    assert [b.key for b in bands] == ["under10", "10s", "20s", "30s", "40s", "50s", "60s",
                                      "70s", "80plus"]
    assert [b.label_ja for b in bands] == ["10歳未満", "10代", "20代", "30代", "40代", "50代",
                                           "60代", "70代", "80歳以上"]
    assert all(b.label_en for b in bands)


def test_genders_and_sendai_wards():
    assert [(g.key, g.label_ja) for g in refdata.genders()] == [
        ("male", "男性"), ("female", "女性"), ("other", "その他・回答しない")]
    assert [(w.key, w.label_ja) for w in refdata.sendai_wards()] == [
        ("aoba", "青葉区"), ("miyagino", "宮城野区"), ("wakabayashi", "若林区"),
        ("taihaku", "太白区"), ("izumi", "泉区")]


@pytest.mark.parametrize("name", refdata.REF_NAMES)
def test_ref_choices_by_name(name):
    assert refdata.ref_choices(name) == getattr(refdata, name)()


def test_unknown_names_raise_key_error():
    with pytest.raises(KeyError):
        refdata.ref_choices("prefectures")
    with pytest.raises(KeyError):
        refdata.municipalities_in("tohoku")


def test_resources_are_found_next_to_the_app_package():
    assert refdata.RESOURCES_DIR.is_absolute()
    assert (refdata.RESOURCES_DIR / "refdata" / "miyagi_regions.toml").is_file()
