"""Colour arithmetic on the current palette (light or dark), and the warning and problem hues.

Nothing here comes from the domain, so the window's frame and the form widgets use it before the
database is open; the colours of stages and step states are in ``theme``.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

WARNING_HUE = "#d08700"
PROBLEM_HUE = "#c0392b"


def palette() -> QPalette:
    return QApplication.palette()


def is_dark(pal: QPalette | None = None) -> bool:
    return (pal or palette()).color(QPalette.ColorRole.Base).lightness() < 128


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """``amount`` of ``a`` over ``b``."""
    return QColor(
        round(a.red() * amount + b.red() * (1 - amount)),
        round(a.green() * amount + b.green() * (1 - amount)),
        round(a.blue() * amount + b.blue() * (1 - amount)),
    )


def muted_text(pal: QPalette | None = None) -> QColor:
    pal = pal or palette()
    return mix(pal.color(QPalette.ColorRole.WindowText), pal.color(QPalette.ColorRole.Window), 0.62)


def accent_text(hue: str, pal: QPalette | None = None) -> QColor:
    """Text in ``hue`` that reads well on the window background."""
    colour = QColor(hue)
    return colour.lighter(140) if is_dark(pal) else colour.darker(115)
