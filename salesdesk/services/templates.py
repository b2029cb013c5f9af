"""Feasibility checklist templates (one per product line), for the Settings screen.

A new deal copies its product line's template into its own checklist; editing a template later
changes only deals created after that.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from salesdesk.domain.errors import NotFoundError, ValidationError
from salesdesk.domain.model import Settings
from salesdesk.services import validation as v
from salesdesk.services.context import Context
from salesdesk.services.settings import SettingsService
from salesdesk.store.mapping import sync_children
from salesdesk.store.schema import ChecklistTemplateItemRow, ChecklistTemplateRow

MAX_ITEMS = 200
MAX_QUESTION = 2000


@dataclass(frozen=True, slots=True)
class TemplateItem:
    """One question of a template: which department answers it, a hint, whether it must be answered."""

    department: str
    question: str
    help_text: str = ""
    mandatory: bool = False
    uid: str = ""  # empty for an item not saved yet


@dataclass(frozen=True, slots=True)
class ChecklistTemplate:
    uid: str
    name: str
    product_line: str
    items: tuple[TemplateItem, ...] = ()


def _to_domain(row: ChecklistTemplateRow) -> ChecklistTemplate:
    return ChecklistTemplate(
        uid=row.uid,
        name=row.name,
        product_line=row.product_line,
        items=tuple(TemplateItem(i.department, i.question, i.help_text, i.mandatory, i.uid) for i in row.items),
    )


def validate_template(template: ChecklistTemplate, st: Settings) -> ChecklistTemplate:
    """Clean the texts and refuse a template a review could not work with."""
    name = v.name(template.name, "Template name", field="name")
    product_line = v.name(template.product_line, "Product line", field="product_line")
    if not template.items:
        raise ValidationError("A checklist template needs at least one question.",
                              "Add the questions each department must answer before a promise.", field="items")
    if len(template.items) > MAX_ITEMS:
        raise ValidationError(f"A template holds at most {MAX_ITEMS} questions (this one has {len(template.items)}).",
                              "Split it into templates per product line.", field="items")
    known = {d.name.casefold(): d.name for d in st.departments}
    seen: set[tuple[str, str]] = set()
    items = []
    for i, item in enumerate(template.items, 1):
        department = known.get(v.name(item.department, f"Question {i}'s department", field="items").casefold())
        if department is None:
            raise ValidationError(
                f"Question {i} is for '{item.department}', which is not one of the team's departments.",
                f"Use one of: {', '.join(d.name for d in st.departments)} (add departments in Settings).",
                field="items",
            )
        question = v.text(item.question, f"Question {i}", required=True, limit=MAX_QUESTION, field="items").strip()
        key = (department, " ".join(question.casefold().split()))
        if key in seen:
            raise ValidationError(f"Question {i} is asked of {department} twice.", "Remove one of them.", field="items")
        seen.add(key)
        help_text = v.text(item.help_text, f"The hint to question {i}", limit=MAX_QUESTION, field="items").strip()
        items.append(replace(item, department=department, question=question, help_text=help_text,
                             mandatory=bool(item.mandatory), uid=item.uid or str(uuid.uuid4())))
    return replace(template, name=name, product_line=product_line, items=tuple(items),
                   uid=template.uid or str(uuid.uuid4()))


class ChecklistTemplateService:
    """List, read, save and delete checklist templates; every change is in the audit log."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.settings = SettingsService(ctx)

    def list_templates(self) -> list[ChecklistTemplate]:
        with self.ctx.store.read() as s:
            rows = s.scalars(
                select(ChecklistTemplateRow).options(selectinload(ChecklistTemplateRow.items))
                .order_by(ChecklistTemplateRow.product_line)
            )
            return [_to_domain(r) for r in rows]

    @staticmethod
    def _row(s: Session, key: str) -> ChecklistTemplateRow | None:
        return s.scalar(
            select(ChecklistTemplateRow).options(selectinload(ChecklistTemplateRow.items))
            .where(or_(ChecklistTemplateRow.uid == key, ChecklistTemplateRow.product_line == key))
        )

    def get(self, key: str) -> ChecklistTemplate:
        """A template by its uid or its product line."""
        with self.ctx.store.read() as s:
            row = self._row(s, key)
            if row is None:
                raise NotFoundError(f"There is no checklist template '{key}'.", "Pick one from the list.")
            return _to_domain(row)

    def save(self, template: ChecklistTemplate) -> ChecklistTemplate:
        """Create or update a template (matched by uid); product lines are unique."""
        template = validate_template(template, self.settings.load())
        with self.ctx.store.write() as s:
            clash = s.scalar(
                select(ChecklistTemplateRow.uid).where(
                    ChecklistTemplateRow.product_line == template.product_line,
                    ChecklistTemplateRow.uid != template.uid,
                )
            )
            if clash is not None:
                raise ValidationError(f"There is already a template for '{template.product_line}'.",
                                      "Edit that one, or name this product line differently.", field="product_line")
            row = self._row(s, template.uid)
            before = _to_domain(row) if row is not None else None
            if row is None:
                row = ChecklistTemplateRow(uid=template.uid, name=template.name, product_line=template.product_line)
                s.add(row)
            # A question this template does not hold yet is new here, even when it was copied from
            # another template with its id: it gets an id of its own.
            held = {item.uid for item in row.items}
            template = replace(template, items=tuple(
                item if item.uid in held else replace(item, uid=str(uuid.uuid4())) for item in template.items))

            def fill(r: ChecklistTemplateItemRow, item: TemplateItem) -> None:
                r.department, r.question, r.help_text, r.mandatory = (
                    item.department, item.question, item.help_text, item.mandatory)

            row.name, row.product_line = template.name, template.product_line
            sync_children(row.items, template.items, ChecklistTemplateItemRow, fill)
            if before is None:
                self.ctx.audit(s, entity="checklist_template", entity_uid=template.uid, action="create",
                               new=template.product_line)
            else:
                for field in ("name", "product_line", "items"):
                    old, new = getattr(before, field), getattr(template, field)
                    if old != new:
                        self.ctx.audit(s, entity="checklist_template", entity_uid=template.uid, action="update",
                                       field=field, old=_describe(old), new=_describe(new))
            s.flush()
            return _to_domain(row)

    def delete(self, uid: str) -> None:
        """Remove a template; deals already created keep their own copy of its questions."""
        with self.ctx.store.write() as s:
            row = self._row(s, uid)
            if row is None:
                raise NotFoundError("That checklist template no longer exists.", "Reload the list.")
            self.ctx.audit(s, entity="checklist_template", entity_uid=row.uid, action="remove", old=row.product_line)
            s.delete(row)


def _describe(value: object) -> str:
    if isinstance(value, tuple):
        return f"{len(value)} questions: " + "; ".join(
            f"{i.department}: {i.question}{' (mandatory)' if i.mandatory else ''}"
            for i in value
            if isinstance(i, TemplateItem)
        )
    return str(value)
