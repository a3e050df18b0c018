"""The QR codes an opening shows to visitors (per opening, set by the staff).

A source is text or a URL, typed/pasted or read from an image of the organiser's
code (only the decoded text is kept, never the image: the display redraws it
crisp). `purpose = "points"` marks the dedicated point-distribution code, which
the visitor display replaces by "本日の配布は終了しました" at the cap.
Configuration, not counts: append-only add/remove events, not chained, not synced.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.errors import MadoguchiError, register_messages
from app.ids import uuid7
from app.openings import get_opening
from app.qrcodes.render import make_matrix
from app.store import Store

register_messages({
    "QR_CAPTION_REQUIRED": ("来場者向けの説明（キャプション）を入力してください。",
                            "Enter the caption shown to visitors."),
    "QR_CAPTION_TOO_LONG": ("キャプションは {limit} 文字以内にしてください（{length} 文字）。",
                            "The caption must be at most {limit} characters (got {length})."),
    "QR_SOURCE_NOT_FOUND": ("QR コード {source} が見つかりません。", "QR code {source} was not found."),
})

PURPOSES = ("points", "info")
ORIGINS = ("typed", "image")
CAPTION_LIMIT = 40
# Captions the staff can pick (they can also type their own).
SUGGESTED_CAPTIONS = {
    "points": ["みやぎポイントを受け取る（1,500ポイント）"],
    "info": ["アプリのダウンロードはこちら", "アンケートにご協力ください", "キャンペーンサイト",
             "メールマガジンの登録"],
}


@dataclass(frozen=True)
class QrSource:
    id: str
    caption: str
    text: str
    origin: str
    purpose: str

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def add_source(store: Store, opening_id: str, *, caption: str, text: str, now: datetime,
               origin: str = "typed", purpose: str = "info") -> QrSource:
    get_opening(store, opening_id)
    caption = (caption or "").strip()
    text = (text or "").strip()
    if not caption:
        raise MadoguchiError("QR_CAPTION_REQUIRED")
    if len(caption) > CAPTION_LIMIT:
        raise MadoguchiError("QR_CAPTION_TOO_LONG", limit=CAPTION_LIMIT, length=len(caption))
    make_matrix(text)  # refuses empty or too long text before anything is written
    if origin not in ORIGINS or purpose not in PURPOSES:
        raise ValueError(f"origin {origin!r} / purpose {purpose!r}")
    source = QrSource(uuid7(), caption, text, origin, purpose)
    with store.transaction():
        store.conn.execute(
            "INSERT INTO qr_source_event (id, opening_id, source_id, action, caption, text, origin,"
            " purpose, device_time) VALUES (?, ?, ?, 'add', ?, ?, ?, ?, ?)",
            (uuid7(), opening_id, source.id, caption, text, origin, purpose,
             now.isoformat(timespec="milliseconds")))
    return source


def remove_source(store: Store, opening_id: str, source_id: str, *, now: datetime) -> None:
    if source_id not in {s.id for s in list_sources(store, opening_id)}:
        raise MadoguchiError("QR_SOURCE_NOT_FOUND", source=source_id)
    with store.transaction():
        store.conn.execute(
            "INSERT INTO qr_source_event (id, opening_id, source_id, action, caption, text, origin,"
            " purpose, device_time) VALUES (?, ?, ?, 'remove', '', '', 'typed', 'info', ?)",
            (uuid7(), opening_id, source_id, now.isoformat(timespec="milliseconds")))


def list_sources(store: Store, opening_id: str) -> list[QrSource]:
    """The opening's codes in the order they were added, removed ones left out."""
    rows = store.query(
        "SELECT * FROM qr_source_event e WHERE e.opening_id = ? AND e.action = 'add'"
        " AND NOT EXISTS (SELECT 1 FROM qr_source_event r WHERE r.opening_id = e.opening_id"
        " AND r.source_id = e.source_id AND r.action = 'remove') ORDER BY e.rowid", (opening_id,))
    return [QrSource(r["source_id"], r["caption"], r["text"], r["origin"], r["purpose"]) for r in rows]
