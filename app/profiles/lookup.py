"""Finding profiles by key: the built-in ones in resources/profiles (read once per
process: they ship with the app and do not change while it runs), then *.toml files
in the extra folders a caller names (read again on every call; not cached)."""
from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

from app.errors import MadoguchiError
from app.profiles.model import Profile
from app.profiles.toml_file import load_profile
from app.profiles.wording import T, got, refused
from app.refdata import RESOURCES_DIR

PROFILES_DIR = RESOURCES_DIR / "profiles"


def builtin_profiles() -> dict[str, Profile]:
    """All profiles shipped in resources/profiles, keyed by profile key."""
    return dict(_builtin())


def get_profile(key: str, extra_dirs: Iterable[Path] = ()) -> Profile:
    """A profile by key: built-in first, then *.toml files in extra_dirs."""
    builtin = _builtin()
    if key in builtin:
        return builtin[key]
    found = _all(extra_dirs)
    if key not in found:
        raise MadoguchiError("PROFILE_NOT_FOUND", profile=key)
    return found[key]


def list_profiles(extra_dirs: Iterable[Path] = ()) -> list[Profile]:
    """Built-in and extra profiles, ordered by spec number then key."""
    return sorted(_all(extra_dirs).values(), key=lambda p: (p.spec, p.key))


@functools.cache
def _builtin() -> dict[str, Profile]:
    found: dict[str, Profile] = {}
    _load_dir(PROFILES_DIR, found)
    return found


def _all(extra_dirs: Iterable[Path]) -> dict[str, Profile]:
    found = builtin_profiles()
    for d in extra_dirs:
        _load_dir(Path(d), found)
    return found


def _load_dir(directory: Path, into: dict[str, Profile]) -> None:
    """Every *.toml in `directory` into `into`; a key already taken (by a built-in or
    an earlier file) is refused, so a profile key always names one campaign."""
    for file in sorted(Path(directory).glob("*.toml")):
        p = load_profile(file)
        if p.key in into:
            other = into[p.key].path.name
            raise refused(file, "key", T(f"「{other}」でまだ使われていないプロファイルキー",
                                         f"a profile key not already used by {other}")
                          .plus(got(p.key), en_sep="; "))
        into[p.key] = p
