"""What changed between two versions of a deal, field by field (for the audit log and conflicts)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from salesdesk.domain.model import Deal

#: Deal fields that are bookkeeping, not content.
_IGNORED = frozenset({"version", "created_at", "updated_at", "customer_name"})

#: Child collections and the entity name each change is logged under.
COLLECTIONS: dict[str, str] = {
    "questions": "discovery_question",
    "objections": "objection",
    "lines": "deal_line",
    "checklist": "checklist_item",
    "work_items": "work_item",
    "signoffs": "signoff",
    "parties": "party",
    "help_contacts": "help_contact",
    "terms": "deal_term",
    "action_items": "action_item",
    "stakeholders": "stakeholder",
    "breakdowns": "breakdown",
}


@dataclass(frozen=True, slots=True)
class Change:
    entity: str
    entity_uid: str
    action: str  # "update" | "add" | "remove"
    field: str = ""
    old: Any = None
    new: Any = None


def _label(item: Any) -> str:
    for attr in ("task", "description", "question", "title", "objection", "what", "name", "topic", "responsibility"):
        value = getattr(item, attr, None)
        if isinstance(value, str) and value:
            return value[:200]
    return str(getattr(item, "uid", ""))


def deal_changes(old: Deal, new: Deal) -> list[Change]:
    """Every difference between ``old`` and ``new``, in a stable order."""
    changes: list[Change] = []
    for f in fields(Deal):
        name = f.name
        if name in _IGNORED or name in COLLECTIONS or name == "kickoff":
            continue
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            changes.append(Change("deal", new.uid, "update", name, a, b))
    for name, entity in COLLECTIONS.items():
        before = {c.uid: c for c in getattr(old, name)}
        after = {c.uid: c for c in getattr(new, name)}
        for uid, item in after.items():
            if uid not in before:
                changes.append(Change(entity, uid, "add", "", None, _label(item)))
                continue
            prev = before[uid]
            if prev == item:
                continue
            for f in fields(item):
                a, b = getattr(prev, f.name), getattr(item, f.name)
                if a != b:
                    changes.append(Change(entity, uid, "update", f.name, a, b))
        for uid, item in before.items():
            if uid not in after:
                changes.append(Change(entity, uid, "remove", "", _label(item), None))
    if old.kickoff != new.kickoff:
        uid = (new.kickoff or old.kickoff).uid  # type: ignore[union-attr]
        changes.append(Change("kickoff", uid, "update", "kickoff", old.kickoff, new.kickoff))
    return changes


def changed_fields(old: Deal, new: Deal) -> list[str]:
    """Readable names of what differs, e.g. ``["title", "lines"]``."""
    names: list[str] = []
    for c in deal_changes(old, new):
        name = c.field if c.entity == "deal" else next(k for k, e in COLLECTIONS.items() if e == c.entity) \
            if c.entity in COLLECTIONS.values() else c.entity
        if name not in names:
            names.append(name)
    return names
