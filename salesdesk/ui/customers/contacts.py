"""Adding, changing and removing a customer's contacts; each change is saved at once."""

from __future__ import annotations

from dataclasses import replace

from salesdesk.domain.model import Contact, Customer
from salesdesk.services.app import Services


class CustomerContacts:
    """Edits one customer's contacts against the latest stored customer, so other edits are kept."""

    def __init__(self, services: Services, customer_uid: str) -> None:
        self.services = services
        self.customer_uid = customer_uid

    def customer(self) -> Customer:
        return self.services.customers.get(self.customer_uid)

    def _save(self, contacts: tuple[Contact, ...]) -> Customer:
        current = self.customer()
        return self.services.customers.save(replace(current, contacts=contacts))

    def put(self, contact: Contact) -> Customer:
        """Add ``contact``, or replace the contact with the same uid."""
        contacts = self.customer().contacts
        if any(c.uid == contact.uid for c in contacts):
            return self._save(tuple(contact if c.uid == contact.uid else c for c in contacts))
        return self._save((*contacts, contact))

    def remove(self, contact_uid: str) -> Customer:
        return self._save(tuple(c for c in self.customer().contacts if c.uid != contact_uid))
