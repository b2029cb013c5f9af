"""How deal list cells are painted: the stage as a coloured pill, problems as badges after the title,
an overdue next action in the warning colour."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from salesdesk.domain.model import DealRow
from salesdesk.ui import theme
from salesdesk.ui.deals.table_model import ROW_ROLE
from salesdesk.ui.text import stage_label, tr
from salesdesk.ui.widgets.pill import paint_pill, pill_size

_Index = QModelIndex | QPersistentModelIndex

#: Short badge words for DealRow.problems.
PROBLEM_BADGES = {
    "stale sign-off": "Sign-off stale",
    "overdue item": "Overdue",
    "kickoff missing": "No kickoff",
}


def _background(painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
    """The cell's normal background and selection, without its text."""
    opt = QStyleOptionViewItem(option)
    opt.text = ""
    style = opt.widget.style() if opt.widget else QApplication.style()
    style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)


class StagePillDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        self.initStyleOption(option, index)
        _background(painter, option, index)
        row: DealRow = index.data(ROW_ROLE)
        rect = option.rect.adjusted(6, 3, -4, -3)
        paint_pill(painter, rect, stage_label(row.stage), theme.STAGE_HUES[row.stage])

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        row: DealRow = index.data(ROW_ROLE)
        size = pill_size(stage_label(row.stage), option.font)
        return QSize(size.width() + 12, size.height() + 8)


class TitleWithProblemsDelegate(QStyledItemDelegate):
    """The deal title, with a red badge for each problem right-aligned in the cell."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        row: DealRow = index.data(ROW_ROLE)
        if not row.problems:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        _background(painter, opt, index)
        badges = [tr(PROBLEM_BADGES.get(p, p), "Problem") for p in row.problems]
        widths = [pill_size(b, opt.font).width() for b in badges]
        room = min(sum(widths) + 6 * len(widths), opt.rect.width() // 2)
        text_rect = opt.rect.adjusted(4, 0, -room - 4, 0)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(opt.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text))
        title = opt.fontMetrics.elidedText(row.title, Qt.TextElideMode.ElideRight, text_rect.width())
        painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), title)
        painter.restore()
        x = text_rect.right() + 6
        for badge, width in zip(badges, widths, strict=True):
            paint_pill(painter, QRect(x, opt.rect.top() + 3, min(width, opt.rect.right() - x), opt.rect.height() - 6),
                       badge, theme.PROBLEM_HUE)
            x += width + 6


class DueDateDelegate(QStyledItemDelegate):
    """A next action in the past is shown in the warning colour."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: _Index) -> None:
        super().initStyleOption(option, index)
        row: DealRow = index.data(ROW_ROLE)
        if index.model().is_overdue(row):  # type: ignore[attr-defined]
            option.palette.setColor(QPalette.ColorRole.Text, theme.accent_text(theme.PROBLEM_HUE))
            option.font.setBold(True)
