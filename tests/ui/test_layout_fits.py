"""Booth laptops are often 1366×768. Maximized under a Windows taskbar (40 px) and a
title bar (30 px), the window gets 1366×698: every profile's board must fit there,
in both languages, with no control cut off or squeezed below its own size."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QPushButton

from app.profiles import list_profiles
from tests.ui.helpers import open_day

CLIENT_W, CLIENT_H = 1366, 698
LONG_VENUE = "仙台国際センター 展示棟 展示室1・2 マイナンバーカード出張申請受付会場（臨時・午後のみ）"


def _problems(root) -> list[str]:
    out = []
    bounds = root.rect()
    for w in root.findChildren(QPushButton) + root.findChildren(QLabel) + root.findChildren(QComboBox):
        if not w.isVisibleTo(root) or w.width() == 0:
            continue
        name = w.objectName() or (w.text()[:20] if hasattr(w, "text") else type(w).__name__)
        rect = QRect(w.mapTo(root, QPoint(0, 0)), w.size())
        if not bounds.contains(rect):
            out.append(f"{name!r} sticks out: {rect} not in {bounds}")
        if isinstance(w, QLabel) and w.wordWrap():
            if w.height() < w.heightForWidth(w.width()):
                out.append(f"{name!r} wrapped text cut: {w.height()} < {w.heightForWidth(w.width())}")
        elif isinstance(w, QPushButton) and w.text():
            lines = w.text().split("\n")
            fm = w.fontMetrics()
            widest = max(fm.horizontalAdvance(line) for line in lines)
            if widest > w.width() - 6:
                out.append(f"{name!r} text wider than button: {widest} > {w.width()}")
            if len(lines) * fm.lineSpacing() > w.height():
                out.append(f"{name!r} text taller than button")
        elif w.height() < w.minimumSizeHint().height() or w.width() < w.minimumSizeHint().width():
            out.append(f"{name!r} squeezed: {w.size()} < {w.minimumSizeHint()}")
    return out


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("profile", [p.key for p in list_profiles()])
def test_board_fits_a_1366x768_laptop(qtbot, launch, data_dir, profile, lang):
    window = launch(data_dir, lang)
    window.resize(CLIENT_W, CLIENT_H)
    open_day(qtbot, window, profile=profile, venue=LONG_VENUE, municipality="仙台市")
    QApplication.processEvents()
    board = window.board
    assert window.minimumSizeHint().height() <= CLIENT_H
    assert window.minimumSizeHint().width() <= CLIENT_W
    assert window.size().toTuple() == (CLIENT_W, CLIENT_H)
    assert _problems(board) == []


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_start_of_day_fits(qtbot, launch, data_dir, lang):
    window = launch(data_dir, lang)
    window.resize(CLIENT_W, CLIENT_H)
    QApplication.processEvents()
    assert window.minimumSizeHint().height() <= CLIENT_H
    assert _problems(window.start_page) == []
