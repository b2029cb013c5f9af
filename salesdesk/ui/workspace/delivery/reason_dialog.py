"""A small dialog that records something with a date and/or a reason: the first shipment sent (with
the reason to ship without a kickoff), a deal lost and why.

The dialog only collects; ``submit`` (a service call) checks and stores, and its refusal is shown
next to the field it is about — the dialog stays open until the service accepts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from salesdesk.domain.errors import SalesDeskError
from salesdesk.ui.widgets.fields import ErrorLabel, FieldErrors, add_row, hint_label
from salesdesk.ui.widgets.inputs import GrowingTextEdit

#: (date or None, reason) → the service's refusal, or None when it was stored.
Submit = Callable[[date | None, str], SalesDeskError | None]


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class ReasonDialog(QDialog):
    def __init__(self, title: str, intro: str, action: str, submit: Submit, *, reason_label: str = "",
                 reason_field: str = "", reason_hint: str = "", date_label: str = "", date_field: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._submit = submit
        self.setWindowTitle(title)
        self.setMinimumWidth(500)
        self.errors = FieldErrors(ErrorLabel())
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.day: QDateEdit | None = None
        self.reason: GrowingTextEdit | None = None
        if date_label:
            self.day = QDateEdit(to_qdate(date.today()))
            self.day.setCalendarPopup(True)
            self.day.setDisplayFormat("d MMM yyyy")
            self.day.setMaximumWidth(180)
            add_row(form, self.errors, date_field, date_label, self.day)
        if reason_label:
            self.reason = GrowingTextEdit(min_lines=3, max_lines=8)
            self.reason.setPlaceholderText(reason_hint)
            add_row(form, self.errors, reason_field, reason_label, self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if intro:
            intro_label = hint_label(intro)
            intro_label.setMaximumWidth(560)
            layout.addWidget(intro_label)
        layout.addLayout(form)
        layout.addWidget(self.errors.general)  # type: ignore[arg-type]
        layout.addWidget(self.buttons)
        focus = self.reason or self.day
        if focus is not None:
            focus.setFocus()

    def accept(self) -> None:
        day = from_qdate(self.day.date()) if self.day is not None else None
        reason = self.reason.text().strip() if self.reason is not None else ""
        problem = self._submit(day, reason)
        if problem is not None:
            self.errors.show(problem)
            self.adjustSize()  # room for the message
            return
        super().accept()
