"""The deal list as a Qt table model over plain ``DealRow`` values, filled page by page.

The model never queries: it holds the rows it was given and whether the query has more.
When the view scrolls near the end, ``canFetchMore`` says so and ``fetchMore`` emits
``more_wanted``; the presenter fetches the next page and calls ``append_rows``. A header click
arrives as ``sort`` and leaves as ``sort_requested``: the database sorts, not the model.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from salesdesk.domain.model import DealRow
from salesdesk.ui.text import format_date, format_money, stage_label

COL_REF, COL_CUSTOMER, COL_TITLE, COL_STAGE, COL_OWNER, COL_REQUESTED, COL_PROMISED, COL_VALUE, COL_NEXT_ACTION = range(9)

#: Column → the DealQuery sort key the database understands.
SORT_KEYS: dict[int, str] = {
    COL_REF: "ref",
    COL_CUSTOMER: "customer",
    COL_TITLE: "title",
    COL_STAGE: "stage",
    COL_OWNER: "owner",
    COL_REQUESTED: "requested_date",
    COL_PROMISED: "promised_date",
    COL_VALUE: "value",
    COL_NEXT_ACTION: "next_action_due",
}

_HEADERS = ("Ref", "Customer", "Title", "Stage", "Owner", "Requested", "Promised", "Value", "Next action")

#: The raw value of a cell (a date, a Decimal, a Stage) rather than its text.
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: The whole DealRow of a row.
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


def _raw(row: DealRow, column: int) -> Any:
    return (row.ref, row.customer, row.title, row.stage, row.owner, row.requested_date, row.promised_date,
            row.value, row.next_action_due)[column]


class DealTableModel(QAbstractTableModel):
    more_wanted = Signal()
    sort_requested = Signal(str, bool)  # sort key, descending

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[DealRow] = []
        self._has_more = False
        self._loading_more = False
        self.today = date.today()

    # --- filling ---------------------------------------------------------------------------

    def reset_rows(self, rows: list[DealRow], has_more: bool) -> None:
        """Show the first page of a new query; ``has_more``: the query matched more than this page."""
        self.beginResetModel()
        self._rows = list(rows)
        self._has_more = has_more
        self._loading_more = False
        self.today = date.today()
        self.endResetModel()

    def append_rows(self, rows: list[DealRow], has_more: bool) -> None:
        self._loading_more = False
        self._has_more = has_more
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def row_at(self, row: int) -> DealRow:
        return self._rows[row]

    def row_of(self, uid: str) -> int | None:
        for i, r in enumerate(self._rows):
            if r.uid == uid:
                return i
        return None

    # --- paging ----------------------------------------------------------------------------

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:
        return not parent.isValid() and self._has_more

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:
        if self.canFetchMore(parent) and not self._loading_more:
            self._loading_more = True
            self.more_wanted.emit()

    # --- reading ---------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("DealTableModel", _HEADERS[section])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if section == COL_VALUE else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == SORT_ROLE:
            return _raw(row, column)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_VALUE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._text(row, column)
        return None

    def _text(self, row: DealRow, column: int) -> str:
        if column == COL_STAGE:
            return stage_label(row.stage)
        if column in (COL_REQUESTED, COL_PROMISED, COL_NEXT_ACTION):
            return format_date(_raw(row, column), "")
        if column == COL_VALUE:
            return format_money(row.value, cents=False)
        return str(_raw(row, column) or "")

    def _tooltip(self, row: DealRow, column: int) -> str | None:
        if row.problems:
            return QCoreApplication.translate("DealTableModel", "Needs attention: {problems}").format(
                problems=", ".join(QCoreApplication.translate("Problem", p) for p in row.problems)
            )
        if column == COL_TITLE:
            return row.title
        return None

    def is_overdue(self, row: DealRow) -> bool:
        return row.next_action_due is not None and row.next_action_due < self.today

    # --- sorting ---------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is not None:
            self.sort_requested.emit(key, order == Qt.SortOrder.DescendingOrder)
