"""Log or edit a breakdown: what kind, which department, when, what happened, what it did to the
customer, what it cost, how it was resolved, who logged it.

The dialog only collects text; the delivery service checks every field (a negative cost, a date in
the future, an unknown department…) and its refusal is shown next to the field, with nothing saved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from salesdesk.domain.errors import SalesDeskError
from salesdesk.domain.model import BREAKDOWN_LABELS, Breakdown, BreakdownCategory
from salesdesk.ui.text import tr
from salesdesk.ui.widgets.fields import ErrorLabel, FieldErrors, add_row, hint_label
from salesdesk.ui.widgets.inputs import GrowingTextEdit
from salesdesk.ui.workspace.delivery.reason_dialog import from_qdate, to_qdate

#: The breakdown's fields as the service takes them → its refusal, or None when it was stored.
SubmitBreakdown = Callable[[dict[str, Any]], SalesDeskError | None]


def category_label(category: BreakdownCategory) -> str:
    return tr(BREAKDOWN_LABELS.get(category, category.value), "Breakdown")


class BreakdownDialog(QDialog):
    def __init__(self, submit: SubmitBreakdown, departments: Sequence[str], members: Sequence[tuple[str, str]],
                 currency: str, *, breakdown: Breakdown | None = None, logged_by: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._submit = submit
        self.breakdown = breakdown
        self.setWindowTitle(self.tr("Edit the breakdown") if breakdown else self.tr("Log a breakdown"))
        self.setMinimumWidth(560)
        self.errors = FieldErrors(ErrorLabel())

        self.category = QComboBox()
        for category in BreakdownCategory:
            self.category.addItem(category_label(category), category.value)
        self.department = QComboBox()
        for name in departments:
            self.department.addItem(name, name)
        self.occurred_on = QDateEdit(to_qdate(date.today()))
        self.occurred_on.setCalendarPopup(True)
        self.occurred_on.setDisplayFormat("d MMM yyyy")
        self.occurred_on.setMaximumWidth(180)
        self.description = GrowingTextEdit(min_lines=3, max_lines=8)
        self.description.setPlaceholderText(self.tr("What went wrong (required)"))
        self.customer_impact = GrowingTextEdit(min_lines=2, max_lines=6)
        self.customer_impact.setPlaceholderText(self.tr("What it meant for the customer"))
        self.cost = QLineEdit("0.00")
        self.cost.setMaximumWidth(180)
        self.cost.setPlaceholderText(self.tr("e.g. 120.50"))
        self.resolution = GrowingTextEdit(min_lines=2, max_lines=6)
        self.resolution.setPlaceholderText(self.tr("How it was put right, or what is being done"))
        self.logged_by = QComboBox()
        self.logged_by.addItem(self.tr("—"), None)
        for label, uid in members:
            self.logged_by.addItem(label, uid)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        add_row(form, self.errors, "category", self.tr("&Category"), self.category)
        add_row(form, self.errors, "department", self.tr("&Department"), self.department)
        add_row(form, self.errors, "occurred_on", self.tr("&Happened on"), self.occurred_on)
        add_row(form, self.errors, "description", self.tr("&What went wrong"), self.description)
        add_row(form, self.errors, "customer_impact", self.tr("Customer &impact"), self.customer_impact)
        add_row(form, self.errors, "cost", self.tr("C&ost ({currency})").format(currency=currency), self.cost)
        add_row(form, self.errors, "resolution", self.tr("&Resolution"), self.resolution)
        add_row(form, self.errors, "logged_by", self.tr("&Logged by"), self.logged_by)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.addButton(self.tr("&Save") if breakdown else self.tr("&Log it"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if breakdown is not None and breakdown.automatic:
            layout.addWidget(hint_label(self.tr(
                "SalesDesk logged this breakdown by itself when the work finished after its promised date. Add "
                "what it meant for the customer, what it cost and how it was resolved.")))
        layout.addLayout(form)
        layout.addWidget(self.errors.general)  # type: ignore[arg-type]
        layout.addWidget(self.buttons)
        if breakdown is not None:
            self._fill(breakdown)
        elif logged_by:
            self.logged_by.setCurrentIndex(max(0, self.logged_by.findData(logged_by)))
        self.description.setFocus()

    def _fill(self, b: Breakdown) -> None:
        self.category.setCurrentIndex(max(0, self.category.findData(b.category.value)))
        if self.department.findData(b.department) < 0:
            self.department.addItem(b.department, b.department)
        self.department.setCurrentIndex(self.department.findData(b.department))
        self.occurred_on.setDate(to_qdate(b.occurred_on))
        self.description.set_text(b.description)
        self.customer_impact.set_text(b.customer_impact)
        self.cost.setText(f"{b.cost:.2f}")
        self.resolution.set_text(b.resolution)
        self.logged_by.setCurrentIndex(max(0, self.logged_by.findData(b.logged_by)))

    def values(self) -> dict[str, Any]:
        """The fields as typed, for the service to check."""
        return {
            "category": self.category.currentData(),
            "department": self.department.currentData() or "",
            "occurred_on": from_qdate(self.occurred_on.date()),
            "description": self.description.text(),
            "customer_impact": self.customer_impact.text(),
            "cost": self.cost.text().strip() or Decimal("0"),
            "resolution": self.resolution.text(),
            "logged_by": self.logged_by.currentData(),
        }

    def accept(self) -> None:
        problem = self._submit(self.values())
        if problem is not None:
            self.errors.show(problem)
            self.adjustSize()  # room for the message
            return
        super().accept()
