"""The two lines above the photo preview: a red banner for what went wrong, and a
yellow note for what the station does instead of a missing camera or printer.

Both are worded in the station's current language and again after a switch, so the
banner keeps its text as a function of the language rather than as a string.
"""
from __future__ import annotations

import logging
from typing import Callable

from PySide6.QtWidgets import QLabel, QWidget

from app.errors import MadoguchiError

log = logging.getLogger("madoguchi.ui.photo")


class ErrorBanner(QLabel):
    """Hidden until something fails (camera lost, print failed, store refused)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photo-banner")
        self.setWordWrap(True)
        self.setStyleSheet("background:#fdecea;border:2px solid #c62828;border-radius:6px;"
                           "color:#8e1b1b;font-weight:bold;padding:6px;")
        self._text: Callable[[str], str] | None = None   # None: nothing to say (hidden)
        self.hide()

    def show_text(self, text: str | Callable[[str], str], lang: str) -> None:
        """`text` may be a function of the language, so a switch rewords the banner."""
        self._text = text if callable(text) else (lambda _lang, t=text: t)
        self.setText(self._text(lang))
        self.show()

    def show_error(self, exc: BaseException, lang: str) -> None:
        if isinstance(exc, MadoguchiError):
            self.show_text(exc.message, lang)
        else:
            # Only the type reaches the log and the screen: an exception's text may
            # carry a path or a name.
            log.warning("photo operation failed: %s", type(exc).__name__)
            name = type(exc).__name__
            self.show_text(lambda _lang: self.tr("予期しないエラーが発生しました（{name}）。").format(name=name), lang)

    def clear(self) -> None:
        self._text = None
        self.hide()

    def text_in(self, lang: str) -> str | None:
        """What the banner says in `lang`; None while it is hidden."""
        return self._text(lang) if self._text is not None else None

    def set_language(self, lang: str) -> None:
        if self._text is not None:
            self.setText(self._text(lang))


class FallbackNotice(QLabel):
    """Not an error: the station works, with the test picture instead of a camera or
    a PDF file instead of a printer, and says so (a fresh laptop needs no setup)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photo-notice")
        self.setWordWrap(True)
        self.setStyleSheet("background:#fff8e1;border:2px solid #f9a825;border-radius:6px;"
                           "color:#5d4037;font-weight:bold;padding:6px;")
        self.hide()

    def show_fallbacks(self, test_picture: bool, pdf_file: bool) -> None:
        """In the current language (tr() reads the installed translators)."""
        lines = []
        if test_picture:
            lines.append(self.tr("カメラが見つからないため、テスト画像を表示しています。"
                                 "カメラをつないでから「写真の設定」でカメラを選んでください。"))
        if pdf_file:
            lines.append(self.tr("プリンターが見つからないため、印刷の代わりに PDF ファイルに保存します"
                                 "（保存先は印刷のときに選びます）。"))
        self.setText("\n".join(lines))
        self.setVisible(bool(lines))
