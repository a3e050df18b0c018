"""Per-laptop preferences kept in the data folder (settings.json). No Qt here.

Only preferences live here (the UI language today); anything that counts is in the
store. A missing or unreadable file means defaults: a broken preference must never
stop a booth from opening.
"""
from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from app.jsonfile import write_json_atomic

log = logging.getLogger("madoguchi.settings")

SETTINGS_NAME = "settings.json"
LANGUAGES = ("ja", "en")


@dataclass(frozen=True)
class Settings:
    lang: str = "ja"
    last_profile: str | None = None  # preselected on the start-of-day form

    def with_lang(self, lang: str) -> "Settings":
        if lang not in LANGUAGES:
            raise ValueError(f"unsupported language {lang!r}")
        return replace(self, lang=lang)


def settings_path(data_dir: Path) -> Path:
    return Path(data_dir) / SETTINGS_NAME


def load_settings(data_dir: Path) -> Settings:
    path = settings_path(data_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError) as exc:
        log.warning("settings file unreadable, using defaults: %s", type(exc).__name__)
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    known = {f.name for f in fields(Settings)}
    values = {k: v for k, v in data.items() if k in known}
    if values.get("lang") not in LANGUAGES:
        values.pop("lang", None)
    if not isinstance(values.get("last_profile"), (str, type(None))):
        values.pop("last_profile", None)
    return Settings(**values)


def save_settings(data_dir: Path, settings: Settings) -> None:
    """Write atomically (temp file + rename) so a crash never leaves half a file."""
    write_json_atomic(settings_path(data_dir), asdict(settings))

