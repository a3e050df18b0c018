"""Reference data shipped with the app: age bands, genders, Sendai's wards, and
Miyagi's 7 regions (圏域) with their 35 municipalities.

The lists live in `resources/refdata/*.toml` and are read once, on first use.
Municipalities are identified by their Japanese name (what staff type and what
reports print); `find_municipality` also accepts common variant spellings.
"""
from __future__ import annotations

import functools
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from app.errors import MadoguchiError

RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"
REFDATA_DIR = RESOURCES_DIR / "refdata"

# Simple lists: name -> file holding `[[items]]` with key, label_ja, label_en.
_LIST_FILES = {
    "age_bands": "age_bands.toml",
    "genders": "genders.toml",
    "sendai_wards": "sendai_wards.toml",
}
_REGIONS_FILE = "miyagi_regions.toml"


@dataclass(frozen=True)
class Choice:
    """One selectable value: a stable key plus what people read."""

    key: str
    label_ja: str
    label_en: str

    def label(self, lang: str = "ja") -> str:
        return self.label_en if lang == "en" else self.label_ja


def _read(name: str) -> dict:
    path = REFDATA_DIR / name
    with path.open("rb") as fp:
        return tomllib.load(fp)


def _unique(choices: tuple[Choice, ...], what: str) -> tuple[Choice, ...]:
    keys = [c.key for c in choices]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes or not choices:
        raise ValueError(f"reference data {what}: empty or duplicate keys {dupes}")
    return choices


@functools.cache
def _list(name: str) -> tuple[Choice, ...]:
    items = _read(_LIST_FILES[name])["items"]
    return _unique(tuple(Choice(i["key"], i["label_ja"], i["label_en"]) for i in items), name)


@dataclass(frozen=True)
class _Geo:
    regions: tuple[Choice, ...]
    municipalities: tuple[Choice, ...]
    region_of: dict[str, Choice]          # municipality name -> region
    lookup: dict[str, str]                # normalised spelling -> municipality name


def _norm(text: str) -> str:
    """NFKC, no spaces, no prefecture prefix, case-folded (for romaji input)."""
    text = "".join(unicodedata.normalize("NFKC", text).split()).casefold()
    return text.removeprefix("宮城県")


@functools.cache
def _geo() -> _Geo:
    data = _read(_REGIONS_FILE)["regions"]
    regions, munis, region_of, lookup = [], [], {}, {}
    for r in data:
        region = Choice(r["key"], r["label_ja"], r["label_en"])
        regions.append(region)
        for m in r["municipalities"]:
            muni = Choice(m["name"], m["name"], m["label_en"])
            munis.append(muni)
            region_of[muni.key] = region
            en = m["label_en"].casefold()
            bare_en = en.rsplit(" ", 1)[0]  # "Sendai City" -> "sendai"
            for spelling in (muni.key, *m.get("aliases", ()), en, bare_en):
                lookup[_norm(spelling)] = muni.key
    _unique(tuple(regions), "regions")
    _unique(tuple(munis), "municipalities")
    return _Geo(tuple(regions), tuple(munis), region_of, lookup)


def age_bands() -> tuple[Choice, ...]:
    return _list("age_bands")


def genders() -> tuple[Choice, ...]:
    return _list("genders")


def sendai_wards() -> tuple[Choice, ...]:
    return _list("sendai_wards")


def regions() -> tuple[Choice, ...]:
    """The 7 regions (圏域) of Miyagi, in the prefecture's usual order."""
    return _geo().regions


def municipalities() -> tuple[Choice, ...]:
    """All 35 municipalities; key and label_ja are the Japanese name."""
    return _geo().municipalities


def find_municipality(name: str) -> Choice:
    """The municipality staff meant by `name`: the exact Japanese name, a common
    variant (塩釜市, 七ケ浜町, with 宮城県 in front, full-width spaces, a Sendai ward
    after 仙台市) or its romaji name. Raises MUNICIPALITY_UNKNOWN otherwise."""
    geo = _geo()
    text = _norm(name or "")
    key = geo.lookup.get(text)
    if key is None:
        # "仙台市青葉区" -> 仙台市: a ward written after the city name.
        for ward in sendai_wards():
            if text.endswith(ward.label_ja) and text != ward.label_ja:
                key = geo.lookup.get(text.removesuffix(ward.label_ja))
                break
    if key is None:
        raise MadoguchiError("MUNICIPALITY_UNKNOWN", municipality=name)
    return next(m for m in geo.municipalities if m.key == key)


def region_of(municipality: str) -> Choice:
    """The region (圏域) a Miyagi municipality belongs to."""
    return _geo().region_of[find_municipality(municipality).key]


def municipalities_in(region_key: str) -> tuple[Choice, ...]:
    """Municipalities of one region; KeyError for an unknown region key."""
    geo = _geo()
    if region_key not in {r.key for r in geo.regions}:
        raise KeyError(region_key)
    return tuple(m for m in geo.municipalities if geo.region_of[m.key].key == region_key)


_REFS = {
    "age_bands": age_bands,
    "genders": genders,
    "sendai_wards": sendai_wards,
    "regions": regions,
    "municipalities": municipalities,
}
REF_NAMES: tuple[str, ...] = tuple(_REFS)


def ref_choices(name: str) -> tuple[Choice, ...]:
    """A named reference list (see REF_NAMES); KeyError for an unknown name."""
    return _REFS[name]()
