"""Per-laptop photo station preferences (photo_settings.json in the data folder).

Which camera and printer, the paper and how many photos per sheet. No photo, no
personal data. A missing or broken file means defaults: the booth still opens.
"""
from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from app.jsonfile import write_json_atomic

log = logging.getLogger("madoguchi.photo.settings")

FILE_NAME = "photo_settings.json"


@dataclass(frozen=True)
class PhotoSettings:
    camera_backend: str = "auto"        # auto (device, else test picture) | device | video | stills | synthetic
    camera_index: int = 0
    camera_width: int = 1920
    camera_height: int = 1080
    camera_fps: float = 30.0
    camera_path: str = ""               # video file or folder of stills
    printer_backend: str = "system"     # system | pdf
    printer_name: str = ""              # "" = the system's default printer; none: a PDF the staff save
    sheet: str = "L"
    count: int = 0                      # 0 = as many as fit on the sheet
    pdf_path: str = ""                  # PDF backend: where the sheet goes (test use)
    mirror_preview: bool = False

    def with_(self, **changes) -> "PhotoSettings":
        return replace(self, **changes)


def settings_path(data_dir: Path) -> Path:
    return Path(data_dir) / FILE_NAME


def load_photo_settings(data_dir: Path) -> PhotoSettings:
    try:
        data = json.loads(settings_path(data_dir).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return PhotoSettings()
    except (OSError, ValueError) as exc:
        log.warning("photo settings unreadable, using defaults: %s", type(exc).__name__)
        return PhotoSettings()
    if not isinstance(data, dict):
        return PhotoSettings()
    clean = {}
    for f in fields(PhotoSettings):
        if f.name in data and isinstance(data[f.name], type(getattr(PhotoSettings, f.name))) \
                and not (isinstance(data[f.name], bool) and f.type != "bool"):
            clean[f.name] = data[f.name]
        elif f.name in data and f.type == "float" and isinstance(data[f.name], int):
            clean[f.name] = float(data[f.name])
    return PhotoSettings(**clean)


def save_photo_settings(data_dir: Path, settings: PhotoSettings) -> None:
    """Atomic (temp file + rename) so a crash never leaves half a file."""
    write_json_atomic(settings_path(data_dir), asdict(settings))
