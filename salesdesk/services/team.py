"""Team members and their signing PINs (kept only as salted scrypt hashes)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import unicodedata
import uuid
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import select

from salesdesk.domain.errors import NotFoundError, RefusedError, ValidationError
from salesdesk.domain.model import TeamMember
from salesdesk.services import validation as v
from salesdesk.services.context import Context, now
from salesdesk.store.mapping import member_to_domain
from salesdesk.store.schema import TeamMemberRow

PIN_ATTEMPTS = 5
PIN_LOCKOUT = timedelta(minutes=5)
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_pin(pin: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, dklen=32, **_SCRYPT)
    return "scrypt${n}${r}${p}${salt}${digest}".format(
        **_SCRYPT, salt=base64.b64encode(salt).decode(), digest=base64.b64encode(digest).decode()
    )


def _pin_matches(pin: str, stored: str) -> bool:
    try:
        _scheme, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            pin.encode(), salt=base64.b64decode(salt), dklen=len(expected), n=int(n), r=int(r), p=int(p)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def validate_pin(pin: str) -> str:
    """The PIN in ASCII digits; ValidationError unless it is 4 to 12 decimal digits of any script."""
    pin = (pin or "").strip()
    if not pin.isdecimal() or not 4 <= len(pin) <= 12:  # isdecimal: "²" or "½" are not digits one types
        raise ValidationError("A signing PIN is 4 to 12 digits.", "Choose a PIN of digits only, e.g. 4821.", field="pin")
    return ascii_digits(pin)


def ascii_digits(text: str) -> str:
    """Decimal digits of any script as ASCII ones ("٤٨٢١" → "4821"): a PIN is the same number
    whichever keyboard types it."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


class TeamService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def list_members(self, *, include_inactive: bool = False) -> list[TeamMember]:
        with self.ctx.store.read() as s:
            q = select(TeamMemberRow).order_by(TeamMemberRow.name)
            if not include_inactive:
                q = q.where(TeamMemberRow.active.is_(True))
            return [member_to_domain(r) for r in s.scalars(q)]

    def get(self, uid: str) -> TeamMember:
        with self.ctx.store.read() as s:
            row = s.scalar(select(TeamMemberRow).where(TeamMemberRow.uid == uid))
            if row is None:
                raise NotFoundError("That team member no longer exists.", "Pick someone from the team list.")
            return member_to_domain(row)

    def find_by_name(self, name: str) -> TeamMember | None:
        with self.ctx.store.read() as s:
            row = s.scalar(select(TeamMemberRow).where(TeamMemberRow.name == name))
            return member_to_domain(row) if row else None

    def _clean(self, m: TeamMember) -> TeamMember:
        return replace(
            m,
            name=v.name(m.name, "Name", field="name"),
            role=v.name(m.role, "Role", required=False, field="role"),
            department=v.name(m.department, "Department", field="department"),
            email=v.text(m.email, "E-mail", limit=320, field="email"),
            phone=v.text(m.phone, "Phone", limit=64, field="phone"),
        )

    def add(
        self,
        name: str,
        department: str,
        role: str = "",
        email: str = "",
        phone: str = "",
        *,
        can_sign_agreements: bool = False,
        pin: str | None = None,
    ) -> TeamMember:
        member = self._clean(
            TeamMember(
                uid=str(uuid.uuid4()),
                name=name,
                role=role,
                department=department,
                email=email,
                phone=phone,
                can_sign_agreements=can_sign_agreements,
            )
        )
        if member.email and "@" not in member.email:
            raise ValidationError(f"'{member.email}' is not an e-mail address.", "Write it as name@example.com.", field="email")
        pin_hash = hash_pin(validate_pin(pin)) if pin else None
        with self.ctx.store.write() as s:
            row = TeamMemberRow(
                uid=member.uid,
                name=member.name,
                role=member.role,
                department=member.department,
                email=member.email,
                phone=member.phone,
                can_sign_agreements=member.can_sign_agreements,
                active=True,
                pin_hash=pin_hash,
                pin_failures=0,
                created_at=now(),
            )
            s.add(row)
            self.ctx.audit(s, entity="team_member", entity_uid=member.uid, action="create", new=member.name)
            s.flush()
            return member_to_domain(row)

    def update(self, member: TeamMember) -> TeamMember:
        member = self._clean(member)
        if member.email and "@" not in member.email:
            raise ValidationError(f"'{member.email}' is not an e-mail address.", "Write it as name@example.com.", field="email")
        with self.ctx.store.write() as s:
            row = s.scalar(select(TeamMemberRow).where(TeamMemberRow.uid == member.uid))
            if row is None:
                raise NotFoundError("That team member no longer exists.", "Reload the team list.")
            for f in ("name", "role", "department", "email", "phone", "can_sign_agreements", "active"):
                old, new = getattr(row, f), getattr(member, f)
                if old != new:
                    setattr(row, f, new)
                    self.ctx.audit(s, entity="team_member", entity_uid=member.uid, action="update", field=f, old=old, new=new)
            s.flush()
            return member_to_domain(row)

    def set_pin(self, uid: str, pin: str | None) -> None:
        """Set, change or (with None) remove a member's signing PIN."""
        pin_hash = hash_pin(validate_pin(pin)) if pin else None
        with self.ctx.store.write() as s:
            row = s.scalar(select(TeamMemberRow).where(TeamMemberRow.uid == uid))
            if row is None:
                raise NotFoundError("That team member no longer exists.", "Reload the team list.")
            row.pin_hash = pin_hash
            row.pin_failures = 0
            row.pin_locked_until = None
            # Never the PIN itself, not even its hash, in the audit log.
            self.ctx.audit(
                s, entity="team_member", entity_uid=uid, action="set_pin" if pin else "remove_pin", field="pin"
            )

    def check_pin(self, uid: str, pin: str | None, *, at: datetime | None = None) -> None:
        """Confirm a member's PIN before they sign. Members without a PIN pass.

        Five wrong PINs lock that member's signing for five minutes.
        """
        at = at or now()
        with self.ctx.store.write() as s:
            row = s.scalar(select(TeamMemberRow).where(TeamMemberRow.uid == uid))
            if row is None:
                raise NotFoundError("That team member no longer exists.", "Pick someone from the team list.")
            if row.pin_hash is None:
                return
            if row.pin_locked_until and row.pin_locked_until > at:
                minutes = max(1, int((row.pin_locked_until - at).total_seconds() // 60) + 1)
                raise RefusedError(
                    f"Signing is locked for {row.name} after {PIN_ATTEMPTS} wrong PINs.",
                    f"Try again in about {minutes} minute{'s' if minutes != 1 else ''}.",
                )
            typed = (pin or "").strip()
            # A PIN set before digits were made ASCII is kept as it was typed: try that form too.
            if typed and (_pin_matches(ascii_digits(typed), row.pin_hash)
                          or (ascii_digits(typed) != typed and _pin_matches(typed, row.pin_hash))):
                row.pin_failures = 0
                row.pin_locked_until = None
                return
            row.pin_failures += 1
            left = PIN_ATTEMPTS - row.pin_failures
            if left <= 0:
                row.pin_failures = 0
                row.pin_locked_until = at + PIN_LOCKOUT
                self.ctx.audit(s, entity="team_member", entity_uid=uid, action="pin_locked", field="pin")
                message = f"Wrong PIN for {row.name}. Signing is now locked for 5 minutes."
                hint = "Wait, then try again, or ask a manager to reset the PIN."
            else:
                message = f"Wrong PIN for {row.name}."
                hint = f"{left} attempt{'s' if left != 1 else ''} left before signing is locked for 5 minutes."
        # Raised after the block so the failure count is committed.
        raise RefusedError(message, hint, field="pin")
