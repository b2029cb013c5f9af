"""A small table of text cells with Add and Remove (closure days, departments)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from salesdesk.ui.icons import icon


class EditableTable(QWidget):
    edited = Signal()

    def __init__(self, columns: Sequence[str], add_text: str, accessible_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(columns))
        self.table.setAccessibleName(accessible_name)
        self.table.setHorizontalHeaderLabels(list(columns))
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move between cells
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(icon("plus"), add_text)
        self.remove_button = QPushButton(self.tr("Remove selected"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(lambda: self.add_row([""] * self.table.columnCount(), edit=True))
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemChanged.connect(lambda _item: self.edited.emit())
        self._fit()

    def set_rows(self, rows: Sequence[Sequence[str]]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for row in rows:
            self._append(row)
        self.table.blockSignals(False)
        self._fit()

    def rows(self) -> list[list[str]]:
        return [[(self.table.item(r, c).text() if self.table.item(r, c) else "").strip()
                 for c in range(self.table.columnCount())] for r in range(self.table.rowCount())]

    def add_row(self, values: Sequence[str], *, edit: bool = False) -> None:
        self._append(values)
        self._fit()
        self.edited.emit()
        if edit:
            row = self.table.rowCount() - 1
            self.table.setCurrentCell(row, 0)
            self.table.editItem(self.table.item(row, 0))

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)
        self._fit()
        self.edited.emit()

    def _append(self, values: Sequence[str]) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for c, value in enumerate(values):
            self.table.setItem(row, c, QTableWidgetItem(value))

    def _fit(self) -> None:
        rows = max(3, min(self.table.rowCount(), 10))
        height = self.table.horizontalHeader().height() + rows * self.table.verticalHeader().defaultSectionSize() + 4
        self.table.setFixedHeight(height)
