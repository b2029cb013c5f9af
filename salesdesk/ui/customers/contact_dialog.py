"""One contact on the customer's side: name, role, department, e-mail, phone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from salesdesk.domain.errors import SalesDeskError
from salesdesk.domain.model import DEFAULT_DEPARTMENTS, Contact, Customer
from salesdesk.services.customers import new_contact
from salesdesk.ui.widgets.fields import ErrorLabel, FieldErrors, add_row


class ContactDialog(QDialog):
    def __init__(self, contact: Contact | None, save: Callable[[Contact], Customer],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.contact = contact
        self.save = save
        self.saved: Customer | None = None
        self.setWindowTitle(self.tr("Edit contact") if contact else self.tr("New contact"))
        self.setMinimumWidth(420)
        self.name = QLineEdit(contact.name if contact else "")
        self.role = QLineEdit(contact.role if contact else "")
        self.role.setPlaceholderText(self.tr("e.g. Plant manager, Buyer, IT lead"))
        self.department = QComboBox()
        self.department.setEditable(True)
        self.department.addItems(["", *DEFAULT_DEPARTMENTS])
        self.department.setCurrentText(contact.department if contact else "")
        self.email = QLineEdit(contact.email if contact else "")
        self.phone = QLineEdit(contact.phone if contact else "")
        self.errors = FieldErrors(ErrorLabel())
        form = QFormLayout()
        add_row(form, self.errors, "name", self.tr("&Name"), self.name)
        add_row(form, self.errors, "role", self.tr("&Role"), self.role)
        add_row(form, self.errors, "department", self.tr("&Department"), self.department)
        add_row(form, self.errors, "email", self.tr("&E-mail"), self.email)
        add_row(form, self.errors, "phone", self.tr("&Phone"), self.phone)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors.general)  # type: ignore[arg-type]
        layout.addWidget(buttons)

    def edited_contact(self) -> Contact:
        values = {"name": self.name.text(), "role": self.role.text(), "department": self.department.currentText(),
                  "email": self.email.text().strip(), "phone": self.phone.text()}
        return replace(self.contact, **values) if self.contact else new_contact(**values)

    def accept(self) -> None:
        contact = self.edited_contact()
        try:
            self.saved = self.save(contact)
        except SalesDeskError as exc:
            # The customer service names a contact field as "contacts" (or "contacts.<field>").
            field = (exc.field or "").removeprefix("contacts.")
            self.errors.show(SalesDeskError(exc.message, exc.hint, field=field if field != "contacts" else None))
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, contact: Contact | None,
            save: Callable[[Contact], Customer]) -> Customer | None:
        """Edit (or, with None, create) a contact; ``save`` stores it. The customer as saved, or None."""
        dialog = cls(contact, save, parent)
        dialog.exec()
        return dialog.saved
