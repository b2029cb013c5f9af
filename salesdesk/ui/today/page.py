"""The Today page: what is overdue, what is coming, and the deals that need someone now."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QScrollArea,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from salesdesk.domain.errors import SalesDeskError
from salesdesk.domain.model import DealRow
from salesdesk.ui import theme
from salesdesk.ui.text import format_date
from salesdesk.ui.today.presenter import ActionEntry, TodayData, TodayPresenter
from salesdesk.ui.widgets.fields import hint_label, section_title

REF_ROLE = Qt.ItemDataRole.UserRole


class _Section(QWidget):
    """A titled list whose entries open their deal (double-click or Enter)."""

    def __init__(self, title: str, empty: str, columns: Sequence[str], max_rows: int = 8,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title_text, self.empty_text, self.max_rows = title, empty, max_rows
        self.title = section_title(title)
        self.empty = hint_label(empty)
        self.list = QTreeWidget()
        self.list.setAccessibleName(title)
        self.list.setHeaderLabels(list(columns))
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.list.header()
        header.setStretchLastSection(True)
        for i in range(len(columns) - 1):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.empty)
        layout.addWidget(self.list)
        # As tall as the entries, never taller: spare room goes below the sections.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.list.hide()  # until the first entries arrive
        self.empty.setText(QCoreApplication.translate("TodayPage", "Loading…"))

    def fill(self, rows: list[tuple[str, list[str]]], total: int | None = None, warn: bool = False) -> None:
        self.list.clear()
        for ref, cells in rows:
            item = QTreeWidgetItem(cells)
            item.setData(0, REF_ROLE, ref)
            item.setToolTip(len(cells) - 1, cells[-1])
            if warn:
                item.setForeground(0, theme.accent_text(theme.PROBLEM_HUE))
            self.list.addTopLevelItem(item)
        count = total if total is not None else len(rows)
        self.title.setText(f"{self.title_text}  ({count:,})" if count else self.title_text)
        self.empty.setText(self.empty_text)
        self.empty.setVisible(not rows)
        self.list.setVisible(bool(rows))
        if rows:  # as tall as its entries, up to max_rows; the rest scrolls
            shown = min(len(rows), self.max_rows)
            row_height = self.list.sizeHintForRow(0)
            self.list.setFixedHeight(self.list.header().sizeHint().height() + shown * row_height
                                     + 2 * self.list.frameWidth() + 8)


class TodayPage(QWidget):
    open_requested = Signal(str)  # deal ref

    def __init__(self, presenter: TodayPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presenter = presenter
        self.heading = section_title(self.tr("Today"))
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.heading.setFont(font)
        self.status = hint_label(self.tr("Loading…"))
        action_cols = [self.tr("Due"), self.tr("Deal"), self.tr("Customer"), self.tr("What")]
        deal_cols = [self.tr("Deal"), self.tr("Customer"), self.tr("Title")]
        self.overdue = _Section(self.tr("Overdue action items"), self.tr("Nothing overdue."), action_cols, 15)
        self.upcoming = _Section(self.tr("Due in the next two weeks"), self.tr("Nothing due in the next two weeks."),
                                 action_cols, 12)
        self.waiting = _Section(self.tr("Waiting for sign-off"), self.tr("No deal is waiting for a feasibility "
                                                                         "sign-off."), deal_cols)
        self.stale = _Section(self.tr("Sign-offs out of date"), self.tr("No sign-off needs giving again."), deal_cols)
        self.kickoffs = _Section(self.tr("Kickoffs due"), self.tr("No first shipment is coming without a kickoff."),
                                 [self.tr("Deal"), self.tr("Customer"), self.tr("First shipment")])
        left, right = QVBoxLayout(), QVBoxLayout()
        for column, sections in ((left, (self.overdue, self.upcoming)),
                                 (right, (self.waiting, self.stale, self.kickoffs))):
            for section in sections:
                column.addWidget(section)
            column.addStretch(1)
        columns = QHBoxLayout()
        columns.setSpacing(28)
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        body = QWidget()
        page = QVBoxLayout(body)
        page.setContentsMargins(24, 12, 24, 12)
        page.addWidget(self.heading)
        page.addWidget(self.status)
        page.addSpacing(4)
        page.addLayout(columns, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        for section in self.sections():
            section.list.itemActivated.connect(lambda item, _col: self.open_requested.emit(item.data(0, REF_ROLE)))
        presenter.loaded.connect(self.show_today)
        self._entered = False

    def entered(self) -> None:
        first, self._entered = not self._entered, True
        if first and self.presenter.loading:
            return  # the data asked for while the page was being built is on its way
        self.presenter.refresh()

    def sections(self) -> list[_Section]:
        return [self.overdue, self.upcoming, self.waiting, self.stale, self.kickoffs]

    def show_today(self, data: TodayData) -> None:
        self.heading.setText(self.tr("Today, {date}").format(date=format_date(data.today)))
        urgent = len(data.overdue) + len(data.stale_signoffs) + len(data.kickoffs_due)
        self.status.setText(self.tr("{n} things need attention now. Double-click an entry to open its deal.")
                            .format(n=urgent) if urgent else self.tr("Nothing urgent. Double-click an entry to open "
                                                                      "its deal."))
        self.overdue.fill(_actions(data.overdue), warn=True)
        self.upcoming.fill(_actions(data.upcoming))
        self.waiting.fill(_deals(data.waiting_for_signoff), total=data.waiting_total)
        self.stale.fill(_deals(data.stale_signoffs), warn=True)
        self.kickoffs.fill([(r.ref, [r.ref, r.customer, format_date(r.first_shipment_date)])
                            for r in data.kickoffs_due], warn=True)

    def show_problem(self, exc: SalesDeskError) -> None:
        self.status.setText(f"{exc.message} {exc.hint}".strip())


def _actions(entries: list[ActionEntry]) -> list[tuple[str, list[str]]]:
    return [(e.ref, [format_date(e.due), e.ref, e.customer, e.what]) for e in entries]


def _deals(rows: list[DealRow]) -> list[tuple[str, list[str]]]:
    return [(r.ref, [r.ref, r.customer, r.title]) for r in rows]

