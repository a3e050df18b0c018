"""Errors with a stable code and a message for the user in Japanese (English available).

The code is what programs and tests match on; the messages are what people read.
Messages never contain personal data: only ids, keys, counts and file paths.
"""
from __future__ import annotations

# code -> (Japanese template, English template). Templates use str.format fields.
MESSAGES: dict[str, tuple[str, str]] = {
    "DATA_DIR_LOCKED": (
        "このデータフォルダは別の Madoguchi が使用中です（{path}）。先に開いている画面を閉じてから、もう一度お試しください。",
        "Another Madoguchi is already using this data folder ({path}). Close it first, then try again.",
    ),
    "DB_CORRUPT": (
        "データベースファイルが壊れているか、Madoguchi のファイルではありません（{path}）。ファイルはそのまま残してあります。事務局に連絡してください。",
        "The database file is damaged or is not a Madoguchi database ({path}). It has been left untouched. Contact the office.",
    ),
    "DB_UNREADABLE": (
        "データベースファイルを読み込めません（{path}）：{reason}。ファイルはそのまま残してあります。",
        "The database file cannot be read ({path}): {reason}. It has been left untouched.",
    ),
    "DB_TOO_NEW": (
        "このデータベースは新しい版の Madoguchi で作られています（版 {found}、対応は {supported} まで）。アプリを更新してください。",
        "This database was written by a newer Madoguchi (schema {found}, this version supports up to {supported}). Update the app.",
    ),
    "DISK_FULL": (
        "ディスクの空きがないため記録できませんでした。この操作は保存されていません。空き容量を確保してから、もう一度操作してください。",
        "The disk is full, so this was not recorded. Free some space and try again.",
    ),
    "DB_WRITE_FAILED": (
        "記録できませんでした（{reason}）。この操作は保存されていません。",
        "Could not record this ({reason}). Nothing was saved.",
    ),
    "PROFILE_INVALID": (
        "プロファイル {file} の「{key}」が正しくありません：{expected}",
        "Profile {file}: '{key}' is invalid: {expected_en}",
    ),
    "PROFILE_NOT_FOUND": (
        "プロファイル「{profile}」が見つかりません。",
        "Profile '{profile}' was not found.",
    ),
    "OPENING_KIND_UNKNOWN": (
        "実施形態「{kind}」はプロファイル「{profile}」にありません。選べるのは {allowed} です。",
        "Opening kind '{kind}' is not in profile '{profile}'. Choose one of {allowed}.",
    ),
    "MUNICIPALITY_UNKNOWN": (
        "市町村「{municipality}」は宮城県の市町村一覧にありません。",
        "'{municipality}' is not a municipality of Miyagi.",
    ),
    "VENUE_REQUIRED": ("会場名を入力してください。", "Enter the venue name."),
    "STAFF_INVALID": (
        "従事者数は 1 以上の整数で入力してください（入力：{staff}）。",
        "Staff on duty must be a whole number of 1 or more (got {staff}).",
    ),
    "DATE_INVALID": (
        "日付「{value}」は YYYY-MM-DD 形式で入力してください。",
        "Date '{value}' must be written as YYYY-MM-DD.",
    ),
    "OPENING_NOT_FOUND": ("実施回 {opening} が見つかりません。", "Opening {opening} was not found."),
    "OPENING_CLOSED": (
        "実施回 {opening} は締め済みです。締め後の修正には理由を入力してください。",
        "Opening {opening} is closed. A change after closing needs a reason.",
    ),
    "ALREADY_CLOSED": ("実施回 {opening} はすでに締め済みです。", "Opening {opening} is already closed."),
    "COUNTER_UNKNOWN": (
        "カウンター「{counter}」はプロファイル「{profile}」にありません。",
        "Counter '{counter}' is not in profile '{profile}'.",
    ),
    "DIMENSION_UNKNOWN": (
        "カウンター「{counter}」に区分「{dimension}」はありません。使える区分は {allowed} です。",
        "Counter '{counter}' has no dimension '{dimension}'. Its dimensions are {allowed}.",
    ),
    "DIMENSION_VALUE_INVALID": (
        "区分「{dimension}」の値「{value}」は使えません。選べるのは {allowed} です。",
        "'{value}' is not allowed for '{dimension}'. Choose one of {allowed}.",
    ),
    "DIMENSION_MISSING": (
        "カウンター「{counter}」には区分「{dimension}」の選択が必要です。",
        "Counter '{counter}' needs a value for '{dimension}'.",
    ),
    "NO_CARD": ("プロファイル「{profile}」には申請者カードがありません。", "Profile '{profile}' has no applicant card."),
    "TALLY_NOT_FOUND": ("記録 {tally} が見つかりません。", "Tally {tally} was not found."),
    "TALLY_NOT_UNDOABLE": (
        "記録 {tally} は取り消しの記録なので、取り消せません。",
        "Tally {tally} is itself an undo and cannot be undone.",
    ),
    "ALREADY_UNDONE": ("記録 {tally} はすでに取り消されています。", "Tally {tally} has already been undone."),
    "NOTHING_TO_UNDO": ("取り消せる記録がありません。", "There is nothing to undo."),
    "REASON_REQUIRED": ("理由を入力してください。", "Enter a reason."),
    "CORRECTION_UNCHANGED": (
        "訂正内容が元の記録と同じです。",
        "The correction is the same as the original tally.",
    ),
    "TALLY_NOT_IN_OPENING": (
        "記録 {tally} は実施回 {opening} の記録ではありません。",
        "Tally {tally} does not belong to opening {opening}.",
    ),
    "CLI_DIM_INVALID": (
        "--dim は「区分=値」の形で指定してください（例：--dim age_band=30s）。入力：{value}",
        "--dim expects KEY=VALUE (e.g. --dim age_band=30s), got {value}",
    ),
    "CLI_COUNTER_REQUIRED": (
        "--counter でカウンターを指定するか、--undo と --reason で取り消す記録を指定してください。",
        "Give --counter KEY, or --undo TALLY_ID --reason TEXT.",
    ),
}


def register_messages(messages: dict[str, tuple[str, str]]) -> None:
    """Feature packages (sync, photo, reports, QR) add their own codes at import.
    A code may be registered once; reusing one for another meaning is a bug."""
    for code, pair in messages.items():
        if code in MESSAGES and MESSAGES[code] != pair:
            raise ValueError(f"error code {code} registered twice with different messages")
        MESSAGES[code] = pair


class MadoguchiError(Exception):
    """A failure the user can act on. `code` is stable; `details` fill the message."""

    def __init__(self, code: str, **details: object) -> None:
        if code not in MESSAGES:
            raise KeyError(f"unknown error code {code!r}")
        self.code = code
        self.details = details
        super().__init__(f"{code}: {self.message('en')}")

    def message(self, lang: str = "ja") -> str:
        ja, en = MESSAGES[self.code]
        template = en if lang == "en" else ja
        try:
            return template.format(**self.details)
        except (KeyError, IndexError):
            return template

    def to_dict(self, lang: str = "ja") -> dict:
        return {"code": self.code, "message": self.message(lang),
                "details": {k: str(v) for k, v in self.details.items()}}
