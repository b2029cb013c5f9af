"""The audit log, read back for people: who changed what, when, from what to what."""

from __future__ import annotations

from sqlalchemy import select

from salesdesk.domain.model import AuditEntry
from salesdesk.services.context import Context
from salesdesk.store.schema import AuditRow


class HistoryService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def for_deal(self, deal_uid: str, *, limit: int = 5000) -> list[AuditEntry]:
        """A deal's history, newest first."""
        with self.ctx.store.read() as s:
            rows = s.scalars(
                select(AuditRow).where(AuditRow.deal_uid == deal_uid).order_by(AuditRow.id.desc()).limit(limit)
            )
            return [_entry(r) for r in rows]

    def recent(self, *, limit: int = 200) -> list[AuditEntry]:
        with self.ctx.store.read() as s:
            return [_entry(r) for r in s.scalars(select(AuditRow).order_by(AuditRow.id.desc()).limit(limit))]


def _entry(r: AuditRow) -> AuditEntry:
    return AuditEntry(
        at=r.at, actor=r.actor, entity=r.entity, entity_uid=r.entity_uid, action=r.action, field=r.field,
        old=r.old, new=r.new, deal_uid=r.deal_uid,
    )


def describe(entry: AuditEntry) -> str:
    """One readable line, e.g. "changed the title from 'Pumps' to 'Pumps and valves'"."""
    what = entry.entity.replace("_", " ")
    field = entry.field.replace("_", " ")
    if entry.action == "create":
        return f"created the {what} {entry.new or ''}".strip()
    if entry.action == "add":
        return f"added {what} '{_short(entry.new)}'"
    if entry.action == "remove":
        return f"removed {what} '{_short(entry.old)}'"
    if entry.action == "update":
        target = field if entry.entity == "deal" else f"{what} {field}".strip()
        if entry.old in (None, "") and entry.new not in (None, ""):
            return f"set {target} to '{_short(entry.new)}'"
        if entry.new in (None, ""):
            return f"cleared {target} (was '{_short(entry.old)}')"
        return f"changed {target} from '{_short(entry.old)}' to '{_short(entry.new)}'"
    detail = f" {field}" if field else ""
    extra = f": {_short(entry.new)}" if entry.new else ""
    return f"{entry.action.replace('_', ' ')} {what}{detail}{extra}"


def _short(value: str | None, limit: int = 80) -> str:
    value = (value or "").replace("\n", " ")
    return value if len(value) <= limit else value[: limit - 1] + "…"
