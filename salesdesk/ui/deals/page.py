"""The deal list page: find box, stage and owner filters, the table, the count and "New deal"."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from salesdesk.domain.errors import SalesDeskError
from salesdesk.domain.model import Stage, TeamMember
from salesdesk.ui.deals import table_model as cols
from salesdesk.ui.deals.delegates import DueDateDelegate, StagePillDelegate, TitleWithProblemsDelegate
from salesdesk.ui.deals.presenter import OPEN_STAGES, DealListPresenter
from salesdesk.ui.deals.table_model import ROW_ROLE, DealTableModel
from salesdesk.ui.icons import icon
from salesdesk.ui.text import count_label, stage_label
from salesdesk.ui.widgets.fields import hint_label
from salesdesk.ui.widgets.pill import pill_size

_ALL, _OPEN = "all", "open"


class DealsPage(QWidget):
    open_requested = Signal(str)  # deal uid
    new_requested = Signal()

    def __init__(self, presenter: DealListPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presenter = presenter
        self.model: DealTableModel = presenter.model

        self.find = QLineEdit()
        self.find.setPlaceholderText(self.tr("Find by ref, customer or title  (Ctrl+F)"))
        self.find.setAccessibleName(self.tr("Find deals"))
        self.find.setClearButtonEnabled(True)
        self.find.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.find.setMinimumWidth(280)
        self.stage = QComboBox()
        self.stage.setAccessibleName(self.tr("Stage filter"))
        self.stage.addItem(self.tr("All stages"), _ALL)
        self.stage.addItem(self.tr("Open deals"), _OPEN)
        for stage in Stage:
            self.stage.addItem(stage_label(stage), stage.value)
        self.owner = QComboBox()
        self.owner.setAccessibleName(self.tr("Owner filter"))
        self.owner.setMinimumContentsLength(14)
        self.count = QLabel()
        self.count.setAccessibleName(self.tr("Number of deals"))
        self.new_deal = QPushButton(icon("plus"), self.tr("&New deal"))
        self.new_deal.setToolTip(self.tr("Create a deal (Ctrl+N)"))

        bar = QHBoxLayout()
        bar.addWidget(self.find, 3)
        bar.addWidget(self.stage)
        bar.addWidget(self.owner)
        bar.addStretch(1)
        bar.addWidget(self.count)
        bar.addSpacing(12)
        bar.addWidget(self.new_deal)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Deals"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(cols.COL_REF, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        self.table.setItemDelegateForColumn(cols.COL_STAGE, StagePillDelegate(self.table))
        self.table.setItemDelegateForColumn(cols.COL_TITLE, TitleWithProblemsDelegate(self.table))
        self.table.setItemDelegateForColumn(cols.COL_NEXT_ACTION, DueDateDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(cols.COL_TITLE, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setMinimumSectionSize(48)
        width = self.fontMetrics().horizontalAdvance
        for column, sample in ((cols.COL_REF, "D-2026-00000"), (cols.COL_CUSTOMER, "Westmark Metals S.A."),
                               (cols.COL_OWNER, "Dmitri Ivanov"), (cols.COL_REQUESTED, "28 Sep 2026"),
                               (cols.COL_PROMISED, "28 Sep 2026"), (cols.COL_VALUE, "1,000,000"),
                               (cols.COL_NEXT_ACTION, "28 Sep 2026")):
            header.resizeSection(column, width(sample) + 18)
        longest_stage = max((stage_label(s) for s in Stage), key=lambda label: pill_size(label, self.font()).width())
        header.resizeSection(cols.COL_STAGE, pill_size(longest_stage, self.font()).width() + 16)

        self.empty = hint_label("")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setObjectName("emptyDeals")
        self.views = QStackedWidget()
        self.views.addWidget(self.table)
        self.views.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.views, 1)

        self.find.textChanged.connect(presenter.set_text)
        self.stage.currentIndexChanged.connect(self._stage_chosen)
        self.owner.currentIndexChanged.connect(self._owner_chosen)
        self.table.activated.connect(self._activated)
        self.new_deal.clicked.connect(self.new_requested)
        presenter.total_changed.connect(self.show_total)
        presenter.counting.connect(lambda: self.count.setText(self.tr("Counting…")))

    def set_team(self, members: list[TeamMember], me: TeamMember) -> None:
        self.owner.blockSignals(True)
        self.owner.clear()
        self.owner.addItem(self.tr("Everyone"), None)
        self.owner.addItem(self.tr("My deals"), me.uid)
        for m in members:
            if m.uid != me.uid:
                self.owner.addItem(m.name, m.uid)
        self.owner.blockSignals(False)

    def focus_find(self) -> None:
        self.find.setFocus()
        self.find.selectAll()

    def show_total(self, total: int) -> None:
        self.count.setText(count_label(total, self.tr("{n} deal"), self.tr("{n} deals")))
        if total:
            self.views.setCurrentWidget(self.table)
            return
        if self.presenter.filtering:
            self.empty.setText(self.tr("No deal matches these filters. Clear the find box or choose All stages."))
        else:
            self.empty.setText(self.tr("No deals yet. Create the first one with New deal (Ctrl+N)."))
        self.views.setCurrentWidget(self.empty)

    def show_problem(self, exc: SalesDeskError) -> None:
        self.empty.setText(f"{exc.message} {exc.hint}".strip())
        self.views.setCurrentWidget(self.empty)

    def _stage_chosen(self, _index: int) -> None:
        choice = self.stage.currentData()
        if choice == _ALL:
            self.presenter.set_stages(())
        elif choice == _OPEN:
            self.presenter.set_stages(OPEN_STAGES)
        else:
            self.presenter.set_stages((Stage(choice),))

    def _owner_chosen(self, _index: int) -> None:
        self.presenter.set_owner(self.owner.currentData())

    def _activated(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if row is not None:
            self.open_requested.emit(row.uid)
