"""The padded schedule as bars on a calendar: one row per work item, from its start to its padded due
date, with the requested and the promised date marked. Painted; the table beside it says the same in text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from salesdesk.domain.schedule import ScheduledItem
from salesdesk.ui import theme
from salesdesk.ui.text import format_date

ROW, LABEL_WIDTH, TOP, BOTTOM = 24, 220, 26, 44
BAR_HUE = "#5b7db1"
REQUESTED_HUE = theme.WARNING_HUE
PROMISED_HUE = "#2e7d32"


class ScheduleTimeline(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: tuple[ScheduledItem, ...] = ()
        self.requested: date | None = None
        self.promised: date | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(self.tr("Timeline of the padded schedule"))

    def show_schedule(self, items: Sequence[ScheduledItem], requested: date | None, promised: date | None) -> None:
        self.items = tuple(items)
        self.requested, self.promised = requested, promised
        lines = [self.tr("{task} ({department}): {start} to {due}").format(
            task=i.task, department=i.department, start=format_date(i.start), due=format_date(i.due))
            for i in self.items]
        self.setAccessibleDescription("; ".join(lines))
        self.setVisible(bool(self.items))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(600, TOP + BOTTOM + ROW * max(1, len(self.items)))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def _span(self) -> tuple[date, date]:
        first = min(i.start for i in self.items)
        last = max([i.due for i in self.items] + [d for d in (self.requested, self.promised) if d])
        return first, max(last, first + timedelta(days=7))

    def paintEvent(self, _event: object) -> None:
        if not self.items:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text, muted = pal.color(QPalette.ColorRole.WindowText), theme.muted_text(pal)
        first, last = self._span()
        width = self.width() - LABEL_WIDTH - 12
        total = (last - first).days or 1

        def x(d: date) -> float:
            return LABEL_WIDTH + width * (d - first).days / total

        metrics = QFontMetrics(self.font())
        grid = QColor(muted)
        grid.setAlpha(60)
        # Month starts along the top.
        month = date(first.year, first.month, 1)
        while month <= last:
            left = max(month, first)
            painter.setPen(QPen(grid, 1))
            painter.drawLine(int(x(left)), TOP - 4, int(x(left)), self.height() - BOTTOM + 4)
            nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
            caption = f"{month:%b %Y}"
            if x(min(nxt, last)) - x(left) > metrics.horizontalAdvance(caption) + 6:
                painter.setPen(muted)
                painter.drawText(int(x(left)) + 3, TOP - 8, caption)
            month = nxt
        fill = theme.mix(QColor(BAR_HUE), pal.color(QPalette.ColorRole.Base), 0.45)
        for row, item in enumerate(self.items):
            y = TOP + row * ROW
            label = metrics.elidedText(f"{item.task} · {item.department}", Qt.TextElideMode.ElideRight, LABEL_WIDTH - 12)
            painter.setPen(text)
            painter.drawText(QRectF(0, y, LABEL_WIDTH - 8, ROW), int(Qt.AlignmentFlag.AlignVCenter), label)
            bar = QRectF(x(item.start), y + 5, max(3.0, x(item.due) - x(item.start)), ROW - 10)
            painter.setPen(QPen(QColor(BAR_HUE), 1))
            painter.setBrush(fill)
            painter.drawRoundedRect(bar, 3, 3)
        bottom = self.height() - BOTTOM
        marks = ((self.requested, REQUESTED_HUE, self.tr("requested")), (self.promised, PROMISED_HUE, self.tr("promised")))
        for line, (day, hue, words) in enumerate(marks):
            if day is None:
                continue
            colour = theme.accent_text(hue, pal)
            painter.setPen(QPen(colour, 2, Qt.PenStyle.DashLine))
            painter.drawLine(int(x(day)), TOP - 2, int(x(day)), bottom)
            painter.setPen(colour)
            caption = f"{words} {format_date(day)}"
            at = min(int(x(day)) - metrics.horizontalAdvance(caption) // 2,
                     self.width() - metrics.horizontalAdvance(caption) - 2)
            painter.drawText(max(LABEL_WIDTH, at), bottom + metrics.ascent() + 4 + line * metrics.lineSpacing(), caption)
        painter.end()
