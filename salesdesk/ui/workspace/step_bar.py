"""The step list down the side of a deal: each step's state at a glance, and why, in words."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from salesdesk.domain.steps import StepState, StepStatus
from salesdesk.ui import theme
from salesdesk.ui.text import tr

STATE_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex

STATE_WORDS = {
    StepStatus.DONE: "Done",
    StepStatus.IN_PROGRESS: "In progress",
    StepStatus.ATTENTION: "Needs attention",
    StepStatus.BLOCKED: "Blocked",
    StepStatus.NOT_STARTED: "Not started",
    StepStatus.RECORD: "Record",
}


def paint_state_mark(painter: QPainter, centre: QPointF, radius: float, state: StepStatus,
                     on_highlight: QColor | None = None) -> None:
    """A small round mark: a tick for done, ! for attention, a bar for blocked, a ring for not started.

    ``on_highlight``: the selection's text colour, for rings drawn on a selected row.
    """
    colour = QColor(theme.STEP_HUES[state])
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    box = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
    ink = QPen(QColor("white"), radius * 0.32, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
               Qt.PenJoinStyle.RoundJoin)
    if state in (StepStatus.NOT_STARTED, StepStatus.RECORD, StepStatus.IN_PROGRESS):
        colour = on_highlight or colour
        painter.setPen(QPen(colour, radius * 0.28))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(box.adjusted(radius * 0.14, radius * 0.14, -radius * 0.14, -radius * 0.14))
        if state == StepStatus.IN_PROGRESS:  # half filled
            path = QPainterPath(centre)
            path.arcTo(box.adjusted(radius * 0.4, radius * 0.4, -radius * 0.4, -radius * 0.4), 90, -180)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawPath(path)
        elif state == StepStatus.RECORD:
            painter.setBrush(colour)
            painter.drawEllipse(centre, radius * 0.22, radius * 0.22)
        painter.restore()
        return
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(box)
    painter.setPen(ink)
    r = radius
    if state == StepStatus.DONE:
        painter.drawPolyline([QPointF(centre.x() - r * 0.45, centre.y() + r * 0.02),
                              QPointF(centre.x() - r * 0.12, centre.y() + r * 0.36),
                              QPointF(centre.x() + r * 0.48, centre.y() - r * 0.32)])
    elif state == StepStatus.ATTENTION:
        painter.drawLine(QPointF(centre.x(), centre.y() - r * 0.5), QPointF(centre.x(), centre.y() + r * 0.1))
        painter.drawPoint(QPointF(centre.x(), centre.y() + r * 0.48))
    else:
        painter.drawLine(QPointF(centre.x() - r * 0.45, centre.y()), QPointF(centre.x() + r * 0.45, centre.y()))
    painter.restore()


class _StepDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        step: StepState = index.data(STATE_ROLE)
        rect = opt.rect.adjusted(10, 6, -8, -6)
        line = opt.fontMetrics.height()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        paint_state_mark(painter, QPointF(rect.left() + 9, rect.top() + line / 2 + 1), 8, step.state,
                         opt.palette.color(QPalette.ColorRole.HighlightedText) if selected else None)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text_rect = rect.adjusted(26, 0, 0, 0)
        painter.save()
        title_font = QFont(opt.font)
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(opt.palette.color(role))
        painter.drawText(QRect(text_rect.left(), text_rect.top(), text_rect.width(), line),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), tr(step.title, "Step"))
        small = QFont(opt.font)
        small.setPointSizeF(opt.font.pointSizeF() * 0.9)
        painter.setFont(small)
        painter.setPen(opt.palette.color(role) if selected else theme.muted_text(opt.palette))
        reason_rect = QRect(text_rect.left(), text_rect.top() + line + 1, text_rect.width(), text_rect.height() - line)
        painter.drawText(reason_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap),
                         step.reason)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        line = option.fontMetrics.height()
        return QSize(220, line * 3 + 14)


class StepBar(QListWidget):
    """Steps of the deal; the current one is highlighted. Arrow keys move between steps."""

    step_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Steps of this deal"))
        self.setItemDelegate(_StepDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setUniformItemSizes(True)
        self.setFixedWidth(270)
        self.currentItemChanged.connect(self._item_chosen)

    def _item_chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is not None:
            self.step_chosen.emit(item.data(Qt.ItemDataRole.UserRole))

    def set_states(self, states: list[StepState]) -> None:
        if self.count() != len(states):
            self.blockSignals(True)
            self.clear()
            for s in states:
                item = QListWidgetItem()
                item.setData(Qt.ItemDataRole.UserRole, s.key)
                self.addItem(item)
            self.blockSignals(False)
        for i, s in enumerate(states):
            item = self.item(i)
            item.setData(STATE_ROLE, s)
            word = tr(STATE_WORDS[s.state], "Step")
            item.setToolTip(f"{tr(s.title, 'Step')} — {word}\n{s.reason}")
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{tr(s.title, 'Step')}: {word}. {s.reason}")
            item.setData(Qt.ItemDataRole.DisplayRole, tr(s.title, "Step"))

    def select_step(self, key: str) -> None:
        for i in range(self.count()):
            if self.item(i).data(Qt.ItemDataRole.UserRole) == key:
                self.setCurrentRow(i)
                return
