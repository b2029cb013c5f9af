"""The standard terms library: the terms every deal may pick from, kept by the sales manager.

A deal copies a library term's title and body when it is picked (and remembers which term it came
from); editing the library later changes only what deals pick afterwards. Terms are never deleted,
only retired (``deactivate``), so deals and packages that refer to one still find it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from salesdesk.domain.errors import NotFoundError, ValidationError
from salesdesk.domain.model import StandardTerm
from salesdesk.services import validation as v
from salesdesk.services.context import Context
from salesdesk.store.schema import StandardTermRow

MAX_CODE = 50
MAX_BODY = 10_000
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9._-]*$")


def _to_domain(row: StandardTermRow) -> StandardTerm:
    return StandardTerm(uid=row.uid, code=row.code, title=row.title, body=row.body, active=row.active)


def validate_term(term: StandardTerm) -> StandardTerm:
    """Clean the texts and refuse a term a deal could not use: a short code, a title and a body."""
    code = v.text(term.code, "The term's code", required=True, limit=MAX_CODE, field="code").strip().upper()
    if not _CODE.match(code):
        raise ValidationError(f"The code '{code}' may only hold letters, digits, '-', '.' and '_'.",
                              "Use a short code such as PAY-30 or WARRANTY.", field="code")
    title = v.text(term.title, "The term's title", required=True, limit=v.MAX_TITLE, field="title")
    body = v.text(term.body, "The term's text", required=True, limit=MAX_BODY, field="body").strip()
    return replace(term, code=code, title=title, body=body, active=bool(term.active))


class TermsLibraryService:
    """List, add, change and retire standard terms; every change is in the audit log."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def list_terms(self, *, include_inactive: bool = False) -> list[StandardTerm]:
        with self.ctx.store.read() as s:
            q = select(StandardTermRow).order_by(StandardTermRow.id)
            if not include_inactive:
                q = q.where(StandardTermRow.active.is_(True))
            return [_to_domain(r) for r in s.scalars(q)]

    def get(self, uid: str) -> StandardTerm:
        with self.ctx.store.read() as s:
            row = s.scalar(select(StandardTermRow).where(StandardTermRow.uid == uid))
            if row is None:
                raise NotFoundError("That standard term no longer exists.", "Reload the terms library.")
            return _to_domain(row)

    def add(self, code: str, title: str, body: str) -> StandardTerm:
        """A new active term in the library."""
        return self.save_all([StandardTerm("", code, title, body)])[0]

    def update(self, term: StandardTerm) -> StandardTerm:
        """Change a term's code, title, text or whether it is offered (matched by uid)."""
        return self.save_all([term])[0]

    def deactivate(self, uid: str) -> StandardTerm:
        """Retire a term: deals that use it keep their copy; new deals can no longer pick it."""
        return self.update(replace(self.get(uid), active=False))

    def save_all(self, terms: Sequence[StandardTerm]) -> list[StandardTerm]:
        """Add (empty uid) or change each of ``terms`` in one go: all are saved, or none is.

        Terms of the library not in ``terms`` are left as they are.
        """
        cleaned = []
        for n, term in enumerate(terms, 1):
            try:
                cleaned.append(validate_term(term))
            except ValidationError as exc:
                raise ValidationError(f"Term {n}: {exc.message}" if len(terms) > 1 else exc.message, exc.hint,
                                      field=exc.field) from None
        codes: dict[str, str] = {}
        for term in cleaned:
            if term.code in codes:
                raise ValidationError(f"The code {term.code} is used twice ('{codes[term.code]}' and '{term.title}').",
                                      "Give each term its own code.", field="code")
            codes[term.code] = term.title
        try:
            return self._write(cleaned)
        except IntegrityError:
            raise ValidationError("Two terms would have the same code at the same moment.",
                                  "Save the code changes one at a time.", field="code") from None

    def _write(self, cleaned: list[StandardTerm]) -> list[StandardTerm]:
        saved = []
        with self.ctx.store.write() as s:
            mine = {t.uid for t in cleaned if t.uid}
            for term in cleaned:
                clash = s.scalar(select(StandardTermRow.title).where(
                    func.upper(StandardTermRow.code) == term.code, StandardTermRow.uid.not_in(mine or {""})))
                if clash is not None:
                    raise ValidationError(f"The code {term.code} is already used by the term '{clash}'.",
                                          "Give this term another code.", field="code")
            for term in cleaned:
                saved.append(self._put(s, term))
            s.flush()
        return saved

    def _put(self, s: Session, term: StandardTerm) -> StandardTerm:
        if not term.uid:
            term = replace(term, uid=str(uuid.uuid4()))
            s.add(StandardTermRow(uid=term.uid, code=term.code, title=term.title, body=term.body, active=term.active))
            self.ctx.audit(s, entity="standard_term", entity_uid=term.uid, action="create",
                           new=f"{term.code}: {term.title}")
            return term
        row = s.scalar(select(StandardTermRow).where(StandardTermRow.uid == term.uid))
        if row is None:
            raise NotFoundError(f"The standard term '{term.title}' no longer exists.", "Reload the terms library.")
        before = _to_domain(row)
        for name in ("code", "title", "body", "active"):
            old, new = getattr(before, name), getattr(term, name)
            if old != new:
                setattr(row, name, new)
                self.ctx.audit(s, entity="standard_term", entity_uid=term.uid, action="update", field=name,
                               old=old, new=new)
        return _to_domain(row)
