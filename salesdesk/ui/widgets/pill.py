"""Rounded badges ("pills"): a stage, a problem, a step state. Painted, so tables stay fast."""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QLabel, QWidget

from salesdesk.ui import theme

PAD_X, PAD_Y = 8, 2


def pill_font(base: QFont) -> QFont:
    font = QFont(base)
    font.setPointSizeF(max(7.0, base.pointSizeF() * 0.88))
    font.setWeight(QFont.Weight.DemiBold)
    return font


def pill_size(text: str, font: QFont) -> QSize:
    metrics = QFontMetrics(pill_font(font))
    return QSize(metrics.horizontalAdvance(text) + 2 * PAD_X + 2, metrics.height() + 2 * PAD_Y)


def paint_pill(painter: QPainter, rect: QRect, text: str, hue: str) -> int:
    """Paint a pill with ``text`` at the left of ``rect`` (vertically centred); return its width."""
    font = pill_font(painter.font())
    size = pill_size(text, painter.font())
    width = min(size.width(), rect.width())
    box = QRectF(rect.x(), rect.y() + (rect.height() - size.height()) / 2, width, size.height())
    fill, ink = theme.pill_colours(hue)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    painter.drawRoundedRect(box, box.height() / 2, box.height() / 2)
    painter.setFont(font)
    painter.setPen(ink)
    elided = text if width == size.width() else QFontMetrics(font).elidedText(
        text, Qt.TextElideMode.ElideRight, int(box.width()) - 2 * PAD_X)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, elided)
    painter.restore()
    return width


class Pill(QLabel):
    """A pill as a widget (headers, lists outside tables)."""

    def __init__(self, text: str = "", hue: str = "#8a8a8a", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.hue = hue

    def set_pill(self, text: str, hue: str) -> None:
        self.hue = hue
        self.setText(text)
        self.setAccessibleName(text)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return pill_size(self.text(), self.font())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event) -> None:  # noqa: ANN001 - Qt override
        painter = QPainter(self)
        paint_pill(painter, self.rect(), self.text(), self.hue)
