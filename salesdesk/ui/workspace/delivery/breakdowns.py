"""The breakdown log of a deal: what went wrong, where, when, what it did to the customer and cost.

One line per breakdown; the selected one's customer impact and resolution are shown in full under
the list. Breakdowns SalesDesk logged by itself (a work item finished after its promised date) say
so in the "Logged by" column. Enter or a double-click edits the selected breakdown; Delete removes it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from salesdesk.domain.model import Breakdown
from salesdesk.ui import theme
from salesdesk.ui.icons import icon
from salesdesk.ui.text import format_date, format_money
from salesdesk.ui.widgets.fields import hint_label
from salesdesk.ui.workspace.delivery.breakdown_dialog import category_label

UID_ROLE = Qt.ItemDataRole.UserRole
COL_DATE, COL_CATEGORY, COL_DEPARTMENT, COL_WHAT, COL_COST, COL_LOGGED = range(6)


def one_line(text: str) -> str:
    return " ".join(text.split())


class BreakdownLog(QWidget):
    add_requested = Signal()
    edit_requested = Signal(str)  # breakdown uid
    remove_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editable = True
        self.list = QTreeWidget()
        self.list.setAccessibleName(self.tr("Breakdown log"))
        self.list.setHeaderLabels([self.tr("Date"), self.tr("Category"), self.tr("Department"),
                                   self.tr("What went wrong"), self.tr("Cost"), self.tr("Logged by")])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_WHAT, QHeaderView.ResizeMode.Stretch)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.breakdowns: dict[str, Breakdown] = {}
        self.empty = hint_label(self.tr("No breakdowns logged. When something goes wrong for the customer, log it "
                                        "here: the team learns from it on the Yardstick."))
        self.add_button = QPushButton(icon("plus"), self.tr("&Log a breakdown…"))
        self.edit_button = QPushButton(self.tr("&Edit…"))
        self.remove_button = QPushButton(icon("remove"), self.tr("Re&move"))
        self.remove_button.setAccessibleName(self.tr("Remove the selected breakdown"))
        self.edit_button.setAccessibleName(self.tr("Edit the selected breakdown"))
        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.remove_button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(self.list)
        layout.addWidget(self.detail)
        layout.addLayout(bar)
        self.add_button.clicked.connect(self.add_requested)
        self.edit_button.clicked.connect(self._edit)
        self.remove_button.clicked.connect(self._remove)
        self.list.itemActivated.connect(lambda _item, _col: self._edit())
        self.list.currentItemChanged.connect(lambda *_a: self._selection_changed())
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._remove)
        self._enable()

    def set_breakdowns(self, breakdowns: Sequence[Breakdown], names: dict[str, str], currency: str,
                       editable: bool) -> None:
        chosen = self.selected()
        self.breakdowns = {b.uid: b for b in breakdowns}
        self.list.clear()
        automatic = self.tr("Automatic (missed date)")
        for b in sorted(breakdowns, key=lambda b: (b.occurred_on, b.uid), reverse=True):
            logged = automatic if b.automatic and not b.logged_by else names.get(b.logged_by or "", "")
            if b.automatic and b.logged_by:
                logged = self.tr("Automatic; {name}").format(name=names.get(b.logged_by, ""))
            cells = [format_date(b.occurred_on), category_label(b.category), b.department, one_line(b.description),
                     format_money(b.cost, currency) if b.cost else "", logged]
            item = QTreeWidgetItem(cells)
            item.setData(0, UID_ROLE, b.uid)
            item.setToolTip(COL_WHAT, b.description)
            item.setTextAlignment(COL_COST, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if b.automatic:
                item.setForeground(COL_LOGGED, theme.muted_text())
            self.list.addTopLevelItem(item)
            if b.uid == chosen:
                self.list.setCurrentItem(item)
        self.empty.setVisible(not breakdowns)
        self.list.setVisible(bool(breakdowns))
        rows = min(max(len(breakdowns), 1), 12)
        row_height = self.list.sizeHintForRow(0) if breakdowns else 24
        self.list.setFixedHeight(self.list.header().sizeHint().height() + rows * row_height
                                 + 2 * self.list.frameWidth() + 4)
        self.add_button.setEnabled(editable)
        self._editable = editable
        first = self.list.topLevelItem(0)
        if self.list.currentItem() is None and first is not None:
            self.list.setCurrentItem(first)
        self._selection_changed()

    def selected(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(0, UID_ROLE)) if item is not None else None

    def select(self, uid: str) -> None:
        for i in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(i)
            if item is not None and item.data(0, UID_ROLE) == uid:
                self.list.setCurrentItem(item)
                return

    def _selection_changed(self) -> None:
        b = self.breakdowns.get(self.selected() or "")
        if b is None:
            self.detail.hide()
        else:
            impact = b.customer_impact or self.tr("not recorded")
            resolution = b.resolution or self.tr("not recorded yet")
            self.detail.setText(self.tr("Customer impact: {impact}\nResolution: {resolution}").format(
                impact=impact, resolution=resolution))
            self.detail.show()
        self._enable()

    def _enable(self) -> None:
        chosen = self.selected() is not None and self._editable
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def _edit(self) -> None:
        uid = self.selected()
        if uid and self.edit_button.isEnabled():
            self.edit_requested.emit(uid)

    def _remove(self) -> None:
        uid = self.selected()
        if uid and self.remove_button.isEnabled():
            self.remove_requested.emit(uid)
