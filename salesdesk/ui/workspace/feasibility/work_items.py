"""The deal's work items, as the departments estimate them, beside the padded schedule.

Editable columns: department, task, raw working days (0.5–999) and what the item waits for; the
rest comes from the promise engine: factor, padded days, start and due. Every change goes to
``edited`` as the new tuple of work items (the page hands it to the deal editor).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from salesdesk.domain.model import WorkItem
from salesdesk.domain.schedule import ScheduledItem
from salesdesk.ui import theme
from salesdesk.ui.icons import icon
from salesdesk.ui.text import format_date
from salesdesk.ui.workspace.feasibility.words import days

COL_DEPARTMENT, COL_TASK, COL_RAW, COL_WAITS, COL_FACTOR, COL_PADDED, COL_START, COL_DUE, COL_REMOVE = range(9)
MIN_RAW, MAX_RAW = 0.5, 999.0


class _Row:
    """The widgets of one work item."""

    def __init__(self, item: WorkItem) -> None:
        self.item = item
        self.department = QComboBox()
        self.department.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.department.setMinimumContentsLength(9)
        self.task = QLineEdit(item.task)
        self.task.setPlaceholderText("…")
        self.task.setCursorPosition(0)
        self.task.setToolTip(item.task)
        self.raw = QDoubleSpinBox()
        self.raw.setRange(MIN_RAW, MAX_RAW)
        self.raw.setDecimals(1)
        self.raw.setSingleStep(0.5)
        self.raw.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.raw.setButtonSymbols(QDoubleSpinBox.ButtonSymbols.NoButtons)
        self.raw.setMinimumWidth(56)
        self.raw.setValue(float(item.raw_days))
        self.waits = QToolButton()
        self.waits.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.waits.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.waits.setMenu(QMenu(self.waits))
        self.remove = QToolButton()
        self.remove.setIcon(icon("remove"))
        self.remove.setAutoRaise(True)
        self.predecessors: list[str] = list(item.predecessors)

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.department, self.task, self.raw, self.waits, self.remove)

    def value(self) -> WorkItem:
        return replace(self.item, department=self.department.currentText(), task=self.task.text().strip(),
                       raw_days=Decimal(f"{self.raw.value():.1f}"),
                       predecessors=tuple(self.predecessors))


class WorkItemsTable(QWidget):
    edited = Signal(object)  # tuple[WorkItem, ...]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[_Row] = []
        self.departments: list[str] = []
        self._editable = True
        self.table = QTableWidget(0, 9)
        self.table.setAccessibleName(self.tr("Work items and padded schedule"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Department"), self.tr("Task"), self.tr("Raw days"), self.tr("Waits for"), self.tr("Factor"),
            self.tr("Padded"), self.tr("Start"), self.tr("Due"), ""])
        tips = {COL_RAW: self.tr("The department's own estimate in working days (internal: never promised)"),
                COL_FACTOR: self.tr("The buffer factor: the deal's override, else the department's, else the default"),
                COL_PADDED: self.tr("Padded working days = raw × factor, rounded up"),
                COL_DUE: self.tr("The padded due date: what the customer is promised")}
        for col, tip in tips.items():
            header_item = self.table.horizontalHeaderItem(col)
            if header_item is not None:
                header_item.setToolTip(tip)
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from one cell's field to the next
        self.table.verticalHeader().setDefaultSectionSize(34)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_TASK, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_WAITS, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COL_WAITS, 92)
        header.setMinimumSectionSize(40)
        self.add_button = QPushButton(icon("plus"), self.tr("Add &work item"))
        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(bar)
        self.add_button.clicked.connect(self.add_item)
        self._fit()

    # --- content ---------------------------------------------------------------------------

    def set_departments(self, names: Sequence[str]) -> None:
        self.departments = list(dict.fromkeys(names))

    def set_items(self, items: Sequence[WorkItem]) -> None:
        """Show ``items`` (rows are laid out anew only when they differ from what is on screen)."""
        if [r.value() for r in self.rows] == list(items):
            return
        self.table.setRowCount(0)
        self.rows = []
        for item in items:
            self._append(item)
        self._relabel()
        self._fit()

    def items(self) -> tuple[WorkItem, ...]:
        return tuple(r.value() for r in self.rows)

    def show_schedule(self, scheduled: Sequence[ScheduledItem]) -> None:
        """The promise engine's columns: factor, padded days, start, due (empty where it has no answer)."""
        by_key = {s.key: s for s in scheduled}
        muted = theme.muted_text()
        for i, row in enumerate(self.rows):
            s = by_key.get(row.item.uid)
            values = ("", "", "", "") if s is None else (
                "×" + days(s.factor), str(s.padded_days), format_date(s.start), format_date(s.due))
            for col, text in zip((COL_FACTOR, COL_PADDED, COL_START, COL_DUE), values, strict=True):
                cell = self.table.item(i, col)
                if cell is None:
                    cell = QTableWidgetItem()
                    cell.setFlags(Qt.ItemFlag.ItemIsEnabled)
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    self.table.setItem(i, col, cell)
                cell.setText(text)
                if col == COL_FACTOR:
                    cell.setForeground(muted)
                if col == COL_DUE:
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)

    def set_editable(self, editable: bool, why: str = "") -> None:
        self._editable = editable
        self.add_button.setEnabled(editable)
        self.add_button.setToolTip("" if editable else why)
        for row in self.rows:
            for w in row.widgets():
                w.setEnabled(editable)

    # --- rows ------------------------------------------------------------------------------

    def add_item(self) -> None:
        last = self.rows[-1].value() if self.rows else None
        department = last.department if last else (self.departments[0] if self.departments else "Operations")
        item = WorkItem(str(uuid.uuid4()), department, "", Decimal(1), (last.uid,) if last else ())
        row = self._append(item)
        self._relabel()
        self._fit()
        self._emit()
        row.task.setFocus(Qt.FocusReason.OtherFocusReason)

    def _append(self, item: WorkItem) -> _Row:
        row = _Row(item)
        choices = self.departments + ([item.department] if item.department not in self.departments else [])
        row.department.addItems(choices)
        row.department.setCurrentText(item.department)
        i = self.table.rowCount()
        self.table.insertRow(i)
        for col, widget in ((COL_DEPARTMENT, row.department), (COL_TASK, row.task), (COL_RAW, row.raw),
                            (COL_WAITS, row.waits), (COL_REMOVE, row.remove)):
            self.table.setCellWidget(i, col, widget)
        row.department.activated.connect(lambda _i: self._emit())
        row.task.textEdited.connect(lambda _t: self._task_edited())
        row.raw.valueChanged.connect(lambda _v: self._emit())
        row.remove.clicked.connect(lambda: self._remove(row))
        row.waits.menu().aboutToShow.connect(lambda: self._fill_menu(row))
        for w in row.widgets():
            w.setEnabled(self._editable)
        self.rows.append(row)
        return row

    def _remove(self, row: _Row) -> None:
        i = self.rows.index(row)
        self.rows.remove(row)
        self.table.removeRow(i)
        for other in self.rows:
            if row.item.uid in other.predecessors:
                other.predecessors.remove(row.item.uid)
        self._relabel()
        self._fit()
        self._emit()
        if self.rows:
            self.rows[min(i, len(self.rows) - 1)].task.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.add_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _fill_menu(self, row: _Row) -> None:
        menu = row.waits.menu()
        menu.clear()
        others = [(n, r) for n, r in enumerate(self.rows, 1) if r is not row]
        if not others:
            menu.addAction(self.tr("No other work items")).setEnabled(False)
        for n, other in others:
            action = QAction(f"{n}. {other.task.text() or self.tr('(no task yet)')}", menu)
            action.setCheckable(True)
            action.setChecked(other.item.uid in row.predecessors)
            action.toggled.connect(lambda on, uid=other.item.uid: self._set_waits(row, uid, on))
            menu.addAction(action)

    def set_predecessors(self, row_number: int, predecessor_numbers: Sequence[int]) -> None:
        """Make work item ``row_number`` (1-based) wait for the others listed (what the menu does)."""
        row = self.rows[row_number - 1]
        row.predecessors = [self.rows[n - 1].item.uid for n in predecessor_numbers]
        self._relabel()
        self._emit()

    def _set_waits(self, row: _Row, uid: str, on: bool) -> None:
        if on and uid not in row.predecessors:
            row.predecessors.append(uid)
        elif not on and uid in row.predecessors:
            row.predecessors.remove(uid)
        self._relabel()
        self._emit()

    def _task_edited(self) -> None:
        self._relabel()
        self._emit()

    def _relabel(self) -> None:
        number = {r.item.uid: n for n, r in enumerate(self.rows, 1)}
        for n, row in enumerate(self.rows, 1):
            waits = [f"{number[p]}" for p in row.predecessors if p in number]
            names = [self.rows[number[p] - 1].task.text() for p in row.predecessors if p in number]
            row.waits.setText(self.tr("after {items}").format(items=", ".join(waits)) if waits
                              else self.tr("at the start"))
            row.waits.setToolTip(self.tr("Starts when these are due: {names}").format(names=", ".join(names))
                                 if names else self.tr("Starts at the deal's start date"))
            row.department.setAccessibleName(self.tr("Work item {n} department").format(n=n))
            row.task.setAccessibleName(self.tr("Work item {n} task").format(n=n))
            row.raw.setAccessibleName(self.tr("Work item {n} raw days").format(n=n))
            row.waits.setAccessibleName(self.tr("Work item {n} waits for").format(n=n))
            row.remove.setAccessibleName(self.tr("Remove work item {n}").format(n=n))
            row.remove.setToolTip(self.tr("Remove this work item"))
            self.table.setVerticalHeaderItem(n - 1, QTableWidgetItem(str(n)))

    def _emit(self) -> None:
        self.edited.emit(self.items())

    def _fit(self) -> None:
        rows = max(2, min(len(self.rows), 12))
        height = (self.table.horizontalHeader().sizeHint().height()
                  + rows * self.table.verticalHeader().defaultSectionSize() + 2 * self.table.frameWidth() + 2)
        self.table.setFixedHeight(height)
