"""The Customers page: find a customer, edit the company's details, and its people (contacts)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from salesdesk.domain.errors import SalesDeskError
from salesdesk.domain.model import Customer
from salesdesk.ui import dialogs
from salesdesk.ui.context import UiContext
from salesdesk.ui.customers.contacts import CustomerContacts
from salesdesk.ui.customers.contacts_panel import ContactsPanel
from salesdesk.ui.icons import icon
from salesdesk.ui.text import count_label
from salesdesk.ui.widgets.fields import ErrorLabel, FieldErrors, add_row, hint_label, section_title
from salesdesk.ui.widgets.inputs import GrowingTextEdit

UID_ROLE = Qt.ItemDataRole.UserRole


class CustomersPage(QWidget):
    customer_saved = Signal(object)  # Customer

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.customer: Customer | None = None  # None while a new customer is being written

        self.find = QLineEdit()
        self.find.setPlaceholderText(self.tr("Find a customer"))
        self.find.setAccessibleName(self.tr("Find a customer"))
        self.find.setClearButtonEnabled(True)
        self.find.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Customers"))
        self.count = hint_label("")
        self.new_button = QPushButton(icon("plus"), self.tr("New &customer"))
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(12, 12, 6, 12)
        left_layout.addWidget(self.find)
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.count)
        left_layout.addWidget(self.new_button)

        self.heading = section_title("")
        self.name = QLineEdit()
        self.industry = QLineEdit()
        self.address = GrowingTextEdit(min_lines=2, max_lines=6)
        self.notes = GrowingTextEdit(min_lines=3)
        self.errors = FieldErrors(ErrorLabel())
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        add_row(form, self.errors, "name", self.tr("Company &name"), self.name)
        add_row(form, self.errors, "industry", self.tr("&Industry"), self.industry)
        add_row(form, self.errors, "address", self.tr("&Address"), self.address)
        add_row(form, self.errors, "notes", self.tr("N&otes"), self.notes)
        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.setDefault(True)
        self.revert_button = QPushButton(self.tr("&Revert"))
        self.revert_button.setToolTip(self.tr("Drop unsaved changes and show the customer as saved"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        self.contacts = ContactsPanel()
        editor = QWidget()
        editor.setMaximumWidth(760)
        right_layout = QVBoxLayout(editor)
        right_layout.setContentsMargins(18, 12, 18, 12)
        right_layout.addWidget(self.heading)
        right_layout.addLayout(form)
        right_layout.addWidget(self.errors.general)  # type: ignore[arg-type]
        right_layout.addLayout(buttons)
        right_layout.addWidget(section_title(self.tr("Contacts")))
        right_layout.addWidget(hint_label(self.tr("The people on their side; changes here are saved at once.")))
        right_layout.addWidget(self.contacts)
        right_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(editor)

        split = QSplitter()
        split.addWidget(left)
        split.addWidget(scroll)
        split.setStretchFactor(1, 1)
        split.setSizes([300, 800])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

        self._search = QTimer(self)
        self._search.setSingleShot(True)
        self._search.setInterval(150)
        self._search.timeout.connect(self.reload_list)
        self.find.textChanged.connect(lambda _t: self._search.start())
        self.list.currentItemChanged.connect(self._item_chosen)
        self.new_button.clicked.connect(self.start_new)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.contacts.changed.connect(self._contacts_saved)
        self.reload_list()

    # --- list ------------------------------------------------------------------------------

    def reload_list(self, select_uid: str | None = None) -> None:
        customers = self.ui.services.customers.list_customers(self.find.text().strip())
        self.list.blockSignals(True)
        self.list.clear()
        for c in customers:
            item = QListWidgetItem(c.name)
            item.setData(UID_ROLE, c.uid)
            item.setToolTip(c.industry or c.name)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.count.setText(count_label(len(customers), self.tr("{n} customer"), self.tr("{n} customers")))
        target = select_uid or (self.customer.uid if self.customer else None)
        rows = [i for i in range(self.list.count()) if self.list.item(i).data(UID_ROLE) == target]
        if rows:
            self.list.setCurrentRow(rows[0])
        elif self.list.count() and self.customer is None and not self.name.text():
            self.list.setCurrentRow(0)
        elif not self.list.count():
            self.start_new()

    def _item_chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is not None:
            self.show_customer_uid(item.data(UID_ROLE))

    # --- editing ---------------------------------------------------------------------------

    def show_customer_uid(self, uid: str) -> None:
        try:
            self.show_customer(self.ui.services.customers.get(uid))
        except SalesDeskError as exc:
            dialogs.show_problem(self, exc)

    def show_customer(self, customer: Customer | None) -> None:
        self.customer = customer
        self.errors.clear()
        self.heading.setText(customer.name if customer else self.tr("New customer"))
        self.name.setText(customer.name if customer else "")
        self.industry.setText(customer.industry if customer else "")
        self.address.set_text(customer.address if customer else "")
        self.notes.set_text(customer.notes if customer else "")
        self.contacts.set_customer(CustomerContacts(self.ui.services, customer.uid) if customer else None, customer)

    def revert(self) -> None:
        """Drop unsaved edits and show the customer as stored (with anyone else's changes)."""
        if self.customer is None:
            self.start_new()
        else:
            self.show_customer_uid(self.customer.uid)

    def start_new(self) -> None:
        self.list.clearSelection()
        self.show_customer(None)
        self.name.setFocus()

    def save(self) -> bool:
        values = {"name": self.name.text(), "industry": self.industry.text(), "address": self.address.text(),
                  "notes": self.notes.text()}
        try:
            if self.customer is None:
                saved = self.ui.services.customers.add(**values)
            else:
                saved = self.ui.services.customers.save(replace(self.customer, **values))
        except SalesDeskError as exc:
            self.errors.show(exc)
            return False
        self.show_customer(saved)
        self.reload_list(select_uid=saved.uid)
        self.customer_saved.emit(saved)
        return True

    def _contacts_saved(self, customer: Customer) -> None:
        if self.customer is not None:
            self.customer = replace(self.customer, contacts=customer.contacts, version=customer.version)
        self.customer_saved.emit(customer)
