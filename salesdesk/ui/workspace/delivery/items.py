"""The work items and action items of a deal in delivery: promised dates, actual dates, done or reopen.

An open row has date fields for what actually happened and a "Done" button; a done row shows the
dates, the working days the work took (and how late it was) and a "Reopen" button. The tables only
collect: the step hands each click to the delivery service.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from salesdesk.domain.steps import StepStatus
from salesdesk.ui import theme
from salesdesk.ui.text import format_date
from salesdesk.ui.workspace.delivery.reason_dialog import from_qdate, to_qdate


@dataclass(frozen=True)
class ItemRow:
    """One work or action item as the table shows it."""

    uid: str
    who: str  # the department (work item) or the person (action item)
    what: str
    due: date | None
    done: bool
    started: date | None = None  # actual start (done work items) or planned start (open ones)
    finished: date | None = None
    days_taken: int | None = None
    late_by: int = 0  # working days after the promised date


def date_edit(value: date, name: str) -> QDateEdit:
    edit = QDateEdit(to_qdate(min(value, date.today())))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    edit.setMaximumDate(QDate.currentDate())
    edit.setAccessibleName(name)
    return edit


class ItemsTable(QTableWidget):
    """Items with their dates and a Done / Reopen button per row."""

    done_requested = Signal(str, object, object)  # uid, actual start (None: as planned / not asked), done on
    reopen_requested = Signal(str)

    def __init__(self, columns: Sequence[str], accessible_name: str, *, with_start: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(0, len(columns), parent)
        self.with_start = with_start
        self.setHorizontalHeaderLabels(list(columns))
        self.setAccessibleName(accessible_name)
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes straight to the date fields and buttons
        self.setTabKeyNavigation(False)
        self.setAlternatingRowColors(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWordWrap(True)  # a long task takes two lines in a narrow window (the rows are tall anyway)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        self.verticalHeader().setDefaultSectionSize(date_edit(date.today(), "").sizeHint().height() + 8)
        self.rows: list[ItemRow] = []
        self.starts: dict[str, QDateEdit] = {}
        self.finishes: dict[str, QDateEdit] = {}
        self.buttons: dict[str, QPushButton] = {}

    def set_rows(self, rows: Sequence[ItemRow], editable: bool) -> None:
        self.rows = list(rows)
        self.starts, self.finishes, self.buttons = {}, {}, {}
        self.clearContents()
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            self._fill(r, row, editable)
        self._fit()

    def _text(self, r: int, c: int, text: str, tip: str = "") -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        item.setToolTip(tip or text)
        self.setItem(r, c, item)
        return item

    def _fill(self, r: int, row: ItemRow, editable: bool) -> None:
        c = 0
        self._text(r, c, row.who)
        self._text(r, c + 1, row.what)
        self._text(r, c + 2, format_date(row.due))
        c = 3
        if self.with_start:
            if row.done or not editable:
                self._text(r, c, format_date(row.started) if row.done else "")
            else:
                start = date_edit(row.started or date.today(), self.tr("Started — {what}").format(what=row.what))
                start.setProperty("planned", start.date())
                self.starts[row.uid] = start
                self.setCellWidget(r, c, start)
            c += 1
        if row.done or not editable:
            self._text(r, c, format_date(row.finished) if row.done else "")
        else:
            finish = date_edit(date.today(), self.tr("Finished — {what}").format(what=row.what))
            self.finishes[row.uid] = finish
            self.setCellWidget(r, c, finish)
        c += 1
        if self.with_start:
            self._text(r, c, "" if row.days_taken is None else str(row.days_taken))
            c += 1
        status = self._text(r, c, self._status(row))
        hue = (theme.PROBLEM_HUE if row.late_by or (not row.done and row.due and row.due < date.today())
               else theme.STEP_HUES[StepStatus.DONE] if row.done else "")
        if hue:
            status.setForeground(theme.accent_text(hue))
        c += 1
        button = QPushButton(self.tr("Reopen") if row.done else self.tr("Done"))
        button.setAccessibleName((self.tr("Reopen {what}") if row.done else self.tr("Mark {what} done"))
                                 .format(what=row.what))
        button.setEnabled(editable)
        button.clicked.connect(self._clicked(row))
        self.buttons[row.uid] = button
        self.setCellWidget(r, c, button)

    def _status(self, row: ItemRow) -> str:
        if row.done:
            if row.late_by:
                return (self.tr("Done · {n} day late") if row.late_by == 1
                        else self.tr("Done · {n} days late")).format(n=row.late_by)
            return self.tr("Done")
        if row.due is not None and row.due < date.today():
            return self.tr("Overdue")
        return self.tr("Open")

    def _clicked(self, row: ItemRow) -> Callable[[], None]:
        def clicked() -> None:
            if row.done:
                self.reopen_requested.emit(row.uid)
                return
            start = self.starts.get(row.uid)
            started = None
            if start is not None and start.date() != start.property("planned"):
                started = from_qdate(start.date())  # changed by hand; otherwise the planned start applies
            self.done_requested.emit(row.uid, started, from_qdate(self.finishes[row.uid].date()))
        return clicked

    def _fit(self) -> None:
        """As tall as its rows: the page scrolls, not the table."""
        rows = max(1, self.rowCount())
        height = (self.horizontalHeader().sizeHint().height() + rows * self.verticalHeader().defaultSectionSize()
                  + 2 * self.frameWidth() + 2)
        self.setFixedHeight(height)
