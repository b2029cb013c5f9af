"""The people on the customer's side, with Add / Edit / Remove (used on the Customers page and in
the deal's Discovery step)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from salesdesk.domain.errors import SalesDeskError
from salesdesk.domain.model import Contact, Customer
from salesdesk.ui import dialogs
from salesdesk.ui.customers.contact_dialog import ContactDialog
from salesdesk.ui.customers.contacts import CustomerContacts
from salesdesk.ui.icons import icon


def contact_line(c: Contact) -> str:
    who = ", ".join(p for p in (c.role, c.department) if p)
    reach = "  ·  ".join(p for p in (c.email, c.phone) if p)
    return "\n".join(p for p in (f"{c.name} — {who}" if who else c.name, reach) if p)


class ContactsPanel(QWidget):
    changed = Signal(object)  # Customer, after a contact was saved

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.contacts: CustomerContacts | None = None
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Contacts"))
        self.list.setAlternatingRowColors(True)
        self.list.setMinimumHeight(90)
        self.add_button = QPushButton(icon("plus"), self.tr("Add contact…"))
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.remove_button = QPushButton(self.tr("Remove"))
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add_contact)
        self.edit_button.clicked.connect(self.edit_contact)
        self.remove_button.clicked.connect(self.remove_contact)
        self.list.itemActivated.connect(lambda _item: self.edit_contact())
        self.list.currentRowChanged.connect(lambda _row: self._enable())
        self._enable()

    def set_customer(self, contacts: CustomerContacts | None, customer: Customer | None) -> None:
        self.contacts = contacts
        self.show_contacts(customer.contacts if customer else ())

    def show_contacts(self, contacts: tuple[Contact, ...]) -> None:
        self.list.clear()
        for c in contacts:
            item = QListWidgetItem(contact_line(c))
            item.setData(Qt.ItemDataRole.UserRole, c)
            self.list.addItem(item)
        self.list.setFixedHeight(max(90, min(260, self.list.sizeHintForRow(0) * max(1, len(contacts)) + 8))
                                 if contacts else 90)
        self._enable()

    def _enable(self) -> None:
        self.add_button.setEnabled(self.contacts is not None)
        chosen = self.contacts is not None and self.list.currentItem() is not None
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def _current(self) -> Contact | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _saved(self, customer: Customer) -> None:
        self.show_contacts(customer.contacts)
        self.changed.emit(customer)

    def add_contact(self) -> None:
        if self.contacts is not None and (customer := ContactDialog.ask(self, None, self.contacts.put)):
            self._saved(customer)

    def edit_contact(self) -> None:
        contact = self._current()
        if self.contacts is not None and contact and (customer := ContactDialog.ask(self, contact, self.contacts.put)):
            self._saved(customer)

    def remove_contact(self) -> None:
        contact = self._current()
        if self.contacts is None or contact is None:
            return
        if not dialogs.confirm(self, self.tr("Remove contact"),
                               self.tr("Remove {name} from this customer's contacts?").format(name=contact.name),
                               yes=self.tr("Remove")):
            return
        try:
            self._saved(self.contacts.remove(contact.uid))
        except SalesDeskError as exc:
            dialogs.show_problem(self, exc)
