"""Logging to a rotating file in the data folder. Log lines carry ids, counter keys
and error codes only: never names, photos or anything typed about a person."""
from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def setup_logging(data_dir: Path, level: int = logging.INFO) -> Path:
    log_dir = Path(data_dir) / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "madoguchi.log"
    root = logging.getLogger("madoguchi")
    if not any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
        for old in list(root.handlers):  # a new data folder replaces the old file
            root.removeHandler(old)
            old.close()
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(logging.Formatter(_FORMAT))
        root.addHandler(handler)
    root.setLevel(level)
    return path
