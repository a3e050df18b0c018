"""Reading exported reports back the way a person or another program would:
pdftotext for PDFs, openpyxl for workbooks, the csv module for CSV."""
from __future__ import annotations

import csv
import io
import re
import subprocess
from pathlib import Path

from openpyxl import load_workbook

from tests.conftest import require_tool

BOM = b"\xef\xbb\xbf"


def pdf_text(path: Path) -> str:
    tool = require_tool("pdftotext")
    return subprocess.run([tool, "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def pdf_fonts(path: Path) -> list[dict]:
    tool = require_tool("pdffonts")
    out = subprocess.run([tool, str(path)], capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()[2:]
    fonts = []
    for line in lines:
        # name type encoding emb sub uni object ID: the flags are the yes/no columns
        flags = re.findall(r"\b(yes|no)\b", line)
        fonts.append({"name": line.split()[0], "emb": flags[0], "sub": flags[1], "uni": flags[2]})
    return fonts


def last_number(line: str) -> int:
    return int(re.findall(r"-?[\d,]+", line)[-1].replace(",", ""))


def pdf_line(text: str, starts: str, after: str | None = None) -> str:
    """The first line (after the line containing `after`) that starts with `starts`."""
    lines = text.splitlines()
    if after is not None:
        lines = lines[next(i for i, ln in enumerate(lines) if ln.strip() == after):]
    return next(ln for ln in lines if ln.strip().startswith(starts))


def xlsx_rows(path: Path, sheet: int = 0) -> list[list]:
    wb = load_workbook(path)
    try:
        ws = wb.worksheets[sheet]
        return [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def csv_rows(path: Path) -> list[list[str]]:
    raw = Path(path).read_bytes()
    assert raw.startswith(BOM), "CSV must start with a UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(raw[len(BOM):].decode("utf-8"), newline="")))


def section(rows: list[list], title: str, header_rows: int = 1) -> tuple[list, list[list]]:
    """(header, body) of the table titled `title` in a sheet or CSV: the rows after
    the title up to the next blank row."""
    def blank(r):
        return all(v in (None, "") for v in r)
    start = next(i for i, r in enumerate(rows) if r and r[0] == title)
    header = rows[start + header_rows] if header_rows else []
    body = []
    for r in rows[start + 1 + header_rows:]:
        if blank(r):
            break
        body.append(r)
    return header, body
