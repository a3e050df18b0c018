"""Set up and run Madoguchi from a fresh clone. Standard library only.

    python3 dev.py app [ARGS...]    set up .venv, then run the booth app (python main.py ARGS)
    python3 dev.py test [PYTEST...] set up .venv, then run the whole test suite

The virtual environment lives in .venv/ and is reinstalled from requirements.lock
whenever the lock file changes.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".madoguchi-lock-sha256"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv() -> Path:
    python = venv_python()
    wanted = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    if python.exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return python
    if not python.exists():
        print(f"creating {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("installing dependencies from requirements.lock ...", flush=True)
    subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check",
                    "-q", "-r", str(LOCK)], check=True)
    STAMP.write_text(wanted)
    return python


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("app", "test"):
        print(__doc__)
        return 2
    python = ensure_venv()
    command, rest = argv[0], argv[1:]
    if command == "app":
        args = [str(python), str(ROOT / "main.py"), *rest]
    else:
        args = [str(python), "-m", "pytest", *rest]
    return subprocess.run(args, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
