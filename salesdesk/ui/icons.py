"""Crisp icons from the SVGs in resources/icons, drawn in the palette's text colour.

Navigation icons use ``currentColor``; the engine paints them at the exact size asked for (and
the screen's pixel ratio), in the colour that suits the item's state, so they stay sharp on HiDPI
screens and legible on dark palettes.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QPoint, QRect, QSize
from PySide6.QtGui import QColor, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from salesdesk import paths


@cache
def _renderer(name: str, colour: str) -> QSvgRenderer:
    """The icon ``name`` drawn in ``colour`` (parsed once per colour, not at every paint)."""
    svg = paths.resource_path("icons", f"{name}.svg").read_text(encoding="utf-8")
    return QSvgRenderer(QByteArray(svg.replace("currentColor", colour).encode()))


class _SvgIconEngine(QIconEngine):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def _colour(self, mode: QIcon.Mode) -> str:
        pal = QApplication.palette()
        if mode == QIcon.Mode.Selected:
            return pal.color(QPalette.ColorRole.HighlightedText).name()
        group = QPalette.ColorGroup.Disabled if mode == QIcon.Mode.Disabled else QPalette.ColorGroup.Active
        return pal.color(group, QPalette.ColorRole.WindowText).name()

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        _renderer(self.name, self._colour(mode)).render(painter, rect)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float) -> QPixmap:
        pixmap = QPixmap(size * scale)
        pixmap.fill(_TRANSPARENT)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(QPoint(0, 0), size * scale), mode, state)
        painter.end()
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def clone(self) -> QIconEngine:
        return _SvgIconEngine(self.name)


def icon(name: str) -> QIcon:
    """A navigation or action icon (``today``, ``deals``, ``plus`` …) in the palette's colours."""
    return QIcon(_SvgIconEngine(name))


class _AppIconEngine(_SvgIconEngine):
    """The SalesDesk icon in its own colours, drawn at the size asked for when it is asked for."""

    SIZES = (16, 24, 32, 48, 64, 128, 256)

    def _colour(self, mode: QIcon.Mode) -> str:
        return ""  # nothing to recolour

    def availableSizes(self, mode: QIcon.Mode = QIcon.Mode.Normal,  # noqa: N802 (Qt's name)
                       state: QIcon.State = QIcon.State.Off) -> list[QSize]:
        return [QSize(side, side) for side in self.SIZES]

    def clone(self) -> QIconEngine:
        return _AppIconEngine(self.name)


def app_icon() -> QIcon:
    """The SalesDesk icon (its own colours, whatever the palette)."""
    return QIcon(_AppIconEngine("salesdesk"))


# Not Qt.GlobalColor.transparent: the window's frame does not import the Qt namespace (see main_window).
_TRANSPARENT = QColor(0, 0, 0, 0)
