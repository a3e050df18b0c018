"""One stylesheet for the booth: big touch targets, obvious selected state, and a
short green flash on a button whose tap was committed."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

STYLESHEET = """
QPushButton { padding: 6px 10px; border: 1px solid #8a99a8; border-radius: 6px;
              background: #f7f9fb; color: #1b2631; }
QPushButton:hover { background: #eef3f8; }
QPushButton:pressed { background: #d6e2ee; }
QPushButton:disabled { color: #9aa5b1; background: #eceff2; border-color: #c5cdd5; }
QPushButton:checked { background: #1565c0; color: white; border-color: #0d47a1; }
QPushButton[role="counter"] { border: 2px solid #5d7285; border-radius: 10px; background: white; }
QPushButton[role="counter"]:pressed { background: #d6e2ee; }
QPushButton[role="counter"][flash="true"] { background: #b9f0c0; border-color: #2e7d32; }
QPushButton[role="choice"] { min-height: 32px; padding: 3px 6px; }
QPushButton[role="option"] { min-height: 34px; text-align: left; padding-left: 12px; }
QPushButton[role="primary"] { background: #2e7d32; color: white; border-color: #1b5e20;
                              font-weight: bold; }
QPushButton[role="primary"]:disabled { background: #a5c9a8; color: #eef5ee; }
QPushButton[role="primary"][flash="true"] { background: #66bb6a; }
QPushButton[role="danger"] { background: #fff3e0; border-color: #e65100; color: #7f2d00; }
QLabel[role="count"] { font-size: 26pt; font-weight: bold; color: #0d3c61; }
QLabel[role="counter-name"] { font-size: 11pt; color: #1b2631; }
QLabel[role="shortcut"] { font-size: 9pt; color: #5d7285; }
QLabel[role="section"] { font-size: 11pt; font-weight: bold; color: #37474f;
                         border-bottom: 1px solid #b0bec5; padding-top: 4px; }
QLabel[role="header"] { font-size: 13pt; font-weight: bold; }
QLabel[role="muted"] { color: #546e7a; }
QFrame[role="banner"] { background: #fdecea; border: 2px solid #c62828; border-radius: 6px; }
QFrame[role="banner"] QLabel { color: #8e1b1b; font-weight: bold; }
QFrame[role="closed"] { background: #fff8e1; border: 2px solid #f9a825; border-radius: 6px; }
QTableWidget::item { padding: 3px 4px; }
QGroupBox { font-weight: bold; border: 1px solid #b0bec5; border-radius: 6px;
            margin-top: 14px; padding-top: 6px; }
QGroupBox::title { subcontrol-origin: margin; left: 10px; padding: 0 4px; }
"""


def set_flag(widget: QWidget, name: str, value: bool) -> None:
    """Change a style property and re-polish: Qt does not restyle on its own."""
    widget.setProperty(name, "true" if value else "false")
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()
