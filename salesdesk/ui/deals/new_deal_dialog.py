"""The "New deal" form: customer (pick one with type-ahead, or type a new name), title, product line,
owner, requested and start dates."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from salesdesk.domain.errors import SalesDeskError
from salesdesk.domain.model import Deal, TeamMember
from salesdesk.services.app import Services
from salesdesk.ui.deals.new_deal import NewDealForm, create_new_deal
from salesdesk.ui.widgets.fields import ErrorLabel, FieldErrors, add_row, hint_label
from salesdesk.ui.widgets.inputs import OptionalDateEdit


class NewDealDialog(QDialog):
    def __init__(self, services: Services, me: TeamMember, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.created: Deal | None = None
        self.setWindowTitle(self.tr("New deal"))
        self.setMinimumWidth(560)

        self.customer = QComboBox()
        self.customer.setEditable(True)
        self.customer.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for c in services.customers.list_customers():
            self.customer.addItem(c.name, c.uid)
        self.customer.setCurrentIndex(-1)
        self.customer.lineEdit().setPlaceholderText(self.tr("Find a customer, or type a new name"))
        completer = QCompleter(self.customer.model(), self.customer)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.customer.setCompleter(completer)
        self.new_customer_note = hint_label("")
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(self.tr("e.g. Bottling line upgrade"))
        self.product_line = QComboBox()
        for line in services.deals.product_lines():
            self.product_line.addItem(line, line)
        self.owner = QComboBox()
        for m in services.team.list_members():
            self.owner.addItem(f"{m.name} ({m.department})", m.uid)
        self.owner.setCurrentIndex(max(0, self.owner.findData(me.uid)))
        self.requested = OptionalDateEdit()
        self.start = OptionalDateEdit()
        self.start.set_value(date.today())

        self.errors = FieldErrors(ErrorLabel())
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        add_row(form, self.errors, "customer", self.tr("&Customer"), self.customer)
        form.addRow("", self.new_customer_note)
        add_row(form, self.errors, "title", self.tr("&Title"), self.title_edit)
        add_row(form, self.errors, "product_line", self.tr("&Product line"), self.product_line)
        add_row(form, self.errors, "owner", self.tr("&Owner"), self.owner)
        add_row(form, self.errors, "requested_date", self.tr("&Requested by the customer"), self.requested)
        add_row(form, self.errors, "start_date", self.tr("&Work can start"), self.start)

        buttons = QDialogButtonBox()
        self.create_button = buttons.addButton(self.tr("Create deal"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors.general)  # type: ignore[arg-type]
        layout.addWidget(buttons)
        self.customer.editTextChanged.connect(self._customer_typed)
        self._customer_typed("")

    def _chosen_customer(self) -> str | None:
        """The uid of the customer typed or picked; None for a name that is new."""
        name = self.customer.currentText().strip()
        index = self.customer.findText(name, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            return self.customer.itemData(index)
        return None

    def _existing_customer(self, name: str) -> str | None:
        """Beyond the first 5,000 customers in the list: ask the store, so no customer is created twice."""
        for c in self.services.customers.list_customers(name) if name else ():
            if c.name.casefold() == name.casefold():
                return c.uid
        return None

    def _customer_typed(self, text: str) -> None:
        is_new = bool(text.strip()) and self._chosen_customer() is None
        self.new_customer_note.setText(self.tr("New customer: it is created with this deal.") if is_new else "")
        self.new_customer_note.setVisible(is_new)

    def form(self) -> NewDealForm:
        name = self.customer.currentText().strip()
        return NewDealForm(
            customer_uid=self._chosen_customer() or self._existing_customer(name),
            customer_name=name,
            title=self.title_edit.text(),
            product_line=self.product_line.currentData() or "",
            owner_uid=self.owner.currentData(),
            requested_date=self.requested.value(),
            start_date=self.start.value(),
        )

    def accept(self) -> None:
        try:
            self.created = create_new_deal(self.services, self.form())
        except SalesDeskError as exc:
            self.errors.show(exc)
            return
        super().accept()

    @classmethod
    def ask(cls, services: Services, me: TeamMember, parent: QWidget | None = None) -> Deal | None:
        """Show the form; the new deal, or None if the rep cancelled."""
        dialog = cls(services, me, parent)
        dialog.exec()
        return dialog.created
