"""Madoguchi (窓口). `python main.py` opens the booth app; `python main.py --help` lists
the subcommands."""
import sys

from app.cli import run

if __name__ == "__main__":
    for stream in (sys.stdout, sys.stderr):
        # Windows consoles default to a legacy code page; our output is Japanese.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    sys.exit(run())
