"""Where Madoguchi keeps its data: --data-dir, then MADOGUCHI_DATA_DIR, then the platform folder."""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_VAR = "MADOGUCHI_DATA_DIR"
DB_NAME = "madoguchi.sqlite3"


def resolve_data_dir(override: str | os.PathLike | None = None) -> Path:
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser().resolve()
    # appauthor=False keeps the Windows path short (…\AppData\Local\Madoguchi).
    return Path(platformdirs.user_data_dir("Madoguchi", appauthor=False))
