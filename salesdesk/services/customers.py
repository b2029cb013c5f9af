"""Customers and the contacts on their side."""

from __future__ import annotations

import uuid
from dataclasses import replace

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from salesdesk.domain.errors import ConflictError, NotFoundError, ValidationError
from salesdesk.domain.model import Contact, Customer
from salesdesk.domain.search import search_key
from salesdesk.services import validation as v
from salesdesk.services.context import Context, now
from salesdesk.store.mapping import customer_to_domain, sync_children
from salesdesk.store.schema import ContactRow, CustomerRow, DealRowORM


def new_contact(name: str, role: str = "", department: str = "", email: str = "", phone: str = "") -> Contact:
    return Contact(uid=str(uuid.uuid4()), name=name, role=role, department=department, email=email, phone=phone)


class CustomerService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def list_customers(self, search: str = "") -> list[Customer]:
        with self.ctx.store.read() as s:
            q = select(CustomerRow).options(selectinload(CustomerRow.contacts)).order_by(func.lower(CustomerRow.name))
            if search:
                q = q.where(CustomerRow.name.ilike(f"%{search}%"))
            return [customer_to_domain(r) for r in s.scalars(q.limit(5000))]

    def get(self, uid: str) -> Customer:
        with self.ctx.store.read() as s:
            row = s.scalar(select(CustomerRow).where(CustomerRow.uid == uid))
            if row is None:
                raise NotFoundError("That customer no longer exists.", "Reload the customer list.")
            return customer_to_domain(row)

    def _clean(self, c: Customer) -> Customer:
        contacts = []
        for i, ct in enumerate(c.contacts, 1):
            contacts.append(
                replace(
                    ct,
                    name=v.name(ct.name, f"Contact {i}'s name", field="contacts"),
                    role=v.name(ct.role, f"Contact {i}'s role", required=False, field="contacts"),
                    department=v.name(ct.department, f"Contact {i}'s department", required=False, field="contacts"),
                    email=v.text(ct.email, f"Contact {i}'s e-mail", limit=320, field="contacts"),
                    phone=v.text(ct.phone, f"Contact {i}'s phone", limit=64, field="contacts"),
                )
            )
            if contacts[-1].email and "@" not in contacts[-1].email:
                raise ValidationError(
                    f"'{contacts[-1].email}' is not an e-mail address.", "Write it as name@example.com.", field="contacts"
                )
        return replace(
            c,
            name=v.text(c.name, "Company name", required=True, limit=v.MAX_TITLE, field="name"),
            address=v.text(c.address, "Address", limit=2000, field="address"),
            industry=v.name(c.industry, "Industry", required=False, field="industry"),
            notes=v.text(c.notes, "Notes", field="notes"),
            contacts=tuple(contacts),
        )

    def add(self, name: str, address: str = "", industry: str = "", notes: str = "",
            contacts: tuple[Contact, ...] = ()) -> Customer:
        customer = self._clean(
            Customer(uid=str(uuid.uuid4()), name=name, address=address, industry=industry, notes=notes, contacts=contacts)
        )
        try:
            with self.ctx.store.write() as s:
                row = CustomerRow(
                    uid=customer.uid, name=customer.name, address=customer.address, industry=customer.industry,
                    notes=customer.notes, created_at=now(), updated_at=now(),
                )
                s.add(row)
                self._apply_contacts(row, customer)
                self.ctx.audit(s, entity="customer", entity_uid=customer.uid, action="create", new=customer.name)
                s.flush()
                return customer_to_domain(row)
        except IntegrityError:
            raise _contact_elsewhere(customer.name) from None

    @staticmethod
    def _apply_contacts(row: CustomerRow, customer: Customer) -> None:
        def fill(r: ContactRow, c: Contact) -> None:
            r.name, r.role, r.department, r.email, r.phone = c.name, c.role, c.department, c.email, c.phone

        sync_children(row.contacts, customer.contacts, ContactRow, fill)

    def save(self, customer: Customer) -> Customer:
        """Save changes; refused with a conflict when someone else changed the customer meanwhile."""
        customer = self._clean(customer)
        try:
            with self.ctx.store.write() as s:
                row = s.scalar(select(CustomerRow).where(CustomerRow.uid == customer.uid))
                if row is None:
                    raise NotFoundError("That customer no longer exists.", "Reload the customer list.")
                if row.version != customer.version:
                    raise ConflictError(
                        f"Someone else changed {row.name} while you were editing it.",
                        "Reload to see their changes, then make yours again.",
                    )
                old = customer_to_domain(row)
                for f in ("name", "address", "industry", "notes"):
                    if getattr(old, f) != getattr(customer, f):
                        setattr(row, f, getattr(customer, f))
                        self.ctx.audit(s, entity="customer", entity_uid=customer.uid, action="update", field=f,
                                       old=getattr(old, f), new=getattr(customer, f))
                if old.name != customer.name:
                    _refresh_deal_search(s, row.id, customer.name)
                if old.contacts != customer.contacts:
                    self._apply_contacts(row, customer)
                    self.ctx.audit(s, entity="customer", entity_uid=customer.uid, action="update", field="contacts",
                                   old=[c.name for c in old.contacts], new=[c.name for c in customer.contacts])
                row.updated_at = now()
                s.flush()
                return customer_to_domain(row)
        except StaleDataError:
            raise ConflictError(
                f"Someone else changed {customer.name} while you were editing it.",
                "Reload to see their changes, then make yours again.",
            ) from None
        except IntegrityError:
            raise _contact_elsewhere(customer.name) from None


def _contact_elsewhere(name: str) -> ConflictError:
    # Contacts carry ids that travel with exported deals; one can only belong to one customer.
    return ConflictError(
        f"{name} cannot be saved: one of its contacts is already stored with another customer.",
        "Reload the customer and add the contact again as a new contact.",
    )


def _refresh_deal_search(s: Session, customer_id: int, name: str) -> None:
    """A renamed customer is found under its new name (without touching the deals' versions)."""
    deals = DealRowORM.__table__
    assert isinstance(deals, Table)
    rows = s.execute(select(deals.c.id, deals.c.ref, deals.c.title).where(deals.c.customer_id == customer_id)).all()
    if rows:
        s.execute(
            update(deals).where(deals.c.id == bindparam("deal_id")).values(search_text=bindparam("text")),
            [{"deal_id": r[0], "text": search_key(r[1], r[2], name)} for r in rows],
        )
