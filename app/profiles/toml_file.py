"""Reading one profile file: the file itself (missing, unreadable, not UTF-8), its TOML
syntax explained in plain Japanese with the line and column, then validate.py.
People edit these files in Notepad, so the usual slips get their own wording."""
from __future__ import annotations

import errno
import re
import tomllib
from pathlib import Path

from app.errors import MadoguchiError
from app.profiles.model import Profile
from app.profiles.validate import profile_from_dict
from app.profiles.wording import T, refused

# tomllib's messages (English only), by how they start, in plain Japanese; the
# English message is shown as it is. Longest prefixes first where one starts another.
_TOML_ERRORS: tuple[tuple[str, str], ...] = (
    ("Illegal character '\\n'", '行の途中で文字列が終わっています（引用符 " が閉じていません）'),
    ("Illegal character", "使えない文字があります"),
    ("Found invalid character", "使えない文字があります"),
    ("Unterminated string", '文字列の引用符 " が閉じていません'),
    ("Expected '=' after a key", "キーの後に = がありません"),
    ("Expected ']]'", "[[ ]] の ]] がありません"),
    ("Expected ']'", "[ ] の ] がありません"),
    ("Expected", "必要な記号がありません"),
    ("Cannot declare", "同じセクションが 2 回あります"),
    ("Cannot overwrite a value", "同じキーに値が 2 回書かれています"),
    ("Cannot mutate immutable namespace", "すでに書いた表や値を後から書き足しています"),
    ("Cannot redefine namespace", "すでにある表を定義し直しています"),
    ("Duplicate inline table key", "{ } の中に同じキーが 2 回あります"),
    ("Unclosed array", "[ ] のリストが閉じていません"),
    ("Unclosed inline table", "{ } の表が閉じていません"),
    ("Invalid value", "値の書き方が正しくありません（文字は引用符で囲みます）"),
    ("Invalid date or datetime", "日付・時刻の書き方が正しくありません"),
    ("Invalid initial character for a key part", "キーの書き方が正しくありません"),
    ("Invalid statement", "この行は TOML として読み取れません"),
    ("Invalid hex value", "文字列の中の \\ の書き方が正しくありません"),
    ("Escaped character", "文字列の中の \\ の書き方が正しくありません"),
    ("Unescaped", "文字列の中の \\ の書き方が正しくありません"),
)

# Why a file could not be read, for the usual cases; others by their errno name.
_READ_ERRORS = {errno.EACCES: "読み取りの権限がありません", errno.EISDIR: "ファイルではなくフォルダーです",
                errno.EIO: "ディスクから読み取れません"}


def load_profile(path: Path | str) -> Profile:
    """Read and validate one profile file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise MadoguchiError("PROFILE_NOT_FOUND", profile=str(path)) from None
    except OSError as e:
        why = _READ_ERRORS.get(e.errno, errno.errorcode.get(e.errno or 0, "OSError"))
        raise refused(path, "(file)", T(f"読み込めるファイル（{why}）",
                                        f"a readable file ({e.strerror})")) from None
    try:
        text = raw.decode("utf-8-sig")  # Notepad may add a BOM
    except UnicodeDecodeError:
        raise refused(path, "(file)", T("UTF-8 で保存したテキストファイル（メモ帳なら「名前を付けて保存」"
                                        "で文字コード UTF-8 を選びます）",
                                        "a text file saved as UTF-8")) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        where, problem = _toml_problem(e)
        raise refused(path, where, problem) from None
    return profile_from_dict(data, path)


def _toml_problem(e: tomllib.TOMLDecodeError) -> tuple[str, T]:
    """(where, what is wrong) for a TOML syntax error."""
    msg = str(e)
    m = re.search(r"\(at (?:line (\d+), column (\d+)|end of document)\)", msg)
    if m is None:
        where, where_ja = "(TOML syntax)", ""
    elif m.group(1) is None:
        where, where_ja = "end of file", "ファイルの終わり："
    else:
        where, where_ja = f"line {m.group(1)}, column {m.group(2)}", f"{m.group(1)} 行目 {m.group(2)} 文字目："
    reason = next((ja for start, ja in _TOML_ERRORS if msg.startswith(start)), "書き方に誤りがあります")
    return where, T(f"TOML として正しい書き方。{where_ja}{reason}", f"valid TOML syntax ({msg})")
