"""Everyone a deal can name: our team members and the customer's contacts, with labels for pickers."""

from __future__ import annotations

from dataclasses import dataclass, field

from salesdesk.domain.errors import SalesDeskError
from salesdesk.domain.model import Contact, Deal, Side, TeamMember
from salesdesk.services.app import Services
from salesdesk.ui.text import tr


def person_key(side: Side, uid: str | None) -> str | None:
    """A picker's value for a person: ``m:<uid>`` for a team member, ``c:<uid>`` for a contact."""
    if not uid:
        return None
    return f"{'m' if side is Side.OURS else 'c'}:{uid}"


def split_key(key: str | None) -> tuple[Side, str | None]:
    if key and key.startswith("c:"):
        return Side.THEIRS, key[2:]
    if key and key.startswith("m:"):
        return Side.OURS, key[2:]
    return Side.OURS, None


@dataclass
class People:
    """The team (all members, so former ones still have names) and the deal's customer."""

    members: dict[str, TeamMember] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)
    company: str = ""
    customer: str = ""

    @classmethod
    def load(cls, services: Services, deal: Deal) -> People:
        members = {m.uid: m for m in services.team.list_members(include_inactive=True)}
        try:
            customer = services.customers.get(deal.customer_uid)
            contacts = {c.uid: c for c in customer.contacts}
            name = customer.name
        except SalesDeskError:
            contacts, name = {}, deal.customer_name
        return cls(members, contacts, services.settings.load().company_name, name)

    # --- names -------------------------------------------------------------------------------

    def side_label(self, side: Side) -> str:
        return tr("Our team") if side is Side.OURS else tr("Customer")

    def name(self, side: Side, uid: str | None) -> str:
        if side is Side.OURS:
            member = self.members.get(uid or "")
            return member.name if member else ""
        contact = self.contacts.get(uid or "")
        return contact.name if contact else ""

    def role(self, side: Side, uid: str | None) -> str:
        if side is Side.OURS:
            member = self.members.get(uid or "")
            return ", ".join(p for p in (member.role, member.department) if p) if member else ""
        contact = self.contacts.get(uid or "")
        return ", ".join(p for p in (contact.role, contact.department) if p) if contact else ""

    def member_name(self, uid: str | None) -> str:
        return self.name(Side.OURS, uid)

    def phone_and_email(self, side: Side, uid: str) -> tuple[str, str]:
        person: TeamMember | Contact | None = self.members.get(uid) if side is Side.OURS else self.contacts.get(uid)
        return (person.phone, person.email) if person else ("", "")

    # --- pickers -----------------------------------------------------------------------------

    def member_choices(self, *, signers_only: bool = False) -> list[tuple[str, str]]:
        """(label, uid) of the active team members (those who may sign agreements, if asked)."""
        return [(f"{m.name} — {m.role or m.department}" if (m.role or m.department) else m.name, m.uid)
                for m in sorted(self.members.values(), key=lambda m: m.name.casefold())
                if m.active and (m.can_sign_agreements or not signers_only)]

    def contact_choices(self) -> list[tuple[str, str]]:
        return [(f"{c.name} — {c.role}" if c.role else c.name, c.uid)
                for c in sorted(self.contacts.values(), key=lambda c: c.name.casefold())]

    def choices(self, side: Side | None = None) -> list[tuple[str, str | None]]:
        """(label, person key) of one side, or of both (ours first), for a person picker."""
        result: list[tuple[str, str | None]] = []
        if side in (None, Side.OURS):
            suffix = f" · {self.company}" if side is None else ""
            result += [(label + suffix, person_key(Side.OURS, uid)) for label, uid in self.member_choices()]
        if side in (None, Side.THEIRS):
            suffix = f" · {self.customer}" if side is None else ""
            result += [(label + suffix, person_key(Side.THEIRS, uid)) for label, uid in self.contact_choices()]
        return result

    def everyone(self) -> list[tuple[str, Side, str]]:
        """(name, side, uid) of every active member and every contact, for "who to call" names."""
        ours = [(m.name, Side.OURS, m.uid) for m in self.members.values() if m.active]
        theirs = [(c.name, Side.THEIRS, c.uid) for c in self.contacts.values()]
        return sorted(ours, key=lambda p: p[0].casefold()) + sorted(theirs, key=lambda p: p[0].casefold())
