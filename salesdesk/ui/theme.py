"""Colours that mean something (stages, step states), readable on light and dark palettes.

Each meaning has one hue; the pill's fill and text are mixed from it and the current palette,
so nothing is hard-coded against a white background.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from salesdesk.domain.model import Stage
from salesdesk.domain.steps import StepStatus
from salesdesk.ui.colours import PROBLEM_HUE, WARNING_HUE, accent_text, is_dark, mix, muted_text, palette

__all__ = ["PROBLEM_HUE", "STAGE_HUES", "STEP_HUES", "WARNING_HUE", "accent_text", "is_dark", "mix", "muted_text",
           "palette", "pill_colours"]

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


def pill_colours(hue: str, pal: QPalette | None = None) -> tuple[QColor, QColor]:
    """(fill, text) of a badge in ``hue``, legible on this palette."""
    pal = pal or palette()
    base = pal.color(QPalette.ColorRole.Base)
    colour = QColor(hue)
    if is_dark(pal):
        return mix(colour, base, 0.35), mix(colour, QColor("white"), 0.45)
    return mix(colour, base, 0.16), colour.darker(135)
