"""Campaign profiles: one TOML file per campaign under `resources/profiles/`.

A profile says what a booth counts (counters and their dimensions), what kinds of
opening it has, the applicant card, the contract's targets, the photo spec and when
each report is due. A new campaign is a new file, not new code.

A bad file is refused with MadoguchiError("PROFILE_INVALID", file=..., key=<dotted
path>, expected=<plain words in Japanese>, expected_en=<the same in English>) for
the first problem found.

    model.py      Profile and its parts (Counter, Dimension, Target, PhotoSpec …)
    lookup.py     get_profile / list_profiles / builtin_profiles: built-ins and extra folders
    toml_file.py  load_profile: read one file, TOML syntax errors explained in Japanese
    validate.py   profile_from_dict: the checks, in order, and building the Profile
    schema.py     the tables the validator reads: keys and types, references, rules, kinds
    checks.py     the value checks the tables are made of, with their wording
    wording.py    T(ja, en) message pairs, "did you mean …?" hints, the PROFILE_INVALID error
    export.py     profile_to_dict for `profiles --json`

Import from `app.profiles`; the modules are its parts, not separate interfaces.
"""
from app.profiles.export import profile_to_dict
from app.profiles.lookup import builtin_profiles, get_profile, list_profiles
from app.profiles.model import (Card, Counter, Dimension, Group, OpeningKind, PhotoSpec, Profile,
                                ReportRule, Target)
from app.profiles.schema import REPORT_RULES, STATIONS, TARGET_PERIODS
from app.profiles.toml_file import load_profile
from app.profiles.validate import profile_from_dict

__all__ = ["REPORT_RULES", "STATIONS", "TARGET_PERIODS", "Card", "Counter", "Dimension",
           "Group", "OpeningKind", "PhotoSpec", "Profile", "ReportRule", "Target", "builtin_profiles",
           "get_profile", "list_profiles", "load_profile", "profile_from_dict", "profile_to_dict"]
