"""Colours that mean something (stages, step states), readable on light and dark palettes.

Each meaning has one hue; the pill's fill and text are mixed from it and the current palette,
so nothing is hard-coded against a white background.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from salesdesk.domain.model import Stage
from salesdesk.domain.steps import StepStatus

STAGE_HUES: dict[Stage, str] = {
    Stage.DISCOVERY: "#5b7db1",
    Stage.FEASIBILITY: "#c98a1b",
    Stage.CLEARED: "#2a9d8f",
    Stage.DECLINED: "#c0392b",
    Stage.QUOTED: "#7e57c2",
    Stage.AGREED: "#2e7d32",
    Stage.KICKED_OFF: "#00838f",
    Stage.DELIVERING: "#1e88e5",
    Stage.DELIVERED: "#607d3b",
    Stage.LOST: "#8a8a8a",
}

STEP_HUES: dict[StepStatus, str] = {
    StepStatus.DONE: "#2e7d32",
    StepStatus.IN_PROGRESS: "#1e88e5",
    StepStatus.ATTENTION: "#d08700",
    StepStatus.BLOCKED: "#c0392b",
    StepStatus.NOT_STARTED: "#8a8a8a",
    StepStatus.RECORD: "#5b7db1",
}

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


def pill_colours(hue: str, pal: QPalette | None = None) -> tuple[QColor, QColor]:
    """(fill, text) of a badge in ``hue``, legible on this palette."""
    pal = pal or palette()
    base = pal.color(QPalette.ColorRole.Base)
    colour = QColor(hue)
    if is_dark(pal):
        return mix(colour, base, 0.35), mix(colour, QColor("white"), 0.45)
    return mix(colour, base, 0.16), colour.darker(135)


def accent_text(hue: str, pal: QPalette | None = None) -> QColor:
    """Text in ``hue`` that reads well on the window background."""
    colour = QColor(hue)
    return colour.lighter(140) if is_dark(pal) else colour.darker(115)


def muted_text(pal: QPalette | None = None) -> QColor:
    pal = pal or palette()
    return mix(pal.color(QPalette.ColorRole.WindowText), pal.color(QPalette.ColorRole.Window), 0.62)
